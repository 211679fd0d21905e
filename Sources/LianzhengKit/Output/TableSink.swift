/// Where a report table goes: an aligned text table for the terminal, an
/// HTML table, or a CSV file. A table is written once, cell by cell, against
/// this protocol, so the three forms always hold the same cells.
///
/// Text cells are ids, names and codes; number cells are right-aligned in
/// text and HTML and never get CSV's formula guard.
public protocol TableSink {
    /// The header row.
    mutating func header(_ names: [String])
    /// A text cell.
    mutating func text(_ s: String)
    /// A text cell from UTF-8 bytes held elsewhere (a `TextColumn` arena).
    mutating func text(bytes: UnsafeBufferPointer<UInt8>)
    /// Integer hundredths with 2 decimals: 9050 → 90.50.
    mutating func hundredths(_ v: Int64)
    /// An integer.
    mutating func integer(_ v: Int)
    /// An empty cell.
    mutating func empty()
    /// Ends the current row.
    mutating func endRow()
}

extension TableSink {
    /// A text cell holding row `i` of `column`, without making a `String`.
    public mutating func text(_ column: TextColumn, _ i: Int) {
        column.withBytes(i) { text(bytes: $0) }
    }
}

/// A CSV file is a table sink: text cells guarded, numbers not.
extension CSVWriter: TableSink {
    public mutating func header(_ names: [String]) { appendHeader(names) }
    public mutating func text(_ s: String) { appendText(s) }
    public mutating func text(bytes: UnsafeBufferPointer<UInt8>) { appendText(bytes: bytes) }
    public mutating func hundredths(_ v: Int64) { appendHundredths(v) }
    public mutating func integer(_ v: Int) { appendInteger(v) }
    public mutating func empty() { appendEmpty() }
    public mutating func endRow() { endRecord() }
}

/// A table for the terminal: columns padded to their display width (a CJK
/// character takes two columns), text left-aligned, numbers right-aligned,
/// two spaces between columns, no trailing spaces.
///
/// Cells are kept as bytes in one buffer, so a table of 100,000 rows costs
/// no allocation per cell.
public struct TextTable: Sendable {
    private var arena: [UInt8] = []
    /// End offset in `arena` of each cell.
    private var cellEnd: [Int32] = []
    /// Display width of each cell; negative for a right-aligned (number) cell.
    private var cellWidth: [Int32] = []
    /// Number of cells before the end of each row.
    private var rowEnd: [Int32] = []
    private var headerCells = 0
    /// Spaces before every row.
    public var indent: Int

    /// An empty table whose rows start with `indent` spaces.
    public init(indent: Int = 2) { self.indent = indent }

    /// Makes room for `rows` more rows of `cells` cells and about `bytes`
    /// bytes each, so that a long table grows its buffers once.
    public mutating func reserve(rows: Int, cells: Int, bytes: Int) {
        arena.reserveCapacity(arena.count + rows * bytes)
        cellEnd.reserveCapacity(cellEnd.count + rows * cells)
        cellWidth.reserveCapacity(cellWidth.count + rows * cells)
        rowEnd.reserveCapacity(rowEnd.count + rows)
    }

    /// The number of rows written, the header included.
    public var rowCount: Int { rowEnd.count }

    private mutating func appendCell(_ bytes: UnsafeBufferPointer<UInt8>, right: Bool) {
        // A terminal acts on control characters and reorders text after a
        // bidi override: a cell shows them written out (`oneLine`), so data
        // can neither drive the terminal nor break the columns.
        if mayNeedEscape(bytes, keepingLineBreaks: false) {
            let text = String(decoding: bytes, as: UTF8.self)
            let safe = oneLine(text)
            if safe != text {
                var safe = safe
                safe.withUTF8 { appendCell($0, right: right) }
                return
            }
        }
        arena.append(contentsOf: bytes)
        cellEnd.append(Int32(arena.count))
        let w = Int32(displayWidth(bytes))
        cellWidth.append(right ? -w : w)
    }

    private mutating func appendNumberCell(_ body: (inout [UInt8]) -> Void) {
        let start = arena.count
        body(&arena)
        cellEnd.append(Int32(arena.count))
        cellWidth.append(-Int32(arena.count - start))  // ASCII digits: one column each
    }

    /// The table as UTF-8 text, one line per row, each ending in LF.
    public func render() -> [UInt8] {
        var out: [UInt8] = []
        render(into: &out)
        return out
    }

