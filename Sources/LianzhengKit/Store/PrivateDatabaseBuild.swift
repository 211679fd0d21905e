import Foundation

#if canImport(Glibc)
    import Glibc
#endif

/// An import into a database file that does not exist yet, built under a
/// hidden temporary name in the same folder and published with `link(2)`
/// once complete and flushed.
///
/// Nobody else can see the file while it is filled, so it needs no journal
/// and no syncing: every page is written once, where a WAL database writes
/// it to the log and again at the checkpoint (a third of a million-post
/// import). Publishing is atomic and never replaces anything: when another
/// process created the database meanwhile, `link` fails with EEXIST, the
/// temporary file goes, and the caller imports into that database instead.
/// A failure, or a kill, never leaves a file under the real name; a file a
/// killed build left is removed by the next build in that folder.
enum PrivateDatabaseBuild {
    /// Runs `body` on a new database built for `path`.
    /// - Returns: `body`'s result once the file stands at `path`; nil when
    ///   `path` came to exist meanwhile (nothing was published).
    static func build<T>(
        at path: String, _ body: (Database) throws(LianzhengError) -> T
    ) throws(LianzhengError) -> T? {
        let (directory, name) = splitPath(path)
        removeAbandoned(in: directory, name: name)
        let temporary = directory + "/" + prefix(name) + "\(getpid())-" + randomHex()
        defer { unlink(temporary) }
        let result: T
        do {
            let db = try Database(building: temporary, reportedAs: path)
            result = try body(db)
            // Published in WAL mode already: switching a shared database's
            // journal mode fails while other processes have it open.
            do { try db.execute("PRAGMA journal_mode=WAL") } catch { throw error.asLianzhengError }
        }  // the connection is closed here, before the file is flushed
        try flush(temporary, reportedAs: path)
        if link(temporary, path) != 0 {
            if errno == EEXIST { return nil }
            throw .io("\(path): 无法发布新建的数据库: \(String(cString: strerror(errno)))")
        }
        syncDirectory(directory)
        return result
    }

    /// `.NAME.import-` : what the temporary files of `NAME` start with.
    static func prefix(_ name: String) -> String { "." + name + ".import-" }

    /// Removes temporary files of `name` whose process is gone (a killed
    /// build); those of live processes are theirs.
    static func removeAbandoned(in directory: String, name: String) {
        let start = prefix(name)
        guard let entries = try? FileManager.default.contentsOfDirectory(atPath: directory) else { return }
        for entry in entries where entry.hasPrefix(start) {
            let rest = entry.dropFirst(start.count)
            guard let dash = rest.firstIndex(of: "-"), let pid = pid_t(rest[..<dash]) else { continue }
            if kill(pid, 0) != 0 && errno == ESRCH { unlink(directory + "/" + entry) }
        }
    }

    private static func flush(_ file: String, reportedAs path: String) throws(LianzhengError) {
        let fd = open(file, O_RDONLY | O_CLOEXEC)
        guard fd >= 0, fsync(fd) == 0 else {
            let code = errno
            if fd >= 0 { close(fd) }
            throw .io("\(path): 无法写入磁盘: \(String(cString: strerror(code)))")
        }
        close(fd)
    }
}
