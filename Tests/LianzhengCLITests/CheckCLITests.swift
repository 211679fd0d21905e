import Foundation
import Testing

/// `lianzheng check` end to end; enabled once the command is registered.
@Suite(.enabled(if: Binary.knows("check"))) struct CheckCLITests {
    static let sample = ImportCLITests.sample

    /// Warnings are no failure: exit 0, the text report on stdout, and no
    /// database anywhere.
    @Test func textReport() throws {
        let dir = makeTemporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let r = try Binary.run(["check", "--data", Self.sample, "--year", "2025"], in: dir)
        #expect(r.status == 0, "\(r.stderr)")
        #expect(r.stdout.hasPrefix("数据质量检查："))
        #expect(r.stdout.contains("基准日 2025-12-31，风险等级按 2025 年计算"))
        #expect(try FileManager.default.contentsOfDirectory(atPath: dir).isEmpty)
    }

    @Test func csvReport() throws {
        let dir = makeTemporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let toStdout = try Binary.run(["check", "--data", Self.sample, "--year", "2025", "--format", "csv"], in: dir)
        #expect(toStdout.status == 0)
        #expect(toStdout.stdoutBytes.starts(with: [0xEF, 0xBB, 0xBF] + Array("code,subject_type,subject_id,message\r\n".utf8)))
        let toFile = try Binary.run(["check", "--data", Self.sample, "--year", "2025", "--format", "csv", "--out", "check.csv"], in: dir)
        #expect(toFile.status == 0)
        #expect(FileManager.default.contents(atPath: dir + "/check.csv").map(Array.init) == toStdout.stdoutBytes)
        #expect(try FileManager.default.contentsOfDirectory(atPath: dir) == ["check.csv"])
    }

    @Test func badDataExits65() throws {
        let data = ImportCLITests.fixtures + "/bad-values"
        let r = try Binary.run(["check", "--data", data])
        #expect(r.status == 65)
        #expect(r.stderrLines.last == "共 6 个数据错误，未写入任何内容。")
    }

    @Test func help() throws {
        let r = try Binary.run(["check", "--help"])
        #expect(r.status == 0)
        #expect(r.stdout == """
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

            """)
    }

    @Test func usage() throws {
        #expect(try Binary.run(["check"]).status == 64)
        #expect(try Binary.run(["check", "--data", Self.sample, "--format", "json"]).status == 64)
        #expect(try Binary.run(["check", "--data", Self.sample, "--db", "x.sqlite"]).status == 64)
        #expect(try Binary.run(["check", "--data", Self.sample, "--year", "二〇二五"]).status == 64)
    }
}
