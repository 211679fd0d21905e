/// A JSON path as SPEC §3 prints it: `assessment.bands[2].min`.
struct SchemePath: Sendable, Equatable, CustomStringConvertible {
    var text: String

    static let root = SchemePath(text: "")

    /// The path of member `key` (`risk.weights`).
    func member(_ key: String) -> SchemePath {
        SchemePath(text: text.isEmpty ? key : "\(text).\(key)")
    }

    /// The path of array element `index` (`levels[0]`).
    func element(_ index: Int) -> SchemePath {
        SchemePath(text: "\(text)[\(index)]")
    }

    var description: String { text }
}

/// An object being read, with the path it sits at.
struct SchemeObject {
    var members: [(key: String, value: JSONValue)]
    var path: SchemePath

    subscript(key: String) -> JSONValue? {
        members.first { $0.key == key }?.value
    }

    func contains(_ key: String) -> Bool { self[key] != nil }
}

/// What a number must satisfy.
enum NumberRule {
    case any
    /// > 0
    case positive
    /// ≥ 0
    case nonNegative
    /// in [0, 1]
    case unitInterval

    func accepts(_ value: Double) -> Bool {
        switch self {
        case .any: true
        case .positive: value > 0
        case .nonNegative: value >= 0
        case .unitInterval: value >= 0 && value <= 1
        }
    }

    func accepts(hundredths value: Int64) -> Bool {
        switch self {
        case .any: true
        case .positive: value > 0
        case .nonNegative: value >= 0
        case .unitInterval: value >= 0 && value <= 100
        }
    }

    var message: String {
        switch self {
        case .any: ""
        case .positive: "必须大于 0 (must be > 0)"
        case .nonNegative: "不能为负数 (must be ≥ 0)"
        case .unitInterval: "必须在 0 到 1 之间 (must be in [0, 1])"
        }
    }
}

/// Reads typed values out of a scheme document, collecting every problem
/// (`issues`) and every ignored key (`warnings`) instead of stopping at the
/// first. A reader method returns nil exactly when it reported an issue.
struct SchemeReader {
    private(set) var issues: [SchemeIssue] = []
    private(set) var warnings: [String] = []

    /// Problems kept, like input issues (`IssueCollector`): a scheme of
    /// thousands of bad values is reported in a few hundred lines.
    static let issueCap = 200
    /// Unknown keys listed one by one; the rest are counted.
    static let warningCap = 20
    private var unlistedIssues = 0
    private var unlistedWarnings = 0

    mutating func report(_ path: SchemePath, _ message: String) {
        guard issues.count < Self.issueCap else {
            unlistedIssues += 1
            return
        }
        issues.append(SchemeIssue(path: abbreviated(path.text, limit: 200), message: abbreviated(message)))
    }

    /// Warns about every member not in `known` (SPEC §3: unknown keys are ignored).
    mutating func warnUnknownKeys(_ object: SchemeObject, known: [String]) {
        for (key, _) in object.members where !known.contains(key) {
            guard warnings.count < Self.warningCap else {
                unlistedWarnings += 1
                continue
            }
            let issue = SchemeIssue(path: object.path.member(key).text, message: "未知的键，已忽略 (unknown key ignored)")
            warnings.append(issue.description)
        }
    }

    /// Adds the count of what was not listed, once reading is done.
    mutating func finish() {
        if unlistedIssues > 0 {
            issues.append(SchemeIssue(path: "", message: "……另有 \(unlistedIssues) 个问题未列出 (\(unlistedIssues) more problems)"))
            unlistedIssues = 0
        }
        if unlistedWarnings > 0 {
            warnings.append("……另有 \(unlistedWarnings) 个未知的键已忽略 (\(unlistedWarnings) more unknown keys ignored)")
            unlistedWarnings = 0
        }
    }

    /// The member `key`, reporting it when missing. `null` is returned as is.
    mutating func required(_ key: String, in object: SchemeObject) -> JSONValue? {
        guard let value = object[key] else {
            report(object.path.member(key), "缺少必需的键 (required key missing)")
            return nil
        }
        return value
    }

    // MARK: Containers

    mutating func object(_ value: JSONValue?, at path: SchemePath) -> SchemeObject? {
        guard let value else { return nil }
        guard let members = value.objectMembers else {
            report(path, "必须是对象 (must be an object)")
            return nil
        }
        return SchemeObject(members: members, path: path)
    }

    mutating func object(_ key: String, in parent: SchemeObject) -> SchemeObject? {
        object(required(key, in: parent), at: parent.path.member(key))
    }

    mutating func array(_ value: JSONValue?, at path: SchemePath, nonEmpty: Bool) -> [JSONValue]? {
        guard let value else { return nil }
        guard let elements = value.arrayElements else {
            report(path, "必须是数组 (must be an array)")
            return nil
        }
        if nonEmpty && elements.isEmpty {
            report(path, "不能为空列表 (must not be empty)")
            return nil
        }
        return elements
    }

    mutating func array(_ key: String, in parent: SchemeObject, nonEmpty: Bool) -> [JSONValue]? {
        array(required(key, in: parent), at: parent.path.member(key), nonEmpty: nonEmpty)
    }

    /// A list of strings; nil (after reporting) if any element is not one.
    mutating func strings(_ value: JSONValue?, at path: SchemePath, nonEmpty: Bool) -> [String]? {
        guard let elements = array(value, at: path, nonEmpty: nonEmpty) else { return nil }
        var result: [String] = []
        var valid = true
        for (index, element) in elements.enumerated() {
            if let text = string(element, at: path.element(index), nonEmpty: true) {
                result.append(text)
            } else {
                valid = false
            }
        }
        return valid ? result : nil
    }

