import Foundation
import Testing
@testable import LianzhengKit

/// Hand-worked SPEC §4 cases under the default scheme (weights 0.45/0.25/0.30,
/// amount_cap 10000, count_cap 1000, key_decisions_floor 0.9, half_life 2,
/// window 5, history_scale 5; levels 一级 ≥ 70, 二级 ≥ 40, 三级 ≥ 0), year 2025
/// so as_of = 2025-12-31. Each post is alone in its dataset.
@Suite struct RiskKernelTests {
    struct Case: CustomTestStringConvertible, Sendable {
        var name: String
        var build: @Sendable (inout DatasetBuilder, Int32) -> Void
        var keyDecisions = false
        var power: Double
        var discretion: Double
        var historyRaw: Double
        var score: Int64
        var level: String
        var testDescription: String { name }
    }

    static let cases: [Case] = [
        // No powers, no incidents: P = 0, D = 0, H = 1 − exp(−0) = 0, S = 0 → 0.00, 三级.
        Case(name: "no powers", build: { _, _ in }, power: 0, discretion: 0, historyRaw: 0, score: 0, level: "三级"),
        // 三重一大 with no powers: P = max(0, 0.9) = 0.9; S = 100·(0.45·0.9) = 40.5 (binary
        // 40.5 ± ulp); floor(4050.0… + 0.5) = 4050 → 40.50 ≥ 40 → 二级.
        Case(name: "key decisions floor", build: { _, _ in }, keyDecisions: true,
             power: 0.9, discretion: 0, historyRaw: 0, score: 4050, level: "二级"),
        // 行政许可 (w 1.0), amount 0, count 0: a = f = 0, P = 1.0·(0.5 + 0 + 0) = 0.5;
        // S = 100·0.45·0.5 = 22.5 → 2250.
        Case(name: "one power, nothing else", build: { b, p in b.power(p, kind: "行政许可") },
             power: 0.5, discretion: 0, historyRaw: 0, score: 2250, level: "三级"),
        // Amount 50000 ≥ cap and count 1000 = cap: a = min(1, ln 50001 / ln 10001) = 1,
        // f = ln 1001 / ln 1001 = 1; P = 1·(0.5 + 0.25 + 0.25) = 1; discretion 4 → D = 1.
        // S = (0.45 + 0.25)·100 = 70.0 exactly in binary64 → 7000 = the 一级 threshold.
        Case(name: "caps and score exactly on the 一级 threshold",
             build: { b, p in b.power(p, kind: "行政许可", count: 1000, amount: 50000, discretion: 4) },
             power: 1, discretion: 1, historyRaw: 0, score: 7000, level: "一级"),
        // 物资采购 (w 0.9), amount 100, count 10, discretion 2, plus a 内部事务 (w 0.3)
        // power with everything at the caps (0.3·1 = 0.3 < P, so it loses the max but its
        // discretion 4 wins D):
        // a = ln 101 / ln 10001 = 4.61512/9.21044 = 0.501075, f = ln 11 / ln 1001 = 2.397895/6.908755
        // = 0.347081; P = 0.9·(0.5 + 0.125269 + 0.086770) = 0.640835; D = 4/4 = 1.
        // S = 100·(0.45·0.640835 + 0.25·1) = 53.837575… → 5384 → 二级.
        Case(name: "amount and count inside the caps, max over powers",
             build: { b, p in
                 b.power(p, kind: "物资采购", count: 10, amount: 100, discretion: 2)
                 b.power(p, kind: "内部事务", count: 5000, amount: 99999, discretion: 4)
             },
             power: 0.9 * ((0.5 + 0.25 * (log(1.0 + 100) / log(1.0 + 10000))) + 0.25 * (log(1.0 + 10) / log(1.0 + 1000))),
             discretion: 1, historyRaw: 0, score: 5384, level: "二级"),
        // 诫勉谈话 (3) 属实 (1.0) on 2025-12-31: age 0, h = 3·1·0.5^0 = 3; H = 1 − e^(−0.6)
        // = 0.451188; S = 100·0.3·0.451188 = 13.53565 → 1354.
        Case(name: "incident on 31 Dec of Y counts",
             build: { b, p in b.incident("X1", p, date: "2025-12-31", kind: "诫勉谈话") },
             power: 0, discretion: 0, historyRaw: 3, score: 1354, level: "三级"),
        // 1 Jan of Y+1 is after as_of: ignored.
        Case(name: "incident on 1 Jan of Y+1 ignored",
             build: { b, p in b.incident("X1", p, date: "2026-01-01", kind: "司法追究") },
             power: 0, discretion: 0, historyRaw: 0, score: 0, level: "三级"),
        // Window edge: 2020-12-31 is 1826 days before as_of, age 4.99932 ≤ 5: counted,
        // h = 1·1·0.5^(4.99932/2) = 0.176860…; Hraw = h; H = 1 − e^(−h/5) = 0.034746;
        // S = 100·0.3·0.034746 = 1.04237 → 104. 2020-12-30 (1827 days, age 5.00205) ignored.
        Case(name: "window edge",
             build: { b, p in
                 b.incident("X1", p, date: "2020-12-31", kind: "信访举报")
                 b.incident("X2", p, date: "2020-12-30", kind: "司法追究")
             },
             power: 0, discretion: 0, historyRaw: pow(0.5, (1826 / 365.25) / 2), score: 104, level: "三级"),
    ]

