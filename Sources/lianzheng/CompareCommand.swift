import Foundation
import LianzhengKit

/// `lianzheng compare`: the cross-department table (SPEC §8).
enum CompareCommand: Command {
    static let name = "compare"
    static let summary = "单位（或岗位类别）横向对比表，含下级单位汇总并排序 (cross-department comparison)"
    static let help = """
        用法: lianzheng compare --year Y [--by unit|category] [--format text|csv|html] [--out FILE]
                                [--data DIR | --snapshot ID] [--scheme FILE] [--db FILE] [--threads N]
                                [--lang zh] [--encoding auto|utf8|gb18030]

        计算 Y 年各单位的岗位数、各风险等级岗位数、最高风险等级岗位占比、平均与最高风险分、预警
        岗位数和考核档次（即 units.csv 的内容），并排序：平均风险分从高到低，其次最高风险等级
        岗位占比从高到低、预警岗位数从多到少、考核档次从优到差、单位编号；没有岗位的行列在最后。
        平均分和占比按表中显示的两位小数比较。

        有下级单位的单位列两行：「含下级单位」汇总本单位及全部下级单位的岗位（岗位数和各等级
        岗位数相加，平均分由合计分值重新精确计算，最高分取最大），「本级」只计直属岗位。
        --by category 改为按岗位类别汇总（类别为空计入「未分类」），不含考核档次。
        不记录运行，不写数据库（--data 时导入或沿用快照）。

        选项:
          --year Y          年度（必需）
          --by B            unit（默认）或 category
          --format F        text（默认，对齐的中文表格）、csv（UTF-8 BOM、CRLF）或 html（自包含页面）
          --out FILE        写入文件（默认：输出到标准输出）
          --data DIR        先导入（或沿用）该数据文件夹的快照
          --snapshot ID     使用已导入的快照（默认：最新快照）
          --scheme FILE     评分方案 JSON（默认：内置默认方案）
          --db FILE         数据库文件（默认 lianzheng.sqlite）
          --threads N       线程数（默认：全部核心；结果与线程数无关）
          --lang zh         CSV 使用中文表头（默认英文表头）
          --encoding E      输入文件编码 auto|utf8|gb18030（默认 auto）
        """
    static let valued = CommonOptions.valued.union(["by", "format"])
    static let switches: Set<String> = []

    static func run(_ a: Arguments) throws(LianzhengError) -> Int32 {
        let options = try CommonOptions(a)
        let year = try a.requireInt("year")
        let grouping = ComparisonTable.Grouping(rawValue: try a.choice("by", ["unit", "category"], default: "unit"))!
        let format = ComparisonTable.Format(rawValue: try a.choice("format", ["text", "csv", "html"], default: "text"))!
        let input = try CommandInput(options)
        let c = try input.computing { () throws(LianzhengError) in
            try YearComputation(dataset: input.dataset, scheme: input.scheme, year: year, threads: options.threads)
        }
        let bytes = ComparisonTable(c, by: grouping).render(format, chineseHeaders: options.chineseHeaders)
        _ = try input.stored()
        if let path = a.value("out") {
            try writeAtomically(bytes, to: path)
            printError("已写出 \(path)")
        } else {
            if format == .text { writeTextReport(bytes) } else { FileHandle.standardOutput.write(Data(bytes)) }
        }
        return 0
    }
}
