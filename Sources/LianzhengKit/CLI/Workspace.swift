import Foundation

#if canImport(Glibc)
    import Glibc
#endif

/// The options every computing command shares (SPEC §8), resolved into a
/// database, a snapshot and a scheme.
public struct CommonOptions: Sendable {
    public static let valued: Set<String> = ["db", "data", "snapshot", "scheme", "year", "threads", "out", "encoding", "lang"]
    public static let switches: Set<String> = ["quiet"]

    public var dbPath = "lianzheng.sqlite"
    public var dataDirectory: String?
    public var snapshotID: Int64?
    public var schemePath: String?
    public var year: Int?
    public var threads: Int?
    public var outDirectory: String?
    public var encoding: InputEncoding = .auto
    public var chineseHeaders = false
    public var quiet = false

    public init() {}

    public init(_ a: Arguments) throws(LianzhengError) {
        dbPath = a.value("db") ?? dbPath
        dataDirectory = a.value("data")
        if let s = a.value("snapshot") {
            guard let id = Int64(s) else { throw .usage("--snapshot 须为快照编号: \(s)") }
            snapshotID = id
        }
        schemePath = a.value("scheme")
        year = try a.int("year")
        threads = try a.int("threads")
        if let t = threads, t < 1 { throw .usage("--threads 须为正整数") }
        outDirectory = a.value("out")
        let enc = try a.choice("encoding", ["auto", "utf8", "gb18030"], default: "auto")
        encoding = InputEncoding(rawValue: enc)!
        chineseHeaders = try a.choice("lang", ["en", "zh"], default: "en") == "zh"
        quiet = a.has("quiet")
    }
}

/// Opens the database and turns options into the inputs of a computation.
public enum Workspace {
    /// Loads the scheme at `path`, or the built-in default.
    public static func loadScheme(_ path: String?) throws(LianzhengError) -> (scheme: Scheme, warnings: [String]) {
        guard let path else { return (SchemeParser.defaultScheme, []) }
        return try SchemeParser.parse(bytes: SchemeParser.readFile(path), source: path)
    }

    /// Reads and validates `directory` (nothing touches the database until the
    /// data is known good, so bad data never creates one), then stores it as
    /// a snapshot or reuses the one with the same fingerprint. A failure
    /// leaves the database as it was (the import is one transaction).
    ///
    /// Unchanged files are not read again: their source digest (raw bytes,
    /// `encoding`, scheme; see `SourceDigest`) is computed first, and when
    /// the database records it, that snapshot is loaded and returned as
    /// reused with the warnings its reading gave (`parsed` is false). Each
    /// import that reads the files records their digest with the snapshot
    /// it stores or reuses, in the same transaction.
    ///
    /// A database file this call created stays even when the import then
    /// fails: another process may have opened it meanwhile, and deleting it
    /// would lose that process's import.
    ///
    /// `tables`: also write the snapshot into the queryable row tables
    /// (`SnapshotStore.storeTables`) when they do not hold it yet, in a
    /// transaction of its own after the import's.
    public static func importDataset(
        directory: String, encoding: InputEncoding, scheme: Scheme, dbPath: String, tables: Bool = false
    ) throws(LianzhengError) -> (snapshot: Int64, reused: Bool, dataset: Dataset, warnings: [String], parsed: Bool) {
        let pending = try startImport(directory: directory, encoding: encoding, scheme: scheme, dbPath: dbPath)
        let (id, reused) = try pending.stored()
        let dataset = pending.fingerprinted()
        if tables {
            _ = try SnapshotStore(db: try Database(path: dbPath)).storeTables(dataset, snapshot: id)
        }
        return (id, reused, dataset, pending.warnings, pending.parsed)
    }

