/// Reads a dataset folder into a validated `Dataset` in canonical order
/// (SPEC §2), collecting every problem before giving up.
///
/// Large files whose rows are independent (posts, powers, incidents,
/// assessments, adjustments) are read in pieces on all cores; a file with
/// any problem is read again front to back, so problems are reported in the
/// same order, with the same positions, however the file was split.
public final class DatasetReader {
    public let directory: String
    public let scheme: Scheme
    public let encoding: InputEncoding

    /// Warnings (unknown columns) met while reading.
    public private(set) var warnings: [String] = []
    private var issues = IssueCollector()
    private var data = Dataset()
    private var units = IdLookup()
    private var posts = IdLookup()

    /// Files are read in pieces of at least this many bytes (tests make it
    /// tiny, to split small files at every line).
    let pieceBytes: Int

    public convenience init(directory: String, scheme: Scheme, encoding: InputEncoding = .auto) {
        self.init(directory: directory, scheme: scheme, encoding: encoding, pieceBytes: TableReader.minimumPieceBytes)
    }

    init(directory: String, scheme: Scheme, encoding: InputEncoding, pieceBytes: Int) {
        self.directory = directory
        self.scheme = scheme
        self.encoding = encoding
        self.pieceBytes = pieceBytes
    }

    /// Reads, validates and canonicalises every file.
    /// - Throws: `.missingInput` (66) for a missing required file,
    ///   `.invalidData` (65) with every problem found.
    public func read() throws(LianzhengError) -> Dataset {
        try read(fingerprint: true)
    }

    /// `fingerprint: false` leaves `Dataset.fingerprint` empty, for the
    /// snapshot store to compute while it writes.
    func read(fingerprint: Bool) throws(LianzhengError) -> Dataset {
        var timer = PhaseTimer()
        try readUnits()
        try readPosts()
        timer.mark("read units, posts")
        try readPowers()
        timer.mark("read powers")
        try readIncidents()
        timer.mark("read incidents")
        try readAssessments()
        try readAdjustments()
        try readRiskPoints()
        timer.mark("read assessments, adjustments, risk points")
        try issues.throwIfAny()
        units = IdLookup()
        posts = IdLookup()
        // Moved out, not copied: the reader must not keep the input-order
        // columns alive while canonicalisation builds the sorted ones.
        var dataset = Dataset()
        swap(&dataset, &data)
        dataset.canonicalize(fingerprint: fingerprint)
        timer.mark("canonicalize")
        return dataset
    }

    /// Reads `table` front to back into `reader`.
    /// - Returns: whether every record of the file could be scanned.
    private func read<R: RowReader>(_ table: InputTable, into reader: inout R) throws(LianzhengError) -> Bool {
        try TableReader.read(table, in: directory, encoding: encoding, issues: &issues, warnings: &warnings, into: &reader)
            != .incomplete
    }

    /// Reads `table` in pieces when it is large (see `TableReader.readChunked`).
    private func readChunked<R: ChunkedRowReader>(
        _ table: InputTable, make: @Sendable (Bool) -> R, accept: (inout R) -> Bool = { _ in true }
    ) throws(LianzhengError) -> (complete: Bool, reader: R) {
        let (read, reader) = try TableReader.readChunked(
            table, in: directory, encoding: encoding, pieceBytes: pieceBytes, issues: &issues, warnings: &warnings,
            make: make, accept: accept)
        return (read != .incomplete, reader)
    }

    // MARK: units

    private func readUnits() throws(LianzhengError) {
        var rows = UnitRows()
        units.complete = try read(.units, into: &rows)
        data.units = rows.table
        units.ids = rows.table.id
        units.index = rows.index
        units.rejected = rows.rejected
        for u in 0..<rows.parentText.count where !rows.parentText[u].isEmpty {
            var parent = rows.parentText[u]
            let (found, unknown) = parent.withUTF8 { (units.find($0), units.isUnknown($0)) }
            if let found {
                data.units.parent[u] = found
            } else if unknown {
                var issue = rows.parentWhere[u]
                issue.message = "上级单位编号不存在: \(parent) (unknown parent_id)"
                issues.add(issue)
            }
        }
        reportCycles(where: rows.parentWhere)
    }

    /// A unit is on a cycle when following parents from it returns to it.
    private func reportCycles(where parentWhere: [InputIssue]) {
        var state = [UInt8](repeating: 0, count: data.units.count)  // 0 new, 1 on path, 2 done
        for u in 0..<data.units.count where state[u] == 0 {
            var path: [Int] = []
            var v = u
            while v >= 0, state[v] == 0 {
                state[v] = 1
                path.append(v)
                v = Int(data.units.parent[v])
            }
            if v >= 0, state[v] == 1, let from = path.firstIndex(of: v) {
                for w in path[from...].sorted() {
                    var issue = parentWhere[w]
                    issue.message = "上级单位形成循环: \(data.units.id[w]) (parent cycle)"
                    issues.add(issue)
                }
            }
            for w in path { state[w] = 2 }
        }
    }

    // MARK: posts, powers, incidents

    private func readPosts() throws(LianzhengError) {
        let units = units, scheme = scheme
        let (complete, rows) = try readChunked(.posts) { PostRows(units: units, scheme: scheme, wholeFile: $0) } accept: {
            $0.indexJoined()
        }
        data.posts = rows.table
        posts = IdLookup(ids: rows.table.id, index: rows.index, rejected: rows.rejected, complete: complete)
    }

    private func readPowers() throws(LianzhengError) {
        let posts = posts, scheme = scheme
        data.powers = try readChunked(.powers) { _ in PowerRows(posts: posts, scheme: scheme) }.reader.table
    }

    private func readIncidents() throws(LianzhengError) {
        let posts = posts, scheme = scheme
        let read = try readChunked(.incidents) { IncidentRows(posts: posts, scheme: scheme, wholeFile: $0) } accept: {
            $0.idsAreDistinct()
        }
        data.incidents = read.reader.table
    }

    // MARK: assessments, adjustments, risk points

    private func readAssessments() throws(LianzhengError) {
        let units = units, posts = posts, scheme = scheme
        let read = try readChunked(.assessments) {
            AssessmentRows(units: units, posts: posts, scheme: scheme, wholeFile: $0)
        } accept: {
            $0.rowsAreDistinct()
        }
        data.assessments = read.reader.table
    }

    private func readAdjustments() throws(LianzhengError) {
        let units = units, posts = posts
        data.adjustments = try readChunked(.adjustments) { _ in AdjustmentRows(units: units, posts: posts) }.reader.table
    }

    private func readRiskPoints() throws(LianzhengError) {
        var rows = RiskPointRows(posts: posts)
        _ = try read(.riskPoints, into: &rows)
        data.riskPoints = rows.table
    }
}

/// Points in hundredths as `12.50`.
func formatPoints(_ v: Int64) -> String {
    let sign = v < 0 ? "-" : ""
    let a = v.magnitude
    let frac = a % 100
    return "\(sign)\(a / 100).\(frac < 10 ? "0" : "")\(frac)"
}
