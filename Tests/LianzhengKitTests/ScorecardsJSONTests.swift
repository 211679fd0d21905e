import Foundation
import Testing
@testable import LianzhengKit

/// scorecards.json's subjects are written from row numbers and the columns'
/// bytes (`ScorecardRows`), not from `scorecard(at:)`'s strings: the two must
/// say the same thing, item for item, and match SPEC §5 worked by hand.
@Suite struct ScorecardsJSONTests {
    /// 局 ─┬─ 科A ── 股A1      posts: P局 in 局, PA in 科A, PA1 in 股A1, PB in 科B
    ///     └─ 科B
    /// with every kind of item: bonus and 扣分 rows, a 一票否决 row, automatic
    /// deductions on two dates, a veto-kind incident, a missing indicator,
    /// texts that JSON must escape, and rows of another year.
    static func fixture() -> AssessmentFixture {
        var f = AssessmentTests.tree()  // the four units scored 90.00 each
        f.scores(.post, "P局", base: 9500)
        f.score(.post, "PA", "领导重视", 2000)
        f.score(.post, "PA", "注重成效", 2550)
        f.scores(.post, "PA1", base: 8000)
        f.adjust(.post, "PA1", .bonus, 300)
        f.adjust(.post, "PA1", .deduction, 150)
        f.adjust(.post, "PA1", .bonus, 400, reason: "专项\"攻坚\"")
        f.scores(.post, "PB", base: 9900)
        f.adjust(.post, "PB", .veto, reason: "严重违纪\\通报")
        f.incident("X2", post: "PA1", date: "2025-09-09", kind: "通报批评")  // 1.00
        f.incident("X1", post: "PA1", date: "2025-09-09", kind: "提醒谈话")  // 0.50
        f.incident("X0", post: "PA", date: "2025-01-02", kind: "诫勉谈话")  // 2.00
        f.incident("X9", post: "PB", date: "2025-03-01", kind: "司法追究")  // veto kind
        f.incident("X8", post: "PA", date: "2024-12-31", kind: "诫勉谈话")  // another year
        f.incident("X7", post: "PA", date: "2025-06-01", kind: "诫勉谈话", status: .partial)  // not 属实
        return f
    }

