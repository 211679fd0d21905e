/// The database schema (documented in README). A snapshot is its
/// `snapshot` row and its `snapshot_pack` (raw columns, see `ColumnPack`).
/// The row tables hold a snapshot's rows only when asked (`import
/// --tables`): rows carry (snapshot_id, idx), idx being the canonical
/// position, appended in that order to plain rowid tables (the fastest way
/// to write millions of rows). Nothing of a snapshot changes once written:
/// triggers refuse UPDATE and DELETE.
/// `import_source` maps the source digest of an imported folder (see
/// `SourceDigest`) to its snapshot, so unchanged files are not read again.
///
/// Versions: 2 added `snapshot_pack`, 3 added `import_source`. Migration
/// only adds tables (CREATE … IF NOT EXISTS) and raises `schema_version`.
enum StoreSchema {
    static let version = 3

    static let snapshotTables = ["unit", "post", "power", "incident", "assessment", "adjustment", "risk_point", "snapshot_pack"]

    static let statements: [String] = [
        """
        CREATE TABLE IF NOT EXISTS meta(key TEXT PRIMARY KEY, value TEXT NOT NULL)
        """,
        """
        CREATE TABLE IF NOT EXISTS snapshot(
          snapshot_id INTEGER PRIMARY KEY,
          fingerprint TEXT NOT NULL UNIQUE,
          source TEXT NOT NULL,
          imported_at TEXT NOT NULL,
          units INTEGER NOT NULL, posts INTEGER NOT NULL, powers INTEGER NOT NULL,
          incidents INTEGER NOT NULL, assessments INTEGER NOT NULL,
          adjustments INTEGER NOT NULL, risk_points INTEGER NOT NULL)
        """,
        """
        CREATE TABLE IF NOT EXISTS unit(
          snapshot_id INTEGER NOT NULL, idx INTEGER NOT NULL,
          unit_id TEXT NOT NULL, name TEXT NOT NULL, parent_idx INTEGER, kind TEXT NOT NULL)
        """,
        """
        CREATE TABLE IF NOT EXISTS post(
          snapshot_id INTEGER NOT NULL, idx INTEGER NOT NULL,
          post_id TEXT NOT NULL, unit_idx INTEGER NOT NULL, name TEXT NOT NULL, category TEXT NOT NULL,
          holder TEXT NOT NULL, tenure_years REAL, self_level TEXT NOT NULL, controls INTEGER,
          key_decisions INTEGER NOT NULL)
        """,
        """
        CREATE TABLE IF NOT EXISTS power(
          snapshot_id INTEGER NOT NULL, idx INTEGER NOT NULL,
          post_idx INTEGER NOT NULL, power TEXT NOT NULL, kind TEXT NOT NULL,
          annual_count INTEGER NOT NULL, amount REAL NOT NULL, discretion INTEGER NOT NULL)
        """,
        """
        CREATE TABLE IF NOT EXISTS incident(
          snapshot_id INTEGER NOT NULL, idx INTEGER NOT NULL,
          incident_id TEXT NOT NULL, post_idx INTEGER NOT NULL, date TEXT NOT NULL, day INTEGER NOT NULL,
          kind TEXT NOT NULL, status TEXT NOT NULL)
        """,
        """
        CREATE TABLE IF NOT EXISTS assessment(
          snapshot_id INTEGER NOT NULL, idx INTEGER NOT NULL,
          year INTEGER NOT NULL, subject_type TEXT NOT NULL, subject_idx INTEGER NOT NULL,
          indicator TEXT NOT NULL, score_cents INTEGER NOT NULL)
        """,
        """
        CREATE TABLE IF NOT EXISTS adjustment(
          snapshot_id INTEGER NOT NULL, idx INTEGER NOT NULL,
          year INTEGER NOT NULL, subject_type TEXT NOT NULL, subject_idx INTEGER NOT NULL,
          type TEXT NOT NULL, points_cents INTEGER NOT NULL, reason TEXT NOT NULL)
        """,
        """
        CREATE TABLE IF NOT EXISTS snapshot_pack(
          snapshot_id INTEGER NOT NULL, part INTEGER NOT NULL, data BLOB NOT NULL,
          PRIMARY KEY(snapshot_id, part))
        """,
        """
        CREATE TABLE IF NOT EXISTS risk_point(
          snapshot_id INTEGER NOT NULL, idx INTEGER NOT NULL,
          point_id TEXT NOT NULL, post_idx INTEGER NOT NULL, type TEXT NOT NULL,
          description TEXT NOT NULL, measures TEXT NOT NULL)
        """,
        """
        CREATE TABLE IF NOT EXISTS import_source(
          digest TEXT PRIMARY KEY,
          snapshot_id INTEGER NOT NULL REFERENCES snapshot(snapshot_id),
          warnings TEXT NOT NULL)
        """,
    ]

    /// Triggers that make snapshot rows (and the record of where they were
    /// imported from) immutable.
    static var immutabilityTriggers: [String] {
        (["snapshot", "import_source"] + snapshotTables).flatMap { table in
            ["UPDATE", "DELETE"].map { op in
                """
                CREATE TRIGGER IF NOT EXISTS \(table)_no_\(op.lowercased()) BEFORE \(op) ON \(table)
                BEGIN SELECT RAISE(ABORT, 'snapshots are immutable'); END
                """
            }
        }
    }

    /// Creates missing tables and records the current version; refuses a
    /// database of a newer schema.
    static func migrate(_ db: Database) throws(LianzhengError) {
        do {
            try db.transaction {
                for sql in statements + immutabilityTriggers + RunStore.statements { try db.execute(sql) }
                let get = try db.prepare("SELECT value FROM meta WHERE key = 'schema_version'")
                if try get.step() {
                    let found = Int(get.text(0)) ?? 0
                    if found > version {
                        throw LianzhengError.invalid("数据库版本 \(found) 高于本程序支持的版本 \(version)")
                    }
                    if found < version {
                        let put = try db.prepare("UPDATE meta SET value = ? WHERE key = 'schema_version'")
                        put.bind(1, String(version))
                        try put.run()
                    }
                } else {
                    let put = try db.prepare("INSERT INTO meta(key, value) VALUES('schema_version', ?)")
                    put.bind(1, String(version))
                    try put.run()
                }
            }
        } catch let e as LianzhengError {
            throw e
        } catch let e as DatabaseError {
            throw e.asLianzhengError
        } catch {
            throw .io("\(error)")
        }
    }
}
