import Foundation
import Testing
@testable import LianzhengKit

/// report.html (SPEC §7): structure, escaping of every text from the data
/// and the scheme, byte-for-byte determinism, and the caps on long lists.
@Suite struct ReportHTMLTests {
    static let script = "<script>alert(1)</script>"
    static let scriptEscaped = "&lt;script&gt;alert(1)&lt;/script&gt;"
    static let quotes = #""&'"#
    static let quotesEscaped = "&quot;&amp;&#39;"

    /// A tiny dataset whose names, categories, risk points and scheme texts
    /// are hostile: units U1 `<script>…` and U2 `"&'` (child of U1); six
    /// posts in category `<script>…` (P1 named `<script>…` with a 行政许可
    /// power, self level 三级 and two 诫勉谈话 in Dec 2025, so it is a peer
    /// outlier whose reason names the category) and P7 named `"&'` in U2;
    /// risk points with hostile descriptions and measures; unit scores.
    static func hostile() throws -> YearComputation {
        var b = DatasetBuilder(units: [])
        for (id, name, parent) in [("U1", script, Int32(-1)), ("U2", quotes, Int32(0))] {
            b.data.units.id.append(id)
            b.data.units.name.append(name)
            b.data.units.parent.append(parent)
            b.data.units.kind.append(quotes)
        }
        let p1 = b.post("P1", unit: 0, category: script, tenure: 9, selfLevel: "三级", controls: 0, keyDecisions: true)
        b.power(p1, kind: "行政许可", count: 800, amount: 5000, discretion: 4)
        b.incident("X1", p1, date: "2025-12-01", kind: "诫勉谈话")
        b.incident("X2", p1, date: "2025-12-02", kind: "诫勉谈话")
        for n in 2...6 {
            let p = b.post("P\(n)", unit: 0, category: script)
            b.power(p, kind: "内部事务", count: 10)
        }
        let p7 = b.post("P7", unit: 1, category: quotes, controls: 0)
        b.power(p7, kind: "资金管理", count: 200, amount: 800, discretion: 3)
        // Post names: the builder writes "岗位" + id; make two of them hostile.
        var names = TextColumn()
        for i in 0..<b.data.posts.count {
            names.append(i == Int(p1) ? script : i == Int(p7) ? quotes : b.data.posts.name[i])
        }
        b.data.posts.name = names
        for (id, post, description, measures) in [
            ("R1", p1, script, script), ("R2", p1, quotes, ""), ("R3", p7, script, quotes),
        ] {
            b.data.riskPoints.id.append(id)
            b.data.riskPoints.post.append(post)
            b.data.riskPoints.type.append(RiskPointType.process.rawValue)
            b.data.riskPoints.description.append(description)
            b.data.riskPoints.measures.append(measures)
        }
        for (unit, points) in [(Int32(0), Int64(2500)), (1, 2000)] {
            for indicator in ["领导重视", "目标具体", "注重成效", "材料详实"] {
                b.data.assessments.year.append(2025)
                b.data.assessments.subjectType.append(SubjectType.unit.rawValue)
                b.data.assessments.subject.append(unit)
                b.data.assessments.indicator.append(indicator)
                b.data.assessments.score.append(points - (indicator == "注重成效" ? 0 : 100))
            }
        }
        let s = try scheme {
            $0.replacingOccurrences(of: "默认评分方案", with: script)
                .replacingOccurrences(of: "\"科室负责人\"", with: #""\"&'""#)
                .replacingOccurrences(of: "\"分管领导\"", with: "\"\(script)\"")
        }
        return try YearComputation(dataset: b.build(), scheme: s, year: 2025)
    }

    static func render(_ c: YearComputation, limits: ReportHTML.Limits = .standard) -> String {
        let run = RunIdentity(datasetFingerprint: c.dataset.fingerprint, schemeFingerprint: c.scheme.fingerprint, year: c.year)
        let bytes = ReportHTML.render(c, run: run, units: UnitsCSV.rows(c), limits: limits)
        return String(decoding: bytes, as: UTF8.self)
    }

    static func occurrences(of needle: String, in text: String) -> Int {
        text.components(separatedBy: needle).count - 1
    }

    @Test func hostileDatasetIsWhatTheEscapingTestsNeed() throws {
        let c = try Self.hostile()
        // P1: 行政许可 power → 一级 or 二级, self level 三级 → UNDER_SELF_ASSESSED;
        // Hraw ≈ 5.8 among five zeros → PEER_OUTLIER (z = 6/1.253314 ≈ 4.79).
        let p1 = 0
        #expect(c.flags.has(.underSelfAssessed, post: p1))
        #expect(c.flags.has(.peerOutlier, post: p1))
        #expect(c.assessment.count == 2)
        #expect(c.dataset.riskPoints.count == 3)
    }

    @Test func structure() throws {
        let html = Self.render(try Self.hostile())
        #expect(html.hasPrefix("<!DOCTYPE html>\n<html lang=\"zh-CN\">"))
        #expect(html.hasSuffix("</html>\n"))
        #expect(html.contains("<meta charset=\"utf-8\">"))
        #expect(html.contains("<title>2025 年度廉政风险防控报告</title>"))
        for title in ReportHTML.sectionTitles {
            #expect(html.contains("<h2>\(title)</h2>"), "missing section \(title)")
        }
        #expect(ReportHTML.sectionTitles.count == 9)
        // Charts: level distribution per unit, histogram, bands.
        #expect(Self.occurrences(of: "<svg ", in: html) == 3)
        #expect(!html.lowercased().contains("<script"))
        #expect(!html.contains("http://") && !html.contains("https://"))
        #expect(html.contains("@page { size: A4; margin: 15mm; }"))
        #expect(html.contains("\"Noto Sans CJK SC\", \"Source Han Sans SC\", \"Microsoft YaHei\", \"SimSun\", sans-serif"))
        // Balanced containers.
        for (open, close) in [
            ("<table", "</table>"), ("<tbody", "</tbody>"), ("<tr", "</tr>"), ("<svg", "</svg>"),
            ("<section", "</section>"), ("<figure", "</figure>"), ("<g>", "</g>"), ("<ol", "</ol>"),
        ] {
            #expect(Self.occurrences(of: open, in: html) == Self.occurrences(of: close, in: html), "\(open)")
        }
    }

    @Test func headerCarriesTheRunIdentity() throws {
        let c = try Self.hostile()
        let html = Self.render(c)
        let run = RunIdentity(datasetFingerprint: c.dataset.fingerprint, schemeFingerprint: c.scheme.fingerprint, year: 2025)
        #expect(html.contains(run.runID))
        #expect(html.contains(c.dataset.fingerprint))
        #expect(html.contains(c.scheme.fingerprint))
        #expect(html.contains("lianzheng \(Version.program)"))
        #expect(html.contains("（版本 1.0）"))
    }

    @Test func everyTextIsEscaped() throws {
        let html = Self.render(try Self.hostile())
        #expect(!html.contains(Self.script))
        #expect(!html.contains(Self.quotes))
        // Unit, post, category (in the PEER_OUTLIER reason), risk point
        // description and measures, scheme name and supervisor.
        #expect(Self.occurrences(of: Self.scriptEscaped, in: html) >= 8)
        #expect(html.contains("<title>" + Self.scriptEscaped))  // the per-unit bar's tooltip
        #expect(html.contains("同类岗位（" + Self.scriptEscaped + "）"))
        #expect(html.contains(Self.quotesEscaped))
        #expect(html.contains("<td>" + Self.quotesEscaped + "</td>"))  // a supervisor
    }

    @Test func sameInputsGiveTheSameBytes() throws {
        let c = try Self.hostile()
        let again = try Self.hostile()
        #expect(Self.render(c) == Self.render(c))
        #expect(Self.render(c) == Self.render(again))
    }

    @Test func bytesDoNotDependOnThreads() throws {
        let dataset = try DatasetReader(directory: datasetsPath("sample"), scheme: .default).read()
        let one = try YearComputation(dataset: dataset, scheme: .default, year: 2025, threads: 1)
        let four = try YearComputation(dataset: dataset, scheme: .default, year: 2025, threads: 4)
        #expect(Self.render(one) == Self.render(four))
    }

    @Test func sampleFitsWithoutCaps() throws {
        let dataset = try DatasetReader(directory: datasetsPath("sample"), scheme: .default).read()
        let c = try YearComputation(dataset: dataset, scheme: .default, year: 2025)
        let html = Self.render(c)
        #expect(!html.contains("其余 "))
        // Every flag is listed: one code cell per flag, plus the summary table's rows.
        for code in PostFlagCode.allCases {
            let rows = Self.occurrences(of: "<td><span class=\"code\">\(code.code)</span><br>", in: html)
            #expect(rows == c.flags.counts[Int(code.rawValue)], "\(code.code)")
        }
        // Every risk point is in the catalogue, and every post.
        for i in 0..<dataset.riskPoints.count {
            #expect(html.contains("<span class=\"id\">\(dataset.riskPoints.id[i])</span>"))
        }
        #expect(Self.occurrences(of: "<tbody class=\"grp\">", in: html) == c.flags.flaggedPostCount + dataset.posts.count)
        for title in ReportHTML.sectionTitles { #expect(html.contains("<h2>\(title)</h2>")) }
    }

    @Test func longListsStopWithANote() throws {
        let c = try Self.hostile()
        let limits = ReportHTML.Limits(flags: 1, catalogueRows: 1, units: 1, chartUnits: 1, nearLine: 0)
        let html = Self.render(c, limits: limits)
        let flags = c.flags.flagCount
        #expect(flags > 1)
        #expect(html.contains("其余 \(flags - 1) 条见 flags.csv。"))
        // Catalogue: P1 (2 points) fills the single row; P2…P7 are left out,
        // with R3 of P7.
        #expect(html.contains("其余 6 个岗位（1 个风险点）见 posts.csv / risk_points.csv。"))
        #expect(html.contains("其余 1 个单位见 units.csv。"))
        #expect(html.contains("设有岗位的单位共 2 个，图中列出前 1 个"))
        #expect(!html.contains("<span class=\"id\">R3</span>"))
        #expect(Self.occurrences(of: "<svg ", in: html) == 3)
    }

    @Test(arguments: [1, 2, 3, 4, 7])
    func paletteRunsFromRedToGreen(levels n: Int) {
        let palette = Swatch.palette(n)
        #expect(palette.count == n)
        // HSL → RGB with s = 0.72, l = 0.46: chroma C = (1 − |2l − 1|)·s = 0.6624,
        // m = l − C/2 = 0.1288.
        // Hue 4°: X = C·(4/60) = 0.04416; RGB = (C+m, X+m, m)·255
        //   = (201.8, 44.1, 32.8) → #ca2c21.
        #expect(palette.first?.fill == "#ca2c21")
        // Hue 140°: X = C·(1 − |140/60 mod 2 − 1|) = C/3 = 0.2208; RGB = (m, C+m, X+m)·255
        //   = (32.8, 201.8, 89.2) → #21ca59.
        if n > 1 { #expect(palette.last?.fill == "#21ca59") }
        #expect(Set(palette.map(\.fill)).count == n)
        for s in palette { #expect(s.fill.count == 7 && s.fill.hasPrefix("#")) }
    }

    @Test func trimmedPoints() {
        #expect(trimmedHundredths(9000) == "90")
        #expect(trimmedHundredths(8550) == "85.5")
        #expect(trimmedHundredths(8555) == "85.55")
        #expect(trimmedHundredths(0) == "0")
    }

    @Test func writerTenths() {
        var w = HTMLWriter()
        for v in [0, 5, 10, 1234, -5, -15] {
            w.tenths(v)
            w.raw(" ")
        }
        #expect(String(decoding: w.bytes, as: UTF8.self) == "0 0.5 1 123.4 -0.5 -1.5 ")
    }
}
