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
    public var description: String { "\(oneLine(file)):\(line):\(column): \(oneLine(abbreviated(message)))" }
}

/// `text` with line breaks and other control characters written as escapes
/// (`\n`, `\r`, `\t`, `\u{7F}`), so that a message quoting a field value
/// that holds a line break (a quoted CSV field may) stays one line: one
/// problem per line on stderr. C1 controls (a terminal may take U+009B for
/// ESC [) and the bidirectional formatting characters (U+202E would show
/// the rest of the line reversed) are written out the same way.
public func oneLine(_ text: String) -> String {
    escaped(text, keepingLineBreaks: false)
}

/// `text` as `oneLine` writes it, but with line breaks and tabs kept: for
/// multi-line text printed to a terminal, so that nothing from the data or a
/// scheme (an id holding ESC [2J, say) can drive the terminal.
public func terminalSafe(_ text: String) -> String {
    escaped(text, keepingLineBreaks: true)
}

/// `terminalSafe` on UTF-8 bytes; returns `bytes` itself, uncopied, when
/// nothing needs escaping (the common case, decided byte by byte).
/// - Complexity: O(n).
public func terminalSafe(bytes: [UInt8]) -> [UInt8] {
    let suspicious = bytes.withUnsafeBufferPointer { mayNeedEscape($0, keepingLineBreaks: true) }
    guard suspicious else { return bytes }
    let text = String(decoding: bytes, as: UTF8.self)
    let safe = terminalSafe(text)
    return safe == text ? bytes : Array(safe.utf8)
}

/// Whether UTF-8 `bytes` may hold a scalar `oneLine` (or, keeping line
/// breaks, `terminalSafe`) escapes: a byte-wise test that is false for
/// almost every text, so that the escaping costs nothing on clean data.
/// Lead bytes of every escaped scalar: C0 and DEL; C2 (U+0080–U+00BF, the
/// C1 controls among them); D8 (U+061C); E2 (U+2000–U+2FFF, the bidi
/// controls and separators among them).
@inline(__always)
func mayNeedEscape(_ bytes: UnsafeBufferPointer<UInt8>, keepingLineBreaks: Bool) -> Bool {
    bytes.contains { b in
        (b < 0x20 && !(keepingLineBreaks && (b == 0x0A || b == 0x09))) || b == 0x7F || b == 0xC2 || b == 0xD8 || b == 0xE2
    }
}

private func escaped(_ text: String, keepingLineBreaks: Bool) -> String {
    func escapes(_ s: Unicode.Scalar) -> Bool {
        needsEscape(s) && !(keepingLineBreaks && (s == "\n" || s == "\t"))
    }
    guard text.unicodeScalars.contains(where: escapes) else { return text }
    var out = ""
    for scalar in text.unicodeScalars {
        switch scalar {
        case _ where !escapes(scalar): out.unicodeScalars.append(scalar)
        case "\n": out += "\\n"
        case "\r": out += "\\r"
        case "\t": out += "\\t"
        default: out += "\\u{\(String(scalar.value, radix: 16, uppercase: true))}"
        }
    }
    return out
}

/// C0 and C1 controls, DEL, the line and paragraph separators, and the
/// bidirectional formatting characters (marks, embeddings, overrides,
/// isolates).
private func needsEscape(_ s: Unicode.Scalar) -> Bool {
    switch s.value {
    case 0x00...0x1F, 0x7F...0x9F, 0x061C, 0x200E, 0x200F, 0x2028...0x202E, 0x2066...0x2069: true
    default: false
    }
}

/// `text` cut in the middle when it is longer than `limit` characters, the
/// cut said in so many words: a message quoting a field of megabytes keeps
/// its head and its tail (where the English explanation stands) and stays
/// readable, and what is kept of it stays small.
public func abbreviated(_ text: String, limit: Int = 400) -> String {
    guard text.utf8.count > limit else { return text }  // a character is at least one byte
    let scalars = text.unicodeScalars
    let count = scalars.count
    guard count > limit else { return text }
    let head = limit * 2 / 3
    let tail = limit - head
    var out = String(scalars.prefix(head))
    out += "……（省略 \(count - head - tail) 个字符）……"
    out += String(scalars.suffix(tail))
    return out
}

/// A problem in a scheme, named by its JSON path (`assessment.bands[2].min`).
public struct SchemeIssue: Error, Sendable, Equatable, CustomStringConvertible {
    public var path: String
    public var message: String

    public init(path: String, message: String) {
        self.path = path
        self.message = message
    }

    public var description: String {
        let text = path.isEmpty ? message : "\(abbreviated(path, limit: 200)): \(message)"
        return oneLine(abbreviated(text))
    }
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
            var lines = issues.map { "\(oneLine($0.file)):\($0.line):\($0.column): 错误: \(oneLine(abbreviated($0.message)))" }
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
