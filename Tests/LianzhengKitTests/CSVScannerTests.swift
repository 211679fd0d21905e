import Foundation
import Testing
@testable import LianzhengKit

/// What scanning a whole text gave: the records (fields as strings, with the
/// physical line each field starts on) and the syntax errors, in order.
struct Scanned: Equatable {
    struct Record: Equatable {
        var line: Int
        var fields: [String]
        var fieldLines: [Int]
        var quoted: [Bool]
    }
    struct Problem: Equatable {
        var line: Int
        var column: Int
        var recoverable: Bool
    }
    var records: [Record] = []
    var errors: [Problem] = []

    var texts: [[String]] { records.map(\.fields) }
}

/// Scans `bytes` to the end, going on after recoverable errors as
/// `TableReader` does.
func scanAll(_ bytes: [UInt8]) -> Scanned {
    var out = Scanned()
    bytes.withUnsafeBufferPointer { buffer in
        var scanner = CSVScanner(bytes: buffer)
        var record = CSVRecord()
        while true {
            do throws(CSVSyntaxError) {
                guard try scanner.next(into: &record) else { return }
            } catch {
                out.errors.append(.init(line: error.line, column: error.column, recoverable: error.recoverable))
                if error.recoverable { continue }
                return
            }
            out.records.append(.init(
                line: record.line,
                fields: (0..<record.fields.count).map { scanner.string(record, $0) },
                fieldLines: record.fields.map(\.line),
                quoted: record.fields.map(\.quoted)))
        }
    }
    return out
}

func scanAll(_ text: String) -> Scanned { scanAll(Array(text.utf8)) }

/// RFC 4180 structure and the SPEC §2 reading rules, on the scanner alone
/// (decoding and header mapping are in DatasetReaderTests).
@Suite struct CSVScannerTests {
    struct Case: CustomTestStringConvertible, Sendable {
        var id: String
        var text: String
        var records: [[String]]
        var testDescription: String { id }
    }

    @Test(arguments: [
        Case(id: "plain LF", text: "a,b\nc,d\n", records: [["a", "b"], ["c", "d"]]),
        Case(id: "plain CRLF", text: "a,b\r\nc,d\r\n", records: [["a", "b"], ["c", "d"]]),
        Case(id: "no final newline", text: "a,b\nc,d", records: [["a", "b"], ["c", "d"]]),
        Case(id: "no final newline after CRLF lines", text: "a,b\r\nc,d", records: [["a", "b"], ["c", "d"]]),
        Case(id: "empty fields", text: "a,,b\n,\n", records: [["a", "", "b"], ["", ""]]),
        // A comma at the very end of the input still ends a field: one more empty one.
        Case(id: "trailing comma at end of input", text: "a,", records: [["a", ""]]),
        Case(id: "trailing comma before newline", text: "a,\n", records: [["a", ""]]),
        Case(id: "quoted comma", text: "\"a,b\",c\n", records: [["a,b", "c"]]),
        // "" inside quotes is one quote: say "hi".
        Case(id: "escaped quotes", text: "\"say \"\"hi\"\"\",x\n", records: [["say \"hi\"", "x"]]),
        Case(id: "only an escaped quote", text: "\"\"\"\"\n", records: [["\""]]),
        Case(id: "empty quoted field is a record, not a blank line", text: "\"\"\n", records: [[""]]),
        Case(id: "quoted LF", text: "\"a\nb\",c\n", records: [["a\nb", "c"]]),
        Case(id: "quoted CRLF reads as LF", text: "\"a\r\nb\",c\r\n", records: [["a\nb", "c"]]),
        Case(id: "quoted CRLF next to escaped quote", text: "\"\"\"\r\n\"\"\"\r\n", records: [["\"\n\""]]),
        Case(id: "lone CR inside quotes kept", text: "\"a\rb\"\n", records: [["a\rb"]]),
        Case(id: "blank lines skipped", text: "\na\n\n\nb\n\n", records: [["a"], ["b"]]),
        Case(id: "blank CRLF lines skipped", text: "\r\na\r\n\r\nb\r\n", records: [["a"], ["b"]]),
        Case(id: "whitespace-only lines are blank", text: "a\n  \t \nb\n \r\n\t\n", records: [["a"], ["b"]]),
        Case(id: "unquoted fields trimmed of spaces and tabs", text: "  a  ,\tb\t, c \r\n", records: [["a", "b", "c"]]),
        Case(id: "inner spaces kept", text: "a b , c  d\n", records: [["a b", "c  d"]]),
        // Only spaces and tabs are trimmed: U+3000 (ideographic space) stays.
        Case(id: "ideographic space not trimmed", text: "\u{3000}a\n", records: [["\u{3000}a"]]),
        Case(id: "quoted fields never trimmed", text: "\"  a  \",\" \",\"\tb\"\n", records: [["  a  ", " ", "\tb"]]),
        Case(id: "spaces around a quoted field tolerated", text: "  \"a\"  ,\t\"b\"\t\n", records: [["a", "b"]]),
        Case(id: "spaces after a quoted field before CRLF", text: "\"a\" \r\nb\r\n", records: [["a"], ["b"]]),
        Case(id: "quote inside an unquoted field kept", text: "a\"b,c\",5\"\n", records: [["a\"b", "c\"", "5\""]]),
        Case(id: "a field of spaces then a quote inside", text: "x y\"z\n", records: [["x y\"z"]]),
        Case(id: "Chinese text", text: "单位编号,单位名称\nU1,\"市局，本级\"\n", records: [["单位编号", "单位名称"], ["U1", "市局，本级"]]),
    ])
    func records(_ c: Case) {
        let scanned = scanAll(c.text)
        #expect(scanned.errors.isEmpty)
        #expect(scanned.texts == c.records)
    }

