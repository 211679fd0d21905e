/// A JSON value (RFC 8259) exactly as written: numbers keep their literal
/// text and objects their key order, so a scheme can be validated on the
/// literal (`90.500` has 3 decimal places) before anything is rounded.
public indirect enum JSONValue: Sendable, Equatable {
    case null
    case bool(Bool)
    /// The literal text of the number, e.g. `70`, `0.45`, `7e1`.
    case number(String)
    case string(String)
    case array([JSONValue])
    /// Members in document order; keys are unique when parsed.
    case object([(key: String, value: JSONValue)])

    /// Structural equality: numbers compare by literal text, objects by their
    /// members in order.
    public static func == (a: JSONValue, b: JSONValue) -> Bool {
        switch (a, b) {
        case (.null, .null): return true
        case (.bool(let x), .bool(let y)): return x == y
        case (.number(let x), .number(let y)): return x == y
        case (.string(let x), .string(let y)): return x == y
        case (.array(let x), .array(let y)): return x == y
        case (.object(let x), .object(let y)):
            return x.count == y.count && zip(x, y).allSatisfy { $0.key == $1.key && $0.value == $1.value }
        default: return false
        }
    }
}

/// A syntax error in JSON text, with its position.
public struct JSONSyntaxError: Error, Sendable, Equatable, CustomStringConvertible {
    /// 0-based byte offset into the UTF-8 text.
    public var offset: Int
    /// 1-based line.
    public var line: Int
    /// 1-based column, counted in Unicode scalars.
    public var column: Int
    public var message: String

    public init(offset: Int, line: Int, column: Int, message: String) {
        self.offset = offset
        self.line = line
        self.column = column
        self.message = message
    }

    /// `LINE:COLUMN: message`.
    public var description: String { "\(line):\(column): \(message)" }
}

// MARK: - Parsing

extension JSONValue {
    /// Containers may nest this deep; deeper input is rejected rather than
    /// risking the stack on hostile files.
    public static let maximumDepth = 64

    /// Parses strict RFC 8259 JSON text: one value, no trailing text, no
    /// duplicate keys, nesting at most `maximumDepth`.
    public init(parsing text: String) throws(JSONSyntaxError) {
        var parser = JSONParser(bytes: Array(text.utf8))
        self = try parser.parseDocument()
    }

    /// Parses strict RFC 8259 JSON from UTF-8 bytes (a leading BOM is skipped;
    /// invalid UTF-8 is an error).
    public init(parsing bytes: [UInt8]) throws(JSONSyntaxError) {
        var parser = JSONParser(bytes: bytes)
        self = try parser.parseDocument()
    }
}

/// A recursive-descent parser over UTF-8 bytes.
private struct JSONParser {
    let bytes: [UInt8]
    var position = 0
    var depth = 0

    init(bytes: [UInt8]) {
        self.bytes = bytes
    }

    mutating func parseDocument() throws(JSONSyntaxError) -> JSONValue {
        if bytes.starts(with: [0xEF, 0xBB, 0xBF]) { position = 3 }
        let value = try parseValue()
        skipWhitespace()
        if position < bytes.count {
            throw error("JSON 值之后有多余的内容 (unexpected text after the JSON value)")
        }
        return value
    }

    // MARK: Values

    mutating func parseValue() throws(JSONSyntaxError) -> JSONValue {
        skipWhitespace()
        guard let byte = peek() else {
            throw error("意外的输入结束 (unexpected end of input)")
        }
        switch byte {
        case UInt8(ascii: "{"): return try parseObject()
        case UInt8(ascii: "["): return try parseArray()
        case UInt8(ascii: "\""): return .string(try parseString())
        case UInt8(ascii: "t"): return try parseLiteral("true", .bool(true))
        case UInt8(ascii: "f"): return try parseLiteral("false", .bool(false))
        case UInt8(ascii: "n"): return try parseLiteral("null", .null)
        case UInt8(ascii: "-"), UInt8(ascii: "0")...UInt8(ascii: "9"): return .number(try parseNumber())
        default: throw error("意外的字符 (unexpected character \(describe(byte)))")
        }
    }

