import Foundation
import LianzhengKit
import Testing

#if canImport(Glibc)
    import Glibc
#endif

/// Disks and files that fail: an output folder that cannot be written, a
/// full disk (a small tmpfs, mounted when the tests run as root — skipped
/// otherwise), a database file that is not SQLite or is damaged. Each ends
/// with a clear message and exit 74 or 65, and nothing already stored or
/// written is lost.
@Suite(.serialized) struct ResourceFaultTests {
    static let sample = Binary.repositoryRoot.appendingPathComponent("Datasets/sample").path

    /// A tmpfs of `size` at `path` (options such as "ro" added), or nil when
    /// mounting is not permitted here.
    final class Mount {
        let path: String
        init?(at path: String, size: String, options: String = "") {
            self.path = path
            try? FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
            guard getuid() == 0 else { return nil }
            let r = try? Binary.shell("mount -t tmpfs -o size=\(size)\(options.isEmpty ? "" : "," + options) tmpfs '\(path)' 2>/dev/null")
            guard r == 0 else { return nil }
        }
        func remountReadOnly() -> Bool { (try? Binary.shell("mount -o remount,ro '\(path)' 2>/dev/null")) == 0 }
        deinit { _ = try? Binary.shell("umount '\(path)' 2>/dev/null") }
    }

    /// The year-end outputs of the sample, as a clean run writes them.
    static let cleanSample: [String: Data] = {
        let dir = makeTemporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        _ = try? Binary.run(["yearend", "--data", sample, "--year", "2025", "--out", "out"], in: dir)
        return folderContents(dir + "/out")
    }()

    /// After a failed write: what stands under a real name is a whole file
    /// of the clean run, no temporary file is left, and there is no MANIFEST.
    static func expectNoPartialOutputs(_ folder: String, sourceLocation: SourceLocation = #_sourceLocation) {
        for (name, bytes) in folderContents(folder) {
            #expect(!isTemporaryOutputName(name), "temporary file \(name) left", sourceLocation: sourceLocation)
            #expect(name != "MANIFEST", "MANIFEST of an incomplete folder", sourceLocation: sourceLocation)
            #expect(bytes == cleanSample[name], "\(name) is not whole", sourceLocation: sourceLocation)
        }
    }

    /// A database holding the sample's snapshot and its year-end run.
    static func preparedDatabase(in dir: String) throws -> DatabaseState {
        let r = try Binary.run(["yearend", "--data", sample, "--year", "2025", "--out", "first"], in: dir)
        try #require(r.status == 0, "\(r.stderr)")
        return try DatabaseState.read(dir + "/lianzheng.sqlite")
    }

    @Test func outputFolderUnderAFile() throws {
        let dir = makeTemporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let before = try Self.preparedDatabase(in: dir)
        try Data("x".utf8).write(to: URL(fileURLWithPath: dir + "/file"))
        let r = try Binary.run(["yearend", "--year", "2025", "--out", "file/2025"], in: dir)
        #expect(r.status == 74)
        #expect(r.stderrLines == ["读写失败: 无法创建目录 file: Not a directory"])
        let after = try DatabaseState.read(dir + "/lianzheng.sqlite")
        #expect(after == before)  // no run recorded for files never written
        #expect(folderContents(dir + "/first") == Self.cleanSample)
    }

    /// A read-only folder: a read-only tmpfs as root (root writes through
    /// mode bits), mode 0500 otherwise.
    @Test func readOnlyOutputFolder() throws {
        let dir = makeTemporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let before = try Self.preparedDatabase(in: dir)
        let folder = dir + "/ro"
        var mount: Mount?
        if getuid() == 0 {
            mount = Mount(at: folder, size: "1m", options: "ro")
            guard mount != nil else { return }  // mounting not permitted here: nothing to test as root
        } else {
            try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
            chmod(folder, 0o500)
        }
        defer {
            mount = nil
            chmod(folder, 0o700)
        }
        let r = try Binary.run(["yearend", "--year", "2025", "--out", "ro/2025"], in: dir)
        #expect(r.status == 74)
        #expect(r.stderrLines.count == 1)
        #expect(r.stderr.hasPrefix("读写失败: 无法创建目录 ro/2025: "))
        #expect(r.stderr.contains(getuid() == 0 ? "Read-only file system" : "Permission denied"))
        #expect(try DatabaseState.read(dir + "/lianzheng.sqlite") == before)
    }

    /// Outputs onto a full disk: the file that does not fit is never seen
    /// under its name, no MANIFEST claims a whole run, no run is recorded.
    @Test func outputsOnAFullDisk() throws {
        let dir = makeTemporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let before = try Self.preparedDatabase(in: dir)
        let total = Self.cleanSample.values.reduce(0) { $0 + $1.count }
        guard let mount = Mount(at: dir + "/full", size: "\(total / 2 / 1024)k") else { return }
        let r = try Binary.run(["yearend", "--year", "2025", "--out", "full/2025"], in: dir)
        #expect(r.status == 74)
        #expect(r.stderrLines.count == 1)
        #expect(r.stderr.hasPrefix("读写失败: 无法写入 full/2025/."))
        #expect(r.stderr.contains("No space left on device"))
        Self.expectNoPartialOutputs(mount.path + "/2025")
        #expect(try DatabaseState.read(dir + "/lianzheng.sqlite") == before)
    }

