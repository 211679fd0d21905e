/// 数据质量警告的类别: what `check` warns about (SPEC §8, issue 9), in the
/// order the report lists them.
public enum QualityCode: String, Sendable, CaseIterable, Comparable {
    /// 没有职权的岗位: its P is 0 (or only the 三重一大 floor).
    case noPowers = "NO_POWERS"
    /// 没有直属岗位的单位.
    case noPosts = "NO_POSTS"
    /// 待核实超过一年的问题线索.
    case stalePending = "STALE_PENDING"
    /// 缺少考核指标的考核对象 (a missing indicator counts 0).
    case missingIndicators = "MISSING_INDICATORS"
    /// 未填写岗位类别的岗位 (peer group 未分类).
    case noCategory = "NO_CATEGORY"
    /// 风险等级为最高两级却没有风险点的岗位.
    case noRiskPoints = "NO_RISK_POINTS"

    /// The heading of the code's group in the text report.
    public var title: String {
        switch self {
        case .noPowers: "没有职权的岗位"
        case .noPosts: "没有直属岗位的单位"
        case .stalePending: "待核实超过一年的问题线索"
        case .missingIndicators: "缺少考核指标的考核对象"
        case .noCategory: "未填写岗位类别的岗位"
        case .noRiskPoints: "风险等级较高但没有风险点的岗位"
        }
    }

    private var rank: Int { Self.allCases.firstIndex(of: self)! }
    public static func < (a: Self, b: Self) -> Bool { a.rank < b.rank }
}

/// What a warning is about: `subject_type` in the CSV report.
public enum QualitySubject: String, Sendable, Comparable {
    case unit, post, incident

    private var rank: Int { self == .unit ? 0 : self == .post ? 1 : 2 }
    public static func < (a: Self, b: Self) -> Bool { a.rank < b.rank }
}

/// One data-quality warning: never an error, the data stays importable.
public struct QualityWarning: Sendable, Equatable, CustomStringConvertible {
    public var code: QualityCode
    public var subjectType: QualitySubject
    public var subjectID: String
    /// The explanation, in Chinese, naming the subject.
    public var message: String
    /// Orders warnings of one code and subject (the year, for MISSING_INDICATORS).
    var detail: Int = 0

    public init(code: QualityCode, subjectType: QualitySubject, subjectID: String, message: String) {
        self.code = code
        self.subjectType = subjectType
        self.subjectID = subjectID
        self.message = message
    }

    init(_ code: QualityCode, _ type: QualitySubject, _ id: String, _ message: String, detail: Int = 0) {
        self.init(code: code, subjectType: type, subjectID: id, message: message)
        self.detail = detail
    }

    public var description: String { "\(code.rawValue) \(subjectType.rawValue) \(subjectID): \(message)" }

    public static func == (a: Self, b: Self) -> Bool {
        a.code == b.code && a.subjectType == b.subjectType && a.subjectID == b.subjectID && a.message == b.message
    }

    /// Report order: code, then subject id by UTF-8 bytes, then subject type, then detail.
    static func precedes(_ a: Self, _ b: Self) -> Bool {
        if a.code != b.code { return a.code < b.code }
        if a.subjectID != b.subjectID { return utf8Precedes(a.subjectID, b.subjectID) }
        if a.subjectType != b.subjectType { return a.subjectType < b.subjectType }
        return a.detail < b.detail
    }
}

/// `check`: the data-quality report before a run (SPEC §8). It reads a
/// validated dataset and only warns; nothing is written anywhere.
public enum DataQuality {
    /// A pending incident is stale when dated more than this many days before as_of.
    public static let staleAfterDays = 365

    /// as_of of `check`: 31 December of `year` when one is given (as for a
    /// run of that year, SPEC §4), else `today`.
    public static func referenceDay(year: Int?, today: Int32) -> Int32 {
        year.map(CivilDate.endOfYear) ?? today
    }

    /// The year whose risk levels NO_RISK_POINTS looks at: `year` when
    /// given; else the latest year found in assessments, adjustments or
    /// incident dates (the year a run would most likely be made for); else
    /// the year of `asOf`.
    public static func riskYear(dataset d: Dataset, year: Int?, asOf: Int32) -> Int {
        if let year { return year }
        var latest = Int.min
        for y in d.assessments.year { latest = max(latest, Int(y)) }
        for y in d.adjustments.year { latest = max(latest, Int(y)) }
        if let day = d.incidents.date.max() { latest = max(latest, CivilDate.year(ofDays: day)) }
        return latest == Int.min ? CivilDate.year(ofDays: asOf) : latest
    }

    /// Every warning for `dataset`, in report order (code, then subject id
    /// by UTF-8 bytes).
    ///
    /// - Parameters:
    ///   - year: the year of interest, or nil. With a year, MISSING_INDICATORS
    ///     looks at that year only and NO_RISK_POINTS at that year's levels;
    ///     without, every year with assessment or adjustment rows, and the
    ///     levels of `riskYear`.
    ///   - asOf: the day STALE_PENDING measures from (`referenceDay`).
    /// - Complexity: O(rows) plus one run of the risk kernel and a sort of the warnings.
    public static func check(dataset d: Dataset, scheme: Scheme, year: Int?, asOf: Int32) -> [QualityWarning] {
        var out: [QualityWarning] = []
        postsWithoutPowers(d, scheme, &out)
        unitsWithoutPosts(d, &out)
        stalePendingIncidents(d, asOf: asOf, &out)
        missingIndicators(d, scheme, year: year, &out)
        postsWithoutCategory(d, &out)
        severePostsWithoutRiskPoints(d, scheme, year: riskYear(dataset: d, year: year, asOf: asOf), &out)
        out.sort(by: QualityWarning.precedes)
        return out
    }

