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

    /// Throws `.invalidData` when anything was collected.
    public func throwIfAny() throws(LianzhengError) {
        if total > 0 { throw .invalidData(issues, total: total) }
    }
}

/// One data row of an input file, seen through the header's column map.
struct InputRow {
    let scanner: CSVScanner
    let record: CSVRecord
    /// Field index of each spec column, or -1 when the file lacks it.
    let fieldOf: [Int]
    let file: String

    var line: Int { record.line }

    func has(_ column: Int) -> Bool {
        let f = fieldOf[column]
        return f >= 0 && f < record.fields.count && record.fields[f].end > record.fields[f].start
    }

    func withBytes<R>(_ column: Int, _ body: (UnsafeBufferPointer<UInt8>) throws -> R) rethrows -> R {
        let f = fieldOf[column]
        guard f >= 0, f < record.fields.count else { return try body(UnsafeBufferPointer(start: nil, count: 0)) }
        return try scanner.withField(record, f, body)
    }

    func text(_ column: Int) -> String { withBytes(column) { String(decoding: $0, as: UTF8.self) } }

    /// Where `column`'s field starts (line of the field, 1-based field number).
    func issue(_ column: Int, _ message: String) -> InputIssue {
        let f = fieldOf[column]
        if f >= 0, f < record.fields.count {
            return InputIssue(file: file, line: record.fields[f].line, column: f + 1, message: message)
        }
        return InputIssue(file: file, line: record.line, column: max(f, record.fields.count) + 1, message: message)
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

/// Reads one CSV file of a dataset: decodes it, maps the header onto the
/// table's columns, and hands each data row to a closure.
enum TableReader {
    /// - Parameters:
    ///   - handle: called with every row whose required values are present.
    ///   - rejected: called with every other row (already reported).
    /// - Throws: `.missingInput` for an absent required file.
    static func read(
        _ table: InputTable, in directory: String, encoding: InputEncoding,
        issues: inout IssueCollector, warnings: inout [String],
        row handle: (InputRow, inout IssueCollector) -> Void,
        rejected: (InputRow) -> Void = { _ in }
    ) throws(LianzhengError) -> TableRead {
        let path = directory.hasSuffix("/") ? directory + table.fileName : directory + "/" + table.fileName
        let mapped: MappedFile
        do {
            mapped = try MappedFile(path: path)
        } catch {
            if case .missingInput = error, !table.isRequired { return .absent }
            if case .missingInput = error { throw .missingInput("\(path): 缺少必需文件 \(table.fileName)") }
            throw error
        }
        let text: DecodedText
        do {
            text = try DecodedText(file: mapped, displayName: path, encoding: encoding)
        } catch {
            if case .invalidData(let found, _) = error {
                for issue in found { issues.add(issue) }
                return .incomplete
            }
            throw error
        }
        return text.withBytes { bytes -> TableRead in
            var scanner = CSVScanner(bytes: bytes)
            var record = CSVRecord()
            var fieldOf: [Int]? = nil
            var result = TableRead.complete
            while true {
                let more: Bool
                do throws(CSVSyntaxError) {
                    more = try scanner.next(into: &record)
                } catch {
                    issues.add(InputIssue(file: path, line: error.line, column: error.column, message: error.message))
                    result = .incomplete
                    // A bad header leaves nothing to map the rows with.
                    if error.recoverable, fieldOf != nil { continue }
                    return result
                }
                guard more else { break }
                guard let map = fieldOf else {
                    fieldOf = mapHeader(table, scanner: scanner, record: record, file: path, issues: &issues, warnings: &warnings)
                    if fieldOf == nil { return .incomplete }
                    continue
                }
                let row = InputRow(scanner: scanner, record: record, fieldOf: map, file: path)
                if checkShape(table, row: row, issues: &issues) {
                    handle(row, &issues)
                } else {
                    rejected(row)
                }
            }
            if fieldOf == nil {
                // Only blank lines: no header.
                issues.add(InputIssue(file: path, line: 1, column: 1, message: "文件为空，缺少表头 (empty file)"))
                return .incomplete
            }
            return result
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
    private static func checkShape(_ table: InputTable, row: InputRow, issues: inout IssueCollector) -> Bool {
        var ok = true
        for c in table.requiredColumns where !row.has(c) {
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
