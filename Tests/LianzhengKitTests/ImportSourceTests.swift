import Foundation
import Testing
@testable import LianzhengKit

/// Re-importing unchanged files (`Workspace.importDataset` with the
/// `import_source` table): the source digest finds the snapshot without
/// parsing; anything the reading depends on misses; warnings come back;
/// schema 2 databases are migrated.
@Suite struct ImportSourceTests {
    typealias Imported = (snapshot: Int64, reused: Bool, dataset: Dataset, warnings: [String], parsed: Bool)

    private func importFolder(
        _ folder: DatasetFolder, into db: String, encoding: InputEncoding = .auto, scheme: Scheme? = nil
    ) throws -> Imported {
        try Workspace.importDataset(
            directory: folder.path, encoding: encoding, scheme: try scheme ?? LianzhengKitTests.scheme(), dbPath: db)
    }

    private func rows(_ db: String, _ sql: String) throws -> [String] {
        let q = try Database(path: db).prepare(sql)
        var out: [String] = []
        while try q.step() { out.append(q.text(0)) }
        return out
    }

    /// The second import of unchanged files loads the first one's snapshot
    /// without parsing. Then powers.csv gets other bytes of the same length
    /// (first row's amount 5000 → 5001) with its modification time set
    /// back: the digest, which reads the bytes, misses, and the files are
    /// parsed into a new snapshot (the data changed). Going back to either
    /// set of bytes finds its own snapshot again, whichever was loaded ahead
    /// of the digest (the latest).
    @Test func unchangedFilesAreNotParsedAgain() throws {
        let dir = temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let db = dir + "/lianzheng.sqlite"
        let folder = CSVDataset.rich.folder()
        defer { folder.remove() }
        folder.age()

        let first = try importFolder(folder, into: db)
        #expect(first.parsed && !first.reused && first.snapshot == 1)
        let second = try importFolder(folder, into: db)
        #expect(!second.parsed && second.reused && second.snapshot == 1)
        #expect(second.dataset.fingerprint == first.dataset.fingerprint)
        expectSameData(second.dataset, first.dataset)

        let path = folder.file("powers.csv")
        let modified = try FileManager.default.attributesOfItem(atPath: path)[.modificationDate] as! Date
        let text = try String(contentsOfFile: path, encoding: .utf8)
        let edited = text.replacingOccurrences(of: ",5000,", with: ",5001,")
        #expect(edited != text && edited.utf8.count == text.utf8.count)
        try edited.write(toFile: path, atomically: false, encoding: .utf8)
        try FileManager.default.setAttributes([.modificationDate: modified], ofItemAtPath: path)
        let third = try importFolder(folder, into: db)
        #expect(third.parsed && !third.reused && third.snapshot == 2)
        #expect(third.dataset.fingerprint != first.dataset.fingerprint)
        #expect(third.dataset.powers.amount.contains(5001))

        // The first bytes again: their digest names snapshot 1, while the
        // snapshot loaded ahead of the digest is the latest one, 2. The
        // import must give snapshot 1's data, not the guess.
        try text.write(toFile: path, atomically: false, encoding: .utf8)
        let fourth = try importFolder(folder, into: db)
        #expect(!fourth.parsed && fourth.reused && fourth.snapshot == 1)
        #expect(fourth.dataset.fingerprint == first.dataset.fingerprint)
        expectSameData(fourth.dataset, first.dataset)
        // And the second bytes again: now the guess (2) is right.
        try edited.write(toFile: path, atomically: false, encoding: .utf8)
        let fifth = try importFolder(folder, into: db)
        #expect(!fifth.parsed && fifth.reused && fifth.snapshot == 2)
        expectSameData(fifth.dataset, third.dataset)

        // Each digest was recorded once, with the snapshot its files read to.
        #expect(try rows(db, "SELECT snapshot_id FROM import_source ORDER BY snapshot_id") == ["1", "2"])
    }

    struct Change: CustomTestStringConvertible, Sendable {
        var id: String
        var files: [String: String] = [:]
        var encoding: InputEncoding = .auto
        var otherScheme = false
        /// Whether the changed input reads to the same data (then the
        /// snapshot is reused by fingerprint, after parsing).
        var sameData: Bool
        var testDescription: String { id }
    }

