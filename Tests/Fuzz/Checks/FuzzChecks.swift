import Foundation
import LianzhengKit

#if canImport(Glibc)
    import Glibc
#endif

/// What the fuzz targets check for one input, shared with the test suite so
/// that every input libFuzzer ever found interesting can be replayed by
/// `swift test` (Tests/Fixtures/fuzz).
///
/// A check returns normally when the program behaved: it accepted the input
/// and every property held, or it refused it with a `LianzhengError`. Any
/// other outcome is a finding: a trap (overflow, index out of range) crashes
/// the process, which is what libFuzzer records; a broken property calls
/// `fail`, which traps too.
public enum FuzzChecks {
    /// The files of the small valid dataset an input is patched into.
    public static let baseFiles: [InputTable: String] = [
        .units: "unit_id,name,parent_id,kind\nU1,局,,机关\nU2,科,U1,科室\n",
        .posts: """
            post_id,unit_id,name,category,holder,tenure_years,self_level,controls,key_decisions
            P1,U2,科长,领导,张三,6,二级,0,是
            P2,U2,科员,,李四,1.5,,,否
            P3,U1,局长,领导,王五,,一级,3,

            """,
        .powers: """
            post_id,power,kind,annual_count,amount,discretion
            P1,审批,行政许可,300,120.5,3
            P2,检查,监督检查,,,
            P3,采购,物资采购,12,9000,4

            """,
        .incidents: """
            incident_id,post_id,date,kind,status
            X1,P1,2024-03-01,诫勉谈话,属实
            X2,P3,2025年1月5日,司法追究,属实
            X3,P2,2023/7/9,信访举报,

            """,
        .assessments: """
            year,subject_type,subject_id,indicator,score
            2025,单位,U2,领导重视,22.5
            2025,岗位,P1,注重成效,30
            2025,post,P2,材料详实,19.75

            """,
        .adjustments: """
            year,subject_type,subject_id,type,points,reason
            2025,单位,U2,加分,2,表扬
            2025,岗位,P2,扣分,1.5,"通报,批评"
            2025,unit,U1,一票否决,,违纪

            """,
        .riskPoints: """
            point_id,post_id,type,description,measures
            R1,P1,岗位职责,超越权限,轮岗
            R2,P2,业务流程,拖延办理,

            """,
    ]

    /// The byte that separates files in a multi-file input (ASCII RS).
    public static let fileSeparator: UInt8 = 0x1E

    /// Scratch folders of this process, on tmpfs when there is one.
    static let scratch: String = {
        let base = FileManager.default.fileExists(atPath: "/dev/shm") ? "/dev/shm/" : NSTemporaryDirectory()
        let path = base + "lianzheng-fuzz-\(getpid())"
        try? FileManager.default.createDirectory(atPath: path + "/in", withIntermediateDirectories: true)
        try? FileManager.default.createDirectory(atPath: path + "/export", withIntermediateDirectories: true)
        return path
    }()

    /// A broken property: traps, so libFuzzer keeps the input.
    static func fail(_ what: String) -> Never {
        fatalError("fuzz property broken: \(what)")
    }

    // MARK: CSV + dataset

    /// One input for the CSV target.
    ///
    /// The whole input is first scanned as CSV on its own (field ranges in
    /// bounds, lines never decreasing). Then byte 0 chooses how the rest
    /// becomes a dataset folder: bits 0–2 the file it replaces in
    /// `baseFiles` (0…6 in `InputTable.allCases` order), or 7 for "the rest
    /// is every file, split at 0x1E" (missing parts are absent files); bits
    /// 3–4 the encoding (auto, utf8, gb18030, auto). The folder is read and
    /// validated; a dataset that passes must survive export → re-read,
    /// SQLite store → load (same fingerprint) and a whole year-end
    /// computation with rendered outputs.
    public static func dataset(_ input: UnsafeBufferPointer<UInt8>) {
        scanCSV(input)
        guard let mode = input.first else { return }
        let body = UnsafeBufferPointer(rebasing: input[1...])
        let encoding: InputEncoding = [.auto, .utf8, .gb18030, .auto][Int(mode >> 3) & 3]
        let directory = scratch + "/in"
        var files: [InputTable: [UInt8]] = [:]
        if mode & 7 == 7 {
            var part = 0
            var start = 0
            for i in 0...body.count where i == body.count || body[i] == fileSeparator {
                if part < InputTable.allCases.count {
                    files[InputTable.allCases[part]] = Array(body[start..<i])
                }
                part += 1
                start = i + 1
            }
        } else {
            for (table, text) in baseFiles { files[table] = Array(text.utf8) }
            files[InputTable.allCases[Int(mode & 7) % InputTable.allCases.count]] = Array(body)
        }
        for table in InputTable.allCases {
            let path = directory + "/" + table.fileName
            unlink(path)
            if let bytes = files[table] { write(bytes, to: path) }
        }
        checkDatasetFolder(directory, encoding: encoding)
    }