    /// `importDataset` without waiting for the database: returns once the
    /// files are read and valid (or found by their digest), while the
    /// snapshot is stored on another thread and the fingerprint computed on
    /// a third, so the caller can compute with the data meanwhile.
    public static func startImport(
        directory: String, encoding: InputEncoding, scheme: Scheme, dbPath: String
    ) throws(LianzhengError) -> PendingImport {
        var timer = PhaseTimer()
        var preloaded = preloadLatest(dbPath: dbPath)
        let digest = SourceDigest(directory: directory, encoding: encoding, schemeFingerprint: scheme.fingerprint)
        timer.mark("source digest")
        if let digest, let found = storedImport(digest, dbPath: dbPath, preloaded: preloaded) {
            timer.mark("load snapshot")
            return PendingImport(found: found.snapshot, dataset: found.dataset, warnings: found.warnings)
        }
        // Not the files of the preloaded snapshot: it goes before the files
        // are read, so that the two never take memory at once.
        _ = preloaded?.value()
        preloaded = nil
        let reader = DatasetReader(directory: directory, scheme: scheme, encoding: encoding)
        let dataset = try reader.read(fingerprint: false)
        // A file changed while it was hashed or read may have been read in
        // another state than hashed: its digest is then not recorded.
        let source = digest.flatMap { d -> (digest: String, warnings: String)? in
            guard d.filesUnchanged(), let warnings = storedWarnings(reader.warnings, directory: directory) else { return nil }
            return (d.hex, warnings)
        }
        let fingerprint = BackgroundTask { dataset.computeFingerprint() }
        let storing = BackgroundTask { () -> Result<(Int64, Bool), LianzhengError> in
            Result { () throws(LianzhengError) in
                var timer = PhaseTimer()
                defer { timer.mark("store and close database") }
                // Connections of its own, opened and closed on this thread.
                // A database that does not exist yet is built privately and
                // published whole (`PrivateDatabaseBuild`), unless another
                // process creates it first.
                func store(_ db: Database) throws(LianzhengError) -> (Int64, Bool) {
                    try SnapshotStore(db: db).store(
                        dataset, fingerprint: fingerprint.value, source: directory, importSource: source)
                }
                if !FileManager.default.fileExists(atPath: dbPath),
                    let built = try PrivateDatabaseBuild.build(at: dbPath, store)
                {
                    return built
                }
                return try store(try Database(path: dbPath))
            }
        }
        return PendingImport(dataset: dataset, warnings: reader.warnings, fingerprint: fingerprint, storing: storing)
    }

    /// The snapshot the database records for `digest`, loaded, with the
    /// warnings of its reading naming `digest.directory`; nil when there is
    /// none. The lookup only saves work: any failure (not a database, a
    /// damaged one, one of another schema) counts as none, and the import
    /// then goes on as without it and reports such problems in its order.
    ///
    /// The database is not opened when it does not exist (a failed import
    /// must leave no file), nor when its WAL holds writes of a connection
    /// that is still open or was interrupted: reading those would record
    /// this reader in the shared-memory index (`-shm`), and a failed import
    /// must leave every file of the database as it was. The files are then
    /// read as before this lookup existed.
    ///
    /// `preloaded`: the snapshot `preloadLatest` is loading, used when it is
    /// the one recorded for `digest`.
    private static func storedImport(
        _ digest: SourceDigest, dbPath: String, preloaded: BackgroundTask<(snapshot: Int64, dataset: Dataset)?>?
    ) -> (snapshot: Int64, dataset: Dataset, warnings: [String])? {
        guard mayReadWithoutTrace(dbPath), let db = try? Database(existing: dbPath),
            let found = try? SnapshotStore.importSource(digest: digest.hex, in: db)
        else { return nil }
        let dataset: Dataset
        if let preloaded = preloaded?.value(), preloaded.snapshot == found.snapshot {
            dataset = preloaded.dataset
        } else {
            guard let loaded = try? SnapshotStore(reading: db).load(found.snapshot) else { return nil }
            dataset = loaded
        }
        return (found.snapshot, dataset, warnings(stored: found.warnings, directory: digest.directory))
    }

    /// Whether the database exists and its WAL holds no writes (see
    /// `storedImport`), so that reading it leaves every file as it was.
    private static func mayReadWithoutTrace(_ dbPath: String) -> Bool {
        var info = stat()
        guard stat(dbPath, &info) == 0 else { return false }
        return !(stat(dbPath + "-wal", &info) == 0 && info.st_size > 0)
    }

    /// The database's latest snapshot, loaded from its column pack on a
    /// thread of its own while the files are hashed: the snapshot a run
    /// on files already imported usually finds by their digest, ready a
    /// few tenths of a second sooner. Only a guess: `storedImport` uses it
    /// only when the digest names it. Nil when the database could not be
    /// read without a trace; the task gives nil for a database of another
    /// schema, one without snapshots, or a snapshot without a pack.
    private static func preloadLatest(dbPath: String) -> BackgroundTask<(snapshot: Int64, dataset: Dataset)?>? {
        guard mayReadWithoutTrace(dbPath) else { return nil }
        return BackgroundTask(onOwnThread: true) {
            guard let db = try? Database(existing: dbPath), SnapshotStore.hasCurrentSchema(db),
                let latest = try? SnapshotStore(reading: db).latest(),
                let dataset = try? SnapshotStore(reading: db).loadPack(latest.id)
            else { return nil }
            return (latest.id, dataset)
        }
    }

