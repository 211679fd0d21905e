/// One field of the current record: a byte range in the input or, for a
/// quoted field that needed unescaping, in the record's scratch buffer.
public struct CSVField: Sendable, BitwiseCopyable {
    public var start: Int
    public var end: Int
    /// Physical line (1-based) where the field starts.
    public var line: Int
    public var quoted: Bool
    var inScratch: Bool
}

/// The fields of one record, reused from record to record so that scanning
/// allocates nothing per row.
///
/// Fields and unescaped bytes live in buffers of its own rather than in
/// arrays: handing a row's fields to a reader then costs no reference
/// counting, and appending a field no uniqueness check (millions of rows,
/// several fields each). Copies of a record share its buffers; a copy is
/// only ever read.
public struct CSVRecord {
    private let storage = Storage()
    /// Physical line where the record starts.
    public internal(set) var line: Int = 0

    public init() {}

    /// The fields, valid until the record is scanned into again.
    public var fields: UnsafeBufferPointer<CSVField> { storage.fields.view }

    /// Unescaped quoted fields (`CSVField.inScratch`), valid until the
    /// record is scanned into again.
    var scratch: UnsafeBufferPointer<UInt8> { storage.scratch.view }

    var scratchCount: Int { storage.scratch.count }

    func reset() {
        storage.fields.count = 0
        storage.scratch.count = 0
    }

    @inline(__always)
    func append(_ field: CSVField) { storage.fields.append(field) }

    @inline(__always)
    func appendScratch(_ byte: UInt8) { storage.scratch.append(byte) }

    private final class Storage {
        // Unchecked: a record is only ever used by one scanner at a time,
        // and dynamic exclusivity checks on every field appended cost a
        // tenth of reading a file.
        @exclusivity(unchecked) var fields = GrowableBuffer<CSVField>()
        @exclusivity(unchecked) var scratch = GrowableBuffer<UInt8>()

        deinit {
            fields.free()
            scratch.free()
        }
    }
}

/// A buffer of trivial values that doubles when full; freed by its owner.
struct GrowableBuffer<Element: BitwiseCopyable> {
    private var base = UnsafeMutablePointer<Element>.allocate(capacity: 16)
    private var capacity = 16
    var count = 0

    var view: UnsafeBufferPointer<Element> { UnsafeBufferPointer(start: base, count: count) }

    @inline(__always)
    mutating func append(_ element: Element) {
        if count == capacity { grow() }
        base[count] = element
        count += 1
    }

    private mutating func grow() {
        let bigger = UnsafeMutablePointer<Element>.allocate(capacity: capacity * 2)
        bigger.initialize(from: base, count: count)
        base.deallocate()
        base = bigger
        capacity *= 2
    }

    func free() { base.deallocate() }
}

/// A structural CSV problem: where it is and what.
public struct CSVSyntaxError: Error, Sendable {
    public var line: Int
    public var column: Int
    public var message: String
    /// Whether scanning can go on after it (an unterminated quote ends the file).
    public var recoverable: Bool
}

/// RFC 4180 record scanner over UTF-8 bytes (SPEC §2 reading rules).
///
/// Comma separator; `"` quoting with `""` escapes; quoted fields may hold
/// commas and line breaks (CRLF inside reads as LF) and are never trimmed;
/// unquoted fields are trimmed of spaces and tabs and keep a `"` literally;
/// LF or CRLF record ends; blank lines (only spaces or tabs) are skipped.
/// - Complexity: O(n) over the input, no allocation per record once warm.
public struct CSVScanner {
    private let bytes: UnsafeBufferPointer<UInt8>
    /// Where the next record (or blank line) starts.
    public private(set) var position = 0
    private(set) var line = 1
    /// No record starting at or after this offset is read; the last record
    /// read may end past it (a record belongs to where it starts).
    private let limit: Int

    public init(bytes: UnsafeBufferPointer<UInt8>) {
        self.bytes = bytes
        limit = bytes.count
    }

    /// A scanner over the records that start in `start..<limit`, `start`
    /// being the first byte of physical line `line`.
    init(bytes: UnsafeBufferPointer<UInt8>, start: Int, line: Int, limit: Int) {
        self.bytes = bytes
        position = start
        self.line = line
        self.limit = limit
    }

    private static let comma: UInt8 = 0x2C
    private static let quote: UInt8 = 0x22
    private static let lf: UInt8 = 0x0A
    private static let cr: UInt8 = 0x0D
    private static let space: UInt8 = 0x20
    private static let tab: UInt8 = 0x09

    /// Bytes of field `k` of `record`.
    @inline(__always)
    public func withField<R>(_ record: CSVRecord, _ k: Int, _ body: (UnsafeBufferPointer<UInt8>) throws -> R) rethrows -> R {
        let f = record.fields[k]
        if f.inScratch {
            return try body(UnsafeBufferPointer(rebasing: record.scratch[f.start..<f.end]))
        }
        return try body(UnsafeBufferPointer(rebasing: bytes[f.start..<f.end]))
    }

    public func string(_ record: CSVRecord, _ k: Int) -> String {
        withField(record, k) { String(decoding: $0, as: UTF8.self) }
    }

