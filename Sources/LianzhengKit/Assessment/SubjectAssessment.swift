/// 年度计分卡 of one subject (SPEC §5, §7 scorecards.json): every number of
/// its assessments.csv row and the input rows behind each, so a committee
/// asking "why 良好 and not 优秀?" finds the answer. Points are hundredths.
public struct SubjectAssessment: Sendable, Equatable {
    /// 对象类型.
    public var type: SubjectType
    /// Row index in `Dataset.units` or `Dataset.posts`, by `type`.
    public var subject: Int
    /// 对象编号.
    public var subjectID: String
    /// 基础分: the sum of `indicatorScores`.
    public var base: Int64
    /// The sum of `bonusItems` before the cap.
    public var bonusSum: Int64
    /// 加分 after `bonus_cap`.
    public var bonus: Int64
    /// The sum of the 扣分 rows (`deductionItems`).
    public var manualDeductions: Int64
    /// The sum of `automaticDeductionItems`.
    public var automaticDeductions: Int64
    /// manual + automatic, before `deduction_cap`.
    public var deductionSum: Int64
    /// 扣分 after `deduction_cap` (equal to `deductionSum` without a cap).
    public var deductions: Int64
    /// 总分: max(0, base + bonus − deductions).
    public var total: Int64
    /// 一票否决.
    public var veto: Bool
    /// Why the subject is vetoed: 一票否决 rows and veto-kind incidents, empty when not.
    public var vetoReasons: [VetoReason]
    /// 档次 after veto and quota, an index into `Scheme.assessment.bands`.
    public var band: Int
    /// The band's name (优秀 …).
    public var bandName: String
    /// 名额状态.
    public var quotaStatus: QuotaStatus
    /// 排名 within the quota group.
    public var rank: Int
    /// The quota group's unit (a post's unit, a unit's parent); nil for the
    /// group of units without a parent.
    public var groupUnit: Int?
    /// 单位编号 of `groupUnit`; nil for the top-level group.
    public var groupUnitID: String?
    /// n, vetoed subjects included.
    public var groupSize: Int
    /// floor(share·n + 0.5); nil when the scheme has no quota.
    public var allowance: Int?
    /// The score of every scheme indicator that has a row, in scheme order.
    public var indicatorScores: [IndicatorScore]
    /// 缺项: scheme indicators without a row in Y (they count 0), in scheme order.
    public var missingIndicators: [String]
    /// Rows naming an indicator the scheme does not have (only when a snapshot
    /// is assessed with another scheme); they do not count in `base`.
    public var ignoredScores: [IndicatorScore]
    /// 加分 rows of Y, in canonical row order.
    public var bonusItems: [AdjustmentItem]
    /// 扣分 rows of Y, in canonical row order.
    public var deductionItems: [AdjustmentItem]
    /// 属实 incidents in scope dated in Y whose kind has an automatic
    /// deduction, by (date, incident id).
    public var automaticDeductionItems: [AutomaticDeduction]
}

/// One indicator score of a scorecard.
public struct IndicatorScore: Sendable, Equatable {
    /// 指标.
    public var indicator: String
    /// 得分, hundredths.
    public var score: Int64
    /// Row in `Dataset.assessments`.
    public var row: Int

    /// An indicator score from row `row` of the assessments table.
    public init(indicator: String, score: Int64, row: Int) {
        self.indicator = indicator
        self.score = score
        self.row = row
    }
}

/// One 加分 or 扣分 row of adjustments.csv.
public struct AdjustmentItem: Sendable, Equatable {
    /// 加分 or 扣分.
    public var type: AdjustmentType
    /// 分值, hundredths.
    public var points: Int64
    /// 事由.
    public var reason: String
    /// Row in `Dataset.adjustments`.
    public var row: Int

    /// An item from row `row` of the adjustments table.
    public init(type: AdjustmentType, points: Int64, reason: String, row: Int) {
        self.type = type
        self.points = points
        self.reason = reason
        self.row = row
    }
}

/// An incident as a scorecard cites it.
public struct IncidentReference: Sendable, Equatable {
    /// 编号.
    public var incidentID: String
    /// The post it happened on (for a unit: a post of the unit or of a descendant unit).
    public var postID: String
    /// 类别.
    public var kind: String
    /// Day number (days since 1970-01-01).
    public var date: Int32
    /// Row in `Dataset.incidents`.
    public var row: Int

    /// A reference to row `row` of the incidents table.
    public init(incidentID: String, postID: String, kind: String, date: Int32, row: Int) {
        self.incidentID = incidentID
        self.postID = postID
        self.kind = kind
        self.date = date
        self.row = row
    }

    /// The date as `YYYY-MM-DD`.
    public var dateText: String { CivilDate.format(days: date) }
}

/// 自动扣分: `auto_deductions[kind]` points for one 属实 incident dated in Y.
public struct AutomaticDeduction: Sendable, Equatable {
    /// The incident behind the points.
    public var incident: IncidentReference
    /// Hundredths.
    public var points: Int64

    /// `points` for `incident`.
    public init(incident: IncidentReference, points: Int64) {
        self.incident = incident
        self.points = points
    }
}

/// Why a subject is vetoed (一票否决).
public enum VetoReason: Sendable, Equatable {
    /// A 一票否决 row of adjustments.csv: its 事由 and row.
    case adjustment(reason: String, row: Int)
    /// A 属实 incident in scope, of a kind in `veto_kinds`, dated in Y.
    case incident(IncidentReference)
}
