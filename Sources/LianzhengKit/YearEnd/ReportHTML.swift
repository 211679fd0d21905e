/// report.html (SPEC §7, §8): the human report of a year-end run, one
/// self-contained Chinese page — no script, no network, inline SVG charts,
/// printable on A4 — whose bytes depend only on the run's content.
///
/// Sections: header with fingerprints and run id; 总体情况; level
/// distribution per unit; score histogram; band distribution; 预警清单;
/// unit comparison; 边界附近; supervisors per level; 廉政风险目录. Every
/// text from the data or the scheme goes through `HTMLWriter.text` (escaped).
/// Per-post lists stop at `Limits`, with a note naming the CSV file that
/// holds the rest, so a million-post run still gives a readable page.
public enum ReportHTML {
    /// Caps on the long lists, so the page stays bounded for any dataset.
    public struct Limits: Sendable {
        /// Rows of the 预警清单 (flags.csv has them all).
        public var flags: Int
        /// Rows of the 廉政风险目录: one per risk point, one per post without any.
        public var catalogueRows: Int
        /// Rows of the unit comparison table (units.csv has them all).
        public var units: Int
        /// Bars of the per-unit level chart.
        public var chartUnits: Int
        /// Rows of each 边界附近 table.
        public var nearLine: Int

        public init(flags: Int, catalogueRows: Int, units: Int, chartUnits: Int, nearLine: Int) {
            self.flags = flags
            self.catalogueRows = catalogueRows
            self.units = units
            self.chartUnits = chartUnits
            self.nearLine = nearLine
        }

        /// A few thousand rows each: a page of a few megabytes at most.
        public static let standard = Limits(flags: 2000, catalogueRows: 3000, units: 2000, chartUnits: 30, nearLine: 1000)
    }

    /// The report of computation `c`, identified by `run`, with the
    /// units.csv aggregates `units`.
    /// - Complexity: O(posts + units + risk points) plus the capped lists.
    public static func render(_ c: YearComputation, run: RunIdentity, units: [UnitsCSV.Row]) -> [UInt8] {
        render(c, run: run, units: units, limits: .standard)
    }

    /// As `render(_:run:units:)`, with explicit caps (tests use small ones).
    public static func render(_ c: YearComputation, run: RunIdentity, units: [UnitsCSV.Row], limits: Limits) -> [UInt8] {
        var page = Page(c, run: run, units: units, limits: limits)
        page.document()
        return page.html.bytes
    }

    /// The section headings, in page order: (anchor, title). Tests check
    /// that every one is present.
    public static let sectionTitles: [String] = sections.map { "\($0.title)" }

    static let sections: [(anchor: StaticString, title: StaticString)] = [
        ("summary", "一、总体情况"),
        ("levels", "二、各单位风险等级分布"),
        ("histogram", "三、风险分分布"),
        ("bands", "四、考核档次分布"),
        ("flags", "五、预警清单"),
        ("units", "六、单位对比"),
        ("near", "七、边界附近"),
        ("supervisors", "八、风险等级与监管责任人"),
        ("catalogue", "九、廉政风险目录"),
    ]
}

extension ReportHTML {
    /// One report being written: the computation, the precomputed
    /// aggregates every section shares, and the page buffer.
    struct Page {
        let c: YearComputation
        let run: RunIdentity
        let units: [UnitsCSV.Row]
        let limits: Limits
        /// Fill and text colour per level (most severe first: red … green).
        let levelSwatches: [Swatch]
        /// Fill and text colour per band (best first: green … red).
        let bandSwatches: [Swatch]
        /// Posts per final level.
        let levelCounts: [Int]
        /// Posts per final level whose level a floor raised.
        let raisedCounts: [Int]
        var html: HTMLWriter

