import Foundation
import Testing
@testable import LianzhengKit

/// Hand-worked SPEC §5 cases, year 2025, default scheme unless a case says
/// otherwise: indicators 领导重视 25 + 目标具体 25 + 注重成效 30 + 材料详实 20;
/// bonus_cap 5; no deduction_cap; auto deductions 提醒谈话 0.5, 诫勉谈话 2,
/// 通报批评 1, 责令整改 1, 行政复议撤销 1, 行政诉讼败诉 1, 党纪政纪处分 5;
/// veto kind 司法追究; bands 优秀 ≥ 90, 良好 ≥ 80, 及格 ≥ 60, 不及格 ≥ 0;
/// quota 优秀 0.15. All points in hundredths (9050 = 90.50).
@Suite struct AssessmentTests {
    // MARK: - Points, veto and band of one post

    enum SchemeChoice: Sendable {
        case noQuota
        case deductionCap3

        func scheme() throws -> Scheme {
            switch self {
            case .noQuota: try TestSchemes.noQuota()
            case .deductionCap3: try TestSchemes.deductionCap("3")
            }
        }
    }

    struct PointsCase: CustomTestStringConvertible, Sendable {
        var name: String
        var scheme: SchemeChoice = .noQuota
        /// Adds rows for post P1 (in unit U1; P2 is its colleague there).
        var build: @Sendable (inout AssessmentFixture) -> Void
        var base: Int64
        var bonusSum: Int64 = 0
        var bonus: Int64 = 0
        var deductionSum: Int64 = 0
        var deductions: Int64 = 0
        var total: Int64
        var veto = false
        var band: String
        var testDescription: String { name }
    }

