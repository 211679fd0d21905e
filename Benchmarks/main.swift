// Lianzheng benchmarks: release-only, data generated from a seed, every
// timed result checked against a straightforward implementation.
//
//   swift run -c release LianzhengBenchmarks [kernel|flags|whatif|import|e2e|all] [--posts N] [--runs R]
//
// Results go to BENCHMARKS.md by hand, with the machine and the command.
import Foundation
import LianzhengKit

#if canImport(Glibc)
    import Glibc
#endif

struct Options {
    var what = "all"
    var posts = 1_000_000
    var runs = 5
    var seed: UInt64 = 20251231

    init() {
        var args = Array(CommandLine.arguments.dropFirst())
        if let first = args.first, !first.hasPrefix("--") { what = first; args.removeFirst() }
        var i = 0
        while i + 1 < args.count {
            switch args[i] {
            case "--posts": posts = Int(args[i + 1]) ?? posts
            case "--runs": runs = Int(args[i + 1]) ?? runs
            case "--seed": seed = UInt64(args[i + 1]) ?? seed
            default: break
            }
            i += 2
        }
    }
}

func now() -> Double {
    var t = timespec()
    clock_gettime(CLOCK_MONOTONIC, &t)
    return Double(t.tv_sec) + Double(t.tv_nsec) / 1e9
}

func time<R>(_ body: () throws -> R) rethrows -> (R, Double) {
    let start = now()
    let r = try body()
    return (r, now() - start)
}

func median(_ xs: [Double]) -> Double {
    let s = xs.sorted()
    return s.count % 2 == 1 ? s[s.count / 2] : (s[s.count / 2 - 1] + s[s.count / 2]) / 2
}

/// Peak resident memory of this process, MiB.
func peakMiB() -> Double {
    var u = rusage()
    getrusage(RUSAGE_SELF.rawValue, &u)
    return Double(u.ru_maxrss) / 1024
}

func fail(_ message: String) -> Never {
    FileHandle.standardError.write(Data(("CHECK FAILED: " + message + "\n").utf8))
    exit(1)
}

/// SPEC §4 written out directly — no tables, no pruning — for checking.
func referenceScore(_ d: Dataset, _ s: Scheme, post p: Int, year: Int) -> (Double, Double, Double, Int64) {
    let r = s.risk
    let asOf = Int(CivilDate.endOfYear(year))
    var P = 0.0
    var D = 0.0
    for i in Int(d.powers.start[p])..<Int(d.powers.start[p + 1]) {
        let w = r.powerKinds[r.powerKindIndex(d.powers.kind[i])!].weight
        let a = min(1, log(1.0 + d.powers.amount[i]) / log(1.0 + r.amountCap))
        let f = min(1, log(1.0 + Double(d.powers.annualCount[i])) / log(1.0 + r.countCap))
        P = max(P, w * (0.5 + 0.25 * a + 0.25 * f))
        D = max(D, Double(d.powers.discretion[i]) / 4)
    }
    if d.posts.keyDecisions[p] { P = max(P, r.keyDecisionsFloor) }
    var hraw = 0.0
    for j in Int(d.incidents.start[p])..<Int(d.incidents.start[p + 1]) {
        let days = asOf - Int(d.incidents.date[j])
        let age = Double(days) / 365.25
        if days < 0 || age > r.windowYears { continue }
        let k = r.incidentKinds[r.incidentKindIndex(d.incidents.kind[j])!].weight
        hraw += k * r.statusFactors[Int(d.incidents.status[j])] * pow(0.5, age / r.halfLifeYears)
    }
    let H = 1 - exp(-hraw / r.historyScale)
    let S = ((r.weightPower * P + r.weightDiscretion * D) + r.weightHistory * H) * 100
    return (P, D, hraw, Int64((S * 100 + 0.5).rounded(.down)))
}

func check(_ result: RiskResult, _ d: Dataset, _ s: Scheme, year: Int) {
    var p = 0
    while p < d.posts.count {
        let (P, D, hraw, score) = referenceScore(d, s, post: p, year: year)
        if result.power[p] != P || result.discretion[p] != D || result.historyRaw[p] != hraw || result.score[p] != score {
            fail("post \(d.posts.id[p]): kernel (\(result.power[p]), \(result.discretion[p]), \(result.historyRaw[p]), \(result.score[p])) vs reference (\(P), \(D), \(hraw), \(score))")
        }
        p += 97
    }
}

let options = Options()

