/// The tables of a what-if page: each one's class and the columns that hold
/// numbers, right-aligned by the page's style sheet rather than cell by cell
/// (a page may hold hundreds of thousands of rows).
enum WhatIfTable: String, CaseIterable {
    case levelChanges = "lc"
    case subjectChanges = "sc"
    case matrix = "mx"
    case units = "un"
    case nearPosts = "np"
    case nearSubjects = "ns"

    /// `:nth-child` arguments of the number columns, as the writers below lay them out.
    var numberColumns: [String] {
        switch self {
        case .levelChanges: ["6", "7"]
        case .subjectChanges: ["7", "8", "9", "10"]
        case .matrix: ["n+2"]
        case .units: ["n+3"]
        case .nearPosts: ["4", "7", "8"]
        case .nearSubjects: ["5", "8", "9"]
        }
    }

    /// The style rules of every table.
    static var css: String {
        allCases.map { HTMLTable.rightAlignedColumnsCSS(className: $0.rawValue, columns: $0.numberColumns) }.joined()
    }
}

/// The tables of a what-if, each written once against `TableSink` so the
/// terminal text, the HTML page and whatif.csv hold the same cells.
extension WhatIfComparison {
    /// Which scheme's side of the comparison.
    public enum Side: Sendable {
        /// The recorded baseline run's scheme.
        case baseline
        /// The scheme the what-if tries.
        case alternative
    }

    func computation(_ side: Side) -> YearComputation { side == .baseline ? baseline : alternative }

    func nearLines(_ side: Side) -> NearLines { side == .baseline ? baselineNearLines : alternativeNearLines }

    /// 等级变化的岗位: one row per post whose level changes, with both scores.
    /// - Complexity: O(changed posts).
    public func writeLevelChanges<S: TableSink>(to t: inout S) {
        let d = baseline.dataset
        let from = baseline.scheme.levels.map(\.name)
        let to = alternative.scheme.levels.map(\.name)
        t.header(["岗位编号", "岗位名称", "单位编号", "原等级", "新等级", "原风险分", "新风险分"])
        for p32 in levelChanges {
            let p = Int(p32)
            t.text(d.posts.id, p)
            t.text(d.posts.name, p)
            t.text(d.units.id, Int(d.posts.unit[p]))
            t.text(from[Int(baseline.risk.level[p])])
            t.text(to[Int(alternative.risk.level[p])])
            t.hundredths(baseline.risk.score[p])
            t.hundredths(alternative.risk.score[p])
            t.endRow()
        }
    }

    /// 考核结果变化: one row per subject whose band, rank or quota status changes.
    /// - Complexity: O(changed subjects).
    public func writeSubjectChanges<S: TableSink>(to t: inout S) {
        let a = baseline.assessment
        let b = alternative.assessment
        t.header(["对象类型", "对象编号", "名称", "考核组", "原档次", "新档次", "原总分", "新总分", "原排名", "新排名", "原名额状态", "新名额状态"])
        for i32 in subjectChanges {
            let i = Int(i32)
            writeSubjectIdentity(row: i, to: &t)
            t.text(a.bandName(at: i))
            t.text(b.bandName(at: i))
            t.hundredths(a.total[i])
            t.hundredths(b.total[i])
            t.integer(Int(a.rank[i]))
            t.integer(Int(b.rank[i]))
            t.text(Self.quotaText(a.quotaStatus[i]))
            t.text(Self.quotaText(b.quotaStatus[i]))
            t.endRow()
        }
    }

    /// 对象类型, 对象编号, 名称 and the quota group (a post's unit, a unit's
    /// parent; `—` for the top-level units).
    private func writeSubjectIdentity<S: TableSink>(row i: Int, to t: inout S) {
        let d = baseline.dataset
        let a = baseline.assessment
        let s = Int(a.subject[i])
        t.text(a.type[i].chineseName)
        if a.type[i] == .unit {
            t.text(d.units.id, s)
            t.text(d.units.name, s)
        } else {
            t.text(d.posts.id, s)
            t.text(d.posts.name, s)
        }
        if a.groupUnit[i] >= 0 { t.text(d.units.id, Int(a.groupUnit[i])) } else { t.text("—") }
    }

    static func quotaText(_ q: QuotaStatus) -> String { q == .none ? "—" : q.chineseName }

    /// A from→to matrix with row and column totals; rows are the baseline's
    /// names, columns the alternative's.
    static func writeMatrix<S: TableSink>(_ m: [[Int]], rows: [String], columns: [String], to t: inout S) {
        t.header(["基准＼测算"] + columns + ["合计"])
        var columnTotals = [Int](repeating: 0, count: columns.count)
        for (r, name) in rows.enumerated() {
            t.text(name)
            for (c, n) in m[r].enumerated() {
                t.integer(n)
                columnTotals[c] += n
            }
            t.integer(m[r].reduce(0, +))
            t.endRow()
        }
        t.text("合计")
        for n in columnTotals { t.integer(n) }
        t.integer(columnTotals.reduce(0, +))
        t.endRow()
    }

    /// 风险等级转移矩阵 (posts).
    public func writeLevelMatrix<S: TableSink>(to t: inout S) {
        Self.writeMatrix(
            levelMatrix, rows: baseline.scheme.levels.map(\.name), columns: alternative.scheme.levels.map(\.name), to: &t)
    }

    /// 考核档次转移矩阵 of one subject type.
    public func writeBandMatrix<S: TableSink>(_ type: SubjectType, to t: inout S) {
        Self.writeMatrix(
            bandMatrix[Int(type.rawValue)], rows: baseline.scheme.assessment.bands.map(\.name),
            columns: alternative.scheme.assessment.bands.map(\.name), to: &t)
    }

