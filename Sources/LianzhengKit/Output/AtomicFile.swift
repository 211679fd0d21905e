import Foundation

#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

// Output files hold personnel data: they are created owner-only (0600, in
// 0700 folders) whatever the umask, and appear whole or not at all.

/// Writes `bytes` to `path` so that readers see the old file or the whole
/// new one, never a partial file.
///
/// The bytes go to a temporary file in the same folder
/// (`.NAME.tmp-PID-RANDOM`), created with O_EXCL and mode 0600 whatever the
/// umask, flushed with fsync and renamed over `path`; the folder is then
/// synced so the rename survives a crash. On any failure the temporary file
/// is removed and `LianzhengError.io` names the step and `strerror`.
public func writeAtomically(_ bytes: [UInt8], to path: String) throws(LianzhengError) {
    let file = try AtomicFileWriter(path: path)
    try bytes.withUnsafeBufferPointer { (buffer) throws(LianzhengError) in try file.write(buffer) }
    try file.commit()
}

/// One file written as `writeAtomically` writes it, piece by piece: under
/// a temporary name (`.NAME.tmp-PID-RANDOM`, O_EXCL, mode 0600), flushed
/// to the disk by `flush()` and renamed over `path` by `publish()` (both:
/// `commit()`). A writer dropped before `publish()`, or whose step failed,
/// removes its temporary file. Used by one thread at a time.
final class AtomicFileWriter: @unchecked Sendable {
    private let path: String
    private let directory: String
    private let temporary: String
    private var fd: Int32
    /// Bytes written whose writeback has not been started (`startWriteback`).
    private var unflushed = 0
    /// Whether the temporary file is there to be renamed or removed.
    private var temporaryExists = true

    init(path: String) throws(LianzhengError) {
        self.path = path
        let (directory, name) = splitPath(path)
        self.directory = directory
        temporary = directory + "/." + name + ".tmp-\(getpid())-" + randomHex()
        fd = open(temporary, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0o600)
        guard fd >= 0 else { throw ioError(errno, "无法创建临时文件 \(temporary)") }
        do throws(LianzhengError) {
            try setOwnerOnlyMode(fd, temporary)
        } catch {
            abandon()
            throw error
        }
    }

    deinit { abandon() }

    func write(_ piece: UnsafeBufferPointer<UInt8>) throws(LianzhengError) {
        do throws(LianzhengError) {
            try writeAll(piece, to: fd, temporary)
            unflushed += piece.count
        } catch {
            abandon()
            throw error
        }
    }

    /// Starts writing what was written so far to the disk, without waiting,
    /// once `threshold` bytes have gathered: a file written while its later
    /// parts are still rendered then finds little left to do at `commit()`.
    func startWriteback(every threshold: Int) {
        guard unflushed >= threshold, fd >= 0 else { return }
        // On Linux POSIX_FADV_DONTNEED starts asynchronous writeback of the
        // dirty pages (and drops the clean ones, which nobody reads again).
        _ = posix_fadvise(fd, 0, 0, POSIX_FADV_DONTNEED)
        unflushed = 0
    }

    /// `flush()`, then `publish()`.
    func commit() throws(LianzhengError) {
        try flush()
        try publish()
    }

    /// Flushes the file to the disk and closes it, still under its
    /// temporary name.
    func flush() throws(LianzhengError) {
        guard fsync(fd) == 0 else {
            let failure = ioError(errno, "无法写入 \(temporary)")
            abandon()
            throw failure
        }
        let closed = close(fd)
        fd = -1
        guard closed == 0 else {
            let failure = ioError(errno, "无法写入 \(temporary)")
            abandon()
            throw failure
        }
    }

    /// Renames the flushed file into place; the folder is then synced so
    /// the rename survives a crash (unless `syncingFolder` is false: the
    /// caller syncs it once after several).
    func publish(syncingFolder: Bool = true) throws(LianzhengError) {
        precondition(fd < 0 && temporaryExists, "publish() before flush(), after a failure, or twice")
        guard rename(temporary, path) == 0 else {
            let failure = ioError(errno, "无法将 \(temporary) 改名为 \(path)")
            abandon()
            throw failure
        }
        temporaryExists = false
        if syncingFolder { syncDirectory(directory) }
    }

    /// Closes and removes the temporary file (once).
    private func abandon() {
        if fd >= 0 {
            close(fd)
            fd = -1
        }
        if temporaryExists {
            unlink(temporary)
            temporaryExists = false
        }
    }
}

