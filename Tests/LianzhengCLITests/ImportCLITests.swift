import Foundation
import LianzhengKit
import Testing

#if canImport(Glibc)
    import Glibc
#endif

/// `lianzheng import` end to end: the built binary, its stdout, stderr and
/// exit code (sysexits: 0, 64 usage, 65 data, 66 no input).
@Suite struct ImportCLITests {
    static let sample = Binary.repositoryRoot.appendingPathComponent("Datasets/sample").path
    static let sampleGBK = Binary.repositoryRoot.appendingPathComponent("Datasets/sample-gbk").path
    static let fixtures = Binary.repositoryRoot.appendingPathComponent("Tests/Fixtures").path

    @Test func binaryIsFound() {
        #expect(Binary.url != nil, "\(Binary.BinaryNotFound())")
    }

    /// The sample imports (exit 0) into lianzheng.sqlite in the working
    /// folder, created 0600; the same data again, and the GB18030 copy,
    /// reuse snapshot 1.
    @Test func importSample() throws {
        let dir = makeTemporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let fingerprint = try DatasetReader(directory: Self.sample, scheme: SchemeParser.defaultScheme).read().fingerprint

        let first = try Binary.run(["import", "--data", Self.sample], in: dir)
        #expect(first.status == 0, "\(first.stderr)")
        #expect(first.stdout.contains("快照"))
        #expect(first.stdout.hasPrefix("已导入快照 1。\n数据指纹 \(fingerprint)\n"))
        #expect(first.stderr.isEmpty)
        var info = stat()
        #expect(stat(dir + "/lianzheng.sqlite", &info) == 0)
        #expect(info.st_mode & 0o777 == 0o600)

        let again = try Binary.run(["import", "--data", Self.sample], in: dir)
        #expect(again.status == 0)
        #expect(again.stdout.hasPrefix("数据未变化，沿用快照 1。\n数据指纹 \(fingerprint)\n"))

        let gbk = try Binary.run(["import", "--data", Self.sampleGBK, "--db", "lianzheng.sqlite"], in: dir)
        #expect(gbk.status == 0, "\(gbk.stderr)")
        #expect(gbk.stdout.hasPrefix("数据未变化，沿用快照 1。\n数据指纹 \(fingerprint)\n"))

        let forced = try Binary.run(["import", "--data", Self.sampleGBK, "--encoding", "gb18030"], in: dir)
        #expect(forced.status == 0, "\(forced.stderr)")
        #expect(forced.stdout.contains("沿用快照 1"))
    }

    /// Re-importing unchanged files reuses their snapshot without reading
    /// them (their source digest is recorded), and still prints the
    /// warnings reading them gave: here units.csv has a fifth column 备注,
    /// unknown, on line 1. The files are dated an hour back: an import
    /// records the digest only of files that had settled.
    /// `--tables` fills the queryable row tables with the snapshot, one
    /// row per input row; a plain import leaves them empty.
    @Test func tablesOnRequest() throws {
        let dir = makeTemporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let read = try DatasetReader(directory: Self.sample, scheme: SchemeParser.defaultScheme).read()
        func posts() throws -> Int {
            let q = try Database(path: dir + "/lianzheng.sqlite").prepare("SELECT count(*) FROM post WHERE snapshot_id = 1")
            _ = try q.step()
            return Int(q.int64(0))
        }
        #expect(try Binary.run(["import", "--data", Self.sample], in: dir).status == 0)
        #expect(try posts() == 0)
        let r = try Binary.run(["import", "--data", Self.sample, "--tables"], in: dir)
        #expect(r.status == 0, "\(r.stderr)")
        #expect(r.stdout.hasPrefix("数据未变化，沿用快照 1。"))
        #expect(try posts() == read.posts.count && read.posts.count > 0)
    }

    @Test func warningsRepeatedOnReuse() throws {
        let dir = makeTemporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let data = dir + "/data"
        try FileManager.default.copyItem(atPath: Self.sample, toPath: data)
        let units = try String(contentsOfFile: data + "/units.csv", encoding: .utf8)
        let widened = units.split(separator: "\n").enumerated().map { k, line in line + (k == 0 ? ",备注" : ",") }
        try (widened.joined(separator: "\n") + "\n").write(toFile: data + "/units.csv", atomically: false, encoding: .utf8)
        for name in try FileManager.default.contentsOfDirectory(atPath: data) {
            try FileManager.default.setAttributes([.modificationDate: Date(timeIntervalSinceNow: -3600)], ofItemAtPath: data + "/" + name)
        }
        let warning = "data/units.csv:1:5: 警告: 未知列 备注 已忽略 (unknown column ignored)"

        let first = try Binary.run(["import", "--data", "data"], in: dir)
        #expect(first.status == 0, "\(first.stderr)")
        #expect(first.stdout.hasPrefix("已导入快照 1。\n"))
        #expect(first.stderrLines == [warning])
        let again = try Binary.run(["import", "--data", "data"], in: dir)
        #expect(again.status == 0, "\(again.stderr)")
        #expect(again.stdout == first.stdout.replacingOccurrences(of: "已导入快照 1。", with: "数据未变化，沿用快照 1。"))
        #expect(again.stderrLines == [warning])
        let yearEnd = try Binary.run(["yearend", "--data", "data", "--year", "2025", "--out", "out"], in: dir)
        #expect(yearEnd.status == 0, "\(yearEnd.stderr)")
        #expect(yearEnd.stderrLines == [warning])
        #expect(try FileManager.default.contentsOfDirectory(atPath: dir).sorted() == ["data", "lianzheng.sqlite", "out"])
    }

