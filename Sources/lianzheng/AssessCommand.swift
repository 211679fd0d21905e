import LianzhengKit

/// `lianzheng assess`: the year's assessment results (SPEC §5) as assessments.csv.
enum AssessCommand: Command {
    static let name = "assess"
    static let summary = "年度考核结果：加扣分、一票否决、档次、优秀名额与排名 (assessment results)"
    static let help = """
        用法: lianzheng assess --year Y [--data DIR | --snapshot ID] [--db FILE] [--scheme FILE]
                               [--out DIR] [--lang en|zh] [--encoding auto|utf8|gb18030] [--threads N]

        计算 Y 年度每个考核对象（在 assessments.csv 或 adjustments.csv 中有 Y 年度记录的单位和岗位）
        的基础分、加分（不超过 bonus_cap）、扣分（手工扣分加上 Y 年度属实问题线索的自动扣分；
        单位含本单位及全部下级单位岗位的问题线索；有 deduction_cap 时不超过该上限）、
        总分（不低于 0）、一票否决、档次、优秀名额状态（kept/demoted/tie）和组内排名，
        全部按两位小数精确计算。岗位按所在单位分组，单位按上级单位分组（无上级的单位为一组），
        每组优秀名额为 floor(比例 × 组内人数 + 0.5)（一票否决的对象也计入人数）。
        结果写入 OUT/assessments.csv（UTF-8 带 BOM，CRLF；先写临时文件再改名），
        并在标准输出打印各档次人数。

        选项:
          --year Y          考核年度（必需）
          --data DIR        先导入（或沿用指纹相同的）该数据文件夹的快照
          --snapshot ID     使用该快照（默认：数据库中最新的快照）
          --db FILE         数据库文件（默认 lianzheng.sqlite）
          --scheme FILE     评分方案 JSON（默认：内置默认方案）
          --out DIR         输出文件夹（默认 out/Y），不存在时创建
          --lang L          表头语言 en|zh（默认 en：英文列名；zh：中文列名）
          --encoding E      --data 文件编码 auto|utf8|gb18030（默认 auto）
          --threads N       工作线程数（默认：全部核心；考核计算为单线程，结果与线程数无关）
        """
    static let valued: Set<String> = ["year", "data", "snapshot", "db", "scheme", "out", "lang", "encoding", "threads"]
    static let switches: Set<String> = []

    static func run(_ a: Arguments) throws(LianzhengError) -> Int32 {
        let options = try CommonOptions(a)
        let year = try a.requireInt("year")
        guard (1...9999).contains(year) else { throw .usage("--year 须为 1 至 9999 的年份: \(year)") }
        let input = try CommandInput(options)
        let outcome = AssessmentEngine.compute(dataset: input.dataset, scheme: input.scheme, year: year)
        let csv = outcome.assessmentsCSV(chineseHeaders: options.chineseHeaders)
        _ = try input.stored()
        let directory = options.outDirectory ?? "out/\(year)"
        try makeDirectory(directory)
        let path = directory + "/assessments.csv"
        try writeAtomically(csv, to: path)
        print(summaryText(outcome, path: path))
        return 0
    }

    /// A few lines for the terminal: subjects by type, then each band with
    /// its unit and post counts, vetoes and quota outcomes.
    static func summaryText(_ outcome: AssessmentOutcome, path: String) -> String {
        let units = outcome.bandCounts(of: .unit)
        let posts = outcome.bandCounts(of: .post)
        var lines = ["\(outcome.year) 年度考核对象 \(outcome.count) 个（单位 \(units.reduce(0, +))，岗位 \(posts.reduce(0, +))）。"]
        if outcome.count == 0 {
            lines.append("该年度在 assessments.csv 和 adjustments.csv 中没有记录。")
        }
        for (b, band) in outcome.scheme.assessment.bands.enumerated() {
            lines.append("  \(band.name)  \(units[b] + posts[b])（单位 \(units[b])，岗位 \(posts[b])）")
        }
        let vetoed = (0..<outcome.count).filter { outcome.veto(at: $0) }.count
        var counts = "一票否决 \(vetoed)"
        if let quota = outcome.scheme.assessment.quota {
            let demoted = outcome.quotaStatus.filter { $0 == .demoted }.count
            let ties = outcome.quotaStatus.filter { $0 == .tie }.count
            let name = outcome.scheme.assessment.bands[quota.band].name
            counts += "；受\(name)名额所限顺延下一档 \(demoted)；名额边界并列待议 \(ties)"
        }
        lines.append(counts + "。")
        lines.append("已写入 \(path)")
        return lines.joined(separator: "\n")
    }
}
