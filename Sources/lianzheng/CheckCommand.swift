import Foundation
import LianzhengKit

/// `lianzheng check`: the data-quality report before a run (SPEC §8).
enum CheckCommand: Command {
    static let name = "check"
    static let summary = "数据质量检查，只警告不报错，不写数据库 (data-quality warnings before a run)"
    static let help = """
        用法: lianzheng check --data DIR [--year Y] [--scheme FILE] [--encoding auto|utf8|gb18030]
                              [--format text|csv] [--out FILE]

        读取并校验 DIR 中的数据（规则同 import），然后列出以下警告（不是错误）：
          NO_POWERS           没有职权记录的岗位（职权分 P 按 0 计，或只取三重一大下限）
          NO_POSTS            没有直属岗位的单位
          STALE_PENDING       待核实超过一年（早于基准日 365 天以上）的问题线索
          MISSING_INDICATORS  考核对象（该年度有考核得分或加减分记录的单位、岗位）缺少的方案指标
          NO_CATEGORY         未填写岗位类别的岗位（按“未分类”参与同类比较）
          NO_RISK_POINTS      风险等级为最高两级、但风险点台账中没有风险点的岗位
        警告按类别、再按编号（UTF-8 字节序）排列。

        不写数据库，也不导入快照。有警告时退出码仍为 0；数据本身有错误时逐条报告
        文件:行:列 并退出 65；缺少必需文件退出 66。

        选项:
          --data DIR        数据文件夹（必需）
          --year Y          检查年度（默认：不限年度）。给出时：基准日为 Y 年 12 月 31 日，
                            只检查 Y 年的考核指标，风险等级按 Y 年计算。
                            不给时：基准日为今天（本地日期），检查每个有考核或加减分记录的年度，
                            风险等级按数据中出现的最近年度（考核、加减分、问题线索日期）计算。
          --scheme FILE     评分方案 JSON（默认：内置默认方案）
          --encoding E      文件编码 auto|utf8|gb18030（默认 auto：合法 UTF-8 即 UTF-8，否则 GB18030）
          --format F        输出格式 text|csv（默认 text：中文，按类别分组并计数）。
                            csv 列为 code,subject_type,subject_id,message（UTF-8 带 BOM，CRLF）
          --out FILE        写入 FILE（默认：输出到标准输出）
        """
    static let valued: Set<String> = ["data", "year", "scheme", "encoding", "format", "out"]
    static let switches: Set<String> = []

    static func run(_ a: Arguments) throws(LianzhengError) -> Int32 {
        let directory = try a.require("data")
        let year = try a.int("year")
        if let year, !(1...9999).contains(year) { throw .usage("--year 须为 1 至 9999 的年份: \(year)") }
        let encoding = InputEncoding(rawValue: try a.choice("encoding", ["auto", "utf8", "gb18030"], default: "auto"))!
        let format = try a.choice("format", ["text", "csv"], default: "text")
        let (scheme, schemeWarnings) = try Workspace.loadScheme(a.value("scheme"))
        printWarnings(schemeWarnings)

        let reader = DatasetReader(directory: directory, scheme: scheme, encoding: encoding)
        let dataset = try reader.read()
        printWarnings(reader.warnings)

        let asOf = DataQuality.referenceDay(year: year, today: today())
        let warnings = DataQuality.check(dataset: dataset, scheme: scheme, year: year, asOf: asOf)
        let report = format == "csv"
            ? DataQuality.renderCSV(warnings)
            : Array(DataQuality.renderText(warnings, asOf: asOf, riskYear: DataQuality.riskYear(dataset: dataset, year: year, asOf: asOf)).utf8)
        if let path = a.value("out") {
            try writeAtomically(report, to: path)
            print("数据质量检查：共 \(warnings.count) 条警告，已写出 \(path)")
        } else {
            if format == "csv" { FileHandle.standardOutput.write(Data(report)) } else { writeTextReport(report) }
        }
        return 0
    }

    /// Today in the local time zone, as a day number.
    private static func today() -> Int32 {
        let parts = Calendar.current.dateComponents([.year, .month, .day], from: Date())
        return Int32(CivilDate.daysFromCivil(year: parts.year!, month: parts.month!, day: parts.day!))
    }
}
