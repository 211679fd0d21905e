import Dispatch
import Foundation

/// 测算 (SPEC §8 `whatif`): re-grades a recorded baseline run under an
/// alternative scheme without touching it — its files, its run row and its
/// executions stay as they were — and records the alternative as a run of
/// its own, with the baseline's id, its scheme and its fingerprint, so that
/// the comparison can be reproduced (`verify`).
public enum WhatIf {
    /// What `lianzheng whatif` was asked.
    public struct Request: Sendable {
        /// The database holding the baseline (default `lianzheng.sqlite`).
        public var dbPath = "lianzheng.sqlite"
        /// Y; may be omitted when `baselineRunID` is given.
        public var year: Int?
        /// The baseline run (an id or an unambiguous prefix); default: the
        /// latest year-end run of Y.
        public var baselineRunID: String?
        /// A scheme file to start from instead of the baseline's scheme.
        public var schemePath: String?
        /// `--set` edits, applied in order.
        public var edits: [SchemeSetting] = []
        /// Default `out/Y/whatif-<first 8 hex digits of the alternative scheme's fingerprint>`.
        public var outDirectory: String?
        /// Worker threads (default: every core); the result does not depend on it.
        public var threads: Int?
        /// whatif.csv with Chinese headers.
        public var chineseHeaders = false

        /// The defaults; set at least `year` (or `baselineRunID`) and a scheme or an edit.
        public init() {}
    }

    /// What a what-if did.
    public struct Summary: Sendable {
        /// The what-if run's id.
        public var runID: String
        /// The run compared against.
        public var baseline: RunRecord
        /// Where whatif.csv and whatif.html were written.
        public var outDirectory: String
        /// The comparison itself.
        public var comparison: WhatIfComparison
        /// The files and the text.
        public var outputs: WhatIfOutputs
        /// Scheme warnings (unknown keys of a scheme file).
        public var warnings: [String]
    }

    /// Finds the baseline, builds and validates the alternative scheme,
    /// compares, writes whatif.csv and whatif.html, and records the what-if run.
    /// - Throws: `.usage` without `--scheme` or `--set`, or when `--year`
    ///   contradicts the baseline; `.missingInput` without a database or a
    ///   baseline; `.invalidScheme` (65) for a bad scheme or `--set`.
    public static func run(_ request: Request, progress: Progress = .silent) throws(LianzhengError) -> Summary {
        let started = Date()
        guard request.schemePath != nil || !request.edits.isEmpty else {
            throw .usage("请用 --scheme FILE 或 --set PATH=VALUE 给出测算方案 (nothing to compare)")
        }
        guard FileManager.default.fileExists(atPath: request.dbPath) else {
            throw .missingInput("\(request.dbPath): 数据库不存在；请先运行 lianzheng yearend (no database)")
        }
        progress.phase("查找基准运行", 0)
        var timer = PhaseTimer()
        let db = try Database(path: request.dbPath)
        let runs = try RunStore(db: db)
        let baseline = try findBaseline(in: runs, request)
        let baselineScheme = try storedScheme(of: baseline)
        let (alternative, warnings) = try alternativeScheme(baseline: baseline, request)
        timer.mark("baseline and schemes")
        progress.phase("读取快照", 10)
        let dataset = try SnapshotStore(db: db).load(baseline.snapshotID)
        timer.mark("load snapshot")
        progress.phase("计算基准与测算结果", 40)
        let comparison = try compare(
            dataset: dataset, baseline: baselineScheme, alternative: alternative, year: baseline.year,
            threads: request.threads)
        timer.mark("compute and compare")
        progress.phase("生成输出", 80)
        let identity = identity(of: baseline, alternative: alternative)
        let outputs = WhatIfOutputs(comparison, run: identity, chineseHeaders: request.chineseHeaders)
        timer.mark("render")
        let out = request.outDirectory ?? "out/\(baseline.year)/whatif-\(alternative.fingerprint.prefix(8))"
        progress.phase("写出文件", 90)
        try outputs.write(to: out)
        try runs.record(
            identity: identity, snapshotID: baseline.snapshotID, scheme: alternative, command: "whatif",
            startedAt: started, threads: request.threads ?? ProcessInfo.processInfo.activeProcessorCount,
            outDirectory: out, chineseHeaders: request.chineseHeaders, manifest: outputs.manifest,
            baselineRunID: baseline.runID)
        timer.mark("write and record")
        progress.phase("完成", 100)
        return Summary(
            runID: identity.runID, baseline: baseline, outDirectory: out, comparison: comparison, outputs: outputs,
            warnings: warnings)
    }

