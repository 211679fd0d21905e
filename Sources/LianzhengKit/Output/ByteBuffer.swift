#if canImport(Glibc)
    import Glibc
#endif

/// A growable run of output bytes for the writers that build files of
/// hundreds of megabytes (scorecards.json): appends are a bounds check and
/// a store, without the copy-on-write uniqueness test an `Array` makes on
/// every append.
///
/// A finished buffer is itself a chunk of an output file (`OutputFile`):
/// its bytes are hashed and written where they are, never copied into an
/// `Array`. Large buffers ask the kernel for huge pages (`HugePages`):
/// touching 512 MB of fresh memory took 0.11–0.22 s with them and
/// 0.33–0.39 s without, on the benchmark machine.
///
/// A reference type: a writer holding one must not be copied and used
/// twice (the writers are `var`s written in one place, then read). Once
/// finished, a buffer is only read, which is why it may cross threads.
final class ByteBuffer: @unchecked Sendable {
    private var base: UnsafeMutablePointer<UInt8>
    private(set) var capacity: Int
    /// Bytes written so far.
    private(set) var count = 0

    init(capacity: Int = 4096) {
        self.capacity = max(capacity, 64)
        base = Self.allocate(self.capacity)
    }

    /// A buffer holding `bytes`.
    convenience init(copying bytes: [UInt8]) {
        self.init(capacity: bytes.count)
        bytes.withUnsafeBufferPointer { append($0) }
    }

    deinit { free(base) }

    /// The bytes written, copied into an array.
    var array: [UInt8] { Array(bytesWritten) }

    /// The bytes written, in place (valid while the buffer lives and is not
    /// appended to).
    var bytesWritten: UnsafeBufferPointer<UInt8> { UnsafeBufferPointer(start: base, count: count) }

    /// Makes room for `total` bytes in all.
    func reserve(_ total: Int) {
        if total > capacity { grow(to: total) }
    }

    /// Forgets what was written (the capacity stays).
    func removeAll() { count = 0 }

    @inline(__always)
    func append(_ byte: UInt8) {
        if count == capacity { grow(to: count + 1) }
        base[count] = byte
        count += 1
    }

    /// Appends `bytes`. Most appends are short (an id, a number, a name):
    /// up to 32 bytes are copied inline, as overlapping 8-byte words or
    /// byte by byte, which costs less than a call to `memcpy`.
    @inline(__always)
    func append(_ bytes: UnsafeBufferPointer<UInt8>) {
        guard let source = bytes.baseAddress, bytes.count > 0 else { return }
        let n = bytes.count
        if count + n > capacity { grow(to: count + n) }
        let destination = UnsafeMutableRawPointer(base + count)
        if n >= 8 && n <= 16 {
            let head = UnsafeRawPointer(source).loadUnaligned(as: UInt64.self)
            let tail = UnsafeRawPointer(source + (n - 8)).loadUnaligned(as: UInt64.self)
            destination.storeBytes(of: head, as: UInt64.self)
            destination.storeBytes(of: tail, toByteOffset: n - 8, as: UInt64.self)
        } else if n < 8 {
            for i in 0..<n { (base + count)[i] = source[i] }
        } else if n <= 32 {
            // Member names such as "deductions_before_cap": four words,
            // the last two overlapping the first two.
            let s = UnsafeRawPointer(source)
            let w0 = s.loadUnaligned(as: UInt64.self)
            let w1 = s.loadUnaligned(fromByteOffset: 8, as: UInt64.self)
            let w2 = s.loadUnaligned(fromByteOffset: n - 16, as: UInt64.self)
            let w3 = s.loadUnaligned(fromByteOffset: n - 8, as: UInt64.self)
            destination.storeBytes(of: w0, as: UInt64.self)
            destination.storeBytes(of: w1, toByteOffset: 8, as: UInt64.self)
            destination.storeBytes(of: w2, toByteOffset: n - 16, as: UInt64.self)
            destination.storeBytes(of: w3, toByteOffset: n - 8, as: UInt64.self)
        } else {
            memcpy(destination, source, n)
        }
        count += n
    }

    /// Lets `write` put up to `maxBytes` bytes at the end (a date, say),
    /// and keeps as many as it says it wrote.
    @inline(__always)
    func append(upTo maxBytes: Int, _ write: (UnsafeMutablePointer<UInt8>) -> Int) {
        if count + maxBytes > capacity { grow(to: count + maxBytes) }
        let n = write(base + count)
        precondition(n >= 0 && n <= maxBytes, "wrote more than it had room for")
        count += n
    }

    @inline(__always)
    func append(_ text: StaticString) {
        append(UnsafeBufferPointer(start: text.utf8Start, count: text.utf8CodeUnitCount))
    }

    /// Doubles the capacity until `needed` bytes fit.
    private func grow(to needed: Int) {
        var newCapacity = capacity * 2
        while newCapacity < needed { newCapacity *= 2 }
        let newBase = Self.allocate(newCapacity)
        newBase.update(from: base, count: count)
        free(base)
        base = newBase
        capacity = newCapacity
    }

    /// Buffers from this size on get huge pages (`HugePages`). A huge page
    /// is resident as soon as one byte of it is written, so a buffer's
    /// unused tail costs up to 2 MiB: the parts of scorecards.json (4 MiB
    /// reserved, 1–3 MiB written, two hundred of them) would hold 300 MB more.
    private static let hugePageThreshold = 16 << 20

    /// `bytes` bytes from malloc, marked for huge pages from
    /// `hugePageThreshold` on.
    private static func allocate(_ bytes: Int) -> UnsafeMutablePointer<UInt8> {
        guard let p = malloc(bytes) else { fatalError("out of memory allocating \(bytes) bytes") }
        if bytes >= hugePageThreshold { HugePages.advise(UnsafeMutableRawBufferPointer(start: p, count: bytes)) }
        return p.assumingMemoryBound(to: UInt8.self)
    }
}
