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
        try readTablesOfPosts()
        timer.mark("read powers, incidents, assessments, adjustments, risk points")
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
        var found = TableFindings()
        let result = try source.readChunked(table, into: &found, make: make, accept: accept)
        merge(found)
        return result
    }

    /// Where and how the files are read.
    private var source: FolderSource {
        FolderSource(directory: directory, encoding: encoding, pieceBytes: pieceBytes)
    }

    /// Adds one table's problems and warnings after those collected so far.
    private func merge(_ found: TableFindings) {
        issues.append(found.issues)
        warnings += found.warnings
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

    /// Powers, incidents, assessments, adjustments and risk points: each
    /// refers only to units and posts, so they are read at the same time
    /// (one table's joining and checking while another is parsed keeps both
    /// cores busy). Problems and warnings are then merged in file order, and
    /// a missing file is reported as it would be reading one after another:
    /// the first in that order.
    private func readTablesOfPosts() throws(LianzhengError) {
        let units = units, posts = posts, scheme = scheme, source = source
        let tables = TableSlots()
        let tasks: [@Sendable () -> Void] = [
            {
                tables.powers = Result { () throws(LianzhengError) in
                    var found = TableFindings()
                    let table = try source.readChunked(.powers, into: &found) { _ in PowerRows(posts: posts, scheme: scheme) }.reader.table
                    return (table, found)
                }
            },
            {
                tables.incidents = Result { () throws(LianzhengError) in
                    var found = TableFindings()
                    let read = try source.readChunked(.incidents, into: &found) {
                        IncidentRows(posts: posts, scheme: scheme, wholeFile: $0)
                    } accept: {
                        $0.idsAreDistinct()
                    }
                    return (read.reader.table, found)
                }
            },
            {
                tables.assessments = Result { () throws(LianzhengError) in
                    var found = TableFindings()
                    let read = try source.readChunked(.assessments, into: &found) {
                        AssessmentRows(units: units, posts: posts, scheme: scheme, wholeFile: $0)
                    } accept: {
                        $0.rowsAreDistinct()
                    }
                    return (read.reader.table, found)
                }
            },
            {
                tables.adjustments = Result { () throws(LianzhengError) in
                    var found = TableFindings()
                    let table = try source.readChunked(.adjustments, into: &found) { _ in AdjustmentRows(units: units, posts: posts) }
                        .reader.table
                    return (table, found)
                }
            },
            {
                tables.riskPoints = Result { () throws(LianzhengError) in
                    var found = TableFindings()
                    var rows = RiskPointRows(posts: posts)
                    _ = try TableReader.read(
                        .riskPoints, in: source.directory, encoding: source.encoding, issues: &found.issues,
                        warnings: &found.warnings, into: &rows)
                    return (rows.table, found)
                }
            },
        ]
        runInParallel(tasks)
        let (powers, powerFindings) = try tables.powers!.get()
        let (incidents, incidentFindings) = try tables.incidents!.get()
        let (assessments, assessmentFindings) = try tables.assessments!.get()
        let (adjustments, adjustmentFindings) = try tables.adjustments!.get()
        let (riskPoints, riskPointFindings) = try tables.riskPoints!.get()
        for found in [powerFindings, incidentFindings, assessmentFindings, adjustmentFindings, riskPointFindings] {
            merge(found)
        }
        data.powers = powers
        data.incidents = incidents
        data.assessments = assessments
        data.adjustments = adjustments
        data.riskPoints = riskPoints
    }
}

/// The folder a `DatasetReader` reads, as a value the parallel reads share.
private struct FolderSource: Sendable {
    let directory: String
    let encoding: InputEncoding
    let pieceBytes: Int

    /// `TableReader.readChunked` into `found`.
    func readChunked<R: ChunkedRowReader>(
        _ table: InputTable, into found: inout TableFindings, make: @Sendable (Bool) -> R,
        accept: (inout R) -> Bool = { _ in true }
    ) throws(LianzhengError) -> (complete: Bool, reader: R) {
        let (read, reader) = try TableReader.readChunked(
            table, in: directory, encoding: encoding, pieceBytes: pieceBytes, issues: &found.issues,
            warnings: &found.warnings, make: make, accept: accept)
        return (read != .incomplete, reader)
    }
}

/// The problems and warnings of one table read apart from the others.
private struct TableFindings: Sendable {
    var issues = IssueCollector()
    var warnings: [String] = []
}

/// Where the tables read in parallel land, each written by its own task
/// before `runInParallel` returns.
private final class TableSlots: @unchecked Sendable {
    var powers: Result<(PowerTable, TableFindings), LianzhengError>?
    var incidents: Result<(IncidentTable, TableFindings), LianzhengError>?
    var assessments: Result<(AssessmentTable, TableFindings), LianzhengError>?
    var adjustments: Result<(AdjustmentTable, TableFindings), LianzhengError>?
    var riskPoints: Result<(RiskPointTable, TableFindings), LianzhengError>?
}

/// Points in hundredths as `12.50`.
func formatPoints(_ v: Int64) -> String {
    let sign = v < 0 ? "-" : ""
    let a = v.magnitude
    let frac = a % 100
    return "\(sign)\(a / 100).\(frac < 10 ? "0" : "")\(frac)"
}
