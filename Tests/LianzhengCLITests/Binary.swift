import Foundation
import Testing

/// The built `lianzheng` executable and a way to run it.
///
/// SwiftPM puts it in the same build products folder as the test bundle
/// (`.build/<triple>/debug/`); that folder is found from the running test
/// process (`/proc/self/exe` on Linux, the bundles on macOS), falling back to
/// `.build/debug/lianzheng` next to the sources. `LIANZHENG_BINARY`
/// overrides all of them.
enum Binary {
    static let repositoryRoot: URL = {
        var url = URL(fileURLWithPath: #filePath)
        while url.path != "/" {
            url.deleteLastPathComponent()
            if FileManager.default.fileExists(atPath: url.appendingPathComponent("Package.swift").path) { return url }
        }
        return URL(fileURLWithPath: FileManager.default.currentDirectoryPath)
    }()

    static let url: URL? = {
        var candidates: [URL] = []
        if let path = ProcessInfo.processInfo.environment["LIANZHENG_BINARY"], !path.isEmpty {
            candidates.append(URL(fileURLWithPath: path))
        }
        let me = URL(fileURLWithPath: "/proc/self/exe").resolvingSymlinksInPath()
        candidates.append(me.deletingLastPathComponent().appendingPathComponent("lianzheng"))
        if let first = CommandLine.arguments.first {
            candidates.append(URL(fileURLWithPath: first).resolvingSymlinksInPath().deletingLastPathComponent()
                .appendingPathComponent("lianzheng"))
        }
        for bundle in [Bundle.main] + Bundle.allBundles {
            // Linux: the xctest is an executable file in the products folder;
            // macOS: a bundle folder in it.
            candidates.append(bundle.bundleURL.deletingLastPathComponent().appendingPathComponent("lianzheng"))
            candidates.append(bundle.bundleURL.appendingPathComponent("lianzheng"))
        }
        candidates.append(repositoryRoot.appendingPathComponent(".build/debug/lianzheng"))
        return candidates.first { url in
            var isDirectory: ObjCBool = false
            return FileManager.default.fileExists(atPath: url.path, isDirectory: &isDirectory) && !isDirectory.boolValue
                && FileManager.default.isExecutableFile(atPath: url.path)
        }
    }()

    struct Result {
        var status: Int32
        var stdout: String
        var stderr: String
        var stdoutBytes: [UInt8]
        var stderrLines: [String] { stderr.split(separator: "\n", omittingEmptySubsequences: false).map(String.init).filter { !$0.isEmpty } }
    }

    /// Runs the binary with `arguments` in `directory` (a fresh temporary
    /// folder when nil), output captured through files so that no pipe fills up.
    static func run(_ arguments: [String], in directory: String? = nil) throws -> Result {
        guard let url else { throw BinaryNotFound() }
        let dir = directory ?? makeTemporaryDirectory()
        let outPath = NSTemporaryDirectory() + "lianzheng-cli-out-" + UUID().uuidString
        let errPath = NSTemporaryDirectory() + "lianzheng-cli-err-" + UUID().uuidString
        guard FileManager.default.createFile(atPath: outPath, contents: nil),
            FileManager.default.createFile(atPath: errPath, contents: nil)
        else { throw CocoaError(.fileWriteUnknown) }
        defer {
            try? FileManager.default.removeItem(atPath: outPath)
            try? FileManager.default.removeItem(atPath: errPath)
        }
        let process = Process()
        process.executableURL = url
        process.arguments = arguments
        process.currentDirectoryURL = URL(fileURLWithPath: dir)
        let out = try FileHandle(forWritingTo: URL(fileURLWithPath: outPath))
        let err = try FileHandle(forWritingTo: URL(fileURLWithPath: errPath))
        process.standardOutput = out
        process.standardError = err
        process.standardInput = FileHandle.nullDevice
        try process.run()
        process.waitUntilExit()
        try out.close()
        try err.close()
        let stdout = FileManager.default.contents(atPath: outPath) ?? Data()
        let stderr = FileManager.default.contents(atPath: errPath) ?? Data()
        return Result(
            status: process.terminationStatus, stdout: String(decoding: stdout, as: UTF8.self),
            stderr: String(decoding: stderr, as: UTF8.self), stdoutBytes: Array(stdout))
    }

    /// Whether the binary has the subcommand `name` (`name --help` exits 0).
    static func knows(_ name: String) -> Bool {
        (try? run([name, "--help"]).status) == 0
    }

    struct BinaryNotFound: Error, CustomStringConvertible {
        var description: String { "lianzheng executable not found next to the test bundle; build with `swift build --build-tests` or set LIANZHENG_BINARY" }
    }
}

/// A fresh temporary folder.
func makeTemporaryDirectory() -> String {
    let path = NSTemporaryDirectory() + "lianzheng-cli-" + UUID().uuidString
    try? FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
    return path
}
