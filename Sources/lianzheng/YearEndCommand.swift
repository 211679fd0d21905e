import LianzhengKit

/// `lianzheng yearend`: the main job (SPEC §7).
enum YearEndCommand: Command {
    static let name = "yearend"
    static let summary = "年终全流程：导入、计分、考核、预警、记录运行并写出报告 (the year-end run)"
    static let help = """
        用法: lianzheng yearend --data DIR --year Y [--scheme FILE] [--out DIR] [--db FILE]
                                [--threads N] [--lang zh] [--encoding auto|utf8|gb18030] [--quiet]

        导入（或沿用指纹相同的）数据快照，按评分方案计算 Y 年全部岗位的风险分与等级、预警清单、
        单位和岗位考核结果，把本次运行（快照、方案及其指纹、程序版本、年度）记入数据库，并写出：
        posts.csv、risk_points.csv、assessments.csv、flags.csv、units.csv、scorecards.json、
        report.html 和 MANIFEST（各文件的 SHA-256）。同一快照、方案和年度，无论线程数，
        输出逐字节相同；运行编号由这些内容得出。

        选项:
          --data DIR        数据文件夹（也可用 --snapshot ID 指定已导入的快照；都不给时用最新快照）
          --year Y          年度（必需）
          --scheme FILE     评分方案 JSON（默认：内置默认方案）
          --out DIR         输出文件夹（默认 out/Y）
          --db FILE         数据库文件（默认 lianzheng.sqlite，新建时权限 0600）
          --threads N       线程数（默认：全部核心）
          --lang zh         CSV 使用中文表头（默认英文表头）
          --encoding E      输入文件编码 auto|utf8|gb18030（默认 auto）
          --quiet           不显示进度（进度只在标准错误是终端时显示）
        """
    static let valued = CommonOptions.valued
    static let switches = CommonOptions.switches

    static func run(_ a: Arguments) throws(LianzhengError) -> Int32 {
        let options = try CommonOptions(a)
        let year = try a.requireInt("year")
        let summary = try YearEnd.run(options: options, year: year, progress: .terminal(quiet: options.quiet))
        printWarnings(summary.warnings)
        let c = summary.computation
        var levelCounts = [Int](repeating: 0, count: c.scheme.levels.count)
        for l in c.risk.level { levelCounts[Int(l)] += 1 }
        print("\(year) 年度年终运行完成，运行编号 \(summary.runID)")
        print("快照 \(summary.snapshotID)\(summary.snapshotReused ? "（沿用）" : "（新导入）")，数据指纹 \(c.dataset.fingerprint)")
        print("评分方案 \(c.scheme.name) \(c.scheme.version)，指纹 \(c.scheme.fingerprint)")
        print("岗位 \(c.dataset.posts.count)：" + zip(c.scheme.levels, levelCounts).map { "\($0.name) \($1)" }.joined(separator: "，"))
        print("预警 \(c.flags.flagCount) 条（涉及岗位 \(c.flags.flaggedPostCount) 个）；考核对象 \(c.assessment.count) 个")
        print("报告: \(summary.outDirectory)/report.html")
        return 0
    }
}