    mutating func parseObject() throws(JSONSyntaxError) -> JSONValue {
        try enterContainer()
        position += 1
        var members: [(key: String, value: JSONValue)] = []
        var seen: Set<String> = []
        skipWhitespace()
        if peek() == UInt8(ascii: "}") {
            position += 1
            depth -= 1
            return .object(members)
        }
        while true {
            skipWhitespace()
            guard peek() == UInt8(ascii: "\"") else {
                throw error("期望字符串键名 (expected a string key)")
            }
            let keyStart = position
            let key = try parseString()
            guard seen.insert(key).inserted else {
                throw error("重复的键 \"\(abbreviated(key, limit: 100))\" (duplicate key)", at: keyStart)
            }
            skipWhitespace()
            guard peek() == UInt8(ascii: ":") else {
                throw error("期望 ':' (expected ':' after a key)")
            }
            position += 1
            members.append((key, try parseValue()))
            skipWhitespace()
            switch peek() {
            case UInt8(ascii: ","):
                position += 1
            case UInt8(ascii: "}"):
                position += 1
                depth -= 1
                return .object(members)
            default:
                throw error("期望 ',' 或 '}' (expected ',' or '}')")
            }
        }
    }

    mutating func parseArray() throws(JSONSyntaxError) -> JSONValue {
        try enterContainer()
        position += 1
        var elements: [JSONValue] = []
        skipWhitespace()
        if peek() == UInt8(ascii: "]") {
            position += 1
            depth -= 1
            return .array(elements)
        }
        while true {
            skipWhitespace()
            if peek() == UInt8(ascii: "]") {
                throw error("']' 前不能有逗号 (trailing comma)")
            }
            elements.append(try parseValue())
            skipWhitespace()
            switch peek() {
            case UInt8(ascii: ","):
                position += 1
            case UInt8(ascii: "]"):
                position += 1
                depth -= 1
                return .array(elements)
            default:
                throw error("期望 ',' 或 ']' (expected ',' or ']')")
            }
        }
    }

    mutating func enterContainer() throws(JSONSyntaxError) {
        depth += 1
        if depth > JSONValue.maximumDepth {
            throw error("嵌套超过 \(JSONValue.maximumDepth) 层 (nesting deeper than \(JSONValue.maximumDepth))")
        }
    }

    mutating func parseLiteral(_ word: String, _ value: JSONValue) throws(JSONSyntaxError) -> JSONValue {
        let expected = Array(word.utf8)
        guard bytes[position...].starts(with: expected) else {
            throw error("无效的字面量，应为 \(word) (invalid literal)")
        }
        position += expected.count
        return value
    }

    // MARK: Numbers

    /// `-? (0 | [1-9][0-9]*) (\.[0-9]+)? ([eE][+-]?[0-9]+)?`, kept as text.
    mutating func parseNumber() throws(JSONSyntaxError) -> String {
        let start = position
        if peek() == UInt8(ascii: "-") { position += 1 }
        guard let first = peek(), isDigit(first) else {
            throw error("'-' 后必须是数字 (expected a digit after '-')")
        }
        position += 1
        if first == UInt8(ascii: "0"), let next = peek(), isDigit(next) {
            throw error("数字不能有前导零 (leading zeros are not allowed)", at: start)
        }
        skipDigits()
        if peek() == UInt8(ascii: ".") {
            position += 1
            try requireDigit("小数点后必须是数字 (expected a digit after '.')")
        }
        if peek() == UInt8(ascii: "e") || peek() == UInt8(ascii: "E") {
            position += 1
            if peek() == UInt8(ascii: "+") || peek() == UInt8(ascii: "-") { position += 1 }
            try requireDigit("指数部分必须是数字 (expected a digit in the exponent)")
        }
        let text = String(decoding: bytes[start..<position], as: UTF8.self)
        guard let value = Double(text), value.isFinite else {
            throw error("数值超出范围 (number out of the binary64 range)", at: start)
        }
        return text
    }

    mutating func requireDigit(_ message: String) throws(JSONSyntaxError) {
        guard let byte = peek(), isDigit(byte) else { throw error(message) }
        skipDigits()
    }

