import Foundation
import Testing
@testable import LianzhengKit

/// The dataset fingerprint (SPEC §7): SHA-256 of the parsed data in
/// canonical order — the same whatever the encoding, line ends, column
/// order, header language or row order; different when any value differs.
@Suite struct FingerprintTests {
    static func fingerprint(_ folder: DatasetFolder, encoding: InputEncoding = .auto) throws -> String {
        defer { folder.remove() }
        return try folder.read(encoding: encoding).dataset.fingerprint
    }

    /// The fingerprint of `CSVDataset.rich` written plainly (UTF-8, LF, English headers, file order).
    static func base() throws -> String {
        try fingerprint(CSVDataset.rich.folder())
    }

    /// The shipped samples: the UTF-8 one and the Excel/GB18030 one.
    @Test func sampleAndGBKSampleAgree() throws {
        let utf8 = DatasetReader(directory: repositoryRoot + "/Datasets/sample", scheme: try scheme())
        let gbk = DatasetReader(directory: repositoryRoot + "/Datasets/sample-gbk", scheme: try scheme())
        let a = try utf8.read()
        let b = try gbk.read()
        #expect(a.fingerprint == b.fingerprint)
        #expect(a.fingerprint.count == 64)
        #expect(a.posts.count >= 150 && a.riskPoints.count > 0)
        // sample-gbk really is GB18030 (not valid UTF-8) with CRLF line ends.
        let units = try Data(contentsOf: URL(fileURLWithPath: repositoryRoot + "/Datasets/sample-gbk/units.csv"))
        #expect(String(data: units, encoding: .utf8) == nil)
        #expect(units.contains(0x0D))
        #expect(utf8.warnings.isEmpty && gbk.warnings.isEmpty)
    }

    @Test(arguments: [
        CSVDataset.Style(id: "rows shuffled", shuffleRows: true, seed: 11),
        CSVDataset.Style(id: "rows shuffled, other seed", shuffleRows: true, seed: 12),
        CSVDataset.Style(id: "columns shuffled", shuffleColumns: true, seed: 13),
        CSVDataset.Style(id: "Chinese headers", chineseHeaders: true),
        CSVDataset.Style(id: "columns shuffled, headers mixed", shuffleColumns: true, chineseHeaders: true, seed: 14),
        CSVDataset.Style(id: "CRLF", crlf: true),
        CSVDataset.Style(id: "BOM", bom: true),
        CSVDataset.Style(id: "GB18030", gb18030: true),
        CSVDataset.Style(id: "padding around fields", padding: true, seed: 15),
        CSVDataset.Style(id: "blank lines", blankLines: true, seed: 16),
        CSVDataset.Style(id: "Excel on Chinese Windows: GB18030, CRLF, Chinese headers, shuffled",
                         shuffleRows: true, shuffleColumns: true, chineseHeaders: true, crlf: true, gb18030: true, seed: 17),
        CSVDataset.Style(id: "everything at once", shuffleRows: true, shuffleColumns: true, chineseHeaders: true, crlf: true,
                         bom: true, padding: true, blankLines: true, seed: 18),
    ])
    func sameDataSameFingerprint(_ style: CSVDataset.Style) throws {
        #expect(try Self.fingerprint(CSVDataset.rich.folder(style)) == (try Self.base()))
    }

    @Test(arguments: 100..<108 as Range<UInt64>)
    func randomStylesAgree(seed: UInt64) throws {
        var random = SeededRandom(seed: seed)
        let style = CSVDataset.Style(
            id: "seed \(seed)", shuffleRows: .random(using: &random), shuffleColumns: .random(using: &random),
            chineseHeaders: .random(using: &random), crlf: .random(using: &random), bom: .random(using: &random),
            gb18030: .random(using: &random), padding: .random(using: &random), blankLines: .random(using: &random),
            seed: seed)
        #expect(try Self.fingerprint(CSVDataset.rich.folder(style)) == (try Self.base()), "seed \(seed)")
    }

    struct Edit: CustomTestStringConvertible, Sendable {
        var id: String
        var table: InputTable
        var row: Int
        var column: String
        var value: String
        var testDescription: String { id }
        func apply(_ d: CSVDataset) -> CSVDataset { d.editing(table, row: row, column: column, to: value) }
    }

