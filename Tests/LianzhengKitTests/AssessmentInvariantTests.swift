import Testing
@testable import LianzhengKit

/// Seeded random datasets checked against SPEC §5 by invariants and by a
/// naive reference (deductions and vetoes found by walking each incident up
/// its unit's ancestor chain, instead of the engine's bottom-up roll-up).
/// Scores are whole points so that equal totals, ties and quota
/// boundaries are common. Each test case is labelled by its seed.
@Suite struct AssessmentInvariantTests {
    static let seeds: [UInt64] = [1, 2, 3, 4, 5, 8, 13, 21, 34, 55, 89, 144, 233, 377, 610, 987]

    static func schemes() throws -> [(label: String, scheme: Scheme)] {
        [
            ("default", Scheme.default),
            ("no quota", try TestSchemes.noQuota()),
            ("deduction cap 3, quota kept", try TestSchemes.deductionCap("3", keepQuota: true)),
            ("share 0.5, bonus cap 2", try TestSchemes.share("0.5", bonusCap: "2")),
            ("share 0.3333", try TestSchemes.share("0.3333")),
        ]
    }

    @Test(arguments: seeds)
    func invariantsHold(seed: UInt64) throws {
        for (label, scheme) in try Self.schemes() {
            let data = Self.randomDataset(seed: seed, scheme: scheme)
            let outcome = AssessmentEngine.compute(dataset: data, scheme: scheme, year: 2025)
            let context = "seed \(seed), scheme \(label)"
            Self.checkAgainstReference(outcome, context)
            Self.checkBandsAndQuota(outcome, context)
            Self.checkGroups(outcome, context)
            Self.checkScorecards(outcome, context)
        }
    }

    /// The generator is worth its seeds: over all of them and all test
    /// schemes it produces every situation the invariants are about.
    @Test func generatorExercisesEveryCase() throws {
        var seen: [String: Int] = [:]
        for seed in Self.seeds {
            for (_, scheme) in try Self.schemes() {
            let o = AssessmentEngine.compute(dataset: Self.randomDataset(seed: seed, scheme: scheme), scheme: scheme, year: 2025)
            let d = o.dataset
            for i in 0..<o.count {
                seen[o.quotaStatus[i].code, default: 0] += 1
                if o.vetoByIncident[i] { seen["veto by incident", default: 0] += 1 }
                if o.vetoByAdjustment[i] { seen["veto by row", default: 0] += 1 }
                if o.base[i] + o.bonus[i] < o.deductions[i] { seen["floored at 0", default: 0] += 1 }
                if o.bonusSum[i] > o.bonus[i] { seen["bonus capped", default: 0] += 1 }
                if o.type[i] == .unit, d.units.parent[Int(o.subject[i])] >= 0 { seen["unit with parent", default: 0] += 1 }
            }
            // Two subjects of one group sharing a place.
            let places = (0..<o.count).map { "\(o.type[$0]) \(o.groupUnit[$0]) \(o.rank[$0])" }
            if Set(places).count < places.count { seen["shared rank", default: 0] += 1 }
            // A unit with an automatic deduction from a post that is not directly in it.
            for i in 0..<o.count where o.type[i] == .unit {
                let items = o.scorecard(at: i).automaticDeductionItems
                if items.contains(where: { d.posts.unit[Int(d.incidents.post[$0.incident.row])] != o.subject[i] }) {
                    seen["descendant deduction", default: 0] += 1
                }
            }
            }
        }
        for situation in ["kept", "demoted", "tie", "veto by incident", "veto by row", "floored at 0", "bonus capped",
                          "unit with parent", "shared rank", "descendant deduction"] {
            #expect(seen[situation, default: 0] > 0, "never generated: \(situation)")
        }
    }

    // MARK: - Generator

