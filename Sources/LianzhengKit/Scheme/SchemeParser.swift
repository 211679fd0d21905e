import Foundation

/// Reads and validates 评分方案 JSON (SPEC §3) into a `Scheme`.
///
/// Every problem is collected, not only the first, each named by its JSON
/// path (`assessment.bands[2].min: …`); unknown keys outside level floors are
/// ignored and returned as warnings.
public enum SchemeParser {
    /// The result of a successful parse.
    public typealias Result = (scheme: Scheme, warnings: [String])

    /// The built-in default scheme, from `defaultSchemeText`.
    public static let defaultScheme: Scheme = {
        do {
            return try parse(text: defaultSchemeText, source: "默认评分方案").scheme
        } catch {
            fatalError("the built-in default scheme is invalid: \(error)")
        }
    }()

    /// Parses scheme JSON text. `source` names the file in error messages.
    /// - Throws: `LianzhengError.invalidScheme` with every problem found.
    public static func parse(text: String, source: String) throws(LianzhengError) -> Result {
        try parse(bytes: Array(text.utf8), source: source)
    }

    /// The largest scheme file read: 1 MiB, some 450 times the default
    /// scheme. A larger file is refused before it is read, so a hostile one
    /// costs neither memory nor time.
    public static let maximumBytes = 1 << 20

    /// The bytes of the scheme file at `path`, as they are (invalid UTF-8 is
    /// then a syntax error, not U+FFFD).
    /// - Throws: `missingInput` when it does not exist, `io` when it cannot
    ///   be read, `invalidScheme` when it is larger than `maximumBytes`.
    public static func readFile(_ path: String) throws(LianzhengError) -> [UInt8] {
        let file = try MappedFile(path: path)
        guard file.count <= maximumBytes else {
            throw .invalidScheme(source: path, [SchemeIssue(
                path: "", message: "评分方案文件过大：\(file.count) 字节，上限 \(maximumBytes) 字节 (scheme file too large)")])
        }
        return file.withBytes { Array($0) }
    }

    /// Parses scheme JSON from UTF-8 bytes (a BOM is allowed).
    /// - Throws: `LianzhengError.invalidScheme` with every problem found.
    public static func parse(bytes: [UInt8], source: String) throws(LianzhengError) -> Result {
        let json: JSONValue
        do {
            json = try JSONValue(parsing: bytes)
        } catch {
            let issue = SchemeIssue(
                path: "", message: "JSON 语法错误，第 \(error.line) 行第 \(error.column) 列: \(error.message)")
            throw .invalidScheme(source: source, [issue])
        }
        return try parse(json: json, source: source)
    }

    /// Validates an already parsed document, e.g. one edited by `whatif --set`.
    /// - Throws: `LianzhengError.invalidScheme` with every problem found.
    public static func parse(json: JSONValue, source: String) throws(LianzhengError) -> Result {
        var reader = SchemeReader()
        let scheme = reader.readScheme(json)
        reader.finish()
        guard let scheme, reader.issues.isEmpty else {
            throw .invalidScheme(source: source, reader.issues)
        }
        return (scheme, reader.warnings)
    }

    /// Reads and parses the scheme file at `path`.
    /// - Throws: `missingInput` when the file does not exist, `io` when it
    ///   cannot be read, `invalidScheme` when it is not a valid scheme.
    public static func load(contentsOf path: String) throws(LianzhengError) -> Result {
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory), !isDirectory.boolValue else {
            throw .missingInput("评分方案文件不存在 (scheme file not found): \(path)")
        }
        return try parse(bytes: readFile(path), source: path)
    }
}

extension Scheme {
    /// The built-in default scheme (SPEC §3), the same as `Datasets/schemes/default.json`.
    public static var `default`: Scheme { SchemeParser.defaultScheme }
}
