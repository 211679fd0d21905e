import LianzhengKit

/// `lianzheng score`: the risk score and level of every post (SPEC §4).
enum ScoreCommand: Command {
    static let name = "score"
    static let summary = "计算岗位风险分与风险等级，写出 posts.csv (score every post)"
    static let help = """
        用法: lianzheng score --year Y [--data DIR | --snapshot ID] [--scheme FILE] [--out DIR]
                              [--db FILE] [--threads N] [--lang zh] [--encoding auto|utf8|gb18030]

        按评分方案（SPEC §4）计算每个岗位在 Y 年 12 月 31 日的职权分 P、裁量分 D、历史分 H、
        风险分和风险等级（含最低等级规则）及预警代码，写出 posts.csv（UTF-8 带 BOM，CRLF；
        与 yearend 写出的 posts.csv 逐字节相同）。

        选项:
          --year Y          年度（必需）
          --data DIR        先导入（或沿用）该数据文件夹的快照
          --snapshot ID     使用已有快照（默认：最新快照）
          --scheme FILE     评分方案 JSON（默认：内置默认方案）
          --out DIR         输出文件夹（默认 out/Y）
          --db FILE         数据库文件（默认 lianzheng.sqlite）
          --threads N       线程数（默认：全部核心；结果与线程数无关）
          --lang zh         中文表头（默认英文表头）
          --encoding E      输入文件编码（默认 auto）
        """
    static let valued = CommonOptions.valued
    static let switches = CommonOptions.switches

    static func run(_ a: Arguments) throws(LianzhengError) -> Int32 {
        let options = try CommonOptions(a)
        let year = try a.requireInt("year")
        let input = try CommandInput(options)
        let (scheme, dataset) = (input.scheme, input.dataset)
        // With the previous year and the flags, so that the flags column is
        // filled: the file is byte for byte the posts.csv of `yearend` (SPEC §7),
        // and writing it into a year-end folder leaves that folder's MANIFEST true.
        let (risk, flags) = try input.riskAndFlags(year: year, threads: options.threads)
        let posts = PostsCSV.render(
            year: year, dataset: dataset, scheme: scheme, risk: risk, chineseHeaders: options.chineseHeaders,
            flags: flags)
        let snapshot = try input.stored()
        let out = options.outDirectory ?? "out/\(year)"
        try makeDirectory(out)
        let path = out + "/posts.csv"
        try writeAtomically(posts, to: path)
        var counts = [Int](repeating: 0, count: scheme.levels.count)
        for l in risk.level { counts[Int(l)] += 1 }
        let summary = zip(scheme.levels, counts).map { "\($0.name) \($1)" }.joined(separator: "，")
        print("已计算 \(risk.count) 个岗位（快照 \(snapshot)，\(year) 年）：\(summary)")
        print("已写出 \(path)")
        return 0
    }
}
