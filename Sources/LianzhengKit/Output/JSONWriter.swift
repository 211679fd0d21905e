/// A streaming JSON writer into bytes: deterministic (members in the order
/// written), fast enough for a million scorecards, and readable — the
/// first two levels are indented, deeper values stay on one line.
///
/// Member names are `StaticString`s written as they are (the program's own
/// ASCII names, never escaped); `key(text:)` takes a name from the data or
/// the scheme and escapes it.
public struct JSONWriter {
    private var out: ByteBuffer
    /// Bit d: whether the container open at depth d (0 = outermost)
    /// already has a member.
    private var hasMember: UInt64 = 0
    /// Containers open.
    private var depth = 0
    /// A member name was just written: its value needs no separator.
    private var pendingValue = false
    private let indentDepth = 2

    public init(reservingCapacity n: Int = 0) { out = ByteBuffer(capacity: max(n, 4096)) }

    /// The bytes written so far.
    public var bytes: [UInt8] { out.array }

    /// The bytes written so far, in the writer's own buffer (not copied):
    /// an output chunk, once nothing more is written.
    var buffer: ByteBuffer { out }

    /// A writer for a run of elements inside containers opened elsewhere
    /// (`openContainers` deep), so that parts of one array can be written in
    /// parallel and joined with `appendFragment`.
    init(fragmentIn openContainers: Int, reservingCapacity n: Int = 1 << 20) {
        self.init(fragmentIn: openContainers, into: ByteBuffer(capacity: n))
    }

    /// `init(fragmentIn:)` writing into `buffer`, which must be empty.
    init(fragmentIn openContainers: Int, into buffer: ByteBuffer) {
        precondition(openContainers >= 1 && openContainers < 64)
        precondition(buffer.count == 0, "a fragment starts in an empty buffer")
        out = buffer
        depth = openContainers
        hasMember = (1 << UInt64(openContainers - 1)) - 1
    }

    /// Hands `emit` what was written so far, then `fragment` (elements of
    /// the innermost open container, written by `init(fragmentIn:)`), with
    /// a comma before it when the container already has members: a large
    /// document is assembled from parts without copying them. An empty
    /// fragment adds nothing.
    mutating func appendFragment(_ fragment: ByteBuffer, emit: (ByteBuffer) -> Void) {
        guard fragment.count > 0 else { return }
        if innermostHasMember { out.append(UInt8(ascii: ",")) }
        hasMember |= innermostBit
        emit(out)
        emit(fragment)
        out = ByteBuffer(capacity: 1 << 12)
    }

    private var innermostBit: UInt64 { 1 << UInt64(depth - 1) }
    private var innermostHasMember: Bool { hasMember & innermostBit != 0 }

    @inline(__always)
    private mutating func separator() {
        guard depth > 0 else { return }
        if innermostHasMember { out.append(UInt8(ascii: ",")) }
        hasMember |= innermostBit
        if depth <= indentDepth { newline(indent: depth) }
    }

    private func newline(indent: Int) {
        out.append(UInt8(ascii: "\n"))
        for _ in 0..<(2 * indent) { out.append(UInt8(ascii: " ")) }
    }

    @inline(__always)
    private mutating func open(_ c: UInt8) {
        precondition(depth < 63, "JSON nested too deeply")
        out.append(c)
        depth += 1
        hasMember &= ~innermostBit
    }

    @inline(__always)
    private mutating func close(_ c: UInt8) {
        let had = innermostHasMember
        depth -= 1
        if had, depth < indentDepth { newline(indent: depth) }
        out.append(c)
    }

    @inline(__always)
    public mutating func beginObject() { valueSeparator(); open(UInt8(ascii: "{")) }
    @inline(__always)
    public mutating func endObject() { close(UInt8(ascii: "}")) }
    @inline(__always)
    public mutating func beginArray() { valueSeparator(); open(UInt8(ascii: "[")) }
    @inline(__always)
    public mutating func endArray() { close(UInt8(ascii: "]")) }

    /// One value whose JSON text `write` puts straight into the buffer: the
    /// separator and indentation before it are the writer's, the value's
    /// own bytes the caller's (it must write exactly one complete value,
    /// with the `appendJSON…` encoders below). For the fixed-shape rows of
    /// scorecards.json, written a million times: going through the writer
    /// value by value kept its bookkeeping on every number.
    @inline(__always)
    mutating func rawValue(_ write: (ByteBuffer) -> Void) {
        valueSeparator()
        write(out)
    }

    /// A member name of the program's own (plain ASCII, nothing to
    /// escape); the value written next belongs to it.
    @inline(__always)
    public mutating func key(_ k: StaticString) {
        separator()
        out.append(UInt8(ascii: "\""))
        out.append(k)
        out.append(StaticString("\":"))
        pendingValue = true
    }

    /// A member name taken from the data or the scheme, escaped.
    public mutating func key(text k: String) {
        separator()
        out.appendJSONString(k)
        out.append(UInt8(ascii: ":"))
        pendingValue = true
    }

    @inline(__always)
    private mutating func valueSeparator() {
        if pendingValue {
            pendingValue = false
        } else {
            separator()
        }
    }

    public mutating func string(_ s: String) {
        valueSeparator()
        out.appendJSONString(s)
    }

    @inline(__always)
    public mutating func string(bytes b: UnsafeBufferPointer<UInt8>) {
        valueSeparator()
        out.appendJSONString(bytes: b)
    }

    /// Text i of `column` as a JSON string.
    @inline(__always)
    mutating func string(_ column: StringColumn, _ i: Int) {
        valueSeparator()
        out.appendJSONString(column, i)
    }

