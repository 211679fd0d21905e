import Dispatch
import Foundation

/// Collects input problems: all are counted, the first `cap` are kept.
public struct IssueCollector: Sendable {
    public private(set) var issues: [InputIssue] = []
    public private(set) var total = 0
    public let cap: Int

    public init(cap: Int = 200) { self.cap = cap }

    /// Counts `issue` and keeps it while under the cap, its message
    /// shortened (`abbreviated`): a quoted value of megabytes is not kept whole.
    public mutating func add(_ issue: InputIssue) {
        total += 1
        guard issues.count < cap else { return }
        var kept = issue
        kept.message = abbreviated(issue.message)
        issues.append(kept)
    }

    public var isEmpty: Bool { total == 0 }

    /// Adds what `other` collected after what this one holds, as if its
    /// problems had been added here one by one (it kept the first of its
    /// own, already shortened; the cap is the same).
    mutating func append(_ other: IssueCollector) {
        total += other.total
        issues += other.issues.prefix(max(0, cap - issues.count))
    }

    /// Throws `.invalidData` when anything was collected.
    public func throwIfAny() throws(LianzhengError) {
        if total > 0 { throw .invalidData(issues, total: total) }
    }
}

/// One data row of an input file, seen through the header's column map.
///
/// Only raw pointers, valid while the row is being read: millions of rows
/// are handed to readers, and a row holding arrays or strings cost a
/// retain and a release of each per row.
struct InputRow {
    /// The file's (decoded) bytes.
    let bytes: UnsafeBufferPointer<UInt8>
    let fields: UnsafeBufferPointer<CSVField>
    /// Unescaped quoted fields (`CSVField.inScratch`).
    let scratch: UnsafeBufferPointer<UInt8>
    /// Field index of each spec column, or -1 when the file lacks it.
    let fieldOf: UnsafeBufferPointer<Int>
    /// The file's path, for problems.
    let path: UnsafePointer<String>
    /// Physical line where the record starts.
    let line: Int

    var file: String { path.pointee }

    @inline(__always)
    func has(_ column: Int) -> Bool {
        let f = fieldOf[column]
        return f >= 0 && f < fields.count && fields[f].end > fields[f].start
    }

    @inline(__always)
    func withBytes<R>(_ column: Int, _ body: (UnsafeBufferPointer<UInt8>) throws -> R) rethrows -> R {
        let f = fieldOf[column]
        guard f >= 0, f < fields.count else { return try body(UnsafeBufferPointer(start: nil, count: 0)) }
        let field = fields[f]
        let source = field.inScratch ? scratch : bytes
        return try body(UnsafeBufferPointer(rebasing: source[field.start..<field.end]))
    }

    func text(_ column: Int) -> String { withBytes(column) { String(decoding: $0, as: UTF8.self) } }

    /// Where `column`'s field starts (line of the field, 1-based field number).
    func issue(_ column: Int, _ message: String) -> InputIssue {
        let f = fieldOf[column]
        if f >= 0, f < fields.count {
            return InputIssue(file: file, line: fields[f].line, column: f + 1, message: message)
        }
        return InputIssue(file: file, line: line, column: max(f, fields.count) + 1, message: message)
    }
}

/// How much of a file could be read.
enum TableRead {
    /// An optional file that does not exist.
    case absent
    /// Every record was scanned (rows may still have had value problems).
    case complete
    /// Some records could not be scanned at all (undecodable bytes, a bad
    /// header, a quoting error): ids in them are unknown, so references to
    /// this table cannot be checked.
    case incomplete
}

/// Turns the data rows of one input file into columns, reporting bad values.
protocol RowReader {
    /// Handles a row whose required values are present.
    mutating func read(_ row: InputRow, _ issues: inout IssueCollector)
    /// Notes a row missing a required value (already reported).
    mutating func reject(_ row: InputRow)
}

extension RowReader {
    mutating func reject(_ row: InputRow) {}
}

/// A `RowReader` whose file can be read in pieces on several cores: rows
/// depend on each other only through checks (duplicate ids) that can be
/// made once the pieces are joined.
protocol ChunkedRowReader: RowReader, Sendable {
    /// Appends the rows read by `later`, a reader of the following piece.
    mutating func append(_ later: consuming Self)
}

