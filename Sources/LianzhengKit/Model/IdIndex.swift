import Foundation

/// A hash of a short byte string (ids, kinds), eight bytes per step: the
/// byte-at-a-time FNV loop was a measurable part of reading millions of rows.
/// Only ever used for in-memory tables, never stored.
@inline(__always)
func byteHash(_ b: UnsafeBufferPointer<UInt8>) -> UInt64 {
    let n = b.count
    var h: UInt64 = 0x9E37_79B9_7F4A_7C15 ^ UInt64(truncatingIfNeeded: n)
    guard let base = b.baseAddress, n > 0 else { return h }
    var i = 0
    while i + 8 <= n {
        h = (h ^ UnsafeRawPointer(base + i).loadUnaligned(as: UInt64.self)) &* 0xBF58_476D_1CE4_E5B9
        h ^= h >> 29
        i += 8
    }
    if i < n {
        var tail: UInt64 = 0
        var shift: UInt64 = 0
        while i < n {
            tail |= UInt64(base[i]) << shift
            shift += 8
            i += 1
        }
        h = (h ^ tail) &* 0xBF58_476D_1CE4_E5B9
    }
    h ^= h >> 31
    h = h &* 0x94D0_49BB_1331_11EB
    return h ^ (h >> 29)
}

/// Hash index from the texts of a `TextColumn` to their rows, probed with
/// raw bytes so that millions of reference lookups create no `String`.
struct IdIndex: Sendable {
    private var slots = [Int32](repeating: -1, count: 1024)
    private(set) var count = 0

    /// The row of `column` whose text equals `bytes`.
    /// - Complexity: O(1) expected (load factor at most 1/2).
    func find(_ bytes: UnsafeBufferPointer<UInt8>, in column: TextColumn) -> Int32? {
        slots.withUnsafeBufferPointer { slots in
            let mask = slots.count - 1
            var s = Int(truncatingIfNeeded: byteHash(bytes)) & mask
            while true {
                let row = slots[s]
                if row < 0 { return nil }
                if column.equals(Int(row), bytes) { return row }
                s = (s + 1) & mask
            }
        }
    }

    /// Adds `row` (already appended to `column`).
    /// - Returns: the earlier row with the same text, if any (then nothing is added).
    mutating func insert(row: Int32, in column: TextColumn) -> Int32? {
        if (count + 1) * 2 > slots.count { grow(column) }
        let mask = slots.count - 1
        return column.withBytes(Int(row)) { bytes -> Int32? in
            var s = Int(truncatingIfNeeded: byteHash(bytes)) & mask
            while true {
                let other = slots[s]
                if other < 0 {
                    slots[s] = row
                    count += 1
                    return nil
                }
                if column.equals(Int(other), bytes) { return other }
                s = (s + 1) & mask
            }
        }
    }

    /// Makes room for `rows` entries at once (one rehash instead of several).
    mutating func reserve(_ rows: Int, in column: TextColumn) {
        while rows * 2 > slots.count { grow(column) }
    }

    private mutating func grow(_ column: TextColumn) {
        var bigger = [Int32](repeating: -1, count: slots.count * 4)
        let mask = bigger.count - 1
        for row in slots where row >= 0 {
            var s = column.withBytes(Int(row)) { Int(truncatingIfNeeded: byteHash($0)) } & mask
            while bigger[s] >= 0 { s = (s + 1) & mask }
            bigger[s] = row
        }
        slots = bigger
    }
}

/// Resolves dictionary-encoded kinds: whether each distinct byte string is
/// one of `allowed`, decided once per distinct value, and appends accepted
/// ones to a `DictionaryColumn` without hashing their bytes a second time.
struct KindChecker: Sendable {
    private var interner = ByteInterner()
    private var known: [Bool] = []
    /// Code in the column each value was appended under, -1 before its first row.
    private var columnCode: [Int32] = []
    let allowed: Set<String>

    /// Distinct values remembered at most. A file can hold any number of
    /// distinct wrong values (free text in a column named as the kind), and
    /// the interner's codes are 16-bit: past this, values are checked one
    /// by one instead of trapping.
    static let rememberedValues = 4096

    init(_ allowed: Set<String>) { self.allowed = allowed }

    /// A checked value: whether it is allowed, and its slot when remembered.
    struct Checked {
        let isKnown: Bool
        fileprivate let slot: Int
    }

    mutating func check(_ bytes: UnsafeBufferPointer<UInt8>) -> Checked {
        if known.count >= Self.rememberedValues {
            return Checked(isKnown: allowed.contains(String(decoding: bytes, as: UTF8.self)), slot: -1)
        }
        let code = Int(interner.code(for: bytes) { known.count })
        if code == known.count {
            known.append(allowed.contains(String(decoding: bytes, as: UTF8.self)))
            columnCode.append(-1)
        }
        return Checked(isKnown: known[code], slot: code)
    }

    mutating func isKnown(_ bytes: UnsafeBufferPointer<UInt8>) -> Bool { check(bytes).isKnown }

    /// Appends a checked value (whose bytes are `bytes`) to `column`.
    mutating func append(_ checked: Checked, _ bytes: UnsafeBufferPointer<UInt8>, to column: inout DictionaryColumn) {
        guard checked.slot >= 0 else { return column.append(bytes: bytes) }
        let code = columnCode[checked.slot]
        if code >= 0 {
            column.appendCode(UInt16(code))
        } else {
            column.append(bytes: bytes)
            columnCode[checked.slot] = Int32(column.codes.last!)
        }
    }
}

/// A value computed from the text of each distinct byte string, remembered,
/// so that a column holding a few distinct values (types, level names,
/// indicators) makes one `String` per value rather than one per row.
struct TextMemo<Value: Sendable>: Sendable {
    private var interner = ByteInterner()
    private var values: [Value] = []
    private let compute: @Sendable (String) -> Value

    init(_ compute: @escaping @Sendable (String) -> Value) { self.compute = compute }

    mutating func callAsFunction(_ bytes: UnsafeBufferPointer<UInt8>) -> Value {
        if values.count >= KindChecker.rememberedValues { return compute(String(decoding: bytes, as: UTF8.self)) }
        let code = Int(interner.code(for: bytes) { values.count })
        if code == values.count { values.append(compute(String(decoding: bytes, as: UTF8.self))) }
        return values[code]
    }
}
