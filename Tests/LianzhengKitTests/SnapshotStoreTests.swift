import Foundation
import Testing
@testable import LianzhengKit

#if canImport(Glibc)
    import Glibc
#endif

/// SHA-256 of a file's bytes, or nil when it does not exist.
private func fileHash(_ path: String) -> String? {
    guard let data = FileManager.default.contents(atPath: path) else { return nil }
    var hash = SHA256()
    hash.update(bytes: Array(data))
    return hash.hexDigest()
}

/// The database file and its companions, hashed (nil: absent).
private func databaseState(_ path: String) -> [String: String?] {
    Dictionary(uniqueKeysWithValues: ["", "-wal", "-shm", "-journal"].map { (path + $0, fileHash(path + $0)) })
}

private func mode(_ path: String) -> mode_t? {
    var info = stat()
    guard stat(path, &info) == 0 else { return nil }
    return info.st_mode & 0o777
}

/// Column-by-column equality of two datasets (`Dataset` is not Equatable;
/// blank tenure is NaN, compared as "both blank").
func expectSameData(_ a: Dataset, _ b: Dataset, sourceLocation: SourceLocation = #_sourceLocation) {
    #expect(a.units.id == b.units.id && a.units.name == b.units.name, sourceLocation: sourceLocation)
    #expect(a.units.parent == b.units.parent && a.units.kind == b.units.kind, sourceLocation: sourceLocation)
    #expect(a.posts.id == b.posts.id && a.posts.unit == b.posts.unit && a.posts.name == b.posts.name, sourceLocation: sourceLocation)
    #expect(a.posts.category == b.posts.category && a.posts.holder == b.posts.holder, sourceLocation: sourceLocation)
    #expect(a.posts.tenureYears.map { $0.isNaN ? nil : $0 } == b.posts.tenureYears.map { $0.isNaN ? nil : $0 },
            sourceLocation: sourceLocation)
    #expect(a.posts.selfLevel == b.posts.selfLevel && a.posts.controls == b.posts.controls, sourceLocation: sourceLocation)
    #expect(a.posts.keyDecisions == b.posts.keyDecisions, sourceLocation: sourceLocation)
    #expect(a.powers.post == b.powers.post && a.powers.name == b.powers.name && a.powers.kind == b.powers.kind,
            sourceLocation: sourceLocation)
    #expect(a.powers.annualCount == b.powers.annualCount && a.powers.amount == b.powers.amount, sourceLocation: sourceLocation)
    #expect(a.powers.discretion == b.powers.discretion && a.powers.start == b.powers.start, sourceLocation: sourceLocation)
    #expect(a.incidents.id == b.incidents.id && a.incidents.post == b.incidents.post, sourceLocation: sourceLocation)
    #expect(a.incidents.date == b.incidents.date && a.incidents.kind == b.incidents.kind, sourceLocation: sourceLocation)
    #expect(a.incidents.status == b.incidents.status && a.incidents.start == b.incidents.start, sourceLocation: sourceLocation)
    #expect(a.assessments.year == b.assessments.year && a.assessments.subjectType == b.assessments.subjectType,
            sourceLocation: sourceLocation)
    #expect(a.assessments.subject == b.assessments.subject && a.assessments.indicator == b.assessments.indicator,
            sourceLocation: sourceLocation)
    #expect(a.assessments.score == b.assessments.score, sourceLocation: sourceLocation)
    #expect(a.adjustments.year == b.adjustments.year && a.adjustments.subjectType == b.adjustments.subjectType,
            sourceLocation: sourceLocation)
    #expect(a.adjustments.subject == b.adjustments.subject && a.adjustments.type == b.adjustments.type, sourceLocation: sourceLocation)
    #expect(a.adjustments.points == b.adjustments.points && a.adjustments.reason == b.adjustments.reason, sourceLocation: sourceLocation)
    #expect(a.riskPoints.id == b.riskPoints.id && a.riskPoints.post == b.riskPoints.post, sourceLocation: sourceLocation)
    #expect(a.riskPoints.type == b.riskPoints.type && a.riskPoints.description == b.riskPoints.description,
            sourceLocation: sourceLocation)
    #expect(a.riskPoints.measures == b.riskPoints.measures, sourceLocation: sourceLocation)
    #expect(a.fingerprint == b.fingerprint, sourceLocation: sourceLocation)
}