if options.what == "sha256" {
    // SHA-256 throughput on 256 MB, checked against coreutils sha256sum.
    var bytes = [UInt8](repeating: 0, count: 256 << 20)
    var rng = SeededRandom(seed: 1)
    for i in stride(from: 0, to: bytes.count, by: 8) {
        withUnsafeBytes(of: rng.next()) { raw in for k in 0..<8 { bytes[i + k] = raw[k] } }
    }
    let (digest, seconds) = time { SHA256.hex(of: bytes) }
    print(String(format: "sha256: %.0f MB/s", Double(bytes.count) / seconds / 1e6))
    let path = NSTemporaryDirectory() + "lianzheng-sha-\(getpid())"
    _ = FileManager.default.createFile(atPath: path, contents: Data(bytes))
    let p = Process()
    p.executableURL = URL(fileURLWithPath: "/usr/bin/sha256sum")
    p.arguments = [path]
    let pipe = Pipe()
    p.standardOutput = pipe
    try p.run()
    p.waitUntilExit()
    let expected = String(decoding: pipe.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self).prefix(64)
    try? FileManager.default.removeItem(atPath: path)
    if digest != expected { fail("sha256 differs from sha256sum") }
    exit(0)
}
let scheme = SchemeParser.defaultScheme
let cores = ProcessInfo.processInfo.activeProcessorCount
print("# Lianzheng benchmarks — \(options.posts) posts, seed \(options.seed), \(cores) cores")

let (dataset, generateSeconds) = time { SyntheticDataset.make(posts: options.posts, seed: options.seed, scheme: scheme) }
let rows = dataset.units.count + dataset.posts.count + dataset.powers.count + dataset.incidents.count
    + dataset.assessments.count + dataset.adjustments.count
print("generated: \(dataset.posts.count) posts, \(dataset.powers.count) powers, \(dataset.incidents.count) incidents, \(rows) rows in all (\(String(format: "%.2f", generateSeconds)) s)")

if options.what == "export" {
    // Writes the generated dataset as a CSV folder for profiling by hand.
    let dir = CommandLine.arguments.last!
    try DatasetExport.write(dataset, to: dir)
    print("wrote \(dir)")
    exit(0)
}

if options.what == "kernel" || options.what == "all" {
    let (input, prepare) = try time { try RiskInput(dataset: dataset, scheme: scheme) }
    print(String(format: "kernel input (resolve kinds): %.1f ms", prepare * 1000))
    for withPrevious in [false, true] {
        let kernel = RiskKernel(scheme: scheme, year: 2025, withPreviousYear: withPrevious)
        for threads in Set([1, cores]).sorted() {
            var times: [Double] = []
            var last: RiskResult? = nil
            for _ in 0..<options.runs {
                let (r, t) = time { kernel.run(input, threads: threads) }
                times.append(t)
                if let last, last != r { fail("results differ between runs") }
                last = r
            }
            check(last!, dataset, scheme, year: 2025)
            let m = median(times)
            print(String(format: "kernel%@ threads=%d: median %.1f ms of %d runs, %.1f ns/post",
                withPrevious ? " (+ previous year)" : "", threads, m * 1000, options.runs, m * 1e9 / Double(dataset.posts.count)))
        }
    }
}

if options.what == "flags" || options.what == "all" {
    try benchmarkFlags(dataset, scheme, runs: options.runs, cores: cores)
}

if options.what == "whatif" || options.what == "all" {
    try benchmarkWhatIf(dataset, scheme, runs: options.runs, cores: cores)
}

