import Testing
@testable import LianzhengKit

@Suite struct CSVWriterTests {
    enum Kind: Sendable { case text, raw }

    struct CellCase: CustomTestStringConvertible, Sendable {
        var id: String
        var kind: Kind
        var cell: String
        var written: String
        var testDescription: String { id }
    }

    /// One cell followed by a plain `x`, so the separator shows.
    @Test(arguments: [
        // Text cells: the formula guard looks at the first byte only.
        CellCase(id: "formula", kind: .text, cell: "=SUM(A1)", written: "'=SUM(A1)"),
        CellCase(id: "plus", kind: .text, cell: "+86 10", written: "'+86 10"),
        CellCase(id: "minus in a text column", kind: .text, cell: "-1.50", written: "'-1.50"),
        CellCase(id: "at", kind: .text, cell: "@home", written: "'@home"),
        // Leading tab: guarded; the cell then starts with ', so no quoting.
        CellCase(id: "leading tab", kind: .text, cell: "\tx", written: "'\tx"),
        // Leading CR: guarded, and CR forces quotes around ' + cell.
        CellCase(id: "leading CR", kind: .text, cell: "\rx", written: "\"'\rx\""),
        CellCase(id: "dash inside", kind: .text, cell: "a-b", written: "a-b"),
        CellCase(id: "comma", kind: .text, cell: "a,b", written: "\"a,b\""),
        // Each " doubled, the whole quoted: say ""hi"".
        CellCase(id: "quote", kind: .text, cell: "say \"hi\"", written: "\"say \"\"hi\"\"\""),
        CellCase(id: "only a quote", kind: .text, cell: "\"", written: "\"\"\"\""),
        // LF stays LF inside quotes; the record end alone is CRLF.
        CellCase(id: "line break", kind: .text, cell: "line1\nline2", written: "\"line1\nline2\""),
        CellCase(id: "CRLF inside", kind: .text, cell: "a\r\nb", written: "\"a\r\nb\""),
        CellCase(id: "leading space", kind: .text, cell: " lead", written: "\" lead\""),
        CellCase(id: "trailing space", kind: .text, cell: "trail ", written: "\"trail \""),
        CellCase(id: "trailing tab", kind: .text, cell: "trail\t", written: "\"trail\t\""),
        // Guarded and ending with a space: ' inside the quotes.
        CellCase(id: "formula with trailing space", kind: .text, cell: "= 1 ", written: "\"'= 1 \""),
        // A space first hides the = from the guard, but the space forces quotes.
        CellCase(id: "space then formula", kind: .text, cell: " =x", written: "\" =x\""),
        CellCase(id: "Chinese", kind: .text, cell: "行政许可科", written: "行政许可科"),
        CellCase(id: "empty text", kind: .text, cell: "", written: ""),
        // Numeric and other raw cells: never guarded, still quoted when needed.
        CellCase(id: "negative number", kind: .raw, cell: "-1.50", written: "-1.50"),
        CellCase(id: "raw formula", kind: .raw, cell: "=1", written: "=1"),
        CellCase(id: "raw comma", kind: .raw, cell: "1,5", written: "\"1,5\""),
        CellCase(id: "raw leading space", kind: .raw, cell: " 5", written: "\" 5\""),
        CellCase(id: "raw leading tab", kind: .raw, cell: "\t5", written: "\"\t5\""),
    ])
    func cell(_ c: CellCase) {
        var csv = CSVWriter(byteOrderMark: false)
        switch c.kind {
        case .text: csv.appendText(c.cell)
        case .raw: csv.appendRaw(c.cell)
        }
        csv.appendRaw("x")
        csv.endRecord()
        #expect(csv.bytes == Array((c.written + ",x\r\n").utf8))

        // The byte-buffer entry points write the same.
        var fromBytes = CSVWriter(byteOrderMark: false)
        Array(c.cell.utf8).withUnsafeBufferPointer { cell in
            switch c.kind {
            case .text: fromBytes.appendText(bytes: cell)
            case .raw: fromBytes.appendRaw(bytes: cell)
            }
        }
        fromBytes.appendRaw("x")
        fromBytes.endRecord()
        #expect(fromBytes.bytes == csv.bytes)
    }

    @Test func fileHasBOMHeaderAndCRLF() {
        var csv = CSVWriter()
        csv.appendHeader(["year", "post_id", "score", "power", "veto", "mean", "flags", "note"])
        csv.appendInteger(2025)
        csv.appendText("-P1")  // an id is text: guarded
        csv.appendHundredths(-150)  // points: "-1.50", never guarded
        csv.appendFixed4(0.12345)  // 0.123450000000000004… → 0.1235
        csv.appendBool(true)
        csv.appendTwoDecimalsHalfUp(numerator: 1001, denominator: 2)  // 500.5 → 501 → 5.01
        csv.appendEmpty()
        csv.appendText("a\nb")
        csv.endRecord()
        csv.appendInteger(-3)
        csv.appendText("P2")
        csv.appendHundredths(9000)
        csv.appendFixed4(-0.0)
        csv.appendBool(false)
        csv.appendEmpty()
        csv.appendText("NO_CONTROLS;ROTATION_OVERDUE")
        csv.appendEmpty()  // empty last cell: the record ends ",\r\n"
        csv.endRecord()

        let expected: [UInt8] = [0xEF, 0xBB, 0xBF] + Array((
            "year,post_id,score,power,veto,mean,flags,note\r\n"
                + "2025,'-P1,-1.50,0.1235,true,5.01,,\"a\nb\"\r\n"
                + "-3,P2,90.00,-0.0000,false,,NO_CONTROLS;ROTATION_OVERDUE,\r\n"
        ).utf8)
        #expect(csv.bytes == expected)
    }