/// Snapshots in SQLite (SPEC §7, issue 2): one transaction, nothing written
/// on failure, private file mode, reuse by fingerprint, immutability.
@Suite struct SnapshotStoreTests {
    static let sample = repositoryRoot + "/Datasets/sample"

    private func importFolder(_ dir: String, into db: String, tables: Bool = false) throws -> (snapshot: Int64, reused: Bool, dataset: Dataset) {
        let r = try Workspace.importDataset(directory: dir, encoding: .auto, scheme: try scheme(), dbPath: db, tables: tables)
        return (r.snapshot, r.reused, r.dataset)
    }

    /// Rows of `snapshot` in each row table, in `StoreSchema.snapshotTables` order.
    private func rowCounts(_ db: Database, _ snapshot: Int64) throws -> [Int] {
        try StoreSchema.snapshotTables.map { table in
            let q = try db.prepare("SELECT count(*) FROM \(table) WHERE snapshot_id = ?")
            q.bind(1, snapshot)
            _ = try q.step()
            return Int(q.int64(0))
        }
    }

    /// A plain import stores the snapshot row and its column pack only;
    /// `--tables` (on a new snapshot, or later on a reused one) adds every
    /// row to the row tables once, and those rows load back to the same data
    /// as the pack (the path a schema 1 snapshot, without a pack, loads by).
    @Test(arguments: [true, false])
    func rowTablesOnRequest(_ tablesAtFirstImport: Bool) throws {
        let dir = temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let dbPath = dir + "/lianzheng.sqlite"
        let rich = CSVDataset.rich.folder()
        defer { rich.remove() }
        let first = try importFolder(rich.path, into: dbPath, tables: tablesAtFirstImport)
        let db = try Database(path: dbPath)
        let declared = try SnapshotStore(db: db).list()[0].counts
        #expect(declared.allSatisfy { $0 > 0 }, "the rich dataset fills every table")
        let packParts = try rowCounts(db, first.snapshot)[7]
        #expect(packParts > 0)
        #expect(try rowCounts(db, first.snapshot) == (tablesAtFirstImport ? declared : [0, 0, 0, 0, 0, 0, 0]) + [packParts])

        let again = try importFolder(rich.path, into: dbPath, tables: true)
        #expect(again.reused && again.snapshot == first.snapshot)
        #expect(try rowCounts(db, first.snapshot) == declared + [packParts])
        // Asked once more: the rows are there, nothing is written twice.
        #expect(try SnapshotStore(db: db).storeTables(first.dataset, snapshot: first.snapshot) == false)
        #expect(try rowCounts(db, first.snapshot) == declared + [packParts])

        let fromRows = try SnapshotStore(db: db).loadRows(first.snapshot)
        expectSameData(fromRows, first.dataset)
        #expect(fromRows.computeFingerprint() == first.dataset.fingerprint)
    }

    /// A failed import (bad data, or a missing file) into an existing
    /// database leaves it, and its -wal/-shm, byte for byte as they were.
    @Test(arguments: ["bad data", "missing file"])
    func failedImportLeavesDatabaseUnchanged(_ failure: String) throws {
        let dir = temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let db = dir + "/lianzheng.sqlite"
        let good = CSVDataset.rich.folder()
        defer { good.remove() }
        _ = try importFolder(good.path, into: db)
        // Another connection keeps the database open with a write still in
        // the WAL (not checkpointed), so -wal and -shm exist and matter.
        let holder = try Database(path: db)
        try holder.execute("CREATE TABLE probe(x); INSERT INTO probe VALUES (1)")
        let before = databaseState(db)
        #expect(before[db]! != nil && before[db + "-wal"]! != nil && before[db + "-shm"]! != nil)

        let bad = failure == "bad data"
            ? DatasetFolder.valid(with: ["incidents.csv": "incident_id,post_id,date,kind\nX1,P1,2025-02-29,投诉\n"])
            : DatasetFolder.valid(with: ["posts.csv": nil])
        defer { bad.remove() }
        #expect(throws: LianzhengError.self) { try importFolder(bad.path, into: db) }
        #expect(databaseState(db) == before)
        // And the database still holds exactly the one snapshot.
        #expect(try SnapshotStore(db: holder).list().count == 1)
    }