    static func randomDataset(seed: UInt64, scheme: Scheme) -> Dataset {
        var rng = SeededRandom(seed: seed)
        var d = Dataset()
        let prefixes = ["U", "u", "单位", "=U"]
        let unitCount = Int.random(in: 1...10, using: &rng)
        for u in 0..<unitCount {
            d.units.id.append(prefixes[Int.random(in: 0..<prefixes.count, using: &rng)] + "\(u)")
            d.units.name.append("单位\(u)")
            d.units.kind.append("")
            // A parent earlier in creation order: a forest, several levels deep.
            d.units.parent.append(u == 0 || Int.random(in: 0..<3, using: &rng) == 0 ? -1 : Int32(Int.random(in: 0..<u, using: &rng)))
        }
        let postCount = Int.random(in: 0...80, using: &rng)
        for p in 0..<postCount {
            d.posts.id.append((Bool.random(using: &rng) ? "P" : "p") + "\(p)")
            d.posts.unit.append(Int32(Int.random(in: 0..<unitCount, using: &rng)))
            d.posts.name.append("岗位\(p)")
            d.posts.category.append("")
            d.posts.holder.append("")
            d.posts.tenureYears.append(.nan)
            d.posts.selfLevel.append("")
            d.posts.controls.append(-1)
            d.posts.keyDecisions.append(false)
        }
        addIncidents(to: &d, scheme: scheme, using: &rng)
        for u in 0..<unitCount { addRows(to: &d, .unit, Int32(u), scheme: scheme, using: &rng) }
        for p in 0..<postCount { addRows(to: &d, .post, Int32(p), scheme: scheme, using: &rng) }
        d.canonicalize()
        return d
    }

    /// 0–3 incidents per post (1 in 25 of a veto kind), dated from mid-December of Y−1 to mid-January of Y+1.
    private static func addIncidents(to d: inout Dataset, scheme: Scheme, using rng: inout SeededRandom) {
        let vetoKinds = scheme.assessment.vetoKinds
        let kinds = scheme.risk.incidentKinds.map(\.name).filter { !vetoKinds.contains($0) }
        let first = CivilDate.daysFromCivil(year: 2024, month: 12, day: 15)
        let last = CivilDate.daysFromCivil(year: 2026, month: 1, day: 15)
        for p in 0..<d.posts.count {
            for _ in 0..<Int.random(in: 0...3, using: &rng) {
                d.incidents.id.append("X\(d.incidents.count)")
                d.incidents.post.append(Int32(p))
                d.incidents.date.append(Int32(Int.random(in: first...last, using: &rng)))
                let vetoes = Int.random(in: 0..<25, using: &rng) == 0
                d.incidents.kind.append(vetoes ? vetoKinds.randomElement(using: &rng)! : kinds.randomElement(using: &rng)!)
                let status: IncidentStatus = Bool.random(using: &rng) ? .verified : IncidentStatus.allCases.randomElement(using: &rng)!
                d.incidents.status.append(status.rawValue)
            }
        }
    }

    /// Scores (most indicators, whole points from 75 % of the max up),
    /// some 加分/扣分/一票否决 rows, and rows of 2024 that must be ignored.
    private static func addRows(
        to d: inout Dataset, _ type: SubjectType, _ s: Int32, scheme: Scheme, using rng: inout SeededRandom
    ) {
        func score(_ year: Int32, _ indicator: String, _ points: Int64) {
            d.assessments.year.append(year)
            d.assessments.subjectType.append(type.rawValue)
            d.assessments.subject.append(s)
            d.assessments.indicator.append(indicator)
            d.assessments.score.append(points)
        }
        func adjust(_ year: Int32, _ kind: AdjustmentType, _ points: Int64) {
            d.adjustments.year.append(year)
            d.adjustments.subjectType.append(type.rawValue)
            d.adjustments.subject.append(s)
            d.adjustments.type.append(kind.rawValue)
            d.adjustments.points.append(points)
            d.adjustments.reason.append("事由\(d.adjustments.count)")
        }
        if Int.random(in: 0..<4, using: &rng) > 0 {
            for indicator in scheme.assessment.indicators where Int.random(in: 0..<12, using: &rng) > 0 {
                score(2025, indicator.name, 100 * Int64.random(in: (indicator.max * 3 / 400)...(indicator.max / 100), using: &rng))
            }
        }
        if Int.random(in: 0..<10, using: &rng) == 0 {
            for indicator in scheme.assessment.indicators { score(2024, indicator.name, indicator.max) }
            adjust(2024, .veto, 0)
        }
        if Int.random(in: 0..<3, using: &rng) == 0 { adjust(2025, .bonus, 50 * Int64.random(in: 0...12, using: &rng)) }
        if Int.random(in: 0..<3, using: &rng) == 0 { adjust(2025, .deduction, 50 * Int64.random(in: 0...10, using: &rng)) }
        if Int.random(in: 0..<16, using: &rng) == 0 { adjust(2025, .veto, 0) }
    }

