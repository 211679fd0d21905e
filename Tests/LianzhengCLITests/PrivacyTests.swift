import Foundation
import LianzhengKit
import Testing

#if canImport(Glibc)
    import Glibc
#endif

/// Personnel data stays private: every file the program creates — the
/// database with its WAL and shared-memory files, every output of every
/// command — is owner-only (0600, folders 0700) whatever the umask, and no
/// error message ever carries a bound value.
@Suite struct PrivacyTests {
    static let sample = Binary.repositoryRoot.appendingPathComponent("Datasets/sample").path

    static func mode(_ path: String) -> mode_t? {
        var info = stat()
        guard stat(path, &info) == 0 else { return nil }
        return info.st_mode & 0o7777
    }

    @Test(arguments: ["000", "022", "002"])
    func everyCreatedFileIsOwnerOnly(umask mask: String) throws {
        let dir = makeTemporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        for arguments in [
            ["import", "--data", Self.sample, "--db", "db/first.sqlite"],
            ["yearend", "--data", Self.sample, "--year", "2025"],
            ["score", "--year", "2025", "--out", "score/2025"],
            ["assess", "--year", "2025", "--out", "assess"],
            ["flags", "--year", "2025", "--out", "flags"],
            ["whatif", "--year", "2025", "--set", "assessment.bands.0.min=88", "--out", "whatif/alt"],
            ["compare", "--year", "2025", "--format", "csv", "--out", "compare.csv"],
            ["check", "--data", Self.sample, "--format", "csv", "--out", "check.csv"],
        ] {
            // `db/` must exist for --db; it is the user's folder, not ours.
            try FileManager.default.createDirectory(atPath: dir + "/db", withIntermediateDirectories: true)
            let r = try Binary.runMeasured(arguments, in: dir, umask: mask)
            #expect(r.status == 0, "\(arguments): \(r.stderrText)")
        }
        var checked = 0
        let walker = FileManager.default.enumerator(atPath: dir)!
        while let relative = walker.nextObject() as? String {
            let path = dir + "/" + relative
            var isDirectory: ObjCBool = false
            guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory), relative != "db" else { continue }
            let expected: mode_t = isDirectory.boolValue ? 0o700 : 0o600
            #expect(Self.mode(path) == expected, "umask \(mask): \(relative) has mode \(String(Self.mode(path) ?? 0, radix: 8))")
            checked += 1
        }
        #expect(checked >= 20)
        // The database's companions exist while a connection is open; check
        // them with one open, as SQLite creates them.
        let db = try Database(path: dir + "/lianzheng.sqlite")
        _ = try RunStore(db: db).list()
        for suffix in ["-wal", "-shm"] {
            #expect(Self.mode(dir + "/lianzheng.sqlite" + suffix) == 0o600, "lianzheng.sqlite\(suffix)")
        }
    }

    /// A statement that fails while personnel data is bound to it: the
    /// message names the SQL, never the values (here a trigger refuses
    /// the column pack, which holds the holder's name; it must not be printed).
    @Test func boundValuesNeverAppearInErrors() throws {
        let dir = makeTemporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        do {
            let db = try Database(path: dir + "/lianzheng.sqlite")
            _ = try SnapshotStore(db: db)
            try db.execute("CREATE TRIGGER refuse BEFORE INSERT ON snapshot_pack BEGIN SELECT RAISE(ABORT, 'refused'); END")
        }
        let secret = "机密人员王某某"
        var files = DatasetTexts.small
        files["posts.csv"] = "post_id,unit_id,name,holder\nP-密-001,U1,纪检组长,\(secret)\n"
        files["powers.csv"] = "post_id,power,kind\nP-密-001,审批,行政许可\n"
        files["incidents.csv"] = "incident_id,post_id,date,kind\nX1,P-密-001,2025-01-05,信访举报\n"
        try HostileInputCLITests.write(files, to: dir + "/data")
        let r = try Binary.run(["import", "--data", "data"], in: dir)
        #expect(r.status == 74)
        #expect(r.stderrLines.count == 1)
        #expect(r.stderr.contains("INSERT INTO snapshot_pack"), "\(r.stderr)")
        #expect(!r.stderr.contains(secret) && !r.stderr.contains("P-密-001") && !r.stderr.contains("纪检组长"))
        let state = try DatabaseState.read(dir + "/lianzheng.sqlite")
        #expect(state.integrity == "ok" && state.snapshots.isEmpty)
    }
}