    /// Appends the table to `out`.
    /// - Complexity: O(cells + bytes).
    public func render(into out: inout [UInt8]) {
        var columns: [Int] = []
        var numeric: [Bool] = []
        var cell = 0
        for (r, end) in rowEnd.enumerated() {
            var c = 0
            while cell < Int(end) {
                if c == columns.count {
                    columns.append(0)
                    numeric.append(false)
                }
                let w = Int(cellWidth[cell])
                columns[c] = max(columns[c], abs(w))
                if w < 0 && r > 0 { numeric[c] = true }
                cell += 1
                c += 1
            }
        }
        // Enough for any run of padding: every column empty in a row.
        let spaces = [UInt8](repeating: UInt8(ascii: " "), count: indent + columns.reduce(2 * columns.count, +))
        out.reserveCapacity(out.count + arena.count + rowEnd.count * (indent + 1 + columns.reduce(2 * columns.count, +)))
        cell = 0
        var start = 0
        arena.withUnsafeBufferPointer { arena in
            spaces.withUnsafeBufferPointer { spaces in
                for (r, end) in rowEnd.enumerated() {
                    out.append(contentsOf: UnsafeBufferPointer(rebasing: spaces[0..<indent]))
                    var c = 0
                    let first = cell
                    var pendingPad = 0
                    while cell < Int(end) {
                        let w = Int(cellWidth[cell])
                        let right = w < 0 || (r == 0 && headerCells > 0 && numeric[c])
                        let pad = columns[c] - abs(w)
                        if cell > first { pendingPad += 2 }
                        if right { pendingPad += pad }
                        let stop = Int(cellEnd[cell])
                        if stop > start {
                            // Padding is written only before text, so a line never ends in spaces.
                            out.append(contentsOf: UnsafeBufferPointer(rebasing: spaces[0..<pendingPad]))
                            out.append(contentsOf: UnsafeBufferPointer(rebasing: arena[start..<stop]))
                            pendingPad = 0
                        }
                        if !right { pendingPad += pad }
                        start = stop
                        cell += 1
                        c += 1
                    }
                    out.append(UInt8(ascii: "\n"))
                }
            }
        }
    }
}

extension TextTable: TableSink {
    public mutating func header(_ names: [String]) {
        for name in names { text(name) }
        endRow()
        headerCells = names.count
    }

    public mutating func text(_ s: String) {
        var s = s
        s.withUTF8 { appendCell($0, right: false) }
    }

    public mutating func text(bytes: UnsafeBufferPointer<UInt8>) { appendCell(bytes, right: false) }

    public mutating func hundredths(_ v: Int64) { appendNumberCell { appendHundredths(v, to: &$0) } }

    public mutating func integer(_ v: Int) {
        appendNumberCell { out in
            if v < 0 { out.append(UInt8(ascii: "-")) }
            appendDecimalDigits(UInt64(v.magnitude), to: &out)
        }
    }

    public mutating func empty() {
        cellEnd.append(Int32(arena.count))
        cellWidth.append(0)
    }

    public mutating func endRow() { rowEnd.append(Int32(cellEnd.count)) }
}

/// An HTML `<table>` with every text cell escaped; number cells carry
/// `class=n` (right-aligned by the page's style sheet) unless the page
/// aligns the table's number columns itself (`markNumbers: false` and
/// `rightAlignedColumnsCSS`).
///
/// Written lean, since a what-if on a large dataset lists hundreds of
/// thousands of rows: `</td>` and `</tr>` are left out, as HTML allows
/// (their end tags are optional), and the class value is unquoted. The
/// table is appended to the page's own buffer, never copied.
public struct HTMLTable: Sendable {
    /// The page so far, this table included; `finish()` closes the table.
    public private(set) var bytes: [UInt8]
    private var inBody = false
    /// The next cell starts a row.
    private var rowPending = true
    private let markNumbers: Bool

    /// A table appended to `page` (a page under construction), with an
    /// optional `class` attribute; `markNumbers` puts `class=n` on number cells.
    public init(appendingTo page: [UInt8] = [], className: String? = nil, markNumbers: Bool = true) {
        self.markNumbers = markNumbers
        bytes = page
        append(Tag.table)
        if let className {
            bytes.append(contentsOf: " class=\"".utf8)
            appendHTMLEscaped(className, to: &bytes)
            bytes.append(UInt8(ascii: "\""))
        }
        bytes.append(UInt8(ascii: ">"))
    }

    /// Makes room for `capacity` more bytes.
    public mutating func reserveCapacity(adding capacity: Int) {
        bytes.reserveCapacity(bytes.count + capacity)
    }

    @inline(__always)
    private mutating func openCell(number: Bool) {
        if rowPending { beginRow() }
        append(number && markNumbers ? Tag.numberCell : Tag.cell)
    }

    /// The page with the finished table.
    public consuming func finish() -> [UInt8] {
        if inBody { append(Tag.bodyEnd) }
        append(Tag.tableEnd)
        return bytes
    }

    /// A style rule right-aligning the given columns of `table.className`:
    /// `columns` are `:nth-child` arguments (`4`, `n+2`).
    public static func rightAlignedColumnsCSS(className: String, columns: [String]) -> String {
        columns.map { "table.\(className) td:nth-child(\($0))" }.joined(separator: ",")
            + "{text-align:right;font-variant-numeric:tabular-nums}\n"
    }