    // MARK: - Reference

    struct Expected {
        var base: Int64 = 0
        var bonusSum: Int64 = 0
        var manual: Int64 = 0
        var automatic: Int64 = 0
        var vetoRow = false
        var vetoIncident = false
    }

    /// SPEC §5 for every subject, the slow and obvious way.
    static func reference(_ d: Dataset, _ scheme: Scheme, year: Int) -> [SubjectKey: Expected] {
        var expected: [SubjectKey: Expected] = [:]
        let indicators = Set(scheme.assessment.indicators.map(\.name))
        for r in 0..<d.assessments.count where Int(d.assessments.year[r]) == year {
            let key = SubjectKey(type: SubjectType(rawValue: d.assessments.subjectType[r])!, subject: d.assessments.subject[r])
            expected[key, default: Expected()].base += indicators.contains(d.assessments.indicator[r]) ? d.assessments.score[r] : 0
        }
        for r in 0..<d.adjustments.count where Int(d.adjustments.year[r]) == year {
            let key = SubjectKey(type: SubjectType(rawValue: d.adjustments.subjectType[r])!, subject: d.adjustments.subject[r])
            switch AdjustmentType(rawValue: d.adjustments.type[r])! {
            case .bonus: expected[key, default: Expected()].bonusSum += d.adjustments.points[r]
            case .deduction: expected[key, default: Expected()].manual += d.adjustments.points[r]
            case .veto: expected[key, default: Expected()].vetoRow = true
            }
        }
        for i in 0..<d.incidents.count
        where d.incidents.status[i] == IncidentStatus.verified.rawValue && CivilDate.year(ofDays: d.incidents.date[i]) == year {
            let kind = d.incidents.kind[i]
            let points = scheme.assessment.autoDeductions.first { $0.kind == kind }?.points ?? 0
            let vetoes = scheme.assessment.vetoKinds.contains(kind)
            var scope = [SubjectKey(type: .post, subject: d.incidents.post[i])]
            var u = d.posts.unit[Int(d.incidents.post[i])]
            while u >= 0 {
                scope.append(SubjectKey(type: .unit, subject: u))
                u = d.units.parent[Int(u)]
            }
            for key in scope where expected[key] != nil {
                expected[key]!.automatic += points
                if vetoes { expected[key]!.vetoIncident = true }
            }
        }
        return expected
    }

    struct SubjectKey: Hashable {
        var type: SubjectType
        var subject: Int32
    }