    /// 各单位变化: the units with a change.
    public func writeUnits<S: TableSink>(to t: inout S) {
        let d = baseline.dataset
        t.header(["单位编号", "单位名称", "岗位数", "等级变化", "其中升级", "其中降级", "考核结果变化", "其中档次变化"])
        for u in units {
            t.text(d.units.id, u.unit)
            t.text(d.units.name, u.unit)
            t.integer(u.posts)
            t.integer(u.levelChanges)
            t.integer(u.moreSevere)
            t.integer(u.lessSevere)
            t.integer(u.subjectChanges)
            t.integer(u.bandChanges)
            t.endRow()
        }
    }

    /// 边界附近: posts within 2 points of a level threshold under one scheme.
    public func writeNearPosts<S: TableSink>(_ side: Side, to t: inout S) {
        let c = computation(side)
        let d = c.dataset
        let levels = c.scheme.levels
        t.header(["岗位编号", "岗位名称", "单位编号", "风险分", "等级", "邻近等级线", "线值", "差距"])
        for near in nearLines(side).posts {
            let p = near.post
            t.text(d.posts.id, p)
            t.text(d.posts.name, p)
            t.text(d.units.id, Int(d.posts.unit[p]))
            t.hundredths(c.risk.score[p])
            t.text(levels[Int(c.risk.level[p])].name)
            t.text(levels[near.level].name)
            t.hundredths(levels[near.level].minScoreHundredths)
            t.hundredths(near.distance)
            t.endRow()
        }
    }

    /// 边界附近: subjects within 1 point of a band threshold under one scheme.
    public func writeNearSubjects<S: TableSink>(_ side: Side, to t: inout S) {
        let c = computation(side)
        let a = c.assessment
        let bands = c.scheme.assessment.bands
        t.header(["对象类型", "对象编号", "名称", "考核组", "总分", "档次", "邻近档次线", "线值", "差距"])
        for near in nearLines(side).subjects {
            let i = near.row
            writeSubjectIdentity(row: i, to: &t)
            t.hundredths(a.total[i])
            t.text(a.bandName(at: i))
            t.text(bands[near.band].name)
            t.hundredths(bands[near.band].min)
            t.hundredths(near.distance)
            t.endRow()
        }
    }

    // MARK: - whatif.csv

    /// The columns of whatif.csv: canonical English header and the Chinese
    /// one `--lang zh` writes.
    public static let csvColumns: [(name: String, chinese: String)] = [
        ("year", "年度"), ("change", "变化类型"), ("subject_type", "对象类型"), ("subject_id", "对象编号"),
        ("group_unit_id", "考核组单位编号"), ("from", "原值"), ("to", "新值"), ("from_points", "原分值"),
        ("to_points", "新分值"), ("from_rank", "原排名"), ("to_rank", "新排名"),
        ("from_quota_status", "原名额状态"), ("to_quota_status", "新名额状态"),
    ]

    /// whatif.csv: every change, one record each — first the posts whose
    /// level changes (`change` = `level`: from/to are level names, points
    /// are risk scores), by post_id; then the subjects whose band, rank or
    /// quota status changes (`assessment`: band names, totals, ranks, quota
    /// status codes), in assessments.csv order. `group_unit_id` is the quota
    /// group: a post's unit, a unit's parent (empty for a top-level unit).
    /// UTF-8 with BOM, CRLF, text cells guarded against formulas (SPEC §7).
    /// - Complexity: O(changes).
    public func csv(chineseHeaders: Bool = false) -> [UInt8] {
        let d = baseline.dataset
        var w = CSVWriter(reservingCapacity: 128 + 96 * (levelChanges.count + subjectChanges.count))
        w.appendHeader(Self.csvColumns.map { chineseHeaders ? $0.chinese : $0.name })
        let from = baseline.scheme.levels.map(\.name)
        let to = alternative.scheme.levels.map(\.name)
        for p32 in levelChanges {
            let p = Int(p32)
            w.appendInteger(baseline.year)
            w.appendText("level")
            w.appendText(SubjectType.post.englishName)
            d.posts.id.withBytes(p) { w.appendText(bytes: $0) }
            d.units.id.withBytes(Int(d.posts.unit[p])) { w.appendText(bytes: $0) }
            w.appendText(from[Int(baseline.risk.level[p])])
            w.appendText(to[Int(alternative.risk.level[p])])
            w.appendHundredths(baseline.risk.score[p])
            w.appendHundredths(alternative.risk.score[p])
            for _ in 0..<4 { w.appendEmpty() }
            w.endRecord()
        }
        let a = baseline.assessment
        let b = alternative.assessment
        for i32 in subjectChanges {
            let i = Int(i32)
            let s = Int(a.subject[i])
            w.appendInteger(baseline.year)
            w.appendText("assessment")
            w.appendText(a.type[i].englishName)
            (a.type[i] == .unit ? d.units.id : d.posts.id).withBytes(s) { w.appendText(bytes: $0) }
            if a.groupUnit[i] >= 0 { d.units.id.withBytes(Int(a.groupUnit[i])) { w.appendText(bytes: $0) } } else { w.appendEmpty() }
            w.appendText(a.bandName(at: i))
            w.appendText(b.bandName(at: i))
            w.appendHundredths(a.total[i])
            w.appendHundredths(b.total[i])
            w.appendInteger(Int(a.rank[i]))
            w.appendInteger(Int(b.rank[i]))
            w.appendText(a.quotaStatus[i].code)
            w.appendText(b.quotaStatus[i].code)
            w.endRecord()
        }
        return w.bytes
    }
}
