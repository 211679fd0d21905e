/// The tables of report.html: 预警清单, unit comparison, 边界附近 and the
/// supervisors per level.
extension ReportHTML.Page {
    // MARK: 预警清单

    /// Every post flag by (post_id, code in table order), the rows of
    /// flags.csv with the post's name, unit and level, the code's meaning
    /// and the evidence; a post's flags are kept together on a page.
    /// - Complexity: O(posts) to find flagged posts, plus the listed rows.
    mutating func flagList() {
        let d = c.dataset
        let f = c.flags
        sectionHeading(4, pageBreak: true)
        let total = f.flagCount
        guard total > 0 else {
            html.raw("<p class=\"note\">本年度没有岗位预警。风险点预警见“廉政风险目录”及 risk_points.csv。</p>\n")
            endSection()
            return
        }
        html.raw("<p class=\"note\">共 ")
        html.int(total)
        html.raw(" 条预警，涉及 ")
        html.int(f.flaggedPostCount)
        html.raw(" 个岗位；按岗位编号、预警代码顺序排列。风险点预警（NO_MEASURES、BOILERPLATE）见“廉政风险目录”及 risk_points.csv。</p>\n")
        html.raw("<table class=\"flags\">\n<colgroup><col style=\"width:13%\"><col style=\"width:12%\"><col style=\"width:7%\"><col style=\"width:24%\"><col><col style=\"width:7%\"><col style=\"width:7%\"></colgroup>\n")
        html.raw("<thead><tr><th>岗位</th><th>所属单位</th><th>等级</th><th>预警</th><th>依据</th><th class=\"num\">值</th><th class=\"num\">阈值</th></tr></thead>\n")
        var shown = 0
        let mask = f.mask
        for p in mask.indices where mask[p] != 0 {
            guard shown < limits.flags else { break }
            let list = f.flags(post: p).prefix(limits.flags - shown)
            html.raw("<tbody class=\"grp\">\n")
            for (i, flag) in list.enumerated() {
                html.raw("<tr>")
                if i == 0 {
                    rowSpan("<td", list.count)
                    postCell(p)
                    html.raw("</td>")
                    rowSpan("<td", list.count)
                    html.text(d.units.name[Int(d.posts.unit[p])])
                    html.raw("</td>")
                    rowSpan("<td", list.count)
                    levelChip(Int(c.risk.level[p]), name: c.scheme.levels[Int(c.risk.level[p])].name)
                    html.raw("</td>")
                }
                html.raw("<td><span class=\"code\">")
                html.text(flag.code.code)
                html.raw("</span><br>")
                html.text(flag.explanation)
                html.raw("</td><td>")
                html.text(flag.reason)
                html.raw("</td><td class=\"num\">")
                html.text(flag.value)
                html.raw("</td><td class=\"num\">")
                html.text(flag.threshold)
                html.raw("</td></tr>\n")
            }
            html.raw("</tbody>\n")
            shown += list.count
        }
        html.raw("</table>\n")
        remainder(total - shown, unit: "条", file: "flags.csv")
        endSection()
    }

    // MARK: Unit comparison

    /// The units.csv view by unit_id, with a total row over every post.
    mutating func unitTable() {
        let d = c.dataset
        let levels = c.scheme.levels
        sectionHeading(5, pageBreak: true)
        html.raw("<p class=\"note\">按单位编号排列，统计各单位直属岗位；考核档次为单位本身的考核结果。排名对比请用 <code>lianzheng compare</code>。</p>\n")
        html.raw("<table class=\"units\">\n<thead><tr><th>单位编号</th><th>单位名称</th><th class=\"num\">岗位数</th>")
        for (k, level) in levels.enumerated() {
            html.raw("<th class=\"num\">")
            levelChip(k, name: level.name)
            html.raw("</th>")
        }
        html.raw("<th class=\"num\">平均风险分</th><th class=\"num\">最高风险分</th><th class=\"num\">预警岗位</th><th>考核档次</th></tr></thead>\n<tbody>\n")
        var all = UnitsCSV.Row(perLevel: [Int](repeating: 0, count: levels.count))
        for (u, row) in units.enumerated() {
            all.posts += row.posts
            all.scoreSum += row.scoreSum
            if row.posts > 0 && (all.posts == row.posts || row.maxScore > all.maxScore) { all.maxScore = row.maxScore }
            all.flaggedPosts += row.flaggedPosts
            for k in row.perLevel.indices { all.perLevel[k] += row.perLevel[k] }
            guard u < limits.units else { continue }
            html.raw("<tr><td class=\"id\">")
            html.text(d.units.id[u])
            html.raw("</td><td>")
            html.text(d.units.name[u])
            html.raw("</td>")
            unitFigures(row)
            html.raw("<td>")
            if let b = row.band { bandChip(b) } else { html.raw("<span class=\"muted\">—</span>") }
            html.raw("</td></tr>\n")
        }
        html.raw("</tbody>\n<tfoot><tr><th colspan=\"2\">合计（")
        html.int(units.count)
        html.raw(" 个单位）</th>")
        unitFigures(all)
        html.raw("<td></td></tr></tfoot>\n</table>\n")
        remainder(units.count - min(units.count, limits.units), unit: "个单位", file: "units.csv")
        endSection()
    }

