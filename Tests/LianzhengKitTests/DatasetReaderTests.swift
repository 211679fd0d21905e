import Foundation
import Testing
@testable import LianzhengKit

/// A reported position: file name (the test adds the folder), line, column.
struct At: Equatable, CustomStringConvertible, Sendable {
    var file: String
    var line: Int
    var column: Int
    init(_ file: String, _ line: Int, _ column: Int) {
        self.file = file
        self.line = line
        self.column = column
    }
    var description: String { "\(file):\(line):\(column)" }
}

/// Reads `folder` and returns the problems it must fail with, checking on
/// the way that the failure is `.invalidData` (exit 65) and that every issue
/// names a file of `folder` by its full path.
func invalidData(
    _ folder: DatasetFolder, scheme: Scheme? = nil, encoding: InputEncoding = .auto,
    sourceLocation: SourceLocation = #_sourceLocation
) throws -> (at: [At], issues: [InputIssue], total: Int) {
    guard let error = try folder.readError(scheme: scheme, encoding: encoding) else {
        Issue.record("read succeeded; expected invalid data", sourceLocation: sourceLocation)
        return ([], [], 0)
    }
    guard case .invalidData(let issues, let total) = error else {
        Issue.record("expected invalidData, got \(error)", sourceLocation: sourceLocation)
        return ([], [], 0)
    }
    #expect(error.exitCode == 65, sourceLocation: sourceLocation)
    let prefix = folder.path + "/"
    for issue in issues {
        #expect(issue.file.hasPrefix(prefix), "\(issue.file) is not a path in the folder", sourceLocation: sourceLocation)
    }
    let at = issues.map { At(String($0.file.dropFirst(prefix.count)), $0.line, $0.column) }
    return (at, issues, total)
}

/// Reading a dataset folder: encodings, headers, value rules at file level,
/// every kind of bad input with its exact FILE:LINE:COLUMN (SPEC §2).
///
/// Unless a case says otherwise the folder is `DatasetFolder.valid`
/// (units U1, U2; posts P1 in U1, P2 in U2; one power of P1; incident X1 of
/// P1) with one file replaced, so the expected problems are the only ones.
/// Reading a dataset folder (SPEC §2).
@Suite struct DatasetReaderTests {
    static let powersHeader = "post_id,power,kind,annual_count,amount,discretion\n"
    static let riskPointsHeader = "point_id,post_id,type,description,measures\n"
    static let incidentsHeader = "incident_id,post_id,date,kind,status\n"

    /// Tens of thousands of distinct unknown kinds (free text under the kind
    /// header) are reported like any other problem, without trapping.
    @Test func manyDistinctUnknownKinds() throws {
        var powers = Self.powersHeader
        for k in 1...70_000 { powers += "P1,职权\(k),类别\(k),1,1,1\n" }
        let folder = DatasetFolder.valid(with: ["powers.csv": powers])
        defer { folder.remove() }
        let found = try invalidData(folder)
        #expect(found.total == 70_000)
        #expect(found.at.first == At("powers.csv", 2, 3))
    }

    /// Ids compare by UTF-8 bytes: "é" (U+00E9) and "e" + U+0301 are two
    /// different ids, though Swift's `String ==` calls them equal.
    @Test func idsCompareByBytes() throws {
        let folder = DatasetFolder.valid(with: [
            "units.csv": "unit_id,name\nU1,a\nU2,b\nU\u{E9},c\nUe\u{301},d\n",
            "incidents.csv": Self.incidentsHeader + "X\u{E9},P1,2025-03-01,投诉,\nXe\u{301},P1,2025-03-01,投诉,\n",
            "risk_points.csv": Self.riskPointsHeader + "R\u{E9},P1,duty,a,\nRe\u{301},P1,duty,b,\n",
        ])
        defer { folder.remove() }
        let d = try folder.read().dataset
        #expect(d.units.count == 4)
        #expect(d.incidents.count == 2)
        #expect(d.riskPoints.count == 2)
        // Byte order: "Ue" (55 65) before "Ué" (55 C3 A9).
        #expect(Array(d.units.id[2].utf8) == Array("Ue\u{301}".utf8))
    }
}