    static func checkAgainstReference(_ o: AssessmentOutcome, _ context: String) {
        let d = o.dataset
        let rules = o.scheme.assessment
        let expected = reference(d, o.scheme, year: o.year)
        #expect(o.count == expected.count, "\(context): subject count")
        // Order: subject type as printed, then id bytes.
        for i in 1..<max(1, o.count) {
            let (a, b) = ((o.type[i - 1].englishName, o.subjectID(at: i - 1)), (o.type[i].englishName, o.subjectID(at: i)))
            #expect(a.0 < b.0 || (a.0 == b.0 && utf8Precedes(a.1, b.1)), "\(context): row order at \(i)")
        }
        for i in 0..<o.count {
            guard let e = expected[SubjectKey(type: o.type[i], subject: o.subject[i])] else {
                Issue.record("\(context): \(o.subjectID(at: i)) is no subject")
                continue
            }
            let sum = e.manual + e.automatic
            let deductions = rules.deductionCap.map { min($0, sum) } ?? sum
            let bonus = min(rules.bonusCap, e.bonusSum)
            let where_ = "\(context): \(o.type[i].englishName) \(o.subjectID(at: i))"
            #expect(o.base[i] == e.base, "\(where_) base")
            #expect(o.bonusSum[i] == e.bonusSum && o.bonus[i] == bonus, "\(where_) bonus")
            #expect(o.manualDeductions[i] == e.manual && o.automaticDeductions[i] == e.automatic, "\(where_) deductions")
            #expect(o.deductions[i] == deductions, "\(where_) capped deductions")
            #expect(o.total[i] == max(0, o.base[i] + o.bonus[i] - o.deductions[i]), "\(where_) total")
            #expect(o.vetoByAdjustment[i] == e.vetoRow && o.vetoByIncident[i] == e.vetoIncident, "\(where_) veto")
        }
    }

    // MARK: - Invariants

    /// The band before the quota: the last when vetoed, else the first whose min ≤ total.
    static func bandBeforeQuota(_ o: AssessmentOutcome, _ i: Int) -> Int {
        o.veto(at: i) ? o.scheme.assessment.bands.count - 1 : o.scheme.band(forTotal: o.total[i])
    }

    static func checkBandsAndQuota(_ o: AssessmentOutcome, _ context: String) {
        let quotaBand = o.scheme.assessment.quota?.band
        for i in 0..<o.count {
            let pre = bandBeforeQuota(o, i)
            let band = Int(o.band[i])
            let status = o.quotaStatus[i]
            let where_ = "\(context): \(o.subjectID(at: i))"
            guard pre == quotaBand else {
                #expect(status == .none && band == pre, "\(where_): not a candidate")
                continue
            }
            switch status {
            case .kept: #expect(band == pre, "\(where_): kept")
            case .demoted: #expect(band == pre + 1, "\(where_): demoted")
            case .tie: #expect(band == pre || band == pre + 1, "\(where_): tie")
            case .none: Issue.record("\(where_): a candidate without quota status")
            }
        }
        // Bands are monotone in total apart from veto and quota demotion.
        let plain = (0..<o.count).filter { !o.veto(at: $0) && o.band[$0] == bandBeforeQuota(o, $0) }
        for a in plain {
            for b in plain where o.total[a] > o.total[b] {
                #expect(o.band[a] <= o.band[b], "\(context): \(o.subjectID(at: a)) vs \(o.subjectID(at: b)) monotone")
            }
        }
    }

    static func checkGroups(_ o: AssessmentOutcome, _ context: String) {
        let d = o.dataset
        var groups: [SubjectKey: [Int]] = [:]
        for i in 0..<o.count {
            let s = Int(o.subject[i])
            let unit = o.type[i] == .post ? d.posts.unit[s] : d.units.parent[s]
            #expect(o.groupUnit[i] == unit, "\(context): \(o.subjectID(at: i)) group")
            groups[SubjectKey(type: o.type[i], subject: unit), default: []].append(i)
        }
        for (key, members) in groups {
            let where_ = "\(context): group \(key.type.englishName) under \(key.subject)"
            #expect(members.allSatisfy { Int(o.groupSize[$0]) == members.count }, "\(where_) size")
            checkRanks(o, members, where_)
            guard let quota = o.scheme.assessment.quota else {
                #expect(members.allSatisfy { o.allowance[$0] == -1 }, "\(where_) allowance without quota")
                continue
            }
            let allowance = quota.allowance(groupSize: members.count)
            #expect(members.allSatisfy { Int(o.allowance[$0]) == allowance }, "\(where_) allowance")
            checkQuota(o, members, band: quota.band, allowance: allowance, where_)
        }
    }

