import Foundation
import LianzhengKit

/// A subcommand: its name, its help text (shown by `--help`, every default
/// stated) and what it does. Commands are thin: parse, call the library,
/// print.
protocol Command {
    static var name: String { get }
    static var summary: String { get }
    static var help: String { get }
    static var valued: Set<String> { get }
    static var switches: Set<String> { get }
    /// Runs with parsed arguments; returns the exit code.
    static func run(_ arguments: Arguments) throws(LianzhengError) -> Int32
}

/// Standard error, for messages and warnings.
func printError(_ text: String) {
    FileHandle.standardError.write(Data((text + "\n").utf8))
}

func printWarnings(_ warnings: [String]) {
    for w in warnings { printError(w) }
}

/// The scheme and dataset a computing command works on (`--scheme`,
/// `--data`/`--snapshot`), with their warnings printed.
func loadSchemeAndDataset(_ options: CommonOptions) throws(LianzhengError) -> (scheme: Scheme, dataset: Dataset, snapshot: Int64) {
    let (scheme, schemeWarnings) = try Workspace.loadScheme(options.schemePath)
    printWarnings(schemeWarnings)
    let loaded = try Workspace.dataset(options, scheme: scheme)
    printWarnings(loaded.warnings)
    return (scheme, loaded.dataset, loaded.snapshot)
}