    /// Every problem of the bad-values fixture on its own stderr line as
    /// `path:line:col: 错误: …`, then the count; exit 65; no database.
    ///
    /// Positions worked out from the files:
    /// - units.csv line 3 `U2,办公室,U9`: parent_id (field 3) U9 does not exist;
    /// - posts.csv line 3 `P2,U2,主任,-3`: tenure_years (field 4) is negative;
    /// - powers.csv line 2: annual_count (field 4) is the quoted "1,200";
    /// - incidents.csv line 2: the quoted date 2025-02-29 (field 3) is no date
    ///   (2025 is no leap year); line 3 starts X2, whose status (field 5) is
    ///   the quoted "待⏎核实" starting on line 3 and ending on line 4; line 5
    ///   is X3 with the unknown kind 谈话 (field 4).
    @Test func badData() throws {
        let dir = makeTemporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let data = Self.fixtures + "/bad-values"
        let r = try Binary.run(["import", "--data", data], in: dir)
        #expect(r.status == 65)
        #expect(r.stdout.isEmpty)
        #expect(r.stderrLines == [
            "\(data)/units.csv:3:3: 错误: 上级单位编号不存在: U9 (unknown parent_id)",
            "\(data)/posts.csv:3:4: 错误: 任职年限须为不小于 0 的数: -3 (tenure_years must be a number ≥ 0)",
            "\(data)/powers.csv:2:4: 错误: 年行使次数须为不小于 0 的整数: 1,200 (annual_count must be an integer ≥ 0)",
            "\(data)/incidents.csv:2:3: 错误: 日期无效: 2025-02-29 (invalid date)",
            "\(data)/incidents.csv:3:5: 错误: 核实情况无效: 待\\n核实，应为 属实/部分属实/待核实/不属实 (invalid status)",
            "\(data)/incidents.csv:5:4: 错误: 问题类别不在评分方案中: 谈话 (unknown incident kind)",
            "共 6 个数据错误，未写入任何内容。",
        ])
        #expect(try FileManager.default.contentsOfDirectory(atPath: dir).isEmpty)
    }

    /// A relative --data path is reported as given.
    @Test func relativePaths() throws {
        let r = try Binary.run(["import", "--data", "bad-values", "--db", "x.sqlite"], in: Self.fixtures)
        #expect(r.status == 65)
        #expect(r.stderrLines.first == "bad-values/units.csv:3:3: 错误: 上级单位编号不存在: U9 (unknown parent_id)")
        #expect(!FileManager.default.fileExists(atPath: Self.fixtures + "/x.sqlite"))
    }

    /// A failed import leaves an existing database byte for byte as it was.
    @Test func badDataLeavesDatabaseAlone() throws {
        let dir = makeTemporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        #expect(try Binary.run(["import", "--data", Self.sample], in: dir).status == 0)
        let before = FileManager.default.contents(atPath: dir + "/lianzheng.sqlite")
        let r = try Binary.run(["import", "--data", Self.fixtures + "/bad-values"], in: dir)
        #expect(r.status == 65)
        #expect(FileManager.default.contents(atPath: dir + "/lianzheng.sqlite") == before)
        #expect(try FileManager.default.contentsOfDirectory(atPath: dir) == ["lianzheng.sqlite"])
    }

    @Test func missingRequiredFile() throws {
        let dir = makeTemporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let data = Self.fixtures + "/missing-incidents"
        let r = try Binary.run(["import", "--data", data], in: dir)
        #expect(r.status == 66)
        #expect(r.stderrLines == ["缺少输入: \(data)/incidents.csv: 缺少必需文件 incidents.csv"])
        #expect(try FileManager.default.contentsOfDirectory(atPath: dir).isEmpty)
    }

    @Test func missingFolder() throws {
        let r = try Binary.run(["import", "--data", "no-such-folder"])
        #expect(r.status == 66)
        #expect(r.stderr.contains("no-such-folder/units.csv"))
    }

    @Test func help() throws {
        let r = try Binary.run(["import", "--help"])
        #expect(r.status == 0)
        #expect(r.stderr.isEmpty)
        #expect(r.stdout == """
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

            """)
        #expect(try Binary.run(["import", "-h"]).stdout == r.stdout)
    }

    struct Usage: CustomTestStringConvertible, Sendable {
        var id: String
        var arguments: [String]
        var message: String
        var testDescription: String { id }
    }

    @Test(arguments: [
        Usage(id: "unknown option", arguments: ["import", "--data", sample, "--bogus"], message: "用法错误: 未知选项 --bogus"),
        Usage(id: "option of another command", arguments: ["import", "--data", sample, "--year", "2025"], message: "用法错误: 未知选项 --year"),
        Usage(id: "--data missing", arguments: ["import"], message: "用法错误: 缺少必需选项 --data"),
        Usage(id: "--data without a value", arguments: ["import", "--data"], message: "用法错误: 选项 --data 缺少参数值"),
        Usage(id: "bad --encoding", arguments: ["import", "--data", sample, "--encoding", "gbk"],
              message: "用法错误: --encoding 须为 auto|utf8|gb18030: gbk"),
    ])
    func usageErrors(_ c: Usage) throws {
        let dir = makeTemporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let r = try Binary.run(c.arguments, in: dir)
        #expect(r.status == 64)
        #expect(r.stdout.isEmpty)
        #expect(r.stderrLines == [c.message, "运行 lianzheng import --help 查看用法。"])
        #expect(try FileManager.default.contentsOfDirectory(atPath: dir).isEmpty)
    }

    @Test func unknownCommand() throws {
        let r = try Binary.run(["importe"])
        #expect(r.status == 64)
        #expect(r.stderr.hasPrefix("用法错误: 未知命令 importe"))
    }
}
