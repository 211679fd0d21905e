/// Hash index from the texts of a `TextColumn` to their rows, probed with
/// raw bytes so that millions of reference lookups create no `String`.
struct IdIndex: Sendable {
    private var slots = [Int32](repeating: -1, count: 1024)
    private(set) var count = 0

    @inline(__always)
    static func hash(_ b: UnsafeBufferPointer<UInt8>) -> Int {
        var h: UInt64 = 0xcbf2_9ce4_8422_2325
        for byte in b {
            h ^= UInt64(byte)
            h = h &* 0x100_0000_01b3
        }
        return Int(truncatingIfNeeded: h ^ (h >> 29))
    }

    /// The row of `column` whose text equals `bytes`.
    func find(_ bytes: UnsafeBufferPointer<UInt8>, in column: TextColumn) -> Int32? {
        let mask = slots.count - 1
        var s = Self.hash(bytes) & mask
        while true {
            let row = slots[s]
            if row < 0 { return nil }
            if column.withBytes(Int(row), { $0.elementsEqual(bytes) }) { return row }
            s = (s + 1) & mask
        }
    }

    /// Adds `row` (already appended to `column`).
    /// - Returns: the earlier row with the same text, if any (then nothing is added).
    mutating func insert(row: Int32, in column: TextColumn) -> Int32? {
        if (count + 1) * 2 > slots.count { grow(column) }
        let mask = slots.count - 1
        return column.withBytes(Int(row)) { bytes -> Int32? in
            var s = Self.hash(bytes) & mask
            while true {
                let other = slots[s]
                if other < 0 {
                    slots[s] = row
                    count += 1
                    return nil
                }
                if column.withBytes(Int(other), { $0.elementsEqual(bytes) }) { return other }
                s = (s + 1) & mask
            }
        }
    }

    private mutating func grow(_ column: TextColumn) {
        var bigger = [Int32](repeating: -1, count: slots.count * 4)
        let mask = bigger.count - 1
        for row in slots where row >= 0 {
            var s = column.withBytes(Int(row)) { Self.hash($0) } & mask
            while bigger[s] >= 0 { s = (s + 1) & mask }
            bigger[s] = row
        }
        slots = bigger
    }
}

/// Resolves dictionary-encoded kinds: whether each distinct byte string is
/// one of `allowed`, decided once per distinct value.
struct KindChecker {
    private var interner = ByteInterner()
    private var known: [Bool] = []
    let allowed: Set<String>

    /// Distinct values remembered at most. A file can hold any number of
    /// distinct wrong values (free text in a column named as the kind), and
    /// the interner's codes are 16-bit: past this, values are checked one
    /// by one instead of trapping.
    static let rememberedValues = 4096

    init(_ allowed: Set<String>) { self.allowed = allowed }

    mutating func isKnown(_ bytes: UnsafeBufferPointer<UInt8>) -> Bool {
        if known.count >= Self.rememberedValues {
            return allowed.contains(String(decoding: bytes, as: UTF8.self))
        }
        let code = Int(interner.code(for: bytes) { known.count })
        if code == known.count { known.append(allowed.contains(String(decoding: bytes, as: UTF8.self))) }
        return known[code]
    }
}