/// An input file decoded and with its header mapped, ready for its rows.
struct OpenedTable {
    let path: String
    let text: DecodedText
    /// Field index of each spec column, or -1 when the file lacks it.
    let fieldOf: [Int]
    /// Offset and physical line of the first byte after the header record.
    let dataStart: Int
    let dataLine: Int
}

/// Reads one CSV file of a dataset: decodes it, maps the header onto the
/// table's columns, and hands each data row to a `RowReader`.
enum TableReader {
    /// Opens `table` in `directory`; nil (with the reason) when there are no
    /// rows to read: an absent optional file, undecodable bytes, an empty
    /// file or a bad header (problems are added to `issues`).
    /// - Throws: `.missingInput` for an absent required file.
    static func open(
        _ table: InputTable, in directory: String, encoding: InputEncoding,
        issues: inout IssueCollector, warnings: inout [String]
    ) throws(LianzhengError) -> (OpenedTable?, TableRead) {
        let path = table.path(in: directory)
        let mapped: MappedFile
        do {
            mapped = try MappedFile(path: path)
        } catch {
            if case .missingInput = error, !table.isRequired { return (nil, .absent) }
            if case .missingInput = error { throw .missingInput("\(path): 缺少必需文件 \(table.fileName)") }
            throw error
        }
        let text: DecodedText
        do {
            text = try DecodedText(file: mapped, displayName: path, encoding: encoding)
        } catch {
            if case .invalidData(let found, _) = error {
                for issue in found { issues.add(issue) }
                return (nil, .incomplete)
            }
            throw error
        }
        let header: (fieldOf: [Int], start: Int, line: Int)? = text.withBytes { bytes in
            var scanner = CSVScanner(bytes: bytes)
            var record = CSVRecord()
            do throws(CSVSyntaxError) {
                guard try scanner.next(into: &record) else {
                    // Only blank lines: no header.
                    issues.add(InputIssue(file: path, line: 1, column: 1, message: "文件为空，缺少表头 (empty file)"))
                    return nil
                }
            } catch {
                // A bad header leaves nothing to map the rows with.
                issues.add(InputIssue(file: path, line: error.line, column: error.column, message: error.message))
                return nil
            }
            guard let map = mapHeader(table, scanner: scanner, record: record, file: path, issues: &issues, warnings: &warnings)
            else { return nil }
            return (map, scanner.position, scanner.line)
        }
        guard let header else { return (nil, .incomplete) }
        return (OpenedTable(path: path, text: text, fieldOf: header.fieldOf, dataStart: header.start, dataLine: header.line), .complete)
    }

    /// Reads every row of `table` into `reader`, in file order.
    static func read<R: RowReader>(
        _ table: InputTable, in directory: String, encoding: InputEncoding,
        issues: inout IssueCollector, warnings: inout [String], into reader: inout R
    ) throws(LianzhengError) -> TableRead {
        let (opened, status) = try open(table, in: directory, encoding: encoding, issues: &issues, warnings: &warnings)
        guard let opened else { return status }
        return opened.text.withBytes { bytes in
            scan(table, opened, bytes, from: opened.dataStart, line: opened.dataLine, limit: bytes.count,
                issues: &issues, into: &reader, stopAtFirstIssue: false).read
        }
    }

