import Foundation

/// The year-end job (SPEC §7) and its reproduction (`verify`).
public enum YearEnd {
    public struct Summary: Sendable {
        public var runID: String
        public var snapshotID: Int64
        public var snapshotReused: Bool
        public var outDirectory: String
        public var computation: YearComputation
        public var warnings: [String]
    }

    /// Imports or reuses the snapshot, computes, writes every file and
    /// records the run and this execution.
    ///
    /// With `--data`, the snapshot is stored (and the dataset fingerprinted)
    /// on other threads while the year is computed and the files rendered;
    /// each file is written under a temporary name as soon as it is
    /// rendered, and renamed into place only once the snapshot is safely
    /// stored, so a failed import still leaves the folder as it was.
    public static func run(
        options: CommonOptions, year: Int, progress: Progress = .silent
    ) throws(LianzhengError) -> Summary {
        let started = Date()
        progress.phase("读取评分方案", 0)
        let (scheme, schemeWarnings) = try Workspace.loadScheme(options.schemePath)
        progress.phase("读取并校验数据", 5)
        let source = try Workspace.open(options, scheme: scheme)
        let out = options.outDirectory ?? "out/\(year)"
        let (computation, identity, outputs): (YearComputation, RunIdentity, YearEndOutputs)
        do {
            (computation, identity) = try compute(source, scheme: scheme, year: year, options: options, progress: progress)
            progress.phase("生成并写出文件", 70)
            var timer = PhaseTimer()
            outputs = try YearEndOutputs.renderAndWrite(
                computation, run: identity, chineseHeaders: options.chineseHeaders, to: out
            ) { () throws(LianzhengError) in
                timer.mark("render and stage outputs")
                progress.phase("保存数据快照", 85)
                _ = try source.snapshot()
                timer.mark("wait for the snapshot")
            }
            timer.mark("publish outputs")
        } catch {
            // Let an import under way finish (or fail) before reporting.
            _ = try? source.snapshot()
            throw error
        }
        let (db, snapshot, reused) = try source.snapshot()
        progress.phase("记录运行", 95)
        let store = try RunStore(db: db)
        try store.record(
            identity: identity, snapshotID: snapshot, scheme: scheme, command: "yearend", startedAt: started,
            threads: options.threads ?? ProcessInfo.processInfo.activeProcessorCount, outDirectory: out,
            chineseHeaders: options.chineseHeaders, manifest: outputs.manifest)
        progress.phase("完成", 100)
        return Summary(
            runID: identity.runID, snapshotID: snapshot, snapshotReused: options.dataDirectory == nil || reused,
            outDirectory: out, computation: computation, warnings: schemeWarnings + source.warnings)
    }

    /// SPEC §4–§6 for the year.
    private static func compute(
        _ source: CommandDataset, scheme: Scheme, year: Int, options: CommonOptions, progress: Progress
    ) throws(LianzhengError) -> (YearComputation, RunIdentity) {
        progress.phase("计算风险分、预警与考核", 40)
        var timer = PhaseTimer()
        let computation = try YearComputation(dataset: source.dataset, scheme: scheme, year: year, threads: options.threads)
            .replacing(dataset: source.fingerprinted())
        let identity = RunIdentity(
            datasetFingerprint: computation.dataset.fingerprint, schemeFingerprint: scheme.fingerprint, year: year)
        timer.mark("compute")
        return (computation, identity)
    }

    /// One file's verdict.
    public struct FileCheck: Sendable, Equatable {
        public var name: String
        public var recorded: String?
        public var recomputed: String?
        public var matches: Bool { recorded != nil && recorded == recomputed }
    }

    /// Recomputes `run` from its stored snapshot and scheme and compares
    /// every file's hash with the recorded MANIFEST; a what-if run is
    /// recomputed against its baseline (`WhatIf.reproduce`).
    public static func verify(dbPath: String, runID: String, threads: Int? = nil) throws(LianzhengError) -> (RunRecord, [FileCheck]) {
        guard FileManager.default.fileExists(atPath: dbPath) else { throw .missingInput("\(dbPath): 数据库不存在") }
        let db = try Database(path: dbPath)
        let record = try RunStore(db: db).find(runID)
        if record.baselineRunID != nil {
            let outputs = try WhatIf.reproduce(record, db: db, threads: threads)
            return (record, checks(recorded: record.manifest, recomputed: outputs.manifest))
        }
        let scheme = try SchemeParser.parse(text: record.schemeJSON, source: "运行 \(record.runID) 的评分方案").scheme
        let dataset = try SnapshotStore(db: db).load(record.snapshotID)
        let computation = try YearComputation(dataset: dataset, scheme: scheme, year: record.year, threads: threads)
        let identity = RunIdentity(
            datasetFingerprint: dataset.computeFingerprint(), schemeFingerprint: scheme.fingerprint,
            programVersion: Version.program, year: record.year)
        let outputs = YearEndOutputs(computation, run: identity, chineseHeaders: record.chineseHeaders)
        return (record, checks(recorded: record.manifest, recomputed: outputs.manifest))
    }

    /// Every file named in either manifest, with both hashes, by name.
    static func checks(recorded: String, recomputed: String) -> [FileCheck] {
        let recorded = parseManifest(recorded)
        let recomputed = parseManifest(recomputed)
        let names = Set(recorded.keys).union(recomputed.keys).sorted { utf8Precedes($0, $1) }
        return names.map { FileCheck(name: $0, recorded: recorded[$0], recomputed: recomputed[$0]) }
    }
}

/// Phase-and-percent progress on stderr, only when stderr is a terminal.
public struct Progress: Sendable {
    let enabled: Bool

    public static let silent = Progress(enabled: false)

    /// Enabled when stderr is a terminal and not `quiet`.
    public static func terminal(quiet: Bool) -> Progress {
        Progress(enabled: !quiet && isatty(2) == 1)
    }

    public func phase(_ name: String, _ percent: Int) {
        guard enabled else { return }
        FileHandle.standardError.write(Data("\r\u{1B}[K[\(percent)%] \(name)".utf8))
        if percent >= 100 { FileHandle.standardError.write(Data("\n".utf8)) }
    }
}
