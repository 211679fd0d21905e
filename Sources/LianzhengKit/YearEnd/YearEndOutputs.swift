import Dispatch
import Foundation

/// One rendered output file: its bytes as consecutive chunks (a large file
/// is assembled from parts written in parallel, never copied into one
/// buffer) and their SHA-256.
public struct OutputFile: Sendable {
    public let name: String
    let chunks: [ByteBuffer]
    /// Lowercase hex SHA-256 of the whole file.
    public let sha256: String

    /// `sha256`: the file's hash when already known; computed otherwise.
    init(name: String, chunks: [ByteBuffer], sha256 known: String? = nil) {
        self.name = name
        self.chunks = chunks
        if let known {
            sha256 = known
        } else {
            var hash = SHA256()
            for chunk in chunks { hash.update(bytes: UnsafeRawBufferPointer(chunk.bytesWritten)) }
            sha256 = hash.hexDigest()
        }
    }

    /// The whole file in one array.
    public var bytes: [UInt8] { chunks.flatMap(\.bytesWritten) }
}

/// The files of a year-end run (SPEC §7), rendered in memory so that the
/// same bytes serve writing, hashing and `verify`.
public struct YearEndOutputs: Sendable {
    /// Sorted by name; MANIFEST not included.
    public let files: [OutputFile]
    /// `sha256  filename` per file, sorted by name (sha256sum's format, so
    /// `sha256sum -c MANIFEST` checks an output folder).
    public let manifest: String

    /// Renders and hashes the files, independent ones in parallel; the
    /// bytes never depend on the thread count.
    public init(_ c: YearComputation, run: RunIdentity, chineseHeaders: Bool) {
        let plan = RenderPlan(c, run: run, chineseHeaders: chineseHeaders)
        let slots = ResultSlots<ByteBuffer>(count: plan.jobCount)
        DispatchQueue.concurrentPerform(iterations: plan.jobCount) { k in slots.set(k, plan.runJob(k)) }
        var rendered = slots.take().map { $0! }
        let parts = plan.scorecardJobs.count
        let scorecards = ScorecardsJSON.assemble(plan.scorecardJobs, run: run, units: plan.units, parts: Array(rendered[..<parts]))
        rendered.removeSubrange(..<parts)
        let files = [(RenderPlan.scorecardsName, scorecards)] + zip(plan.singleFiles, rendered).map { ($0.0.name, [$0.1]) }
        // Hashed in parallel, the largest (scorecards.json) first.
        let hashed = ResultSlots<OutputFile>(count: files.count)
        DispatchQueue.concurrentPerform(iterations: files.count) { k in
            hashed.set(k, OutputFile(name: files[k].0, chunks: files[k].1))
        }
        self.init(files: hashed.take().map { $0! })
    }

    /// Files whose hashes are known.
    init(files: [OutputFile]) {
        self.files = files.sorted { $0.name < $1.name }
        manifest = self.files.map { "\($0.sha256)  \($0.name)\n" }.joined()
    }

    /// Writes every file (in parallel), then MANIFEST, each to a temporary
    /// name renamed into place: an interrupted run never leaves a half file.
    /// See `replaceFolder`.
    public func write(to directory: String) throws(LianzhengError) {
        let files = files
        _ = try replaceFolder(directory, names: files.map(\.name)) { () throws(LianzhengError) in
            let staged = ResultSlots<Result<(OutputFile, AtomicFileWriter), LianzhengError>>(count: files.count)
            DispatchQueue.concurrentPerform(iterations: files.count) { k in
                staged.set(k, Result { () throws(LianzhengError) in
                    (files[k], try flushedTemporaryFile(files[k].chunks, to: directory + "/" + files[k].name))
                })
            }
            return try staged.take().map { (result) throws(LianzhengError) in try result!.get() }
        }
    }
}

/// What a year-end run renders, as one list of jobs for all cores: first
/// the parts of scorecards.json in file order (so that the file can be
/// written while later parts are rendered), then the single-piece files,
/// largest first (so the cores finish together).
struct RenderPlan: Sendable {
    static let scorecardsName = "scorecards.json"

    let units: [UnitsCSV.Row]
    let scorecardJobs: ScorecardsJSON.RowJobs
    let singleFiles: [(name: String, render: @Sendable () -> ByteBuffer)]

    init(_ c: YearComputation, run: RunIdentity, chineseHeaders: Bool) {
        let units = UnitsCSV.rows(c)
        self.units = units
        scorecardJobs = ScorecardsJSON.RowJobs(c)
        singleFiles = [
            ("posts.csv", {
                PostsCSV.write(year: c.year, dataset: c.dataset, scheme: c.scheme, risk: c.risk,
                    chineseHeaders: chineseHeaders, flags: c.flags)
            }),
            ("flags.csv", { FlagsCSV.write(c.flags, chineseHeaders: chineseHeaders) }),
            ("assessments.csv", { c.assessment.writeAssessmentsCSV(chineseHeaders: chineseHeaders) }),
            ("report.html", { ByteBuffer(copying: ReportHTML.render(c, run: run, units: units)) }),
            ("units.csv", { ByteBuffer(copying: UnitsCSV.render(c, rows: units, chineseHeaders: chineseHeaders)) }),
            ("risk_points.csv", { ByteBuffer(copying: RiskPointsCSV.render(c.riskPoints, chineseHeaders: chineseHeaders)) }),
        ]
    }

