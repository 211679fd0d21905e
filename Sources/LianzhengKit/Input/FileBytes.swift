import Foundation

#if canImport(Glibc)
    import Glibc
#endif

/// The bytes of an input file, memory-mapped so that a 400 MB export costs
/// page cache rather than heap.
public final class MappedFile {
    public let path: String
    private let base: UnsafeMutableRawPointer?
    public let count: Int

    /// Maps `path` read-only.
    /// - Throws: `.missingInput` if it does not exist, `.io` if it cannot be read.
    public init(path: String) throws(LianzhengError) {
        self.path = path
        let fd = open(path, O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else {
            let code = errno
            if code == ENOENT { throw .missingInput("\(path): 文件不存在") }
            throw .io("\(path): \(String(cString: strerror(code)))")
        }
        defer { close(fd) }
        var info = stat()
        guard fstat(fd, &info) == 0 else { throw .io("\(path): \(String(cString: strerror(errno)))") }
        guard (info.st_mode & S_IFMT) == S_IFREG else { throw .io("\(path): 不是普通文件") }
        count = Int(info.st_size)
        if count == 0 {
            base = nil
            return
        }
        let mapped = mmap(nil, count, PROT_READ, MAP_PRIVATE, fd, 0)
        guard let mapped, mapped != MAP_FAILED else { throw .io("\(path): \(String(cString: strerror(errno)))") }
        madvise(mapped, count, MADV_SEQUENTIAL)
        base = mapped
    }

    deinit {
        if let base { munmap(base, count) }
    }

    /// Gives the pages holding bytes `range` back to the system (they stay
    /// in the page cache, and reading them again faults them back in): a
    /// file read piece by piece then does not stay resident as a whole.
    func releasePages(_ range: Range<Int>) {
        guard let base, !range.isEmpty else { return }
        let page = Int(sysconf(Int32(_SC_PAGESIZE)))
        let lower = range.lowerBound / page * page
        let upper = min(count, range.upperBound)
        guard upper > lower else { return }
        madvise(base + lower, upper - lower, MADV_DONTNEED)
    }

    public func withBytes<R>(_ body: (UnsafeBufferPointer<UInt8>) throws -> R) rethrows -> R {
        guard let base else { return try body(UnsafeBufferPointer(start: nil, count: 0)) }
        return try body(UnsafeBufferPointer(start: base.assumingMemoryBound(to: UInt8.self), count: count))
    }
}