    static let pointsCases: [PointsCase] = [
        // 加分 3.00 + 4.50 = 7.50 > bonus_cap 5 → bonus 5.00; total 85.00 + 5.00 = 90.00 → 优秀.
        PointsCase(name: "bonus over the cap", build: { f in
            f.scores(.post, "P1", base: 8500)
            f.adjust(.post, "P1", .bonus, 300)
            f.adjust(.post, "P1", .bonus, 450)
        }, base: 8500, bonusSum: 750, bonus: 500, total: 9000, band: "优秀"),
        // 加分 2.50 < 5 kept whole: 80.00 + 2.50 = 82.50 → 良好.
        PointsCase(name: "bonus under the cap", build: { f in
            f.scores(.post, "P1", base: 8000)
            f.adjust(.post, "P1", .bonus, 250)
        }, base: 8000, bonusSum: 250, bonus: 250, total: 8250, band: "良好"),
        // deduction_cap 3: 扣分 2.00 + 党纪政纪处分 5.00 = 7.00 → capped 3.00; 95.00 − 3.00 = 92.00 → 优秀.
        PointsCase(name: "deduction cap", scheme: .deductionCap3, build: { f in
            f.scores(.post, "P1", base: 9500)
            f.adjust(.post, "P1", .deduction, 200)
            f.incident("X1", post: "P1", date: "2025-06-30", kind: "党纪政纪处分")
        }, base: 9500, deductionSum: 700, deductions: 300, total: 9200, band: "优秀"),
        // The same without a cap: 95.00 − 7.00 = 88.00 → 良好.
        PointsCase(name: "no deduction cap", build: { f in
            f.scores(.post, "P1", base: 9500)
            f.adjust(.post, "P1", .deduction, 200)
            f.incident("X1", post: "P1", date: "2025-06-30", kind: "党纪政纪处分")
        }, base: 9500, deductionSum: 700, deductions: 700, total: 8800, band: "良好"),
        // 2.00 − 党纪政纪处分 5.00 = −3.00 → max(0, −3.00) = 0.00 → 不及格.
        PointsCase(name: "total floored at 0", build: { f in
            f.scores(.post, "P1", base: 200)
            f.incident("X1", post: "P1", date: "2025-02-03", kind: "党纪政纪处分")
        }, base: 200, deductionSum: 500, deductions: 500, total: 0, band: "不及格"),
        // 一票否决 row: total stays 95.00, band is the last one, 不及格.
        PointsCase(name: "veto by row", build: { f in
            f.scores(.post, "P1", base: 9500)
            f.adjust(.post, "P1", .veto, reason: "违规")
        }, base: 9500, total: 9500, veto: true, band: "不及格"),
        // 司法追究 属实 in 2025 is a veto kind (and has no automatic deduction).
        PointsCase(name: "veto by incident", build: { f in
            f.scores(.post, "P1", base: 9500)
            f.incident("X1", post: "P1", date: "2025-03-01", kind: "司法追究")
        }, base: 9500, total: 9500, veto: true, band: "不及格"),
        // 司法追究 dated 2024-12-31 is in Y−1: no veto; 95.00 → 优秀.
        PointsCase(name: "veto incident in Y-1 ignored", build: { f in
            f.scores(.post, "P1", base: 9500)
            f.incident("X1", post: "P1", date: "2024-12-31", kind: "司法追究")
        }, base: 9500, total: 9500, band: "优秀"),
        // 司法追究 部分属实: only 属实 vetoes.
        PointsCase(name: "partial veto incident ignored", build: { f in
            f.scores(.post, "P1", base: 9500)
            f.incident("X1", post: "P1", date: "2025-03-01", kind: "司法追究", status: .partial)
        }, base: 9500, total: 9500, band: "优秀"),
        // 诫勉谈话 on the first day of Y: 2.00; 95.00 − 2.00 = 93.00.
        PointsCase(name: "incident on 1 Jan of Y counted", build: { f in
            f.scores(.post, "P1", base: 9500)
            f.incident("X1", post: "P1", date: "2025-01-01", kind: "诫勉谈话")
        }, base: 9500, deductionSum: 200, deductions: 200, total: 9300, band: "优秀"),
        // … and on the last day of Y.
        PointsCase(name: "incident on 31 Dec of Y counted", build: { f in
            f.scores(.post, "P1", base: 9500)
            f.incident("X1", post: "P1", date: "2025-12-31", kind: "诫勉谈话")
        }, base: 9500, deductionSum: 200, deductions: 200, total: 9300, band: "优秀"),
        // 2024-12-31 is in Y−1: not counted.
        PointsCase(name: "incident in Y-1 not counted", build: { f in
            f.scores(.post, "P1", base: 9500)
            f.incident("X1", post: "P1", date: "2024-12-31", kind: "诫勉谈话")
        }, base: 9500, total: 9500, band: "优秀"),
        // 2026-01-01 is in Y+1: not counted.
        PointsCase(name: "incident in Y+1 not counted", build: { f in
            f.scores(.post, "P1", base: 9500)
            f.incident("X1", post: "P1", date: "2026-01-01", kind: "诫勉谈话")
        }, base: 9500, total: 9500, band: "优秀"),
        // Only 属实 counts: 部分属实, 待核实 and 不属实 诫勉谈话 in 2025 give 0.
        PointsCase(name: "non-verified incidents not counted", build: { f in
            f.scores(.post, "P1", base: 9500)
            f.incident("X1", post: "P1", date: "2025-04-01", kind: "诫勉谈话", status: .partial)
            f.incident("X2", post: "P1", date: "2025-04-02", kind: "诫勉谈话", status: .pending)
            f.incident("X3", post: "P1", date: "2025-04-03", kind: "诫勉谈话", status: .unfounded)
        }, base: 9500, total: 9500, band: "优秀"),
        // 信访举报 has no entry in auto_deductions: 0.
        PointsCase(name: "kind without automatic deduction", build: { f in
            f.scores(.post, "P1", base: 9500)
            f.incident("X1", post: "P1", date: "2025-04-01", kind: "信访举报")
        }, base: 9500, total: 9500, band: "优秀"),
        // 提醒谈话 0.50 + 通报批评 1.00 + 诫勉谈话 2.00 + 扣分 1.25 = 4.75; 95.00 − 4.75 = 90.25 → 优秀.
        PointsCase(name: "deductions add up", build: { f in
            f.scores(.post, "P1", base: 9500)
            f.incident("X1", post: "P1", date: "2025-04-01", kind: "提醒谈话")
            f.incident("X2", post: "P1", date: "2025-05-01", kind: "通报批评")
            f.incident("X3", post: "P1", date: "2025-06-01", kind: "诫勉谈话")
            f.adjust(.post, "P1", .deduction, 125)
        }, base: 9500, deductionSum: 475, deductions: 475, total: 9025, band: "优秀"),
        // A colleague's incident counts for the colleague only.
        PointsCase(name: "another post's incident not counted", build: { f in
            f.scores(.post, "P1", base: 9500)
            f.incident("X1", post: "P2", date: "2025-04-01", kind: "党纪政纪处分")
        }, base: 9500, total: 9500, band: "优秀"),
        // Rows of 2024 are another year: base 60.00 from 2025 only, the 2024 bonus is ignored.
        PointsCase(name: "rows of another year ignored", build: { f in
            f.scores(.post, "P1", base: 6000)
            f.scores(.post, "P1", base: 9900, year: 2024)
            f.adjust(.post, "P1", .bonus, 400, year: 2024)
        }, base: 6000, total: 6000, band: "及格"),
    ]

