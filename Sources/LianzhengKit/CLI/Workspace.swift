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
    public static func importDataset(
        directory: String, encoding: InputEncoding, scheme: Scheme, dbPath: String
    ) throws(LianzhengError) -> (snapshot: Int64, reused: Bool, dataset: Dataset, warnings: [String], parsed: Bool) {
        var timer = PhaseTimer()
        let digest = SourceDigest(directory: directory, encoding: encoding, schemeFingerprint: scheme.fingerprint)
        timer.mark("source digest")
        if let digest, let found = storedImport(digest, dbPath: dbPath) {
            timer.mark("load snapshot")
            return (found.snapshot, true, found.dataset, found.warnings, false)
        }
        let reader = DatasetReader(directory: directory, scheme: scheme, encoding: encoding)
        var dataset = try reader.read(fingerprint: false)
        timer = PhaseTimer()
        // A file changed while it was hashed or read may have been read in
        // another state than hashed: its digest is then not recorded.
        let source = digest.flatMap { d -> (digest: String, warnings: String)? in
            guard d.filesUnchanged(), let warnings = storedWarnings(reader.warnings, directory: directory) else { return nil }
            return (d.hex, warnings)
        }
        // Always in WAL mode: filling a new file under a rollback journal is
        // faster, but switching journal modes needs the database to itself and
        // fails when another import races to create the same file.
        let (id, reused) = try store(&dataset, source: directory, importSource: source, dbPath: dbPath, newDatabase: false)
        timer.mark("close database")
        return (id, reused, dataset, reader.warnings, true)
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
    private static func storedImport(_ digest: SourceDigest, dbPath: String) -> (snapshot: Int64, dataset: Dataset, warnings: [String])? {
        var info = stat()
        guard stat(dbPath, &info) == 0 else { return nil }
        if stat(dbPath + "-wal", &info) == 0, info.st_size > 0 { return nil }
        guard let db = try? Database(existing: dbPath),
            let found = try? SnapshotStore.importSource(digest: digest.hex, in: db),
            let dataset = try? SnapshotStore(reading: db).load(found.snapshot)
        else { return nil }
        return (found.snapshot, dataset, warnings(stored: found.warnings, directory: digest.directory))
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

    /// Stores `dataset` with a connection of its own, closed on return.
    private static func store(
        _ dataset: inout Dataset, source: String, importSource: (digest: String, warnings: String)?, dbPath: String,
        newDatabase: Bool
    ) throws(LianzhengError) -> (Int64, Bool) {
        let db = try Database(path: dbPath)
        return try SnapshotStore(db: db).store(&dataset, source: source, importSource: importSource, newDatabase: newDatabase)
    }

    /// The dataset a computing command works on: `--data` (imported or
    /// reused), `--snapshot`, or the latest snapshot.
    public static func dataset(
        _ options: CommonOptions, scheme: Scheme
    ) throws(LianzhengError) -> (db: Database, snapshot: Int64, dataset: Dataset, warnings: [String], reused: Bool) {
        if let dir = options.dataDirectory {
            let imported = try importDataset(directory: dir, encoding: options.encoding, scheme: scheme, dbPath: options.dbPath)
            let db = try Database(path: options.dbPath)
            return (db, imported.snapshot, imported.dataset, imported.warnings, imported.reused)
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
        return (db, id, try store.load(id), [], true)
    }
}
