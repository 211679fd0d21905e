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

    @Test func usage() throws {
        #expect(try Binary.run(["check"]).status == 64)
        #expect(try Binary.run(["check", "--data", Self.sample, "--format", "json"]).status == 64)
        #expect(try Binary.run(["check", "--data", Self.sample, "--db", "x.sqlite"]).status == 64)
        #expect(try Binary.run(["check", "--data", Self.sample, "--year", "二〇二五"]).status == 64)
    }
}