    /// Reads `table` in pieces on all cores when it is large, each piece
    /// into its own reader from `make(false)`, joined in file order and
    /// checked by `accept` (duplicate ids across pieces).
    ///
    /// Only a flawless file is read this way: when any piece meets a problem,
    /// a piece boundary fell inside a quoted line break, or `accept` refuses
    /// the joined rows, the whole file is read again in one piece with
    /// `make(true)`, so every problem is reported exactly as a plain
    /// front-to-back read reports it.
    static func readChunked<R: ChunkedRowReader>(
        _ table: InputTable, in directory: String, encoding: InputEncoding, pieceBytes: Int = minimumPieceBytes,
        issues: inout IssueCollector, warnings: inout [String],
        make: @Sendable (_ wholeFile: Bool) -> R, accept: (inout R) -> Bool = { _ in true }
    ) throws(LianzhengError) -> (TableRead, R) {
        let (opened, status) = try open(table, in: directory, encoding: encoding, issues: &issues, warnings: &warnings)
        guard let opened else { return (status, make(true)) }
        return opened.text.withBytes { bytes in
            let bounds = pieceBounds(bytes, from: opened.dataStart, minimumPieceBytes: pieceBytes)
            if bounds.count > 2, var joined = readPieces(table, opened, bytes, bounds, make: make), accept(&joined) {
                return (.complete, joined)
            }
            var reader = make(true)
            let read = scan(table, opened, bytes, from: opened.dataStart, line: opened.dataLine, limit: bytes.count,
                issues: &issues, into: &reader, stopAtFirstIssue: false).read
            return (read, reader)
        }
    }

    /// Bytes per piece at least, so that small files are read in one piece.
    static let minimumPieceBytes = 1 << 20

    /// Piece boundaries `[dataStart, …, bytes.count]`: about equal pieces
    /// (four per core, so that a slow core does not hold the others up),
    /// each boundary just after a line feed.
    static func pieceBounds(_ bytes: UnsafeBufferPointer<UInt8>, from start: Int, minimumPieceBytes: Int = minimumPieceBytes) -> [Int] {
        let size = bytes.count - start
        let pieces = min(4 * ProcessInfo.processInfo.activeProcessorCount, size / max(1, minimumPieceBytes))
        var bounds = [start]
        guard pieces > 1 else { return bounds + [bytes.count] }
        for k in 1..<pieces {
            var p = max(start + size / pieces * k, bounds.last!)
            while p < bytes.count, bytes[p] != 0x0A { p += 1 }
            p = min(p + 1, bytes.count)
            if p > bounds.last!, p < bytes.count { bounds.append(p) }
        }
        bounds.append(bytes.count)
        return bounds
    }

    /// Reads the pieces in parallel and joins them; nil when any piece met a
    /// problem or did not end exactly where the next one starts.
    private static func readPieces<R: ChunkedRowReader>(
        _ table: InputTable, _ opened: OpenedTable, _ bytes: UnsafeBufferPointer<UInt8>, _ bounds: [Int],
        make: @Sendable (Bool) -> R
    ) -> R? {
        let count = bounds.count - 1
        let slots = ResultSlots<(reader: R, clean: Bool)>(count: count)
        let shared = Unchecked((bytes: bytes, opened: opened))
        withoutActuallyEscaping(make) { make in
            let make = Unchecked(make)
            DispatchQueue.concurrentPerform(iterations: count) { k in
                let (bytes, opened) = shared.value
                var reader = make.value(false)
                var issues = IssueCollector(cap: 1)
                // Lines are only needed for problems, and a piece with a
                // problem is read again from the start of the file.
                let (read, end) = scan(table, opened, bytes, from: bounds[k], line: k == 0 ? opened.dataLine : 0,
                    limit: bounds[k + 1], issues: &issues, into: &reader, stopAtFirstIssue: true)
                // The piece's bytes are not needed again unless the file is
                // read again from the start (then they are faulted back in).
                opened.text.releasePages(bounds[k]..<bounds[k + 1])
                slots.set(k, (reader, read == .complete && issues.isEmpty && end == bounds[k + 1]))
            }
        }
        var pieces = slots.take()
        guard pieces.allSatisfy({ $0!.clean }) else { return nil }
        var joined = pieces[0]!.reader
        pieces[0] = nil
        for k in 1..<count {
            joined.append(pieces[k]!.reader)
            pieces[k] = nil
        }
        return joined
    }