    /// Markup as static bytes: no reference counting per cell.
    private enum Tag {
        static let table: StaticString = "<table"
        static let tableEnd: StaticString = "</table>\n"
        static let bodyEnd: StaticString = "</tbody>"
        static let body: StaticString = "<tbody>"
        static let row: StaticString = "\n<tr>"
        static let cell: StaticString = "<td>"
        static let numberCell: StaticString = "<td class=n>"
        static let headerCell: StaticString = "<th>"
    }

    @inline(__always)
    private mutating func append(_ tag: StaticString) {
        tag.withUTF8Buffer { bytes.append(contentsOf: $0) }
    }
}

extension HTMLTable: TableSink {
    public mutating func header(_ names: [String]) {
        bytes.append(contentsOf: "<thead><tr>".utf8)
        for name in names {
            append(Tag.headerCell)
            appendHTMLEscaped(name, to: &bytes)
        }
        bytes.append(contentsOf: "</thead>".utf8)
    }

    /// Starts a row (the first one opens the body).
    private mutating func beginRow() {
        if !inBody {
            append(Tag.body)
            inBody = true
        }
        append(Tag.row)
        rowPending = false
    }

    public mutating func text(_ s: String) {
        openCell(number: false)
        appendHTMLEscaped(s, to: &bytes)
    }

    public mutating func text(bytes cellBytes: UnsafeBufferPointer<UInt8>) {
        openCell(number: false)
        // Escape without making a String: the five entities, as htmlEscape does.
        var start = 0
        for i in cellBytes.indices {
            let entity: StaticString
            switch cellBytes[i] {
            case UInt8(ascii: "&"): entity = "&amp;"
            case UInt8(ascii: "<"): entity = "&lt;"
            case UInt8(ascii: ">"): entity = "&gt;"
            case UInt8(ascii: "\""): entity = "&quot;"
            case UInt8(ascii: "'"): entity = "&#39;"
            default: continue
            }
            bytes.append(contentsOf: UnsafeBufferPointer(rebasing: cellBytes[start..<i]))
            entity.withUTF8Buffer { bytes.append(contentsOf: $0) }
            start = i + 1
        }
        bytes.append(contentsOf: UnsafeBufferPointer(rebasing: cellBytes[start...]))
    }

    public mutating func hundredths(_ v: Int64) {
        openCell(number: true)
        appendHundredths(v, to: &bytes)
    }

    public mutating func integer(_ v: Int) {
        openCell(number: true)
        if v < 0 { bytes.append(UInt8(ascii: "-")) }
        appendDecimalDigits(UInt64(v.magnitude), to: &bytes)
    }

    public mutating func empty() { openCell(number: false) }

    public mutating func endRow() {
        if rowPending { beginRow() }  // a row without cells
        rowPending = true
    }
}

/// Columns `bytes` takes in a terminal: 2 for East Asian wide and
/// full-width characters (CJK, Hangul, full-width forms), 0 for combining
/// marks, 1 otherwise.
/// - Complexity: O(bytes).
public func displayWidth(_ bytes: UnsafeBufferPointer<UInt8>) -> Int {
    var width = 0
    var i = 0
    let n = bytes.count
    while i < n {
        let b = bytes[i]
        if b < 0x80 {
            width += 1
            i += 1
            continue
        }
        var scalar: UInt32
        var length: Int
        if b >= 0xF0 {
            scalar = UInt32(b & 0x07)
            length = 4
        } else if b >= 0xE0 {
            scalar = UInt32(b & 0x0F)
            length = 3
        } else {
            scalar = UInt32(b & 0x1F)
            length = 2
        }
        var k = 1
        while k < length, i + k < n {
            scalar = scalar << 6 | UInt32(bytes[i + k] & 0x3F)
            k += 1
        }
        i += length
        width += scalarWidth(scalar)
    }
    return width
}

/// `displayWidth` of a string.
public func displayWidth(_ s: String) -> Int {
    var s = s
    return s.withUTF8 { displayWidth($0) }
}

@inline(__always)
private func scalarWidth(_ v: UInt32) -> Int {
    switch v {
    case 0x0300...0x036F, 0x200B...0x200F, 0xFE00...0xFE0F: return 0
    case 0x1100...0x115F, 0x2E80...0x303E, 0x3041...0x33FF, 0x3400...0x4DBF, 0x4E00...0x9FFF,
        0xA000...0xA4CF, 0xAC00...0xD7A3, 0xF900...0xFAFF, 0xFE30...0xFE4F, 0xFF00...0xFF60,
        0xFFE0...0xFFE6, 0x20000...0x3FFFD:
        return 2
    default: return 1
    }
}
