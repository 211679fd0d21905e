import Foundation
import LianzhengKit
import Testing

#if canImport(Glibc)
    import Glibc
#endif

/// Two processes on one database at once: SQLite's locks and the 30 s busy
/// timeout make the second wait for the first's transaction, so both finish
/// with whole snapshots and runs — never a corrupt database, a lost import
/// or a run that mixes two datasets. Output folders are locked while written.
@Suite(.serialized) struct ConcurrencyTests {
    static let slow = ProcessInfo.processInfo.environment["LIANZHENG_SLOW_TESTS"] == "1"
    static let rounds = slow ? 10 : 1

    /// Datasets A and B and what a clean year-end run gives on each.
    final class Setup: @unchecked Sendable {
        let root = makeTemporaryDirectory()
        var data: [String] { [root + "/A", root + "/B"] }
        var fingerprints: [String] = []
        var outputs: [[String: Data]] = []
        var manifests: [String] = []

        init() throws {
            let scheme = Scheme.default
            for (k, seed) in [21, 22].enumerated() {
                let d = SyntheticDataset.make(posts: 800, seed: UInt64(seed), scheme: scheme)
                try DatasetExport.write(d, to: data[k])
                fingerprints.append(d.fingerprint)
                let c = try YearComputation(dataset: d, scheme: scheme, year: 2025)
                let run = RunIdentity(datasetFingerprint: d.fingerprint, schemeFingerprint: scheme.fingerprint, year: 2025)
                let o = YearEndOutputs(c, run: run, chineseHeaders: false)
                var files = Dictionary(uniqueKeysWithValues: o.files.map { ($0.name, Data($0.bytes)) })
                files["MANIFEST"] = Data(o.manifest.utf8)
                outputs.append(files)
                manifests.append(o.manifest)
            }
        }

        deinit { try? FileManager.default.removeItem(atPath: root) }
    }

    static let setup = Result { try Setup() }

    /// Starts every command at once in `dir`; waits for all.
    /// - Returns: exit status and stderr of each.
    static func runTogether(_ commands: [[String]], in dir: String) throws -> [(status: Int32, stderr: String)] {
        guard let binary = Binary.url else { throw Binary.BinaryNotFound() }
        var running: [(Process, String)] = []
        for (k, arguments) in commands.enumerated() {
            let errPath = dir + "/.stderr-\(k)"
            guard FileManager.default.createFile(atPath: errPath, contents: nil) else { throw CocoaError(.fileWriteUnknown) }
            let process = Process()
            process.executableURL = binary
            process.arguments = arguments
            process.currentDirectoryURL = URL(fileURLWithPath: dir)
            process.standardOutput = FileHandle.nullDevice
            process.standardError = try FileHandle(forWritingTo: URL(fileURLWithPath: errPath))
            process.standardInput = FileHandle.nullDevice
            running.append((process, errPath))
        }
        for (process, _) in running { try process.run() }
        return running.map { process, errPath in
            process.waitUntilExit()
            let stderr = String(decoding: FileManager.default.contents(atPath: errPath) ?? Data(), as: UTF8.self)
            try? FileManager.default.removeItem(atPath: errPath)
            return (process.terminationStatus, stderr)
        }
    }

    /// Two year-end runs of different datasets into a database neither finds
    /// (both create it, both import), each with its own output folder.
    @Test func twoYearEndsOfDifferentDataOnANewDatabase() throws {
        let setup = try Self.setup.get()
        for round in 0..<Self.rounds {
            let dir = makeTemporaryDirectory()
            defer { try? FileManager.default.removeItem(atPath: dir) }
            let results = try Self.runTogether(
                (0..<2).map { ["yearend", "--data", setup.data[$0], "--year", "2025", "--out", "out\($0)"] }, in: dir)
            for (k, r) in results.enumerated() {
                #expect(r.status == 0, "round \(round), run \(k): \(r.stderr)")
            }
            let state = try DatabaseState.read(dir + "/lianzheng.sqlite")
            #expect(state.integrity == "ok")
            state.snapshotsAreWhole()
            #expect(Set(state.snapshots.map(\.fingerprint)) == Set(setup.fingerprints), "round \(round)")
            #expect(state.runs.count == 2 && state.executions.count == 2)
            // Each run names its own dataset's snapshot and records its own files.
            for run in state.runs {
                let k = try #require(setup.fingerprints.firstIndex(of: run.datasetFingerprint))
                let snapshot = try #require(state.snapshots.first { $0.id == run.snapshotID })
                #expect(snapshot.fingerprint == run.datasetFingerprint)
                let executions = state.executions.filter { $0.runID == run.runID }
                #expect(executions.map(\.manifest) == [setup.manifests[k]])
                #expect(executions.map(\.outDirectory) == ["out\(k)"])
                #expect(folderContents(dir + "/out\(k)") == setup.outputs[k], "round \(round), out\(k)")
            }
        }
    }