    /// Allowance respected and used up; kept before demoted in candidate
    /// order; `tie` only on an equal boundary pair; monotone within the group.
    static func checkQuota(_ o: AssessmentOutcome, _ members: [Int], band: Int, allowance: Int, _ where_: String) {
        let candidates = members.filter { bandBeforeQuota(o, $0) == band }.sorted { a, b in
            if o.total[a] != o.total[b] { return o.total[a] > o.total[b] }
            if o.deductions[a] != o.deductions[b] { return o.deductions[a] < o.deductions[b] }
            if o.base[a] != o.base[b] { return o.base[a] > o.base[b] }
            return utf8Precedes(o.subjectID(at: a), o.subjectID(at: b))
        }
        let keeping = members.filter { Int(o.band[$0]) == band }
        #expect(keeping.count <= allowance, "\(where_): allowance exceeded")
        #expect(keeping.count == min(allowance, candidates.count), "\(where_): allowance unused")
        #expect(candidates.enumerated().allSatisfy { k, r in (Int(o.band[r]) == band) == (k < allowance) }, "\(where_): kept ones first")
        let ties = candidates.filter { o.quotaStatus[$0] == .tie }
        func same(_ a: Int, _ b: Int) -> Bool { o.total[a] == o.total[b] && o.deductions[a] == o.deductions[b] && o.base[a] == o.base[b] }
        if allowance > 0, allowance < candidates.count, same(candidates[allowance - 1], candidates[allowance]) {
            #expect(ties == [candidates[allowance - 1], candidates[allowance]], "\(where_): boundary tie")
        } else {
            #expect(ties.isEmpty, "\(where_): tie without an equal boundary pair")
        }
        let notVetoed = members.filter { !o.veto(at: $0) }
        for a in notVetoed {
            for b in notVetoed where o.total[a] > o.total[b] {
                #expect(o.band[a] <= o.band[b], "\(where_): band monotone in the group")
            }
        }
    }

    /// rank = 1 + the number of members strictly ahead by (not vetoed, total desc).
    static func checkRanks(_ o: AssessmentOutcome, _ members: [Int], _ where_: String) {
        for r in members {
            let ahead = members.filter { m in
                o.veto(at: m) != o.veto(at: r) ? !o.veto(at: m) : o.total[m] > o.total[r]
            }.count
            #expect(Int(o.rank[r]) == ahead + 1, "\(where_): rank of \(o.subjectID(at: r))")
        }
    }

    /// Every number of a row is the sum of its scorecard's items.
    static func checkScorecards(_ o: AssessmentOutcome, _ context: String) {
        let indicatorCount = o.scheme.assessment.indicators.count
        for i in 0..<o.count {
            let card = o.scorecard(at: i)
            let where_ = "\(context): scorecard \(card.subjectID)"
            #expect(card.indicatorScores.map(\.score).reduce(0, +) == card.base, "\(where_) base")
            #expect(card.indicatorScores.count + card.missingIndicators.count == indicatorCount, "\(where_) missing")
            #expect(card.bonusItems.map(\.points).reduce(0, +) == card.bonusSum, "\(where_) bonus")
            #expect(card.deductionItems.map(\.points).reduce(0, +) == card.manualDeductions, "\(where_) 扣分")
            #expect(card.automaticDeductionItems.map(\.points).reduce(0, +) == card.automaticDeductions, "\(where_) auto")
            #expect(card.veto == !card.vetoReasons.isEmpty, "\(where_) veto reasons")
            #expect(card.total == o.total[i] && card.band == Int(o.band[i]) && card.rank == Int(o.rank[i]), "\(where_) row")
        }
        let csv = o.assessmentsCSV()
        #expect(csv.filter { $0 == 0x0A }.count == o.count + 1, "\(context): one CSV record per subject")
    }
}
