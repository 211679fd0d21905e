/// Reads a dataset folder into a validated `Dataset` in canonical order
/// (SPEC §2), collecting every problem before giving up.
public final class DatasetReader {
    public let directory: String
    public let scheme: Scheme
    public let encoding: InputEncoding

    /// Warnings (unknown columns) met while reading.
    public private(set) var warnings: [String] = []
    private var issues = IssueCollector()
    private var data = Dataset()
    private var unitIndex = IdIndex()
    private var postIndex = IdIndex()
    /// Ids of unit and post rows rejected for another problem (already
    /// reported), and whether every row of the file could be scanned.
    /// A reference that is not found is reported only when its table is
    /// complete and the id is not on a rejected row: otherwise it may well
    /// exist, and saying "unknown post" would be a false alarm.
    private var rejectedUnits = Set<[UInt8]>()
    private var rejectedPosts = Set<[UInt8]>()
    private var unitsComplete = true
    private var postsComplete = true

    public init(directory: String, scheme: Scheme, encoding: InputEncoding = .auto) {
        self.directory = directory
        self.scheme = scheme
        self.encoding = encoding
    }

    /// Reads, validates and canonicalises every file.
    /// - Throws: `.missingInput` (66) for a missing required file,
    ///   `.invalidData` (65) with every problem found.
    public func read() throws(LianzhengError) -> Dataset {
        var timer = PhaseTimer()
        try readUnits()
        try readPosts()
        timer.mark("read units, posts")
        try readPowers()
        timer.mark("read powers")
        try readIncidents()
        timer.mark("read incidents")
        try readAssessments()
        try readAdjustments()
        try readRiskPoints()
        timer.mark("read assessments, adjustments, risk points")
        try issues.throwIfAny()
        var dataset = data
        dataset.canonicalize()
        timer.mark("canonicalize + fingerprint")
        return dataset
    }

    /// Runs `TableReader` with the collectors held outside `self`, so the row
    /// closure may update `self` without overlapping access.
    /// - Returns: whether every record of the file could be scanned.
    @discardableResult
    private func readTable(
        _ table: InputTable, rejected: (InputRow) -> Void = { _ in },
        row handle: (InputRow, inout IssueCollector) -> Void
    ) throws(LianzhengError) -> Bool {
        var found = issues
        var warned = warnings
        defer {
            issues = found
            warnings = warned
        }
        let read = try TableReader.read(
            table, in: directory, encoding: encoding, issues: &found, warnings: &warned, row: handle, rejected: rejected)
        return read != .incomplete
    }

    /// Notes the (non-empty) id in `column` of a rejected row.
    private static func noteRejected(_ row: InputRow, _ column: Int, in set: inout Set<[UInt8]>) {
        if row.has(column) { row.withBytes(column) { _ = set.insert(Array($0)) } }
    }

    /// Whether a unit id that was not found should be reported as unknown.
    private func isUnknownUnit(_ id: UnsafeBufferPointer<UInt8>) -> Bool {
        unitsComplete && (rejectedUnits.isEmpty || !rejectedUnits.contains(Array(id)))
    }

    /// Whether a post id that was not found should be reported as unknown.
    private func isUnknownPost(_ id: UnsafeBufferPointer<UInt8>) -> Bool {
        postsComplete && (rejectedPosts.isEmpty || !rejectedPosts.contains(Array(id)))
    }

    // MARK: units

