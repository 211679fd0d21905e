import Foundation
@testable import LianzhengKit

/// A dataset folder on disk written from file contents, for reading tests.
///
/// `DatasetFolder.valid` is a small valid dataset; a test replaces or drops
/// the files it is about, so every other file stays valid and each expected
/// problem is the only one.
struct DatasetFolder {
    let path: String

    /// Two units (U2 under U1), two posts, one power, one incident.
    static let valid: [String: String] = [
        "units.csv": "unit_id,name,parent_id,kind\nU1,市局,,行政机关\nU2,办公室,U1,内设科室\n",
        "posts.csv": "post_id,unit_id,name,category\nP1,U1,局长,领导\nP2,U2,主任,综合\n",
        "powers.csv": "post_id,power,kind,annual_count,amount,discretion\nP1,许可签发,行政许可,10,5,2\n",
        "incidents.csv": "incident_id,post_id,date,kind,status\nX1,P1,2025-03-01,信访举报,待核实\n",
    ]

    /// Writes `files` (text as UTF-8) into a fresh temporary folder.
    init(_ files: [String: String]) {
        self.init(bytes: files.mapValues { Array($0.utf8) })
    }

    init(bytes files: [String: [UInt8]]) {
        path = temporaryDirectory()
        for (name, content) in files {
            let written = FileManager.default.createFile(atPath: path + "/" + name, contents: Data(content))
            precondition(written, "cannot write \(path)/\(name)")
        }
    }

    /// The valid dataset with `changes` applied: a value replaces a file, nil removes it.
    static func valid(with changes: [String: String?]) -> DatasetFolder {
        var files = valid
        for (name, content) in changes { files[name] = content }
        return DatasetFolder(files)
    }

    /// The path the reader reports for `file`.
    func file(_ name: String) -> String { path + "/" + name }

    /// Reads the folder; `pieceBytes` splits files into pieces of that size
    /// (1: at every line) where the default reads small files whole.
    func read(scheme: Scheme? = nil, encoding: InputEncoding = .auto, pieceBytes: Int? = nil) throws -> (dataset: Dataset, warnings: [String]) {
        let reader = try self.reader(scheme: scheme, encoding: encoding, pieceBytes: pieceBytes)
        let dataset = try reader.read()
        return (dataset, reader.warnings)
    }

    func reader(scheme: Scheme? = nil, encoding: InputEncoding = .auto, pieceBytes: Int? = nil) throws -> DatasetReader {
        DatasetReader(
            directory: path, scheme: try scheme ?? LianzhengKitTests.scheme(), encoding: encoding,
            pieceBytes: pieceBytes ?? TableReader.minimumPieceBytes)
    }

    /// The error reading ends with (nil when it succeeds).
    func readError(scheme: Scheme? = nil, encoding: InputEncoding = .auto, pieceBytes: Int? = nil) throws -> LianzhengError? {
        let reader = try self.reader(scheme: scheme, encoding: encoding, pieceBytes: pieceBytes)
        do throws(LianzhengError) {
            _ = try reader.read()
            return nil
        } catch {
            return error
        }
    }

    func remove() { try? FileManager.default.removeItem(atPath: path) }

    /// Dates the files' modification an hour back: an import records the
    /// source digest of files only when they had settled before it
    /// hashed them (`SourceDigest.filesUnchanged`), which files a test has
    /// just written have not.
    func age() {
        let hourAgo = Date(timeIntervalSinceNow: -3600)
        for name in (try? FileManager.default.contentsOfDirectory(atPath: path)) ?? [] {
            try? FileManager.default.setAttributes([.modificationDate: hourAgo], ofItemAtPath: path + "/" + name)
        }
    }

    /// Writes `content` to file `name` (replacing it) and dates it an hour back.
    func write(_ name: String, _ content: String) {
        let written = FileManager.default.createFile(atPath: file(name), contents: Data(content.utf8))
        precondition(written, "cannot write \(file(name))")
        age()
    }
}

/// Bytes of `text` in GB18030, as Excel and WPS write on Chinese Windows.
func gb18030(_ text: String) -> [UInt8] {
    Array(text.data(using: String.Encoding(rawValue: 0x8000_0632))!)
}

/// The folder holding the repository (for `Datasets/`).
let repositoryRoot: String = {
    var url = URL(fileURLWithPath: #filePath)
    while url.path != "/" {
        url.deleteLastPathComponent()
        if FileManager.default.fileExists(atPath: url.path + "/Package.swift") { return url.path }
    }
    return FileManager.default.currentDirectoryPath
}()
