import Foundation
import Testing
@testable import LianzhengKit

/// `compare` (SPEC §8): the units.csv view, rolled up the unit tree and ranked.
@Suite struct CompareTests {
    /// Units U1 ⊃ {U11, U12 ⊃ U121} and U2 (no posts), seven posts whose
    /// scores are worked out from SPEC §4 (default scheme, no incidents, so
    /// H = 0 and S = (0.45·P + 0.25·D)·100; a 行政许可 power with count 0 and
    /// amount 0 gives P = 1·(0.5 + 0 + 0) = 0.5, and D = discretion/4):
    ///
    ///     U1    A1  discretion 4: 22.50 + 25.00 = 47.50  二级
    ///     U11   B1  discretion 0: 22.50                  三级
    ///           B2  discretion 1: 22.50 + 6.25 = 28.75   三级
    ///     U12   C1  no powers, 三重一大: P = 0.9 → 40.50 二级, controls 0 → NO_CONTROLS
    ///     U121  D1  discretion 3: 22.50 + 18.75 = 41.25  二级
    ///           D2  discretion 2: 22.50 + 12.50 = 35.00  三级
    ///           E1  count 1000 (f = 1), amount 10000 (a = 1) → P = 1,
    ///               discretion 4 → (0.45 + 0.25)·100 = 70.00 一级, controls 0 → NO_CONTROLS
    static func tree() -> Dataset {
        var b = DatasetBuilder(units: ["U1", "U11", "U12", "U121", "U2"])
        b.data.units.parent = [-1, 0, 0, 2, -1]
        let a1 = b.post("A1", unit: 0, category: "领导")
        let b1 = b.post("B1", unit: 1, category: "综合")
        let b2 = b.post("B2", unit: 1, category: "综合")
        b.post("C1", unit: 2, controls: 0, keyDecisions: true)
        let d1 = b.post("D1", unit: 3)
        let d2 = b.post("D2", unit: 3)
        let e1 = b.post("E1", unit: 3, controls: 0)
        b.power(a1, kind: "行政许可", discretion: 4)
        b.power(b1, kind: "行政许可", discretion: 0)
        b.power(b2, kind: "行政许可", discretion: 1)
        b.power(d1, kind: "行政许可", discretion: 3)
        b.power(d2, kind: "行政许可", discretion: 2)
        b.power(e1, kind: "行政许可", count: 1000, amount: 10000, discretion: 4)
        return b.build()
    }

    static func row(_ t: ComparisonTable, _ unit: String, _ scope: ComparisonTable.Scope) -> ComparisonTable.Row? {
        t.rows.first { t.dataset.units.id[$0.key] == unit && $0.scope == scope }
    }

    struct Expected: Sendable, CustomTestStringConvertible {
        var unit: String
        var scope: ComparisonTable.Scope
        var posts: Int
        var perLevel: [Int]
        var scoreSum: Int64
        var mean: Int64?
        var max: Int64
        var flagged: Int
        var rank: Int
        var testDescription: String { "\(unit) \(scope.code)" }
    }