    /// Reads the records that start in `start..<limit`.
    /// - Returns: how much could be read, and where reading stopped (the
    ///   end of the last record read).
    private static func scan<R: RowReader>(
        _ table: InputTable, _ opened: OpenedTable, _ bytes: UnsafeBufferPointer<UInt8>,
        from start: Int, line: Int, limit: Int,
        issues: inout IssueCollector, into reader: inout R, stopAtFirstIssue: Bool
    ) -> (read: TableRead, end: Int) {
        var scanner = CSVScanner(bytes: bytes, start: start, line: line, limit: limit)
        var record = CSVRecord()
        var result = TableRead.complete
        let required = table.requiredColumns
        return withUnsafePointer(to: opened.path) { path in
            opened.fieldOf.withUnsafeBufferPointer { fieldOf in
                while true {
                    let more: Bool
                    do throws(CSVSyntaxError) {
                        more = try scanner.next(into: &record)
                    } catch {
                        issues.add(InputIssue(file: opened.path, line: error.line, column: error.column, message: error.message))
                        result = .incomplete
                        if error.recoverable, !stopAtFirstIssue { continue }
                        return (result, scanner.position)
                    }
                    guard more else { break }
                    let row = InputRow(
                        bytes: bytes, fields: record.fields, scratch: record.scratch, fieldOf: fieldOf, path: path,
                        line: record.line)
                    if checkShape(table, required, row: row, issues: &issues) {
                        reader.read(row, &issues)
                    } else {
                        reader.reject(row)
                    }
                    if stopAtFirstIssue, !issues.isEmpty { break }
                }
                return (result, scanner.position)
            }
        }
    }

    /// Unknown columns warned about one by one, per file; the rest are counted
    /// in one more line (a header of a million columns gives 21 lines).
    static let unknownColumnWarnings = 20

    /// Maps header names (canonical or alias, trimmed) to fields.
    /// - Returns: nil when a required column is missing or a column is named twice.
    private static func mapHeader(
        _ table: InputTable, scanner: CSVScanner, record: CSVRecord, file: String,
        issues: inout IssueCollector, warnings: inout [String]
    ) -> [Int]? {
        let specs = table.columns
        var fieldOf = [Int](repeating: -1, count: specs.count)
        var ok = true
        var unknown = 0
        for k in 0..<record.fields.count {
            let name = trimmedHeader(scanner.string(record, k))
            if let c = specs.firstIndex(where: { $0.name == name || $0.alias == name }) {
                if fieldOf[c] >= 0 {
                    issues.add(InputIssue(file: file, line: record.fields[k].line, column: k + 1,
                        message: "列名重复: \(name) (column \(specs[c].name) named twice)"))
                    ok = false
                } else {
                    fieldOf[c] = k
                }
            } else {
                unknown += 1
                if unknown <= unknownColumnWarnings {
                    warnings.append(
                        "\(file):\(record.fields[k].line):\(k + 1): 警告: 未知列 \(oneLine(abbreviated(name, limit: 100))) 已忽略 (unknown column ignored)")
                }
            }
        }
        if unknown > unknownColumnWarnings {
            let more = unknown - unknownColumnWarnings
            warnings.append("\(file):\(record.line):1: 警告: 另有 \(more) 个未知列已忽略 (\(more) more unknown columns ignored)")
        }
        for (c, spec) in specs.enumerated() where spec.required && fieldOf[c] < 0 {
            issues.add(InputIssue(file: file, line: record.line, column: 1,
                message: "缺少必需列 \(spec.name)（\(spec.alias)）(missing required column)"))
            ok = false
        }
        return ok ? fieldOf : nil
    }

    /// Header names are matched after trimming; a quoted header keeps its text.
    private static func trimmedHeader(_ s: String) -> String {
        s.trimmingCharacters(in: [" ", "\t"])
    }

    /// Required columns must be non-empty. Fields beyond the header are ignored.
    @inline(__always)
    private static func checkShape(_ table: InputTable, _ required: [Int], row: InputRow, issues: inout IssueCollector) -> Bool {
        var ok = true
        for c in required where !row.has(c) {
            let spec = table.columns[c]
            issues.add(row.issue(c, "必填字段 \(spec.name)（\(spec.alias)）为空 (required value missing)"))
            ok = false
        }
        return ok
    }
}

extension String {
    fileprivate func trimmingCharacters(in set: [Character]) -> String {
        var s = Substring(self)
        while let f = s.first, set.contains(f) { s = s.dropFirst() }
        while let l = s.last, set.contains(l) { s = s.dropLast() }
        return String(s)
    }
}
