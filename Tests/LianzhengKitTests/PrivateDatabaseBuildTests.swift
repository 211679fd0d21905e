import Foundation
import Testing
@testable import LianzhengKit

#if canImport(Glibc)
    import Glibc
#endif

/// A database the import creates is built under a hidden name and published
/// whole with link(2) (`PrivateDatabaseBuild`): never a partial file under
/// the real name, never replacing a database another process created.
@Suite struct PrivateDatabaseBuildTests {
    /// Files in `dir` other than `keep`.
    private func others(in dir: String, keeping keep: Set<String> = []) -> [String] {
        ((try? FileManager.default.contentsOfDirectory(atPath: dir)) ?? []).filter { !keep.contains($0) }.sorted()
    }

    /// Bytes 18 and 19 of an SQLite header are the write and read format
    /// versions: 2 means WAL mode is recorded in the file (1: rollback).
    private func headerFormat(_ path: String) throws -> [UInt8] {
        let data = try Data(contentsOf: URL(fileURLWithPath: path))
        return Array(data[18...19])
    }

    @Test func importPublishesAWholeDatabaseInWALMode() throws {
        let dir = temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let db = dir + "/lianzheng.sqlite"
        let r = try Workspace.importDataset(
            directory: repositoryRoot + "/Datasets/sample", encoding: .auto, scheme: try scheme(), dbPath: db)
        #expect(r.snapshot == 1 && !r.reused)
        #expect(others(in: dir) == ["lianzheng.sqlite"])
        #expect(try headerFormat(db) == [2, 2])
        var info = stat()
        #expect(stat(db, &info) == 0 && info.st_mode & 0o777 == 0o600)
        let loaded = try SnapshotStore(db: Database(path: db)).load(1)
        #expect(loaded.computeFingerprint() == r.dataset.fingerprint)
    }

    @Test func aFailingBuildLeavesNoFile() throws {
        let dir = temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        #expect(throws: LianzhengError.self) {
            _ = try PrivateDatabaseBuild.build(at: dir + "/lianzheng.sqlite") { (_: Database) throws(LianzhengError) -> Int in
                throw .io("disk full")
            }
        }
        #expect(others(in: dir).isEmpty)
    }

    /// Another process creates the database while this one builds: its file
    /// stays as it is, nothing is published, no temporary file is left.
    @Test func aDatabaseCreatedMeanwhileIsLeftAlone() throws {
        let dir = temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let db = dir + "/lianzheng.sqlite"
        let theirs = Data("their database".utf8)
        let result = try PrivateDatabaseBuild.build(at: db) { (_: Database) throws(LianzhengError) -> Int in
            _ = FileManager.default.createFile(atPath: db, contents: theirs)
            return 7
        }
        #expect(result == nil)
        #expect(FileManager.default.contents(atPath: db) == theirs)
        #expect(others(in: dir) == ["lianzheng.sqlite"])
    }

    /// A build killed midway leaves its hidden file; the next build in the
    /// folder removes it once its process is gone, and leaves live ones.
    @Test func abandonedBuildsAreRemoved() throws {
        let dir = temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let finished = Process()
        finished.executableURL = URL(fileURLWithPath: "/bin/true")
        try finished.run()
        finished.waitUntilExit()
        let dead = PrivateDatabaseBuild.prefix("lianzheng.sqlite") + "\(finished.processIdentifier)-abc"
        let live = PrivateDatabaseBuild.prefix("lianzheng.sqlite") + "\(getpid())-def"
        let otherName = PrivateDatabaseBuild.prefix("other.sqlite") + "\(finished.processIdentifier)-abc"
        for name in [dead, live, otherName] { _ = FileManager.default.createFile(atPath: dir + "/" + name, contents: Data()) }
        let result = try PrivateDatabaseBuild.build(at: dir + "/lianzheng.sqlite") { (_: Database) throws(LianzhengError) -> Int in 1 }
        #expect(result == 1)
        #expect(others(in: dir) == [live, otherName, "lianzheng.sqlite"].sorted())
    }

    /// Errors name the database as the user gave it, never the hidden name.
    @Test func errorsNameTheRealPath() throws {
        let dir = temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let db = dir + "/missing-folder/lianzheng.sqlite"
        do {
            _ = try PrivateDatabaseBuild.build(at: db) { (_: Database) throws(LianzhengError) -> Int in 1 }
            Issue.record("a build into a missing folder succeeded")
        } catch {
            #expect("\(error)".contains(db))
            #expect(!"\(error)".contains(".import-"))
        }
    }
}
