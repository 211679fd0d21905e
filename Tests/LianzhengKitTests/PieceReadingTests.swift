import Foundation
import Testing
@testable import LianzhengKit

/// Large files are read in pieces on several cores and joined (posts,
/// powers, incidents, assessments, adjustments). Splitting must never show:
/// the same dataset, down to the order of dictionary values, and on bad
/// input the same problems in the same order as a front-to-back read.
/// Here files are split at every line (`pieceBytes: 1`) and compared with
/// reading them whole (`pieceBytes: .max`).
@Suite struct PieceReadingTests {
    /// Every column of `d`, byte for byte (the snapshot's column pack).
    static func columns(_ d: Dataset) throws -> [UInt8] {
        var out: [UInt8] = []
        try ColumnPack.write(d) { out += $0 }
        return out
    }

    @Test(arguments: [
        CSVDataset.Style(id: "plain"),
        CSVDataset.Style(id: "rows shuffled", shuffleRows: true, seed: 3),
        CSVDataset.Style(id: "CRLF, blank lines, padding", crlf: true, padding: true, blankLines: true, seed: 4),
        CSVDataset.Style(id: "GB18030, Chinese headers, columns shuffled", shuffleColumns: true, chineseHeaders: true, gb18030: true, seed: 5),
    ])
    func richDatasetInPieces(_ style: CSVDataset.Style) throws {
        let folder = CSVDataset.rich.folder(style)
        defer { folder.remove() }
        let whole = try folder.read(pieceBytes: .max).dataset
        let pieces = try folder.read(pieceBytes: 1).dataset
        #expect(try Self.columns(pieces) == Self.columns(whole))
        #expect(pieces.fingerprint == whole.fingerprint)
    }

    /// A generated dataset of 400 posts (~2,000 powers and incidents)
    /// written as CSV files, with `edit` applied to one file's text.
    struct Case: CustomTestStringConvertible, Sendable {
        var id: String
        var file: String
        var edit: @Sendable (inout [String]) -> Void
        var testDescription: String { id }
    }

    static func folder(_ c: Case) throws -> String {
        let scheme = try LianzhengKitTests.scheme()
        let dir = temporaryDirectory()
        try DatasetExport.write(SyntheticDataset.make(posts: 400, seed: 41, scheme: scheme), to: dir)
        let path = dir + "/" + c.file
        // Exported with CRLF; edited as LF lines.
        var lines = try String(contentsOfFile: path, encoding: .utf8).replacingOccurrences(of: "\r\n", with: "\n")
            .components(separatedBy: "\n")
        c.edit(&lines)
        try lines.joined(separator: "\n").write(toFile: path, atomically: true, encoding: .utf8)
        return dir
    }

    /// Replaces field `field` (0-based) of data row `row` (negative: from the end).
    static func setField(_ lines: inout [String], row: Int, field: Int, to value: String) {
        let dataRows = lines.count - 2  // header, and the empty text after the final newline
        let k = row >= 0 ? row + 1 : dataRows + row + 1
        var fields = lines[k].components(separatedBy: ",")
        fields[field] = value
        lines[k] = fields.joined(separator: ",")
    }

    static func field(_ lines: [String], row: Int, field: Int) -> String {
        lines[row + 1].components(separatedBy: ",")[field]
    }

    static let validCases: [Case] = [
        Case(id: "unchanged", file: "powers.csv") { _ in },
        Case(id: "a quoted line break inside a power name, mid-file", file: "powers.csv") { lines in
            for row in stride(from: 3, to: 2_000, by: 97) { setField(&lines, row: row, field: 1, to: "\"职权\n跨行\"") }
        },
        Case(id: "CRLF line ends", file: "incidents.csv") { lines in
            for k in 0..<(lines.count - 1) { lines[k] += "\r" }
        },
    ]

    @Test(arguments: validCases)
    func generatedDatasetInPieces(_ c: Case) throws {
        let dir = try Self.folder(c)
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let scheme = try LianzhengKitTests.scheme()
        let whole = try DatasetReader(directory: dir, scheme: scheme, encoding: .auto, pieceBytes: .max).read()
        let pieces = try DatasetReader(directory: dir, scheme: scheme, encoding: .auto, pieceBytes: 1).read()
        #expect(try Self.columns(pieces) == Self.columns(whole))
    }

    /// Problems a single piece cannot see (an id repeated in another piece)
    /// or that a boundary could hide.
    static let badCases: [Case] = [
        Case(id: "a post id repeated far apart", file: "posts.csv") { lines in
            setField(&lines, row: -1, field: 0, to: field(lines, row: 0, field: 0))
        },
        Case(id: "an incident id repeated far apart", file: "incidents.csv") { lines in
            setField(&lines, row: -2, field: 0, to: field(lines, row: 1, field: 0))
        },
        Case(id: "an assessment row repeated far apart", file: "assessments.csv") { lines in
            lines.insert(lines[1], at: lines.count - 1)
        },
        Case(id: "bad values in several pieces", file: "powers.csv") { lines in
            setField(&lines, row: 10, field: 2, to: "行政裁决")
            setField(&lines, row: 900, field: 5, to: "5")
            setField(&lines, row: -1, field: 0, to: "P9")
        },
        Case(id: "an unterminated quote mid-file", file: "incidents.csv") { lines in
            setField(&lines, row: 1_000, field: 3, to: "\"信访举报")
        },
        Case(id: "text after a closing quote", file: "adjustments.csv") { lines in
            setField(&lines, row: 3, field: 5, to: "\"事由\"x")
        },
    ]

