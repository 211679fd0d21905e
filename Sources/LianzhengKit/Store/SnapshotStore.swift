import Foundation

/// A stored snapshot's identity and size.
public struct SnapshotInfo: Sendable, Equatable {
    public var id: Int64
    public var fingerprint: String
    public var source: String
    public var importedAt: String
    public var counts: [Int]
}

/// Snapshots in the embedded database: immutable copies of datasets.
public struct SnapshotStore {
    public let db: Database

    public init(db: Database) throws(LianzhengError) {
        self.db = db
        try StoreSchema.migrate(db)
    }

    /// A store for reading only, on a database known to be of the current
    /// schema (migrating would take the write lock).
    init(reading db: Database) {
        self.db = db
    }

    /// Stores `dataset` unless a snapshot with its fingerprint exists:
    /// its `snapshot` row and its column pack (`ColumnPack`). The queryable
    /// row tables are written only on request (`storeTables`): for a
    /// million posts they cost SQLite more time than the whole rest of a
    /// year-end run. Everything happens in one transaction: a failure
    /// leaves no trace.
    ///
    /// `fingerprint` gives the dataset's fingerprint (SPEC §7), computed
    /// elsewhere and asked for only when needed: when no stored snapshot has
    /// the dataset's row counts, none can have its fingerprint (the counts
    /// are part of what is hashed).
    ///
    /// `importSource`: the source digest of the files `dataset` was read
    /// from and the reader's warnings, recorded (once per digest) with the
    /// snapshot stored or reused, in the same transaction.
    /// - Returns: the snapshot id and whether an existing one was reused.
    public func store(
        _ dataset: Dataset, fingerprint: () -> String, source: String,
        importSource: (digest: String, warnings: String)? = nil
    ) throws(LianzhengError) -> (id: Int64, reused: Bool) {
        do {
            var timer = PhaseTimer()
            let stored = try db.transaction { () throws -> (Int64, Bool) in
                var d = dataset
                let mayExist = try hasSnapshot(withCounts: d.counts)
                if mayExist {
                    d.fingerprint = fingerprint()
                    if let existing = try snapshotID(fingerprint: d.fingerprint) {
                        if let importSource { try insertImportSource(importSource, snapshot: existing) }
                        return (existing, true)
                    }
                }
                let id = try nextSnapshotID()
                if !mayExist { d.fingerprint = fingerprint() }
                try insertSnapshotRow(d, id: id, source: source)
                try insertPack(d, snapshot: id)
                if let importSource { try insertImportSource(importSource, snapshot: id) }
                timer.mark("insert column pack")
                return (id, false)
            }
            timer.mark("commit")
            return stored
        } catch let e as DatabaseError {
            throw e.asLianzhengError
        } catch let e as LianzhengError {
            throw e
        } catch {
            throw .io("\(error)")
        }
    }

    /// `store(_:fingerprint:source:importSource:)` for a dataset whose
    /// fingerprint is computed here when it was left empty.
    public func store(
        _ dataset: Dataset, source: String, importSource: (digest: String, warnings: String)? = nil
    ) throws(LianzhengError) -> (id: Int64, reused: Bool) {
        try store(
            dataset, fingerprint: { dataset.fingerprint.isEmpty ? dataset.computeFingerprint() : dataset.fingerprint },
            source: source, importSource: importSource)
    }

    /// Whether a stored snapshot has exactly these row counts (see `Dataset.counts`).
    private func hasSnapshot(withCounts counts: [Int]) throws(DatabaseError) -> Bool {
        let q = try db.prepare("""
            SELECT 1 FROM snapshot WHERE units = ? AND posts = ? AND powers = ? AND incidents = ?
              AND assessments = ? AND adjustments = ? AND risk_points = ? LIMIT 1
            """)
        for (k, c) in counts.enumerated() { q.bind(Int32(1 + k), c) }
        return try q.step()
    }

    /// The id the next snapshot gets (the rowid SQLite would choose), taken
    /// inside the write transaction so no other import can take it.
    private func nextSnapshotID() throws(DatabaseError) -> Int64 {
        let q = try db.prepare("SELECT coalesce(max(snapshot_id), 0) + 1 FROM snapshot")
        _ = try q.step()
        return q.int64(0)
    }

    public func snapshotID(fingerprint: String) throws(DatabaseError) -> Int64? {
        let q = try db.prepare("SELECT snapshot_id FROM snapshot WHERE fingerprint = ?")
        q.bind(1, fingerprint)
        return try q.step() ? q.int64(0) : nil
    }