    var jobCount: Int { scorecardJobs.count + singleFiles.count }
    var names: [String] { [Self.scorecardsName] + singleFiles.map(\.name) }

    /// Job k: a part of scorecards.json, or a whole single-piece file.
    func runJob(_ k: Int, buffers: BufferPool? = nil) -> ByteBuffer {
        k < scorecardJobs.count ? scorecardJobs.run(k, buffers: buffers) : singleFiles[k - scorecardJobs.count].render()
    }
}

extension YearEndOutputs {
    /// Renders the files of a run and writes each while the others are
    /// still being rendered; `whenPublishable` (waiting for the snapshot to
    /// be stored, say) must return before any of them appears.
    ///
    /// Every file is written under a temporary name and flushed as soon as
    /// it is rendered; scorecards.json part by part, in order, on a thread
    /// of its own as the parts come in, the disk writing it back at once.
    /// Once `whenPublishable` returns, the folder is replaced as `write(to:)`
    /// replaces it: old MANIFEST removed first, files renamed into place,
    /// MANIFEST last. When anything fails, or `whenPublishable` throws, the
    /// temporary files are removed and so is the folder if this call made
    /// it: the folder is left as it was. The bytes are those of
    /// `init(_:run:chineseHeaders:)`, and parts are freed once written.
    /// - Returns: the files' names and hashes (not their bytes) and MANIFEST.
    public static func renderAndWrite(
        _ c: YearComputation, run: RunIdentity, chineseHeaders: Bool, to directory: String,
        whenPublishable: () throws(LianzhengError) -> Void = {}
    ) throws(LianzhengError) -> YearEndOutputs {
        let plan = RenderPlan(c, run: run, chineseHeaders: chineseHeaders)
        return try replaceFolder(directory, names: plan.names, whenPublishable: whenPublishable) { () throws(LianzhengError) in
            try stage(plan, run: run, in: directory)
        }
    }

    /// Renders every file of `plan` into a flushed temporary file in
    /// `directory`, each hashed on the way.
    private static func stage(
        _ plan: RenderPlan, run: RunIdentity, in directory: String
    ) throws(LianzhengError) -> [(OutputFile, AtomicFileWriter)] {
        typealias Staged = Result<(OutputFile, AtomicFileWriter), LianzhengError>
        let parts = ResultSlots<ByteBuffer>(count: plan.scorecardJobs.count)
        // Parts written to the file come back for later parts.
        let buffers = BufferPool()
        let scorecards = BackgroundTask(onOwnThread: true) {
            Staged { () throws(LianzhengError) in
                try streamScorecards(
                    plan, run: run, parts: parts, buffers: buffers, to: directory + "/" + RenderPlan.scorecardsName)
            }
        }
        let singles = ResultSlots<BackgroundTask<Staged>>(count: plan.singleFiles.count)
        var timer = PhaseTimer()
        DispatchQueue.concurrentPerform(iterations: plan.jobCount) { k in
            let bytes = plan.runJob(k, buffers: buffers)
            guard k >= plan.scorecardJobs.count else { return parts.set(k, bytes) }
            let i = k - plan.scorecardJobs.count
            let name = plan.singleFiles[i].name
            singles.set(i, BackgroundTask(onOwnThread: true) {
                Staged { () throws(LianzhengError) in try stageFile(name, bytes, to: directory + "/" + name) }
            })
        }
        timer.mark("render outputs")
        // Every write finishes (or fails and cleans up) before an error is
        // reported: none may go on once the folder lock is released.
        let results = [scorecards.value()] + singles.take().map { $0!.value() }
        timer.mark("finish writing outputs")
        return try results.map { (result) throws(LianzhengError) in try result.get() }
    }

    /// scorecards.json from parts rendered elsewhere (`parts.take` waits
    /// for each in turn), hashed and written as they come.
    private static func streamScorecards(
        _ plan: RenderPlan, run: RunIdentity, parts: ResultSlots<ByteBuffer>, buffers: BufferPool, to path: String
    ) throws(LianzhengError) -> (OutputFile, AtomicFileWriter) {
        var hash = SHA256()
        var failure: LianzhengError?
        var file: AtomicFileWriter?
        do throws(LianzhengError) {
            file = try AtomicFileWriter(path: path)
        } catch {
            failure = error
        }
        // Every part is taken even after a failure, so that none stays in
        // memory while the others are rendered.
        ScorecardsJSON.assemble(plan.scorecardJobs, run: run, units: plan.units, part: parts.take) { chunk in
            // Nothing reads a chunk once it is hashed and written.
            defer { buffers.give(chunk) }
            guard failure == nil, let file else { return }
            hash.update(bytes: UnsafeRawBufferPointer(chunk.bytesWritten))
            do throws(LianzhengError) {
                try file.write(chunk.bytesWritten)
                file.startWriteback(every: 32 << 20)
            } catch {
                failure = error
            }
        }
        if let failure { throw failure }
        guard let file else { preconditionFailure("no file and no failure") }
        try file.flush()
        return (OutputFile(name: RenderPlan.scorecardsName, chunks: [], sha256: hash.hexDigest()), file)
    }

