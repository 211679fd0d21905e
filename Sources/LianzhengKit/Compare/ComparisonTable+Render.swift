/// `compare` as an aligned Chinese text table, CSV and an HTML page.
extension ComparisonTable {
    /// The output formats of `compare`.
    public enum Format: String, Sendable, CaseIterable {
        /// An aligned Chinese table for the terminal.
        case text
        /// UTF-8 with BOM, CRLF.
        case csv
        /// One self-contained page.
        case html
    }

    /// The table in `format`; `chineseHeaders` applies to CSV (text and
    /// HTML are always in Chinese).
    public func render(_ format: Format, chineseHeaders: Bool = false) -> [UInt8] {
        switch format {
        case .text: text()
        case .csv: csv(chineseHeaders: chineseHeaders)
        case .html: html()
        }
    }

    /// The title line.
    var title: String {
        "\(year) 年度" + (grouping == .unit ? "单位横向对比" : "岗位类别横向对比")
    }

    /// How the rows are ordered, in words.
    var orderSentence: String {
        let top = scheme.levels[0].name
        return "排序：平均风险分从高到低，其次\(top)岗位占比从高到低、预警岗位数从多到少"
            + (grouping == .unit ? "、考核档次从优到差、单位编号" : "、类别名称")
            + "；没有岗位的行列在最后。"
    }

    var scopeSentence: String {
        grouping == .unit
            ? "有下级单位的单位列两行：「含下级单位」汇总本单位及全部下级单位的岗位（岗位数、各等级岗位数、预警岗位数相加，平均分按合计分值重新计算，最高分取最大），「本级」只计直属岗位。考核档次为该单位本身的考核结果。"
            : "按岗位类别汇总全部岗位；类别为空的岗位计入「未分类」。"
    }

    /// Writes the header and every row. CSV gets codes (`rolled_up`) and,
    /// unless `chineseHeaders`, English headers; text and HTML get Chinese.
    public func write<S: TableSink>(to t: inout S, csv: Bool = false, chineseHeaders: Bool = true) {
        let levels = scheme.levels.map(\.name)
        let chinese = !csv || chineseHeaders
        var header: [String] = csv ? [chinese ? "年度" : "year"] : []
        header.append(chinese ? "排名" : "rank")
        if grouping == .unit {
            header += chinese ? ["单位编号", "单位名称", "上级单位编号", "统计范围"] : ["unit_id", "name", "parent_id", "scope"]
        } else {
            header.append(chinese ? "岗位类别" : "category")
        }
        header.append(chinese ? "岗位数" : "posts")
        header += levels
        header += chinese
            ? ["\(levels[0])占比(%)", "平均风险分", "最高风险分", "预警岗位数"]
            : ["top_level_percent", "mean_score", "max_score", "flagged_posts"]
        if grouping == .unit { header.append(chinese ? "考核档次" : "band") }
        t.header(header)
        let d = dataset
        for row in rows {
            if csv { t.integer(year) }
            t.integer(row.rank)
            if grouping == .unit {
                t.text(d.units.id, row.key)
                t.text(d.units.name, row.key)
                let parent = Int(d.units.parent[row.key])
                if parent >= 0 { t.text(d.units.id, parent) } else { t.empty() }
                t.text(csv ? row.scope.code : row.scope.chineseName)
            } else {
                t.text(categories[row.key])
            }
            let f = row.figures
            t.integer(f.posts)
            for n in f.perLevel { t.integer(n) }
            if let share = row.topLevelShare, let mean = f.meanScore {
                t.hundredths(share)
                t.hundredths(mean)
                t.hundredths(f.maxScore)
            } else {
                t.empty()
                t.empty()
                t.empty()
            }
            t.integer(f.flaggedPosts)
            if grouping == .unit {
                if let band = f.band { t.text(scheme.assessment.bands[band].name) } else { t.empty() }
            }
            t.endRow()
        }
    }

    /// An aligned Chinese table with a title, for the terminal.
    public func text() -> [UInt8] {
        var out = Array("\(title)（共 \(rows.count) 行）\n".utf8)
        out += Array("数据指纹 \(dataset.fingerprint)；评分方案 \(scheme.name) \(scheme.version)，指纹 \(scheme.fingerprint)\n".utf8)
        out += Array((scopeSentence + "\n" + orderSentence + "\n").utf8)
        var t = TextTable(indent: 0)
        write(to: &t)
        out += t.render()
        return out
    }

    /// UTF-8 with BOM, CRLF; text cells guarded against formulas (SPEC §7).
    public func csv(chineseHeaders: Bool = false) -> [UInt8] {
        var w = CSVWriter(reservingCapacity: 128 + rows.count * 96)
        write(to: &w, csv: true, chineseHeaders: chineseHeaders)
        return w.bytes
    }

    /// One self-contained page (inline style, no scripts), all text escaped.
    public func html() -> [UInt8] {
        var out: [UInt8] = []
        func raw(_ s: String) { out.append(contentsOf: s.utf8) }
        func element(_ tag: String, _ text: String) {
            raw("<\(tag)>")
            appendHTMLEscaped(text, to: &out)
            raw("</\(tag)>\n")
        }
        raw("<!DOCTYPE html>\n<html lang=\"zh-CN\"><head><meta charset=\"utf-8\"><title>")
        appendHTMLEscaped(title, to: &out)
        raw("</title>\n<style>\n")
        raw("""
            body{font-family:"Noto Sans CJK SC","Microsoft YaHei",sans-serif;margin:1.5em;color:#222}
            h1{font-size:1.4em}table{border-collapse:collapse;margin:.5em 0 1em}
            th,td{border:1px solid #bbb;padding:2px 6px}th{background:#eee}
            td.n{text-align:right;font-variant-numeric:tabular-nums}.meta{font-size:.9em;color:#444}
            @media print{@page{size:A4 landscape;margin:12mm}body{margin:0}tr{break-inside:avoid}}

            """)
        raw("</style></head><body>\n")
        element("h1", title)
        raw("<div class=\"meta\">\n")
        element("p", "数据指纹 \(dataset.fingerprint)；评分方案 \(scheme.name) \(scheme.version)，指纹 \(scheme.fingerprint)")
        element("p", scopeSentence)
        element("p", orderSentence)
        raw("</div>\n")
        var t = HTMLTable(appendingTo: out)
        out = []
        write(to: &t)
        out = t.finish()
        raw("</body></html>\n")
        return out
    }
}