    private func readUnits() throws(LianzhengError) {
        var parentText: [String] = []
        var parentWhere: [InputIssue] = []
        unitsComplete = try readTable(.units, rejected: { Self.noteRejected($0, 0, in: &rejectedUnits) }) { row, issues in
            let repeatsRejected = !rejectedUnits.isEmpty && row.withBytes(0) { rejectedUnits.contains(Array($0)) }
            row.withBytes(0) { data.units.id.append(bytes: $0) }
            if repeatsRejected || unitIndex.insert(row: Int32(data.units.id.count - 1), in: data.units.id) != nil {
                data.units.id.removeLast()
                issues.add(row.issue(0, "单位编号重复: \(row.text(0)) (duplicate unit_id)"))
                return
            }
            data.units.name.append(row.text(1))
            data.units.kind.append(row.text(3))
            data.units.parent.append(-1)
            parentText.append(row.text(2))
            parentWhere.append(row.issue(2, ""))
        }
        for u in 0..<parentText.count where !parentText[u].isEmpty {
            if let p = lookup(parentText[u], in: unitIndex, data.units.id) {
                data.units.parent[u] = p
            } else if isUnknownUnit(parentText[u]) {
                var issue = parentWhere[u]
                issue.message = "上级单位编号不存在: \(parentText[u]) (unknown parent_id)"
                issues.add(issue)
            }
        }
        // A unit is on a cycle when following parents from it returns to it.
        var state = [UInt8](repeating: 0, count: data.units.count)  // 0 new, 1 on path, 2 done
        for u in 0..<data.units.count where state[u] == 0 {
            var path: [Int] = []
            var v = u
            while v >= 0, state[v] == 0 {
                state[v] = 1
                path.append(v)
                v = Int(data.units.parent[v])
            }
            if v >= 0, state[v] == 1, let from = path.firstIndex(of: v) {
                for w in path[from...].sorted() {
                    var issue = parentWhere[w]
                    issue.message = "上级单位形成循环: \(data.units.id[w]) (parent cycle)"
                    issues.add(issue)
                }
            }
            for w in path { state[w] = 2 }
        }
    }

    private func lookup(_ id: String, in index: IdIndex, _ column: TextColumn) -> Int32? {
        var id = id
        return id.withUTF8 { index.find($0, in: column) }
    }

    private func isUnknownUnit(_ id: String) -> Bool {
        var id = id
        return id.withUTF8 { isUnknownUnit($0) }
    }

    // MARK: posts

    private func readPosts() throws(LianzhengError) {
        postsComplete = try readTable(.posts, rejected: { Self.noteRejected($0, 0, in: &rejectedPosts) }) { row, issues in
            if row.withBytes(0, { postIndex.find($0, in: data.posts.id) }) != nil
                || (!rejectedPosts.isEmpty && row.withBytes(0) { rejectedPosts.contains(Array($0)) })
            {
                issues.add(row.issue(0, "岗位编号重复: \(row.text(0)) (duplicate post_id)"))
                return
            }
            var accepted = false
            defer { if !accepted { Self.noteRejected(row, 0, in: &rejectedPosts) } }
            guard let unit = row.withBytes(1, { unitIndex.find($0, in: data.units.id) }) else {
                if row.withBytes(1, isUnknownUnit) {
                    issues.add(row.issue(1, "单位编号不存在: \(row.text(1)) (unknown unit)"))
                }
                return
            }
            var tenure = Double.nan
            if row.has(5) {
                guard let t = row.withBytes(5, FieldParsing.number), t >= 0 else {
                    issues.add(row.issue(5, "任职年限须为不小于 0 的数: \(row.text(5)) (tenure_years must be a number ≥ 0)"))
                    return
                }
                tenure = t
            }
            let selfLevel = row.text(6)
            if !selfLevel.isEmpty, scheme.levelIndex(named: selfLevel) == nil {
                issues.add(row.issue(6, "自评等级不是方案中的等级: \(selfLevel) (unknown level)"))
                return
            }
            var controls: Int32 = -1
            if row.has(7) {
                guard let c = row.withBytes(7, FieldParsing.integer), c >= 0, c <= Int64(Int32.max) else {
                    issues.add(row.issue(7, "防控措施数须为不小于 0 的整数: \(row.text(7)) (controls must be an integer ≥ 0)"))
                    return
                }
                controls = Int32(c)
            }
            var key = false
            if row.has(8) {
                guard let b = row.withBytes(8, FieldParsing.boolean) else {
                    issues.add(row.issue(8, "涉及三重一大须为 是/否: \(row.text(8)) (key_decisions must be a boolean)"))
                    return
                }
                key = b
            }
            accepted = true
            row.withBytes(0) { data.posts.id.append(bytes: $0) }
            _ = postIndex.insert(row: Int32(data.posts.id.count - 1), in: data.posts.id)
            data.posts.unit.append(unit)
            data.posts.name.append(row.text(2))
            data.posts.category.append(row.text(3))
            data.posts.holder.append(row.text(4))
            data.posts.tenureYears.append(tenure)
            data.posts.selfLevel.append(selfLevel)
            data.posts.controls.append(controls)
            data.posts.keyDecisions.append(key)
        }
    }

    private func post(_ row: InputRow, _ column: Int, _ issues: inout IssueCollector) -> Int32? {
        guard let p = row.withBytes(column, { postIndex.find($0, in: data.posts.id) }) else {
            if row.withBytes(column, isUnknownPost) {
                issues.add(row.issue(column, "岗位编号不存在: \(row.text(column)) (unknown post)"))
            }
            return nil
        }
        return p
    }