/// Creates the folder `path` and any missing parents with mode 0700,
/// whatever the umask; folders that already exist are left as they are.
///
/// Throws `LianzhengError.io` when a folder cannot be created or a part of
/// the path exists but is not a folder.
/// - Returns: the folders it created, outermost first.
@discardableResult
public func makeDirectory(_ path: String) throws(LianzhengError) -> [String] {
    guard !path.isEmpty else { throw LianzhengError.io("目录名为空") }
    var created: [String] = []
    for prefix in directoryPrefixes(path) {
        if mkdir(prefix, 0o700) == 0 {
            created.append(prefix)
            guard chmod(prefix, 0o700) == 0 else { throw ioError(errno, "无法设置目录权限 \(prefix)") }
            continue
        }
        let mkdirErrno = errno
        guard mkdirErrno == EEXIST else { throw ioError(mkdirErrno, "无法创建目录 \(prefix)") }
        guard isDirectory(prefix) else { throw ioError(ENOTDIR, "无法创建目录 \(prefix)") }
    }
    return created
}

/// Runs `body` holding an exclusive lock on the folder `path` (`flock` on
/// the folder itself: no lock file appears among the outputs), so that two
/// processes writing the same output folder take turns instead of
/// interleaving their files. The lock goes with the process, even on SIGKILL.
public func withFolderLock<R>(_ path: String, _ body: () throws(LianzhengError) -> R) throws(LianzhengError) -> R {
    let fd = open(path, O_RDONLY | O_DIRECTORY | O_CLOEXEC)
    guard fd >= 0 else { throw ioError(errno, "无法打开目录 \(path)") }
    defer { close(fd) }
    while flock(fd, LOCK_EX) != 0 {
        guard errno == EINTR else { throw ioError(errno, "无法锁定目录 \(path)") }
    }
    return try body()
}

/// Removes what an interrupted `writeAtomically` of `names` left in
/// `directory` (`.NAME.tmp-…`). Call it holding the folder lock, so that no
/// live writer's temporary file is taken.
public func removeTemporaryFiles(of names: [String], in directory: String) {
    guard let entries = try? FileManager.default.contentsOfDirectory(atPath: directory) else { return }
    let prefixes = names.map { "." + $0 + ".tmp-" }
    for entry in entries where prefixes.contains(where: { entry.hasPrefix($0) }) {
        unlink(directory + "/" + entry)
    }
}

/// Removes `path` if it exists.
/// - Throws: `LianzhengError.io` when it exists and cannot be removed.
public func removeFileIfPresent(_ path: String) throws(LianzhengError) {
    guard unlink(path) == 0 || errno == ENOENT else { throw ioError(errno, "无法删除 \(path)") }
}

// MARK: - Steps

/// Sets mode 0600 on the open file, undoing whatever the umask removed or kept.
private func setOwnerOnlyMode(_ fd: Int32, _ path: String) throws(LianzhengError) {
    guard fchmod(fd, 0o600) == 0 else { throw ioError(errno, "无法设置文件权限 \(path)") }
}

/// Writes every byte, resuming after partial writes and EINTR.
private func writeAll(_ buffer: UnsafeBufferPointer<UInt8>, to fd: Int32, _ path: String) throws(LianzhengError) {
    var offset = 0
    while offset < buffer.count {
        let written = write(fd, buffer.baseAddress! + offset, buffer.count - offset)
        if written < 0 {
            if errno == EINTR { continue }
            throw ioError(errno, "无法写入 \(path)")
        }
        offset += written
    }
}

/// Best-effort fsync of a folder, so a completed rename is durable.
func syncDirectory(_ directory: String) {
    let fd = open(directory, O_RDONLY | O_DIRECTORY | O_CLOEXEC)
    guard fd >= 0 else { return }
    _ = fsync(fd)
    close(fd)
}

// MARK: - Paths and errors

/// The folder (`.` when none) and the last component of a file path.
func splitPath(_ path: String) -> (directory: String, name: String) {
    guard let slash = path.lastIndex(of: "/") else { return (".", path) }
    let directory = path[..<slash]
    return (directory.isEmpty ? "/" : String(directory), String(path[path.index(after: slash)...]))
}

/// Every ancestor path of `path`, then `path` itself: "a/b/c" → a, a/b, a/b/c.
private func directoryPrefixes(_ path: String) -> [String] {
    var prefixes: [String] = []
    var current = path.hasPrefix("/") ? "/" : ""
    for component in path.split(separator: "/", omittingEmptySubsequences: true) {
        if !current.isEmpty && !current.hasSuffix("/") { current += "/" }
        current += component
        prefixes.append(current)
    }
    return prefixes
}

/// Whether `path` names a folder (following symbolic links).
private func isDirectory(_ path: String) -> Bool {
    var info = stat()
    return stat(path, &info) == 0 && (info.st_mode & S_IFMT) == S_IFDIR
}

/// 16 random hex digits for a temporary name.
func randomHex() -> String {
    let hex = String(UInt64.random(in: .min ... .max), radix: 16)
    return String(repeating: "0", count: 16 - hex.count) + hex
}

/// `LianzhengError.io("<what>: <strerror(code)>")`.
///
/// `code` comes first so that `errno` is read before the message is built
/// (arguments are evaluated left to right; an allocation may change errno).
private func ioError(_ code: Int32, _ what: String) -> LianzhengError {
    LianzhengError.io("\(what): \(String(cString: strerror(code)))")
}
