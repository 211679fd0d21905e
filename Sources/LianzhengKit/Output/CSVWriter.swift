import Foundation

/// Builds one CSV output file of SPEC §7 in memory.
///
/// UTF-8 with a byte-order mark (Excel opens it as UTF-8), CRLF after every
/// record, RFC 4180 quoting. A cell is quoted, with `"` doubled, when it
/// holds `,`, `"`, CR or LF or begins or ends with a space or tab; line breaks
/// inside a quoted cell are written as given (LF stays LF, as Excel writes).
///
/// Text cells (ids, names, levels, bands, codes …) get the formula-injection
/// guard: a leading `'` when they start with `=`, `+`, `-`, `@`, tab or CR.
/// Numeric cells never do, so "-1.50" stays a number. Which one applies is
/// decided by the column, so callers choose `appendText` or a numeric append.
///
/// ```
/// var csv = CSVWriter()
/// csv.appendHeader(["post_id", "score"])
/// csv.appendText("=SUM(A1)")     // '=SUM(A1)
/// csv.appendHundredths(-150)     // -1.50
/// csv.endRecord()
/// ```
public struct CSVWriter {
    /// The file so far: BOM, then the records written.
    private let out: ByteBuffer
    /// Cells written in the current record.
    private var cellsInRecord = 0
    /// Offset in `bytes` where the current record starts.
    private var recordStart: Int

    /// The UTF-8 byte-order mark EF BB BF.
    public static let byteOrderMark: [UInt8] = [0xEF, 0xBB, 0xBF]

    /// A writer holding only the byte-order mark (or nothing, when
    /// `byteOrderMark` is false), with room for `capacity` bytes.
    public init(reservingCapacity capacity: Int = 0, byteOrderMark: Bool = true) {
        out = ByteBuffer(capacity: max(capacity, 4096))
        if byteOrderMark { out.append(StaticString("\u{FEFF}")) }
        recordStart = out.count
    }

    /// The file so far: BOM, then the records written.
    public var bytes: [UInt8] { out.array }

    /// The file so far, in the writer's own buffer (not copied): an output
    /// chunk, once nothing more is written.
    var buffer: ByteBuffer { out }

    /// Makes room for `capacity` bytes in all, to avoid regrowing.
    public mutating func reserveCapacity(_ capacity: Int) {
        out.reserve(capacity)
    }

    // MARK: Records

    /// Writes a whole header record: every name as a text cell, then CRLF.
    public mutating func appendHeader(_ names: [String]) {
        for name in names { appendText(name) }
        endRecord()
    }

    /// Ends the current record with CRLF.
    ///
    /// A record made of one empty cell is written as `""`, since a blank
    /// line would be skipped by a reader (SPEC §2).
    @inline(__always)
    public mutating func endRecord() {
        if cellsInRecord == 1 && out.count == recordStart {
            out.append(Byte.quote)
            out.append(Byte.quote)
        }
        out.append(Byte.cr)
        out.append(Byte.lf)
        cellsInRecord = 0
        recordStart = out.count
    }

    // MARK: Text cells (formula guard)

    /// A cell of a text column: quoted when needed, and prefixed with `'`
    /// when it starts with `=`, `+`, `-`, `@`, tab or CR.
    public mutating func appendText(_ text: String) {
        var text = text
        text.withUTF8 { appendCell($0, guarded: true) }  // a native string is not copied
    }

    /// Text cell k of `cells`, guarded and quoted once, copied as is.
    @inline(__always)
    mutating func appendText(_ cells: EncodedCells, _ k: Int) {
        beginCell()
        out.append(cells.cells[k])
    }

    /// Text cells as the writer prints them, guarded and quoted once: for
    /// the few texts written on a million rows (level names, flag lists).
    struct EncodedCells: Sendable {
        fileprivate let cells: PinnedTexts

        init(_ texts: some Sequence<String>) {
            var column = TextColumn()
            for text in texts {
                // The first cell of a file without a BOM has no separator:
                // the writer's bytes are exactly the cell.
                var w = CSVWriter(byteOrderMark: false)
                w.appendText(text)
                w.bytes.withUnsafeBufferPointer { column.append(bytes: $0) }
            }
            cells = PinnedTexts(column)
        }
    }

    /// `appendText` for UTF-8 bytes held elsewhere (a `TextColumn` arena).
    @inline(__always)
    public mutating func appendText(bytes cell: UnsafeBufferPointer<UInt8>) {
        appendCell(cell, guarded: true)
    }

    // MARK: Numeric and raw cells (no guard)

    /// A cell of a numeric (or otherwise non-text) column: quoted when
    /// needed, never guarded.
    public mutating func appendRaw(_ text: String) {
        var text = text
        text.withUTF8 { appendCell($0, guarded: false) }
    }

    /// `appendRaw` for UTF-8 bytes held elsewhere.
    public mutating func appendRaw(bytes cell: UnsafeBufferPointer<UInt8>) {
        appendCell(cell, guarded: false)
    }