    /// Rolled up, worked by hand:
    /// - U121 (a leaf): 41.25 + 35.00 + 70.00 = 146.25 over 3 → 48.75; max 70.00.
    /// - U12 含下级单位: C1 + U121 = 40.50 + 146.25 = 186.75 over 4 posts
    ///   = 46.6875 → 46.69 (half-up on hundredths: 18675 / 4 = 4668.75 → 4669);
    ///   levels [1, 2, 1]; flagged C1, E1.
    /// - U1 含下级单位: A1 + U11 + U12 = 47.50 + 51.25 + 186.75 = 285.50 over
    ///   7 = 40.7857… → 40.79 — not the mean of the sub-units' means; levels
    ///   [1, 3, 3]; max 70.00.
    /// Ranks by mean desc: U121 48.75, U1 本级 47.50, U12 含下级 46.69,
    /// U1 含下级 40.79, U12 本级 40.50, U11 25.63 (5125 / 2 = 2562.5 → 2563),
    /// U2 without posts last.
    static let expected: [Expected] = [
        Expected(unit: "U121", scope: .whole, posts: 3, perLevel: [1, 1, 1], scoreSum: 14625, mean: 4875, max: 7000, flagged: 1, rank: 1),
        Expected(unit: "U1", scope: .direct, posts: 1, perLevel: [0, 1, 0], scoreSum: 4750, mean: 4750, max: 4750, flagged: 0, rank: 2),
        Expected(unit: "U12", scope: .rolledUp, posts: 4, perLevel: [1, 2, 1], scoreSum: 18675, mean: 4669, max: 7000, flagged: 2, rank: 3),
        Expected(unit: "U1", scope: .rolledUp, posts: 7, perLevel: [1, 3, 3], scoreSum: 28550, mean: 4079, max: 7000, flagged: 2, rank: 4),
        Expected(unit: "U12", scope: .direct, posts: 1, perLevel: [0, 1, 0], scoreSum: 4050, mean: 4050, max: 4050, flagged: 1, rank: 5),
        Expected(unit: "U11", scope: .whole, posts: 2, perLevel: [0, 0, 2], scoreSum: 5125, mean: 2563, max: 2875, flagged: 0, rank: 6),
        Expected(unit: "U2", scope: .whole, posts: 0, perLevel: [0, 0, 0], scoreSum: 0, mean: nil, max: 0, flagged: 0, rank: 7),
    ]

    @Test(arguments: expected)
    func rolledUpRow(_ e: Expected) throws {
        let c = try YearComputation(dataset: Self.tree(), scheme: .default, year: 2025)
        #expect(c.risk.score == [4750, 2250, 2875, 4050, 4125, 3500, 7000])
        let t = ComparisonTable(c, by: .unit)
        #expect(t.rows.count == 7)
        let row = try #require(Self.row(t, e.unit, e.scope))
        #expect(row.figures.posts == e.posts)
        #expect(row.figures.perLevel == e.perLevel)
        #expect(row.figures.scoreSum == e.scoreSum)
        #expect(row.figures.meanScore == e.mean)
        #expect(row.figures.maxScore == e.max)
        #expect(row.figures.flaggedPosts == e.flagged)
        #expect(row.rank == e.rank)
    }