    @Test(arguments: badCases)
    func problemsAcrossPieces(_ c: Case) throws {
        let dir = try Self.folder(c)
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let scheme = try LianzhengKitTests.scheme()
        func error(_ pieceBytes: Int) -> LianzhengError? {
            do throws(LianzhengError) {
                _ = try DatasetReader(directory: dir, scheme: scheme, encoding: .auto, pieceBytes: pieceBytes).read()
                return nil
            } catch {
                return error
            }
        }
        guard case .invalidData(let whole, let wholeTotal)? = error(.max) else {
            Issue.record("expected invalid data")
            return
        }
        guard case .invalidData(let pieces, let piecesTotal)? = error(1) else {
            Issue.record("expected invalid data when read in pieces")
            return
        }
        #expect(pieces == whole)
        #expect(piecesTotal == wholeTotal)
    }

    /// Boundaries fall just after a line feed, and small files stay whole.
    @Test func pieceBounds() {
        let text = Array("h\na\nbb\nccc\n\ndddd".utf8)
        text.withUnsafeBufferPointer { bytes in
            let bounds = TableReader.pieceBounds(bytes, from: 2, minimumPieceBytes: 1)
            #expect(bounds.first == 2 && bounds.last == bytes.count)
            #expect(zip(bounds, bounds.dropFirst()).allSatisfy { $0 < $1 })
            for b in bounds.dropFirst().dropLast() { #expect(bytes[b - 1] == 0x0A) }
            #expect(TableReader.pieceBounds(bytes, from: 2) == [2, bytes.count])
        }
    }

    /// `firstInvalidUTF8` against the standard library's UTF-8 validation,
    /// on random byte strings made of the bytes where the rules change
    /// (lead bytes C0/C1/C2, DF, E0, E1, EC, ED, EE, EF, F0, F4, F5;
    /// continuation bounds 80, 8F, 90, 9F, A0, BF; ASCII): the first
    /// offset it names ends the longest valid prefix, and a string is
    /// valid exactly when it names none.
    @Test func firstInvalidUTF8AgreesWithTheStandardLibrary() {
        let bytes: [UInt8] = [0x41, 0x2C, 0xC0, 0xC1, 0xC2, 0xDF, 0xE0, 0xE1, 0xE5, 0xEC, 0xED, 0xEE, 0xEF, 0xF0, 0xF4, 0xF5,
                              0x80, 0x8F, 0x90, 0x9F, 0xA0, 0xBF]
        var random = SeededRandom(seed: 11)
        for _ in 0..<30000 {
            let text = (0..<Int.random(in: 1...12, using: &random)).map { _ in
                Int.random(in: 0..<3, using: &random) == 0
                    ? bytes[Int.random(in: 0..<bytes.count, using: &random)]
                    : bytes[Int.random(in: 16..<bytes.count, using: &random)]
            }
            let found = text.withUnsafeBufferPointer { firstInvalidUTF8($0) }
            let valid = String(validating: text, as: UTF8.self) != nil
            #expect((found == nil) == valid, "\(text)")
            if let found {
                #expect(String(validating: text[..<found], as: UTF8.self) != nil, "\(text)")
                // No sequence starting at `found` is valid.
                #expect((found + 1...min(found + 4, text.count)).allSatisfy { String(validating: text[found..<$0], as: UTF8.self) == nil },
                        "\(text)")
            }
        }
    }

    /// The encoding check runs in pieces over files of several megabytes:
    /// valid text whatever the split, and one bad byte anywhere (even right
    /// at a piece boundary) found.
    @Test func utf8CheckedInPieces() {
        let text = Array(String(repeating: "岗位编号,职权名称,行政许可,é😀\n", count: 150_000).utf8)
        #expect(text.count > 4 << 20)
        text.withUnsafeBufferPointer { #expect(isValidUTF8($0)) }
        let pieces = 4 * ProcessInfo.processInfo.activeProcessorCount
        for at in [0, 17, text.count / pieces, text.count / 2 + 1, text.count - 1] {
            var bad = text
            bad[at] = 0xFF
            bad.withUnsafeBufferPointer { bytes in
                #expect(!isValidUTF8(bytes), "bad byte at \(at)")
                // The sequence the byte breaks starts at most three bytes before it.
                #expect(firstInvalidUTF8(bytes).map { (at - 3)...at ~= $0 } == true)
            }
        }
    }
}
