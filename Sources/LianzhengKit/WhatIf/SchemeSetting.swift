/// One `--set PATH=VALUE` of `whatif` (SPEC §8): replaces the scheme value at
/// a dot-separated path (`assessment.bands.0.min=88`). VALUE is read as JSON
/// when it is valid JSON (`88`, `null`, `"文本"`), else as a string.
public struct SchemeSetting: Sendable, Equatable, CustomStringConvertible {
    /// Dot-separated; a number indexes an array: `assessment.bands.0.min`.
    public var path: String
    /// The new value as written after `=`.
    public var value: String

    /// The edit `path=value`.
    public init(path: String, value: String) {
        self.path = path
        self.value = value
    }

    /// Parses `PATH=VALUE`, split at the first `=`.
    /// - Throws: `.usage` when there is no `=` or no path.
    public init(argument: String) throws(LianzhengError) {
        guard let eq = argument.firstIndex(of: "="), eq != argument.startIndex else {
            throw .usage("--set 须写作 PATH=VALUE，例如 assessment.bands.0.min=88: \(argument)")
        }
        path = String(argument[..<eq])
        value = String(argument[argument.index(after: eq)...])
    }

    /// `PATH=VALUE`.
    public var description: String { "\(path)=\(value)" }

    /// How a list of edits is named in messages: `--set a=1 --set b=2`.
    static func source(_ edits: [SchemeSetting]) -> String {
        edits.map { "--set \($0)" }.joined(separator: " ")
    }
}

/// The scheme a what-if compares against its baseline.
public enum AlternativeScheme {
    /// `start` with every edit applied in order, then validated like any
    /// scheme (SPEC §3).
    ///
    /// - Parameter source: names `start` when it is itself invalid (the
    ///   scheme file); the edited scheme's problems are reported under the
    ///   edits (`--set assessment.bands.0.min=abc: assessment.bands[0].min: …`).
    /// - Throws: `.invalidScheme` (exit 65) naming the path, for a path that
    ///   does not exist or a value the scheme rules refuse.
    public static func make(
        from start: JSONValue, source: String, edits: [SchemeSetting]
    ) throws(LianzhengError) -> SchemeParser.Result {
        let original = try SchemeParser.parse(json: start, source: source)
        if edits.isEmpty { return original }
        var json = start
        for edit in edits {
            do {
                json = try json.setting(path: edit.path, to: edit.value)
            } catch {
                throw .invalidScheme(source: "--set \(edit)", [error])
            }
        }
        return try SchemeParser.parse(json: json, source: SchemeSetting.source(edits))
    }

    /// `make` from JSON text (a stored run's scheme or a scheme file's bytes).
    /// - Throws: `.invalidScheme` naming `source` when the text itself is not
    ///   a valid scheme, JSON syntax included.
    public static func make(
        from bytes: [UInt8], source: String, edits: [SchemeSetting]
    ) throws(LianzhengError) -> SchemeParser.Result {
        let original = try SchemeParser.parse(bytes: bytes, source: source)
        if edits.isEmpty { return original }
        guard let json = try? JSONValue(parsing: bytes) else {
            throw .invalid("\(source): 无法读取评分方案 (cannot read the scheme)")  // unreachable: it parsed above
        }
        return try make(from: json, source: source, edits: edits)
    }
}

/// One scheme value that differs between the baseline and the alternative
/// scheme, named by its JSON path as SPEC §3 prints paths.
public struct SchemeValueChange: Sendable, Equatable {
    /// `assessment.bands[0].min`.
    public var path: String
    /// Canonical JSON of the baseline's value; nil when the baseline has none there.
    public var from: String?
    /// Canonical JSON of the alternative's value; nil when it has none there.
    public var to: String?

    public init(path: String, from: String?, to: String?) {
        self.path = path
        self.from = from
        self.to = to
    }

    /// Every value that differs between two schemes' canonical JSON, in key
    /// order (depth first): what a what-if changed.
    public static func between(_ a: Scheme, _ b: Scheme) -> [SchemeValueChange] {
        guard a.canonicalJSON != b.canonicalJSON,
            let x = try? JSONValue(parsing: a.canonicalJSON), let y = try? JSONValue(parsing: b.canonicalJSON)
        else { return [] }
        var out: [SchemeValueChange] = []
        diff(x, y, path: "", into: &out)
        return out
    }

    private static func diff(_ a: JSONValue?, _ b: JSONValue?, path: String, into out: inout [SchemeValueChange]) {
        switch (a, b) {
        case (.object(let x)?, .object(let y)?):
            var keys = x.map(\.key)
            for key in y.map(\.key) where !keys.contains(key) { keys.append(key) }
            keys.sort { $0.utf8.lexicographicallyPrecedes($1.utf8) }
            for key in keys {
                diff(a?[key], b?[key], path: path.isEmpty ? key : path + "." + key, into: &out)
            }
        case (.array(let x)?, .array(let y)?):
            for i in 0..<max(x.count, y.count) {
                diff(i < x.count ? x[i] : nil, i < y.count ? y[i] : nil, path: "\(path)[\(i)]", into: &out)
            }
        default:
            let from = a?.canonicalText
            let to = b?.canonicalText
            if from != to { out.append(SchemeValueChange(path: path, from: from, to: to)) }
        }
    }
}
