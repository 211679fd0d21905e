import Foundation
import LianzhengKit
import Testing

/// `score`, `assess` and `flags` write their files into the year's folder
/// (out/Y by default), where `yearend` put the same files: they must write
/// the very same bytes, or the folder's MANIFEST would lie. `score` once
/// wrote posts.csv with an empty flags column.
@Suite struct YearEndFolderCLITests {
    @Test func singleCommandsKeepAYearEndFolderTrue() throws {
        let dir = makeTemporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let sample = Binary.repositoryRoot.appendingPathComponent("Datasets/sample").path
        let yearend = try Binary.run(["yearend", "--data", sample, "--year", "2025"], in: dir)
        try #require(yearend.status == 0, "\(yearend.stderr)")
        let before = folderContents(dir + "/out/2025")
        for command in ["score", "assess", "flags"] {
            let r = try Binary.run([command, "--year", "2025"], in: dir)
            #expect(r.status == 0, "\(command): \(r.stderr)")
        }
        let after = folderContents(dir + "/out/2025")
        for (name, bytes) in before { #expect(after[name] == bytes, "\(name) changed") }
        let manifest = parseManifest(String(decoding: after["MANIFEST"] ?? Data(), as: UTF8.self))
        #expect(manifest.count == 7)
        for (name, hash) in manifest { #expect(SHA256.hex(of: [UInt8](after[name] ?? Data())) == hash, "\(name)") }
    }
}
