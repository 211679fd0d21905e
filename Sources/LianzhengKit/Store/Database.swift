import CSQLite
import Foundation

#if canImport(Glibc)
    import Glibc
#endif

/// A SQLite failure: result code, SQLite's message and the SQL text — never
/// the bound values, which are personnel data.
public struct DatabaseError: Error, Sendable, CustomStringConvertible {
    public var code: Int32
    public var message: String
    public var sql: String?
    /// The database file, when known.
    public var path: String?

    public init(code: Int32, message: String, sql: String?, path: String? = nil) {
        self.code = code
        self.message = message
        self.sql = sql
        self.path = path
    }

    /// `FILE: SQLite 错误 13（磁盘空间不足）: message (SQL: …)`; the SQL
    /// shortened (a 64-row INSERT is mostly `(?,?,…)`), never a bound value.
    public var description: String {
        var text = path.map { "\($0): " } ?? ""
        text += "SQLite 错误 \(code)"
        if let meaning { text += "（\(meaning)）" }
        text += ": \(message)"
        if let sql { text += " (SQL: \(abbreviated(sql, limit: 160)))" }
        return text
    }

    /// What the primary result code means for the user, in Chinese.
    var meaning: String? {
        switch code & 0xFF {
        case SQLITE_FULL: "磁盘空间不足"
        case SQLITE_READONLY: "数据库文件只读，无法写入"
        case SQLITE_CANTOPEN: "无法打开数据库文件"
        case SQLITE_PERM, SQLITE_AUTH: "没有访问数据库文件的权限"
        case SQLITE_BUSY, SQLITE_LOCKED: "数据库正被其他进程使用，等待 30 秒后仍未释放"
        case SQLITE_IOERR: "磁盘读写错误"
        case SQLITE_NOMEM: "内存不足"
        default: nil
        }
    }

    /// As a command failure: a file that is not a database, or a damaged
    /// one, is bad input (65); anything else an I/O failure (74).
    public var asLianzhengError: LianzhengError {
        let file = path.map { "\($0): " } ?? ""
        switch code & 0xFF {
        case SQLITE_NOTADB: return .invalid("数据库文件无效或不是 SQLite 数据库: \(file)\(message)")
        case SQLITE_CORRUPT: return .invalid("数据库文件已损坏: \(file)\(message)")
        default: return .io(description)
        }
    }
}

/// `SQLITE_TRANSIENT`: SQLite copies the bytes before the call returns.
let sqliteTransient = unsafeBitCast(-1, to: sqlite3_destructor_type.self)

/// A non-null pointer for empty texts (a null pointer would bind NULL).
nonisolated(unsafe) private let emptyText: UnsafePointer<CChar> = {
    let p = UnsafeMutablePointer<CChar>.allocate(capacity: 1)
    p.pointee = 0
    return UnsafePointer(p)
}()

@inline(__always)
private func cText(_ b: UnsafeBufferPointer<UInt8>) -> UnsafePointer<CChar> {
    guard let base = b.baseAddress, b.count > 0 else { return emptyText }
    return UnsafeRawPointer(base).assumingMemoryBound(to: CChar.self)
}

/// One connection to the embedded database. Not shared across threads.
public final class Database {
    let handle: OpaquePointer
    public let path: String

    /// Opens (creating with mode 0600 when absent) the database at `path`,
    /// in WAL mode with a busy timeout so concurrent runs wait rather than fail.
    public convenience init(path: String) throws(LianzhengError) {
        try self.init(opening: path, reportedAs: path, pragmas: ["PRAGMA journal_mode=WAL", "PRAGMA synchronous=NORMAL"])
    }

    /// Creates a database file no other process knows of yet (see
    /// `PrivateDatabaseBuild`): no journal and no syncing while it is
    /// filled, since a failure throws the file away; errors name
    /// `reportedAs`, the path it will be published under.
    convenience init(building path: String, reportedAs: String) throws(LianzhengError) {
        try self.init(opening: path, reportedAs: reportedAs, pragmas: ["PRAGMA journal_mode=OFF", "PRAGMA synchronous=OFF"])
    }

