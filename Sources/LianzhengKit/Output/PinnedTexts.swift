import Foundation

/// Texts copied once into memory that never moves, read as byte pointers.
///
/// For the few texts the writers copy millions of times (level and band
/// names, flag lists, codes): reading one is two loads, with no closure.
/// A column's `withBytes` closure, called once per value, made Swift retain
/// and release the writer's buffer around every call (9 % of a year-end
/// run's CPU), since a closure cannot prove the buffer is held elsewhere.
final class PinnedTexts: @unchecked Sendable {
    private let base: UnsafeMutablePointer<UInt8>
    /// `starts[i]..<starts[i + 1]` are the bytes of text i.
    private let starts: UnsafeMutablePointer<Int>
    let count: Int

    /// The texts of `column`, in order.
    init(_ column: TextColumn) {
        count = column.count
        // Never a zero-byte allocation: malloc(0) may return nil.
        let bytes = UnsafeMutablePointer<UInt8>.allocate(capacity: max(column.bytes.count, 1))
        column.bytes.withUnsafeBufferPointer { b in
            if let source = b.baseAddress { bytes.initialize(from: source, count: b.count) }
        }
        base = bytes
        starts = .allocate(capacity: count + 1)
        starts[0] = 0
        for i in 0..<count { starts[i + 1] = column.ends[i] }
    }

    deinit {
        base.deallocate()
        starts.deallocate()
    }

    /// The bytes of text i, valid while this object lives.
    @inline(__always)
    subscript(i: Int) -> UnsafeBufferPointer<UInt8> {
        precondition(i >= 0 && i < count, "text index out of range")
        return UnsafeBufferPointer(start: base + starts[i], count: starts[i + 1] - starts[i])
    }
}
