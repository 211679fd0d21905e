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
        self.init(hashing: RenderedOutputs(c, run: run, chineseHeaders: chineseHeaders))
    }

    /// Hashes rendered files in parallel, the largest first.
    init(hashing rendered: RenderedOutputs) {
        let pieces = rendered.files
        let hashed = ResultSlots<OutputFile>(count: pieces.count)
        var timer = PhaseTimer()
        DispatchQueue.concurrentPerform(iterations: pieces.count) { k in
            hashed.set(k, OutputFile(name: pieces[k].name, chunks: pieces[k].chunks))
        }
        timer.mark("hash outputs")
        self.init(files: hashed.take().map { $0! })
    }

    /// Files whose hashes are known.
    init(files: [OutputFile]) {
        self.files = files.sorted { $0.name < $1.name }
        manifest = self.files.map { "\($0.sha256)  \($0.name)\n" }.joined()
    }

    /// Writes every file (in parallel), then MANIFEST, each to a temporary
    /// name renamed into place: an interrupted run never leaves a half file.
    /// See `writeFolder`.
    public func write(to directory: String) throws(LianzhengError) {
        let files = files
        _ = try writeFolder(directory, names: files.map(\.name)) { k, path throws(LianzhengError) in
            try writeAtomically(chunks: files[k].chunks, to: path)
            return files[k]
        }
    }
}

/// The files of a year-end run rendered in memory and not hashed yet: a run
/// that writes them hashes each while writing it (`write(to:)`), when the
/// disk, not the processor, sets the pace.
public struct RenderedOutputs: Sendable {
    /// The largest first (scorecards.json); MANIFEST not included.
    let files: [(name: String, chunks: [ByteBuffer])]

    /// Renders the files, independent ones in parallel; the bytes never
    /// depend on the thread count.
    public init(_ c: YearComputation, run: RunIdentity, chineseHeaders: Bool) {
        let units = UnitsCSV.rows(c)
        // One list of jobs for both cores: the single-piece files, largest
        // first, then the parts of scorecards.json's long arrays (small, so
        // the cores finish together).
        let jobs: [(String, @Sendable () -> ByteBuffer)] = [
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
        let scorecardJobs = ScorecardsJSON.RowJobs(c)
        let slots = ResultSlots<ByteBuffer>(count: jobs.count + scorecardJobs.count)
        var timer = PhaseTimer()
        DispatchQueue.concurrentPerform(iterations: jobs.count + scorecardJobs.count) { k in
            slots.set(k, k < jobs.count ? jobs[k].1() : scorecardJobs.run(k - jobs.count))
        }
        timer.mark("render outputs")
        var rendered = slots.take().map { $0! }
        let scorecards = ScorecardsJSON.assemble(scorecardJobs, run: run, units: units, parts: Array(rendered[jobs.count...]))
        rendered.removeSubrange(jobs.count...)
        files = [("scorecards.json", scorecards)] + zip(jobs, rendered).map { ($0.0.0, [$0.1]) }
    }

    /// Writes every file as `YearEndOutputs.write(to:)` does, hashing each
    /// while it is written.
    /// - Returns: the files with their hashes (and the MANIFEST written).
    public func write(to directory: String) throws(LianzhengError) -> YearEndOutputs {
        let files = files
        // The largest file (scorecards.json, first) is hashed on a thread of
        // its own while it is written: hashing it alone takes as long as
        // writing all the others.
        let largest = files.first.map { file in BackgroundTask { OutputFile(name: file.name, chunks: file.chunks) } }
        return try writeFolder(directory, names: files.map(\.name)) { k, path throws(LianzhengError) in
            if k == 0, let largest {
                try writeAtomically(chunks: files[k].chunks, to: path)
                return largest.value()
            }
            var hash = SHA256()
            try writeAtomically(chunks: files[k].chunks, to: path) { hash.update(bytes: UnsafeRawBufferPointer($0)) }
            return OutputFile(name: files[k].name, chunks: files[k].chunks, sha256: hash.hexDigest())
        }
    }
}

/// Writes the files named `names` into `directory` with `writeFile(k, path)`
/// (in parallel), then MANIFEST of what it returns.
///
/// A folder with a MANIFEST holds one whole run: the old MANIFEST goes
/// first, so a run killed while replacing an earlier run's files leaves no
/// MANIFEST describing a mix of old and new files. Two runs writing the same
/// folder take turns (`withFolderLock`); temporary files an interrupted run
/// left are removed.
private func writeFolder(
    _ directory: String, names: [String], _ writeFile: @Sendable (Int, String) throws(LianzhengError) -> OutputFile
) throws(LianzhengError) -> YearEndOutputs {
    try makeDirectory(directory)
    var written: YearEndOutputs?
    try withFolderLock(directory) { () throws(LianzhengError) in
        removeTemporaryFiles(of: names + ["MANIFEST"], in: directory)
        try removeFileIfPresent(directory + "/MANIFEST")
        let results = ResultSlots<Result<OutputFile, LianzhengError>>(count: names.count)
        DispatchQueue.concurrentPerform(iterations: names.count) { k in
            results.set(k, Result { () throws(LianzhengError) in try writeFile(k, directory + "/" + names[k]) })
        }
        let outputs = YearEndOutputs(files: try results.take().map { (outcome) throws(LianzhengError) in try outcome!.get() })
        try writeAtomically(Array(outputs.manifest.utf8), to: directory + "/MANIFEST")
        written = outputs
    }
    return written!
}

/// One slot per parallel task, each written once by its own task.
final class ResultSlots<T>: @unchecked Sendable {
    private(set) var values: [T?]
    private let lock = NSLock()

    init(count: Int) { values = Array(repeating: nil, count: count) }

    func set(_ i: Int, _ value: T) {
        lock.lock()
        values[i] = value
        lock.unlock()
    }

    /// The values, moved out (the slots are left empty).
    func take() -> [T?] {
        lock.lock()
        defer { lock.unlock() }
        var out: [T?] = []
        swap(&out, &values)
        return out
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