    /// Posts, per-level counts, mean and max score and flagged posts of a row.
    private mutating func unitFigures(_ row: UnitsCSV.Row) {
        html.raw("<td class=\"num\">")
        html.int(row.posts)
        html.raw("</td>")
        for n in row.perLevel {
            html.raw(n == 0 ? "<td class=\"num muted\">" : "<td class=\"num\">")
            html.int(n)
            html.raw("</td>")
        }
        html.raw("<td class=\"num\">")
        if let mean = row.meanScore { html.hundredths(mean) } else { html.raw("—") }
        html.raw("</td><td class=\"num\">")
        if row.posts > 0 { html.hundredths(row.maxScore) } else { html.raw("—") }
        html.raw("</td><td class=\"num\">")
        html.int(row.flaggedPosts)
        html.raw("</td>")
    }

    // MARK: 边界附近

    /// Posts within 2 points of a level minimum and subjects within 1 point
    /// of a band minimum (SPEC §8).
    mutating func nearLine() {
        let d = c.dataset
        let levels = c.scheme.levels
        sectionHeading(6)
        let posts = c.postsNearLevelThresholds()
        html.raw("<h3>风险分距等级分数线 2 分以内的岗位（")
        html.int(posts.count)
        html.raw(" 个）</h3>\n")
        if posts.isEmpty {
            html.raw("<p class=\"note\">无。</p>\n")
        } else {
            html.raw("<table class=\"near\">\n<thead><tr><th>岗位</th><th>所属单位</th><th class=\"num\">风险分</th><th>分数线</th><th class=\"num\">差值</th><th>最终等级</th></tr></thead>\n<tbody>\n")
            for near in posts.prefix(limits.nearLine) {
                let p = near.post
                html.raw("<tr><td>")
                postCell(p, inline: true)
                html.raw("</td><td>")
                html.text(d.units.name[Int(d.posts.unit[p])])
                html.raw("</td><td class=\"num\">")
                html.hundredths(c.risk.score[p])
                html.raw("</td><td>")
                html.text(levels[near.level].name)
                html.raw(" ≥ ")
                html.text(levels[near.level].minScore.shortestDecimal)
                html.raw("</td><td class=\"num\">")
                signedHundredths(near.distance)
                html.raw("</td><td>")
                let k = Int(c.risk.level[p])
                levelChip(k, name: levels[k].name)
                if c.risk.floor[p] != 0 {
                    html.raw(" <span class=\"muted\">最低等级规则 ")
                    html.int(Int(c.risk.floor[p]))
                    html.raw("</span>")
                }
                html.raw("</td></tr>\n")
            }
            html.raw("</tbody>\n</table>\n")
            remainder(posts.count - min(posts.count, limits.nearLine), unit: "个岗位", file: "posts.csv")
        }
        nearBands()
        endSection()
    }

    private mutating func nearBands() {
        let d = c.dataset
        let a = c.assessment
        let bands = c.scheme.assessment.bands
        let subjects = a.nearBandThresholds()
        html.raw("<h3>考核总分距档次分数线 1 分以内的对象（")
        html.int(subjects.count)
        html.raw(" 个，一票否决者除外）</h3>\n")
        guard !subjects.isEmpty else {
            html.raw("<p class=\"note\">无。</p>\n")
            return
        }
        html.raw("<table class=\"near\">\n<thead><tr><th>对象</th><th>类型</th><th class=\"num\">总分</th><th>档次线</th><th class=\"num\">差值</th><th>最终档次</th><th>名额状态</th></tr></thead>\n<tbody>\n")
        for near in subjects.prefix(limits.nearLine) {
            let i = near.row
            let s = Int(a.subject[i])
            html.raw("<tr><td>")
            if a.type[i] == .unit {
                html.text(d.units.name[s])
                html.raw(" <span class=\"id\">")
                html.text(d.units.id[s])
                html.raw("</span>")
            } else {
                postCell(s, inline: true)
                html.raw(" <span class=\"muted\">")
                html.text(d.units.name[Int(d.posts.unit[s])])
                html.raw("</span>")
            }
            html.raw("</td><td>")
            html.text(a.type[i].chineseName)
            html.raw("</td><td class=\"num\">")
            html.hundredths(a.total[i])
            html.raw("</td><td>")
            html.text(bands[near.band].name)
            html.raw(" ≥ ")
            html.text(trimmedHundredths(bands[near.band].min))
            html.raw("</td><td class=\"num\">")
            signedHundredths(near.distance)
            html.raw("</td><td>")
            bandChip(Int(a.band[i]))
            html.raw("</td><td>")
            html.text(a.quotaStatus[i].chineseName)
            html.raw("</td></tr>\n")
        }
        html.raw("</tbody>\n</table>\n")
        remainder(subjects.count - min(subjects.count, limits.nearLine), unit: "个对象", file: "assessments.csv")
    }

