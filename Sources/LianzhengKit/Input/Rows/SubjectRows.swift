/// What assessment and adjustment rows share: the year and the subject
/// (a unit or a post, by type) they are about, and point values.
struct SubjectColumns: Sendable {
    private var units: IdReference
    private var posts: IdReference
    private var subjectType = TextMemo { SubjectType(text: $0) }

    init(units: IdLookup, posts: IdLookup) {
        self.units = .units(units)
        self.posts = .posts(posts)
    }

    func year(_ row: InputRow, _ issues: inout IssueCollector) -> Int32? {
        guard let y = row.withBytes(0, FieldParsing.integer), y >= 1, y <= 9999 else {
            issues.add(row.issue(0, "年度须为整数: \(row.text(0)) (year must be an integer)"))
            return nil
        }
        return Int32(y)
    }

    mutating func subject(_ row: InputRow, _ issues: inout IssueCollector) -> (SubjectType, Int32)? {
        guard let type = row.withBytes(1, { subjectType($0) }) else {
            issues.add(row.issue(1, "对象类型须为 单位/unit 或 岗位/post: \(row.text(1)) (invalid subject_type)"))
            return nil
        }
        let index = type == .unit ? units.resolve(row, 2, &issues) : posts.resolve(row, 2, &issues)
        return index.map { (type, $0) }
    }

    func points(_ row: InputRow, _ column: Int, _ issues: inout IssueCollector) -> Int64? {
        switch row.withBytes(column, FieldParsing.hundredths) {
        case .value(let v) where v >= 0 && v <= FieldParsing.maximumHundredths:
            return v
        case .value(let v) where v > FieldParsing.maximumHundredths:
            issues.add(row.issue(column, "分值超出范围，最大 1000000: \(row.text(column)) (at most 1000000 points)"))
        case .tooManyDecimals:
            issues.add(row.issue(column, "分值最多两位小数: \(row.text(column)) (at most 2 decimal places)"))
        default:
            issues.add(row.issue(column, "分值须为不小于 0 的数: \(row.text(column)) (must be a number ≥ 0)"))
        }
        return nil
    }
}

/// Rows of assessments.csv.
struct AssessmentRows: ChunkedRowReader {
    var subjects: SubjectColumns
    /// Position in the scheme's indicator list of an indicator name, and its maximum.
    private var indicator: TextMemo<(index: Int, max: Int64)?>
    /// Reading the whole file in one piece: repeated (year, subject,
    /// indicator) rows are checked row by row. In pieces they are checked
    /// once the pieces are joined.
    let wholeFile: Bool
    private var seen = Set<UInt64>()
    /// Indicator position of each row, for the check after joining.
    private var indicatorIndex: [UInt16] = []
    var table = AssessmentTable()

    init(units: IdLookup, posts: IdLookup, scheme: Scheme, wholeFile: Bool) {
        subjects = SubjectColumns(units: units, posts: posts)
        // Names are looked up as `String`s (Unicode equivalence), the first
        // of equal names winning, as a dictionary of the scheme's list does.
        let indicators = scheme.assessment.indicators
        let position = Dictionary(indicators.enumerated().map { ($1.name, $0) }, uniquingKeysWith: { a, _ in a })
        indicator = TextMemo { name in position[name].map { ($0, indicators[$0].max) } }
        self.wholeFile = wholeFile
    }

    /// (year, subject type, subject, indicator position) in one integer:
    /// year < 2^14, subject < 2^31, fewer than 2^16 indicators.
    private static func key(year: Int32, type: UInt8, subject: Int32, indicator: UInt16) -> UInt64 {
        UInt64(year) << 49 | UInt64(type) << 48 | UInt64(UInt32(subject)) << 16 | UInt64(indicator)
    }

    mutating func read(_ row: InputRow, _ issues: inout IssueCollector) {
        guard let year = subjects.year(row, &issues), let (type, index) = subjects.subject(row, &issues) else { return }
        guard let (position, max) = row.withBytes(3, { indicator($0) }) else {
            issues.add(row.issue(3, "指标不在评分方案中: \(row.text(3)) (unknown indicator)"))
            return
        }
        guard let score = subjects.points(row, 4, &issues) else { return }
        guard score <= max else {
            issues.add(row.issue(4, "得分超过指标满分 \(formatPoints(max)): \(row.text(4)) (score above the indicator's max)"))
            return
        }
        if wholeFile {
            guard seen.insert(Self.key(year: year, type: type.rawValue, subject: index, indicator: UInt16(position))).inserted else {
                issues.add(row.issue(3, "同一年度、对象、指标重复: \(row.text(3)) (duplicate (year, subject, indicator) row)"))
                return
            }
        } else {
            indicatorIndex.append(UInt16(position))
        }
        table.year.append(year)
        table.subjectType.append(type.rawValue)
        table.subject.append(index)
        row.withBytes(3) { table.indicator.append(bytes: $0) }
        table.score.append(score)
    }