    private init(opening path: String, reportedAs label: String, pragmas: [String]) throws(LianzhengError) {
        self.path = label
        if path != ":memory:" { try Self.createPrivately(path, reportedAs: label) }
        var db: OpaquePointer?
        let rc = sqlite3_open_v2(path, &db, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX, nil)
        guard rc == SQLITE_OK, let db else {
            let message = db.map { String(cString: sqlite3_errmsg($0)) } ?? "cannot open"
            sqlite3_close(db)
            throw DatabaseError(code: rc, message: message, sql: nil, path: label).asLianzhengError
        }
        handle = db
        sqlite3_busy_timeout(db, 30_000)
        do {
            // Only takes effect while the file is new and empty: 64 KiB
            // pages cut the CPU time of a million-post import by about 30 %
            // (fewer cells to balance, fewer page headers).
            try execute("PRAGMA page_size=65536")
            for pragma in pragmas { try execute(pragma) }
        } catch {
            sqlite3_close(db)
            throw error.asLianzhengError
        }
    }

    /// Opens the database at `path`, which must exist, to look something
    /// up: no file is created and no pragma set, so reading leaves the
    /// database file as it was (WAL mode is recorded in the file itself).
    init(existing path: String) throws(DatabaseError) {
        self.path = path
        var db: OpaquePointer?
        let rc = sqlite3_open_v2(path, &db, SQLITE_OPEN_READWRITE | SQLITE_OPEN_NOMUTEX, nil)
        guard rc == SQLITE_OK, let db else {
            let message = db.map { String(cString: sqlite3_errmsg($0)) } ?? "cannot open"
            sqlite3_close(db)
            throw DatabaseError(code: rc, message: message, sql: nil, path: path)
        }
        handle = db
        sqlite3_busy_timeout(db, 30_000)
    }

    deinit {
        sqlite3_close_v2(handle)
    }

    /// Creates `path` with mode 0600 (whatever the umask) if it does not exist.
    /// Errors name `label` (by default `path`).
    static func createPrivately(_ path: String, reportedAs label: String? = nil) throws(LianzhengError) {
        let fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0o600)
        if fd < 0 {
            if errno == EEXIST { return }
            throw .io("\(label ?? path): \(String(cString: strerror(errno)))")
        }
        fchmod(fd, 0o600)
        close(fd)
    }

    /// Runs SQL without parameters (schema, pragmas, transaction control).
    public func execute(_ sql: String) throws(DatabaseError) {
        var message: UnsafeMutablePointer<CChar>?
        let rc = sqlite3_exec(handle, sql, nil, nil, &message)
        if rc != SQLITE_OK {
            let text = message.map { String(cString: $0) } ?? String(cString: sqlite3_errmsg(handle))
            sqlite3_free(message)
            throw DatabaseError(code: rc, message: text, sql: sql, path: path)
        }
    }

    public func prepare(_ sql: String) throws(DatabaseError) -> Statement {
        var stmt: OpaquePointer?
        let rc = sqlite3_prepare_v3(handle, sql, -1, UInt32(SQLITE_PREPARE_PERSISTENT), &stmt, nil)
        guard rc == SQLITE_OK, let stmt else {
            throw DatabaseError(code: rc, message: String(cString: sqlite3_errmsg(handle)), sql: sql, path: path)
        }
        return Statement(stmt, database: self, sql: sql)
    }

    /// Runs `body` inside `BEGIN IMMEDIATE … COMMIT`; rolls back and rethrows
    /// the first error on any throw, so a failure leaves the database as it was.
    public func transaction<R>(_ body: () throws -> R) throws -> R {
        try execute("BEGIN IMMEDIATE")
        do {
            let result = try body()
            try execute("COMMIT")
            return result
        } catch {
            try? execute("ROLLBACK")
            throw error
        }
    }

    public var lastInsertRowID: Int64 { sqlite3_last_insert_rowid(handle) }

    func error(_ rc: Int32, sql: String?) -> DatabaseError {
        DatabaseError(code: rc, message: String(cString: sqlite3_errmsg(handle)), sql: sql, path: path)
    }
}