    @Test(arguments: cases)
    func handWorked(_ c: Case) throws {
        var b = DatasetBuilder()
        let p = b.post("P1", keyDecisions: c.keyDecisions)
        c.build(&b, p)
        let d = b.build()
        let s = SchemeParser.defaultScheme
        let r = RiskKernel(scheme: s, year: 2025).run(try RiskInput(dataset: d, scheme: s), threads: 1)
        #expect(r.power[0] == c.power)
        #expect(r.discretion[0] == c.discretion)
        #expect(r.historyRaw[0] == c.historyRaw)
        #expect(r.score[0] == c.score)
        #expect(s.levels[Int(r.level[0])].name == c.level)
        #expect(r.floor[0] == 0)
    }

    /// Each status factor on a 诫勉谈话 (3) dated 2023-12-31, 731 days before as_of
    /// (2024 is a leap year): age = 731/365.25 = 2.001369, decay 0.5^(1.000684) = 0.499526.
    /// 属实: h = 3·1.0·0.499526 = 1.498578, H = 0.259076, S = 7.77229 → 777;
    /// 部分属实 0.6: h = 0.899147, H = 0.164658, S = 4.93975 → 494;
    /// 待核实 0.3: h = 0.449573, H = 0.086030, S = 2.58089 → 258; 不属实 0: 0 → 0.
    @Test(arguments: [
        (IncidentStatus.verified, Int64(777)), (.partial, 494), (.pending, 258), (.unfounded, 0),
    ])
    func statusFactors(status: IncidentStatus, expected: Int64) throws {
        var b = DatasetBuilder()
        let p = b.post("P1")
        b.incident("X1", p, date: "2023-12-31", kind: "诫勉谈话", status: status)
        let s = SchemeParser.defaultScheme
        let r = RiskKernel(scheme: s, year: 2025).run(try RiskInput(dataset: b.build(), scheme: s))
        #expect(r.score[0] == expected)
    }