    @Test(arguments: pointsCases)
    func points(_ c: PointsCase) throws {
        var f = AssessmentFixture()
        f.unit("U1")
        f.post("P1", in: "U1")
        f.post("P2", in: "U1")
        c.build(&f)
        let card = try #require(f.outcome(scheme: try c.scheme.scheme()).card(.post, "P1"))
        #expect(card.base == c.base)
        #expect(card.bonusSum == c.bonusSum)
        #expect(card.bonus == c.bonus)
        #expect(card.deductionSum == c.deductionSum)
        #expect(card.deductions == c.deductions)
        #expect(card.total == c.total)
        #expect(card.veto == c.veto)
        #expect(card.bandName == c.band)
        #expect(card.quotaStatus == .none)
    }

    // MARK: - Bands

    /// No quota, so the band is the first whose min ≤ total (SPEC §5).
    @Test(arguments: [
        (Int64(10000), "优秀"), (9000, "优秀"),  // 90.00 hits 优秀's min exactly
        (8999, "良好"), (8000, "良好"), (7999, "及格"), (6000, "及格"),
        (5999, "不及格"), (0, "不及格"),
    ])
    func bandBoundary(total: Int64, band: String) throws {
        var f = AssessmentFixture()
        f.unit("U1")
        f.scoredPost("P1", in: "U1", base: total)
        let card = try #require(f.outcome(scheme: try TestSchemes.noQuota()).card(.post, "P1"))
        #expect(card.total == total)
        #expect(card.bandName == band)
    }

    // MARK: - Unit scope: sub-units' posts count for every ancestor

    /// 局 ─┬─ 科A ── 股A1      posts: P局 in 局, PA in 科A, PA1 in 股A1, PB in 科B
    ///     └─ 科B
    static func tree() -> AssessmentFixture {
        var f = AssessmentFixture()
        f.unit("局")
        f.unit("科A", parent: "局")
        f.unit("科B", parent: "局")
        f.unit("股A1", parent: "科A")
        f.post("P局", in: "局")
        f.post("PA", in: "科A")
        f.post("PA1", in: "股A1")
        f.post("PB", in: "科B")
        for u in ["局", "科A", "科B", "股A1"] { f.scores(.unit, u, base: 9000) }
        return f
    }

    @Test func deductionsRollUpToEveryAncestor() throws {
        var f = Self.tree()
        f.incident("X1", post: "PA1", date: "2025-05-01", kind: "诫勉谈话")  // 2.00
        f.incident("X2", post: "PB", date: "2025-02-01", kind: "通报批评")  // 1.00
        f.incident("X3", post: "P局", date: "2025-07-01", kind: "提醒谈话")  // 0.50
        f.incident("X4", post: "PA1", date: "2024-11-11", kind: "党纪政纪处分")  // Y−1: 0
        let o = f.outcome(scheme: try TestSchemes.noQuota())
        // Posts have incidents but no rows: no subjects (4 units only).
        #expect(o.count == 4)
        #expect((0..<o.count).allSatisfy { o.type[$0] == .unit })
        // 股A1: X1 = 2.00 → 90.00 − 2.00 = 88.00.
        // 科A: its own post PA (none) + 股A1's PA1 (X1) = 2.00 → 88.00 (grandchild's post counts for the parent).
        // 科B: X2 = 1.00 → 89.00.
        // 局: X1 + X2 + X3 = 2.00 + 1.00 + 0.50 = 3.50 → 86.50 (and for the grandparent).
        let expected: [(String, Int64, Int64)] = [("股A1", 200, 8800), ("科A", 200, 8800), ("科B", 100, 8900), ("局", 350, 8650)]
        for (id, deductions, total) in expected {
            let card = try #require(o.card(.unit, id))
            #expect(card.deductions == deductions, "\(id)")
            #expect(card.automaticDeductions == deductions, "\(id)")
            #expect(card.total == total, "\(id)")
        }
        // 局's items, by (date, incident id), each with its post, kind, date and points.
        let items = try #require(o.card(.unit, "局")).automaticDeductionItems
        #expect(items.map(\.incident.incidentID) == ["X2", "X1", "X3"])
        #expect(items.map(\.incident.postID) == ["PB", "PA1", "P局"])
        #expect(items.map(\.incident.kind) == ["通报批评", "诫勉谈话", "提醒谈话"])
        #expect(items.map(\.incident.dateText) == ["2025-02-01", "2025-05-01", "2025-07-01"])
        #expect(items.map(\.points) == [100, 200, 50])
    }