    // MARK: powers

    private func readPowers() throws(LianzhengError) {
        var kinds = KindChecker(Set(scheme.risk.powerKinds.map(\.name)))
        try readTable(.powers) { row, issues in
            guard let post = post(row, 0, &issues) else { return }
            guard row.withBytes(2, { kinds.isKnown($0) }) else {
                issues.add(row.issue(2, "职权类别不在评分方案中: \(row.text(2)) (unknown power kind)"))
                return
            }
            var count: Int64 = 0
            if row.has(3) {
                guard let c = row.withBytes(3, FieldParsing.integer), c >= 0 else {
                    issues.add(row.issue(3, "年行使次数须为不小于 0 的整数: \(row.text(3)) (annual_count must be an integer ≥ 0)"))
                    return
                }
                count = c
            }
            var amount = 0.0
            if row.has(4) {
                guard let a = row.withBytes(4, FieldParsing.number), a >= 0 else {
                    issues.add(row.issue(4, "涉及金额须为不小于 0 的数: \(row.text(4)) (amount must be a number ≥ 0)"))
                    return
                }
                amount = a
            }
            var discretion: UInt8 = 0
            if row.has(5) {
                guard let d = row.withBytes(5, FieldParsing.integer), (0...4).contains(d) else {
                    issues.add(row.issue(5, "裁量幅度须为 0 至 4 的整数: \(row.text(5)) (discretion must be an integer 0…4)"))
                    return
                }
                discretion = UInt8(d)
            }
            data.powers.post.append(post)
            row.withBytes(1) { data.powers.name.append(bytes: $0) }
            row.withBytes(2) { data.powers.kind.append(bytes: $0) }
            data.powers.annualCount.append(count)
            data.powers.amount.append(amount)
            data.powers.discretion.append(discretion)
        }
    }

    // MARK: incidents

    private func readIncidents() throws(LianzhengError) {
        var kinds = KindChecker(Set(scheme.risk.incidentKinds.map(\.name)))
        var seen = IdIndex()
        try readTable(.incidents) { row, issues in
            guard let post = post(row, 1, &issues) else { return }
            guard let date = row.withBytes(2, FieldParsing.date) else {
                issues.add(row.issue(2, "日期无效: \(row.text(2)) (invalid date)"))
                return
            }
            guard row.withBytes(3, { kinds.isKnown($0) }) else {
                issues.add(row.issue(3, "问题类别不在评分方案中: \(row.text(3)) (unknown incident kind)"))
                return
            }
            var status = IncidentStatus.pending
            if row.has(4) {
                guard let s = row.withBytes(4, IncidentStatus.init(bytes:)) else {
                    issues.add(row.issue(4, "核实情况无效: \(row.text(4))，应为 属实/部分属实/待核实/不属实 (invalid status)"))
                    return
                }
                status = s
            }
            row.withBytes(0) { data.incidents.id.append(bytes: $0) }
            if seen.insert(row: Int32(data.incidents.id.count - 1), in: data.incidents.id) != nil {
                data.incidents.id.removeLast()
                issues.add(row.issue(0, "问题线索编号重复: \(row.text(0)) (duplicate incident_id)"))
                return
            }
            data.incidents.post.append(post)
            data.incidents.date.append(date)
            row.withBytes(3) { data.incidents.kind.append(bytes: $0) }
            data.incidents.status.append(status.rawValue)
        }
    }

    // MARK: assessments and adjustments

    private func year(_ row: InputRow, _ issues: inout IssueCollector) -> Int32? {
        guard let y = row.withBytes(0, FieldParsing.integer), y >= 1, y <= 9999 else {
            issues.add(row.issue(0, "年度须为整数: \(row.text(0)) (year must be an integer)"))
            return nil
        }
        return Int32(y)
    }

    private func subject(_ row: InputRow, _ issues: inout IssueCollector) -> (SubjectType, Int32)? {
        guard let type = SubjectType(text: row.text(1)) else {
            issues.add(row.issue(1, "对象类型须为 单位/unit 或 岗位/post: \(row.text(1)) (invalid subject_type)"))
            return nil
        }
        let index = row.withBytes(2) { type == .unit ? unitIndex.find($0, in: data.units.id) : postIndex.find($0, in: data.posts.id) }
        guard let index else {
            if row.withBytes(2, { type == .unit ? isUnknownUnit($0) : isUnknownPost($0) }) {
                issues.add(row.issue(2, "\(type == .unit ? "单位" : "岗位")编号不存在: \(row.text(2)) (unknown \(type.englishName))"))
            }
            return nil
        }
        return (type, index)
    }

