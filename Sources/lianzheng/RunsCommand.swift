import Foundation
import LianzhengKit

/// `lianzheng runs`: the recorded runs.
enum RunsCommand: Command {
    static let name = "runs"
    static let summary = "列出已记录的运行 (list recorded runs)"
    static let help = """
        用法: lianzheng runs [--db FILE]

        列出数据库中记录的全部运行：运行编号、年度、快照、评分方案、程序版本、执行次数。

        选项:
          --db FILE         数据库文件（默认 lianzheng.sqlite）
        """
    static let valued: Set<String> = ["db"]
    static let switches: Set<String> = []

    static func run(_ a: Arguments) throws(LianzhengError) -> Int32 {
        let dbPath = a.value("db") ?? "lianzheng.sqlite"
        guard FileManager.default.fileExists(atPath: dbPath) else { throw .missingInput("\(dbPath): 数据库不存在") }
        let runs = try RunStore(db: try Database(path: dbPath)).list()
        if runs.isEmpty {
            print("尚无运行记录。")
            return 0
        }
        print("运行编号          年度  快照  评分方案                  版本    执行次数  记录时间")
        for r in runs {
            let kind = r.baselineRunID.map { "（测算，基准 \($0)）" } ?? ""
            print("\(r.runID)  \(r.year)  \(r.snapshotID)  \(r.schemeName) \(String(r.schemeFingerprint.prefix(8)))  \(r.programVersion)  \(r.executions)  \(r.createdAt)\(kind)")
        }
        return 0
    }
}

/// `lianzheng show RUN`: one run in detail.
enum ShowCommand: Command {
    static let name = "show"
    static let summary = "显示一次运行的详情 (show one run)"
    static let help = """
        用法: lianzheng show RUN [--db FILE]

        显示运行 RUN（可写运行编号的前几位）的年度、快照及数据指纹、评分方案及其指纹、程序版本、
        最近一次执行写出的文件及其 SHA-256。

        选项:
          --db FILE         数据库文件（默认 lianzheng.sqlite）
        """
    static let valued: Set<String> = ["db"]
    static let switches: Set<String> = []

    static func run(_ a: Arguments) throws(LianzhengError) -> Int32 {
        guard let id = a.positionals.first else { throw .usage("缺少运行编号 RUN") }
        let dbPath = a.value("db") ?? "lianzheng.sqlite"
        guard FileManager.default.fileExists(atPath: dbPath) else { throw .missingInput("\(dbPath): 数据库不存在") }
        let r = try RunStore(db: try Database(path: dbPath)).find(id)
        print("运行编号: \(r.runID)")
        print("年度: \(r.year)")
        print("快照: \(r.snapshotID)，数据指纹 \(r.datasetFingerprint)")
        print("评分方案: \(r.schemeName)，指纹 \(r.schemeFingerprint)")
        print("程序版本: \(r.programVersion)")
        if let base = r.baselineRunID { print("基准运行: \(base)") }
        print("首次记录: \(r.createdAt)，执行 \(r.executions) 次，表头: \(r.chineseHeaders ? "中文" : "英文")")
        print("文件清单 (MANIFEST):")
        print(r.manifest, terminator: "")
        return 0
    }
}

/// `lianzheng verify RUN`: recompute and compare hashes.
enum VerifyCommand: Command {
    static let name = "verify"
    static let summary = "按快照重算一次运行并核对每个文件的哈希 (recompute and verify a run)"
    static let help = """
        用法: lianzheng verify RUN [--db FILE] [--threads N]

        从数据库中的快照和评分方案重新计算运行 RUN，逐个文件比较 SHA-256 与记录的 MANIFEST。
        全部一致退出码 0；有不一致的文件时列出文件名，退出码 1。

        选项:
          --db FILE         数据库文件（默认 lianzheng.sqlite）
          --threads N       线程数（默认：全部核心；结果与线程数无关）
        """
    static let valued: Set<String> = ["db", "threads"]
    static let switches: Set<String> = []

    static func run(_ a: Arguments) throws(LianzhengError) -> Int32 {
        guard let id = a.positionals.first else { throw .usage("缺少运行编号 RUN") }
        let (record, checks) = try YearEnd.verify(dbPath: a.value("db") ?? "lianzheng.sqlite", runID: id, threads: try a.int("threads"))
        print("核对运行 \(record.runID)（\(record.year) 年，快照 \(record.snapshotID)）:")
        for c in checks { print("  \(c.matches ? "一致  " : "不一致") \(c.name)") }
        let bad = checks.filter { !$0.matches }
        if bad.isEmpty {
            print("全部 \(checks.count) 个文件一致。")
            return 0
        }
        print("\(bad.count) 个文件不一致: \(bad.map(\.name).joined(separator: ", "))")
        return 1
    }
}
