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
        guard let data = FileManager.default.contents(atPath: path) else {
            throw .io("无法读取评分方案 (cannot read the scheme): \(path)")
        }
        return try parse(bytes: [UInt8](data), source: path)
    }
}

extension Scheme {
    /// The built-in default scheme (SPEC §3), the same as `Datasets/schemes/default.json`.
    public static var `default`: Scheme { SchemeParser.defaultScheme }
}