    /// Hraw adds incidents in (date, incident_id) order whatever the input order.
    @Test func historyOrderIsDateThenId() throws {
        var b = DatasetBuilder()
        let p = b.post("P1")
        b.incident("X9", p, date: "2025-06-01", kind: "投诉")
        b.incident("X2", p, date: "2024-01-05", kind: "党纪政纪处分", status: .partial)
        b.incident("X1", p, date: "2025-06-01", kind: "通报批评")
        let d = b.build()
        #expect((0..<3).map { d.incidents.id[$0] } == ["X2", "X1", "X9"])
        let s = SchemeParser.defaultScheme
        let r = RiskKernel(scheme: s, year: 2025).run(try RiskInput(dataset: d, scheme: s))
        let asOf = Double(CivilDate.endOfYear(2025))
        func h(_ w: Double, _ date: String) -> Double {
            var t = date
            let day = Double(t.withUTF8 { FieldParsing.date($0)! })
            return w * pow(0.5, ((asOf - day) / 365.25) / 2)
        }
        let expected = (h(6 * 0.6, "2024-01-05") + h(2 * 1.0, "2025-06-01")) + h(0.5 * 1.0, "2025-06-01")
        #expect(r.historyRaw[0] == expected)
    }

    /// A scheme naming its levels Ⅲ级/Ⅱ级/Ⅰ级 (most severe first): the kernel
    /// uses positions, never names; 70.00 lands on the first level.
    @Test func levelNamesAreFree() throws {
        let s = try scheme { text in
            text.replacingOccurrences(of: "\"name\": \"一级\"", with: "\"name\": \"Ⅲ级\"")
                .replacingOccurrences(of: "\"name\": \"三级\"", with: "\"name\": \"Ⅰ级\"")
                .replacingOccurrences(of: "\"name\": \"二级\"", with: "\"name\": \"Ⅱ级\"")
                .replacingOccurrences(of: "\"Ⅰ\", \"I\"", with: "\"一\"")
                .replacingOccurrences(of: "\"Ⅲ\", \"III\"", with: "\"三\"")
        }
        #expect(s.levels.map(\.name) == ["Ⅲ级", "Ⅱ级", "Ⅰ级"])
        var b = DatasetBuilder()
        let p = b.post("P1")
        b.power(p, kind: "行政许可", count: 1000, amount: 50000, discretion: 4)
        let q = b.post("P2")
        b.power(q, kind: "行政许可")
        let r = RiskKernel(scheme: s, year: 2025).run(try RiskInput(dataset: b.build(), scheme: s))
        #expect(r.score == [7000, 2250])
        #expect(r.level.map { s.levels[Int($0)].name } == ["Ⅲ级", "Ⅰ级"])
    }

    /// The previous year's score uses the same P and D with Hraw at 2024-12-31:
    /// the 2025-03-01 incident is after that as_of and drops out.
    @Test func previousYearScore() throws {
        var b = DatasetBuilder()
        let p = b.post("P1", keyDecisions: true)
        b.incident("X1", p, date: "2025-03-01", kind: "司法追究")
        let s = SchemeParser.defaultScheme
        let r = RiskKernel(scheme: s, year: 2025, withPreviousYear: true).run(try RiskInput(dataset: b.build(), scheme: s))
        #expect(r.previousScore == [4050])  // 40.50 from the 三重一大 floor alone
        #expect(r.score[0] > 4050)
    }

    /// Same results, bit for bit, for any number of threads.
    @Test(arguments: [UInt64(1), 7, 42])
    func threadCountDeterminism(seed: UInt64) throws {
        let s = try SchemeParser.parse(text: String(contentsOfFile: datasetsPath("schemes/rule-based.json"), encoding: .utf8), source: "rule-based").scheme
        let d = SyntheticDataset.make(posts: 20_000, seed: seed, scheme: s)
        let input = try RiskInput(dataset: d, scheme: s)
        let kernel = RiskKernel(scheme: s, year: 2025, withPreviousYear: true)
        let one = kernel.run(input, threads: 1)
        for threads in [2, 3, 8] {
            #expect(kernel.run(input, threads: threads) == one, "seed \(seed), threads \(threads)")
        }
    }
}

/// Path of a file under the repository's Datasets/ folder.
func datasetsPath(_ relative: String) -> String {
    URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("Datasets").appendingPathComponent(relative).path
}