    @Test func vetoIncidentRollsUpToAncestorsOnly() throws {
        var f = Self.tree()
        f.incident("X9", post: "PA1", date: "2025-08-08", kind: "司法追究")
        let o = f.outcome()
        // PA1 is in 股A1 ⊂ 科A ⊂ 局: those three are vetoed; 科B is not.
        for (id, vetoed) in [("股A1", true), ("科A", true), ("局", true), ("科B", false)] {
            let card = try #require(o.card(.unit, id))
            #expect(card.veto == vetoed, "\(id)")
            #expect(card.bandName == (vetoed ? "不及格" : "良好"), "\(id)")  // 90.00 in a quota group; see below
        }
        let reasons = try #require(o.card(.unit, "局")).vetoReasons
        #expect(reasons.count == 1)
        guard case .incident(let x) = reasons.first else {
            Issue.record("expected an incident veto reason")
            return
        }
        #expect(x.incidentID == "X9" && x.postID == "PA1" && x.kind == "司法追究" && x.dateText == "2025-08-08")
        // 科B (90.00, not vetoed) shares the group of 局's children with 科A (vetoed): n = 2,
        // allowance floor(0.15·2 + 0.5) = floor(0.8) = 0 → 科B is demoted to 良好.
        #expect(try #require(o.card(.unit, "科B")).quotaStatus == .demoted)
    }

    @Test func quotaGroups() throws {
        var f = Self.tree()
        f.unit("外")  // a second top-level unit
        f.scores(.unit, "外", base: 9000)
        f.scoredPost("Q", in: "外", base: 5000)
        let o = f.outcome()
        // Units by parent: {局, 外} (no parent), {科A, 科B} (局), {股A1} (科A); posts by unit: {Q} (外).
        let expected: [(SubjectType, String, String?, Int)] = [
            (.unit, "局", nil, 2), (.unit, "外", nil, 2), (.unit, "科A", "局", 2), (.unit, "科B", "局", 2),
            (.unit, "股A1", "科A", 1), (.post, "Q", "外", 1),
        ]
        for (type, id, group, size) in expected {
            let card = try #require(o.card(type, id))
            #expect(card.groupUnitID == group, "\(id)")
            #expect(card.groupSize == size, "\(id)")
            // Every unit totals 90.00: equal totals share rank 1.
            #expect(card.rank == 1, "\(id)")
        }
    }

    // MARK: - Quota

    /// allowance = floor(0.15·n + 0.5): n=1 0.65→0; n=3 0.95→0; n=4 1.10→1; n=7 1.55→1; n=10 2.00→2.
    @Test(arguments: [(1, 0), (3, 0), (4, 1), (7, 1), (10, 2)])
    func allowance(n: Int, expected: Int) throws {
        #expect(try TestSchemes.share("0.15").assessment.quota?.allowance(groupSize: n) == expected)
        // n posts in one unit, all 优秀 with distinct totals 99.00, 98.90, …: the first
        // `expected` keep 优秀, the rest are demoted to 良好.
        var f = AssessmentFixture()
        f.unit("U1")
        for k in 0..<n { f.scoredPost("P\(k)", in: "U1", base: 9900 - 10 * Int64(k)) }
        let o = f.outcome()
        for k in 0..<n {
            let card = try #require(o.card(.post, "P\(k)"))
            #expect(card.groupSize == n)
            #expect(card.allowance == expected)
            #expect(card.quotaStatus == (k < expected ? .kept : .demoted))
            #expect(card.bandName == (k < expected ? "优秀" : "良好"))
        }
    }

    struct QuotaCase: CustomTestStringConvertible, Sendable {
        var name: String
        /// (post id, base, bonus, 扣分), all in unit U1.
        var posts: [(String, Int64, Int64, Int64)]
        /// Expected quota status and band by post id; unlisted posts: none, 良好.
        var expected: [String: (QuotaStatus, String)]
        var testDescription: String { name }
    }

    /// Seven 80.00 posts that fill a group up to n = 10 (allowance 2) without being candidates.
    static func filler(from first: Int, count: Int = 7) -> [(String, Int64, Int64, Int64)] {
        (first..<(first + count)).map { ("F\($0)", 8000, 0, 0) }
    }

