/// A dictionary-encoded text column: each row holds a small code into the
/// list of distinct values (kinds repeat millions of times, so they are
/// interned once and resolved against a scheme once per distinct value).
public struct DictionaryColumn: Sendable, Equatable {
    /// Distinct values, in first-seen order.
    public private(set) var values: [String] = []
    public private(set) var codes: [UInt16] = []
    private var interner = ByteInterner()

    public init() {}

    /// A column from its distinct values and codes (values must be distinct).
    init(values: [String], codes: [UInt16]) {
        self.values = values
        self.codes = codes
        for v in values {
            var v = v
            _ = v.withUTF8 { b in interner.code(for: b) { 0 } }
        }
    }

    public var count: Int { codes.count }

    public subscript(i: Int) -> String { values[Int(codes[i])] }

    /// Appends the value with these UTF-8 bytes.
    /// - Precondition: fewer than 65,536 distinct values (kinds are checked
    ///   against the scheme before they get here).
    public mutating func append(bytes: UnsafeBufferPointer<UInt8>) {
        let code = interner.code(for: bytes) { values.count }
        if Int(code) == values.count { values.append(String(decoding: bytes, as: UTF8.self)) }
        codes.append(code)
    }

    public mutating func append(_ text: String) {
        var text = text
        text.withUTF8 { append(bytes: $0) }
    }

    /// Appends every row of `other`. Values new to this column get codes in
    /// `other`'s first-seen order, so the distinct values keep the order a
    /// single front-to-back append of both would give them.
    public mutating func append(contentsOf other: DictionaryColumn) {
        var recode = [UInt16](repeating: 0, count: other.values.count)
        for (k, value) in other.values.enumerated() {
            var value = value
            recode[k] = value.withUTF8 { b in interner.code(for: b) { values.count } }
            if Int(recode[k]) == values.count { values.append(value) }
        }
        codes.reserveCapacity(codes.count + other.codes.count)
        for code in other.codes { codes.append(recode[Int(code)]) }
    }

    /// Appends an existing code of this column (for reordering).
    mutating func appendCode(_ code: UInt16) { codes.append(code) }

    /// Byte-wise order of the values of rows i and j.
    public func precedes(_ i: Int, _ j: Int) -> Bool {
        let a = codes[i]
        let b = codes[j]
        return a != b && utf8Precedes(values[Int(a)], values[Int(b)])
    }

    /// The rank of each value (by code) in byte-wise order: comparing ranks
    /// orders rows as comparing their values does, without string work.
    func valueRanks() -> [Int32] {
        let order = (0..<values.count).sorted { utf8Precedes(values[$0], values[$1]) }
        var rank = [Int32](repeating: 0, count: values.count)
        for (k, code) in order.enumerated() { rank[code] = Int32(k) }
        return rank
    }

    /// A column with rows in the order of `order`, sharing the dictionary.
    public func permuted(by order: [Int32]) -> DictionaryColumn {
        var out = self
        out.codes = order.map { codes[Int($0)] }
        return out
    }

    public static func == (a: Self, b: Self) -> Bool {
        a.count == b.count && (0..<a.count).allSatisfy { a[$0] == b[$0] }
    }
}

/// Open-addressing map from byte strings to dense codes, looked up without
/// creating a `String` per row.
struct ByteInterner: Sendable {
    private var keys = TextColumn()
    private var slots = [Int32](repeating: -1, count: 64)

    /// The code of `bytes`, assigning `next()` to a new key.
    mutating func code(for bytes: UnsafeBufferPointer<UInt8>, next: () -> Int) -> UInt16 {
        if keys.count * 2 >= slots.count { grow() }
        let mask = slots.count - 1
        var s = Int(truncatingIfNeeded: byteHash(bytes)) & mask
        while true {
            let k = slots[s]
            if k < 0 {
                let code = next()
                precondition(code < 65_536, "too many distinct values")
                slots[s] = Int32(keys.count)
                keys.append(bytes: bytes)
                return UInt16(code)
            }
            if keys.equals(Int(k), bytes) { return UInt16(k) }
            s = (s + 1) & mask
        }
    }

    private mutating func grow() {
        var bigger = [Int32](repeating: -1, count: slots.count * 2)
        let mask = bigger.count - 1
        for k in 0..<keys.count {
            var s = keys.withBytes(k) { Int(truncatingIfNeeded: byteHash($0)) } & mask
            while bigger[s] >= 0 { s = (s + 1) & mask }
            bigger[s] = Int32(k)
        }
        slots = bigger
    }
}
