import Foundation
import Testing

/// `lianzheng whatif` end to end, against a baseline made by `yearend` on the sample.
@Suite(.enabled(if: Binary.knows("whatif"))) struct WhatIfCLITests {
    /// A fresh folder holding lianzheng.sqlite with the 2025 year-end run of the sample in out/2025.
    static func baseline() throws -> String {
        let dir = makeTemporaryDirectory()
        let r = try Binary.run(["yearend", "--data", ImportCLITests.sample, "--year", "2025", "--quiet"], in: dir)
        #expect(r.status == 0, "\(r.stderr)")
        return dir
    }

    /// name → bytes of the files in `dir`.
    static func files(_ dir: String) throws -> [String: Data] {
        var out: [String: Data] = [:]
        for name in try FileManager.default.contentsOfDirectory(atPath: dir) {
            var isDirectory: ObjCBool = false
            if FileManager.default.fileExists(atPath: dir + "/" + name, isDirectory: &isDirectory), !isDirectory.boolValue {
                out[name] = FileManager.default.contents(atPath: dir + "/" + name)
            }
        }
        return out
    }

    /// Unknown paths and values the scheme rules refuse: exit 65, the path
    /// named on stderr, nothing on stdout, nothing written or recorded.
    @Test(arguments: [
        ("assessment.bands.9.min=88", "--set assessment.bands.9.min=88: assessment.bands.9.min: "),
        ("assessment.nosuch=1", "--set assessment.nosuch=1: assessment.nosuch: "),
        ("assessment.bands.0.min=abc", "--set assessment.bands.0.min=abc: assessment.bands[0].min: "),
        ("assessment.quota.share=1.5", "--set assessment.quota.share=1.5: assessment.quota.share: "),
    ])
    func setErrorsExit65(set: String, firstLine: String) throws {
        let dir = try Self.baseline()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let r = try Binary.run(["whatif", "--year", "2025", "--set", set], in: dir)
        #expect(r.status == 65)
        #expect(r.stdout.isEmpty)
        #expect(r.stderrLines.first?.hasPrefix(firstLine) == true, "\(r.stderr)")
        #expect(r.stderrLines.last == "评分方案有 1 个错误。")
        #expect(try FileManager.default.contentsOfDirectory(atPath: dir + "/out/2025").filter { $0.hasPrefix("whatif") }.isEmpty)
        #expect(try Binary.run(["runs"], in: dir).stdout.split(separator: "\n").count == 2)  // header + the baseline
    }

    /// A what-if prints the comparison, writes whatif.csv and whatif.html
    /// next to (not over) the baseline's files, records a run that points at
    /// the baseline and verifies; the baseline's files are byte for byte the same.
    @Test func endToEnd() throws {
        let dir = try Self.baseline()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let before = try Self.files(dir + "/out/2025")
        let r = try Binary.run(["whatif", "--year", "2025", "--set", "assessment.bands.0.min=92", "--quiet"], in: dir)
        #expect(r.status == 0, "\(r.stderr)")
        #expect(r.stdout.hasPrefix("2025 年度测算对比 (what-if)\n"))
        #expect(r.stdout.contains("\n  assessment.bands[0].min: 90 → 92\n"))
        #expect(r.stdout.contains("\n一、风险等级变化：0 个岗位"))
        #expect(r.stdout.contains("\n七、边界附近（测算方案）\n"))
        #expect(try Self.files(dir + "/out/2025") == before)
        let folders = try FileManager.default.contentsOfDirectory(atPath: dir + "/out/2025").filter { $0.hasPrefix("whatif-") }
        #expect(folders.count == 1 && folders[0].count == "whatif-".count + 8)
        let written = try Self.files(dir + "/out/2025/" + folders[0])
        #expect(Set(written.keys) == ["whatif.csv", "whatif.html"])
        #expect(written["whatif.csv"]?.starts(with: [0xEF, 0xBB, 0xBF] + Array("year,change,subject_type,subject_id,".utf8)) == true)
        let runLine = try #require(r.stdout.split(separator: "\n").first { $0.hasPrefix("测算运行编号 ") })
        let id = String(runLine.dropFirst("测算运行编号 ".count).prefix(16))
        let runs = try Binary.run(["runs"], in: dir)
        #expect(runs.stdout.contains(id) && runs.stdout.contains("（测算，基准 "))
        let verify = try Binary.run(["verify", id], in: dir)
        #expect(verify.status == 0, "\(verify.stdout)")
        // The same what-if again: the same run, a second execution, the same bytes.
        let again = try Binary.run(["whatif", "--year", "2025", "--set", "assessment.bands.0.min=92", "--quiet"], in: dir)
        #expect(again.status == 0)
        #expect(try Self.files(dir + "/out/2025/" + folders[0]) == written)
        #expect(try Binary.run(["show", id], in: dir).stdout.contains("执行 2 次"))
    }

    @Test func usageAndMissingInput() throws {
        let empty = makeTemporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: empty) }
        #expect(try Binary.run(["whatif", "--set", "assessment.bands.0.min=88"], in: empty).status == 64)  // no --year
        #expect(try Binary.run(["whatif", "--year", "2025"], in: empty).status == 64)  // nothing to compare
        #expect(try Binary.run(["whatif", "--year", "2025", "--set", "novalue"], in: empty).status == 64)
        #expect(try Binary.run(["whatif", "--year", "2025", "--set", "assessment.bands.0.min=88"], in: empty).status == 66)
        let dir = try Self.baseline()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let noRun = try Binary.run(["whatif", "--year", "2024", "--set", "assessment.bands.0.min=88"], in: dir)
        #expect(noRun.status == 66)
        #expect(noRun.stderr.contains("2024"))
        #expect(try Binary.run(["whatif", "--year", "2025", "--scheme", "missing.json"], in: dir).status == 66)
        // --baseline by a prefix of its id; --year may then be left out, and must agree when given.
        let runs = try Binary.run(["runs"], in: dir).stdout.split(separator: "\n")
        let baselineID = try #require(runs.dropFirst().first.map { String($0.prefix(16)) })
        let set = ["--set", "assessment.bands.0.min=88", "--quiet"]
        let byID = try Binary.run(["whatif", "--baseline", String(baselineID.prefix(8))] + set, in: dir)
        #expect(byID.status == 0, "\(byID.stderr)")
        #expect(byID.stdout.contains("基准运行 \(baselineID)"))
        #expect(try Binary.run(["whatif", "--baseline", baselineID, "--year", "2024"] + set, in: dir).status == 64)
        #expect(try Binary.run(["whatif", "--baseline", "ffffffff"] + set, in: dir).status == 66)
    }

    @Test func help() throws {
        let r = try Binary.run(["whatif", "--help"])
        #expect(r.status == 0)
        #expect(r.stdout == """
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

            """)
    }
}

/// `lianzheng compare` end to end on the sample.
@Suite(.enabled(if: Binary.knows("compare"))) struct CompareCLITests {
    @Test func formats() throws {
        let dir = makeTemporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let text = try Binary.run(["compare", "--data", ImportCLITests.sample, "--year", "2025"], in: dir)
        #expect(text.status == 0, "\(text.stderr)")
        #expect(text.stdout.hasPrefix("2025 年度单位横向对比（共 25 行）\n"))
        // 20 units, 5 of them with sub-units: 25 rows; U01 rolled up holds its 70 posts.
        #expect(text.stdout.contains("U01       市市场监督管理局                含下级单位      70"))
        let csv = try Binary.run(["compare", "--year", "2025", "--format", "csv", "--out", "c.csv"], in: dir)
        #expect(csv.status == 0)
        let bytes = try #require(FileManager.default.contents(atPath: dir + "/c.csv"))
        #expect(bytes.starts(with: [0xEF, 0xBB, 0xBF] + Array("year,rank,unit_id,name,parent_id,scope,posts,".utf8)))
        #expect(String(decoding: bytes, as: UTF8.self).split(separator: "\r\n").count == 26)
        let html = try Binary.run(["compare", "--year", "2025", "--format", "html", "--by", "category"], in: dir)
        #expect(html.status == 0)
        #expect(html.stdout.hasPrefix("<!DOCTYPE html>") && html.stdout.contains("岗位类别横向对比"))
    }

    @Test func usage() throws {
        let dir = makeTemporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        #expect(try Binary.run(["compare", "--data", ImportCLITests.sample], in: dir).status == 64)
        #expect(try Binary.run(["compare", "--year", "2025", "--by", "post"], in: dir).status == 64)
        #expect(try Binary.run(["compare", "--year", "2025", "--format", "json"], in: dir).status == 64)
        #expect(try Binary.run(["compare", "--year", "2025"], in: dir).status == 66)  // no database
    }

    @Test func help() throws {
        let r = try Binary.run(["compare", "--help"])
        #expect(r.status == 0)
        #expect(r.stdout == """
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

            """)
    }
}
