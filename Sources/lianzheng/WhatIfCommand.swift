import Foundation
import LianzhengKit

/// `lianzheng whatif`: re-grade a recorded run under another scheme (SPEC §8).
enum WhatIfCommand: Command {
    static let name = "whatif"
    static let summary = "测算：按调整后的评分方案重新评定并与基准运行对比 (what-if regrading)"
    static let help = """
        用法: lianzheng whatif --year Y (--scheme ALT.json | --set PATH=VALUE ...) [--baseline RUN]
                               [--out DIR] [--db FILE] [--threads N] [--lang zh] [--quiet]

        以一次已记录的运行为基准（默认：Y 年最近一次年终运行），用它的快照，按测算方案重新计算
        风险等级和考核结果，并与基准逐项对比：列出风险等级变化的每个岗位（原、新等级和风险分），
        档次、排名或名额状态变化的每个考核对象（原、新档次、总分、排名、名额状态），风险等级和
        考核档次的转移矩阵，各单位的变化数，以及两个方案下的边界附近名单（风险分距等级线 2 分
        以内的岗位、总分距档次线 1 分以内的考核对象）。等级和档次按名称对应。

        测算方案 = --scheme 文件（不给时为基准运行的评分方案），再依次应用每个 --set；改后的方案
        与任何评分方案一样校验，路径不存在或取值不合规则时报告该路径，退出码 65。

        基准运行的文件和数据库记录不做任何改动。测算作为一次新的运行记入数据库（记录基准运行
        编号、测算方案全文及其指纹，可用 lianzheng verify 复算），其文件清单（SHA-256）记在
        数据库中（lianzheng show RUN 可查看），不另写 MANIFEST 文件。

        对比结果以中文文本输出到标准输出，并在输出文件夹写出 whatif.csv（全部变化，每行一项）
        和 whatif.html（自包含页面）。

        选项:
          --year Y            年度（必需；给出 --baseline 时可省略，须与基准运行的年度一致）
          --scheme FILE       测算方案 JSON（默认：基准运行的评分方案）
          --set PATH=VALUE    修改方案中的一个值，可重复，按给出顺序应用；PATH 以点分隔，
                              数字表示数组下标，例如 assessment.bands.0.min=88、
                              risk.weights.history=0.35、assessment.quota.share=0.2；
                              VALUE 是合法 JSON 时按 JSON 读取（88、null、"文本"），否则作为字符串
          --baseline RUN      基准运行编号（可写前几位；默认：Y 年最近一次年终运行）
          --out DIR           输出文件夹（默认 out/Y/whatif-<测算方案指纹前 8 位>）
          --db FILE           数据库文件（默认 lianzheng.sqlite）
          --threads N         线程数（默认：全部核心；结果与线程数无关）
          --lang zh           whatif.csv 使用中文表头（默认英文表头）
          --quiet             不显示进度（进度只在标准错误是终端时显示）
        """
    static let valued: Set<String> = ["year", "scheme", "set", "baseline", "out", "db", "threads", "lang"]
    static let switches: Set<String> = ["quiet"]

    static func run(_ a: Arguments) throws(LianzhengError) -> Int32 {
        var request = WhatIf.Request()
        request.dbPath = a.value("db") ?? request.dbPath
        request.year = try a.int("year")
        request.baselineRunID = a.value("baseline")
        if request.year == nil && request.baselineRunID == nil { throw .usage("缺少必需选项 --year") }
        request.schemePath = a.value("scheme")
        for argument in a.all("set") { request.edits.append(try SchemeSetting(argument: argument)) }
        request.outDirectory = a.value("out")
        request.threads = try a.int("threads")
        if let t = request.threads, t < 1 { throw .usage("--threads 须为正整数") }
        request.chineseHeaders = try a.choice("lang", ["en", "zh"], default: "en") == "zh"
        let summary = try WhatIf.run(request, progress: .terminal(quiet: a.has("quiet")))
        printWarnings(summary.warnings)
        writeTextReport(summary.outputs.text)  // tens of MB on a large dataset: not copied
        print("")
        print("测算运行编号 \(summary.runID)（基准运行 \(summary.baseline.runID)）")
        print("已写出: \(summary.outDirectory)/whatif.csv, \(summary.outDirectory)/whatif.html")
        return 0
    }
}