    /// Groups of 10 posts (allowance floor(0.15·10 + 0.5) = 2) unless said otherwise.
    static let quotaCases: [QuotaCase] = [
        // Candidates P01 99, P02 95, P03 95 (equal base 95, deductions 0). Keep 2: P01, P02;
        // the boundary pair P02 | P03 is equal on (total, deductions, base) → both tie.
        QuotaCase(name: "two-way tie at the boundary",
                  posts: [("P01", 9900, 0, 0), ("P02", 9500, 0, 0), ("P03", 9500, 0, 0)] + filler(from: 4),
                  expected: ["P01": (.kept, "优秀"), "P02": (.tie, "优秀"), "P03": (.tie, "良好")]),
        // P02, P03, P04 all 95: only the boundary pair P02 | P03 is tie; P04 is plainly demoted.
        QuotaCase(name: "three-way tie at the boundary",
                  posts: [("P01", 9900, 0, 0), ("P02", 9500, 0, 0), ("P03", 9500, 0, 0), ("P04", 9500, 0, 0)]
                      + filler(from: 5, count: 6),
                  expected: ["P01": (.kept, "优秀"), "P02": (.tie, "优秀"), "P03": (.tie, "良好"), "P04": (.demoted, "良好")]),
        // P01 = P02 = 95 both kept; the boundary pair P02 95 | P03 92 differs: no tie.
        QuotaCase(name: "equal pair inside the allowance is no tie",
                  posts: [("P01", 9500, 0, 0), ("P02", 9500, 0, 0), ("P03", 9200, 0, 0)] + filler(from: 4),
                  expected: ["P01": (.kept, "优秀"), "P02": (.kept, "优秀"), "P03": (.demoted, "良好")]),
        // P02 97 − 2.00 = 95, P03 96 − 1.00 = 95: equal totals, P03 has fewer deductions → kept.
        QuotaCase(name: "equal totals broken by deductions",
                  posts: [("P01", 9900, 0, 0), ("P02", 9700, 0, 200), ("P03", 9600, 0, 100)] + filler(from: 4),
                  expected: ["P01": (.kept, "优秀"), "P03": (.kept, "优秀"), "P02": (.demoted, "良好")]),
        // P02 92 + 3.00 = 95, P03 94 + 1.00 = 95, no deductions: P03 has the higher base → kept.
        QuotaCase(name: "equal totals and deductions broken by base",
                  posts: [("P01", 9900, 0, 0), ("P02", 9200, 300, 0), ("P03", 9400, 100, 0)] + filler(from: 4),
                  expected: ["P01": (.kept, "优秀"), "P03": (.kept, "优秀"), "P02": (.demoted, "良好")]),
        // p2 and P3 equal on all three: id bytes decide who keeps the band:
        // "P3" (0x50 0x33) < "p2" (0x70 0x32), so P3 keeps (tie) and p2 is demoted (tie),
        // although a case-insensitive order would put p2 first.
        QuotaCase(name: "equal on all three: subject id bytes decide",
                  posts: [("P01", 9900, 0, 0), ("p2", 9500, 0, 0), ("P3", 9500, 0, 0)] + filler(from: 4),
                  expected: ["P01": (.kept, "优秀"), "P3": (.tie, "优秀"), "p2": (.tie, "良好")]),
        // n = 3: allowance floor(0.45 + 0.5) = 0. Nobody is kept, so there is no boundary pair:
        // both equal 95s are plainly demoted.
        QuotaCase(name: "allowance 0: all demoted, no tie",
                  posts: [("P01", 9500, 0, 0), ("P02", 9500, 0, 0), ("P03", 8000, 0, 0)],
                  expected: ["P01": (.demoted, "良好"), "P02": (.demoted, "良好")]),
    ]

    @Test(arguments: quotaCases)
    func quota(_ c: QuotaCase) throws {
        var f = AssessmentFixture()
        f.unit("U1")
        for (id, base, bonus, deduction) in c.posts { f.scoredPost(id, in: "U1", base: base, bonus: bonus, deduction: deduction) }
        let o = f.outcome()
        for (id, _, _, _) in c.posts {
            let card = try #require(o.card(.post, id))
            let (status, band) = c.expected[id] ?? (.none, "良好")
            #expect(card.quotaStatus == status, "\(id)")
            #expect(card.bandName == band, "\(id)")
        }
    }

