import Foundation

/// A column of texts stored as one UTF-8 byte arena plus end offsets.
///
/// Millions of short Chinese names cost one allocation instead of millions,
/// bind to SQLite without copying, and compare byte-wise (SPEC §2: ids sort
/// by their UTF-8 bytes).
public struct TextColumn: Sendable, Equatable {
    public private(set) var bytes: [UInt8] = []
    /// `ends[i]` is one past the last byte of text i.
    public private(set) var ends: [Int] = []

    public init() {}

    /// A column over an existing arena (`ends` must be ascending and end at `bytes.count`).
    init(bytes: [UInt8], ends: [Int]) {
        self.bytes = bytes
        self.ends = ends
    }

    public init<S: Sequence>(_ texts: S) where S.Element == String {
        for text in texts { append(text) }
    }

    public var count: Int { ends.count }
    public var isEmpty: Bool { ends.isEmpty }

    public mutating func reserve(texts: Int, bytes byteCount: Int) {
        ends.reserveCapacity(texts)
        bytes.reserveCapacity(byteCount)
    }

    public mutating func append(_ text: String) {
        var text = text
        text.withUTF8 { bytes.append(contentsOf: $0) }
        ends.append(bytes.count)
    }

    public mutating func append(bytes raw: UnsafeBufferPointer<UInt8>) {
        bytes.append(contentsOf: raw)
        ends.append(bytes.count)
    }

    /// Appends every text of `other`, in order.
    /// - Complexity: O(other's texts + bytes).
    public mutating func append(contentsOf other: TextColumn) {
        let offset = bytes.count
        bytes += other.bytes
        // One copy of the ends, then a pass that shifts them: joining the
        // pieces of a 5 M-row file this way costs no per-element append.
        let first = ends.count
        ends += other.ends
        guard offset > 0 else { return }
        ends.withUnsafeMutableBufferPointer { e in
            for i in first..<e.count { e[i] += offset }
        }
    }

    /// Drops the last text.
    public mutating func removeLast() {
        ends.removeLast()
        bytes.removeSubrange((ends.last ?? 0)...)
    }

    @inline(__always)
    public func range(_ i: Int) -> Range<Int> {
        (i == 0 ? 0 : ends[i - 1])..<ends[i]
    }

    public func isEmpty(at i: Int) -> Bool { range(i).isEmpty }

    public subscript(i: Int) -> String {
        let r = range(i)
        return bytes.withUnsafeBufferPointer { String(decoding: UnsafeBufferPointer(rebasing: $0[r]), as: UTF8.self) }
    }

    /// Calls `body` with the raw UTF-8 bytes of text i.
    @inline(__always)
    public func withBytes<R>(_ i: Int, _ body: (UnsafeBufferPointer<UInt8>) throws -> R) rethrows -> R {
        let r = range(i)
        return try bytes.withUnsafeBufferPointer { try body(UnsafeBufferPointer(rebasing: $0[r])) }
    }

    /// Whether text i is exactly `other`.
    @inline(__always)
    func equals(_ i: Int, _ other: UnsafeBufferPointer<UInt8>) -> Bool {
        withBytes(i) { sameBytes($0, other) }
    }

    /// Byte-wise comparison of texts i and j (memcmp order).
    public func precedes(_ i: Int, _ j: Int) -> Bool {
        let a = range(i)
        let b = range(j)
        return bytes.withUnsafeBufferPointer { base in
            let n = min(a.count, b.count)
            if n > 0 {
                let c = memcmp(base.baseAddress! + a.lowerBound, base.baseAddress! + b.lowerBound, n)
                if c != 0 { return c < 0 }
            }
            return a.count < b.count
        }
    }

    /// A new column holding texts in the order of `order`.
    /// - Complexity: O(n + bytes), two allocations.
    public func permuted(by order: [Int32]) -> TextColumn {
        var newEnds = [Int](repeating: 0, count: order.count)
        var total = 0
        ends.withUnsafeBufferPointer { e in
            for (k, i) in order.enumerated() {
                let i = Int(i)
                total += e[i] - (i == 0 ? 0 : e[i - 1])
                newEnds[k] = total
            }
        }
        let newBytes = [UInt8](unsafeUninitializedCapacity: total) { out, initialized in
            bytes.withUnsafeBufferPointer { base in
                ends.withUnsafeBufferPointer { e in
                    var at = 0
                    for i in order {
                        let i = Int(i)
                        let lo = i == 0 ? 0 : e[i - 1]
                        let n = e[i] - lo
                        if n > 0 { (out.baseAddress! + at).initialize(from: base.baseAddress! + lo, count: n) }
                        at += n
                    }
                }
            }
            initialized = total
        }
        return TextColumn(bytes: newBytes, ends: newEnds)
    }
}

/// Whether two byte strings are equal.
@inline(__always)
func sameBytes(_ a: UnsafeBufferPointer<UInt8>, _ b: UnsafeBufferPointer<UInt8>) -> Bool {
    let n = a.count
    guard n == b.count else { return false }
    guard n > 0, let p = a.baseAddress, let q = b.baseAddress else { return true }
    // Ids are 8 to 16 bytes: two overlapping words each, without calling
    // memcmp (10 M id lookups in a 1M-post import).
    if n >= 8 && n <= 16 {
        let r = UnsafeRawPointer(p), s = UnsafeRawPointer(q)
        return r.loadUnaligned(as: UInt64.self) == s.loadUnaligned(as: UInt64.self)
            && r.loadUnaligned(fromByteOffset: n - 8, as: UInt64.self) == s.loadUnaligned(fromByteOffset: n - 8, as: UInt64.self)
    }
    return memcmp(p, q, n) == 0
}

/// Byte-wise (UTF-8) ordering of Swift strings, as SPEC §2 sorts ids.
@inline(__always)
public func utf8Precedes(_ a: String, _ b: String) -> Bool {
    var a = a
    var b = b
    return a.withUTF8 { pa in
        b.withUTF8 { pb in
            let n = min(pa.count, pb.count)
            if n > 0 {
                let c = memcmp(pa.baseAddress!, pb.baseAddress!, n)
                if c != 0 { return c < 0 }
            }
            return pa.count < pb.count
        }
    }
}
