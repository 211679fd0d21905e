import Foundation

#if canImport(Glibc)
    import Glibc
#endif

/// Prints how long each phase took to stderr when `LIANZHENG_TIMING` is
/// set: for profiling by hand, never in outputs. Wall time and the CPU
/// time of the whole process (all threads) are both shown: on a shared
/// machine the wall time alone says little.
public struct PhaseTimer {
    private let enabled = ProcessInfo.processInfo.environment["LIANZHENG_TIMING"] != nil
    private var last = Date()
    private var lastCPU = PhaseTimer.cpuSeconds()

    public init() {}

    public mutating func mark(_ phase: String) {
        guard enabled else { return }
        let now = Date()
        let cpu = Self.cpuSeconds()
        FileHandle.standardError.write(Data(String(
            format: "[timing] %@: %.3f s (cpu %.3f s)\n", phase, now.timeIntervalSince(last), cpu - lastCPU).utf8))
        last = now
        lastCPU = cpu
    }

    /// User and system time of this process so far.
    private static func cpuSeconds() -> Double {
        var usage = rusage()
        getrusage(RUSAGE_SELF.rawValue, &usage)
        func seconds(_ t: timeval) -> Double { Double(t.tv_sec) + Double(t.tv_usec) / 1e6 }
        return seconds(usage.ru_utime) + seconds(usage.ru_stime)
    }
}