    /// The same year-end twice at once: one snapshot, one run, two executions.
    @Test func sameYearEndTwiceAtOnce() throws {
        let setup = try Self.setup.get()
        let dir = makeTemporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let results = try Self.runTogether(
            (0..<2).map { ["yearend", "--data", setup.data[0], "--year", "2025", "--out", "out\($0)"] }, in: dir)
        #expect(results.map(\.status) == [0, 0], "\(results.map(\.stderr))")
        let state = try DatabaseState.read(dir + "/lianzheng.sqlite")
        #expect(state.integrity == "ok")
        #expect(state.snapshots.map(\.fingerprint) == [setup.fingerprints[0]])
        #expect(state.runs.count == 1)
        #expect(state.executions.map(\.manifest) == [setup.manifests[0], setup.manifests[0]])
        for k in 0..<2 { #expect(folderContents(dir + "/out\(k)") == setup.outputs[0]) }
    }

    /// Two year-end runs of different data into one output folder: they take
    /// turns, so the folder ends as one whole run (its MANIFEST matches every
    /// file) — whichever wrote last.
    @Test func twoYearEndsIntoOneFolder() throws {
        let setup = try Self.setup.get()
        for round in 0..<Self.rounds {
            let dir = makeTemporaryDirectory()
            defer { try? FileManager.default.removeItem(atPath: dir) }
            #expect(try Binary.run(["import", "--data", setup.data[0]], in: dir).status == 0)
            let results = try Self.runTogether(
                (0..<2).map { ["yearend", "--data", setup.data[$0], "--year", "2025", "--out", "out"] }, in: dir)
            #expect(results.map(\.status) == [0, 0], "\(results.map(\.stderr))")
            let folder = folderContents(dir + "/out")
            #expect(folder == setup.outputs[0] || folder == setup.outputs[1], "round \(round): a mixed folder")
            #expect(try DatabaseState.read(dir + "/lianzheng.sqlite").integrity == "ok")
        }
    }

    /// A writer holding the database: a year-end run waits for it (the busy
    /// timeout) and then finishes normally.
    @Test func aRunWaitsForAWriterToFinish() throws {
        let setup = try Self.setup.get()
        let dir = makeTemporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        #expect(try Binary.run(["import", "--data", setup.data[0]], in: dir).status == 0)
        let db = try Database(path: dir + "/lianzheng.sqlite")
        try db.execute("BEGIN IMMEDIATE")
        guard let binary = Binary.url else { throw Binary.BinaryNotFound() }
        let process = Process()
        process.executableURL = binary
        process.arguments = ["yearend", "--data", setup.data[1], "--year", "2025", "--out", "out"]
        process.currentDirectoryURL = URL(fileURLWithPath: dir)
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        try process.run()
        usleep(1_500_000)
        #expect(process.isRunning, "the run did not wait for the writer")
        try db.execute("COMMIT")
        process.waitUntilExit()
        #expect(process.terminationStatus == 0)
        let state = try DatabaseState.read(dir + "/lianzheng.sqlite")
        #expect(state.integrity == "ok" && state.snapshots.count == 2 && state.runs.count == 1)
        #expect(folderContents(dir + "/out") == setup.outputs[1])
    }

    /// A writer that does not let go within the 30 s busy timeout: the run
    /// gives up with a clear message, exit 74, the database as it was.
    /// Slow suite only (it waits the 30 s).
    @Test(.enabled(if: slow)) func aRunGivesUpAfterTheBusyTimeout() throws {
        let setup = try Self.setup.get()
        let dir = makeTemporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        #expect(try Binary.run(["import", "--data", setup.data[0]], in: dir).status == 0)
        let before = try DatabaseState.read(dir + "/lianzheng.sqlite")
        let db = try Database(path: dir + "/lianzheng.sqlite")
        try db.execute("BEGIN IMMEDIATE")
        let r = try Binary.run(["yearend", "--data", setup.data[1], "--year", "2025", "--out", "out"], in: dir)
        try db.execute("ROLLBACK")
        #expect(r.status == 74)
        #expect(r.stderrLines.count == 1)
        #expect(r.stderr.contains("数据库正被其他进程使用，等待 30 秒后仍未释放"), "\(r.stderr)")
        #expect(try DatabaseState.read(dir + "/lianzheng.sqlite") == before)
        #expect(!FileManager.default.fileExists(atPath: dir + "/out"))
    }

    /// Imports racing to create the database: every one succeeds and the
    /// database keeps both snapshots (a failing one must never delete a file
    /// another process is writing).
    @Test func importsRacingToCreateTheDatabase() throws {
        let setup = try Self.setup.get()
        for round in 0..<(Self.rounds * 2) {
            let dir = makeTemporaryDirectory()
            defer { try? FileManager.default.removeItem(atPath: dir) }
            let results = try Self.runTogether([0, 1, 0, 1].map { ["import", "--data", setup.data[$0]] }, in: dir)
            #expect(results.map(\.status) == [0, 0, 0, 0], "round \(round): \(results.map(\.stderr))")
            let state = try DatabaseState.read(dir + "/lianzheng.sqlite")
            #expect(state.integrity == "ok")
            state.snapshotsAreWhole()
            #expect(Set(state.snapshots.map(\.fingerprint)) == Set(setup.fingerprints), "round \(round)")
            #expect(state.snapshots.count == 2)
        }
    }
}