    mutating func skipDigits() {
        while let byte = peek(), isDigit(byte) { position += 1 }
    }

    func isDigit(_ byte: UInt8) -> Bool {
        byte >= UInt8(ascii: "0") && byte <= UInt8(ascii: "9")
    }

    // MARK: Strings

    /// Reads a string starting at its opening quote.
    mutating func parseString() throws(JSONSyntaxError) -> String {
        position += 1
        var out: [UInt8] = []
        while true {
            guard let byte = peek() else {
                throw error("字符串未结束 (unterminated string)")
            }
            switch byte {
            case UInt8(ascii: "\""):
                position += 1
                return String(decoding: out, as: UTF8.self)
            case UInt8(ascii: "\\"):
                try parseEscape(into: &out)
            case 0..<0x20:
                throw error("字符串中不能有未转义的控制字符 (unescaped control character in string)")
            case 0x80...:
                let length = try validUTF8SequenceLength()
                out.append(contentsOf: bytes[position..<(position + length)])
                position += length
            default:
                out.append(byte)
                position += 1
            }
        }
    }

    mutating func parseEscape(into out: inout [UInt8]) throws(JSONSyntaxError) {
        let start = position
        position += 1
        guard let byte = peek() else { throw error("字符串未结束 (unterminated string)") }
        position += 1
        let simple: UInt8?
        switch byte {
        case UInt8(ascii: "\""): simple = UInt8(ascii: "\"")
        case UInt8(ascii: "\\"): simple = UInt8(ascii: "\\")
        case UInt8(ascii: "/"): simple = UInt8(ascii: "/")
        case UInt8(ascii: "b"): simple = 0x08
        case UInt8(ascii: "f"): simple = 0x0C
        case UInt8(ascii: "n"): simple = 0x0A
        case UInt8(ascii: "r"): simple = 0x0D
        case UInt8(ascii: "t"): simple = 0x09
        case UInt8(ascii: "u"): simple = nil
        default: throw error("无效的转义序列 (invalid escape sequence)", at: start)
        }
        if let simple {
            out.append(simple)
            return
        }
        let scalar = try parseUnicodeEscape(start: start)
        UTF8.encode(scalar) { out.append($0) }
    }

    /// After `\u`: four hex digits, and a second `\uXXXX` for a surrogate pair.
    mutating func parseUnicodeEscape(start: Int) throws(JSONSyntaxError) -> Unicode.Scalar {
        let unit = try parseHex4(start: start)
        switch unit {
        case 0xD800...0xDBFF:
            guard bytes[position...].starts(with: [UInt8(ascii: "\\"), UInt8(ascii: "u")]) else {
                throw error("孤立的高代理项 (unpaired high surrogate)", at: start)
            }
            let lowStart = position
            position += 2
            let low = try parseHex4(start: lowStart)
            guard (0xDC00...0xDFFF).contains(low) else {
                throw error("高代理项后必须是低代理项 (high surrogate not followed by a low surrogate)", at: lowStart)
            }
            return Unicode.Scalar(0x10000 + ((unit - 0xD800) << 10) + (low - 0xDC00))!
        case 0xDC00...0xDFFF:
            throw error("孤立的低代理项 (unpaired low surrogate)", at: start)
        default:
            return Unicode.Scalar(unit)!
        }
    }

    mutating func parseHex4(start: Int) throws(JSONSyntaxError) -> UInt32 {
        var value: UInt32 = 0
        for _ in 0..<4 {
            guard let byte = peek(), let digit = hexValue(byte) else {
                throw error("\\u 后必须是 4 位十六进制数 (expected 4 hex digits after \\u)", at: start)
            }
            value = value << 4 | digit
            position += 1
        }
        return value
    }

    func hexValue(_ byte: UInt8) -> UInt32? {
        switch byte {
        case UInt8(ascii: "0")...UInt8(ascii: "9"): UInt32(byte - UInt8(ascii: "0"))
        case UInt8(ascii: "a")...UInt8(ascii: "f"): UInt32(byte - UInt8(ascii: "a") + 10)
        case UInt8(ascii: "A")...UInt8(ascii: "F"): UInt32(byte - UInt8(ascii: "A") + 10)
        default: nil
        }
    }

