import LianzhengKit

/// `lianzheng flags`: the 预警清单 of SPEC §6 (flags.csv and risk_points.csv).
enum FlagsCommand: Command {
    static let name = "flags"
    static let summary = "生成预警清单，写出 flags.csv 和 risk_points.csv (flag anomalous posts)"
    static let help = """
        用法: lianzheng flags --year Y [--data DIR | --snapshot ID] [--scheme FILE] [--out DIR]
                              [--db FILE] [--threads N] [--lang zh] [--encoding auto|utf8|gb18030]

        按评分方案计算 Y 年及 Y−1 年的风险分（SPEC §4），再逐岗位判断五类预警（SPEC §6）:
          UNDER_SELF_ASSESSED  自评等级低于测算等级
          PEER_OUTLIER         信访及问责记录显著高于同类岗位（同一岗位类别内历史原始分的修正 z 值
                               ≥ peer_z，类别岗位数 ≥ peer_min_group，且历史原始分 ≥ peer_min_hraw；
                               类别为空的岗位归入“未分类”）
          SCORE_JUMP           较上年风险分变化超过阈值（|Y 年 − Y−1 年| ≥ score_jump）
          ROTATION_OVERDUE     高风险岗位任职超过轮岗年限（最高等级且任职年限 ≥ rotation_years）
          NO_CONTROLS          高中风险岗位未制定防控措施（前两个等级且防控措施数为 0；空白不算）
        风险点台账另有两类预警，写在 risk_points.csv:
          NO_MEASURES          前两个等级岗位的风险点未填写防控措施
          BOILERPLATE          规范化后的风险表现被至少 boilerplate_min_posts 个岗位的风险点共用
        阈值取自评分方案的 flags 部分（默认 peer_z 3.5，peer_min_group 5，peer_min_hraw 3，
        score_jump 20，rotation_years 5，boilerplate_min_posts 3）。

        输出（UTF-8 带 BOM，CRLF；先写临时文件再改名）:
          flags.csv        每条预警一行，按 (岗位编号, 预警代码表中顺序) 排序:
                           year, post_id, code, value, threshold
          risk_points.csv  每个风险点一行，按风险点编号排序（无风险点时只有表头）:
                           year, point_id, post_id, unit_id, type, level, supervisor, measures, flags

        选项:
          --year Y          年度（必需）
          --data DIR        先导入（或沿用）该数据文件夹的快照
          --snapshot ID     使用已有快照（默认：最新快照）
          --scheme FILE     评分方案 JSON（默认：内置默认方案）
          --out DIR         输出文件夹（默认 out/Y）
          --db FILE         数据库文件（默认 lianzheng.sqlite）
          --threads N       线程数（默认：全部核心；结果与线程数无关）
          --lang zh         中文表头（默认英文表头）
          --encoding E      输入文件编码 auto|utf8|gb18030（默认 auto）
        """
    static let valued = CommonOptions.valued
    static let switches = CommonOptions.switches

    static func run(_ a: Arguments) throws(LianzhengError) -> Int32 {
        let options = try CommonOptions(a)
        let year = try a.requireInt("year")
        let input = try CommandInput(options)
        let (scheme, d) = (input.scheme, input.dataset)
        let (risk, flags) = try input.riskAndFlags(year: year, threads: options.threads)
        let points = RiskPointReport(dataset: d, level: risk.level, scheme: scheme, year: year)
        if flags.unresolvedSelfLevels > 0 {
            printError("警告: \(flags.unresolvedSelfLevels) 个岗位的自评等级不是本评分方案的等级，未判断 UNDER_SELF_ASSESSED")
        }
        let flagsCSV = FlagsCSV.render(flags, chineseHeaders: options.chineseHeaders)
        let pointsCSV = RiskPointsCSV.render(points, chineseHeaders: options.chineseHeaders)
        let snapshot = try input.stored()
        let out = options.outDirectory ?? "out/\(year)"
        try makeDirectory(out)
        let flagsPath = out + "/flags.csv"
        let pointsPath = out + "/risk_points.csv"
        try writeAtomically(flagsCSV, to: flagsPath)
        try writeAtomically(pointsCSV, to: pointsPath)
        print("快照 \(snapshot)，" + flags.summaryLines().joined(separator: "\n"))
        print(points.summaryLines().joined(separator: "\n"))
        print("已写出 \(flagsPath)、\(pointsPath)")
        return 0
    }
}