        init(_ c: YearComputation, run: RunIdentity, units: [UnitsCSV.Row], limits: Limits) {
            self.c = c
            self.run = run
            self.units = units
            self.limits = limits
            levelSwatches = Swatch.palette(c.scheme.levels.count)
            bandSwatches = Swatch.palette(c.scheme.assessment.bands.count).reversed()
            var counts = [Int](repeating: 0, count: c.scheme.levels.count)
            var raised = counts
            let level = c.risk.level
            let floor = c.risk.floor
            for p in level.indices {
                let k = Int(level[p])
                counts[k] += 1
                if floor[p] != 0 { raised[k] += 1 }
            }
            levelCounts = counts
            raisedCounts = raised
            let listed = min(limits.flags, c.flags.flagCount) + min(limits.catalogueRows, c.dataset.riskPoints.count)
            html = HTMLWriter(reservingCapacity: 64 * 1024 + 600 * listed + 300 * min(limits.units, units.count))
        }

        mutating func document() {
            let title = "\(c.year) 年度廉政风险防控报告"
            html.raw("<!DOCTYPE html>\n<html lang=\"zh-CN\">\n<head>\n<meta charset=\"utf-8\">\n")
            html.raw("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n")
            html.element("<title>", title, "</title>\n")
            style()
            html.raw("</head>\n<body>\n")
            header(title)
            contents()
            summary()
            levelChart()
            histogram()
            bandChart()
            flagList()
            unitTable()
            nearLine()
            supervisors()
            catalogue()
            footer()
            html.raw("</body>\n</html>\n")
        }

        // MARK: Header

        private mutating func header(_ title: String) {
            let d = c.dataset
            let s = c.scheme
            html.raw("<header class=\"cover\">\n<p class=\"kicker\">廉政风险防控 · 年度报告</p>\n")
            html.element("<h1>", title, "</h1>\n")
            html.raw("<p class=\"subtitle\">")
            html.text(s.name)
            html.raw(" · 版本 ")
            html.text(s.version)
            html.raw("</p>\n<table class=\"meta\">\n<tr><th>年度</th><td>")
            html.int(c.year)
            html.raw("</td></tr>\n<tr><th>评分方案</th><td>")
            html.text(s.name)
            html.raw("（版本 ")
            html.text(s.version)
            html.raw("）</td></tr>\n<tr><th>方案指纹</th><td class=\"mono\">")
            html.text(run.schemeFingerprint)
            html.raw("</td></tr>\n<tr><th>数据指纹</th><td class=\"mono\">")
            html.text(run.datasetFingerprint)
            html.raw("</td></tr>\n<tr><th>程序版本</th><td>lianzheng ")
            html.text(run.programVersion)
            html.raw("</td></tr>\n<tr><th>运行编号</th><td class=\"mono\">")
            html.text(run.runID)
            html.raw("</td></tr>\n<tr><th>数据规模</th><td>单位 ")
            html.int(d.units.count)
            html.raw(" 个 · 岗位 ")
            html.int(d.posts.count)
            html.raw(" 个 · 职权 ")
            html.int(d.powers.count)
            html.raw(" 项 · 问题线索 ")
            html.int(d.incidents.count)
            html.raw(" 条 · 风险点 ")
            html.int(d.riskPoints.count)
            html.raw(" 个 · 考核对象 ")
            html.int(c.assessment.count)
            html.raw(" 个</td></tr>\n</table>\n<p class=\"note\">同一数据快照、评分方案与年度生成的本报告逐字节相同；运行 <code>lianzheng verify ")
            html.text(run.runID)
            html.raw("</code> 可重新计算并核对全部输出文件。计算明细见同目录 scorecards.json 及各 CSV 文件。</p>\n</header>\n")
        }

        private mutating func contents() {
            html.raw("<nav class=\"toc\">\n<p class=\"toc-title\">目录</p>\n<ul>\n")
            for section in ReportHTML.sections {
                html.raw("<li><a href=\"#s-")
                html.raw(section.anchor)
                html.raw("\">")
                html.raw(section.title)
                html.raw("</a></li>\n")
            }
            html.raw("</ul>\n</nav>\n")
        }

