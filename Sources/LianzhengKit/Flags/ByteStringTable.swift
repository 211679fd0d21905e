import Foundation

/// Dense codes for the distinct texts of one `TextColumn`, found without
/// creating a `String` per row: a key is the byte range of the first row
/// that held the text, inside the column's own arena.
///
/// Used per chunk of posts by the flag pass (categories, self levels), where
/// millions of rows repeat a handful of texts.
struct ByteStringTable {
    /// Byte range (in the arena) of each distinct text, by code.
    private(set) var keys: [Range<Int>] = []
    private var slots = [Int32](repeating: -1, count: 32)

    /// The code of the text at `range` of `arena`, assigning the next code
    /// to a text not seen before.
    /// - Complexity: O(length of the text), amortised.
    @inline(__always)
    mutating func code(of range: Range<Int>, in arena: UnsafeBufferPointer<UInt8>) -> Int32 {
        if keys.count * 2 >= slots.count { grow(arena) }
        let mask = slots.count - 1
        var s = Int(truncatingIfNeeded: Self.hash(range, arena)) & mask
        while true {
            let k = slots[s]
            if k < 0 {
                slots[s] = Int32(keys.count)
                keys.append(range)
                return Int32(keys.count - 1)
            }
            if Self.equal(keys[Int(k)], range, arena) { return k }
            s = (s + 1) & mask
        }
    }

    /// The text of code `k`.
    func text(_ k: Int, in arena: UnsafeBufferPointer<UInt8>) -> String {
        String(decoding: UnsafeBufferPointer(rebasing: arena[keys[k]]), as: UTF8.self)
    }

    @inline(__always)
    private static func equal(_ a: Range<Int>, _ b: Range<Int>, _ arena: UnsafeBufferPointer<UInt8>) -> Bool {
        guard a.count == b.count else { return false }
        if a.isEmpty || a.lowerBound == b.lowerBound { return true }
        if a.count <= 8 { return word(arena, a.lowerBound, a.count) == word(arena, b.lowerBound, b.count) }
        let base = arena.baseAddress!
        return memcmp(base + a.lowerBound, base + b.lowerBound, a.count) == 0
    }

    /// A multiply-xorshift hash over 8-byte words (texts are short).
    @inline(__always)
    private static func hash(_ r: Range<Int>, _ arena: UnsafeBufferPointer<UInt8>) -> UInt64 {
        var h: UInt64 = 0x9E37_79B9_7F4A_7C15 ^ UInt64(r.count)
        guard !r.isEmpty, let base = arena.baseAddress else { return h }
        let raw = UnsafeRawPointer(base)
        var i = r.lowerBound
        while i + 8 <= r.upperBound {
            h = (h ^ raw.loadUnaligned(fromByteOffset: i, as: UInt64.self)) &* 0xBF58_476D_1CE4_E5B9
            h ^= h >> 29
            i += 8
        }
        h = (h ^ word(arena, i, r.upperBound - i)) &* 0x94D0_49BB_1331_11EB
        return h ^ (h >> 31)
    }

    /// The `count` (≤ 8) bytes at `offset` as a little-endian word, zero
    /// above them: one unaligned load when 8 bytes are readable there.
    @inline(__always)
    private static func word(_ arena: UnsafeBufferPointer<UInt8>, _ offset: Int, _ count: Int) -> UInt64 {
        guard count > 0, let base = arena.baseAddress else { return 0 }
        let raw = UnsafeRawPointer(base)
        if offset + 8 <= arena.count {
            let w = UInt64(littleEndian: raw.loadUnaligned(fromByteOffset: offset, as: UInt64.self))
            return count == 8 ? w : w & ((1 << UInt64(8 * count)) - 1)
        }
        var w: UInt64 = 0
        for k in 0..<count { w |= UInt64(base[offset + k]) << UInt64(8 * k) }
        return w
    }

    private mutating func grow(_ arena: UnsafeBufferPointer<UInt8>) {
        var bigger = [Int32](repeating: -1, count: slots.count * 2)
        let mask = bigger.count - 1
        for (k, key) in keys.enumerated() {
            var s = Int(truncatingIfNeeded: Self.hash(key, arena)) & mask
            while bigger[s] >= 0 { s = (s + 1) & mask }
            bigger[s] = Int32(k)
        }
        slots = bigger
    }
}

extension TextColumn {
    /// Byte range of text i given the `ends` buffer (no array access overhead).
    @inline(__always)
    static func range(_ i: Int, ends: UnsafeBufferPointer<Int>) -> Range<Int> {
        (i == 0 ? 0 : ends[i - 1])..<ends[i]
    }
}
