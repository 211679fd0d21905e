import Foundation
import LianzhengKit

/// Every subcommand, in the order `--help` lists them.
let commands: [any Command.Type] = [
    ImportCommand.self,
    CheckCommand.self,
    ScoreCommand.self,
    AssessCommand.self,
    FlagsCommand.self,
    YearEndCommand.self,
    RunsCommand.self,
    ShowCommand.self,
    VerifyCommand.self,
    WhatIfCommand.self,
    CompareCommand.self,

]

let usage = """
    lianzheng — 廉政风险防控批处理工具 (integrity-risk prevention and control toolkit)

    用法 (usage): lianzheng <命令> [选项]

    命令 (commands):
    \(commands.map { "  \($0.name.padding(toLength: 10, withPad: " ", startingAt: 0))\($0.summary)" }.joined(separator: "\n"))

    每个命令都支持 --help。退出码: 0 成功, 64 用法错误, 65 数据或方案错误, 66 缺少输入, 74 读写失败。
    """

@MainActor func runMain() -> Int32 {
    var args = Array(CommandLine.arguments.dropFirst())
    guard let name = args.first, !name.hasPrefix("-") else {
        if args.first == "--help" || args.first == "-h" {
            print(usage)
            return 0
        }
        if args.first == "--version" {
            print("lianzheng \(Version.program)")
            return 0
        }
        printError(usage)
        return 64
    }
    args.removeFirst()
    guard let command = commands.first(where: { $0.name == name }) else {
        printError("用法错误: 未知命令 \(name)\n\n\(usage)")
        return 64
    }
    do {
        let parsed = try Arguments(args, valued: command.valued, switches: command.switches)
        if parsed.has("help") {
            print(command.help)
            return 0
        }
        return try command.run(parsed)
    } catch {
        printError(error.description)
        if case .usage = error { printError("运行 lianzheng \(name) --help 查看用法。") }
        return error.exitCode
    }
}

exit(runMain())