    /// Reads the next non-blank record into `record`.
    /// - Returns: false at the end of input.
    /// - Throws: a syntax error; when recoverable, the scanner has moved past
    ///   the bad record and the caller may go on.
    public mutating func next(into record: inout CSVRecord) throws(CSVSyntaxError) -> Bool {
        while true {
            guard position < limit else { return false }
            record.reset()
            record.line = line
            try scanRecord(&record)
            if record.fields.count == 1, !record.fields[0].quoted, record.fields[0].start == record.fields[0].end {
                continue  // blank line
            }
            return true
        }
    }

    private mutating func scanRecord(_ record: inout CSVRecord) throws(CSVSyntaxError) {
        let n = bytes.count
        while true {
            let fieldLine = line
            var p = position
            while p < n, bytes[p] == Self.space || bytes[p] == Self.tab { p += 1 }
            if p < n, bytes[p] == Self.quote {
                position = p
                try scanQuoted(&record, fieldLine: fieldLine)
            } else {
                scanUnquoted(&record, fieldLine: fieldLine)
            }
            // position is at a delimiter, a line end, or the end of input.
            if position >= n { return }
            let b = bytes[position]
            if b == Self.comma {
                position += 1
                if position >= n {
                    // trailing comma at end of input: one more empty field
                    record.append(CSVField(start: n, end: n, line: line, quoted: false, inScratch: false))
                    return
                }
                continue
            }
            // line end
            position += 1
            line += 1
            return
        }
    }

    private mutating func scanUnquoted(_ record: inout CSVRecord, fieldLine: Int) {
        let n = bytes.count
        var p = position
        // Eight bytes a step up to the word holding the delimiter; the
        // byte loop below then stops at it.
        while p + 8 <= n {
            let word = ByteWords.load(bytes, p)
            let found = ByteWords.equal(word, Self.comma) | ByteWords.equal(word, Self.lf)
            if found != 0 {
                p += ByteWords.firstFlagged(found)
                break
            }
            p += 8
        }
        while p < n {
            let b = bytes[p]
            if b == Self.comma || b == Self.lf { break }
            p += 1
        }
        var end = p
        if p < n, bytes[p] == Self.lf, end > position, bytes[end - 1] == Self.cr { end -= 1 }
        var start = position
        while start < end, bytes[start] == Self.space || bytes[start] == Self.tab { start += 1 }
        while end > start, bytes[end - 1] == Self.space || bytes[end - 1] == Self.tab { end -= 1 }
        record.append(CSVField(start: start, end: end, line: fieldLine, quoted: false, inScratch: false))
        position = p
    }

    private mutating func scanQuoted(_ record: inout CSVRecord, fieldLine: Int) throws(CSVSyntaxError) {
        let n = bytes.count
        let column = record.fields.count + 1
        var p = position + 1
        let contentStart = p
        var needsCopy = false
        var closed = -1
        while p < n {
            let b = bytes[p]
            if b == Self.quote {
                if p + 1 < n, bytes[p + 1] == Self.quote {
                    needsCopy = true
                    p += 2
                    continue
                }
                closed = p
                break
            }
            if b == Self.lf {
                line += 1
            } else if b == Self.cr, p + 1 < n, bytes[p + 1] == Self.lf {
                needsCopy = true
            }
            p += 1
        }
        guard closed >= 0 else {
            position = n
            throw CSVSyntaxError(line: fieldLine, column: column, message: "引号未闭合 (unterminated quoted field)", recoverable: false)
        }
        if needsCopy {
            let start = record.scratchCount
            var q = contentStart
            while q < closed {
                let b = bytes[q]
                if b == Self.quote {
                    record.appendScratch(Self.quote)
                    q += 2
                    continue
                }
                if b == Self.cr, q + 1 < closed, bytes[q + 1] == Self.lf {
                    q += 1
                    continue
                }
                record.appendScratch(b)
                q += 1
            }
            record.append(CSVField(start: start, end: record.scratchCount, line: fieldLine, quoted: true, inScratch: true))
        } else {
            record.append(CSVField(start: contentStart, end: closed, line: fieldLine, quoted: true, inScratch: false))
        }
        // After the closing quote: spaces or tabs, then a delimiter or line end.
        p = closed + 1
        while p < n, bytes[p] == Self.space || bytes[p] == Self.tab { p += 1 }
        if p < n, bytes[p] == Self.cr, p + 1 < n, bytes[p + 1] == Self.lf { p += 1 }
        if p >= n || bytes[p] == Self.comma || bytes[p] == Self.lf {
            position = p
            return
        }
        // Skip the rest of the record so scanning can resume on the next line.
        skipToRecordEnd(from: p)
        throw CSVSyntaxError(line: fieldLine, column: column, message: "闭合引号后有多余字符 (text after closing quote)", recoverable: true)
    }

    /// Moves past the end of the current record, honouring quotes.
    private mutating func skipToRecordEnd(from start: Int) {
        let n = bytes.count
        var p = start
        var inQuotes = false
        while p < n {
            let b = bytes[p]
            if b == Self.quote { inQuotes.toggle() }
            if b == Self.lf {
                line += 1
                if !inQuotes {
                    p += 1
                    break
                }
            }
            p += 1
        }
        position = p
    }
}