    private func points(_ row: InputRow, _ column: Int, _ issues: inout IssueCollector) -> Int64? {
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

    private func readAssessments() throws(LianzhengError) {
        let maxOf = Dictionary(scheme.assessment.indicators.map { ($0.name, $0.max) }, uniquingKeysWith: { a, _ in a })
        struct Key: Hashable {
            var year: Int32
            var type: SubjectType
            var subject: Int32
            var indicator: String
        }
        var seen = Set<Key>()
        try readTable(.assessments) { row, issues in
            guard let year = year(row, &issues), let (type, index) = subject(row, &issues) else { return }
            let indicator = row.text(3)
            guard let max = maxOf[indicator] else {
                issues.add(row.issue(3, "指标不在评分方案中: \(indicator) (unknown indicator)"))
                return
            }
            guard let score = points(row, 4, &issues) else { return }
            guard score <= max else {
                issues.add(row.issue(4, "得分超过指标满分 \(formatPoints(max)): \(row.text(4)) (score above the indicator's max)"))
                return
            }
            guard seen.insert(Key(year: year, type: type, subject: index, indicator: indicator)).inserted else {
                issues.add(row.issue(3, "同一年度、对象、指标重复: \(indicator) (duplicate (year, subject, indicator) row)"))
                return
            }
            data.assessments.year.append(year)
            data.assessments.subjectType.append(type.rawValue)
            data.assessments.subject.append(index)
            data.assessments.indicator.append(indicator)
            data.assessments.score.append(score)
        }
    }

    private func readAdjustments() throws(LianzhengError) {
        try readTable(.adjustments) { row, issues in
            guard let year = year(row, &issues), let (type, index) = subject(row, &issues) else { return }
            guard let kind = AdjustmentType(text: row.text(3)) else {
                issues.add(row.issue(3, "类型须为 加分/扣分/一票否决: \(row.text(3)) (invalid adjustment type)"))
                return
            }
            var value: Int64 = 0
            if kind != .veto {
                guard row.has(4) else {
                    issues.add(row.issue(4, "加分、扣分须填写分值 (points required for bonus and deduction)"))
                    return
                }
                guard let v = points(row, 4, &issues) else { return }
                value = v
            }
            data.adjustments.year.append(year)
            data.adjustments.subjectType.append(type.rawValue)
            data.adjustments.subject.append(index)
            data.adjustments.type.append(kind.rawValue)
            data.adjustments.points.append(value)
            data.adjustments.reason.append(row.text(5))
        }
    }

    // MARK: risk points

    private func readRiskPoints() throws(LianzhengError) {
        // Ids compare by their UTF-8 bytes (SPEC §2), not by Unicode
        // equivalence as `String` does: "é" and "e\u{301}" are two ids.
        var seenIDs = TextColumn()
        var seen = IdIndex()
        try readTable(.riskPoints) { row, issues in
            let id = row.text(0)
            row.withBytes(0) { seenIDs.append(bytes: $0) }
            guard seen.insert(row: Int32(seenIDs.count - 1), in: seenIDs) == nil else {
                seenIDs.removeLast()
                issues.add(row.issue(0, "风险点编号重复: \(id) (duplicate point_id)"))
                return
            }
            guard let post = post(row, 1, &issues) else { return }
            guard let type = RiskPointType(text: row.text(2)) else {
                issues.add(row.issue(2, "风险类型无效: \(row.text(2))，应为 思想道德/岗位职责/业务流程/制度机制/外部环境 (invalid type)"))
                return
            }
            data.riskPoints.id.append(id)
            data.riskPoints.post.append(post)
            data.riskPoints.type.append(type.rawValue)
            data.riskPoints.description.append(row.text(3))
            data.riskPoints.measures.append(row.text(4))
        }
    }
}

/// Points in hundredths as `12.50`.
func formatPoints(_ v: Int64) -> String {
    let sign = v < 0 ? "-" : ""
    let a = v.magnitude
    let frac = a % 100
    return "\(sign)\(a / 100).\(frac < 10 ? "0" : "")\(frac)"
}
