import Foundation

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
    /// A database file this call created stays even when the import then
    /// fails: another process may have opened it meanwhile, and deleting it
    /// would lose that process's import.
    public static func importDataset(
        directory: String, encoding: InputEncoding, scheme: Scheme, dbPath: String
    ) throws(LianzhengError) -> (snapshot: Int64, reused: Bool, dataset: Dataset, warnings: [String]) {
        let reader = DatasetReader(directory: directory, scheme: scheme, encoding: encoding)
        var dataset = try reader.read(fingerprint: false)
        // Always in WAL mode: filling a new file under a rollback journal is
        // faster, but switching journal modes needs the database to itself and
        // fails when another import races to create the same file.
        var timer = PhaseTimer()
        let (id, reused) = try store(&dataset, source: directory, dbPath: dbPath, newDatabase: false)
        timer.mark("close database")
        return (id, reused, dataset, reader.warnings)
    }

    /// Stores `dataset` with a connection of its own, closed on return.
    private static func store(_ dataset: inout Dataset, source: String, dbPath: String, newDatabase: Bool) throws(LianzhengError) -> (Int64, Bool) {
        let db = try Database(path: dbPath)
        return try SnapshotStore(db: db).store(&dataset, source: source, newDatabase: newDatabase)
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
