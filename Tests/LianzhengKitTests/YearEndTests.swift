import Foundation
import Testing
@testable import LianzhengKit

/// SPEC §7 reproducibility: the same snapshot, scheme and year give
/// byte-identical files whatever the thread count, input encoding or row
/// order; runs are recorded and verified.
@Suite struct YearEndTests {
    static func outputs(_ dir: String, threads: Int? = nil, scheme: Scheme = .default, year: Int = 2025) throws -> YearEndOutputs {
        let d = try DatasetReader(directory: dir, scheme: scheme).read()
        let c = try YearComputation(dataset: d, scheme: scheme, year: year, threads: threads)
        return YearEndOutputs(c, run: RunIdentity(datasetFingerprint: d.fingerprint, schemeFingerprint: scheme.fingerprint, year: year), chineseHeaders: false)
    }

    static func same(_ a: YearEndOutputs, _ b: YearEndOutputs) -> Bool {
        a.files.map(\.name) == b.files.map(\.name) && zip(a.files, b.files).allSatisfy { $0.bytes == $1.bytes }
    }

    @Test func identicalForAnyThreadCount() throws {
        let one = try Self.outputs(datasetsPath("sample"), threads: 1)
        for threads in [2, 3, 8] {
            #expect(Self.same(one, try Self.outputs(datasetsPath("sample"), threads: threads)), "threads \(threads)")
        }
    }

    /// The GB18030 copy (Chinese headers, shuffled columns and rows, CRLF,
    /// other date forms) gives the very same files.
    @Test func identicalForAnyEncodingAndColumnOrder() throws {
        #expect(Self.same(try Self.outputs(datasetsPath("sample")), try Self.outputs(datasetsPath("sample-gbk"))))
    }

    /// Reversing the data rows of every file changes nothing.
    @Test func identicalForAnyRowOrder() throws {
        let dir = temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        for name in try FileManager.default.contentsOfDirectory(atPath: datasetsPath("sample")) where name.hasSuffix(".csv") {
            let text = try String(contentsOfFile: datasetsPath("sample/" + name), encoding: .utf8)
            // Records may hold quoted line breaks: a line continues the record
            // while the record so far has an odd number of quote characters.
            var records: [String] = []
            var open = false
            for line in text.split(separator: "\n", omittingEmptySubsequences: false) {
                if open { records[records.count - 1] += "\n" + line } else { records.append(String(line)) }
                if line.filter({ $0 == "\"" }).count % 2 == 1 { open.toggle() }
            }
            let header = records.removeFirst()
            let body = records.filter { !$0.isEmpty }.reversed()
            try ([header] + body).joined(separator: "\n").write(toFile: dir + "/" + name, atomically: true, encoding: .utf8)
        }
        #expect(Self.same(try Self.outputs(datasetsPath("sample")), try Self.outputs(dir)))
    }

