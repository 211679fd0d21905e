/// 名额状态: what the 优秀 quota (优秀比例, SPEC §5) did to a subject.
public enum QuotaStatus: UInt8, Sendable, CaseIterable {
    /// Not a candidate for the quota band (printed empty).
    case none = 0
    /// A candidate that keeps the quota band.
    case kept = 1
    /// A candidate moved to the next band because the allowance was used up.
    case demoted = 2
    /// The last kept or the first demoted candidate when the two are equal on
    /// total, deductions and base: the committee decides between them.
    case tie = 3

    /// As printed in assessments.csv: empty, `kept`, `demoted` or `tie`.
    public var code: String {
        switch self {
        case .none: ""
        case .kept: "kept"
        case .demoted: "demoted"
        case .tie: "tie"
        }
    }

    /// 中文说明, for summaries and reports.
    public var chineseName: String {
        switch self {
        case .none: ""
        case .kept: "保留"
        case .demoted: "顺延至下一档"
        case .tie: "并列待议"
        }
    }
}

/// 考核结果 of one year (SPEC §5): every subject's points, veto, band, quota
/// status and rank, held column by column.
///
/// Row i is one subject; rows are in assessments.csv order: subject type as
/// printed (`post` before `unit`), then subject id (UTF-8 bytes), which is
/// the subject's row index in the canonical dataset. Points are integer
/// hundredths throughout. The itemised detail behind the numbers (indicator
/// scores, adjustment rows, the incidents behind automatic deductions, veto
/// reasons) is rebuilt on demand by `scorecard(at:)`.
public struct AssessmentOutcome: Sendable {
    /// 考核年度 Y.
    public let year: Int
    /// The scheme the result was computed with (replaced only by a what-if
    /// regrading under other bands or quota, `regraded(under:)`).
    public internal(set) var scheme: Scheme
    /// The dataset the result was computed from (shared, not copied).
    public let dataset: Dataset
    let tree: UnitTree

    /// 对象类型.
    public internal(set) var type: [SubjectType] = []
    /// Row index of the subject in `dataset.units` or `dataset.posts`, by `type`.
    public internal(set) var subject: [Int32] = []
    /// 基础分: the sum of the subject's scores of scheme indicators in Y.
    public internal(set) var base: [Int64] = []
    /// The sum of the subject's 加分 points in Y, before `bonus_cap`.
    public internal(set) var bonusSum: [Int64] = []
    /// 加分: min(bonus_cap, bonusSum).
    public internal(set) var bonus: [Int64] = []
    /// The sum of the subject's 扣分 rows in Y.
    public internal(set) var manualDeductions: [Int64] = []
    /// The sum of automatic deductions for 属实 incidents in scope dated in Y.
    public internal(set) var automaticDeductions: [Int64] = []
    /// 扣分: manual + automatic, capped at `deduction_cap` when the scheme sets one.
    public internal(set) var deductions: [Int64] = []
    /// 总分: max(0, base + bonus − deductions).
    public internal(set) var total: [Int64] = []
    /// A 一票否决 row in Y.
    public internal(set) var vetoByAdjustment: [Bool] = []
    /// A 属实 incident in scope of a veto kind dated in Y.
    public internal(set) var vetoByIncident: [Bool] = []
    /// 档次 after veto and quota: an index into `scheme.assessment.bands`.
    public internal(set) var band: [Int32] = []
    /// 名额状态.
    public internal(set) var quotaStatus: [QuotaStatus] = []
    /// 排名 within the group (1-based, shared places: 1, 2, 2, 4).
    public internal(set) var rank: [Int32] = []
    /// The quota group: for a post its unit, for a unit its parent; -1 for
    /// the group of units without a parent. An index into `dataset.units`.
    public internal(set) var groupUnit: [Int32] = []
    /// n: the number of subjects of the row's type in its group, vetoed ones included.
    public internal(set) var groupSize: [Int32] = []
    /// floor(share·n + 0.5); -1 when the scheme has no quota.
    public internal(set) var allowance: [Int32] = []

    /// `assessmentStart[i]..<assessmentEnd[i]`: the subject's rows of Y in `dataset.assessments`.
    var assessmentStart: [Int32] = []
    var assessmentEnd: [Int32] = []
    /// `adjustmentStart[i]..<adjustmentEnd[i]`: the subject's rows of Y in `dataset.adjustments`.
    var adjustmentStart: [Int32] = []
    var adjustmentEnd: [Int32] = []
    /// Outcome row of each post and unit, -1 when it is no subject in Y.
    var rowOfPost: [Int32]
    var rowOfUnit: [Int32]
    /// Automatic deductions and veto kinds resolved per incident kind code,
    /// once, for the scorecards.
    let kindRules: IncidentKindRules
    /// The scheme's indicator names as bytes, for the scorecards.
    let indicatorMatcher: IndicatorMatcher

    init(year: Int, scheme: Scheme, dataset: Dataset, tree: UnitTree) {
        self.year = year
        self.scheme = scheme
        self.dataset = dataset
        self.tree = tree
        kindRules = IncidentKindRules(kinds: dataset.incidents.kind, scheme: scheme, year: year)
        indicatorMatcher = IndicatorMatcher(scheme: scheme)
        rowOfPost = [Int32](repeating: -1, count: dataset.posts.count)
        rowOfUnit = [Int32](repeating: -1, count: dataset.units.count)
    }

    /// The number of subjects.
    public var count: Int { type.count }

    /// 一票否决, by adjustment row or by incident.
    public func veto(at i: Int) -> Bool { vetoByAdjustment[i] || vetoByIncident[i] }

    /// 对象编号 of row i.
    public func subjectID(at i: Int) -> String {
        type[i] == .unit ? dataset.units.id[Int(subject[i])] : dataset.posts.id[Int(subject[i])]
    }

    /// The name of row i's band (优秀 …).
    public func bandName(at i: Int) -> String { scheme.assessment.bands[Int(band[i])].name }

    /// The row of a subject, or nil when it has no assessment or adjustment row in Y.
    public func row(of type: SubjectType, index: Int) -> Int? {
        let r = type == .unit ? rowOfUnit[index] : rowOfPost[index]
        return r < 0 ? nil : Int(r)
    }

    /// How many subjects of `type` (or of both types) fall in each band, in scheme order.
    /// - Complexity: O(count).
    public func bandCounts(of type: SubjectType? = nil) -> [Int] {
        var counts = [Int](repeating: 0, count: scheme.assessment.bands.count)
        for i in 0..<count where type == nil || self.type[i] == type {
            counts[Int(band[i])] += 1
        }
        return counts
    }
}
