import LianzhengKit

/// `lianzheng import`: store a dataset folder as a snapshot.
enum ImportCommand: Command {
    static let name = "import"
    static let summary = "导入数据文件夹为快照 (import a dataset folder as a snapshot)"
    static let help = """
        用法: lianzheng import --data DIR [--db FILE] [--scheme FILE] [--encoding auto|utf8|gb18030] [--tables]

        读取 DIR 中的 units.csv、posts.csv、powers.csv、incidents.csv（必需）以及
        assessments.csv、adjustments.csv、risk_points.csv（可选），按评分方案校验职权类别、
        问题类别和考核指标，在一个事务中存为不可修改的快照。数据指纹相同则沿用已有快照。
        有任何错误时逐条报告 文件:行:列，不写入任何内容，退出码 65；缺少必需文件退出码 66。

        选项:
          --data DIR        数据文件夹（必需）
          --db FILE         数据库文件（默认 lianzheng.sqlite，新建时权限 0600）
          --scheme FILE     评分方案 JSON（默认：内置默认方案）
          --encoding E      文件编码 auto|utf8|gb18030（默认 auto：合法 UTF-8 即 UTF-8，否则 GB18030）
          --tables          另将快照逐行写入可用 SQL 查询的明细表（unit、post、power 等；
                            百万岗位约需数秒）。快照本身以列存储保存，不加此项也完整可用。
        """
    static let valued: Set<String> = ["data", "db", "scheme", "encoding"]
    static let switches: Set<String> = ["tables"]

    static func run(_ a: Arguments) throws(LianzhengError) -> Int32 {
        let options = try CommonOptions(a)
        let dir = try a.require("data")
        let (scheme, schemeWarnings) = try Workspace.loadScheme(options.schemePath)
        printWarnings(schemeWarnings)
        let result = try Workspace.importDataset(
            directory: dir, encoding: options.encoding, scheme: scheme, dbPath: options.dbPath, tables: a.has("tables"))
        printWarnings(result.warnings)
        let d = result.dataset
        print(result.reused ? "数据未变化，沿用快照 \(result.snapshot)。" : "已导入快照 \(result.snapshot)。")
        print("数据指纹 \(d.fingerprint)")
        print("单位 \(d.units.count)，岗位 \(d.posts.count)，职权 \(d.powers.count)，问题线索 \(d.incidents.count)，考核得分 \(d.assessments.count)，加减分 \(d.adjustments.count)，风险点 \(d.riskPoints.count)")
        return 0
    }
}