    /// One single-piece file, hashed and written to a flushed temporary file.
    /// The disk starts writing it back before it is hashed, so that the
    /// hash (80 ms for posts.csv) overlaps the writeback `flush` waits for.
    private static func stageFile(
        _ name: String, _ bytes: ByteBuffer, to path: String
    ) throws(LianzhengError) -> (OutputFile, AtomicFileWriter) {
        let file = try AtomicFileWriter(path: path)
        try file.write(bytes.bytesWritten)
        file.startWriteback(every: 0)
        let hash = OutputFile(name: name, chunks: [bytes]).sha256
        try file.flush()
        return (OutputFile(name: name, chunks: [], sha256: hash), file)
    }
}

/// `chunks` written to a flushed temporary file that becomes `path` when
/// published (`AtomicFileWriter.publish`).
private func flushedTemporaryFile(_ chunks: [ByteBuffer], to path: String) throws(LianzhengError) -> AtomicFileWriter {
    let file = try AtomicFileWriter(path: path)
    for chunk in chunks { try file.write(chunk.bytesWritten) }
    try file.flush()
    return file
}

/// Replaces the run in `directory` with the files `stage` writes there
/// under temporary names (flushed, not yet renamed), once
/// `whenPublishable` has returned; then writes their MANIFEST.
///
/// A folder with a MANIFEST holds one whole run: the old MANIFEST goes
/// before any file is renamed, so a run killed while replacing an earlier
/// run's files leaves no MANIFEST describing a mix of old and new files.
/// Two runs writing the same folder take turns (`withFolderLock`);
/// temporary files an interrupted run left are removed. When anything
/// throws, the staged files are removed, and so is the folder if this call
/// made it: the folder is left as it was.
private func replaceFolder(
    _ directory: String, names: [String], whenPublishable: () throws(LianzhengError) -> Void = {},
    stage: () throws(LianzhengError) -> [(OutputFile, AtomicFileWriter)]
) throws(LianzhengError) -> YearEndOutputs {
    let created = try makeDirectory(directory)
    do throws(LianzhengError) {
        return try withFolderLock(directory) { () throws(LianzhengError) -> YearEndOutputs in
            removeTemporaryFiles(of: names + ["MANIFEST"], in: directory)
            let staged = try stage()
            try whenPublishable()
            try removeFileIfPresent(directory + "/MANIFEST")
            // Writing MANIFEST syncs the folder, renames and all.
            for (_, file) in staged { try file.publish(syncingFolder: false) }
            let outputs = YearEndOutputs(files: staged.map(\.0))
            try writeAtomically(Array(outputs.manifest.utf8), to: directory + "/MANIFEST")
            return outputs
        }
    } catch {
        // Only folders this call made, and only if empty.
        for folder in created.reversed() { rmdir(folder) }
        throw error
    }
}

/// One slot per parallel task, each written once by its own task. The
/// values are taken all at once after the tasks (`take()`), or one by one
/// by a reader that waits for each while later ones are still computed
/// (`take(_:)`).
final class ResultSlots<T>: @unchecked Sendable {
    private(set) var values: [T?]
    private let condition = NSCondition()

    init(count: Int) { values = Array(repeating: nil, count: count) }

    func set(_ i: Int, _ value: T) {
        condition.lock()
        values[i] = value
        condition.broadcast()
        condition.unlock()
    }

    /// The values, moved out (the slots are left empty).
    func take() -> [T?] {
        condition.lock()
        defer { condition.unlock() }
        var out: [T?] = []
        swap(&out, &values)
        return out
    }

    /// Slot i's value, once set; the slot is left empty.
    func take(_ i: Int) -> T {
        condition.lock()
        defer { condition.unlock() }
        while values[i] == nil { condition.wait() }
        let value = values[i]!
        values[i] = nil
        return value
    }
}

/// Parses MANIFEST text into file name → hash.
public func parseManifest(_ text: String) -> [String: String] {
    var out: [String: String] = [:]
    for line in text.split(separator: "\n") {
        let parts = line.split(separator: " ", maxSplits: 1, omittingEmptySubsequences: true)
        if parts.count == 2 { out[parts[1].trimmingCharacters(in: .whitespaces)] = String(parts[0]) }
    }
    return out
}
