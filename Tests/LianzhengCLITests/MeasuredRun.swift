import Foundation

#if canImport(Glibc)
    import Glibc
#endif

extension Binary {
    /// What `runMeasured` reports: the exit status, the output and the peak
    /// resident memory of that one process.
    struct Measured {
        var status: Int32
        var stdout: [UInt8]
        var stderr: [UInt8]
        var peakMiB: Double
        var stderrText: String { String(decoding: stderr, as: UTF8.self) }
    }

    /// Runs the binary through `/bin/sh -c 'umask MASK; exec …'` in
    /// `directory`, waiting with wait4 so that its own peak memory is known
    /// (getrusage of all children would mix in other tests' processes).
    static func runMeasured(_ arguments: [String], in directory: String, umask mask: String = "077") throws -> Measured {
        guard let url else { throw BinaryNotFound() }
        let outPath = directory + "/.measured-out-" + UUID().uuidString
        let errPath = directory + "/.measured-err-" + UUID().uuidString
        defer {
            unlink(outPath)
            unlink(errPath)
        }
        func quoted(_ s: String) -> String { "'" + s.replacingOccurrences(of: "'", with: "'\\''") + "'" }
        let script = "cd \(quoted(directory)) && umask \(mask) && exec \(([url.path] + arguments).map(quoted).joined(separator: " "))"
            + " >\(quoted(outPath)) 2>\(quoted(errPath)) </dev/null"
        var pid: pid_t = 0
        let argv: [UnsafeMutablePointer<CChar>?] = ["/bin/sh", "-c", script].map { (s: String) in strdup(s) } + [nil]
        defer { for p in argv { free(p) } }
        let spawned = posix_spawn(&pid, "/bin/sh", nil, nil, argv, environ)
        guard spawned == 0 else { throw POSIXError(POSIXErrorCode(rawValue: spawned) ?? .EIO) }
        var status: Int32 = 0
        var usage = rusage()
        while wait4(pid, &status, 0, &usage) < 0 {
            guard errno == EINTR else { throw POSIXError(.ECHILD) }
        }
        let exit: Int32 = (status & 0x7F) == 0 ? (status >> 8) & 0xFF : 128 + (status & 0x7F)
        return Measured(
            status: exit, stdout: [UInt8](FileManager.default.contents(atPath: outPath) ?? Data()),
            stderr: [UInt8](FileManager.default.contents(atPath: errPath) ?? Data()), peakMiB: Double(usage.ru_maxrss) / 1024)
    }
}