    /// The roll-up invariant on the sample dataset: a parent's rolled-up row
    /// is its direct row plus its children's rolled-up rows — posts, posts
    /// per level, flagged posts and hundredths summed, maximum of maxima,
    /// the mean recomputed from the summed hundredths — and the top-level
    /// units' rolled-up rows hold every post once.
    @Test func rollUpEqualsTheSumOfTheSubUnits() throws {
        let d = try DatasetReader(directory: datasetsPath("sample"), scheme: .default).read()
        let c = try YearComputation(dataset: d, scheme: .default, year: 2025)
        let t = ComparisonTable(c, by: .unit)
        let units = d.units
        func full(_ u: Int) -> UnitsCSV.Row {
            t.rows.first { $0.key == u && $0.scope != .direct }!.figures
        }
        var checkedParents = 0
        for u in 0..<units.count {
            let children = (0..<units.count).filter { Int(units.parent[$0]) == u }
            guard !children.isEmpty else {
                #expect(t.rows.filter { $0.key == u }.map(\.scope) == [.whole])
                continue
            }
            checkedParents += 1
            let own = try #require(t.rows.first { $0.key == u && $0.scope == .direct }).figures
            let rolled = try #require(t.rows.first { $0.key == u && $0.scope == .rolledUp }).figures
            let parts = [own] + children.map(full)
            #expect(rolled.posts == parts.map(\.posts).reduce(0, +))
            #expect(rolled.perLevel == parts.map(\.perLevel).reduce([0, 0, 0]) { zip($0, $1).map { $0 + $1 } })
            #expect(rolled.flaggedPosts == parts.map(\.flaggedPosts).reduce(0, +))
            #expect(rolled.scoreSum == parts.map(\.scoreSum).reduce(0, +))
            #expect(rolled.maxScore == parts.filter { $0.posts > 0 }.map(\.maxScore).max())
            #expect(rolled.meanScore == dividedRoundingHalfUp(rolled.scoreSum, by: Int64(rolled.posts)))
            #expect(rolled.band == own.band)
        }
        #expect(checkedParents == 5)  // U01, U02, U03, U04, U06
        let top = (0..<units.count).filter { units.parent[$0] < 0 }.map(full)
        #expect(top.map(\.posts).reduce(0, +) == d.posts.count)
        #expect(top.map(\.scoreSum).reduce(0, +) == c.risk.score.reduce(0, +))
        // Ranks are 1…n in order, and the order is the ranking's.
        #expect(t.rows.map(\.rank) == Array(1...t.rows.count))
        for (x, y) in zip(t.rows, t.rows.dropFirst()) { #expect(ComparisonTable.precedes(x, y, categories: [])) }
    }

    /// By category: 领导 (A1) 47.50; 未分类 (C1, D1, D2, E1) 186.75 / 4 → 46.69;
    /// 综合 (B1, B2) 25.63.
    @Test func byCategory() throws {
        let c = try YearComputation(dataset: Self.tree(), scheme: .default, year: 2025)
        let t = ComparisonTable(c, by: .category)
        #expect(t.categories == ["未分类", "综合", "领导"].sorted { utf8Precedes($0, $1) })
        #expect(t.rows.map { t.categories[$0.key] } == ["领导", "未分类", "综合"])
        #expect(t.rows.map(\.figures.meanScore) == [4750, 4669, 2563])
        #expect(t.rows.map(\.figures.posts).reduce(0, +) == 7)
        let csv = String(decoding: t.csv(), as: UTF8.self)
        #expect(csv.hasPrefix("\u{FEFF}year,rank,category,posts,一级,二级,三级,top_level_percent,mean_score,max_score,flagged_posts\r\n"))
        #expect(csv.contains("\r\n2025,2,未分类,4,1,2,1,25.00,46.69,70.00,2\r\n"))
    }

    static func figures(posts: Int, top: Int, sum: Int64, flagged: Int = 0, band: Int? = nil) -> UnitsCSV.Row {
        var r = UnitsCSV.Row(perLevel: [top, posts - top, 0])
        r.posts = posts
        r.scoreSum = sum
        r.flaggedPosts = flagged
        r.band = band
        return r
    }

    struct OrderCase: Sendable, CustomTestStringConvertible {
        var name: String
        var first: ComparisonTable.Row
        var second: ComparisonTable.Row
        var testDescription: String { name }
    }

    static func row(_ key: Int, _ f: UnitsCSV.Row, _ scope: ComparisonTable.Scope = .whole) -> ComparisonTable.Row {
        ComparisonTable.Row(key: key, scope: scope, figures: f, rank: 0)
    }

    /// Each case: `first` ranks before `second`, and not the other way round.
    static let orderCases: [OrderCase] = [
        OrderCase(name: "higher mean first",
            first: row(9, figures(posts: 2, top: 0, sum: 10_002)), second: row(1, figures(posts: 2, top: 2, sum: 10_000, flagged: 2))),
        // Means compare as printed: 10001/2 = 5000.5 → 50.01 and 50009/10 =
        // 5000.9 → 50.01 are equal, so the share decides (50 % vs 0 %), though
        // the second's exact mean is higher.
        OrderCase(name: "mean as printed",
            first: row(9, figures(posts: 2, top: 1, sum: 10_001)), second: row(1, figures(posts: 10, top: 0, sum: 50_009))),
        // Equal printed means (50.00): share 1/2 = 50.00 % beats 1/3 = 33.33 %.
        OrderCase(name: "then share of the most severe level",
            first: row(9, figures(posts: 2, top: 1, sum: 10_000)), second: row(1, figures(posts: 3, top: 1, sum: 15_000, flagged: 3))),
        OrderCase(name: "then flagged posts",
            first: row(9, figures(posts: 2, top: 1, sum: 10_000, flagged: 1)), second: row(1, figures(posts: 2, top: 1, sum: 10_000, band: 0))),
        OrderCase(name: "then the better band",
            first: row(9, figures(posts: 2, top: 1, sum: 10_000, band: 1)), second: row(1, figures(posts: 2, top: 1, sum: 10_000, band: 2))),
        OrderCase(name: "a band before none",
            first: row(9, figures(posts: 2, top: 1, sum: 10_000, band: 3)), second: row(1, figures(posts: 2, top: 1, sum: 10_000))),
        OrderCase(name: "then unit id",
            first: row(1, figures(posts: 2, top: 1, sum: 10_000)), second: row(2, figures(posts: 2, top: 1, sum: 10_000))),
        OrderCase(name: "rolled-up before direct",
            first: row(1, figures(posts: 2, top: 1, sum: 10_000), .rolledUp), second: row(1, figures(posts: 2, top: 1, sum: 10_000), .direct)),
        OrderCase(name: "rows without posts last",
            first: row(9, figures(posts: 1, top: 0, sum: 0)), second: row(1, figures(posts: 0, top: 0, sum: 0, flagged: 0, band: 0))),
    ]

    @Test(arguments: orderCases)
    func rankingOrder(_ c: OrderCase) {
        #expect(ComparisonTable.precedes(c.first, c.second, categories: []))
        #expect(!ComparisonTable.precedes(c.second, c.first, categories: []))
    }

    @Test func formats() throws {
        let c = try YearComputation(dataset: Self.tree(), scheme: .default, year: 2025)
        let t = ComparisonTable(c, by: .unit)
        let csv = String(decoding: t.csv(), as: UTF8.self)
        #expect(csv.hasPrefix("\u{FEFF}year,rank,unit_id,name,parent_id,scope,posts,一级,二级,三级,top_level_percent,mean_score,max_score,flagged_posts,band\r\n"))
        // U12 含下级单位: 4 posts, [1, 2, 1], 25.00 %, 46.69, 70.00, 2 flagged, no band.
        #expect(csv.contains("\r\n2025,3,U12,单位U12,U1,rolled_up,4,1,2,1,25.00,46.69,70.00,2,\r\n"))
        #expect(csv.hasSuffix("\r\n2025,7,U2,单位U2,,unit,0,0,0,0,,,,0,\r\n"))
        let zh = String(decoding: t.csv(chineseHeaders: true), as: UTF8.self)
        #expect(zh.hasPrefix("\u{FEFF}年度,排名,单位编号,单位名称,上级单位编号,统计范围,岗位数,一级,二级,三级,一级占比(%),平均风险分,最高风险分,预警岗位数,考核档次\r\n"))
        let text = String(decoding: t.text(), as: UTF8.self)
        #expect(text.contains("含下级单位") && text.contains("本级"))
        let html = String(decoding: t.html(), as: UTF8.self)
        #expect(html.hasPrefix("<!DOCTYPE html>") && !html.contains("<script") && html.contains("<td class=n>46.69<td class=n>70.00<td class=n>2<td>\n<tr>"))
    }

    @Test func htmlEscapesNames() throws {
        var b = DatasetBuilder(units: ["<b>&"])
        b.data.units.name = TextColumn(["\"><script>"])
        b.post("=1")
        let c = try YearComputation(dataset: b.build(), scheme: .default, year: 2025)
        let html = String(decoding: ComparisonTable(c).html(), as: UTF8.self)
        #expect(html.contains("&lt;b&gt;&amp;") && html.contains("&quot;&gt;&lt;script&gt;") && !html.contains("<script>"))
        let csv = String(decoding: ComparisonTable(c).csv(), as: UTF8.self)
        #expect(csv.contains(",<b>&,\"\"\"><script>\",,unit,1,"))
    }
}
