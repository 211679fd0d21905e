/// Where a problem in an input file is: 1-based physical line and field
/// (or byte, for an encoding error) column.
public struct InputIssue: Error, Sendable, Equatable, CustomStringConvertible {
    public var file: String
    public var line: Int
    public var column: Int
    public var message: String

    public init(file: String, line: Int, column: Int, message: String) {
        self.file = file
        self.line = line
        self.column = column
        self.message = message
    }

    /// `FILE:LINE:COLUMN: message`, the form every reported problem takes,
    /// always on one line (see `oneLine`).
    public var description: String { "\(oneLine(file)):\(line):\(column): \(oneLine(message))" }
}

/// `text` with line breaks and other control characters written as escapes
/// (`\n`, `\r`, `\t`, `\u{7F}`), so that a message quoting a field value
/// that holds a line break (a quoted CSV field may) stays one line: one
/// problem per line on stderr.
public func oneLine(_ text: String) -> String {
    guard text.unicodeScalars.contains(where: needsEscape) else { return text }
    var out = ""
    for scalar in text.unicodeScalars {
        switch scalar {
        case "\n": out += "\\n"
        case "\r": out += "\\r"
        case "\t": out += "\\t"
        case _ where needsEscape(scalar): out += "\\u{\(String(scalar.value, radix: 16, uppercase: true))}"
        default: out.unicodeScalars.append(scalar)
        }
    }
    return out
}

private func needsEscape(_ s: Unicode.Scalar) -> Bool {
    s.value < 0x20 || s.value == 0x7F || s.value == 0x85 || s.value == 0x2028 || s.value == 0x2029
}

/// A problem in a scheme, named by its JSON path (`assessment.bands[2].min`).
public struct SchemeIssue: Error, Sendable, Equatable, CustomStringConvertible {
    public var path: String
    public var message: String

    public init(path: String, message: String) {
        self.path = path
        self.message = message
    }

    public var description: String { path.isEmpty ? message : "\(path): \(message)" }
}

/// Every failure a command can end with, each mapped to a sysexits code.
public enum LianzhengError: Error, Sendable, CustomStringConvertible {
    /// Bad command line (64).
    case usage(String)
    /// Bad data: all problems found, up to the report cap, and how many in all (65).
    case invalidData([InputIssue], total: Int)
    /// Bad scheme (65). `source` names the file or `--set`.
    case invalidScheme(source: String, [SchemeIssue])
    /// Other bad input that is not positional (65).
    case invalid(String)
    /// A required input is missing (66).
    case missingInput(String)
    /// Reading or writing failed (74).
    case io(String)

    public var exitCode: Int32 {
        switch self {
        case .usage: 64
        case .invalidData, .invalidScheme, .invalid: 65
        case .missingInput: 66
        case .io: 74
        }
    }

    /// The message printed on stderr, one problem per line.
    public var description: String {
        switch self {
        case .usage(let m): return "用法错误: \(m)"
        case .invalidData(let issues, let total):
            var lines = issues.map { "\(oneLine($0.file)):\($0.line):\($0.column): 错误: \(oneLine($0.message))" }
            if total > issues.count { lines.append("……另有 \(total - issues.count) 个问题未列出") }
            lines.append("共 \(total) 个数据错误，未写入任何内容。")
            return lines.joined(separator: "\n")
        case .invalidScheme(let source, let issues):
            var lines = issues.map { "\(source): \($0.description)" }
            lines.append("评分方案有 \(issues.count) 个错误。")
            return lines.joined(separator: "\n")
        case .invalid(let m): return m
        case .missingInput(let m): return "缺少输入: \(m)"
        case .io(let m): return "读写失败: \(m)"
        }
    }
}
