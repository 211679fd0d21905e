/// One parsed, validated dataset in canonical order, held column by column.
///
/// Canonical order (what the fingerprint hashes and what SQLite stores):
/// units and posts by id (UTF-8 bytes), so a row's index is its rank;
/// powers grouped by post, within a post by row content; incidents grouped by
/// post, within a post by (date, incident_id) — the order SPEC §4 sums Hraw
/// in; assessments by (year, subject type, subject, indicator); adjustments by
/// (year, subject type, subject, type, points, reason); risk points by id.
/// References are row indices (`Int32`), -1 for none.
public struct Dataset: Sendable {
    public var units = UnitTable()
    public var posts = PostTable()
    public var powers = PowerTable()
    public var incidents = IncidentTable()
    public var assessments = AssessmentTable()
    public var adjustments = AdjustmentTable()
    public var riskPoints = RiskPointTable()

    public init() {}

    /// SHA-256 hex of the canonical serialisation (set by `canonicalize()` or the store).
    public var fingerprint = ""

    /// Row counts of the seven tables, in the order of the `snapshot` table's columns.
    public var counts: [Int] {
        [units.count, posts.count, powers.count, incidents.count, assessments.count, adjustments.count, riskPoints.count]
    }
}

/// 单位.
public struct UnitTable: Sendable {
    public var id = TextColumn()
    public var name = TextColumn()
    /// Index of the 上级单位, or -1.
    public var parent: [Int32] = []
    /// 单位类型; empty when not given.
    public var kind = TextColumn()
    public var count: Int { id.count }
}

/// 岗位.
public struct PostTable: Sendable {
    public var id = TextColumn()
    public var unit: [Int32] = []
    public var name = TextColumn()
    /// 岗位类别 as given; empty when blank (peer group 未分类).
    public var category = TextColumn()
    public var holder = TextColumn()
    /// 任职年限; NaN when blank.
    public var tenureYears: [Double] = []
    /// 自评等级 as written (a level name or alias of the scheme); empty when blank.
    public var selfLevel = TextColumn()
    /// 防控措施数; -1 when blank (unknown).
    public var controls: [Int32] = []
    /// 涉及三重一大.
    public var keyDecisions: [Bool] = []
    public var count: Int { id.count }
}

/// 职权目录, grouped by post (`start[p]..<start[p+1]` are post p's powers).
public struct PowerTable: Sendable {
    public var post: [Int32] = []
    public var name = TextColumn()
    public var kind = DictionaryColumn()
    public var annualCount: [Int64] = []
    /// 万元.
    public var amount: [Double] = []
    /// 0 … 4.
    public var discretion: [UInt8] = []
    /// CSR offsets, posts.count + 1 entries.
    public var start: [Int32] = [0]
    public var count: Int { post.count }
}

/// 问题线索, grouped by post, each post's in (date, incident_id) order.
public struct IncidentTable: Sendable {
    public var id = TextColumn()
    public var post: [Int32] = []
    /// Days since 1970-01-01.
    public var date: [Int32] = []
    public var kind = DictionaryColumn()
    /// `IncidentStatus.rawValue`.
    public var status: [UInt8] = []
    /// CSR offsets, posts.count + 1 entries.
    public var start: [Int32] = [0]
    public var count: Int { post.count }
}

/// 考核得分 rows.
public struct AssessmentTable: Sendable {
    public var year: [Int32] = []
    /// `SubjectType.rawValue`.
    public var subjectType: [UInt8] = []
    /// Index into units or posts, by `subjectType`.
    public var subject: [Int32] = []
    public var indicator = TextColumn()
    /// Hundredths.
    public var score: [Int64] = []
    public var count: Int { year.count }
}

/// 加分/扣分/一票否决 rows.
public struct AdjustmentTable: Sendable {
    public var year: [Int32] = []
    public var subjectType: [UInt8] = []
    public var subject: [Int32] = []
    /// `AdjustmentType.rawValue`.
    public var type: [UInt8] = []
    /// Hundredths; 0 for a veto.
    public var points: [Int64] = []
    public var reason = TextColumn()
    public var count: Int { year.count }
}

/// 风险点台账.
public struct RiskPointTable: Sendable {
    public var id = TextColumn()
    public var post: [Int32] = []
    /// `RiskPointType.rawValue`.
    public var type: [UInt8] = []
    public var description = TextColumn()
    /// Empty when none given.
    public var measures = TextColumn()
    public var count: Int { id.count }
}