    /// Writing over an earlier run's folder: the old MANIFEST goes before
    /// the first file is replaced (a folder with a MANIFEST holds one whole
    /// run), and temporary files an interrupted run left are removed.
    @Test func writeReplacesAFolderWholeAndTidiesUp() throws {
        let dir = temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let outputs = try Self.outputs(datasetsPath("sample"))
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        for name in ["MANIFEST", "posts.csv", ".posts.csv.tmp-1-ab", ".MANIFEST.tmp-2-cd", "notes.txt"] {
            try Data("old".utf8).write(to: URL(fileURLWithPath: dir + "/" + name))
        }
        try outputs.write(to: dir)
        let names = try FileManager.default.contentsOfDirectory(atPath: dir).sorted()
        #expect(names == ["MANIFEST", "assessments.csv", "flags.csv", "notes.txt", "posts.csv", "report.html",
            "risk_points.csv", "scorecards.json", "units.csv"])
        #expect(FileManager.default.contents(atPath: dir + "/MANIFEST") == Data(outputs.manifest.utf8))
    }

    /// The year-end run hashes each file while writing it: the MANIFEST it
    /// writes is the one hashing the rendered files gives, and every file on
    /// disk hashes (SHA256.hex of its bytes) to its MANIFEST line.
    /// The files are written while rendered (scorecards.json part by part as
    /// its parts come in) and must be exactly the bytes rendered in memory.
    @Test func hashingWhileWritingGivesTheSameManifest() throws {
        let dir = temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let scheme = Scheme.default
        let d = try DatasetReader(directory: datasetsPath("sample"), scheme: scheme).read()
        let c = try YearComputation(dataset: d, scheme: scheme, year: 2025)
        let run = RunIdentity(datasetFingerprint: d.fingerprint, schemeFingerprint: scheme.fingerprint, year: 2025)
        let written = try YearEndOutputs.renderAndWrite(c, run: run, chineseHeaders: false, to: dir)
        let hashedApart = YearEndOutputs(c, run: run, chineseHeaders: false)
        #expect(written.manifest == hashedApart.manifest)
        #expect(FileManager.default.contents(atPath: dir + "/MANIFEST") == Data(written.manifest.utf8))
        for file in hashedApart.files {
            let bytes = try #require(FileManager.default.contents(atPath: dir + "/" + file.name))
            #expect([UInt8](bytes) == file.bytes, "\(file.name)")
            #expect(SHA256.hex(of: [UInt8](bytes)) == file.sha256, "\(file.name)")
        }
        #expect(parseManifest(written.manifest).count == 7)
    }

    /// 20,000 generated posts make scorecards.json of several parts (2 of
    /// post rows, 2 of flag rows, 2 or more of subjects), which the streaming
    /// writer takes and writes in file order while later ones are rendered:
    /// the file on disk is byte for byte the one assembled in memory.
    @Test func streamingManyPartsWritesTheSameBytes() throws {
        let dir = temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let scheme = Scheme.default
        var d = SyntheticDataset.make(posts: 20_000, seed: 7, scheme: scheme)
        d.fingerprint = d.computeFingerprint()
        let c = try YearComputation(dataset: d, scheme: scheme, year: 2025, threads: 2)
        let run = RunIdentity(datasetFingerprint: d.fingerprint, schemeFingerprint: scheme.fingerprint, year: 2025)
        let inMemory = YearEndOutputs(c, run: run, chineseHeaders: true)
        let scorecards = try #require(inMemory.files.first { $0.name == "scorecards.json" })
        // Each non-empty part is a chunk, after the chunk leading up to it.
        #expect(scorecards.chunks.count >= 13)
        let written = try YearEndOutputs.renderAndWrite(c, run: run, chineseHeaders: true, to: dir)
        #expect(written.manifest == inMemory.manifest)
        let onDisk = try #require(FileManager.default.contents(atPath: dir + "/scorecards.json"))
        #expect([UInt8](onDisk) == scorecards.bytes)
    }

    /// When `whenPublishable` fails (the snapshot could not be stored), the
    /// files rendered so far under temporary names are removed: a folder
    /// holding an earlier run keeps it byte for byte, MANIFEST included,
    /// and a folder the call created is removed again, parents too.
    @Test func aFailedImportLeavesTheFolderAsItWas() throws {
        let dir = temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let scheme = Scheme.default
        let d = try DatasetReader(directory: datasetsPath("sample"), scheme: scheme).read()
        let run = RunIdentity(datasetFingerprint: d.fingerprint, schemeFingerprint: scheme.fingerprint, year: 2025)
        let earlier = try YearComputation(dataset: d, scheme: scheme, year: 2024)
        let c = try YearComputation(dataset: d, scheme: scheme, year: 2025)
        _ = try YearEndOutputs.renderAndWrite(earlier, run: run, chineseHeaders: false, to: dir + "/out")
        let before = try Self.contents(dir + "/out")
        #expect(before.keys.contains("MANIFEST") && before.count == 8)
        let failure = LianzhengError.io("磁盘空间不足")
        for target in [dir + "/out", dir + "/new/2025"] {
            let thrown = #expect(throws: LianzhengError.self) {
                try YearEndOutputs.renderAndWrite(c, run: run, chineseHeaders: false, to: target) { () throws(LianzhengError) in
                    throw failure
                }
            }
            #expect(thrown?.description == failure.description)
        }
        #expect(try Self.contents(dir + "/out") == before)
        #expect(!FileManager.default.fileExists(atPath: dir + "/new"))
    }

    /// Every file in `folder` (hidden ones too) by name.
    static func contents(_ folder: String) throws -> [String: Data] {
        var out: [String: Data] = [:]
        for name in try FileManager.default.contentsOfDirectory(atPath: folder) {
            out[name] = FileManager.default.contents(atPath: folder + "/" + name)
        }
        return out
    }

    @Test func runIDIsDerivedFromContent() {
        // SHA-256 of "a\nb\n0.1.0\n2025\n", first 16 hex digits, checked with sha256sum:
        // printf 'a\nb\n0.1.0\n2025\n' | sha256sum
        let id = RunIdentity(datasetFingerprint: "a", schemeFingerprint: "b", programVersion: "0.1.0", year: 2025).runID
        #expect(id == String(SHA256.hex(of: "a\nb\n0.1.0\n2025\n").prefix(16)))
        #expect(id.count == 16)
        #expect(id != RunIdentity(datasetFingerprint: "a", schemeFingerprint: "b", programVersion: "0.1.0", year: 2024).runID)
    }

    @Test func manifestListsEveryFileSorted() throws {
        let o = try Self.outputs(datasetsPath("sample"))
        let names = o.manifest.split(separator: "\n").map { $0.split(separator: " ").last.map(String.init)! }
        #expect(names == ["assessments.csv", "flags.csv", "posts.csv", "report.html", "risk_points.csv", "scorecards.json", "units.csv"])
        #expect(parseManifest(o.manifest)["posts.csv"] == SHA256.hex(of: o.files.first { $0.name == "posts.csv" }!.bytes))
    }

    /// A year-end run records the run; a second identical run reuses it and
    /// logs a second execution; verify recomputes every file; a recorded
    /// manifest that no longer matches is reported file by file.
    @Test func runIsRecordedReusedAndVerified() throws {
        let dir = temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        var options = CommonOptions()
        options.dbPath = dir + "/db.sqlite"
        options.dataDirectory = datasetsPath("sample")
        options.outDirectory = dir + "/out"
        options.threads = 2
        let first = try YearEnd.run(options: options, year: 2025)
        #expect(!first.snapshotReused)
        options.threads = 1
        options.outDirectory = dir + "/out2"
        let second = try YearEnd.run(options: options, year: 2025)
        #expect(second.snapshotReused)
        #expect(second.runID == first.runID)
        for name in ["posts.csv", "scorecards.json", "report.html", "MANIFEST"] {
            let a = try Data(contentsOf: URL(fileURLWithPath: dir + "/out/" + name))
            let b = try Data(contentsOf: URL(fileURLWithPath: dir + "/out2/" + name))
            #expect(a == b, "\(name) differs between 2 threads and 1")
        }
        let db = try Database(path: options.dbPath)
        let store = try RunStore(db: db)
        #expect(try store.list().count == 1)
        #expect(try store.find(String(first.runID.prefix(6))).executions == 2)
        let (_, checks) = try YearEnd.verify(dbPath: options.dbPath, runID: first.runID)
        #expect(checks.count == 7 && checks.allSatisfy(\.matches))

        // A later execution whose manifest says posts.csv had another hash.
        let record = try store.find(first.runID)
        let altered = record.manifest.replacingOccurrences(
            of: parseManifest(record.manifest)["posts.csv"]!, with: String(repeating: "0", count: 64))
        try store.record(
            identity: RunIdentity(datasetFingerprint: record.datasetFingerprint, schemeFingerprint: record.schemeFingerprint, year: 2025),
            snapshotID: record.snapshotID, scheme: .default, command: "test", startedAt: Date(), threads: 1,
            outDirectory: dir, chineseHeaders: false, manifest: altered)
        let (_, again) = try YearEnd.verify(dbPath: options.dbPath, runID: first.runID)
        #expect(again.filter { !$0.matches }.map(\.name) == ["posts.csv"])
    }

    /// Runs and the snapshot they were computed from are immutable in the database.
    @Test func runRowsCannotBeUpdated() throws {
        let dir = temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        var options = CommonOptions()
        options.dbPath = dir + "/db.sqlite"
        options.dataDirectory = datasetsPath("sample")
        options.outDirectory = dir + "/out"
        _ = try YearEnd.run(options: options, year: 2024)
        let db = try Database(path: options.dbPath)
        #expect(throws: DatabaseError.self) { try db.execute("UPDATE run SET year = 2023") }
        #expect(throws: DatabaseError.self) { try db.execute("UPDATE snapshot_pack SET data = x'00'") }
    }
}