    /// Records that files with source digest `digest` import as `snapshot`;
    /// a digest already recorded stays as it was (the same digest always
    /// reads to the same data).
    private func insertImportSource(_ source: (digest: String, warnings: String), snapshot: Int64) throws(DatabaseError) {
        let q = try db.prepare("INSERT OR IGNORE INTO import_source(digest, snapshot_id, warnings) VALUES(?,?,?)")
        q.bind(1, source.digest)
        q.bind(2, snapshot)
        q.bind(3, source.warnings)
        try q.run()
    }

    /// The snapshot that files with source digest `digest` were imported
    /// as, and the reader's warnings then; nil when the digest is unknown,
    /// or the database has no `import_source` table (schema 2 or older, not
    /// yet migrated) or is of a newer schema than this program's.
    /// Reads only: no migration, no write lock.
    static func importSource(digest: String, in db: Database) throws(DatabaseError) -> (snapshot: Int64, warnings: String)? {
        guard hasCurrentSchema(db) else { return nil }
        let q = try db.prepare("SELECT snapshot_id, warnings FROM import_source WHERE digest = ?")
        q.bind(1, digest)
        return try q.step() ? (q.int64(0), q.text(1)) : nil
    }

    /// The newest snapshot, or nil when there is none.
    public func latest() throws(LianzhengError) -> SnapshotInfo? {
        try list().last
    }

    public func list() throws(LianzhengError) -> [SnapshotInfo] {
        do {
            let q = try db.prepare("""
                SELECT snapshot_id, fingerprint, source, imported_at, units, posts, powers, incidents,
                       assessments, adjustments, risk_points FROM snapshot ORDER BY snapshot_id
                """)
            var out: [SnapshotInfo] = []
            while try q.step() {
                out.append(SnapshotInfo(
                    id: q.int64(0), fingerprint: q.text(1), source: q.text(2), importedAt: q.text(3),
                    counts: (4...10).map { Int(q.int64(Int32($0))) }))
            }
            return out
        } catch {
            throw error.asLianzhengError
        }
    }

    private func insertSnapshotRow(_ d: Dataset, id: Int64, source: String) throws(DatabaseError) {
        let q = try db.prepare("""
            INSERT INTO snapshot(snapshot_id, fingerprint, source, imported_at, units, posts, powers, incidents,
                                 assessments, adjustments, risk_points) VALUES(?,?,?,?,?,?,?,?,?,?,?)
            """)
        q.bind(1, id)
        q.bind(2, d.fingerprint)
        q.bind(3, source)
        q.bind(4, ISO8601DateFormatter().string(from: Date()))
        for (k, c) in d.counts.enumerated() { q.bind(Int32(5 + k), c) }
        try q.run()
    }

    /// Writes the rows of stored snapshot `snapshot` (whose data `dataset`
    /// is) into the queryable row tables, in one transaction, unless they
    /// are there already (`import --tables`).
    /// - Returns: whether rows were written.
    public func storeTables(_ dataset: Dataset, snapshot: Int64) throws(LianzhengError) -> Bool {
        do {
            return try db.transaction { () throws -> Bool in
                guard try !hasTables(snapshot, units: dataset.units.count) else { return false }
                var timer = PhaseTimer()
                for (table, rows, columns) in Self.rowSources(dataset, snapshot: snapshot) {
                    try db.insertRows(into: table, rows: 0..<rows, columns: columns)
                    timer.mark("insert \(rows) rows into \(table)")
                }
                return true
            }
        } catch let e as DatabaseError {
            throw e.asLianzhengError
        } catch {
            throw .io("\(error)")
        }
    }

    /// Whether the row tables hold snapshot `snapshot` (of `units` units).
    /// They hold a snapshot whole or not at all (one transaction writes
    /// them), and every valid dataset without units is empty (posts,
    /// subjects and risk points all refer to units), so the unit table
    /// tells; it is the smallest one to scan.
    func hasTables(_ snapshot: Int64, units: Int) throws(DatabaseError) -> Bool {
        guard units > 0 else { return true }
        let q = try db.prepare("SELECT 1 FROM unit WHERE snapshot_id = ? LIMIT 1")
        q.bind(1, snapshot)
        return try q.step()
    }

