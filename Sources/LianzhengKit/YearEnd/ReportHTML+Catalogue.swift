/// 廉政风险目录 (SPEC §7, issue 9): each unit's posts with level,
/// supervisor and risk points (type, description, measures, flags), in the
/// form of the public notice (公示) the implementation rules ask for.
extension ReportHTML.Page {
    /// Units in tree order (depth first, children by unit_id), each with
    /// its posts by post_id and each post's points by point_id; stops at
    /// `limits.catalogueRows` rows, at a post boundary.
    /// - Complexity: O(units + posts + risk points) plus the listed rows.
    mutating func catalogue() {
        let d = c.dataset
        sectionHeading(8, pageBreak: true)
        html.raw("<div class=\"notice\"><p>根据岗位廉政风险排查和自查结果，按评分方案测算风险分并适用最低等级规则，现将各单位岗位的廉政风险等级、主要风险点、防控措施和监管责任人公示如下。</p></div>\n")
        guard d.posts.count > 0 else {
            html.raw("<p class=\"note\">数据中没有岗位。</p>\n")
            endSection()
            return
        }
        let tree = c.assessment.tree
        let (pointStart, points) = UnitTree.csr(keys: d.riskPoints.post.map { Int($0) }, buckets: d.posts.count)
        var rows = 0
        var shownPosts = 0
        var shownPoints = 0
        for u in treeOrder(tree) where tree.postStart[u] < tree.postStart[u + 1] {
            guard rows < limits.catalogueRows else { break }
            let posts = tree.posts[Int(tree.postStart[u])..<Int(tree.postStart[u + 1])]
            unitHeading(u)
            html.raw("<table class=\"catalogue\">\n<colgroup><col style=\"width:13%\"><col style=\"width:9%\"><col style=\"width:12%\"><col style=\"width:10%\"><col style=\"width:29%\"><col></colgroup>\n")
            html.raw("<thead><tr><th>岗位</th><th>风险等级</th><th>监管责任人</th><th>风险类型</th><th>风险表现</th><th>防控措施</th></tr></thead>\n")
            for post in posts {
                let p = Int(post)
                guard rows < limits.catalogueRows else { break }
                let own = points[Int(pointStart[p])..<Int(pointStart[p + 1])]
                catalogueEntry(p, points: own)
                rows += max(1, own.count)
                shownPosts += 1
                shownPoints += own.count
            }
            html.raw("</table>\n")
        }
        if shownPosts < d.posts.count {
            html.raw("<p class=\"more\">其余 ")
            html.int(d.posts.count - shownPosts)
            html.raw(" 个岗位（")
            html.int(d.riskPoints.count - shownPoints)
            html.raw(" 个风险点）见 posts.csv / risk_points.csv。</p>\n")
        }
        endSection()
    }

    /// Every unit, depth first from the roots, children in unit_id order.
    private func treeOrder(_ tree: UnitTree) -> [Int] {
        let d = c.dataset
        var order: [Int] = []
        order.reserveCapacity(d.units.count)
        var stack: [Int] = (0..<d.units.count).filter { d.units.parent[$0] < 0 }.reversed()
        while let u = stack.popLast() {
            order.append(u)
            stack.append(contentsOf: tree.children[Int(tree.childStart[u])..<Int(tree.childStart[u + 1])].reversed().map { Int($0) })
        }
        return order
    }

    /// "上级 › 本单位 U0101" and the unit's post counts per level.
    private mutating func unitHeading(_ u: Int) {
        let d = c.dataset
        var path: [Int] = []
        var a = Int(d.units.parent[u])
        while a >= 0 && path.count < d.units.count {
            path.append(a)
            a = Int(d.units.parent[a])
        }
        html.raw("<h3 class=\"unit-head\">")
        for ancestor in path.reversed() {
            html.raw("<span class=\"muted\">")
            html.text(d.units.name[ancestor])
            html.raw(" › </span>")
        }
        html.text(d.units.name[u])
        html.raw(" <span class=\"id\">")
        html.text(d.units.id[u])
        html.raw("</span></h3>\n<p class=\"unit-sum\">岗位 ")
        html.int(units[u].posts)
        html.raw(" 个：")
        for (k, level) in c.scheme.levels.enumerated() {
            if k > 0 { html.raw(" · ") }
            html.text(level.name)
            html.raw(" ")
            html.int(units[u].perLevel[k])
        }
        html.raw("</p>\n")
    }

    /// One post's rows: the post cells span its risk points.
    private mutating func catalogueEntry(_ p: Int, points: ArraySlice<Int32>) {
        let d = c.dataset
        let k = Int(c.risk.level[p])
        let level = c.scheme.levels[k]
        let span = max(1, points.count)
        html.raw("<tbody class=\"grp\">\n<tr>")
        rowSpan("<td", span)
        postCell(p)
        html.raw("</td>")
        rowSpan("<td", span)
        levelChip(k, name: level.name)
        html.raw("</td>")
        rowSpan("<td", span)
        html.text(level.supervisor)
        html.raw("</td>")
        if points.isEmpty {
            html.raw("<td colspan=\"3\" class=\"missing\">未登记风险点</td></tr>\n</tbody>\n")
            return
        }
        for (n, point) in points.enumerated() {
            let i = Int(point)
            if n > 0 { html.raw("<tr>") }
            html.raw("<td>")
            html.text(RiskPointType(rawValue: d.riskPoints.type[i])?.chineseName ?? "")
            html.raw("<br><span class=\"id\">")
            html.text(d.riskPoints.id[i])
            html.raw("</span></td><td class=\"text\">")
            html.text(d.riskPoints.description[i])
            for code in c.riskPoints.codes(point: i) {
                html.raw("<div class=\"pflag\"><span class=\"code\">")
                html.text(code.code)
                html.raw("</span> ")
                html.text(c.riskPoints.reason(code, point: i))
                html.raw("</div>")
            }
            html.raw("</td><td class=\"text\">")
            if c.riskPoints.hasMeasures(point: i) {
                html.text(d.riskPoints.measures[i])
            } else {
                html.raw("<span class=\"missing\">（未填写）</span>")
            }
            html.raw("</td></tr>\n")
        }
        html.raw("</tbody>\n")
    }
}