    /// Which fields were quoted: an empty quoted field is not an empty unquoted one.
    @Test func quotedFlag() {
        let scanned = scanAll("\"\",,\"a\",b\n")
        #expect(scanned.records.map(\.quoted) == [[true, false, true, false]])
    }

    /// LINE of a record and of each field is the physical line it starts on;
    /// blank lines and line breaks inside quotes count.
    @Test func physicalLines() {
        // line 1: a,"b      line 2: c",d      line 3: (blank)      line 4: e,"f
        // line 5: (empty line inside the quotes)      line 6: g"      line 7: h
        let scanned = scanAll("a,\"b\nc\",d\n\ne,\"f\n\ng\"\nh\n")
        #expect(scanned.records == [
            .init(line: 1, fields: ["a", "b\nc", "d"], fieldLines: [1, 1, 2], quoted: [false, true, false]),
            .init(line: 4, fields: ["e", "f\n\ng"], fieldLines: [4, 4], quoted: [false, true]),
            .init(line: 7, fields: ["h"], fieldLines: [7], quoted: [false]),
        ])
        #expect(scanned.errors.isEmpty)
    }

    @Test func physicalLinesWithCRLF() {
        // Same as above with CRLF everywhere, also inside the quoted fields.
        let scanned = scanAll("a,\"b\r\nc\",d\r\n\r\ne,\"f\r\n\r\ng\"\r\nh\r\n")
        #expect(scanned.records.map(\.fieldLines) == [[1, 1, 2], [4, 4], [7]])
        #expect(scanned.texts == [["a", "b\nc", "d"], ["e", "f\n\ng"], ["h"]])
    }

    struct ErrorCase: CustomTestStringConvertible, Sendable {
        var id: String
        var text: String
        var errors: [Scanned.Problem]
        /// Records still read around the bad one.
        var records: [[String]]
        var testDescription: String { id }
    }

    @Test(arguments: [
        // Field 2 of line 1 is "a" followed by b: error at 1:2; scanning goes on with line 2.
        ErrorCase(id: "text after closing quote", text: "x,\"a\"b,c\nd\n",
                  errors: [.init(line: 1, column: 2, recoverable: true)], records: [["d"]]),
        ErrorCase(id: "text after closing quote, then spaces", text: "\"a\" b\nd\n",
                  errors: [.init(line: 1, column: 1, recoverable: true)], records: [["d"]]),
        // The bad field starts on line 2 and spans to line 3; the rest of its
        // record (up to the LF after c) is skipped; "d" is line 4.
        ErrorCase(id: "text after a multi-line quoted field", text: "x\n\"a\nb\"c\nd\n",
                  errors: [.init(line: 2, column: 1, recoverable: true)], records: [["x"], ["d"]]),
        // Field 3 starts on line 3 (after the quoted line break in field 2).
        ErrorCase(id: "bad field starts on a later physical line", text: "h\nx,\"a\nb\",\"c\"d\ne\n",
                  errors: [.init(line: 3, column: 3, recoverable: true)], records: [["h"], ["e"]]),
        // The rest of a bad record may itself hold a quoted line break: still skipped as one record.
        ErrorCase(id: "skip honours quotes in the rest of the record", text: "\"a\"b,\"c\nd\"\ne\n",
                  errors: [.init(line: 1, column: 1, recoverable: true)], records: [["e"]]),
        ErrorCase(id: "two bad records", text: "\"a\"b\n\"c\"d\ne\n",
                  errors: [.init(line: 1, column: 1, recoverable: true), .init(line: 2, column: 1, recoverable: true)],
                  records: [["e"]]),
        // An unterminated quote swallows the rest of the file: reported where it starts.
        ErrorCase(id: "unterminated quote", text: "a\nb,\"c\nd\ne\n",
                  errors: [.init(line: 2, column: 2, recoverable: false)], records: [["a"]]),
    ])
    func syntaxErrors(_ c: ErrorCase) {
        let scanned = scanAll(c.text)
        #expect(scanned.errors == c.errors)
        #expect(scanned.texts == c.records)
    }

    /// Turning every LF into CRLF, inside quotes too, gives the same data.
    @Test(arguments: [
        Case(id: "plain", text: "a,b\nc,d\n", records: [["a", "b"], ["c", "d"]]),
        Case(id: "quoted line break, blank lines, escaped quotes",
             text: "\"x\ny\",z\n\n  \n\"\"\"q\"\"\"\n", records: [["x\ny", "z"], ["\"q\""]]),
        Case(id: "Chinese multi-line and trimming", text: "h1,h2\n\"多行\n文本\",\"a,b\"\n last , \"  keep  \" \n",
             records: [["h1", "h2"], ["多行\n文本", "a,b"], ["last", "  keep  "]]),
    ])
    func crlfAndLFGiveTheSameData(_ c: Case) {
        let lf = scanAll(c.text)
        let crlf = scanAll(c.text.replacingOccurrences(of: "\n", with: "\r\n"))
        #expect(lf.errors.isEmpty)
        #expect(lf.texts == c.records)
        #expect(lf == crlf)
    }

    /// Property: any table written by `CSVWriter` (raw cells, no formula
    /// guard) reads back cell for cell. Cells never hold CR, since a CRLF
    /// inside a quoted cell reads as LF by design.
    @Test(arguments: [1, 2, 3, 4, 5, 6, 7, 8] as [UInt64])
    func roundTripThroughWriter(seed: UInt64) {
        var random = SeededRandom(seed: seed)
        let alphabet: [String] = ["a", "Z", "9", "中", "，", ",", "\"", "\n", " ", "\t", "'", "=", "-", "\u{3000}"]
        var table: [[String]] = []
        for _ in 0..<40 {
            let width = Int.random(in: 1...5, using: &random)
            table.append((0..<width).map { _ in
                let length = Int.random(in: 0...6, using: &random)
                return String((0..<length).map { _ in alphabet.randomElement(using: &random)! }.joined())
            })
        }
        var writer = CSVWriter(byteOrderMark: false)
        for row in table {
            for cell in row { writer.appendRaw(cell) }
            writer.endRecord()
        }
        let scanned = scanAll(writer.bytes)
        #expect(scanned.errors.isEmpty, "seed \(seed)")
        #expect(scanned.texts == table, "seed \(seed)")
    }

    /// Unquoted fields are scanned eight bytes a step: a field of every
    /// length from 0 to 40, ending in a comma or a line feed at every offset
    /// of a word, with bytes on both sides of the delimiters' values (0x2B,
    /// 0x2D, 0x09, 0x0B, 0x01) and UTF-8 multibyte text, reads back as
    /// written.
    @Test func unquotedFieldsOfEveryLength() {
        let filler: [UInt8] = Array("a+-\u{01}\u{0B}b廉政c".utf8)
        for length in 0...40 {
            let field = String(decoding: (0..<length).map { filler[$0 % filler.count] }, as: UTF8.self)
            // Multibyte text may be cut mid-character by the cycle; compare bytes.
            let expected = [Array(field.utf8), Array("x".utf8), Array(field.utf8)]
            for text in [field + ",x," + field + "\n", field + ",x," + field] {
                let scanned = scanAll(text)
                #expect(scanned.errors.isEmpty, "length \(length)")
                #expect(scanned.texts.map { $0.map { Array($0.utf8) } } == [expected], "length \(length)")
            }
            let lines = scanAll(field + "\n" + field + "\r\n" + field)
            #expect(lines.texts.map { $0.map { Array($0.utf8) } } == (length == 0 ? [] : [[Array(field.utf8)], [Array(field.utf8)], [Array(field.utf8)]]),
                    "length \(length)")
        }
    }

    @Test func emptyInputHasNoRecords() {
        #expect(scanAll("").records.isEmpty)
        #expect(scanAll("\n \n\r\n").records.isEmpty)
    }
}