    @Test func vetoedSubjectCountsInGroupSize() throws {
        // V 99.00 vetoed, A 98, B 97, C 96: n = 4 (V included) → allowance floor(0.6 + 0.5) = 1.
        // Without V, n = 3 would give 0. V is 不及格 and no candidate; A kept, B and C demoted.
        var f = AssessmentFixture()
        f.unit("U1")
        f.scoredPost("V", in: "U1", base: 9900)
        f.adjust(.post, "V", .veto, reason: "严重违纪")
        f.scoredPost("A", in: "U1", base: 9800)
        f.scoredPost("B", in: "U1", base: 9700)
        f.scoredPost("C", in: "U1", base: 9600)
        let o = f.outcome()
        let expected: [(String, QuotaStatus, String)] = [("V", .none, "不及格"), ("A", .kept, "优秀"), ("B", .demoted, "良好"), ("C", .demoted, "良好")]
        for (id, status, band) in expected {
            let card = try #require(o.card(.post, id))
            #expect(card.groupSize == 4, "\(id)")
            #expect(card.allowance == 1, "\(id)")
            #expect(card.quotaStatus == status, "\(id)")
            #expect(card.bandName == band, "\(id)")
        }
        #expect(try #require(o.card(.post, "V")).vetoReasons == [.adjustment(reason: "严重违纪", row: 0)])
    }

    // MARK: - Rank

    @Test func ranksShareEqualTotalsAndPutVetoedLast() throws {
        // U1: A 95, B 88, C 88, D 70 → 1, 2, 2, 4; vetoed V1 99, V2 99, V3 50 come after
        // everyone not vetoed, whatever their totals: 5, 5, 7. U2 is another group: E 60 → 1.
        var f = AssessmentFixture()
        f.unit("U1")
        f.unit("U2")
        for (id, base) in [("A", 9500), ("B", 8800), ("C", 8800), ("D", 7000), ("V1", 9900), ("V2", 9900), ("V3", 5000)] as [(String, Int64)] {
            f.scoredPost(id, in: "U1", base: base)
        }
        for v in ["V1", "V2", "V3"] { f.adjust(.post, v, .veto) }
        f.scoredPost("E", in: "U2", base: 6000)
        let o = f.outcome()
        for (id, rank) in [("A", 1), ("B", 2), ("C", 2), ("D", 4), ("V1", 5), ("V2", 5), ("V3", 7), ("E", 1)] {
            #expect(try #require(o.card(.post, id)).rank == rank, "\(id)")
        }
    }

    // MARK: - Subjects and scorecards

    @Test func subjectsAndMissingIndicators() throws {
        var f = AssessmentFixture()
        f.unit("U1")
        f.unit("A")
        // P1: two of four indicators: base 20.00 + 25.50 = 45.50; 目标具体 and 材料详实 missing.
        f.post("P1", in: "U1")
        f.score(.post, "P1", "注重成效", 2550)
        f.score(.post, "P1", "领导重视", 2000)
        // P2: only a 加分 row: a subject with base 0, all four missing, total 1.00.
        f.post("P2", in: "U1")
        f.adjust(.post, "P2", .bonus, 100, reason: "表彰")
        // P3: an incident only; P4: rows of 2024 only; unit U1 nothing: none is a subject of 2025.
        f.post("P3", in: "U1")
        f.incident("X1", post: "P3", date: "2025-03-03", kind: "诫勉谈话")
        f.post("P4", in: "U1")
        f.scores(.post, "P4", base: 9000, year: 2024)
        // Unit A: a subject; printed after the posts ("post" < "unit").
        f.scores(.unit, "A", base: 7000)
        let o = f.outcome()
        #expect((0..<o.count).map { "\(o.type[$0].englishName):\(o.subjectID(at: $0))" } == ["post:P1", "post:P2", "unit:A"])

        let p1 = try #require(o.card(.post, "P1"))
        #expect(p1.base == 4550)
        #expect(p1.indicatorScores.map(\.indicator) == ["领导重视", "注重成效"])  // scheme order
        #expect(p1.indicatorScores.map(\.score) == [2000, 2550])
        #expect(p1.missingIndicators == ["目标具体", "材料详实"])

        let p2 = try #require(o.card(.post, "P2"))
        #expect(p2.base == 0 && p2.bonus == 100 && p2.total == 100)
        #expect(p2.missingIndicators == ["领导重视", "目标具体", "注重成效", "材料详实"])
        #expect(p2.bonusItems == [AdjustmentItem(type: .bonus, points: 100, reason: "表彰", row: 0)])
    }