    /// A failed import into a database that did not exist leaves no file.
    @Test func failedImportCreatesNoDatabase() throws {
        let dir = temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let db = dir + "/new.sqlite"
        let bad = DatasetFolder.valid(with: ["units.csv": "unit_id,name\nU1,a\nU1,b\n"])
        defer { bad.remove() }
        #expect(throws: LianzhengError.self) { try importFolder(bad.path, into: db) }
        #expect(databaseState(db).values.allSatisfy { $0 == nil })
        #expect(try FileManager.default.contentsOfDirectory(atPath: dir).isEmpty)
    }

    /// A file that is not a database is bad input (65) and is left alone.
    @Test func notADatabaseIsLeftAlone() throws {
        let dir = temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let db = dir + "/notes.sqlite"
        let text = String(repeating: "这不是数据库。 not a database\n", count: 200)
        #expect(FileManager.default.createFile(atPath: db, contents: Data(text.utf8)))
        let before = databaseState(db)
        let good = DatasetFolder(DatasetFolder.valid)
        defer { good.remove() }
        do {
            _ = try importFolder(good.path, into: db)
            Issue.record("import into a text file succeeded")
        } catch let error as LianzhengError {
            #expect(error.exitCode == 65)
        }
        #expect(databaseState(db) == before)
    }

    /// Valid data, but a database path that cannot be created: I/O failure (74), no file.
    @Test func unwritableDatabasePath() throws {
        let good = DatasetFolder(DatasetFolder.valid)
        defer { good.remove() }
        let db = good.path + "/no/such/folder/db.sqlite"
        do {
            _ = try importFolder(good.path, into: db)
            Issue.record("import succeeded")
        } catch let error as LianzhengError {
            #expect(error.exitCode == 74)
        }
        #expect(!FileManager.default.fileExists(atPath: good.path + "/no"))
    }

    /// The database and its WAL are created 0600, even under umask 022
    /// (which would otherwise give 0644).
    @Test func privateFileMode() throws {
        let dir = temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let db = dir + "/lianzheng.sqlite"
        let old = umask(0o022)
        defer { umask(old) }
        let good = DatasetFolder(DatasetFolder.valid)
        defer { good.remove() }
        _ = try importFolder(good.path, into: db)
        #expect(mode(db) == 0o600)
        // Hold a connection open with a write pending in the WAL, then look at it.
        let open = try Database(path: db)
        try open.execute("CREATE TABLE IF NOT EXISTS probe(x)")
        #expect(mode(db + "-wal") == 0o600)
        #expect(mode(db + "-shm") == 0o600)
    }

    /// A database the import creates is built privately without a journal
    /// and published in WAL mode, with no journal left behind; a second
    /// import into it (now existing) goes through the WAL.
    @Test func newDatabaseEndsInWALMode() throws {
        let dir = temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let db = dir + "/lianzheng.sqlite"
        let first = CSVDataset.rich.folder()
        let second = CSVDataset.rich.editing(.powers, row: 0, column: "amount", to: "5001").folder()
        defer {
            first.remove()
            second.remove()
        }
        func journalMode() throws -> String {
            let q = try Database(path: db).prepare("PRAGMA journal_mode")
            return try q.step() ? q.text(0) : ""
        }
        let a = try importFolder(first.path, into: db)
        #expect(!FileManager.default.fileExists(atPath: db + "-journal"))
        #expect(try journalMode() == "wal")
        let b = try importFolder(second.path, into: db)
        #expect(try journalMode() == "wal")
        #expect(!a.reused && !b.reused && a.snapshot != b.snapshot)
        let store = try SnapshotStore(db: Database(path: db))
        expectSameData(try store.load(a.snapshot), a.dataset)
        expectSameData(try store.load(b.snapshot), b.dataset)
    }

