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

    /// Appends an existing code of this column (for reordering).
    mutating func appendCode(_ code: UInt16) { codes.append(code) }

    /// Byte-wise order of the values of rows i and j.
    public func precedes(_ i: Int, _ j: Int) -> Bool {
        let a = codes[i]
        let b = codes[j]
        return a != b && utf8Precedes(values[Int(a)], values[Int(b)])
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
    private var keys: [[UInt8]] = []
    private var slots = [Int32](repeating: -1, count: 64)

    @inline(__always)
    private static func hash(_ b: UnsafeBufferPointer<UInt8>) -> UInt64 {
        var h: UInt64 = 0xcbf2_9ce4_8422_2325
        for byte in b {
            h ^= UInt64(byte)
            h = h &* 0x100_0000_01b3
        }
        return h
    }

    /// The code of `bytes`, assigning `next()` to a new key.
    mutating func code(for bytes: UnsafeBufferPointer<UInt8>, next: () -> Int) -> UInt16 {
        if keys.count * 2 >= slots.count { grow() }
        let mask = slots.count - 1
        var s = Int(truncatingIfNeeded: Self.hash(bytes)) & mask
        while true {
            let k = slots[s]
            if k < 0 {
                let code = next()
                precondition(code < 65_536, "too many distinct values")
                slots[s] = Int32(keys.count)
                keys.append(Array(bytes))
                return UInt16(code)
            }
            if keys[Int(k)].elementsEqual(bytes) { return UInt16(k) }
            s = (s + 1) & mask
        }
    }

    private mutating func grow() {
        var bigger = [Int32](repeating: -1, count: slots.count * 2)
        let mask = bigger.count - 1
        for (k, key) in keys.enumerated() {
            var s = key.withUnsafeBufferPointer { Int(truncatingIfNeeded: Self.hash($0)) } & mask
            while bigger[s] >= 0 { s = (s + 1) & mask }
            bigger[s] = Int32(k)
        }
        slots = bigger
    }
}
