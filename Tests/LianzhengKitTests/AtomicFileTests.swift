import Foundation
import Testing
@testable import LianzhengKit

/// The umask is per process: the cases that change it run one at a time and
/// restore it at once. Masks that take the owner's own bits are tried only
/// as root, where a concurrent test's files stay usable anyway.
@Suite(.serialized) struct AtomicFileTests {
    @Test func writesContentAndLeavesNoTemporaryFile() throws {
        let dir = try TemporaryDirectory()
        let path = dir.path + "/posts.csv"
        try writeAtomically(Array("a,b\r\n".utf8), to: path)
        #expect(try Data(contentsOf: URL(fileURLWithPath: path)) == Data("a,b\r\n".utf8))
        #expect(try dir.entries() == ["posts.csv"])
    }

    @Test func replacesAnExistingFile() throws {
        let dir = try TemporaryDirectory()
        let path = dir.path + "/MANIFEST"
        try Data("old, longer content".utf8).write(to: URL(fileURLWithPath: path))
        #expect(chmod(path, 0o644) == 0)
        try writeAtomically(Array("new".utf8), to: path)
        #expect(try Data(contentsOf: URL(fileURLWithPath: path)) == Data("new".utf8))
        #expect(mode(of: path) == 0o600)  // the new file's mode, not the old one's
        #expect(try dir.entries() == ["MANIFEST"])
    }

    @Test func writesAnEmptyFile() throws {
        let dir = try TemporaryDirectory()
        try writeAtomically([], to: dir.path + "/flags.csv")
        #expect(try Data(contentsOf: URL(fileURLWithPath: dir.path + "/flags.csv")).isEmpty)
    }

    /// Without the explicit fchmod/chmod, open(0600) and mkdir(0700) would
    /// give 0400 and 0500 under umask 0277.
    @Test(arguments: [mode_t(0o022), 0o000, 0o077, 0o277])
    func fileAndFolderModesIgnoreUmask(_ mask: mode_t) throws {
        if mask & 0o700 != 0 && getuid() != 0 { return }
        let dir = try TemporaryDirectory()
        let folder = dir.path + "/out/2025"
        let file = folder + "/units.csv"
        let old = umask(mask)
        defer { umask(old) }
        try makeDirectory(folder)
        try writeAtomically(Array("x".utf8), to: file)
        umask(old)
        #expect(mode(of: dir.path + "/out") == 0o700)
        #expect(mode(of: folder) == 0o700)
        #expect(mode(of: file) == 0o600)
    }

    @Test func missingFolderThrowsIOAndLeavesNothing() throws {
        let dir = try TemporaryDirectory()
        let error = #expect(throws: LianzhengError.self) {
            try writeAtomically(Array("x".utf8), to: dir.path + "/missing/posts.csv")
        }
        guard case .io(let message) = error else {
            Issue.record("expected .io, got \(String(describing: error))")
            return
        }
        #expect(message.hasSuffix(": No such file or directory"))
        #expect(try dir.entries() == [])
    }

    /// rename fails when the target is a non-empty folder: the temporary
    /// file written so far must go.
    @Test func failedRenameRemovesTemporaryFile() throws {
        let dir = try TemporaryDirectory()
        try makeDirectory(dir.path + "/report.html/inside")
        let error = #expect(throws: LianzhengError.self) {
            try writeAtomically(Array("<html>".utf8), to: dir.path + "/report.html")
        }
        guard case .io = error else {
            Issue.record("expected .io, got \(String(describing: error))")
            return
        }
        #expect(try dir.entries() == ["report.html"])
    }

    @Test func makeDirectoryIsIdempotentAndKeepsExistingModes() throws {
        let dir = try TemporaryDirectory()
        #expect(chmod(dir.path, 0o755) == 0)
        try makeDirectory(dir.path + "/a/b/c")
        try makeDirectory(dir.path + "/a/b/c")
        try makeDirectory(dir.path + "/a/b/c/")
        #expect(mode(of: dir.path) == 0o755)  // existing: untouched
        #expect(mode(of: dir.path + "/a/b/c") == 0o700)
    }

    /// "." and ".." components are walked like any other, as mkdir -p does.
    @Test func dotComponentsAreWalked() throws {
        let dir = try TemporaryDirectory()
        try makeDirectory(dir.path + "/./a/../b")
        #expect(mode(of: dir.path + "/a") == 0o700)
        #expect(mode(of: dir.path + "/b") == 0o700)
    }

    /// A second holder of the folder lock waits until the first lets go
    /// (flock locks belong to each open of the folder, so two opens in one
    /// process exclude each other as two processes do).
    @Test func folderLockMakesWritersTakeTurns() throws {
        let dir = try TemporaryDirectory()
        let events = LockedEvents()
        let holding = DispatchSemaphore(value: 0)
        let path = dir.path
        let first = Thread {
            try? withFolderLock(path) { () throws(LianzhengError) in
                holding.signal()
                events.append("first in")
                usleep(200_000)
                events.append("first out")
            }
        }
        first.start()
        holding.wait()
        try withFolderLock(dir.path) { () throws(LianzhengError) in events.append("second in") }
        #expect(events.list == ["first in", "first out", "second in"])
        #expect(try dir.entries() == [])  // no lock file among the outputs
    }

    /// Only what an interrupted write of the named files left goes.
    @Test func removeTemporaryFilesTakesOnlyThoseOfTheNames() throws {
        let dir = try TemporaryDirectory()
        for name in [".posts.csv.tmp-12-00ff", ".MANIFEST.tmp-9-ab", ".notes.txt.tmp-1-2", "posts.csv", ".posts.csv"] {
            try Data("x".utf8).write(to: URL(fileURLWithPath: dir.path + "/" + name))
        }
        removeTemporaryFiles(of: ["posts.csv", "MANIFEST"], in: dir.path)
        #expect(try dir.entries() == [".notes.txt.tmp-1-2", ".posts.csv", "posts.csv"])
        try removeFileIfPresent(dir.path + "/posts.csv")
        try removeFileIfPresent(dir.path + "/posts.csv")
        #expect(try dir.entries() == [".notes.txt.tmp-1-2", ".posts.csv"])
    }

    @Test func fileInTheWayThrowsIO() throws {
        let dir = try TemporaryDirectory()
        try writeAtomically(Array("x".utf8), to: dir.path + "/out")
        let error = #expect(throws: LianzhengError.self) {
            try makeDirectory(dir.path + "/out/2025")
        }
        guard case .io(let message) = error else {
            Issue.record("expected .io, got \(String(describing: error))")
            return
        }
        #expect(message.hasSuffix(": Not a directory"))
    }
}

/// Strings appended from several threads.
private final class LockedEvents: @unchecked Sendable {
    private var items: [String] = []
    private let lock = NSLock()
    func append(_ s: String) { lock.withLock { items.append(s) } }
    var list: [String] { lock.withLock { items } }
}

/// The permission bits of `path`, or nil when it cannot be stat'ed.
private func mode(of path: String) -> mode_t? {
    var info = stat()
    guard stat(path, &info) == 0 else { return nil }
    return info.st_mode & 0o7777
}

/// A fresh folder under the system temporary folder, removed at the end.
private final class TemporaryDirectory {
    let path: String

    init() throws {
        path = FileManager.default.temporaryDirectory.path + "/lianzheng-atomic-\(UUID().uuidString)"
        try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: false)
    }

    /// Names in the folder, sorted, hidden ones included.
    func entries() throws -> [String] {
        try FileManager.default.contentsOfDirectory(atPath: path).sorted()
    }

    deinit {
        try? FileManager.default.removeItem(atPath: path)
    }
}