    // MARK: Supervisors

    /// Each level's score range, 监管责任人, posts and risk points, and the
    /// scheme's level floors in words.
    mutating func supervisors() {
        let levels = c.scheme.levels
        sectionHeading(7)
        var pointsPerLevel = [Int](repeating: 0, count: levels.count)
        let level = c.risk.level
        for post in c.dataset.riskPoints.post { pointsPerLevel[Int(level[Int(post)])] += 1 }
        html.raw("<table class=\"supervisors\">\n<thead><tr><th>风险等级</th><th>风险分范围</th><th>监管责任人</th><th class=\"num\">岗位数</th><th class=\"num\">风险点数</th></tr></thead>\n<tbody>\n")
        for (k, level) in levels.enumerated() {
            html.raw("<tr><td>")
            levelChip(k, name: level.name)
            if !level.aliases.isEmpty {
                html.raw(" <span class=\"muted\">（")
                html.text(level.aliases.joined(separator: "、"))
                html.raw("）</span>")
            }
            html.raw("</td><td>")
            if k == 0 {
                html.raw("≥ ")
                html.text(level.minScore.shortestDecimal)
            } else {
                html.text(level.minScore.shortestDecimal)
                html.raw(" ≤ 分数 &lt; ")
                html.text(levels[k - 1].minScore.shortestDecimal)
            }
            html.raw("</td><td>")
            html.text(level.supervisor)
            html.raw("</td><td class=\"num\">")
            html.int(levelCounts[k])
            html.raw("</td><td class=\"num\">")
            html.int(pointsPerLevel[k])
            html.raw("</td></tr>\n")
        }
        html.raw("</tbody>\n</table>\n")
        floors()
        endSection()
    }

    /// The scheme's 最低等级规则 as sentences, numbered as the `floor` column counts.
    private mutating func floors() {
        let s = c.scheme
        guard !s.levelFloors.isEmpty else {
            html.raw("<p class=\"note\">评分方案未设最低等级规则，岗位等级由风险分确定。</p>\n")
            return
        }
        html.raw("<h3>最低等级规则</h3>\n<ol class=\"floors\">\n")
        for floor in s.levelFloors {
            html.raw("<li>")
            switch floor.condition {
            case .powerKinds(let kinds):
                html.raw("行使以下类别职权之一：")
                html.text(kinds.map { s.risk.powerKinds[$0].name }.joined(separator: "、"))
            case .keyDecisions:
                html.raw("涉及“三重一大”事项")
            case .incidents(let kinds, let statuses, let within):
                html.raw("近 ")
                html.text(within.shortestDecimal)
                html.raw(" 年内有以下问题线索之一：")
                html.text(kinds.map { s.risk.incidentKinds[$0].name }.joined(separator: "、"))
                html.raw("，核实情况为")
                html.text(statuses.map(\.chineseName).joined(separator: "、"))
            }
            html.raw(" → 至少 ")
            levelChip(floor.level, name: s.levels[floor.level].name)
            html.raw("</li>\n")
        }
        html.raw("</ol>\n")
    }

    // MARK: Cells

    /// Post name with its id below (or after it, when `inline`).
    mutating func postCell(_ p: Int, inline: Bool = false) {
        html.text(c.dataset.posts.name[p])
        html.raw(inline ? " <span class=\"id\">" : "<br><span class=\"id\">")
        html.text(c.dataset.posts.id[p])
        html.raw("</span>")
    }

    /// `<td rowspan="n"` (or `<td` when n is 1) closed with `>`.
    mutating func rowSpan(_ open: StaticString, _ n: Int) {
        html.raw(open)
        if n > 1 {
            html.raw(" rowspan=\"")
            html.int(n)
            html.raw("\"")
        }
        html.raw(">")
    }

    /// Hundredths with an explicit sign: "+1.50", "0.00", "-0.25".
    mutating func signedHundredths(_ v: Int64) {
        if v > 0 { html.raw("+") }
        html.hundredths(v)
    }
}
