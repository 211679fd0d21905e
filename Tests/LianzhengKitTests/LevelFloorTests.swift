import Testing
@testable import LianzhengKit

/// Hand-worked level floors (SPEC §3, §4) on the default scheme plus the
/// floors below; year 2025, as_of 2025-12-31.
///
///   1: 一级 if the post holds 行政许可 or 行政处罚
///   2: 二级 if key_decisions
///   3: 一级 if a 属实 党纪政纪处分 within 3 years
///   4: 三级 if the post holds 内部事务   (below every score level: never raises)
@Suite struct LevelFloorTests {
    static let floors = """
        "level_floors": [
          {"level": "一级", "power_kinds": ["行政许可", "行政处罚"]},
          {"level": "中", "key_decisions": true},
          {"level": "一级", "incident_kinds": ["党纪政纪处分"], "statuses": ["属实"], "within_years": 3},
          {"level": "三级", "power_kinds": ["内部事务"]}
        ],
        """

    static func floorScheme() throws -> Scheme {
        try scheme { $0.replacingOccurrences(of: "\"level_floors\": [],", with: floors) }
    }

    struct Case: CustomTestStringConvertible, Sendable {
        var name: String
        var build: @Sendable (inout DatasetBuilder, Int32) -> Void
        var keyDecisions = false
        var score: Int64
        var level: String
        var floor: UInt16
        var testDescription: String { name }
    }

    static let cases: [Case] = [
        // 行政许可 w 1.0, nothing else: P = 0.5, S = 22.50 → 三级 by score; floor 1 → 一级.
        Case(name: "power-kind floor raises 三级 to 一级", build: { b, p in b.power(p, kind: "行政许可") },
             score: 2250, level: "一级", floor: 1),
        // No powers, 三重一大: P = 0.9, S = 40.50 → 二级 by score already; floor 2 names
        // 二级, not more severe than the score level → floor empty.
        Case(name: "key decisions floor not above the score level", build: { _, _ in }, keyDecisions: true,
             score: 4050, level: "二级", floor: 0),
        // 内部事务 (w 0.3) alone: P = 0.15, S = 6.75 → 三级; 三重一大 lifts P to 0.9 → 40.50 二级
        // by score. Take a post without key decisions instead: 6.75 → 三级, floor 2 does not
        // match, floor 4 names 三级 = score level → no effect, floor empty.
        Case(name: "floor below or at the score level has no effect", build: { b, p in b.power(p, kind: "内部事务") },
             score: 675, level: "三级", floor: 0),
        // 党纪政纪处分 属实 on 2023-01-01: 1095 days before as_of, age 2.99795 ≤ 3 → floor 3.
        // Hraw = 6·0.5^(2.997947/2) = 2.122831, H = 1 − e^(−0.424566) = 0.345946,
        // S = 30·H = 10.378395 → 1038 (三级 by score).
        Case(name: "incident floor inside within_years",
             build: { b, p in b.incident("X1", p, date: "2023-01-01", kind: "党纪政纪处分") },
             score: 1038, level: "一级", floor: 3),
        // 2022-12-31 is 1096 days before as_of: age 3.000684 > 3 → no floor; score alone.
        // Hraw = 6·0.5^(3.000684/2) = 2.120817, H = 0.345682, S = 10.370492 → 1037.
        Case(name: "incident floor just outside within_years",
             build: { b, p in b.incident("X1", p, date: "2022-12-31", kind: "党纪政纪处分") },
             score: 1037, level: "三级", floor: 0),
        // Same date inside the window but 部分属实: status not listed → no floor.
        // Hraw = 6·0.6·0.5^(2.997947/2) = 1.273698, H = 0.224882, S = 6.746452 → 675.
        Case(name: "incident floor with a non-matching status",
             build: { b, p in b.incident("X1", p, date: "2023-01-01", kind: "党纪政纪处分", status: .partial) },
             score: 675, level: "三级", floor: 0),
        // 行政处罚 and 三重一大: floors 1 (一级) and 2 (二级) match; S: P = max(0.5, 0.9) = 0.9
        // → 40.50 二级 by score; the most severe floor level is 一级, the first floor naming
        // 一级 is floor 1.
        Case(name: "two floors with different levels: the more severe wins",
             build: { b, p in b.power(p, kind: "行政处罚") }, keyDecisions: true,
             score: 4050, level: "一级", floor: 1),
    ]

    @Test(arguments: cases)
    func handWorked(_ c: Case) throws {
        let s = try Self.floorScheme()
        var b = DatasetBuilder()
        let p = b.post("P1", keyDecisions: c.keyDecisions)
        c.build(&b, p)
        let r = RiskKernel(scheme: s, year: 2025).run(try RiskInput(dataset: b.build(), scheme: s))
        #expect(r.score[0] == c.score)
        #expect(s.levels[Int(r.level[0])].name == c.level)
        #expect(r.floor[0] == c.floor)
    }

    /// The first matching floor whose level is the final one is named, even
    /// when a later floor of the same level also matches.
    @Test func firstFloorOfTheFinalLevelIsNamed() throws {
        let s = try Self.floorScheme()
        var b = DatasetBuilder()
        let p = b.post("P1")
        b.power(p, kind: "行政许可")
        b.incident("X1", p, date: "2025-06-30", kind: "党纪政纪处分")
        let r = RiskKernel(scheme: s, year: 2025).run(try RiskInput(dataset: b.build(), scheme: s))
        #expect(r.level[0] == 0)
        #expect(r.floor[0] == 1)
    }
}