    static func subjects() throws -> (AssessmentOutcome, [[String: Any]]) {
        let d = fixture().builder.build()
        let c = try YearComputation(dataset: d, scheme: .default, year: 2025, threads: 2)
        let run = RunIdentity(datasetFingerprint: d.computeFingerprint(), schemeFingerprint: Scheme.default.fingerprint, year: 2025)
        let outputs = YearEndOutputs(c, run: run, chineseHeaders: false)
        let json = try #require(outputs.files.first { $0.name == "scorecards.json" }).bytes
        let document = try #require(try JSONSerialization.jsonObject(with: Data(json)) as? [String: Any])
        return (c.assessment, try #require(document["subjects"] as? [[String: Any]]))
    }

    static func subject(_ subjects: [[String: Any]], _ type: String, _ id: String) throws -> [String: Any] {
        try #require(subjects.first { $0["subject_type"] as? String == type && $0["subject_id"] as? String == id })
    }

    /// Hundredths as scorecards.json prints them (two decimals), read back.
    static func points(_ value: Any?) -> Int64? {
        (value as? NSNumber).map { Int64(($0.doubleValue * 100).rounded()) }
    }

    @Test func everySubjectSaysWhatItsScorecardSays() throws {
        let (outcome, subjects) = try Self.subjects()
        #expect(subjects.count == outcome.count)
        for (i, json) in subjects.enumerated() {
            let card = outcome.scorecard(at: i)
            let at = "subject \(card.subjectID)"
            #expect(json["subject_type"] as? String == card.type.englishName, "\(at)")
            #expect(json["subject_id"] as? String == card.subjectID, "\(at)")
            #expect(Self.points(json["base"]) == card.base, "\(at)")
            let indicators = try #require(json["indicators"] as? [[String: Any]])
            #expect(indicators.map { $0["indicator"] as? String } == card.indicatorScores.map(\.indicator), "\(at)")
            #expect(indicators.map { Self.points($0["score"]) } == card.indicatorScores.map(\.score), "\(at)")
            #expect(json["missing_indicators"] as? [String] == card.missingIndicators, "\(at)")
            for (key, items) in [("bonus_items", card.bonusItems), ("deduction_items", card.deductionItems)] {
                let rows = try #require(json[key] as? [[String: Any]])
                #expect(rows.map { $0["reason"] as? String } == items.map(\.reason), "\(at) \(key)")
                #expect(rows.map { Self.points($0["points"]) } == items.map(\.points), "\(at) \(key)")
            }
            let automatic = try #require(json["automatic_deductions"] as? [[String: Any]])
            #expect(automatic.map { $0["incident_id"] as? String } == card.automaticDeductionItems.map(\.incident.incidentID), "\(at)")
            #expect(automatic.map { $0["post_id"] as? String } == card.automaticDeductionItems.map(\.incident.postID), "\(at)")
            #expect(automatic.map { $0["kind"] as? String } == card.automaticDeductionItems.map(\.incident.kind), "\(at)")
            #expect(automatic.map { $0["date"] as? String } == card.automaticDeductionItems.map(\.incident.dateText), "\(at)")
            #expect(automatic.map { Self.points($0["points"]) } == card.automaticDeductionItems.map(\.points), "\(at)")
            #expect(Self.points(json["deductions_before_cap"]) == card.deductionSum, "\(at)")
            #expect(Self.points(json["total"]) == card.total, "\(at)")
            #expect(json["veto"] as? Bool == card.veto, "\(at)")
            #expect((json["veto_reasons"] as? [String])?.count == card.vetoReasons.count, "\(at)")
            #expect(json["band"] as? String == card.bandName, "\(at)")
            #expect(json["quota_status"] as? String == card.quotaStatus.code, "\(at)")
            #expect(json["rank"] as? Int == card.rank, "\(at)")
            let group = try #require(json["quota_group"] as? [String: Any])
            #expect(group["unit_id"] as? String == card.groupUnitID, "\(at)")
            #expect(group["size"] as? Int == card.groupSize, "\(at)")
            #expect(group["allowance"] as? Int == card.allowance, "\(at)")
        }
    }

    /// 局's scope is every post: the counting incidents are X0 (2025-01-02,
    /// 诫勉谈话 2.00), X1 and X2 (2025-09-09, by id: 提醒谈话 0.50, then 通报批评
    /// 1.00); X8 is of 2024 and X7 only 部分属实, so neither counts. X9
    /// (司法追究) has no points but vetoes 局, 科B and PB.
    @Test func unitScorecardListsTheIncidentsOfItsSubtree() throws {
        let (_, subjects) = try Self.subjects()
        let top = try Self.subject(subjects, "unit", "局")
        let automatic = try #require(top["automatic_deductions"] as? [[String: Any]])
        #expect(automatic.map { $0["incident_id"] as? String } == ["X0", "X1", "X2"])
        #expect(automatic.map { $0["post_id"] as? String } == ["PA", "PA1", "PA1"])
        #expect(automatic.map { $0["date"] as? String } == ["2025-01-02", "2025-09-09", "2025-09-09"])
        #expect(automatic.map { Self.points($0["points"]) } == [200, 50, 100])
        // 扣分 3.50 on a base of 90.00: total 86.50, but the veto makes it 不及格.
        #expect(Self.points(top["deductions"]) == 350 && Self.points(top["total"]) == 8650)
        #expect(top["veto_reasons"] as? [String] == ["2025-03-01 司法追究（X9，岗位 PB）属实"])
        #expect(top["band"] as? String == "不及格")
        // 科A holds PA and PA1: the same three incidents. 股A1 holds PA1 only.
        let a1 = try Self.subject(subjects, "unit", "股A1")
        #expect((a1["automatic_deductions"] as? [[String: Any]])?.map { $0["incident_id"] as? String } == ["X1", "X2"])
        #expect(a1["veto_reasons"] as? [String] == [])
    }

    /// PA1: 80.00 + bonus (3.00 + 4.00 = 7.00, capped at 5.00) − 扣分 (1.50 +
    /// X1 0.50 + X2 1.00 = 3.00) = 82.00 → 良好. The bonus reason keeps its
    /// quotes through JSON. PB's 一票否决 row gives the veto reason with its
    /// backslash, then X9. PA has no 目标具体 or 材料详实 row (缺项).
    @Test func postScorecardsItemiseEveryPoint() throws {
        let (_, subjects) = try Self.subjects()
        let pa1 = try Self.subject(subjects, "post", "PA1")
        let bonus = try #require(pa1["bonus_items"] as? [[String: Any]])
        #expect(Set(bonus.compactMap { $0["reason"] as? String }) == ["事由", "专项\"攻坚\""])
        #expect(Self.points(pa1["bonus_before_cap"]) == 700 && Self.points(pa1["bonus"]) == 500)
        #expect(Self.points(pa1["deductions_before_cap"]) == 300 && Self.points(pa1["total"]) == 8200)
        #expect(pa1["band"] as? String == "良好")
        let pb = try Self.subject(subjects, "post", "PB")
        #expect(pb["veto_reasons"] as? [String] == ["一票否决：严重违纪\\通报", "2025-03-01 司法追究（X9，岗位 PB）属实"])
        let pa = try Self.subject(subjects, "post", "PA")
        #expect(pa["missing_indicators"] as? [String] == ["目标具体", "材料详实"])
        #expect((pa["indicators"] as? [[String: Any]])?.map { Self.points($0["score"]) } == [2000, 2550])
    }

    // MARK: - Texts encoded or pinned once

    static let awkwardTexts = ["", "一级", "a\"b", "back\\slash", "tab\there", "line\nbreak", "\u{1}", "=SUM(A1)", "-1", " lead", "trail ", "a,b", "@x"]

    /// A text of a pinned column is exactly what `string(_:)` writes, in
    /// the first and in a later position of an array: alone in its column
    /// (copied between quotes when it has nothing to escape) and beside a
    /// text that needs escaping (then every text is escaped as written).
    @Test(arguments: awkwardTexts)
    func pinnedJSONStringsAreWhatTheWriterWrites(_ text: String) {
        var plain = JSONWriter()
        plain.beginArray(); plain.string(text); plain.string(text); plain.endArray()
        for (column, k) in [(JSONWriter.StringColumn([text]), 0), (JSONWriter.StringColumn(["a\"b", text]), 1)] {
            var pinned = JSONWriter()
            pinned.beginArray(); pinned.string(column, k); pinned.string(column, k); pinned.endArray()
            #expect(pinned.bytes == plain.bytes)
        }
    }

    /// A pre-encoded CSV cell is exactly what `appendText(_:)` writes
    /// (guard and quoting included), first in a record and after a cell.
    @Test(arguments: awkwardTexts)
    func encodedCSVCellsAreWhatTheWriterWrites(_ text: String) {
        var plain = CSVWriter()
        var encoded = CSVWriter()
        plain.appendText(text); plain.appendText(text); plain.endRecord()
        plain.appendText(text); plain.endRecord()
        let once = CSVWriter.EncodedCells(["other", text])
        encoded.appendText(once, 1); encoded.appendText(once, 1); encoded.endRecord()
        encoded.appendText(once, 1); encoded.endRecord()
        #expect(encoded.bytes == plain.bytes)
    }
}