    /// Reads `directory`; checks the error text when refused, the
    /// round trips and the computation when accepted.
    public static func checkDatasetFolder(_ directory: String, encoding: InputEncoding) {
        let scheme = SchemeParser.defaultScheme
        let dataset: Dataset
        do {
            dataset = try DatasetReader(directory: directory, scheme: scheme, encoding: encoding).read()
        } catch {
            checkMessage(error)
            return
        }
        checkAccepted(dataset, scheme: scheme)
    }

    /// The properties every accepted dataset has.
    public static func checkAccepted(_ dataset: Dataset, scheme: Scheme) {
        guard dataset.computeFingerprint() == dataset.fingerprint else { fail("fingerprint is not that of the data") }

        // Export → read again: the same data (quoting, escaping, numbers).
        let exported = scratch + "/export"
        do {
            try DatasetExport.write(dataset, to: exported)
            let again = try DatasetReader(directory: exported, scheme: scheme, encoding: .utf8).read()
            guard again.fingerprint == dataset.fingerprint else { fail("export → read changes the fingerprint") }
        } catch {
            fail("an accepted dataset does not export and read back: \(error)")
        }

        // SQLite store → load (column pack): the same data.
        do {
            let db = try Database(path: ":memory:")
            let store = try SnapshotStore(db: db)
            let (id, _) = try store.store(dataset, source: "fuzz")
            let loaded = try store.load(id)
            guard loaded.computeFingerprint() == dataset.fingerprint else { fail("store → load changes the data") }
        } catch {
            fail("an accepted dataset does not store and load: \(error)")
        }

        let year = dataset.assessments.year.first.map(Int.init) ?? dataset.adjustments.year.first.map(Int.init) ?? 2025
        checkYear(dataset, scheme: scheme, year: year)
    }

    /// A whole year-end computation and its rendered outputs.
    public static func checkYear(_ dataset: Dataset, scheme: Scheme, year: Int) {
        let computation: YearComputation
        do {
            computation = try YearComputation(dataset: dataset, scheme: scheme, year: year, threads: 1)
        } catch {
            checkMessage(error)
            return
        }
        let run = RunIdentity(datasetFingerprint: dataset.fingerprint, schemeFingerprint: scheme.fingerprint, year: year)
        let outputs = YearEndOutputs(computation, run: run, chineseHeaders: year % 2 == 0)
        for file in outputs.files {
            let bytes = file.bytes
            switch file.name {
            case "report.html":
                // Every text of the data is escaped: the report holds no
                // markup the program did not write.
                let html = String(decoding: bytes, as: UTF8.self)
                if html.contains("<script") || html.contains("<iframe") { fail("unescaped markup in report.html") }
            case "scorecards.json":
                guard (try? JSONSerialization.jsonObject(with: Data(bytes))) != nil else { fail("scorecards.json is not JSON") }
            default:
                checkCSV(file.name, bytes)
            }
        }
    }