    @Test func scorecardItemsTraceEveryPoint() throws {
        var f = AssessmentFixture()
        f.unit("U1")
        f.scoredPost("P1", in: "U1", base: 9000)
        f.adjust(.post, "P1", .bonus, 300, reason: "获省级表彰")
        f.adjust(.post, "P1", .bonus, 400, reason: "专项工作")
        f.adjust(.post, "P1", .deduction, 150, reason: "材料逾期")
        f.incident("X2", post: "P1", date: "2025-09-09", kind: "通报批评")
        f.incident("X1", post: "P1", date: "2025-09-09", kind: "提醒谈话")
        f.incident("X0", post: "P1", date: "2025-01-02", kind: "信访举报")  // no automatic deduction
        let card = try #require(f.outcome(scheme: try TestSchemes.noQuota()).card(.post, "P1"))
        // 加分 3.00 + 4.00 = 7.00 → 5.00; 扣分 1.50 + 提醒谈话 0.50 + 通报批评 1.00 = 3.00;
        // total 90.00 + 5.00 − 3.00 = 92.00 → 优秀; no quota → allowance nil.
        // Rows in canonical order (type, points, reason): 3.00 before 4.00.
        #expect(card.bonusItems.map(\.reason) == ["获省级表彰", "专项工作"])
        #expect(card.bonusItems.map(\.points) == [300, 400])
        #expect(card.bonusSum == 700 && card.bonus == 500)
        #expect(card.deductionItems.map(\.reason) == ["材料逾期"])
        #expect(card.manualDeductions == 150 && card.automaticDeductions == 150 && card.deductions == 300)
        // Same date: by incident id, X1 before X2.
        #expect(card.automaticDeductionItems.map(\.incident.incidentID) == ["X1", "X2"])
        #expect(card.automaticDeductionItems.map(\.points) == [50, 100])
        #expect(card.total == 9200 && card.bandName == "优秀" && card.allowance == nil)
        #expect(card.vetoReasons.isEmpty && card.missingIndicators.isEmpty)
    }

    // MARK: - Input: points have at most two decimals

    struct DecimalsCase: CustomTestStringConvertible, Sendable {
        var name: String
        var file: String
        var text: String
        var line: Int
        var column: Int
        var testDescription: String { name }
    }

    static let decimalsCases: [DecimalsCase] = [
        // Line 2 is valid; line 3 column 5 (score) has three decimal places.
        DecimalsCase(name: "score 90.505", file: "assessments.csv",
                     text: "year,subject_type,subject_id,indicator,score\n2025,post,P1,领导重视,25.00\n2025,post,P1,注重成效,90.505\n",
                     line: 3, column: 5),
        // Exact in value, but three places are still an error (SPEC §2: 90.500).
        DecimalsCase(name: "score 25.500", file: "assessments.csv",
                     text: "year,subject_type,subject_id,indicator,score\n2025,post,P1,领导重视,25.500\n",
                     line: 2, column: 5),
        // Columns in another order: score is field 2 here.
        DecimalsCase(name: "score column first", file: "assessments.csv",
                     text: "indicator,score,year,subject_type,subject_id\n领导重视,1.001,2025,post,P1\n",
                     line: 2, column: 2),
        DecimalsCase(name: "adjustment points 1.005", file: "adjustments.csv",
                     text: "year,subject_type,subject_id,type,points,reason\n2025,post,P1,加分,1.005,表彰\n",
                     line: 2, column: 5),
    ]

    @Test(arguments: decimalsCases)
    func threeDecimalPlacesRejected(_ c: DecimalsCase) throws {
        let dir = try Self.minimalDataset()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        try c.text.write(toFile: dir + "/" + c.file, atomically: true, encoding: .utf8)
        do {
            _ = try DatasetReader(directory: dir, scheme: .default).read()
            Issue.record("3 decimal places accepted")
        } catch {
            #expect(error.exitCode == 65)
            guard case .invalidData(let issues, _) = error else {
                Issue.record("unexpected error \(error)")
                return
            }
            #expect(issues.count == 1)
            let issue = try #require(issues.first)
            #expect(issue.file == dir + "/" + c.file)
            #expect(issue.line == c.line && issue.column == c.column)
            #expect(issue.message.contains("两位小数"))
            #expect(error.description.hasPrefix("\(dir)/\(c.file):\(c.line):\(c.column): "))
        }
    }

    @Test func twoDecimalPlacesAccepted() throws {
        let dir = try Self.minimalDataset()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let text = "year,subject_type,subject_id,indicator,score\n2025,post,P1,领导重视,24.5\n2025,post,P1,注重成效,29.99\n"
        try text.write(toFile: dir + "/assessments.csv", atomically: true, encoding: .utf8)
        let o = AssessmentEngine.compute(dataset: try DatasetReader(directory: dir, scheme: .default).read(), scheme: .default, year: 2025)
        // 24.50 + 29.99 = 54.49.
        #expect(try #require(o.card(.post, "P1")).base == 5449)
    }

