import Foundation
import LianzhengFuzzChecks
import LianzhengKit
import Testing

/// The fuzz targets' checks (Fuzz/Checks) on the seeds and on every input
/// kept in Tests/Fixtures/fuzz: what libFuzzer once found stays fixed.
@Suite struct FuzzRegressionTests {
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent()

    static func files(in folder: String) -> [String] {
        let path = root.appendingPathComponent(folder).path
        let names = (try? FileManager.default.contentsOfDirectory(atPath: path)) ?? []
        return names.filter { !$0.hasPrefix(".") }.sorted().map { path + "/" + $0 }
    }

    /// The dataset the CSV target patches inputs into is itself valid, so
    /// that single-file inputs reach the round trips and the computation.
    @Test func baseDatasetIsValid() throws {
        let dir = NSTemporaryDirectory() + "lianzheng-fuzz-base-" + UUID().uuidString
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: dir) }
        for (table, text) in FuzzChecks.baseFiles {
            try text.write(toFile: dir + "/" + table.fileName, atomically: false, encoding: .utf8)
        }
        let d = try DatasetReader(directory: dir, scheme: SchemeParser.defaultScheme).read()
        #expect(d.units.count == 2 && d.posts.count == 3 && d.adjustments.count == 3 && d.riskPoints.count == 2)
        FuzzChecks.checkAccepted(d, scheme: SchemeParser.defaultScheme)
    }

    /// Every sample file, as the CSV target's seed for it, and both shipped
    /// schemes pass the checks.
    @Test func seedsPass() throws {
        for dir in ["Datasets/sample", "Datasets/sample-gbk"] {
            for (k, table) in InputTable.allCases.enumerated() {
                let path = Self.root.appendingPathComponent(dir + "/" + table.fileName).path
                let bytes = [UInt8(k)] + [UInt8](try Data(contentsOf: URL(fileURLWithPath: path)))
                bytes.withUnsafeBufferPointer(FuzzChecks.dataset)
            }
        }
        for path in Self.files(in: "Datasets/schemes") {
            [UInt8](try Data(contentsOf: URL(fileURLWithPath: path))).withUnsafeBufferPointer(FuzzChecks.scheme)
        }
    }

    @Test(arguments: files(in: "Tests/Fixtures/fuzz/csv"))
    func csvFinding(_ path: String) throws {
        [UInt8](try Data(contentsOf: URL(fileURLWithPath: path))).withUnsafeBufferPointer(FuzzChecks.dataset)
    }

    @Test(arguments: files(in: "Tests/Fixtures/fuzz/scheme"))
    func schemeFinding(_ path: String) throws {
        [UInt8](try Data(contentsOf: URL(fileURLWithPath: path))).withUnsafeBufferPointer(FuzzChecks.scheme)
    }
}
