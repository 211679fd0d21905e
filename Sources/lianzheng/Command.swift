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

/// Standard error, for messages and warnings; control characters and bidi
/// overrides that came from data or a scheme are written out visibly
/// (`terminalSafe`), so that no input can drive the terminal.
func printError(_ text: String) {
    FileHandle.standardError.write(Data((terminalSafe(text) + "\n").utf8))
}

/// Standard output, for people: as `Swift.print`, made `terminalSafe`.
/// Every command prints through it (it shadows the standard library's).
func print(_ text: String = "", terminator: String = "\n") {
    Swift.print(terminalSafe(text), terminator: terminator)
}

/// Writes a rendered text report to standard output, `terminalSafe`.
func writeTextReport(_ bytes: [UInt8]) {
    let safe = terminalSafe(bytes: bytes)  // `bytes` itself, uncopied, when clean
    safe.withUnsafeBytes { raw in
        guard let base = raw.baseAddress else { return }
        FileHandle.standardOutput.write(Data(bytesNoCopy: UnsafeMutableRawPointer(mutating: base), count: raw.count, deallocator: .none))
    }
}

func printWarnings(_ warnings: [String]) {
    for w in warnings { printError(w) }
}

/// What a computing command works on (`--scheme`, `--data`/`--snapshot`),
/// with its warnings printed.
struct CommandInput {
    let scheme: Scheme
    let dataset: Dataset
    private let source: CommandDataset

    /// With `--data`, the snapshot is stored on other threads while the
    /// command computes; nothing may be written before this returns (a
    /// failed import writes nothing).
    /// - Returns: the snapshot's id.
    func stored() throws(LianzhengError) -> Int64 { try source.snapshot().id }

    /// `work()`, run while the snapshot may still be being stored; when it
    /// fails, the store is let finish (or fail) before the error is
    /// reported, as `yearend` does.
    func computing<R>(_ work: () throws(LianzhengError) -> R) throws(LianzhengError) -> R {
        do {
            return try work()
        } catch {
            _ = try? stored()
            throw error
        }
    }

    /// The risk scores of `year` with the previous year's (for SCORE_JUMP)
    /// and the flags: what `score` and `flags` print, the same as `yearend`.
    func riskAndFlags(year: Int, threads: Int?) throws(LianzhengError) -> (RiskResult, FlagReport) {
        let riskInput = try computing { () throws(LianzhengError) in try RiskInput(dataset: dataset, scheme: scheme) }
        let risk = RiskKernel(scheme: scheme, year: year, withPreviousYear: true).run(riskInput, threads: threads)
        return (risk, FlagReport(dataset: dataset, risk: risk, scheme: scheme, year: year, threads: threads))
    }

    init(_ options: CommonOptions) throws(LianzhengError) {
        let (scheme, schemeWarnings) = try Workspace.loadScheme(options.schemePath)
        printWarnings(schemeWarnings)
        source = try Workspace.open(options, scheme: scheme)
        printWarnings(source.warnings)
        self.scheme = scheme
        dataset = source.dataset
    }
}