    /// Warnings as `import_source` keeps them: without the folder they name
    /// (files hashing the same elsewhere are the same import), one a line.
    /// Nil when one does not start with the folder or the rest holds a line
    /// break: the warnings could then not be given back as read.
    static func storedWarnings(_ warnings: [String], directory: String) -> String? {
        let prefix = Array(InputTable.folderPrefix(directory).utf8)
        var lines: [String] = []
        for warning in warnings {
            guard warning.utf8.starts(with: prefix) else { return nil }
            let rest = String(decoding: warning.utf8.dropFirst(prefix.count), as: UTF8.self)
            guard !rest.utf8.contains(UInt8(ascii: "\n")) else { return nil }
            lines.append(rest)
        }
        return lines.joined(separator: "\n")
    }

    /// Stored warnings (see `storedWarnings`) naming `directory` again.
    static func warnings(stored: String, directory: String) -> [String] {
        guard !stored.isEmpty else { return [] }
        let prefix = InputTable.folderPrefix(directory)
        return stored.split(separator: "\n", omittingEmptySubsequences: false).map { prefix + $0 }
    }

    /// The dataset a computing command works on, as soon as it can be
    /// computed with: with `--data` it may still be being stored (and
    /// fingerprinted) on other threads when this returns.
    public static func open(_ options: CommonOptions, scheme: Scheme) throws(LianzhengError) -> CommandDataset {
        if let dir = options.dataDirectory {
            let pending = try startImport(directory: dir, encoding: options.encoding, scheme: scheme, dbPath: options.dbPath)
            return CommandDataset(dataset: pending.dataset, warnings: pending.warnings, source: .importing(pending, options.dbPath))
        }
        guard FileManager.default.fileExists(atPath: options.dbPath) else {
            throw .missingInput("\(options.dbPath): 数据库不存在；请先用 --data 导入数据 (no database; import with --data)")
        }
        let db = try Database(path: options.dbPath)
        let store = try SnapshotStore(db: db)
        let id: Int64
        if let s = options.snapshotID {
            id = s
        } else {
            guard let latest = try store.latest() else { throw .missingInput("\(options.dbPath): 数据库中没有快照 (no snapshot)") }
            id = latest.id
        }
        return CommandDataset(dataset: try store.load(id), warnings: [], source: .stored(db, id))
    }
}

/// A dataset read from a folder (and valid), while it is being stored as a
/// snapshot and fingerprinted on other threads; or one found by the source
/// digest of its files, already stored.
public final class PendingImport: Sendable {
    /// In canonical order; its fingerprint may still be empty (see
    /// `fingerprinted()`).
    public let dataset: Dataset
    /// Unknown columns met while reading.
    public let warnings: [String]
    /// Whether the files were read (false: found by their digest).
    public let parsed: Bool
    private let fingerprint: BackgroundTask<String>?
    private let storing: BackgroundTask<Result<(Int64, Bool), LianzhengError>>?
    private let found: Int64?

    init(
        dataset: Dataset, warnings: [String], fingerprint: BackgroundTask<String>,
        storing: BackgroundTask<Result<(Int64, Bool), LianzhengError>>
    ) {
        self.dataset = dataset
        self.warnings = warnings
        parsed = true
        self.fingerprint = fingerprint
        self.storing = storing
        found = nil
    }

    init(found snapshot: Int64, dataset: Dataset, warnings: [String]) {
        self.dataset = dataset
        self.warnings = warnings
        parsed = false
        fingerprint = nil
        storing = nil
        found = snapshot
    }

    /// The dataset with its fingerprint (waiting for it while it is computed).
    public func fingerprinted() -> Dataset {
        guard let fingerprint else { return dataset }
        var d = dataset
        d.fingerprint = fingerprint.value()
        return d
    }

    /// Waits until the snapshot is stored (or found stored).
    /// - Returns: its id and whether an existing one was reused.
    public func stored() throws(LianzhengError) -> (snapshot: Int64, reused: Bool) {
        if let found { return (found, true) }
        return try storing!.value().get()
    }
}

/// What `Workspace.open` gives a computing command.
public struct CommandDataset {
    enum Source {
        case importing(PendingImport, String)
        case stored(Database, Int64)
    }

    /// The data to compute with; its fingerprint may still be empty (see
    /// `fingerprinted()`).
    public let dataset: Dataset
    public let warnings: [String]
    let source: Source

    /// The dataset with its fingerprint (waiting for it while it is computed).
    public func fingerprinted() -> Dataset {
        switch source {
        case .importing(let pending, _): pending.fingerprinted()
        case .stored: dataset
        }
    }

    /// Waits until the snapshot is stored (when importing).
    /// - Returns: a connection to the database, the snapshot id, and whether
    ///   the snapshot already existed (always true without `--data`).
    public func snapshot() throws(LianzhengError) -> (db: Database, id: Int64, reused: Bool) {
        switch source {
        case .importing(let pending, let dbPath):
            let (id, reused) = try pending.stored()
            return (try Database(path: dbPath), id, reused)
        case .stored(let db, let id):
            return (db, id, true)
        }
    }
}