    mutating func append(_ later: consuming AssessmentRows) {
        table.year += later.table.year
        table.subjectType += later.table.subjectType
        table.subject += later.table.subject
        table.indicator.append(contentsOf: later.table.indicator)
        table.score += later.table.score
        indicatorIndex += later.indicatorIndex
    }

    /// After joining pieces: whether no (year, subject, indicator) repeats
    /// (else the file is read again in one piece, which reports the repeat).
    func rowsAreDistinct() -> Bool {
        var keys = (0..<table.year.count).map { r in
            Self.key(year: table.year[r], type: table.subjectType[r], subject: table.subject[r], indicator: indicatorIndex[r])
        }
        keys.sort()
        return zip(keys, keys.dropFirst()).allSatisfy { $0 != $1 }
    }
}

/// Rows of adjustments.csv: independent of each other.
struct AdjustmentRows: ChunkedRowReader {
    var subjects: SubjectColumns
    private var adjustmentType = TextMemo { AdjustmentType(text: $0) }
    var table = AdjustmentTable()

    init(units: IdLookup, posts: IdLookup) {
        subjects = SubjectColumns(units: units, posts: posts)
    }

    mutating func read(_ row: InputRow, _ issues: inout IssueCollector) {
        guard let year = subjects.year(row, &issues), let (type, index) = subjects.subject(row, &issues) else { return }
        guard let kind = row.withBytes(3, { adjustmentType($0) }) else {
            issues.add(row.issue(3, "类型须为 加分/扣分/一票否决: \(row.text(3)) (invalid adjustment type)"))
            return
        }
        var value: Int64 = 0
        if kind != .veto {
            guard row.has(4) else {
                issues.add(row.issue(4, "加分、扣分须填写分值 (points required for bonus and deduction)"))
                return
            }
            guard let v = subjects.points(row, 4, &issues) else { return }
            value = v
        }
        table.year.append(year)
        table.subjectType.append(type.rawValue)
        table.subject.append(index)
        table.type.append(kind.rawValue)
        table.points.append(value)
        row.withBytes(5) { table.reason.append(bytes: $0) }
    }

    mutating func append(_ later: consuming AdjustmentRows) {
        table.year += later.table.year
        table.subjectType += later.table.subjectType
        table.subject += later.table.subject
        table.type += later.table.type
        table.points += later.table.points
        table.reason.append(contentsOf: later.table.reason)
    }
}

/// Rows of risk_points.csv (a register of a few per post, read in one piece).
struct RiskPointRows: RowReader {
    var post: IdReference
    // Ids compare by their UTF-8 bytes (SPEC §2), not by Unicode
    // equivalence as `String` does: "é" and "e\u{301}" are two ids.
    var seenIDs = TextColumn()
    var seen = IdIndex()
    var table = RiskPointTable()

    init(posts: IdLookup) { post = .posts(posts) }

    mutating func read(_ row: InputRow, _ issues: inout IssueCollector) {
        row.withBytes(0) { seenIDs.append(bytes: $0) }
        guard seen.insert(row: Int32(seenIDs.count - 1), in: seenIDs) == nil else {
            seenIDs.removeLast()
            issues.add(row.issue(0, "风险点编号重复: \(row.text(0)) (duplicate point_id)"))
            return
        }
        guard let post = post.resolve(row, 1, &issues) else { return }
        guard let type = RiskPointType(text: row.text(2)) else {
            issues.add(row.issue(2, "风险类型无效: \(row.text(2))，应为 思想道德/岗位职责/业务流程/制度机制/外部环境 (invalid type)"))
            return
        }
        row.withBytes(0) { table.id.append(bytes: $0) }
        table.post.append(post)
        table.type.append(type.rawValue)
        row.withBytes(3) { table.description.append(bytes: $0) }
        row.withBytes(4) { table.measures.append(bytes: $0) }
    }
}