    /// One value changed: the parsed data differs, so must the fingerprint.
    static let changes: [Edit] = [
        Edit(id: "unit name", table: .units, row: 2, column: "name", value: "城西分局"),
        Edit(id: "unit kind", table: .units, row: 1, column: "kind", value: "内设机构"),
        Edit(id: "unit parent", table: .units, row: 3, column: "parent_id", value: "U1"),
        Edit(id: "post unit", table: .posts, row: 1, column: "unit_id", value: "U1"),
        Edit(id: "post name", table: .posts, row: 0, column: "name", value: "副局长"),
        Edit(id: "post category", table: .posts, row: 0, column: "category", value: "综合"),
        Edit(id: "post holder given", table: .posts, row: 1, column: "holder", value: "钱七"),
        Edit(id: "tenure 6.5 → 6.6", table: .posts, row: 0, column: "tenure_years", value: "6.6"),
        Edit(id: "tenure blank → 0", table: .posts, row: 1, column: "tenure_years", value: "0"),
        Edit(id: "self_level", table: .posts, row: 0, column: "self_level", value: "二级"),
        Edit(id: "controls blank (unknown) → 0", table: .posts, row: 1, column: "controls", value: "0"),
        Edit(id: "key_decisions 否 → 是", table: .posts, row: 2, column: "key_decisions", value: "是"),
        Edit(id: "power name", table: .powers, row: 1, column: "power", value: "人事调配"),
        Edit(id: "power kind", table: .powers, row: 0, column: "kind", value: "项目审批"),
        Edit(id: "annual_count", table: .powers, row: 2, column: "annual_count", value: "1501"),
        Edit(id: "amount by one hundredth", table: .powers, row: 2, column: "amount", value: "120.51"),
        Edit(id: "discretion", table: .powers, row: 3, column: "discretion", value: "3"),
        Edit(id: "power post", table: .powers, row: 3, column: "post_id", value: "P2"),
        Edit(id: "incident date by a day", table: .incidents, row: 0, column: "date", value: "2023-05-02"),
        Edit(id: "incident status", table: .incidents, row: 0, column: "status", value: "属实"),
        Edit(id: "incident kind", table: .incidents, row: 2, column: "kind", value: "责令整改"),
        Edit(id: "incident post", table: .incidents, row: 1, column: "post_id", value: "P4"),
        Edit(id: "incident id", table: .incidents, row: 3, column: "incident_id", value: "X9"),
        Edit(id: "score by one hundredth", table: .assessments, row: 0, column: "score", value: "22.51"),
        Edit(id: "assessment year", table: .assessments, row: 3, column: "year", value: "2023"),
        Edit(id: "assessment subject", table: .assessments, row: 2, column: "subject_id", value: "P4"),
        Edit(id: "adjustment points", table: .adjustments, row: 2, column: "points", value: "1.6"),
        Edit(id: "adjustment reason", table: .adjustments, row: 0, column: "reason", value: "表扬"),
        Edit(id: "adjustment type", table: .adjustments, row: 2, column: "type", value: "加分"),
        Edit(id: "risk point measures given", table: .riskPoints, row: 1, column: "measures", value: "轮岗"),
        Edit(id: "risk point description", table: .riskPoints, row: 1, column: "description", value: "先批后办"),
        Edit(id: "risk point type", table: .riskPoints, row: 0, column: "type", value: "岗位职责"),
        Edit(id: "line break inside a quoted name → space", table: .units, row: 3, column: "name", value: "执法 一队"),
    ]

    @Test(arguments: changes)
    func changedValueChangesFingerprint(_ edit: Edit) throws {
        #expect(try Self.fingerprint(edit.apply(CSVDataset.rich).folder()) != (try Self.base()))
    }

    /// Every change above gives its own fingerprint.
    @Test func changesAreDistinct() throws {
        let prints = try Self.changes.map { try Self.fingerprint($0.apply(CSVDataset.rich).folder()) }
        #expect(Set(prints).count == Self.changes.count)
    }

    /// A different spelling of the same parsed value is the same data.
    @Test(arguments: [
        Edit(id: "tenure 6.5 → 6.50", table: .posts, row: 0, column: "tenure_years", value: "6.50"),
        Edit(id: "key_decisions blank → 否", table: .posts, row: 1, column: "key_decisions", value: "否"),
        Edit(id: "key_decisions 否 → FALSE", table: .posts, row: 2, column: "key_decisions", value: "FALSE"),
        Edit(id: "key_decisions 是 → y", table: .posts, row: 0, column: "key_decisions", value: "y"),
        Edit(id: "amount blank → 0", table: .powers, row: 1, column: "amount", value: "0"),
        Edit(id: "annual_count 1500 → 01500", table: .powers, row: 2, column: "annual_count", value: "01500"),
        Edit(id: "amount 5000 → 5000.0", table: .powers, row: 0, column: "amount", value: "5000.0"),
        Edit(id: "status verified → 属实", table: .incidents, row: 4, column: "status", value: "属实"),
        Edit(id: "status 待核实 → blank", table: .incidents, row: 0, column: "status", value: ""),
        Edit(id: "date 2023-05-01 → 2023年5月1日", table: .incidents, row: 0, column: "date", value: "2023年5月1日"),
        Edit(id: "score 20 → 20.00", table: .assessments, row: 1, column: "score", value: "20.00"),
        Edit(id: "subject_type 单位 → UNIT", table: .assessments, row: 0, column: "subject_type", value: "UNIT"),
        Edit(id: "veto points are ignored", table: .adjustments, row: 3, column: "points", value: "5"),
        Edit(id: "type 加分 → bonus", table: .adjustments, row: 0, column: "type", value: "bonus"),
        Edit(id: "risk type 思想道德 → moral", table: .riskPoints, row: 0, column: "type", value: "Moral"),
    ])
    func sameValueSameFingerprint(_ edit: Edit) throws {
        #expect(try Self.fingerprint(edit.apply(CSVDataset.rich).folder()) == (try Self.base()))
    }

    /// The fingerprint is recomputed from the canonical data, not remembered.
    @Test func fingerprintIsOfTheCanonicalData() throws {
        let folder = CSVDataset.rich.folder()
        defer { folder.remove() }
        let d = try folder.read().dataset
        #expect(d.computeFingerprint() == d.fingerprint)
        var copy = d
        copy.canonicalize()
        #expect(copy.fingerprint == d.fingerprint)
        // Ids are in UTF-8 byte order; references follow them.
        #expect((0..<d.units.count).map { d.units.id[$0] } == ["U1", "U2", "U3", "U31"])
        #expect(d.units.parent == [-1, 0, 0, 2])
        #expect(d.posts.unit == [0, 1, 2, 3])
    }
}