    /// The baseline run and the alternative under `alternative`, compared:
    /// the baseline computed in full, the alternative reusing what the
    /// scheme change cannot touch (`ReusableParts`).
    ///
    /// The kernel side (scores, levels, flags) and the assessment side of
    /// both schemes depend on each other nowhere, so the two chains run side
    /// by side — the assessment is one sequential pass, the kernel uses every
    /// core — unless `threads` is 1. Each part is computed alone and is the
    /// same whatever the thread count.
    /// - Complexity: one year's computation, plus the parts the change
    ///   touches, plus O(posts + subjects) for the comparison.
    public static func compare(
        dataset: Dataset, baseline: Scheme, alternative: Scheme, year: Int, threads: Int? = nil
    ) throws(LianzhengError) -> WhatIfComparison {
        let parts = ReusableParts(from: baseline, to: alternative)
        let riskSide = Slot<Result<(RiskParts, RiskParts), LianzhengError>>()
        let assessmentSide = Slot<(AssessmentOutcome, AssessmentOutcome)>()
        let chains: [@Sendable () -> Void] = [
            {
                riskSide.value = Result { () throws(LianzhengError) -> (RiskParts, RiskParts) in
                    var base = try RiskParts(dataset: dataset, scheme: baseline, year: year, threads: threads)
                    let alt = try RiskParts(
                        reusing: base, parts, baseScheme: baseline, dataset: dataset, scheme: alternative, year: year,
                        threads: threads)
                    base.input = nil
                    return (base, alt)
                }
            },
            {
                let base = AssessmentEngine.compute(dataset: dataset, scheme: baseline, year: year)
                assessmentSide.value = (base, base.reused(parts, scheme: alternative))
            },
        ]
        if threads == 1 {
            for chain in chains { chain() }
        } else {
            DispatchQueue.concurrentPerform(iterations: chains.count) { chains[$0]() }
        }
        let (baseRisk, altRisk) = try riskSide.value!.get()
        let (baseAssessment, altAssessment) = assessmentSide.value!
        return WhatIfComparison(
            baseline: YearComputation(dataset: dataset, scheme: baseline, year: year, risk: baseRisk, assessment: baseAssessment),
            alternative: YearComputation(
                dataset: dataset, scheme: alternative, year: year, risk: altRisk, assessment: altAssessment))
    }

    /// The what-if run's identity: the baseline's dataset and year, the
    /// alternative scheme, and the baseline's id.
    static func identity(of baseline: RunRecord, alternative: Scheme) -> RunIdentity {
        RunIdentity(
            datasetFingerprint: baseline.datasetFingerprint, schemeFingerprint: alternative.fingerprint,
            year: baseline.year, baselineRunID: baseline.runID)
    }

    static func findBaseline(in runs: RunStore, _ request: Request) throws(LianzhengError) -> RunRecord {
        if let id = request.baselineRunID {
            let record = try runs.find(id)
            if let year = request.year, year != record.year {
                throw .usage("基准运行 \(record.runID) 是 \(record.year) 年的运行，与 --year \(year) 不符")
            }
            return record
        }
        guard let year = request.year else { throw .usage("缺少必需选项 --year（或用 --baseline 指定基准运行）") }
        guard let record = try runs.latest(year: year) else {
            throw .missingInput("数据库中没有 \(year) 年的运行；请先运行 lianzheng yearend --year \(year) (no baseline run)")
        }
        return record
    }

