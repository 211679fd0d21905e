import Foundation
import LianzhengKit
import Testing

#if canImport(Glibc)
    import Glibc
#endif

/// `import` and `yearend` killed with SIGKILL at random moments: the
/// database stays intact (`PRAGMA integrity_check`), every earlier snapshot,
/// run and execution is as it was, a new snapshot or run is whole or absent,
/// and the output folder never shows a partial file under a real name.
///
/// Each trial starts from a database holding dataset A (snapshot 1) and its
/// year-end run, whose outputs fill the output folder; the killed command
/// works on dataset B (a different seed). After the kill the same command is
/// run to completion, which must give exactly what a clean run gives.
///
/// Three trials per command in the default suite (one of each kind of
/// moment below); 50 per command when
/// LIANZHENG_SLOW_TESTS=1. LIANZHENG_CRASH_SEED repeats a sequence of kill
/// moments (the seed is printed).
@Suite(.serialized) struct CrashSafetyTests {
    static let slow = ProcessInfo.processInfo.environment["LIANZHENG_SLOW_TESTS"] == "1"
    static let trials = slow ? 50 : 3
    /// About one second of work for the debug binary on this machine.
    static let posts = 3000

    /// Two datasets, the base database (A imported, its year-end run
    /// recorded into `outA`) and what clean runs on B give.
    final class Setup: @unchecked Sendable {
        let root = makeTemporaryDirectory()
        var dataA: String { root + "/A" }
        var dataB: String { root + "/B" }
        var baseDB: String { root + "/base/lianzheng.sqlite" }
        var outA: String { root + "/base/outA" }
        var fingerprintB = ""
        var cleanOutputsB: [String: Data] = [:]
        var cleanManifestB = ""
        var seconds: [String: Double] = [:]

        init() throws {
            let scheme = Scheme.default
            let a = SyntheticDataset.make(posts: CrashSafetyTests.posts, seed: 11, scheme: scheme)
            let b = SyntheticDataset.make(posts: CrashSafetyTests.posts, seed: 12, scheme: scheme)
            fingerprintB = b.fingerprint
            try DatasetExport.write(a, to: dataA)
            try DatasetExport.write(b, to: dataB)
            try FileManager.default.createDirectory(atPath: root + "/base", withIntermediateDirectories: true)
            let made = try Binary.run(["yearend", "--data", dataA, "--year", "2025", "--db", baseDB, "--out", outA], in: root)
            guard made.status == 0 else { throw SetupFailed(message: made.stderr) }

            // Clean runs on B from the base state: the expected results and durations.
            for command in ["import", "yearend"] {
                let dir = root + "/clean-\(command)"
                try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
                try copyDatabase(baseDB, to: dir + "/lianzheng.sqlite")
                let started = Date()
                let r = try Binary.run(CrashSafetyTests.arguments(command, data: dataB, db: dir + "/lianzheng.sqlite", out: dir + "/out"), in: dir)
                seconds[command] = Date().timeIntervalSince(started)
                guard r.status == 0 else { throw SetupFailed(message: r.stderr) }
                if command == "yearend" {
                    cleanOutputsB = folderContents(dir + "/out")
                    cleanManifestB = String(decoding: cleanOutputsB["MANIFEST"] ?? Data(), as: UTF8.self)
                }
            }
        }

        deinit { try? FileManager.default.removeItem(atPath: root) }
    }

    struct SetupFailed: Error {
        var message: String
    }

    static let setup = Result { try Setup() }

    static func arguments(_ command: String, data: String, db: String, out: String) -> [String] {
        command == "import"
            ? ["import", "--data", data, "--db", db]
            : ["yearend", "--data", data, "--year", "2025", "--db", db, "--out", out]
    }

    /// What happened in the trials of one command, for the report.
    struct Tally: CustomStringConvertible {
        var trials = 0
        var killed = 0
        var finishedFirst = 0
        var newSnapshotPresent = 0
        var newRunPresent = 0
        var outputsMixed = 0
        var outputsReplaced = 0
        var temporaryFilesLeft = 0
        var description: String {
            "\(trials) trials: \(killed) killed mid-way, \(finishedFirst) finished before the kill; "
                + "after the kill \(newSnapshotPresent) had the new snapshot, \(newRunPresent) the new run, "
                + "\(outputsMixed) an output folder part A's, part B's (no MANIFEST), \(outputsReplaced) B's whole; "
                + "\(temporaryFilesLeft) temporary files left"
        }
    }

