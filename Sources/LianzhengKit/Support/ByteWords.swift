/// Eight bytes at a time ("SIMD within a register"): the text loops that
/// look for a few special bytes among millions of ordinary ones (the CSV
/// scanner, the JSON and CSV writers) test a whole word per step.
///
/// Each function sets the high bit of every byte of `v` that matches.
/// Bytes after the first match (in memory order, which is the low end of a
/// little-endian load) may be flagged wrongly through a borrow, so only the
/// lowest flag is meaningful: `firstFlagged` turns it into an offset.
enum ByteWords {
    static let ones: UInt64 = 0x0101_0101_0101_0101
    static let highBits: UInt64 = 0x8080_8080_8080_8080

    /// `byte` in all eight lanes.
    @inline(__always)
    static func repeating(_ byte: UInt8) -> UInt64 { ones &* UInt64(byte) }

    /// Zero bytes.
    @inline(__always)
    static func zeroBytes(_ v: UInt64) -> UInt64 { (v &- ones) & ~v & highBits }

    /// Bytes equal to `byte`.
    @inline(__always)
    static func equal(_ v: UInt64, _ byte: UInt8) -> UInt64 { zeroBytes(v ^ repeating(byte)) }

    /// Bytes below `bound` (at most 0x80).
    @inline(__always)
    static func below(_ v: UInt64, _ bound: UInt8) -> UInt64 { (v &- repeating(bound)) & ~v & highBits }

    /// Offset in the word of the first flagged byte (8 when none is).
    @inline(__always)
    static func firstFlagged(_ flags: UInt64) -> Int { flags.trailingZeroBitCount >> 3 }

    /// The word of `b` starting at offset `i` (which must leave 8 bytes).
    @inline(__always)
    static func load(_ b: UnsafeBufferPointer<UInt8>, _ i: Int) -> UInt64 {
        UnsafeRawPointer(b.baseAddress! + i).loadUnaligned(as: UInt64.self)
    }
}