    /// Length of the well-formed UTF-8 sequence at `position` (Unicode Table 3-7).
    func validUTF8SequenceLength() throws(JSONSyntaxError) -> Int {
        let lead = bytes[position]
        let length: Int
        var secondRange: ClosedRange<UInt8> = 0x80...0xBF
        switch lead {
        case 0xC2...0xDF: length = 2
        case 0xE0: length = 3; secondRange = 0xA0...0xBF
        case 0xE1...0xEC, 0xEE...0xEF: length = 3
        case 0xED: length = 3; secondRange = 0x80...0x9F
        case 0xF0: length = 4; secondRange = 0x90...0xBF
        case 0xF1...0xF3: length = 4
        case 0xF4: length = 4; secondRange = 0x80...0x8F
        default: throw error("无效的 UTF-8 字节 (invalid UTF-8)")
        }
        for i in 1..<length {
            let index = position + i
            let range = i == 1 ? secondRange : 0x80...0xBF
            guard index < bytes.count, range.contains(bytes[index]) else {
                throw error("无效的 UTF-8 字节 (invalid UTF-8)")
            }
        }
        return length
    }

    // MARK: Helpers

    func peek() -> UInt8? {
        position < bytes.count ? bytes[position] : nil
    }

    mutating func skipWhitespace() {
        while let byte = peek(),
            byte == 0x20 || byte == 0x09 || byte == 0x0A || byte == 0x0D
        {
            position += 1
        }
    }

    func describe(_ byte: UInt8) -> String {
        byte >= 0x20 && byte < 0x7F ? "'\(Character(Unicode.Scalar(byte)))'" : "byte 0x\(String(byte, radix: 16))"
    }

    /// An error at `offset` (default: the current position), with line and column.
    func error(_ message: String, at offset: Int? = nil) -> JSONSyntaxError {
        let offset = min(offset ?? position, bytes.count)
        var line = 1
        var lineStart = 0
        for index in 0..<offset where bytes[index] == 0x0A {
            line += 1
            lineStart = index + 1
        }
        let column = bytes[lineStart..<offset].reduce(1) { $1 & 0xC0 == 0x80 ? $0 : $0 + 1 }
        return JSONSyntaxError(offset: offset, line: line, column: column, message: message)
    }
}

// MARK: - Access

extension JSONValue {
    /// The members, when this is an object.
    public var objectMembers: [(key: String, value: JSONValue)]? {
        if case .object(let members) = self { return members }
        return nil
    }

    /// The elements, when this is an array.
    public var arrayElements: [JSONValue]? {
        if case .array(let elements) = self { return elements }
        return nil
    }

    /// The text, when this is a string.
    public var stringValue: String? {
        if case .string(let text) = self { return text }
        return nil
    }

    /// The literal text, when this is a number.
    public var numberLiteral: String? {
        if case .number(let text) = self { return text }
        return nil
    }

    /// The member named `key`, when this is an object that has one.
    public subscript(key: String) -> JSONValue? {
        objectMembers?.first { $0.key == key }?.value
    }
}

// MARK: - Canonical text

extension JSONValue {
    /// The canonical form that fingerprints hash: object keys sorted by their
    /// UTF-8 bytes, no whitespace, strings escaped minimally (`\"`, `\\`,
    /// control characters as `\u00xx`), numbers in the shortest decimal form
    /// of their binary64 value without exponent (`70`, `0.45`).
    public var canonicalText: String {
        var out = ""
        writeCanonical(into: &out)
        return out
    }

    private func writeCanonical(into out: inout String) {
        switch self {
        case .null: out += "null"
        case .bool(let flag): out += flag ? "true" : "false"
        case .number(let literal): out += Double(literal)?.shortestDecimal ?? literal
        case .string(let text): Self.writeCanonicalString(text, into: &out)
        case .array(let elements):
            out += "["
            for (index, element) in elements.enumerated() {
                if index > 0 { out += "," }
                element.writeCanonical(into: &out)
            }
            out += "]"
        case .object(let members):
            out += "{"
            let sorted = members.sorted { $0.key.utf8.lexicographicallyPrecedes($1.key.utf8) }
            for (index, member) in sorted.enumerated() {
                if index > 0 { out += "," }
                Self.writeCanonicalString(member.key, into: &out)
                out += ":"
                member.value.writeCanonical(into: &out)
            }
            out += "}"
        }
    }