    @Test(arguments: ["import", "yearend"])
    func killedAtRandomMoments(command: String) throws {
        let setup = try Self.setup.get()
        let seed = ProcessInfo.processInfo.environment["LIANZHENG_CRASH_SEED"].flatMap(UInt64.init)
            ?? UInt64.random(in: 1...UInt64.max)
        var random = SeededRandom(seed: seed)
        // The clean run's time, lowered to that of any trial that finished
        // before its kill (the machine may have been busier then).
        var duration = setup.seconds[command]!
        let baseState = try DatabaseState.read(setup.baseDB)
        var tally = Tally()
        for trial in 0..<Self.trials {
            // Uniform over the whole run (trials 0, 3, 6 …), over its second
            // half, where the snapshot is committed, the outputs written and
            // the run recorded (1, 4, 7 …); for yearend, a few milliseconds
            // into the writing of the outputs, which takes a hundredth of
            // the run and would hardly ever be hit otherwise (2, 5, 8 …).
            let uniform = Double(random.next() >> 11) / Double(1 << 53)
            let kill: KillMoment
            switch trial % 3 {
            case 0: kill = .after(duration * 1.05 * uniform)
            case 1: kill = .after(duration * (0.5 + 0.55 * uniform))
            default: kill = command == "yearend" ? .intoWriting(0.015 * uniform) : .after(duration * 1.05 * uniform)
            }
            let label = "\(command) trial \(trial), seed \(seed), kill \(kill) (run ~\(Int(duration * 1000)) ms)"
            if let finishedIn = try runTrial(setup, command: command, kill: kill, base: baseState, tally: &tally, label: label) {
                duration = min(duration, finishedIn)
            }
        }
        print("crash safety, \(command) (seed \(seed), clean run \(Int(duration * 1000)) ms): \(tally)")
        #expect(tally.trials == Self.trials)
    }

    /// `import` into a database that does not exist yet (built privately,
    /// published with link), killed at random moments: afterwards there is
    /// no database file, or a whole one holding B's snapshot; the next
    /// import succeeds and removes the build the killed one left.
    @Test func importIntoANewDatabaseKilled() throws {
        let setup = try Self.setup.get()
        let seed = ProcessInfo.processInfo.environment["LIANZHENG_CRASH_SEED"].flatMap(UInt64.init)
            ?? UInt64.random(in: 1...UInt64.max)
        var random = SeededRandom(seed: seed)
        let duration = setup.seconds["import"]!
        var published = 0
        var buildsLeft = 0
        for trial in 0..<Self.trials {
            let label = "new-database import trial \(trial), seed \(seed)"
            let dir = makeTemporaryDirectory()
            defer { try? FileManager.default.removeItem(atPath: dir) }
            let db = dir + "/lianzheng.sqlite"
            let process = Process()
            guard let binary = Binary.url else { throw Binary.BinaryNotFound() }
            process.executableURL = binary
            process.arguments = ["import", "--data", setup.dataB, "--db", db]
            process.standardOutput = FileHandle.nullDevice
            process.standardError = FileHandle.nullDevice
            try process.run()
            usleep(UInt32(duration * 1.05 * Double(random.next() >> 11) / Double(1 << 53) * 1_000_000))
            kill(process.processIdentifier, SIGKILL)
            process.waitUntilExit()
            let builds = { ((try? FileManager.default.contentsOfDirectory(atPath: dir)) ?? []).filter { $0.contains(".import-") } }
            buildsLeft += builds().isEmpty ? 0 : 1
            if FileManager.default.fileExists(atPath: db) {
                published += 1
                let state = try DatabaseState.read(db)
                #expect(state.integrity == "ok", "\(label)")
                #expect(state.snapshots.map(\.fingerprint) == [setup.fingerprintB], "\(label)")
            }
            let again = try Binary.run(["import", "--data", setup.dataB, "--db", db], in: dir)
            #expect(again.status == 0, "\(label): \(again.stderr)")
            #expect(builds().isEmpty, "\(label): a build file is left")
            let state = try DatabaseState.read(db)
            #expect(state.integrity == "ok" && state.snapshots.map(\.fingerprint) == [setup.fingerprintB], "\(label)")
        }
        print("crash safety, import into a new database (seed \(seed)): \(Self.trials) trials, "
            + "\(published) published before the kill, \(buildsLeft) left a build file (removed by the next import)")
    }

    /// When a trial kills its command.
    enum KillMoment: CustomStringConvertible {
        /// That many seconds after the start.
        case after(Double)
        /// That many seconds after the output folder first changes (its old
        /// MANIFEST removed or a temporary file created).
        case intoWriting(Double)

        var description: String {
            switch self {
            case .after(let s): "after \(Int(s * 1000)) ms"
            case .intoWriting(let s): "\(Int(s * 1000)) ms into writing the outputs"
            }
        }
    }

