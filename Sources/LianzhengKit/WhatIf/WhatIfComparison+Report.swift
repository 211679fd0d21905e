/// The what-if as Chinese text for the terminal and as whatif.html.
extension WhatIfComparison {
    /// Posts moved to a more severe level, and to a less severe one.
    public var levelDirections: (moreSevere: Int, lessSevere: Int) {
        units.reduce((0, 0)) { ($0.0 + $1.moreSevere, $0.1 + $1.lessSevere) }
    }

    /// Subjects whose band changes.
    public var bandChangeCount: Int { units.reduce(0) { $0 + $1.bandChanges } }

    /// Rows the text and the page list, for reserving their buffers.
    var listedRows: Int {
        levelChanges.count + subjectChanges.count + units.count + baselineNearLines.posts.count
            + baselineNearLines.subjects.count + (reused.risk ? 0 : alternativeNearLines.posts.count)
            + (reused.assessment ? 0 : alternativeNearLines.subjects.count)
    }

    /// The parts recomputed and reused, as a sentence.
    var reuseSentence: String {
        var parts = [("风险分与等级", reused.risk), ("预警清单", reused.flags)]
        if reused.assessment || !reused.assessmentPoints {
            parts.append(("考核结果", reused.assessment))
        } else {
            parts += [("考核得分与一票否决", true), ("档次、名额状态与排名", false)]
        }
        let kept = parts.filter(\.1).map(\.0)
        let redone = parts.filter { !$0.1 }.map(\.0)
        var s = ""
        if !kept.isEmpty { s += "沿用基准运行的" + kept.joined(separator: "、") + "（方案相关部分未改）" }
        if !redone.isEmpty { s += (s.isEmpty ? "" : "；") + "按测算方案重新计算" + redone.joined(separator: "、") }
        return s + "。"
    }

    /// Under the alternative scheme, a list that cannot differ from the
    /// baseline's is not repeated.
    private func sameNote(_ side: Side, _ reusedPart: Bool) -> String {
        side == .alternative && reusedPart ? "，与基准方案相同（相关方案部分未改），见第六部分" : ""
    }

    private func schemeLine(_ label: String, _ runID: String, _ scheme: Scheme) -> String {
        "\(label) \(runID)（评分方案 \(scheme.name) \(scheme.version)，指纹 \(scheme.fingerprint)）"
    }

    private func schemeChangeLine(_ c: SchemeValueChange) -> String {
        "\(c.path): \(c.from ?? "（无）") → \(c.to ?? "（无）")"
    }

    /// The what-if as Chinese text: identity, scheme changes, level changes
    /// and matrix, assessment changes and matrices, counts per unit, and the
    /// 边界附近 lists under both schemes. `run` is the what-if run's identity.
    /// - Complexity: O(changes + near-the-line entries), one buffer.
    public func text(run: RunIdentity) -> [UInt8] {
        var out: [UInt8] = []
        out.reserveCapacity(4096 + 160 * listedRows)
        func line(_ s: String = "") { out.append(contentsOf: s.utf8); out.append(UInt8(ascii: "\n")) }
        func table(rows: Int = 8, _ write: (inout TextTable) -> Void) {
            var t = TextTable(indent: 2)
            t.reserve(rows: rows + 1, cells: 12, bytes: 64)
            write(&t)
            t.render(into: &out)
        }
        let d = baseline.dataset
        line("\(baseline.year) 年度测算对比 (what-if)")
        line("  " + schemeLine("基准运行", run.baselineRunID ?? "", baseline.scheme))
        line("  " + schemeLine("测算运行", run.runID, alternative.scheme))
        line("  数据指纹 \(run.datasetFingerprint)，岗位 \(d.posts.count) 个，考核对象 \(baseline.assessment.count) 个")
        if schemeChanges.isEmpty {
            line("方案改动：无（测算方案与基准方案相同）")
        } else {
            line("方案改动（\(schemeChanges.count) 处）：")
            for c in schemeChanges { line("  " + schemeChangeLine(c)) }
        }
        line(reuseSentence)
        line()

        let (up, down) = levelDirections
        line("一、风险等级变化：\(levelChanges.count) 个岗位（升至更高风险等级 \(up) 个，降至较低风险等级 \(down) 个）")
        if !levelChanges.isEmpty { table(rows: levelChanges.count) { writeLevelChanges(to: &$0) } }
        line()
        line("二、风险等级转移矩阵（行：基准方案，列：测算方案，单位：岗位数）")
        table { writeLevelMatrix(to: &$0) }
        line()
        line("三、考核结果变化：\(subjectChanges.count) 个考核对象（档次、排名或名额状态有变化；其中档次变化 \(bandChangeCount) 个）")
        if !subjectChanges.isEmpty { table(rows: subjectChanges.count) { writeSubjectChanges(to: &$0) } }
        line()
        line("四、考核档次转移矩阵（行：基准方案，列：测算方案）")
        for type in [SubjectType.unit, .post] {
            line("  \(type.chineseName)：")
            table { writeBandMatrix(type, to: &$0) }
        }
        line()
        line("五、各单位变化（仅列出有变化的单位，岗位按所在单位计）：\(units.count) 个单位")
        if !units.isEmpty { table(rows: units.count) { writeUnits(to: &$0) } }
        for (number, side, name) in [("六", Side.baseline, "基准方案"), ("七", Side.alternative, "测算方案")] {
            line()
            let near = nearLines(side)
            line("\(number)、边界附近（\(name)）")
            line("  风险分距等级线 2 分以内的岗位：\(near.posts.count) 个" + sameNote(side, reused.risk))
            if !near.posts.isEmpty && !(side == .alternative && reused.risk) { table(rows: near.posts.count) { writeNearPosts(side, to: &$0) } }
            line("  总分距档次线 1 分以内的考核对象（一票否决者除外）：\(near.subjects.count) 个" + sameNote(side, reused.assessment))
            if !near.subjects.isEmpty && !(side == .alternative && reused.assessment) { table(rows: near.subjects.count) { writeNearSubjects(side, to: &$0) } }
        }
        return out
    }