    /// An output CSV: BOM, CRLF record ends, every record as wide as the
    /// header, no text cell starting a formula.
    static func checkCSV(_ name: String, _ bytes: [UInt8]) {
        guard bytes.starts(with: [0xEF, 0xBB, 0xBF]) else { fail("\(name) has no BOM") }
        guard bytes.count == 3 || bytes.suffix(2) == [0x0D, 0x0A] else { fail("\(name) does not end with CRLF") }
        Array(bytes.dropFirst(3)).withUnsafeBufferPointer { body in
            var scanner = CSVScanner(bytes: body)
            var record = CSVRecord()
            var width = -1
            while true {
                let more: Bool
                do throws(CSVSyntaxError) {
                    more = try scanner.next(into: &record)
                } catch {
                    fail("\(name) does not read back as CSV: \(error.message)")
                }
                guard more else { break }
                if width < 0 { width = record.fields.count }
                guard record.fields.count == width else { fail("\(name): a record of \(record.fields.count) fields, header \(width)") }
                for k in record.fields.indices {
                    let first = scanner.withField(record, k) { $0.first }
                    if first == UInt8(ascii: "=") || first == UInt8(ascii: "@") || first == UInt8(ascii: "+") {
                        fail("\(name): a cell starts a formula")
                    }
                }
            }
        }
    }

    /// An error's text: one problem per line, no raw control characters.
    static func checkMessage(_ error: LianzhengError) {
        let text = error.description
        if case .invalidData(let issues, let total) = error {
            guard !issues.isEmpty, total >= issues.count else { fail("invalidData without issues") }
            let lines = text.split(separator: "\n", omittingEmptySubsequences: false).count
            let expected = issues.count + 1 + (total > issues.count ? 1 : 0)
            guard lines == expected else { fail("an issue spans several lines: \(text)") }
        }
        for scalar in text.unicodeScalars where scalar.value < 0x20 && scalar != "\n" {
            fail("raw control character U+\(String(scalar.value, radix: 16)) in a message")
        }
    }

    /// Scans `input` as CSV: field ranges in bounds, lines never decreasing.
    static func scanCSV(_ input: UnsafeBufferPointer<UInt8>) {
        var scanner = CSVScanner(bytes: input)
        var record = CSVRecord()
        var lastLine = 0
        var records = 0
        while true {
            do throws(CSVSyntaxError) {
                guard try scanner.next(into: &record) else { return }
            } catch {
                guard error.line >= 1, error.column >= 1 else { fail("syntax error without a position") }
                if !error.recoverable { return }
                continue
            }
            records += 1
            guard records <= input.count + 1 else { fail("more records than bytes") }
            guard record.line >= lastLine, !record.fields.isEmpty else { fail("record lines go backwards") }
            lastLine = record.line
            for k in record.fields.indices {
                let field = record.fields[k]
                guard field.start <= field.end, field.line >= record.line else { fail("bad field range") }
                let count = scanner.withField(record, k) { $0.count }
                guard count == field.end - field.start, count <= input.count else { fail("field longer than the input") }
            }
        }
    }

    // MARK: Scheme

    /// One input for the scheme target: parsed and validated; a scheme that
    /// passes must read back from its canonical JSON to the same fingerprint
    /// and carry a year-end computation on a small generated dataset.
    public static func scheme(_ input: UnsafeBufferPointer<UInt8>) {
        let scheme: Scheme
        do {
            scheme = try SchemeParser.parse(bytes: Array(input), source: "fuzz.json").scheme
        } catch {
            checkMessage(error)
            return
        }
        do {
            let again = try SchemeParser.parse(text: scheme.canonicalJSON, source: "canonical").scheme
            guard again.fingerprint == scheme.fingerprint, again.canonicalJSON == scheme.canonicalJSON else {
                fail("canonical JSON does not read back to the same scheme")
            }
        } catch {
            fail("canonical JSON of a valid scheme is refused: \(error)")
        }
        let dataset = SyntheticDataset.make(posts: 24, seed: UInt64(input.count), scheme: scheme)
        checkYear(dataset, scheme: scheme, year: 2025)
    }

    // MARK: Files

    static func write(_ bytes: [UInt8], to path: String) {
        let fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o600)
        guard fd >= 0 else { fail("cannot write \(path)") }
        defer { close(fd) }
        bytes.withUnsafeBytes { buffer in
            var offset = 0
            while offset < buffer.count {
                let n = Glibc.write(fd, buffer.baseAddress! + offset, buffer.count - offset)
                guard n > 0 else { fail("cannot write \(path)") }
                offset += n
            }
        }
    }
}