/// A prepared statement with positional (1-based) parameters.
public final class Statement {
    let stmt: OpaquePointer
    unowned let database: Database
    let sql: String

    init(_ stmt: OpaquePointer, database: Database, sql: String) {
        self.stmt = stmt
        self.database = database
        self.sql = sql
    }

    deinit { sqlite3_finalize(stmt) }

    public func bind(_ i: Int32, _ v: Int64) { sqlite3_bind_int64(stmt, i, v) }
    public func bind(_ i: Int32, _ v: Int) { sqlite3_bind_int64(stmt, i, Int64(v)) }
    public func bind(_ i: Int32, _ v: Double) { sqlite3_bind_double(stmt, i, v) }
    public func bindNull(_ i: Int32) { sqlite3_bind_null(stmt, i) }

    /// Binds a Swift string; SQLite copies it (never STATIC for a temporary).
    public func bind(_ i: Int32, _ v: String) {
        var v = v
        v.withUTF8 { b in
            _ = sqlite3_bind_text(stmt, i, cText(b), Int32(b.count), sqliteTransient)
        }
    }

    public func bind(_ i: Int32, _ v: String?) {
        if let v { bind(i, v) } else { bindNull(i) }
    }

    /// Binds text i of `column`, copied by SQLite.
    public func bind(_ i: Int32, _ column: TextColumn, _ row: Int) {
        column.withBytes(row) { b in
            _ = sqlite3_bind_text(stmt, i, cText(b), Int32(b.count), sqliteTransient)
        }
    }

    /// Binds a blob. With `copy: false` SQLite reads `bytes` in place:
    /// they must stay valid and unchanged until the statement has run.
    public func bindBlob(_ i: Int32, _ bytes: UnsafeRawBufferPointer, copy: Bool = true) {
        _ = sqlite3_bind_blob64(stmt, i, bytes.baseAddress, UInt64(bytes.count), copy ? sqliteTransient : nil)
    }

    /// Executes to completion (INSERT, UPDATE …) and resets.
    public func run() throws(DatabaseError) {
        let rc = sqlite3_step(stmt)
        sqlite3_reset(stmt)
        guard rc == SQLITE_DONE || rc == SQLITE_ROW else { throw database.error(rc, sql: sql) }
    }

    /// Advances to the next row; false when done.
    public func step() throws(DatabaseError) -> Bool {
        let rc = sqlite3_step(stmt)
        if rc == SQLITE_ROW { return true }
        if rc == SQLITE_DONE { return false }
        throw database.error(rc, sql: sql)
    }

    public func reset() {
        sqlite3_reset(stmt)
        sqlite3_clear_bindings(stmt)
    }

    public func int64(_ c: Int32) -> Int64 { sqlite3_column_int64(stmt, c) }
    public func double(_ c: Int32) -> Double { sqlite3_column_double(stmt, c) }
    public func isNull(_ c: Int32) -> Bool { sqlite3_column_type(stmt, c) == SQLITE_NULL }

    public func text(_ c: Int32) -> String {
        guard let p = sqlite3_column_text(stmt, c) else { return "" }
        let n = Int(sqlite3_column_bytes(stmt, c))
        return String(decoding: UnsafeBufferPointer(start: p, count: n), as: UTF8.self)
    }

    /// Raw UTF-8 bytes of column `c`, valid until the next step.
    public func withText<R>(_ c: Int32, _ body: (UnsafeBufferPointer<UInt8>) throws -> R) rethrows -> R {
        let p = sqlite3_column_text(stmt, c)
        let n = Int(sqlite3_column_bytes(stmt, c))
        return try body(UnsafeBufferPointer(start: p, count: n))
    }

    public func withBlob<R>(_ c: Int32, _ body: (UnsafeRawBufferPointer) throws -> R) rethrows -> R {
        let p = sqlite3_column_blob(stmt, c)
        let n = Int(sqlite3_column_bytes(stmt, c))
        return try body(UnsafeRawBufferPointer(start: p, count: n))
    }
}