    /// The database on a full disk: the import that does not fit rolls back;
    /// the earlier snapshot and run stay, and the database is intact.
    @Test func databaseOnAFullDisk() throws {
        let dir = makeTemporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        // Room for the sample's database (1.4 MB in 64 KiB pages) and its
        // WAL while it is written, not for the column pack of 10,000 more
        // posts (about 1 KB a post).
        guard let mount = Mount(at: dir + "/full", size: "4m") else { return }
        let r0 = try Binary.run(["yearend", "--data", Self.sample, "--year", "2025", "--db", "full/lianzheng.sqlite", "--out", "first"], in: dir)
        try #require(r0.status == 0, "\(r0.stderr)")
        let before = try DatabaseState.read(mount.path + "/lianzheng.sqlite")
        let big = SyntheticDataset.make(posts: 10000, seed: 5, scheme: .default)
        try DatasetExport.write(big, to: dir + "/big")
        let r = try Binary.run(["yearend", "--data", "big", "--year", "2025", "--db", "full/lianzheng.sqlite", "--out", "second"], in: dir)
        #expect(r.status == 74)
        #expect(r.stderrLines.count == 1)
        #expect(r.stderr.contains("磁盘空间不足"), "\(r.stderr)")
        #expect(r.stderr.contains("database or disk is full"))
        #expect(!FileManager.default.fileExists(atPath: dir + "/second"))
        let after = try DatabaseState.read(mount.path + "/lianzheng.sqlite")
        #expect(after.integrity == "ok")
        #expect(after == before)
    }

    /// `score`, `assess` and `flags` with `--data` compute while the
    /// snapshot is stored: when the store fails (the database's disk is
    /// full), they exit 74 and write no output file.
    @Test(arguments: [["score"], ["assess"], ["flags"]])
    func computingCommandsOnAFullDatabaseDiskWriteNothing(_ command: [String]) throws {
        let dir = makeTemporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        guard let mount = Mount(at: dir + "/full", size: "2m") else { return }
        let big = SyntheticDataset.make(posts: 4000, seed: 6, scheme: .default)
        try DatasetExport.write(big, to: dir + "/big")
        let r = try Binary.run(
            command + ["--data", "big", "--year", "2025", "--db", "full/lianzheng.sqlite", "--out", "out"], in: dir)
        #expect(r.status == 74, "\(r.stderr)")
        #expect(r.stderr.contains("磁盘空间不足"), "\(r.stderr)")
        #expect(!FileManager.default.fileExists(atPath: dir + "/out"))
        #expect(try FileManager.default.contentsOfDirectory(atPath: mount.path).isEmpty, "a failed import into a new database leaves no file")
    }

    /// A database file that is not SQLite: exit 65 and a Chinese message;
    /// the file is left byte for byte, nothing else is created.
    @Test(arguments: [["import", "--data", sample], ["yearend", "--data", sample, "--year", "2025"], ["runs"],
        ["score", "--year", "2025"], ["verify", "0123"], ["whatif", "--year", "2025", "--set", "assessment.bands.0.min=88"]])
    func notADatabase(arguments: [String]) throws {
        let dir = makeTemporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let text = Data(String(repeating: "这不是数据库，是一份名单。\n", count: 400).utf8)
        try text.write(to: URL(fileURLWithPath: dir + "/lianzheng.sqlite"))
        let r = try Binary.run(arguments, in: dir)
        #expect(r.status == 65, "\(r.stderr)")
        #expect(r.stderrLines == ["数据库文件无效或不是 SQLite 数据库: lianzheng.sqlite: file is not a database"], "\(arguments)")
        #expect(FileManager.default.contents(atPath: dir + "/lianzheng.sqlite") == text)
        #expect(try FileManager.default.contentsOfDirectory(atPath: dir) == ["lianzheng.sqlite"])
    }

    /// A damaged database (cut in half): a clear message, never a crash.
    @Test func damagedDatabase() throws {
        let dir = makeTemporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        _ = try Self.preparedDatabase(in: dir)
        for suffix in ["-wal", "-shm"] { unlink(dir + "/lianzheng.sqlite" + suffix) }
        let path = dir + "/lianzheng.sqlite"
        var info = stat()
        stat(path, &info)
        truncate(path, off_t(info.st_size / 2))
        var refused = 0
        for arguments in [["runs"], ["yearend", "--year", "2025", "--out", "again"], ["import", "--data", Self.sample]] {
            // What a command does not read may still be intact: it may succeed.
            let r = try Binary.run(arguments, in: dir)
            #expect([0, 65].contains(r.status), "\(arguments): \(r.status) \(r.stderr)")
            if r.status != 0 {
                refused += 1
                #expect(r.stderrLines.count == 1, "\(arguments): \(r.stderr)")
                #expect(r.stderr.hasPrefix("数据库文件已损坏: lianzheng.sqlite: "), "\(arguments): \(r.stderr)")
            }
        }
        #expect(refused > 0)
    }
}

extension Binary {
    /// Runs a shell command line; returns its exit status.
    static func shell(_ command: String) throws -> Int32 {
        let p = Process()
        p.executableURL = URL(fileURLWithPath: "/bin/sh")
        p.arguments = ["-c", command]
        p.standardOutput = FileHandle.nullDevice
        p.standardError = FileHandle.nullDevice
        try p.run()
        p.waitUntilExit()
        return p.terminationStatus
    }
}