    /// whatif.html: one self-contained page (inline style, no scripts, no
    /// network), every text HTML-escaped; the same content as `text(run:)`.
    /// Carries no time, path or thread count: the same inputs give the same bytes.
    /// - Complexity: O(changes + near-the-line entries), one buffer.
    public func html(run: RunIdentity) -> [UInt8] {
        var out: [UInt8] = []
        out.reserveCapacity(8192 + 140 * listedRows)
        func raw(_ s: String) { out.append(contentsOf: s.utf8) }
        func esc(_ s: String) { appendHTMLEscaped(s, to: &out) }
        func element(_ tag: String, _ text: String) {
            raw("<\(tag)>")
            esc(text)
            raw("</\(tag)>\n")
        }
        func table(_ kind: WhatIfTable, _ write: (inout HTMLTable) -> Void) {
            var t = HTMLTable(appendingTo: out, className: kind.rawValue, markNumbers: false)
            out = []  // the table holds the only reference: appending copies nothing
            write(&t)
            out = t.finish()
        }
        let d = baseline.dataset
        let title = "\(baseline.year) 年度测算对比"
        raw("<!DOCTYPE html>\n<html lang=\"zh-CN\"><head><meta charset=\"utf-8\"><title>")
        esc(title)
        raw("</title>\n<style>\n")
        raw("""
            body{font-family:"Noto Sans CJK SC","Microsoft YaHei",sans-serif;margin:1.5em;color:#222}
            h1{font-size:1.4em}h2{font-size:1.15em;margin-top:1.6em;border-bottom:1px solid #999}
            table{border-collapse:collapse;margin:.5em 0 1em}th,td{border:1px solid #bbb;padding:2px 6px}
            th{background:#eee}
            .meta{font-size:.9em;color:#444}code{font-size:.95em}
            @media print{@page{size:A4;margin:12mm}body{margin:0}h2{break-after:avoid}tr{break-inside:avoid}}

            """)
        raw(WhatIfTable.css)
        raw("</style></head><body>\n")
        element("h1", title)
        raw("<div class=\"meta\">\n")
        element("p", schemeLine("基准运行", run.baselineRunID ?? "", baseline.scheme))
        element("p", schemeLine("测算运行", run.runID, alternative.scheme))
        element("p", "数据指纹 \(run.datasetFingerprint)，程序版本 \(run.programVersion)，岗位 \(d.posts.count) 个，考核对象 \(baseline.assessment.count) 个")
        raw("</div>\n")
        element("h2", "方案改动")
        if schemeChanges.isEmpty {
            element("p", "无（测算方案与基准方案相同）")
        } else {
            raw("<ul>\n")
            for c in schemeChanges {
                raw("<li><code>")
                esc(schemeChangeLine(c))
                raw("</code></li>\n")
            }
            raw("</ul>\n")
        }
        element("p", reuseSentence)

        let (up, down) = levelDirections
        element("h2", "一、风险等级变化")
        element("p", "\(levelChanges.count) 个岗位（升至更高风险等级 \(up) 个，降至较低风险等级 \(down) 个）")
        if !levelChanges.isEmpty { table(.levelChanges) { writeLevelChanges(to: &$0) } }
        element("h2", "二、风险等级转移矩阵")
        element("p", "行：基准方案，列：测算方案，单位：岗位数")
        table(.matrix) { writeLevelMatrix(to: &$0) }
        element("h2", "三、考核结果变化")
        element("p", "\(subjectChanges.count) 个考核对象的档次、排名或名额状态有变化，其中档次变化 \(bandChangeCount) 个")
        if !subjectChanges.isEmpty { table(.subjectChanges) { writeSubjectChanges(to: &$0) } }
        element("h2", "四、考核档次转移矩阵")
        for type in [SubjectType.unit, .post] {
            element("h3", type.chineseName)
            table(.matrix) { writeBandMatrix(type, to: &$0) }
        }
        element("h2", "五、各单位变化")
        element("p", "仅列出有变化的单位（\(units.count) 个），岗位按所在单位计")
        if !units.isEmpty { table(.units) { writeUnits(to: &$0) } }
        for (number, side, name) in [("六", Side.baseline, "基准方案"), ("七", Side.alternative, "测算方案")] {
            let near = nearLines(side)
            element("h2", "\(number)、边界附近（\(name)）")
            element("h3", "风险分距等级线 2 分以内的岗位：\(near.posts.count) 个" + sameNote(side, reused.risk))
            if !near.posts.isEmpty && !(side == .alternative && reused.risk) { table(.nearPosts) { writeNearPosts(side, to: &$0) } }
            element("h3", "总分距档次线 1 分以内的考核对象（一票否决者除外）：\(near.subjects.count) 个" + sameNote(side, reused.assessment))
            if !near.subjects.isEmpty && !(side == .alternative && reused.assessment) { table(.nearSubjects) { writeNearSubjects(side, to: &$0) } }
        }
        raw("</body></html>\n")
        return out
    }
}
