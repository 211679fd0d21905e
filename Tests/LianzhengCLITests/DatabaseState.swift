import Foundation
import LianzhengKit
import Testing

#if canImport(Glibc)
    import Glibc
#endif

/// What a database holds, as far as crash and concurrency tests care: is
/// it intact, and is every snapshot and run whole and as it was.
struct DatabaseState: Equatable, CustomStringConvertible {
    struct Snapshot: Equatable {
        var id: Int64
        var fingerprint: String
        /// Row counts the snapshot row declares (units … risk points).
        var declared: [Int]
        /// Rows actually stored per table (unit … risk_point, snapshot_pack parts).
        var stored: [Int]
        /// Fingerprint of the data loaded back (column pack or rows); nil
        /// when not loaded.
        var loadedFingerprint: String?
    }

    struct Run: Equatable {
        var runID: String
        var snapshotID: Int64
        var year: Int
        var datasetFingerprint: String
        var schemeFingerprint: String
        var schemeJSON: String
        var createdAt: String
    }

    struct Execution: Equatable {
        var id: Int64
        var runID: String
        var command: String
        var outDirectory: String
        var manifest: String
    }

    var integrity: String
    var snapshots: [Snapshot]
    var runs: [Run]
    var executions: [Execution]

    var description: String {
        "integrity \(integrity); snapshots \(snapshots.map { "\($0.id):\($0.fingerprint.prefix(8)) \($0.stored)" }); "
            + "runs \(runs.map(\.runID)); executions \(executions.map { "\($0.id):\($0.runID)" })"
    }

    static let tables = ["unit", "post", "power", "incident", "assessment", "adjustment", "risk_point", "snapshot_pack"]

    /// Reads the state of the database at `path` (which must exist),
    /// loading the data of the snapshots after the first `loadingFrom` (the
    /// earlier ones are immutable: their row counts are compared).
    static func read(_ path: String, loadingFrom: Int = 0) throws -> DatabaseState {
        let db = try Database(path: path)
        var integrity: [String] = []
        let check = try db.prepare("PRAGMA integrity_check")
        while try check.step() { integrity.append(check.text(0)) }

        var snapshots: [Snapshot] = []
        let store = try SnapshotStore(db: db)
        for (k, info) in try store.list().enumerated() {
            var stored: [Int] = []
            for table in tables {
                let q = try db.prepare("SELECT count(*) FROM \(table) WHERE snapshot_id = ?")
                q.bind(1, info.id)
                _ = try q.step()
                stored.append(Int(q.int64(0)))
            }
            let loaded = k >= loadingFrom ? try store.load(info.id).computeFingerprint() : nil
            snapshots.append(Snapshot(
                id: info.id, fingerprint: info.fingerprint, declared: info.counts, stored: stored,
                loadedFingerprint: loaded))
        }

        var runs: [Run] = []
        let r = try db.prepare("""
            SELECT run_id, snapshot_id, year, dataset_fingerprint, scheme_fingerprint, scheme_json, created_at
            FROM run ORDER BY run_id
            """)
        while try r.step() {
            runs.append(Run(
                runID: r.text(0), snapshotID: r.int64(1), year: Int(r.int64(2)), datasetFingerprint: r.text(3),
                schemeFingerprint: r.text(4), schemeJSON: r.text(5), createdAt: r.text(6)))
        }
        var executions: [Execution] = []
        let e = try db.prepare("SELECT execution_id, run_id, command, out_dir, manifest FROM run_execution ORDER BY execution_id")
        while try e.step() {
            executions.append(Execution(id: e.int64(0), runID: e.text(1), command: e.text(2), outDirectory: e.text(3), manifest: e.text(4)))
        }
        return DatabaseState(integrity: integrity.joined(separator: "\n"), snapshots: snapshots, runs: runs, executions: executions)
    }

    /// Every snapshot is whole: its column pack is there and loads back to
    /// its fingerprint, and the row tables hold all its rows or none.
    func snapshotsAreWhole(sourceLocation: SourceLocation = #_sourceLocation) {
        for s in snapshots {
            let rows = Array(s.stored.prefix(7))
            #expect(rows == s.declared || rows.allSatisfy { $0 == 0 }, "snapshot \(s.id) rows", sourceLocation: sourceLocation)
            #expect(s.stored[7] > 0, "snapshot \(s.id) has no column pack", sourceLocation: sourceLocation)
            if let loaded = s.loadedFingerprint {
                #expect(loaded == s.fingerprint, "snapshot \(s.id) data", sourceLocation: sourceLocation)
            }
        }
    }

    /// `self` (after) still holds everything `before` held, unchanged.
    func keepsEverything(of before: DatabaseState, sourceLocation: SourceLocation = #_sourceLocation) {
        let kept = snapshots.prefix(before.snapshots.count)
        #expect(kept.map(\.id) == before.snapshots.map(\.id), sourceLocation: sourceLocation)
        for (now, then) in zip(kept, before.snapshots) {
            #expect(now.fingerprint == then.fingerprint && now.declared == then.declared && now.stored == then.stored,
                "snapshot \(then.id) changed", sourceLocation: sourceLocation)
        }
        for run in before.runs {
            #expect(runs.contains(run), "run \(run.runID) changed or lost", sourceLocation: sourceLocation)
        }
        #expect(Array(executions.prefix(before.executions.count)) == before.executions, sourceLocation: sourceLocation)
    }
}

/// Copies the database files (`path`, `-wal`) that exist to `target`.
func copyDatabase(_ path: String, to target: String) throws {
    for suffix in ["", "-wal"] where FileManager.default.fileExists(atPath: path + suffix) {
        try FileManager.default.copyItem(atPath: path + suffix, toPath: target + suffix)
    }
}

/// The files of an output folder by name (temporary files included).
func folderContents(_ path: String) -> [String: Data] {
    var out: [String: Data] = [:]
    for name in (try? FileManager.default.contentsOfDirectory(atPath: path)) ?? [] {
        out[name] = FileManager.default.contents(atPath: path + "/" + name)
    }
    return out
}

/// Whether `name` is the temporary name an output file is written under
/// before its rename (`.NAME.tmp-PID-RANDOM`).
func isTemporaryOutputName(_ name: String) -> Bool {
    name.hasPrefix(".") && name.contains(".tmp-")
}