    /// An empty cell.
    @inline(__always)
    public mutating func appendEmpty() {
        beginCell()
    }

    /// An integer cell: 2025, -3.
    @inline(__always)
    public mutating func appendInteger(_ v: Int) {
        beginCell()
        if v < 0 { out.append(Byte.minus) }
        out.appendDecimalDigits(UInt64(v.magnitude))
    }

    /// Integer hundredths with 2 decimals: -150 → -1.50 (`formatHundredths`).
    @inline(__always)
    public mutating func appendHundredths(_ v: Int64) {
        beginCell()
        out.appendHundredths(v)
    }

    /// A binary64 value as `printf("%.4f")` prints it (`formatFixed4`).
    ///
    /// - Complexity: O(digits), no allocation beyond the buffer's growth.
    @inline(__always)
    public mutating func appendFixed4(_ x: Double) {
        beginCell()
        out.appendFixed4(x)
    }

    /// A mean of hundredths, rounded half-up, with 2 decimals
    /// (`formatTwoDecimalsHalfUp`).
    public mutating func appendTwoDecimalsHalfUp(numerator: Int64, denominator: Int64) {
        beginCell()
        out.appendHundredths(dividedRoundingHalfUp(numerator, by: denominator))
    }

    /// `true` or `false`.
    @inline(__always)
    public mutating func appendBool(_ v: Bool) {
        beginCell()
        out.append(v ? "true" : "false")
    }

    // MARK: Cell writing

    /// Writes the separator before every cell but the first of a record.
    @inline(__always)
    private mutating func beginCell() {
        if cellsInRecord > 0 { out.append(Byte.comma) }
        cellsInRecord += 1
    }

    /// Writes one cell, guarded and quoted as the rules above say.
    ///
    /// - Complexity: O(cell length).
    private mutating func appendCell(_ cell: UnsafeBufferPointer<UInt8>, guarded: Bool) {
        beginCell()
        guard let first = cell.first, let last = cell.last else { return }
        let mark = guarded && Self.startsFormula(first)
        let quoted = Self.hasSpecialByte(cell)
            || (!mark && Self.isBlank(first))
            || Self.isBlank(last)
        if quoted { out.append(Byte.quote) }
        if mark { out.append(Byte.apostrophe) }
        if quoted { appendDoublingQuotes(cell) } else { out.append(cell) }
        if quoted { out.append(Byte.quote) }
    }

    /// Copies `cell` with every `"` written twice.
    private mutating func appendDoublingQuotes(_ cell: UnsafeBufferPointer<UInt8>) {
        var segmentStart = 0
        for i in cell.indices where cell[i] == Byte.quote {
            out.append(UnsafeBufferPointer(rebasing: cell[segmentStart...i]))
            out.append(Byte.quote)
            segmentStart = i + 1
        }
        out.append(UnsafeBufferPointer(rebasing: cell[segmentStart...]))
    }

    /// `=`, `+`, `-`, `@`, tab or CR: what a spreadsheet may run as a formula.
    @inline(__always)
    private static func startsFormula(_ b: UInt8) -> Bool {
        b == Byte.equals || b == Byte.plus || b == Byte.minus || b == Byte.at || b == Byte.tab || b == Byte.cr
    }

    /// Space or tab, which a reader would trim from an unquoted cell.
    @inline(__always)
    private static func isBlank(_ b: UInt8) -> Bool {
        b == Byte.space || b == Byte.tab
    }

    /// Whether the cell holds `,`, `"`, CR or LF.
    @inline(__always)
    static func hasSpecialByte(_ cell: UnsafeBufferPointer<UInt8>) -> Bool {
        var i = 0
        while i + 8 <= cell.count {
            let w = ByteWords.load(cell, i)
            let found = ByteWords.equal(w, Byte.comma) | ByteWords.equal(w, Byte.quote)
                | ByteWords.equal(w, Byte.cr) | ByteWords.equal(w, Byte.lf)
            if found != 0 { return true }
            i += 8
        }
        while i < cell.count {
            let b = cell[i]
            if b == Byte.comma || b == Byte.quote || b == Byte.cr || b == Byte.lf { return true }
            i += 1
        }
        return false
    }
}

/// ASCII bytes the writer emits or looks for.
private enum Byte {
    static let comma = UInt8(ascii: ",")
    static let quote = UInt8(ascii: "\"")
    static let apostrophe = UInt8(ascii: "'")
    static let cr = UInt8(ascii: "\r")
    static let lf = UInt8(ascii: "\n")
    static let tab = UInt8(ascii: "\t")
    static let space = UInt8(ascii: " ")
    static let equals = UInt8(ascii: "=")
    static let plus = UInt8(ascii: "+")
    static let minus = UInt8(ascii: "-")
    static let at = UInt8(ascii: "@")
}
