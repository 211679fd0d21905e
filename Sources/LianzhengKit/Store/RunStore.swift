import Foundation

/// A recorded run: its identity, snapshot, scheme text and manifest.
public struct RunRecord: Sendable, Equatable {
    public var runID: String
    public var snapshotID: Int64
    public var year: Int
    public var datasetFingerprint: String
    public var schemeFingerprint: String
    public var schemeName: String
    public var schemeJSON: String
    public var programVersion: String
    public var createdAt: String
    /// The latest execution's output language and MANIFEST text.
    public var chineseHeaders: Bool
    public var manifest: String
    public var executions: Int
    /// Set for what-if runs: the baseline they compare against.
    public var baselineRunID: String?
}

/// Runs and their executions in the embedded database. A run row is
/// written once and never changed (its id is derived from its content);
/// every execution appends a row beside it.
public struct RunStore {
    public let db: Database

    public init(db: Database) throws(LianzhengError) {
        self.db = db
        try StoreSchema.migrate(db)
    }

    static let statements = [
        """
        CREATE TABLE IF NOT EXISTS run(
          run_id TEXT PRIMARY KEY, snapshot_id INTEGER NOT NULL, year INTEGER NOT NULL,
          dataset_fingerprint TEXT NOT NULL, scheme_fingerprint TEXT NOT NULL, scheme_name TEXT NOT NULL,
          scheme_json TEXT NOT NULL, program_version TEXT NOT NULL, created_at TEXT NOT NULL,
          baseline_run_id TEXT)
        """,
        """
        CREATE TABLE IF NOT EXISTS run_execution(
          execution_id INTEGER PRIMARY KEY, run_id TEXT NOT NULL, command TEXT NOT NULL,
          started_at TEXT NOT NULL, finished_at TEXT NOT NULL, threads INTEGER NOT NULL,
          user TEXT NOT NULL, out_dir TEXT NOT NULL, chinese_headers INTEGER NOT NULL, manifest TEXT NOT NULL)
        """,
        """
        CREATE TRIGGER IF NOT EXISTS run_no_update BEFORE UPDATE ON run
        BEGIN SELECT RAISE(ABORT, 'runs are immutable'); END
        """,
        """
        CREATE TRIGGER IF NOT EXISTS run_execution_no_update BEFORE UPDATE ON run_execution
        BEGIN SELECT RAISE(ABORT, 'executions are append-only'); END
        """,
    ]

    /// Records one execution of a run, creating the run row the first time.
    public func record(
        identity: RunIdentity, snapshotID: Int64, scheme: Scheme, command: String,
        startedAt: Date, threads: Int, outDirectory: String, chineseHeaders: Bool, manifest: String,
        baselineRunID: String? = nil
    ) throws(LianzhengError) {
        do {
            try db.transaction {
                let insert = try db.prepare("""
                    INSERT OR IGNORE INTO run(run_id, snapshot_id, year, dataset_fingerprint, scheme_fingerprint,
                      scheme_name, scheme_json, program_version, created_at, baseline_run_id)
                    VALUES(?,?,?,?,?,?,?,?,?,?)
                    """)
                insert.bind(1, identity.runID)
                insert.bind(2, snapshotID)
                insert.bind(3, identity.year)
                insert.bind(4, identity.datasetFingerprint)
                insert.bind(5, identity.schemeFingerprint)
                insert.bind(6, scheme.name)
                insert.bind(7, scheme.canonicalJSON)
                insert.bind(8, identity.programVersion)
                insert.bind(9, Self.timestamp(startedAt))
                insert.bind(10, baselineRunID)
                try insert.run()
                let exec = try db.prepare("""
                    INSERT INTO run_execution(run_id, command, started_at, finished_at, threads, user, out_dir,
                      chinese_headers, manifest) VALUES(?,?,?,?,?,?,?,?,?)
                    """)
                exec.bind(1, identity.runID)
                exec.bind(2, command)
                exec.bind(3, Self.timestamp(startedAt))
                exec.bind(4, Self.timestamp(Date()))
                exec.bind(5, threads)
                exec.bind(6, ProcessInfo.processInfo.environment["USER"] ?? NSUserName())
                exec.bind(7, outDirectory)
                exec.bind(8, chineseHeaders ? 1 : 0)
                exec.bind(9, manifest)
                try exec.run()
            }
        } catch let e as DatabaseError {
            throw e.asLianzhengError
        } catch {
            throw .io("\(error)")
        }
    }

    static func timestamp(_ date: Date) -> String {
        let f = ISO8601DateFormatter()
        f.formatOptions = [.withInternetDateTime, .withFractionalSeconds]
        return f.string(from: date)
    }

    private static let selectRun = """
        SELECT r.run_id, r.snapshot_id, r.year, r.dataset_fingerprint, r.scheme_fingerprint, r.scheme_name,
               r.scheme_json, r.program_version, r.created_at, r.baseline_run_id,
               (SELECT e.chinese_headers FROM run_execution e WHERE e.run_id = r.run_id ORDER BY e.execution_id DESC LIMIT 1),
               (SELECT e.manifest FROM run_execution e WHERE e.run_id = r.run_id ORDER BY e.execution_id DESC LIMIT 1),
               (SELECT count(*) FROM run_execution e WHERE e.run_id = r.run_id)
        FROM run r
        """

    private func record(_ q: Statement) -> RunRecord {
        RunRecord(
            runID: q.text(0), snapshotID: q.int64(1), year: Int(q.int64(2)), datasetFingerprint: q.text(3),
            schemeFingerprint: q.text(4), schemeName: q.text(5), schemeJSON: q.text(6), programVersion: q.text(7),
            createdAt: q.text(8), chineseHeaders: q.int64(10) != 0, manifest: q.text(11), executions: Int(q.int64(12)),
            baselineRunID: q.isNull(9) ? nil : q.text(9))
    }

    /// All runs, oldest first.
    public func list() throws(LianzhengError) -> [RunRecord] {
        do {
            let q = try db.prepare(Self.selectRun + " ORDER BY r.created_at, r.run_id")
            var out: [RunRecord] = []
            while try q.step() { out.append(record(q)) }
            return out
        } catch {
            throw error.asLianzhengError
        }
    }

    /// The run whose id is `id` or starts with it (unambiguously).
    public func find(_ id: String) throws(LianzhengError) -> RunRecord {
        let matches = try list().filter { $0.runID.hasPrefix(id) }
        guard let first = matches.first else { throw .missingInput("运行 \(id) 不存在 (no such run)") }
        guard matches.count == 1 else { throw .usage("运行编号 \(id) 不唯一，请写得更长 (ambiguous run id)") }
        return first
    }

    /// The latest non-what-if run of `year`.
    public func latest(year: Int) throws(LianzhengError) -> RunRecord? {
        do {
            let q = try db.prepare(Self.selectRun + """
                 WHERE r.year = ? AND r.baseline_run_id IS NULL ORDER BY
                 (SELECT max(e.execution_id) FROM run_execution e WHERE e.run_id = r.run_id) DESC LIMIT 1
                """)
            q.bind(1, year)
            return try q.step() ? record(q) : nil
        } catch {
            throw error.asLianzhengError
        }
    }
}
