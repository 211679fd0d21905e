#if canImport(Glibc)
    import Glibc
#endif

/// Huge pages for large buffers about to be filled.
///
/// Filling fresh memory costs one page fault per 4 KiB page; in this VM a
/// fault costs about as much as copying the page, so loading half a
/// gigabyte of columns spent more time in faults than in the copy. With
/// transparent huge pages in `madvise` mode (the Debian default) a 2 MiB
/// page is mapped in one fault. Only the 2 MiB-aligned middle of the
/// buffer is advised: the kernel backs a huge page only where the whole
/// 2 MiB lies inside the mapping, and the ends share pages with other
/// allocations. A hint: where the kernel has no huge pages it is ignored.
enum HugePages {
    static let size = 1 << 21

    /// Advises huge pages for `buffer` if it spans at least two of them.
    /// Call before the first write: pages already touched stay small.
    static func advise(_ buffer: UnsafeMutableRawBufferPointer) {
        guard buffer.count >= 2 * size, let base = buffer.baseAddress else { return }
        let start = (Int(bitPattern: base) + size - 1) & ~(size - 1)
        let end = (Int(bitPattern: base) + buffer.count) & ~(size - 1)
        guard end > start, let aligned = UnsafeMutableRawPointer(bitPattern: start) else { return }
        #if os(Linux)
            _ = madvise(aligned, end - start, 14)  // MADV_HUGEPAGE
        #endif
    }
}
