@testable import LianzhengKit

/// Builds assessment datasets by id for hand-worked SPEC §5 tests: units with
/// parents, posts, incidents, indicator scores and adjustment rows of 2025.
/// Points are written in hundredths (9050 = 90.50).
struct AssessmentFixture {
    var builder = DatasetBuilder(units: [])
    private var unitRow: [String: Int32] = [:]
    private var postRow: [String: Int32] = [:]

    /// The default scheme's indicators and maxima: 领导重视 25, 目标具体 25,
    /// 注重成效 30, 材料详实 20 (sum 100).
    static let indicators: [(name: String, max: Int64)] = [("领导重视", 2500), ("目标具体", 2500), ("注重成效", 3000), ("材料详实", 2000)]

    mutating func unit(_ id: String, parent: String? = nil) {
        builder.data.units.id.append(id)
        builder.data.units.name.append("单位" + id)
        builder.data.units.parent.append(parent.map { unitRow[$0]! } ?? -1)
        builder.data.units.kind.append("")
        unitRow[id] = Int32(builder.data.units.count - 1)
    }

    mutating func post(_ id: String, in unit: String) {
        postRow[id] = builder.post(id, unit: unitRow[unit]!)
    }

    private func row(_ type: SubjectType, _ id: String) -> Int32 {
        type == .unit ? unitRow[id]! : postRow[id]!
    }

    /// One indicator score.
    mutating func score(_ type: SubjectType, _ id: String, _ indicator: String, _ points: Int64, year: Int32 = 2025) {
        builder.data.assessments.year.append(year)
        builder.data.assessments.subjectType.append(type.rawValue)
        builder.data.assessments.subject.append(row(type, id))
        builder.data.assessments.indicator.append(indicator)
        builder.data.assessments.score.append(points)
    }

    /// All four indicators, filled in scheme order each up to its max, so
    /// that they add up to `base` (≤ 100.00).
    mutating func scores(_ type: SubjectType, _ id: String, base: Int64, year: Int32 = 2025) {
        var rest = base
        for (name, max) in Self.indicators {
            let points = min(max, rest)
            score(type, id, name, points, year: year)
            rest -= points
        }
        precondition(rest == 0, "base above 100.00")
    }

    mutating func adjust(
        _ type: SubjectType, _ id: String, _ kind: AdjustmentType, _ points: Int64 = 0,
        reason: String = "事由", year: Int32 = 2025
    ) {
        builder.data.adjustments.year.append(year)
        builder.data.adjustments.subjectType.append(type.rawValue)
        builder.data.adjustments.subject.append(row(type, id))
        builder.data.adjustments.type.append(kind.rawValue)
        builder.data.adjustments.points.append(points)
        builder.data.adjustments.reason.append(reason)
    }

    mutating func incident(_ id: String, post: String, date: String, kind: String, status: IncidentStatus = .verified) {
        builder.incident(id, postRow[post]!, date: date, kind: kind, status: status)
    }

    /// A post with base, bonus and 扣分 rows (no row when 0), in unit `unit`.
    mutating func scoredPost(_ id: String, in unit: String, base: Int64, bonus: Int64 = 0, deduction: Int64 = 0) {
        post(id, in: unit)
        scores(.post, id, base: base)
        if bonus > 0 { adjust(.post, id, .bonus, bonus) }
        if deduction > 0 { adjust(.post, id, .deduction, deduction) }
    }

    func outcome(scheme: Scheme = .default, year: Int = 2025) -> AssessmentOutcome {
        AssessmentEngine.compute(dataset: builder.build(), scheme: scheme, year: year)
    }
}

extension AssessmentOutcome {
    /// The scorecard of the subject with this type and id, nil when it is no subject.
    func card(_ type: SubjectType, _ id: String) -> SubjectAssessment? {
        (0..<count).first { self.type[$0] == type && subjectID(at: $0) == id }.map { scorecard(at: $0) }
    }
}

/// Schemes derived from the default one by editing its JSON text.
enum TestSchemes {
    static let quota = #""quota": {"band": "优秀", "share": 0.15}"#

    /// No quota: bands come from totals alone.
    static func noQuota() throws -> Scheme {
        try scheme { edit($0, quota, #""quota": null"#) }
    }

    /// `deduction_cap` set, and no quota unless asked.
    static func deductionCap(_ cap: String, keepQuota: Bool = false) throws -> Scheme {
        try scheme {
            let capped = edit($0, #""deduction_cap": null"#, #""deduction_cap": \#(cap)"#)
            return keepQuota ? capped : edit(capped, quota, #""quota": null"#)
        }
    }

    /// Another 优秀 share, and optionally another bonus cap.
    static func share(_ share: String, bonusCap: String = "5") throws -> Scheme {
        try scheme {
            edit(edit($0, quota, #""quota": {"band": "优秀", "share": \#(share)}"#), #""bonus_cap": 5"#, #""bonus_cap": \#(bonusCap)"#)
        }
    }

    /// Replaces `target`, failing loudly when it is absent so an edit can
    /// never silently do nothing.
    static func edit(_ text: String, _ target: String, _ replacement: String) -> String {
        precondition(text.contains(target), "scheme text lacks \(target)")
        return text.replacing(target, with: replacement)
    }
}