    /// Anything the digest covers misses it and makes the import parse:
    /// one byte of a file, the scheme, --encoding, an optional file that
    /// appears. Where the data read is the same (everything but the byte),
    /// the snapshot is reused by fingerprint; either way the new digest is
    /// recorded, so the same change again is not parsed.
    @Test(arguments: [
        Change(id: "powers.csv annual_count 10 → 11", files: [
            "powers.csv": "post_id,power,kind,annual_count,amount,discretion\nP1,许可签发,行政许可,11,5,2\n",
        ], sameData: false),
        Change(id: "scheme with another half-life", otherScheme: true, sameData: true),
        Change(id: "--encoding utf8", encoding: .utf8, sameData: true),
        Change(id: "header-only risk_points.csv added", files: [
            "risk_points.csv": "point_id,post_id,type,description\n",
        ], sameData: true),
    ])
    func changedInputMissesTheDigest(_ change: Change) throws {
        let dir = temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let db = dir + "/lianzheng.sqlite"
        let folder = DatasetFolder(DatasetFolder.valid)
        defer { folder.remove() }
        folder.age()
        let base = try importFolder(folder, into: db)
        #expect(base.parsed && !base.reused && base.snapshot == 1)
        #expect(try !importFolder(folder, into: db).parsed)

        for (name, content) in change.files { folder.write(name, content) }
        let scheme = change.otherScheme
            ? try LianzhengKitTests.scheme { $0.replacingOccurrences(of: "\"half_life_years\": 2", with: "\"half_life_years\": 3") }
            : try LianzhengKitTests.scheme()
        if change.otherScheme { #expect(scheme.fingerprint != (try LianzhengKitTests.scheme()).fingerprint) }
        let changed = try importFolder(folder, into: db, encoding: change.encoding, scheme: scheme)
        #expect(changed.parsed)
        #expect(changed.reused == change.sameData)
        #expect(changed.snapshot == (change.sameData ? 1 : 2))
        let again = try importFolder(folder, into: db, encoding: change.encoding, scheme: scheme)
        #expect(!again.parsed && again.reused && again.snapshot == changed.snapshot)
    }

    /// Unknown columns are warned about on every import, also when the
    /// snapshot comes from the digest, and name the folder given this time
    /// (the same files elsewhere have the same digest). A column name
    /// holding a line break is written `\n` in its warning, so one stored
    /// warning is one line.
    @Test func warningsComeBackOnReuse() throws {
        let dir = temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let db = dir + "/lianzheng.sqlite"
        let files = DatasetFolder.valid.merging([
            "posts.csv": "post_id,unit_id,备注,name,\"a\nb\"\nP1,U1,x,局长,\nP2,U2,,主任,\n",
        ]) { $1 }
        let folder = DatasetFolder(files)
        let elsewhere = DatasetFolder(files)
        defer {
            folder.remove()
            elsewhere.remove()
        }
        folder.age()
        elsewhere.age()
        // 备注 is field 3 of the header, "a⏎b" field 5; both on line 1.
        func expected(_ f: DatasetFolder) -> [String] {
            [
                "\(f.file("posts.csv")):1:3: 警告: 未知列 备注 已忽略 (unknown column ignored)",
                "\(f.file("posts.csv")):1:5: 警告: 未知列 a\\nb 已忽略 (unknown column ignored)",
            ]
        }
        let first = try importFolder(folder, into: db)
        #expect(first.parsed && first.warnings == expected(folder))
        let second = try importFolder(folder, into: db)
        #expect(!second.parsed && second.warnings == expected(folder))
        let moved = try importFolder(elsewhere, into: db)
        #expect(!moved.parsed && moved.snapshot == first.snapshot && moved.warnings == expected(elsewhere))
        #expect(try rows(db, "SELECT warnings FROM import_source") == [
            "posts.csv:1:3: 警告: 未知列 备注 已忽略 (unknown column ignored)\n"
                + "posts.csv:1:5: 警告: 未知列 a\\nb 已忽略 (unknown column ignored)",
        ])
    }

    /// A database of schema version 2 (this schema without `import_source`,
    /// made here by removing it) keeps its snapshots and is migrated by the
    /// next import: version 3, the table with its triggers. The import finds
    /// no digest in the old database, so it parses, reuses snapshot 1 by
    /// fingerprint and records the digest; the next one does not parse.
    @Test func schemaVersion2IsMigrated() throws {
        let dir = temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let db = dir + "/lianzheng.sqlite"
        let folder = CSVDataset.rich.folder()
        let other = CSVDataset.rich.editing(.powers, row: 0, column: "amount", to: "5001").folder()
        defer {
            folder.remove()
            other.remove()
        }
        folder.age()
        other.age()
        let first = try importFolder(folder, into: db)
        let second = try importFolder(other, into: db)
        #expect(first.snapshot == 1 && second.snapshot == 2)
        do {
            let old = try Database(path: db)
            try old.execute("""
                DROP TRIGGER import_source_no_update; DROP TRIGGER import_source_no_delete; DROP TABLE import_source;
                UPDATE meta SET value = '2' WHERE key = 'schema_version'
                """)
        }
        let before = try SnapshotStore(reading: Database(path: db)).list()
        #expect(before.map(\.id) == [1, 2])
        #expect(try rows(db, "SELECT name FROM sqlite_master WHERE name LIKE 'import_source%'").isEmpty)

        let migrated = try importFolder(folder, into: db)
        #expect(migrated.parsed && migrated.reused && migrated.snapshot == 1)
        #expect(try rows(db, "SELECT value FROM meta WHERE key = 'schema_version'") == ["3"])
        #expect(try SnapshotStore(reading: Database(path: db)).list() == before)
        #expect(try rows(db, "SELECT snapshot_id FROM import_source") == ["1"])
        let again = try importFolder(folder, into: db)
        #expect(!again.parsed && again.snapshot == 1)
        expectSameData(again.dataset, first.dataset)
        let loaded = try SnapshotStore(db: Database(path: db)).load(2)
        expectSameData(loaded, second.dataset)

        let connection = try Database(path: db)
        for sql in ["UPDATE import_source SET snapshot_id = 2", "DELETE FROM import_source"] {
            do {
                try connection.execute(sql)
                Issue.record("\(sql) succeeded")
            } catch {
                #expect(error.message.contains("snapshots are immutable"))
            }
        }
    }

    /// The digest is not looked up in a database of a newer schema; the
    /// import then fails as before, refusing that database (65).
    @Test func newerSchemaIsNotUsed() throws {
        let dir = temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let db = dir + "/lianzheng.sqlite"
        let folder = DatasetFolder(DatasetFolder.valid)
        defer { folder.remove() }
        folder.age()
        _ = try importFolder(folder, into: db)
        try Database(path: db).execute("UPDATE meta SET value = '4' WHERE key = 'schema_version'")
        do {
            _ = try importFolder(folder, into: db)
            Issue.record("import into a newer database succeeded")
        } catch let error as LianzhengError {
            #expect(error.exitCode == 65)
            guard case .invalid(let message) = error else { throw error }
            #expect(message.contains("数据库版本 4 高于本程序支持的版本 3"))
        }
    }
}