    private static func writeCanonicalString(_ text: String, into out: inout String) {
        out += "\""
        for scalar in text.unicodeScalars {
            switch scalar {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "\u{00}"..."\u{1F}":
                let hex = String(scalar.value, radix: 16)
                out += "\\u00" + (hex.count == 1 ? "0" + hex : hex)
            default: out.unicodeScalars.append(scalar)
            }
        }
        out += "\""
    }
}

extension Double {
    /// The shortest decimal text that reads back as this value, written
    /// without exponent and without a trailing `.0`: `70`, `0.45`, `0.00001`,
    /// `-2.5`. Negative zero prints `0`; non-finite values print `nan`/`inf`/`-inf`.
    public var shortestDecimal: String {
        guard isFinite else { return isNaN ? "nan" : (self < 0 ? "-inf" : "inf") }
        return LianzhengKit.shortestDecimal(self)
    }
}

// MARK: - Path editing

extension JSONValue {
    /// A copy with the value at `path` replaced, for `whatif --set PATH=VALUE`.
    ///
    /// `path` is dot-separated; a numeric component indexes an array
    /// (`assessment.bands.0.min`, `risk.power_kinds.行政许可`). `valueText` is
    /// parsed as JSON when it is valid JSON, else taken as a string. Only
    /// existing values can be replaced.
    /// - Throws: a `SchemeIssue` naming `path` when it does not exist.
    public func setting(path: String, to valueText: String) throws(SchemeIssue) -> JSONValue {
        let value = (try? JSONValue(parsing: valueText)) ?? .string(valueText)
        return try edited(at: Self.pathComponents(path)[...], path: path, edit: .replace(value))
    }

    /// A copy without the member or element at `path` (same path syntax as
    /// `setting(path:to:)`).
    /// - Throws: a `SchemeIssue` naming `path` when it does not exist.
    public func removing(path: String) throws(SchemeIssue) -> JSONValue {
        try edited(at: Self.pathComponents(path)[...], path: path, edit: .remove)
    }

    private enum Edit {
        case replace(JSONValue)
        case remove
    }

    private static func pathComponents(_ path: String) throws(SchemeIssue) -> [String] {
        let components = path.split(separator: ".", omittingEmptySubsequences: false).map(String.init)
        if path.isEmpty || components.contains("") {
            throw SchemeIssue(path: path, message: "无效的路径 (invalid path)")
        }
        return components
    }

    private func edited(at components: ArraySlice<String>, path: String, edit: Edit) throws(SchemeIssue) -> JSONValue {
        let component = components.first!
        let rest = components.dropFirst()
        switch self {
        case .object(var members):
            guard let index = members.firstIndex(where: { $0.key == component }) else {
                throw Self.noSuchPath(path, component)
            }
            if !rest.isEmpty {
                members[index].value = try members[index].value.edited(at: rest, path: path, edit: edit)
            } else if case .replace(let value) = edit {
                members[index].value = value
            } else {
                members.remove(at: index)
            }
            return .object(members)
        case .array(var elements):
            guard component.utf8.allSatisfy({ $0 >= UInt8(ascii: "0") && $0 <= UInt8(ascii: "9") }),
                let index = Int(component), elements.indices.contains(index)
            else {
                throw Self.noSuchPath(path, component)
            }
            if !rest.isEmpty {
                elements[index] = try elements[index].edited(at: rest, path: path, edit: edit)
            } else if case .replace(let value) = edit {
                elements[index] = value
            } else {
                elements.remove(at: index)
            }
            return .array(elements)
        default:
            throw Self.noSuchPath(path, component)
        }
    }

    private static func noSuchPath(_ path: String, _ component: String) -> SchemeIssue {
        SchemeIssue(path: path, message: "方案中没有此路径，找不到 \"\(component)\" (no such path)")
    }
}
