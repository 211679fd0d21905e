/// A command line split into options, flags and positional arguments,
/// checked against what a command accepts.
public struct Arguments: Sendable {
    public private(set) var values: [String: [String]] = [:]
    public private(set) var flags: Set<String> = []
    public private(set) var positionals: [String] = []

    /// Parses `args` (without the command name). `valued` lists options
    /// that take a value (`--year 2025` or `--year=2025`), `switches` those
    /// that do not. Anything else starting with `--` is a usage error.
    public init(_ args: [String], valued: Set<String>, switches: Set<String>) throws(LianzhengError) {
        var i = 0
        while i < args.count {
            let arg = args[i]
            i += 1
            guard arg.hasPrefix("--"), arg.count > 2 else {
                if arg == "-h" {
                    flags.insert("help")
                    continue
                }
                positionals.append(arg)
                continue
            }
            var name = String(arg.dropFirst(2))
            var inline: String? = nil
            if let eq = name.firstIndex(of: "=") {
                inline = String(name[name.index(after: eq)...])
                name = String(name[..<eq])
            }
            if switches.contains(name) || name == "help" {
                guard inline == nil else { throw .usage("选项 --\(name) 不带参数值") }
                flags.insert(name)
            } else if valued.contains(name) {
                if let inline {
                    values[name, default: []].append(inline)
                } else {
                    guard i < args.count else { throw .usage("选项 --\(name) 缺少参数值") }
                    values[name, default: []].append(args[i])
                    i += 1
                }
            } else {
                throw .usage("未知选项 --\(name)")
            }
        }
    }

    public func has(_ flag: String) -> Bool { flags.contains(flag) }

    /// The last value given for `name`.
    public func value(_ name: String) -> String? { values[name]?.last }

    public func all(_ name: String) -> [String] { values[name] ?? [] }

    /// The integer value of `name`. `--year` must be a year 1…9999 (the
    /// years an input file may hold; the day arithmetic is exact there) and
    /// `--threads` positive, on every command.
    public func int(_ name: String) throws(LianzhengError) -> Int? {
        guard let text = value(name) else { return nil }
        guard let v = Int(text) else { throw .usage("--\(name) 须为整数: \(text)") }
        if name == "year", !Self.years.contains(v) { throw .usage("--year 须为 1 至 9999 的年份: \(v)") }
        if name == "threads", v < 1 { throw .usage("--threads 须为正整数") }
        return v
    }

    /// The years a computation accepts (those of SPEC §2's year column).
    public static let years = 1...9999

    public func require(_ name: String) throws(LianzhengError) -> String {
        guard let v = value(name) else { throw .usage("缺少必需选项 --\(name)") }
        return v
    }

    public func requireInt(_ name: String) throws(LianzhengError) -> Int {
        guard let v = try int(name) else { throw .usage("缺少必需选项 --\(name)") }
        return v
    }

    /// One of `choices` (default when absent).
    public func choice(_ name: String, _ choices: [String], default fallback: String) throws(LianzhengError) -> String {
        let v = value(name) ?? fallback
        guard choices.contains(v) else { throw .usage("--\(name) 须为 \(choices.joined(separator: "|")): \(v)") }
        return v
    }
}