    @Test func noByteOrderMarkWhenAsked() {
        var csv = CSVWriter(byteOrderMark: false)
        csv.appendHeader(["a", "b"])
        #expect(csv.bytes == Array("a,b\r\n".utf8))
    }

    /// A record of one empty cell would be a blank line, which readers skip.
    @Test func loneEmptyCellIsQuoted() {
        var csv = CSVWriter(byteOrderMark: false)
        csv.appendText("")
        csv.endRecord()
        csv.appendEmpty()
        csv.appendEmpty()
        csv.endRecord()
        #expect(csv.bytes == Array("\"\"\r\n,\r\n".utf8))
    }

    @Test func textFromColumnArena() {
        let names = TextColumn(["=cmd", "岗位, 一"])
        var csv = CSVWriter(byteOrderMark: false)
        for i in 0..<names.count {
            names.withBytes(i) { csv.appendText(bytes: $0) }
        }
        csv.endRecord()
        #expect(csv.bytes == Array("'=cmd,\"岗位, 一\"\r\n".utf8))
    }

    /// Random cells written raw read back unchanged with a strict RFC 4180
    /// reader, and no unquoted cell has blanks a reader would trim.
    @Test func roundTrip() {
        let seed: UInt64 = 0xC5_0001
        var rng = OutputTestsGenerator(seed: seed)
        let alphabet = ["a", "1", ",", "\"", "\r", "\n", " ", "\t", "=", "-", "中", "'"]
        var failures: [String] = []
        for _ in 0..<2_000 {
            let rows = (0..<Int.random(in: 1...4, using: &rng)).map { _ in
                (0..<Int.random(in: 1...5, using: &rng)).map { _ in
                    (0..<Int.random(in: 0...6, using: &rng)).map { _ in alphabet.randomElement(using: &rng)! }.joined()
                }
            }
            var csv = CSVWriter()
            for row in rows {
                for cell in row { csv.appendRaw(cell) }
                csv.endRecord()
            }
            let parsed = StrictCSVReader.parse(csv.bytes)
            if parsed != rows, failures.count < 3 { failures.append("\(rows) → \(String(describing: parsed))") }
        }
        #expect(failures.isEmpty, "seed \(seed): \(failures)")
    }
}

/// A strict RFC 4180 reader for the round-trip test: BOM required, CRLF
/// record ends, no trimming; nil when an unquoted cell has a blank at
/// either end (a lenient reader would trim it) or the syntax is broken.
private enum StrictCSVReader {
    static func parse(_ bytes: [UInt8]) -> [[String]]? {
        guard bytes.starts(with: [0xEF, 0xBB, 0xBF]) else { return nil }
        var rows: [[String]] = []
        var row: [String] = []
        var cell: [UInt8] = []
        var i = 3
        var quoted = false
        func finishCell() -> Bool {
            let text = String(decoding: cell, as: UTF8.self)
            if !quoted, let first = cell.first, let last = cell.last,
                [9, 32].contains(first) || [9, 32].contains(last)
            {
                return false
            }
            row.append(text)
            cell = []
            quoted = false
            return true
        }
        while i < bytes.count {
            let b = bytes[i]
            if b == UInt8(ascii: "\"") && cell.isEmpty && !quoted {
                quoted = true
                i += 1
                while true {
                    guard i < bytes.count else { return nil }
                    if bytes[i] == UInt8(ascii: "\"") {
                        if i + 1 < bytes.count && bytes[i + 1] == UInt8(ascii: "\"") {
                            cell.append(bytes[i])
                            i += 2
                            continue
                        }
                        i += 1
                        break
                    }
                    cell.append(bytes[i])
                    i += 1
                }
                guard i < bytes.count, [UInt8(ascii: ","), 13].contains(bytes[i]) else { return nil }
            } else if b == UInt8(ascii: ",") {
                guard finishCell() else { return nil }
                i += 1
            } else if b == 13 {
                guard i + 1 < bytes.count, bytes[i + 1] == 10, finishCell() else { return nil }
                rows.append(row)
                row = []
                i += 2
            } else {
                guard b != 10, b != UInt8(ascii: "\"") else { return nil }
                cell.append(b)
                i += 1
            }
        }
        return cell.isEmpty && row.isEmpty ? rows : nil
    }
}