    /// Each snapshot table with its row count and where its columns come from.
    static func rowSources(_ d: Dataset, snapshot: Int64) -> [(String, Int, [SourceColumn])] {
        let id = SourceColumn.constant(snapshot)
        let subjectTypes = SubjectType.allCases.map(\.englishName)
        let u = d.units, p = d.posts, w = d.powers, t = d.incidents
        let a = d.assessments, j = d.adjustments, r = d.riskPoints
        return [
            ("unit", u.count, [id, .rowIndex, .text(u.id), .text(u.name), .int32(u.parent, negativeIsNull: true), .text(u.kind)]),
            ("post", p.count, [
                id, .rowIndex, .text(p.id), .int32(p.unit, negativeIsNull: false), .text(p.name), .text(p.category),
                .text(p.holder), .double(p.tenureYears, nanIsNull: true), .text(p.selfLevel),
                .int32(p.controls, negativeIsNull: true), .bool(p.keyDecisions),
            ]),
            ("power", w.count, [
                id, .rowIndex, .int32(w.post, negativeIsNull: false), .text(w.name), .dictionary(w.kind),
                .int64(w.annualCount), .double(w.amount, nanIsNull: false), .uint8(w.discretion),
            ]),
            ("incident", t.count, [
                id, .rowIndex, .text(t.id), .int32(t.post, negativeIsNull: false), .date(t.date),
                .int32(t.date, negativeIsNull: false), .dictionary(t.kind),
                .named(t.status, names: IncidentStatus.allCases.map(\.chineseName)),
            ]),
            ("assessment", a.count, [
                id, .rowIndex, .int32(a.year, negativeIsNull: false), .named(a.subjectType, names: subjectTypes),
                .int32(a.subject, negativeIsNull: false), .text(a.indicator), .int64(a.score),
            ]),
            ("adjustment", j.count, [
                id, .rowIndex, .int32(j.year, negativeIsNull: false), .named(j.subjectType, names: subjectTypes),
                .int32(j.subject, negativeIsNull: false), .named(j.type, names: AdjustmentType.allCases.map(\.englishName)),
                .int64(j.points), .text(j.reason),
            ]),
            ("risk_point", r.count, [
                id, .rowIndex, .text(r.id), .int32(r.post, negativeIsNull: false),
                .named(r.type, names: RiskPointType.allCases.map(\.chineseName)), .text(r.description), .text(r.measures),
            ]),
        ]
    }

    private func insertPack(_ d: Dataset, snapshot: Int64) throws {
        let insert = try db.prepare("INSERT INTO snapshot_pack(snapshot_id, part, data) VALUES(?,?,?)")
        var part = 0
        try ColumnPack.write(d) { bytes in
            insert.bind(1, snapshot)
            insert.bind(2, part)
            // Bound without a copy: SQLite reads the part while `run` lasts.
            insert.bindBlob(3, bytes, copy: false)
            try insert.run()
            part += 1
        }
    }

    /// Loads a snapshot back into a `Dataset`: from its column pack, which
    /// every snapshot since schema 2 has, else row by row from the row
    /// tables (a snapshot stored by a schema 1 program).
    public func load(_ snapshot: Int64) throws(LianzhengError) -> Dataset {
        do {
            if let packed = try loadPack(snapshot) { return packed }
            return try loadRows(snapshot)
        } catch let e as DatabaseError {
            throw e.asLianzhengError
        } catch let e as LianzhengError {
            throw e
        } catch {
            throw .io("\(error)")
        }
    }

    /// Whether `db` is of this program's schema version (read only: no
    /// migration, no write lock).
    static func hasCurrentSchema(_ db: Database) -> Bool {
        guard let version = try? db.prepare("SELECT value FROM meta WHERE key = 'schema_version'"),
            (try? version.step()) == true
        else { return false }
        return Int(version.text(0)) == StoreSchema.version
    }

    /// The snapshot from its column pack; nil when it has none (a snapshot
    /// of schema 1, kept as rows only).
    func loadPack(_ snapshot: Int64) throws -> Dataset? {
        let q = try db.prepare("SELECT data FROM snapshot_pack WHERE snapshot_id = ? ORDER BY part")
        q.bind(1, snapshot)
        var any = false
        let d: Dataset
        do {
            d = try ColumnPack.read {
                guard try q.step() else { return nil }
                any = true
                // Valid until the next step, which comes after the reader
                // has taken this part.
                return q.withBlob(0) { $0 }
            }
        } catch is ColumnPack.PackError {
            if !any { return nil }
            throw LianzhengError.invalid("快照 \(snapshot) 的列存储已损坏 (corrupt column pack)")
        }
        return d
    }

    private func rows(_ sql: String, _ snapshot: Int64, _ each: (Statement) throws -> Void) throws {
        let q = try db.prepare(sql)
        q.bind(1, snapshot)
        while try q.step() { try each(q) }
    }