    /// The scheme a run was computed with, from its stored canonical JSON.
    static func storedScheme(of run: RunRecord) throws(LianzhengError) -> Scheme {
        try SchemeParser.parse(text: run.schemeJSON, source: "运行 \(run.runID) 的评分方案").scheme
    }

    /// `--scheme FILE` (else the baseline's scheme) with every `--set` applied.
    static func alternativeScheme(baseline: RunRecord, _ request: Request) throws(LianzhengError) -> SchemeParser.Result {
        if let path = request.schemePath {
            return try AlternativeScheme.make(from: SchemeParser.readFile(path), source: path, edits: request.edits)
        }
        return try AlternativeScheme.make(
            from: Array(baseline.schemeJSON.utf8), source: "运行 \(baseline.runID) 的评分方案", edits: request.edits)
    }

    /// Recomputes a recorded what-if run from its baseline's snapshot and
    /// scheme and its own scheme: the files it wrote, byte for byte.
    /// - Throws: `.missingInput` when the baseline run is gone.
    public static func reproduce(_ record: RunRecord, db: Database, threads: Int? = nil) throws(LianzhengError) -> WhatIfOutputs {
        guard let baselineID = record.baselineRunID else { throw .invalid("运行 \(record.runID) 不是测算运行 (not a what-if run)") }
        let baseline = try RunStore(db: db).find(baselineID)
        let alternative = try storedScheme(of: record)
        let dataset = try SnapshotStore(db: db).load(baseline.snapshotID)
        let comparison = try compare(
            dataset: dataset, baseline: try storedScheme(of: baseline), alternative: alternative, year: baseline.year,
            threads: threads)
        return WhatIfOutputs(comparison, run: identity(of: baseline, alternative: alternative), chineseHeaders: record.chineseHeaders)
    }
}

/// The files of a what-if, rendered in memory (as `YearEndOutputs` does),
/// and the text for the terminal.
public struct WhatIfOutputs: Sendable {
    /// (file name, bytes), sorted by name: whatif.csv, whatif.html.
    public let files: [(name: String, bytes: [UInt8])]
    /// `sha256  filename` per file, recorded with the run (not written as a
    /// file, so a what-if written into the baseline's folder cannot replace
    /// the baseline's MANIFEST).
    public let manifest: String
    /// The Chinese text report for stdout.
    public let text: [UInt8]

    /// Renders the three forms and hashes the files, in parallel (the
    /// largest first); the bytes never depend on the thread count.
    public init(_ comparison: WhatIfComparison, run: RunIdentity, chineseHeaders: Bool) {
        let renderers: [@Sendable () -> (bytes: [UInt8], hash: String?)] = [
            {
                let html = comparison.html(run: run)
                return (html, SHA256.hex(of: html))
            },
            { (comparison.text(run: run), nil) },
            {
                let csv = comparison.csv(chineseHeaders: chineseHeaders)
                return (csv, SHA256.hex(of: csv))
            },
        ]
        let slots = ResultSlots<(bytes: [UInt8], hash: String?)>(count: renderers.count)
        DispatchQueue.concurrentPerform(iterations: renderers.count) { i in
            slots.set(i, renderers[i]())
        }
        let rendered = slots.values.map { $0! }
        files = [("whatif.csv", rendered[2].bytes), ("whatif.html", rendered[0].bytes)]
        manifest = "\(rendered[2].hash!)  whatif.csv\n\(rendered[0].hash!)  whatif.html\n"
        text = rendered[1].bytes
    }

    /// Writes each file to a temporary name renamed into place.
    public func write(to directory: String) throws(LianzhengError) {
        try makeDirectory(directory)
        for (name, bytes) in files { try writeAtomically(bytes, to: directory + "/" + name) }
    }
}

/// A value written by one task and read after all tasks have finished.
final class Slot<T>: @unchecked Sendable {
    var value: T?
}