    /// units.csv, posts.csv and header-only powers.csv and incidents.csv.
    static func minimalDataset() throws -> String {
        let dir = temporaryDirectory()
        let files = [
            "units.csv": "unit_id,name\nU1,单位一\n",
            "posts.csv": "post_id,unit_id,name\nP1,U1,岗位一\n",
            "powers.csv": "post_id,power,kind\n",
            "incidents.csv": "incident_id,post_id,date,kind\n",
        ]
        for (name, text) in files { try text.write(toFile: dir + "/" + name, atomically: true, encoding: .utf8) }
        return dir
    }

    // MARK: - assessments.csv

    @Test(arguments: [false, true])
    func csvBytes(chineseHeaders: Bool) throws {
        // Post "=P1": 85.50 + 1.00 = 86.50 → 良好, rank 1 in U1; its id is guarded with '.
        // Post P2: a veto row only: base 0 → 0.00, veto, 不及格, rank 2 (vetoed after the rest).
        // Unit U1 (no parent, alone): 90.00 → 优秀 candidate, but n = 1 → allowance
        // floor(0.15 + 0.5) = 0 → demoted to 良好; rank 1.
        var f = AssessmentFixture()
        f.unit("U1")
        f.post("=P1", in: "U1")
        f.score(.post, "=P1", "领导重视", 2500)
        f.score(.post, "=P1", "目标具体", 2500)
        f.score(.post, "=P1", "注重成效", 3000)
        f.score(.post, "=P1", "材料详实", 550)
        f.adjust(.post, "=P1", .bonus, 100)
        f.post("P2", in: "U1")
        f.adjust(.post, "P2", .veto)
        f.scores(.unit, "U1", base: 9000)
        let header = chineseHeaders
            ? "年度,对象类型,对象编号,基础分,加分,扣分,总分,一票否决,档次,名额状态,排名"
            : "year,subject_type,subject_id,base,bonus,deductions,total,veto,band,quota_status,rank"
        let expected = [0xEF, 0xBB, 0xBF] + Array((header + "\r\n"
            + "2025,post,'=P1,85.50,1.00,0.00,86.50,false,良好,,1\r\n"
            + "2025,post,P2,0.00,0.00,0.00,0.00,true,不及格,,2\r\n"
            + "2025,unit,U1,90.00,0.00,0.00,90.00,false,良好,demoted,1\r\n").utf8)
        #expect(f.outcome().assessmentsCSV(chineseHeaders: chineseHeaders) == expected)
    }

    @Test func csvOfNoSubjectsIsHeaderOnly() {
        var f = AssessmentFixture()
        f.unit("U1")
        let expected = [0xEF, 0xBB, 0xBF] + Array("year,subject_type,subject_id,base,bonus,deductions,total,veto,band,quota_status,rank\r\n".utf8)
        #expect(f.outcome().assessmentsCSV() == expected)
    }

    // MARK: - Near the line (边界附近)

    /// Within 1.00 of 90, 80 or 60 (not of 0, the last band's min), distance 0 included.
    @Test(arguments: [
        (Int64(9000), "优秀", Int64(0)), (8900, "优秀", -100), (9100, "优秀", 100), (8050, "良好", 50),
        (5901, "及格", -99), (8899, nil, 0), (9101, nil, 0), (50, nil, 0),
    ] as [(Int64, String?, Int64)])
    func nearTheLine(total: Int64, band: String?, distance: Int64) throws {
        var f = AssessmentFixture()
        f.unit("U1")
        f.scoredPost("P1", in: "U1", base: total)
        let o = f.outcome(scheme: try TestSchemes.noQuota())
        let near = o.nearBandThresholds()
        if let band {
            #expect(near.count == 1)
            #expect(near.first.map { o.scheme.assessment.bands[$0.band].name } == band)
            #expect(near.first?.distance == distance)
        } else {
            #expect(near.isEmpty)
        }
    }

    @Test func vetoedSubjectIsNeverNearTheLine() throws {
        var f = AssessmentFixture()
        f.unit("U1")
        f.scoredPost("P1", in: "U1", base: 9000)
        f.adjust(.post, "P1", .veto)
        #expect(f.outcome(scheme: try TestSchemes.noQuota()).nearBandThresholds().isEmpty)
    }
}