    func loadRows(_ snapshot: Int64) throws -> Dataset {
        let head = try db.prepare("SELECT fingerprint FROM snapshot WHERE snapshot_id = ?")
        head.bind(1, snapshot)
        guard try head.step() else { throw LianzhengError.missingInput("快照 \(snapshot) 不存在 (no such snapshot)") }
        var d = Dataset()
        d.fingerprint = head.text(0)
        try rows("SELECT unit_id, name, parent_idx, kind FROM unit WHERE snapshot_id = ? ORDER BY idx", snapshot) { q in
            q.withText(0) { d.units.id.append(bytes: $0) }
            q.withText(1) { d.units.name.append(bytes: $0) }
            d.units.parent.append(q.isNull(2) ? -1 : Int32(q.int64(2)))
            q.withText(3) { d.units.kind.append(bytes: $0) }
        }
        try rows("""
            SELECT post_id, unit_idx, name, category, holder, tenure_years, self_level, controls, key_decisions
            FROM post WHERE snapshot_id = ? ORDER BY idx
            """, snapshot) { q in
            q.withText(0) { d.posts.id.append(bytes: $0) }
            d.posts.unit.append(Int32(q.int64(1)))
            q.withText(2) { d.posts.name.append(bytes: $0) }
            q.withText(3) { d.posts.category.append(bytes: $0) }
            q.withText(4) { d.posts.holder.append(bytes: $0) }
            d.posts.tenureYears.append(q.isNull(5) ? .nan : q.double(5))
            q.withText(6) { d.posts.selfLevel.append(bytes: $0) }
            d.posts.controls.append(q.isNull(7) ? -1 : Int32(q.int64(7)))
            d.posts.keyDecisions.append(q.int64(8) != 0)
        }
        try rows("""
            SELECT post_idx, power, kind, annual_count, amount, discretion FROM power
            WHERE snapshot_id = ? ORDER BY idx
            """, snapshot) { q in
            d.powers.post.append(Int32(q.int64(0)))
            q.withText(1) { d.powers.name.append(bytes: $0) }
            q.withText(2) { d.powers.kind.append(bytes: $0) }
            d.powers.annualCount.append(q.int64(3))
            d.powers.amount.append(q.double(4))
            d.powers.discretion.append(UInt8(truncatingIfNeeded: q.int64(5)))
        }
        let statusByName = Dictionary(uniqueKeysWithValues: IncidentStatus.allCases.map { ($0.chineseName, $0.rawValue) })
        try rows("SELECT incident_id, post_idx, day, kind, status FROM incident WHERE snapshot_id = ? ORDER BY idx", snapshot) { q in
            q.withText(0) { d.incidents.id.append(bytes: $0) }
            d.incidents.post.append(Int32(q.int64(1)))
            d.incidents.date.append(Int32(q.int64(2)))
            q.withText(3) { d.incidents.kind.append(bytes: $0) }
            d.incidents.status.append(statusByName[q.text(4)] ?? IncidentStatus.pending.rawValue)
        }
        try rows("""
            SELECT year, subject_type, subject_idx, indicator, score_cents FROM assessment
            WHERE snapshot_id = ? ORDER BY idx
            """, snapshot) { q in
            d.assessments.year.append(Int32(q.int64(0)))
            d.assessments.subjectType.append((SubjectType(text: q.text(1)) ?? .unit).rawValue)
            d.assessments.subject.append(Int32(q.int64(2)))
            q.withText(3) { d.assessments.indicator.append(bytes: $0) }
            d.assessments.score.append(q.int64(4))
        }
        try rows("""
            SELECT year, subject_type, subject_idx, type, points_cents, reason FROM adjustment
            WHERE snapshot_id = ? ORDER BY idx
            """, snapshot) { q in
            d.adjustments.year.append(Int32(q.int64(0)))
            d.adjustments.subjectType.append((SubjectType(text: q.text(1)) ?? .unit).rawValue)
            d.adjustments.subject.append(Int32(q.int64(2)))
            d.adjustments.type.append((AdjustmentType(text: q.text(3)) ?? .bonus).rawValue)
            d.adjustments.points.append(q.int64(4))
            q.withText(5) { d.adjustments.reason.append(bytes: $0) }
        }
        try rows("""
            SELECT point_id, post_idx, type, description, measures FROM risk_point
            WHERE snapshot_id = ? ORDER BY idx
            """, snapshot) { q in
            q.withText(0) { d.riskPoints.id.append(bytes: $0) }
            d.riskPoints.post.append(Int32(q.int64(1)))
            d.riskPoints.type.append((RiskPointType(text: q.text(2)) ?? .duty).rawValue)
            q.withText(3) { d.riskPoints.description.append(bytes: $0) }
            q.withText(4) { d.riskPoints.measures.append(bytes: $0) }
        }
        d.rebuildOffsets()
        return d
    }
}
