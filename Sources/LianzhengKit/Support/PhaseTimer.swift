import Foundation

/// Prints how long each phase took to stderr when `LIANZHENG_TIMING` is
/// set: for profiling by hand, never in outputs.
public struct PhaseTimer {
    private let enabled = ProcessInfo.processInfo.environment["LIANZHENG_TIMING"] != nil
    private var last = Date()

    public init() {}

    public mutating func mark(_ phase: String) {
        guard enabled else { return }
        let now = Date()
        FileHandle.standardError.write(Data(String(format: "[timing] %@: %.3f s\n", phase, now.timeIntervalSince(last)).utf8))
        last = now
    }
}