if options.what == "import" || options.what == "e2e" || options.what == "all" {
    let dir = NSTemporaryDirectory() + "lianzheng-bench-\(getpid())"
    let db = dir + "/bench.sqlite"
    try DatasetExport.write(dataset, to: dir + "/data")
    let bytes = try FileManager.default.contentsOfDirectory(atPath: dir + "/data").reduce(0) { sum, name in
        sum + ((try? FileManager.default.attributesOfItem(atPath: dir + "/data/" + name)[.size] as? Int) ?? 0)
    }
    print(String(format: "CSV folder: %.0f MB", Double(bytes) / 1e6))
    let (read, readSeconds) = try time { try DatasetReader(directory: dir + "/data", scheme: scheme).read() }
    if read.fingerprint != dataset.fingerprint { fail("CSV round trip changed the fingerprint") }
    print(String(format: "parse + validate + canonicalise CSV: %.2f s (%.2f M rows/s)", readSeconds, Double(rows) / readSeconds / 1e6))
    let (stored, storeSeconds) = try time { try Workspace.importDataset(directory: dir + "/data", encoding: .auto, scheme: scheme, dbPath: db) }
    print(String(format: "import into a fresh database (parse + store): %.2f s, %.2f M rows/s overall", storeSeconds, Double(rows) / storeSeconds / 1e6))
    let sqliteBytes = (try? FileManager.default.attributesOfItem(atPath: db)[.size] as? Int) ?? 0
    print(String(format: "database size: %.0f MB", Double(sqliteBytes) / 1e6))
    let database = try Database(path: db)
    let store = try SnapshotStore(db: database)
    let (loaded, loadSeconds) = try time { try store.load(stored.snapshot) }
    if loaded.computeFingerprint() != dataset.fingerprint { fail("snapshot load changed the data") }
    print(String(format: "load snapshot from SQLite: %.2f s", loadSeconds))
    print(String(format: "peak memory of this process so far: %.0f MiB", peakMiB()))

    if options.what != "import" {
        let binary = URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent().appendingPathComponent("lianzheng").path
        /// Runs the CLI; returns its wall time and its own peak RSS in MiB
        /// (nan without /usr/bin/time). The peak is what `/usr/bin/time`
        /// reports: a child spawned from this large process would carry this
        /// process's size as its high-water mark across exec, so rusage from
        /// here overstates it; `time` is small when it forks the CLI.
        func runCLI(_ args: [String]) -> (seconds: Double, peakMiB: Double) {
            let timeTool = "/usr/bin/time"
            let report = dir + "/time-report.txt"
            let useTime = FileManager.default.isExecutableFile(atPath: timeTool)
            let command = useTime ? [timeTool, "-f", "%M", "-o", report, binary] + args : [binary] + args
            let start = now()
            var pid: pid_t = 0
            let argv = command.map { strdup($0) } + [nil]
            defer { argv.forEach { free($0) } }
            var actions = posix_spawn_file_actions_t()
            posix_spawn_file_actions_init(&actions)
            posix_spawn_file_actions_addopen(&actions, 1, "/dev/null", O_WRONLY, 0)
            defer { posix_spawn_file_actions_destroy(&actions) }
            guard posix_spawn(&pid, command[0], &actions, nil, argv, environ) == 0 else { fail("cannot start \(command[0])") }
            var status: Int32 = 0
            _ = waitpid(pid, &status, 0)
            let seconds = now() - start
            if status != 0 { fail("\(args.joined(separator: " ")) exited with status \(status)") }
            let kilobytes = useTime ? (try? String(contentsOfFile: report, encoding: .utf8)).flatMap { Double($0.trimmingCharacters(in: .whitespacesAndNewlines)) } : nil
            return (seconds, (kilobytes ?? .nan) / 1024)
        }
        let fresh = dir + "/e2e.sqlite"
        let e2e = runCLI(["score", "--data", dir + "/data", "--year", "2025", "--db", fresh, "--out", dir + "/out"])
        print(String(format: "end to end, CSV folder → posts.csv (fresh database): %.2f s, peak %.0f MiB", e2e.seconds, e2e.peakMiB))
        let reused = runCLI(["score", "--data", dir + "/data", "--year", "2025", "--db", fresh, "--out", dir + "/out2"])
        print(String(format: "end to end, CSV folder → posts.csv (snapshot reused): %.2f s, peak %.0f MiB", reused.seconds, reused.peakMiB))
        let fromSnapshot = runCLI(["score", "--year", "2025", "--db", fresh, "--out", dir + "/out3"])
        print(String(format: "snapshot → posts.csv: %.2f s, peak %.0f MiB", fromSnapshot.seconds, fromSnapshot.peakMiB))
        let yearendFresh = runCLI(["yearend", "--data", dir + "/data", "--year", "2025", "--db", dir + "/ye.sqlite", "--out", dir + "/ye1", "--quiet"])
        print(String(format: "yearend, fresh database (import + everything): %.2f s, peak %.0f MiB", yearendFresh.seconds, yearendFresh.peakMiB))
        let yearendReused = runCLI(["yearend", "--data", dir + "/data", "--year", "2025", "--db", dir + "/ye.sqlite", "--out", dir + "/ye2", "--quiet"])
        print(String(format: "yearend, snapshot reused (same CSV folder): %.2f s, peak %.0f MiB", yearendReused.seconds, yearendReused.peakMiB))
        let yearendSnapshot = runCLI(["yearend", "--year", "2025", "--db", dir + "/ye.sqlite", "--out", dir + "/ye3", "--quiet"])
        print(String(format: "yearend from the stored snapshot (no --data): %.2f s, peak %.0f MiB", yearendSnapshot.seconds, yearendSnapshot.peakMiB))
        for name in ["posts.csv", "scorecards.json", "MANIFEST"] {
            let x = try Data(contentsOf: URL(fileURLWithPath: dir + "/ye1/" + name))
            let y = try Data(contentsOf: URL(fileURLWithPath: dir + "/ye3/" + name))
            if x != y { fail("\(name) differs between yearend runs") }
        }
        let a = try Data(contentsOf: URL(fileURLWithPath: dir + "/out/posts.csv"))
        let b = try Data(contentsOf: URL(fileURLWithPath: dir + "/out3/posts.csv"))
        if a != b { fail("posts.csv differs between CSV and snapshot runs") }
    }
    try? FileManager.default.removeItem(atPath: dir)
}