        /// `<h2>` of section `index`; `pageBreak` starts it on a new printed page.
        mutating func sectionHeading(_ index: Int, pageBreak: Bool = false) {
            let section = ReportHTML.sections[index]
            html.raw(pageBreak ? "<section class=\"page-break\" id=\"s-" : "<section id=\"s-")
            html.raw(section.anchor)
            html.raw("\">\n<h2>")
            html.raw(section.title)
            html.raw("</h2>\n")
        }

        mutating func endSection() {
            html.raw("</section>\n")
        }

        // MARK: 总体情况

        private mutating func summary() {
            let s = c.scheme
            let posts = c.dataset.posts.count
            let a = c.assessment
            sectionHeading(0)
            html.raw("<div class=\"cards\">\n")
            for (k, level) in s.levels.enumerated() {
                html.raw("<div class=\"card lvt")
                html.int(k)
                html.raw("\"><div class=\"card-label\">")
                html.text(level.name)
                html.raw("风险岗位</div><div class=\"card-value\">")
                html.int(levelCounts[k])
                html.raw("</div><div class=\"card-note\">")
                percent(levelCounts[k], of: posts)
                html.raw(" · 风险分 ≥ ")
                html.text(level.minScore.shortestDecimal)
                html.raw("</div></div>\n")
            }
            html.raw("<div class=\"card\"><div class=\"card-label\">岗位预警</div><div class=\"card-value\">")
            html.int(c.flags.flagCount)
            html.raw("</div><div class=\"card-note\">涉及岗位 ")
            html.int(c.flags.flaggedPostCount)
            html.raw(" 个</div></div>\n<div class=\"card\"><div class=\"card-label\">风险点</div><div class=\"card-value\">")
            html.int(c.dataset.riskPoints.count)
            html.raw("</div><div class=\"card-note\">带预警 ")
            html.int(c.riskPoints.mask.reduce(0) { $0 + ($1 == 0 ? 0 : 1) })
            html.raw(" 个</div></div>\n<div class=\"card\"><div class=\"card-label\">考核对象</div><div class=\"card-value\">")
            html.int(a.count)
            html.raw("</div><div class=\"card-note\">单位 ")
            html.int(a.bandCounts(of: .unit).reduce(0, +))
            html.raw(" · 岗位 ")
            html.int(a.bandCounts(of: .post).reduce(0, +))
            html.raw("</div></div>\n</div>\n<div class=\"cols\">\n")
            levelSummaryTable()
            bandSummaryTable()
            html.raw("</div>\n")
            flagSummaryTable()
            endSection()
        }

        private mutating func levelSummaryTable() {
            let posts = c.dataset.posts.count
            html.raw("<table class=\"summary\">\n<thead><tr><th>风险等级</th><th class=\"num\">岗位数</th><th class=\"num\">占比</th><th class=\"num\">其中规则上调</th></tr></thead>\n<tbody>\n")
            for (k, level) in c.scheme.levels.enumerated() {
                html.raw("<tr><td>")
                levelChip(k, name: level.name)
                html.raw("</td><td class=\"num\">")
                html.int(levelCounts[k])
                html.raw("</td><td class=\"num\">")
                percent(levelCounts[k], of: posts)
                html.raw("</td><td class=\"num\">")
                html.int(raisedCounts[k])
                html.raw("</td></tr>\n")
            }
            html.raw("</tbody>\n<tfoot><tr><th>合计</th><td class=\"num\">")
            html.int(posts)
            html.raw("</td><td class=\"num\">")
            percent(posts, of: posts)
            html.raw("</td><td class=\"num\">")
            html.int(raisedCounts.reduce(0, +))
            html.raw("</td></tr></tfoot>\n</table>\n")
        }