    /// - Returns: how long the command ran when it finished before the kill.
    @discardableResult
    func runTrial(
        _ setup: Setup, command: String, kill moment: KillMoment, base: DatabaseState, tally: inout Tally, label: String
    ) throws -> Double? {
        let dir = makeTemporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let db = dir + "/lianzheng.sqlite"
        let out = dir + "/out"
        try copyDatabase(setup.baseDB, to: db)
        try FileManager.default.copyItem(atPath: setup.outA, toPath: out)
        let outputsA = folderContents(out)

        let process = Process()
        guard let binary = Binary.url else { throw Binary.BinaryNotFound() }
        process.executableURL = binary
        process.arguments = Self.arguments(command, data: setup.dataB, db: db, out: out)
        process.currentDirectoryURL = URL(fileURLWithPath: dir)
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        process.standardInput = FileHandle.nullDevice
        let started = Date()
        try process.run()
        // Wait in steps, noting when the command ends on its own.
        var finishedIn: Double? = nil
        switch moment {
        case .after(let seconds):
            while Date().timeIntervalSince(started) < seconds {
                if !process.isRunning {
                    finishedIn = Date().timeIntervalSince(started)
                    break
                }
                usleep(2000)
            }
        case .intoWriting(let seconds):
            while process.isRunning {
                let names = (try? FileManager.default.contentsOfDirectory(atPath: out)) ?? []
                if !names.contains("MANIFEST") || names.contains(where: isTemporaryOutputName) { break }
                usleep(200)
            }
            usleep(UInt32(seconds * 1_000_000))
            if !process.isRunning { finishedIn = Date().timeIntervalSince(started) }
        }
        kill(process.processIdentifier, SIGKILL)
        process.waitUntilExit()
        tally.trials += 1
        if process.terminationReason == .uncaughtSignal {
            tally.killed += 1
        } else {
            #expect(process.terminationStatus == 0, "\(label): exit \(process.terminationStatus)")
            tally.finishedFirst += 1
        }

        // The database: intact, everything earlier unchanged, anything new whole.
        let after = try DatabaseState.read(db, loadingFrom: base.snapshots.count)
        #expect(after.integrity == "ok", "\(label)")
        after.keepsEverything(of: base)
        after.snapshotsAreWhole()
        let newSnapshots = after.snapshots.dropFirst(base.snapshots.count)
        #expect(newSnapshots.count <= 1, "\(label)")
        for s in newSnapshots {
            #expect(s.fingerprint == setup.fingerprintB, "\(label)")
            tally.newSnapshotPresent += 1
        }
        let newExecutions = after.executions.dropFirst(base.executions.count)
        #expect(newExecutions.count <= (command == "yearend" ? 1 : 0), "\(label)")
        for e in newExecutions {
            #expect(e.manifest == setup.cleanManifestB, "\(label): recorded manifest")
            tally.newRunPresent += 1
        }

        // The output folder: every file under a real name is whole — A's
        // (the earlier run) or B's (a clean run of the killed command);
        // when a MANIFEST stands, it describes the files beside it.
        var fromA = 0
        var fromB = 0
        for (name, bytes) in folderContents(out) {
            if isTemporaryOutputName(name) {
                tally.temporaryFilesLeft += 1
                continue
            }
            #expect(bytes == outputsA[name] || bytes == setup.cleanOutputsB[name], "\(label): \(name) is neither A's nor B's")
            if outputsA[name] == setup.cleanOutputsB[name] { continue }  // the same in both runs
            if bytes == setup.cleanOutputsB[name] { fromB += 1 } else { fromA += 1 }
        }
        if fromB > 0 { if fromA > 0 { tally.outputsMixed += 1 } else { tally.outputsReplaced += 1 } }
        if let manifest = FileManager.default.contents(atPath: out + "/MANIFEST") {
            let listed = parseManifest(String(decoding: manifest, as: UTF8.self))
            for (name, hash) in listed {
                let bytes = try #require(FileManager.default.contents(atPath: out + "/" + name), "\(label): \(name) listed, absent")
                #expect(SHA256.hex(of: [UInt8](bytes)) == hash, "\(label): \(name) does not match MANIFEST")
            }
        }

        // Running the command again completes and gives the clean result.
        let again = try Binary.run(Self.arguments(command, data: setup.dataB, db: db, out: out), in: dir)
        #expect(again.status == 0, "\(label): rerun: \(again.stderr)")
        let final = try DatabaseState.read(db, loadingFrom: base.snapshots.count)
        #expect(final.integrity == "ok")
        final.keepsEverything(of: after)
        final.snapshotsAreWhole()
        #expect(final.snapshots.count == base.snapshots.count + 1, "\(label)")
        if command == "yearend" {
            let outputs = folderContents(out).filter { !isTemporaryOutputName($0.key) }
            #expect(outputs == setup.cleanOutputsB, "\(label): outputs after the rerun")
        }
        return finishedIn
    }
}