    /// Same fingerprint ⇒ same snapshot; other data ⇒ a new one.
    @Test func reimportReusesSnapshot() throws {
        let dir = temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let db = dir + "/lianzheng.sqlite"
        let plain = CSVDataset.rich.folder()
        let excel = CSVDataset.rich.folder(CSVDataset.Style(
            id: "excel", shuffleRows: true, shuffleColumns: true, chineseHeaders: true, crlf: true, gb18030: true, seed: 5))
        let changed = CSVDataset.rich.editing(.assessments, row: 0, column: "score", to: "22.75").folder()
        defer {
            plain.remove()
            excel.remove()
            changed.remove()
        }
        let first = try importFolder(plain.path, into: db)
        #expect(!first.reused)
        let again = try importFolder(plain.path, into: db)
        #expect(again.snapshot == first.snapshot && again.reused)
        let asExcel = try importFolder(excel.path, into: db)
        #expect(asExcel.snapshot == first.snapshot && asExcel.reused)
        let other = try importFolder(changed.path, into: db)
        #expect(other.snapshot != first.snapshot && !other.reused)
        let back = try importFolder(plain.path, into: db)
        #expect(back.snapshot == first.snapshot && back.reused)
        let list = try SnapshotStore(db: Database(path: db)).list()
        #expect(list.map(\.id) == [first.snapshot, other.snapshot])
        #expect(list.map(\.fingerprint) == [first.dataset.fingerprint, other.dataset.fingerprint])
    }

    /// What is loaded back is what was read, column for column, and its
    /// recomputed fingerprint is the stored one.
    @Test(arguments: ["sample", "rich"])
    func snapshotLoadsBackEqual(_ which: String) throws {
        let dir = temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let db = dir + "/lianzheng.sqlite"
        let rich = CSVDataset.rich.folder()
        defer { rich.remove() }
        let source = which == "sample" ? Self.sample : rich.path
        let read = try DatasetReader(directory: source, scheme: try scheme()).read()
        let imported = try importFolder(source, into: db)
        let loaded = try SnapshotStore(db: Database(path: db)).load(imported.snapshot)
        expectSameData(loaded, read)
        #expect(loaded.computeFingerprint() == read.fingerprint)
        #expect(loaded.fingerprint == read.fingerprint)
    }

    /// The column pack is one byte stream however it is cut into parts:
    /// parts of at most 7 bytes, large spans handed over without copying
    /// from 5 bytes on, concatenate to the stream written in 16 MiB parts,
    /// and read back (part by part) to the same data.
    @Test func columnPackPartsAreCutAnywhere() throws {
        let rich = CSVDataset.rich.folder()
        defer { rich.remove() }
        let d = try DatasetReader(directory: rich.path, scheme: try scheme()).read()
        var whole: [UInt8] = []
        try ColumnPack.write(d) { whole += $0 }
        var parts: [[UInt8]] = []
        try ColumnPack.write(d, partSize: 7, directBytes: 5) { parts.append(Array($0)) }
        #expect(parts.allSatisfy { !$0.isEmpty && $0.count <= 7 })
        #expect(parts.count >= whole.count / 7)
        #expect(Array(parts.joined()) == whole)
        // Each part in memory of its own, as SQLite hands a blob over.
        let stored = parts.map { part in
            let buffer = UnsafeMutableRawBufferPointer.allocate(byteCount: part.count, alignment: 1)
            buffer.copyBytes(from: part)
            return buffer
        }
        defer { stored.forEach { $0.deallocate() } }
        var next = 0
        let loaded = try ColumnPack.read {
            guard next < stored.count else { return nil }
            defer { next += 1 }
            return UnsafeRawBufferPointer(stored[next])
        }
        expectSameData(loaded, d)
    }

    /// The triggers refuse UPDATE and DELETE on snapshot tables; nothing changes.
    @Test(arguments: [
        "UPDATE post SET name = 'x'",
        "UPDATE unit SET parent_idx = NULL",
        "UPDATE incident SET status = '不属实'",
        "UPDATE assessment SET score_cents = score_cents + 1",
        "UPDATE risk_point SET measures = ''",
        "UPDATE snapshot SET fingerprint = 'x'",
        "DELETE FROM power",
        "DELETE FROM snapshot",
    ])
    func snapshotTablesAreImmutable(_ sql: String) throws {
        let dir = temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let dbPath = dir + "/lianzheng.sqlite"
        let rich = CSVDataset.rich.folder()
        defer { rich.remove() }
        let imported = try importFolder(rich.path, into: dbPath, tables: true)
        let db = try Database(path: dbPath)
        do {
            try db.execute(sql)
            Issue.record("\(sql) succeeded")
        } catch {
            #expect(error.message.contains("snapshots are immutable"))
        }
        let loaded = try SnapshotStore(db: db).load(imported.snapshot)
        expectSameData(loaded, imported.dataset)
    }
}