        private mutating func bandSummaryTable() {
            let a = c.assessment
            let unitCounts = a.bandCounts(of: .unit)
            let postCounts = a.bandCounts(of: .post)
            html.raw("<table class=\"summary\">\n<thead><tr><th>考核档次</th><th class=\"num\">单位</th><th class=\"num\">岗位</th><th class=\"num\">合计</th></tr></thead>\n<tbody>\n")
            for b in c.scheme.assessment.bands.indices {
                html.raw("<tr><td>")
                bandChip(b)
                html.raw("</td><td class=\"num\">")
                html.int(unitCounts[b])
                html.raw("</td><td class=\"num\">")
                html.int(postCounts[b])
                html.raw("</td><td class=\"num\">")
                html.int(unitCounts[b] + postCounts[b])
                html.raw("</td></tr>\n")
            }
            html.raw("</tbody>\n<tfoot><tr><th>合计</th><td class=\"num\">")
            html.int(unitCounts.reduce(0, +))
            html.raw("</td><td class=\"num\">")
            html.int(postCounts.reduce(0, +))
            html.raw("</td><td class=\"num\">")
            html.int(a.count)
            html.raw("</td></tr></tfoot>\n</table>\n")
        }

        private mutating func flagSummaryTable() {
            html.raw("<table class=\"summary\">\n<thead><tr><th>预警代码</th><th>预警事项</th><th>对象</th><th class=\"num\">条数</th></tr></thead>\n<tbody>\n")
            for code in PostFlagCode.allCases {
                html.raw("<tr><td><span class=\"code\">")
                html.text(code.code)
                html.raw("</span></td><td>")
                html.text(code.explanation)
                html.raw("</td><td>岗位</td><td class=\"num\">")
                html.int(c.flags.counts[Int(code.rawValue)])
                html.raw("</td></tr>\n")
            }
            for code in RiskPointFlagCode.allCases {
                html.raw("<tr><td><span class=\"code\">")
                html.text(code.code)
                html.raw("</span></td><td>")
                html.text(code.explanation)
                html.raw("</td><td>风险点</td><td class=\"num\">")
                html.int(c.riskPoints.counts[Int(code.rawValue)])
                html.raw("</td></tr>\n")
            }
            html.raw("</tbody>\n</table>\n")
        }

        // MARK: Footer

        private mutating func footer() {
            html.raw("<footer>\n<p>本报告由 lianzheng ")
            html.text(run.programVersion)
            html.raw(" 依据运行 <span class=\"mono\">")
            html.text(run.runID)
            html.raw("</span> 生成。— 报告完 —</p>\n</footer>\n")
        }

        // MARK: Shared pieces

        /// A coloured level name.
        mutating func levelChip(_ k: Int, name: String) {
            html.raw("<span class=\"chip lv")
            html.int(k)
            html.raw("\">")
            html.text(name)
            html.raw("</span>")
        }

        /// A coloured band name.
        mutating func bandChip(_ b: Int) {
            html.raw("<span class=\"chip bd")
            html.int(b)
            html.raw("\">")
            html.text(c.scheme.assessment.bands[b].name)
            html.raw("</span>")
        }

        /// `part / whole` as a percentage with one decimal, rounded half-up
        /// in integers: 1 of 3 → "33.3%"; "—" when `whole` is 0.
        mutating func percent(_ part: Int, of whole: Int) {
            guard whole > 0 else {
                html.raw("—")
                return
            }
            let tenths = dividedRoundingHalfUp(Int64(part) * 1000, by: Int64(whole))
            html.tenths(Int(tenths))
            if tenths % 10 == 0 { html.raw(".0") }
            html.raw("%")
        }

        /// A note under a capped list: "其余 N 条见 FILE。".
        mutating func remainder(_ count: Int, unit: StaticString, file: StaticString) {
            guard count > 0 else { return }
            html.raw("<p class=\"more\">其余 ")
            html.int(count)
            html.raw(" ")
            html.raw(unit)
            html.raw("见 ")
            html.raw(file)
            html.raw("。</p>\n")
        }
    }
}

/// Points as the scheme writes them: hundredths without trailing zeros,
/// 9000 → "90", 8550 → "85.5".
func trimmedHundredths(_ v: Int64) -> String {
    var text = formatHundredths(v)
    while text.hasSuffix("0") { text.removeLast() }
    if text.hasSuffix(".") { text.removeLast() }
    return text
}