    /// A column of texts written as JSON strings millions of times: post
    /// and unit ids, level and band names, flag lists and codes. Pinned, so
    /// that reading one retains nothing. Such texts almost never hold a
    /// character JSON escapes; when no text of the column does (checked
    /// once, over the whole arena), each is copied between quotes without
    /// being scanned, and otherwise escaped as it is written.
    struct StringColumn: Sendable {
        let texts: PinnedTexts
        let escapeFree: Bool

        init(_ texts: some Sequence<String>) { self.init(TextColumn(texts)) }

        init(_ column: TextColumn) {
            texts = PinnedTexts(column)
            escapeFree = column.bytes.withUnsafeBufferPointer { JSONWriter.nextEscaped(in: $0, from: 0) == nil }
        }
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
            out.append("null")
            return
        }
        var text = text
        text.withUTF8 { out.append($0) }
    }

    @inline(__always)
    public mutating func number(_ v: Int) {
        valueSeparator()
        out.appendJSONInteger(v)
    }

    @inline(__always)
    public mutating func hundredths(_ v: Int64) {
        valueSeparator()
        out.appendHundredths(v)
    }

    /// `x` to 4 decimals; `null` when not finite (see `number`).
    @inline(__always)
    public mutating func fixed4(_ x: Double) {
        valueSeparator()
        out.appendJSONFixed4(x)
    }

    @inline(__always)
    public mutating func bool(_ v: Bool) {
        valueSeparator()
        out.append(v ? "true" : "false")
    }

    @inline(__always)
    public mutating func null() {
        valueSeparator()
        out.append("null")
    }

    public mutating func field(_ k: StaticString, _ s: String) { key(k); string(s) }
    @inline(__always)
    public mutating func field(_ k: StaticString, number v: Int) { key(k); number(v) }
    @inline(__always)
    public mutating func field(_ k: StaticString, hundredths v: Int64) { key(k); hundredths(v) }
    @inline(__always)
    public mutating func field(_ k: StaticString, bool v: Bool) { key(k); bool(v) }

    /// Offset of the first byte at or after `start` that a JSON string
    /// must escape (a control character, `"` or `\`), eight bytes a step.
    static func nextEscaped(in b: UnsafeBufferPointer<UInt8>, from start: Int) -> Int? {
        var i = start
        while i + 8 <= b.count {
            let w = ByteWords.load(b, i)
            let found = ByteWords.below(w, 0x20) | ByteWords.equal(w, UInt8(ascii: "\"")) | ByteWords.equal(w, UInt8(ascii: "\\"))
            if found != 0 { return i + ByteWords.firstFlagged(found) }
            i += 8
        }
        while i < b.count {
            let c = b[i]
            if c < 0x20 || c == UInt8(ascii: "\"") || c == UInt8(ascii: "\\") { return i }
            i += 1
        }
        return nil
    }

    /// Ends the document with a newline.
    public mutating func finish() -> [UInt8] {
        finishedBuffer().array
    }

    /// `finish()` in the writer's own buffer (not copied).
    mutating func finishedBuffer() -> ByteBuffer {
        out.append(UInt8(ascii: "\n"))
        return out
    }
}

// MARK: - JSON values as bytes

/// The encoders of JSON values, shared by the writer and by `rawValue`
/// rows, so that a value is encoded the same way on both paths.
extension ByteBuffer {
    /// `s` as a JSON string (see `appendJSONString(bytes:)`).
    func appendJSONString(_ s: String) {
        var s = s
        s.withUTF8 { appendJSONString(bytes: $0) }
    }

    /// `b` as a JSON string: `"` and `\` escaped, control characters as
    /// `\n`, `\r`, `\t` or `\u00XX`; everything else (UTF-8 included) as is.
    func appendJSONString(bytes b: UnsafeBufferPointer<UInt8>) {
        append(UInt8(ascii: "\""))
        var segmentStart = 0
        while let i = JSONWriter.nextEscaped(in: b, from: segmentStart) {
            let c = b[i]
            append(UnsafeBufferPointer(rebasing: b[segmentStart..<i]))
            segmentStart = i + 1
            switch c {
            case UInt8(ascii: "\""): append("\\\"")
            case UInt8(ascii: "\\"): append("\\\\")
            case 0x0A: append("\\n")
            case 0x0D: append("\\r")
            case 0x09: append("\\t")
            default:
                let hex: StaticString = "0123456789abcdef"
                append("\\u00")
                append(hex.utf8Start[Int(c >> 4)])
                append(hex.utf8Start[Int(c & 15)])
            }
        }
        append(UnsafeBufferPointer(rebasing: b[segmentStart...]))
        append(UInt8(ascii: "\""))
    }

    /// Text i of `column` as a JSON string: between quotes as it is when
    /// the column has nothing to escape.
    @inline(__always)
    func appendJSONString(_ column: JSONWriter.StringColumn, _ i: Int) {
        let text = column.texts[i]
        guard column.escapeFree else { return appendJSONString(bytes: text) }
        append(UInt8(ascii: "\""))
        append(text)
        append(UInt8(ascii: "\""))
    }

    @inline(__always)
    func appendJSONInteger(_ v: Int) {
        if v < 0 { append(UInt8(ascii: "-")) }
        appendDecimalDigits(UInt64(v.magnitude))
    }

    /// `x` to 4 decimals; `null` when not finite (JSON has no infinity).
    @inline(__always)
    func appendJSONFixed4(_ x: Double) {
        guard x.isFinite else { return append("null") }
        appendFixed4(x)
    }
}
