/// A streaming JSON writer into bytes: deterministic (members in the order
/// written), fast enough for a million scorecards, and readable — the
/// first two levels are indented, deeper values stay on one line.
public struct JSONWriter {
    public private(set) var bytes: [UInt8] = []
    /// Per open container: whether it already has a member.
    private var hasMember: [Bool] = []
    private let indentDepth = 2

    public init(reservingCapacity n: Int = 0) { bytes.reserveCapacity(n) }

    /// A writer for a run of elements inside containers opened elsewhere
    /// (`openContainers` deep), so that parts of one array can be written in
    /// parallel and joined with `appendFragments`.
    init(fragmentIn openContainers: Int, reservingCapacity n: Int = 0) {
        bytes.reserveCapacity(n)
        hasMember = Array(repeating: true, count: openContainers)
        hasMember[openContainers - 1] = false
    }

    /// Ends the document's current chunk with what was written so far and
    /// adds `fragments` (elements of the innermost open container, written
    /// by `init(fragmentIn:)`) as chunks after it, with the commas between:
    /// a large document is assembled from parts without copying them.
    mutating func appendFragments(_ fragments: [[UInt8]], to document: inout [[UInt8]]) {
        document.append(bytes)
        bytes = []
        for fragment in fragments where !fragment.isEmpty {
            if hasMember[hasMember.count - 1] { document.append([UInt8(ascii: ",")]) }
            document.append(fragment)
            hasMember[hasMember.count - 1] = true
        }
    }

    private mutating func separator() {
        if let last = hasMember.last {
            if last { bytes.append(UInt8(ascii: ",")) }
            hasMember[hasMember.count - 1] = true
            if hasMember.count <= indentDepth {
                bytes.append(UInt8(ascii: "\n"))
                bytes.append(contentsOf: repeatElement(UInt8(ascii: " "), count: 2 * hasMember.count))
            }
        }
    }

    private mutating func open(_ c: UInt8) {
        bytes.append(c)
        hasMember.append(false)
    }

    private mutating func close(_ c: UInt8) {
        let had = hasMember.removeLast()
        if had, hasMember.count < indentDepth {
            bytes.append(UInt8(ascii: "\n"))
            bytes.append(contentsOf: repeatElement(UInt8(ascii: " "), count: 2 * hasMember.count))
        }
        bytes.append(c)
    }

    public mutating func beginObject() { valueSeparator(); open(UInt8(ascii: "{")) }
    public mutating func endObject() { close(UInt8(ascii: "}")) }
    public mutating func beginArray() { valueSeparator(); open(UInt8(ascii: "[")) }
    public mutating func endArray() { close(UInt8(ascii: "]")) }

    /// A member name; the value written next belongs to it.
    public mutating func key(_ k: String) {
        separator()
        appendQuoted(k)
        bytes.append(UInt8(ascii: ":"))
        // the value that follows must not add another separator
        hasMember[hasMember.count - 1] = false
        pendingValue = true
    }

    private var pendingValue = false

    private mutating func valueSeparator() {
        if pendingValue {
            pendingValue = false
            hasMember[hasMember.count - 1] = true
        } else {
            separator()
        }
    }

    public mutating func string(_ s: String) {
        valueSeparator()
        appendQuoted(s)
    }

    public mutating func string(bytes b: UnsafeBufferPointer<UInt8>) {
        valueSeparator()
        appendQuoted(bytes: b)
    }

    /// A number already formatted as JSON (`53.00`, `0.4512`, `12`).
    ///
    /// JSON has no infinity or NaN: a non-finite value formatted as `inf`
    /// or `nan` (extreme scheme values can make a z-score or Hraw infinite)
    /// is written `null`, so that the document stays valid JSON.
    public mutating func number(_ text: String) {
        valueSeparator()
        let utf8 = text.utf8
        let digit = utf8.first == UInt8(ascii: "-") ? utf8.dropFirst().first : utf8.first
        guard let digit, digit >= UInt8(ascii: "0"), digit <= UInt8(ascii: "9") else {
            bytes.append(contentsOf: "null".utf8)
            return
        }
        bytes.append(contentsOf: utf8)
    }

    public mutating func number(_ v: Int) { number(String(v)) }

    public mutating func hundredths(_ v: Int64) {
        valueSeparator()
        appendHundredths(v, to: &bytes)
    }

    /// `x` to 4 decimals; `null` when not finite (see `number`).
    public mutating func fixed4(_ x: Double) {
        valueSeparator()
        guard x.isFinite else {
            bytes.append(contentsOf: "null".utf8)
            return
        }
        appendFixed4(x, to: &bytes)
    }

    public mutating func bool(_ v: Bool) {
        valueSeparator()
        bytes.append(contentsOf: (v ? "true" : "false").utf8)
    }

    public mutating func null() {
        valueSeparator()
        bytes.append(contentsOf: "null".utf8)
    }

    public mutating func field(_ k: String, _ s: String) { key(k); string(s) }
    public mutating func field(_ k: String, number v: Int) { key(k); number(v) }
    public mutating func field(_ k: String, hundredths v: Int64) { key(k); hundredths(v) }
    public mutating func field(_ k: String, bool v: Bool) { key(k); bool(v) }

    private mutating func appendQuoted(_ s: String) {
        var s = s
        s.withUTF8 { appendQuoted(bytes: $0) }
    }

    private mutating func appendQuoted(bytes b: UnsafeBufferPointer<UInt8>) {
        bytes.append(UInt8(ascii: "\""))
        if !b.contains(where: { $0 < 0x20 || $0 == UInt8(ascii: "\"") || $0 == UInt8(ascii: "\\") }) {
            bytes.append(contentsOf: b)
            bytes.append(UInt8(ascii: "\""))
            return
        }
        for c in b {
            switch c {
            case UInt8(ascii: "\""): bytes.append(contentsOf: [0x5C, 0x22])
            case UInt8(ascii: "\\"): bytes.append(contentsOf: [0x5C, 0x5C])
            case 0x0A: bytes.append(contentsOf: [0x5C, UInt8(ascii: "n")])
            case 0x0D: bytes.append(contentsOf: [0x5C, UInt8(ascii: "r")])
            case 0x09: bytes.append(contentsOf: [0x5C, UInt8(ascii: "t")])
            case 0..<0x20:
                let hex = Array("0123456789abcdef".utf8)
                bytes.append(contentsOf: [0x5C, UInt8(ascii: "u"), 0x30, 0x30, hex[Int(c >> 4)], hex[Int(c & 15)]])
            default: bytes.append(c)
            }
        }
        bytes.append(UInt8(ascii: "\""))
    }

    /// Ends the document with a newline.
    public mutating func finish() -> [UInt8] {
        bytes.append(UInt8(ascii: "\n"))
        return bytes
    }
}