    // MARK: Scalars

    mutating func string(_ value: JSONValue?, at path: SchemePath, nonEmpty: Bool) -> String? {
        guard let value else { return nil }
        guard let text = value.stringValue else {
            report(path, "必须是字符串 (must be a string)")
            return nil
        }
        if nonEmpty && text.isEmpty {
            report(path, "不能为空 (must not be empty)")
            return nil
        }
        return text
    }

    mutating func string(_ key: String, in parent: SchemeObject, nonEmpty: Bool = false) -> String? {
        string(required(key, in: parent), at: parent.path.member(key), nonEmpty: nonEmpty)
    }

    /// A number's exact literal and its binary64 value.
    mutating func decimal(_ value: JSONValue?, at path: SchemePath) -> (exact: DecimalLiteral, value: Double)? {
        guard let value else { return nil }
        guard let literal = value.numberLiteral, let exact = DecimalLiteral(literal), let double = Double(literal),
            double.isFinite
        else {
            report(path, "必须是数值 (must be a number)")
            return nil
        }
        return (exact, double)
    }

    /// A binary64 number satisfying `rule`.
    mutating func number(_ value: JSONValue?, at path: SchemePath, _ rule: NumberRule) -> Double? {
        guard let (_, double) = decimal(value, at: path) else { return nil }
        guard rule.accepts(double) else {
            report(path, rule.message)
            return nil
        }
        return double
    }

    mutating func number(_ key: String, in parent: SchemeObject, _ rule: NumberRule) -> Double? {
        number(required(key, in: parent), at: parent.path.member(key), rule)
    }

    /// Assessment points: at most 2 decimal places as written (`90.500` is
    /// refused), converted exactly to hundredths (SPEC §3, §5).
    mutating func points(_ value: JSONValue?, at path: SchemePath, _ rule: NumberRule) -> Int64? {
        guard let exact = decimal(value, at: path)?.exact else { return nil }
        guard exact.decimalPlaces <= 2 else {
            report(path, "分值最多两位小数，此处有 \(exact.decimalPlaces) 位 (at most 2 decimal places)")
            return nil
        }
        guard let hundredths = scaledCeiling(exact, places: 2, at: path) else { return nil }
        guard rule.accepts(hundredths: hundredths) else {
            report(path, rule.message)
            return nil
        }
        guard hundredths <= FieldParsing.maximumHundredths else {
            report(path, "数值过大，最大 1000000 (at most 1000000 points)")
            return nil
        }
        return hundredths
    }

    mutating func points(_ key: String, in parent: SchemeObject, _ rule: NumberRule) -> Int64? {
        points(required(key, in: parent), at: parent.path.member(key), rule)
    }

    /// ceil(value × 10^places) exactly, reporting values too large for `Int64`.
    mutating func scaledCeiling(_ exact: DecimalLiteral, places: Int, at path: SchemePath) -> Int64? {
        guard let scaled = exact.ceiling(scaledBy: places) else {
            report(path, "数值过大 (number too large)")
            return nil
        }
        return scaled
    }

    /// A score threshold: its binary64 value for display and ceil(value × 100)
    /// computed exactly from the literal (`69.995` → 7000), never via binary64.
    mutating func threshold(
        _ key: String, in parent: SchemeObject, _ rule: NumberRule
    ) -> (value: Double, hundredths: Int64, isZero: Bool)? {
        let path = parent.path.member(key)
        guard let (exact, double) = decimal(required(key, in: parent), at: path) else { return nil }
        guard rule.accepts(double) else {
            report(path, rule.message)
            return nil
        }
        guard let hundredths = scaledCeiling(exact, places: 2, at: path) else { return nil }
        return (double, hundredths, exact.isZero)
    }

    /// A whole number ≥ 1 (`5`, also written `5.0`).
    mutating func positiveInteger(_ key: String, in parent: SchemeObject) -> Int? {
        let path = parent.path.member(key)
        guard let (exact, double) = decimal(required(key, in: parent), at: path) else { return nil }
        guard exact.isIntegral, double >= 1, let whole = exact.ceiling(scaledBy: 0), let result = Int(exactly: whole)
        else {
            report(path, "必须是正整数 (must be a positive integer)")
            return nil
        }
        return result
    }

    // MARK: Cross-checks

    /// Reports every name that repeats an earlier one, at the later path.
    mutating func checkUnique(_ names: [(name: String, path: SchemePath)]) {
        var seen: Set<String> = []
        for (name, path) in names where !seen.insert(name).inserted {
            report(path, "名称 \"\(name)\" 重复 (duplicate name)")
        }
    }

    /// Thresholds most severe first: strictly decreasing, the last exactly 0.
    /// `nil` entries (already reported) are skipped.
    mutating func checkDescending(
        _ thresholds: [(hundredths: Int64, isZero: Bool)?], at paths: [SchemePath], what: String
    ) {
        var previous: Int64?
        for (threshold, path) in zip(thresholds, paths) {
            guard let threshold else {
                previous = nil
                continue
            }
            if let previous, threshold.hundredths >= previous {
                report(path, "\(what)下限必须严格递减 (must be strictly decreasing)")
            }
            previous = threshold.hundredths
        }
        if let last = thresholds.last, let last, !last.isZero {
            report(paths[paths.count - 1], "最后一个\(what)的下限必须为 0 (the last minimum must be 0)")
        }
    }
}