    // MARK: - the checks

    private static func postName(_ d: Dataset, _ p: Int) -> String { "岗位 \(d.posts.id[p])（\(d.posts.name[p])）" }

    private static func postsWithoutPowers(_ d: Dataset, _ scheme: Scheme, _ out: inout [QualityWarning]) {
        let floor = shortestDecimal(scheme.risk.keyDecisionsFloor)
        for p in 0..<d.posts.count where d.powers.start[p] == d.powers.start[p + 1] {
            let effect = d.posts.keyDecisions[p]
                ? "职权分 P 只取三重一大下限 \(floor)"
                : "职权分 P 按 0 计"
            out.append(QualityWarning(.noPowers, .post, d.posts.id[p], "\(postName(d, p))没有职权记录，\(effect)"))
        }
    }

    private static func unitsWithoutPosts(_ d: Dataset, _ out: inout [QualityWarning]) {
        var hasPost = [Bool](repeating: false, count: d.units.count)
        for u in d.posts.unit { hasPost[Int(u)] = true }
        for u in 0..<d.units.count where !hasPost[u] {
            out.append(QualityWarning(.noPosts, .unit, d.units.id[u], "单位 \(d.units.id[u])（\(d.units.name[u])）下没有直属岗位"))
        }
    }

    private static func stalePendingIncidents(_ d: Dataset, asOf: Int32, _ out: inout [QualityWarning]) {
        for j in 0..<d.incidents.count where d.incidents.status[j] == IncidentStatus.pending.rawValue {
            let days = Int(asOf) - Int(d.incidents.date[j])
            guard days > staleAfterDays else { continue }
            let post = d.posts.id[Int(d.incidents.post[j])]
            out.append(QualityWarning(.stalePending, .incident, d.incidents.id[j],
                "问题线索 \(d.incidents.id[j])（岗位 \(post)，\(CivilDate.format(days: d.incidents.date[j]))，\(d.incidents.kind[j])）"
                    + "待核实已 \(days) 天，超过一年（截至 \(CivilDate.format(days: asOf))）"))
        }
    }

    /// Subjects of a year as SPEC §5 defines them (an assessment or an
    /// adjustment row in it) lacking some scheme indicator.
    private static func missingIndicators(_ d: Dataset, _ scheme: Scheme, year: Int?, _ out: inout [QualityWarning]) {
        struct Subject: Hashable {
            var year: Int32
            var type: UInt8
            var index: Int32
        }
        var given: [Subject: Set<String>] = [:]
        for i in 0..<d.assessments.count where year == nil || Int(d.assessments.year[i]) == year {
            let s = Subject(year: d.assessments.year[i], type: d.assessments.subjectType[i], index: d.assessments.subject[i])
            given[s, default: []].insert(d.assessments.indicator[i])
        }
        for i in 0..<d.adjustments.count where year == nil || Int(d.adjustments.year[i]) == year {
            let s = Subject(year: d.adjustments.year[i], type: d.adjustments.subjectType[i], index: d.adjustments.subject[i])
            if given[s] == nil { given[s] = [] }
        }
        for (s, indicators) in given {
            let missing = scheme.assessment.indicators.map(\.name).filter { !indicators.contains($0) }
            guard !missing.isEmpty else { continue }
            let isUnit = s.type == SubjectType.unit.rawValue
            let id = isUnit ? d.units.id[Int(s.index)] : d.posts.id[Int(s.index)]
            let name = isUnit ? d.units.name[Int(s.index)] : d.posts.name[Int(s.index)]
            let none = indicators.isEmpty ? "（只有加减分记录）" : ""
            out.append(QualityWarning(.missingIndicators, isUnit ? .unit : .post, id,
                "\(s.year) 年度\(isUnit ? "单位" : "岗位") \(id)（\(name)）\(none)缺少指标：\(missing.joined(separator: "、"))，缺项按 0 分计",
                detail: Int(s.year)))
        }
    }

    private static func postsWithoutCategory(_ d: Dataset, _ out: inout [QualityWarning]) {
        for p in 0..<d.posts.count where d.posts.category.isEmpty(at: p) {
            out.append(QualityWarning(.noCategory, .post, d.posts.id[p], "\(postName(d, p))未填写岗位类别，按“未分类”参与同类比较"))
        }
    }

    /// Posts at one of the two most severe levels (issue 9) with no risk point.
    private static func severePostsWithoutRiskPoints(_ d: Dataset, _ scheme: Scheme, year: Int, _ out: inout [QualityWarning]) {
        // The dataset was validated against this scheme, so every kind resolves;
        // were it not, there would be no levels to speak of.
        guard d.posts.count > 0, let input = try? RiskInput(dataset: d, scheme: scheme) else { return }
        let risk = RiskKernel(scheme: scheme, year: year).run(input)
        var hasPoint = [Bool](repeating: false, count: d.posts.count)
        for p in d.riskPoints.post { hasPoint[Int(p)] = true }
        let severe = min(2, scheme.levels.count)
        for p in 0..<d.posts.count where Int(risk.level[p]) < severe && !hasPoint[p] {
            let level = scheme.levels[Int(risk.level[p])].name
            out.append(QualityWarning(.noRiskPoints, .post, d.posts.id[p],
                "\(postName(d, p))\(year) 年风险等级为\(level)（风险分 \(formatHundredths(risk.score[p]))），风险点台账中没有该岗位的风险点"))
        }
    }
}
