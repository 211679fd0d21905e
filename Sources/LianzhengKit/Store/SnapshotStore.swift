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

    /// Stores `dataset` unless a snapshot with its fingerprint exists.
    /// Everything happens in one transaction: a failure leaves no trace.
    /// - Returns: the snapshot id and whether an existing one was reused.
    public func store(_ dataset: Dataset, source: String) throws(LianzhengError) -> (id: Int64, reused: Bool) {
        do {
            return try db.transaction {
                if let existing = try snapshotID(fingerprint: dataset.fingerprint) { return (existing, true) }
                var timer = PhaseTimer()
                let id = try insertSnapshotRow(dataset, source: source)
                try insertRows(dataset, snapshot: id)
                timer.mark("insert rows")
                try insertPack(dataset, snapshot: id)
                timer.mark("insert column pack")
                return (id, false)
            }
        } catch let e as DatabaseError {
            throw e.asLianzhengError
        } catch let e as LianzhengError {
            throw e
        } catch {
            throw .io("\(error)")
        }
    }

    public func snapshotID(fingerprint: String) throws(DatabaseError) -> Int64? {
        let q = try db.prepare("SELECT snapshot_id FROM snapshot WHERE fingerprint = ?")
        q.bind(1, fingerprint)
        return try q.step() ? q.int64(0) : nil
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

    private func insertSnapshotRow(_ d: Dataset, source: String) throws(DatabaseError) -> Int64 {
        let q = try db.prepare("""
            INSERT INTO snapshot(fingerprint, source, imported_at, units, posts, powers, incidents,
                                 assessments, adjustments, risk_points) VALUES(?,?,?,?,?,?,?,?,?,?)
            """)
        q.bind(1, d.fingerprint)
        q.bind(2, source)
        q.bind(3, ISO8601DateFormatter().string(from: Date()))
        let counts = [d.units.count, d.posts.count, d.powers.count, d.incidents.count, d.assessments.count, d.adjustments.count, d.riskPoints.count]
        for (k, c) in counts.enumerated() { q.bind(Int32(4 + k), c) }
        try q.run()
        return db.lastInsertRowID
    }

    private func insertRows(_ d: Dataset, snapshot: Int64) throws(DatabaseError) {
        let unit = try db.prepare("INSERT INTO unit VALUES(?,?,?,?,?,?)")
        for i in 0..<d.units.count {
            unit.bind(1, snapshot); unit.bind(2, i)
            unit.bind(3, d.units.id, i); unit.bind(4, d.units.name, i)
            if d.units.parent[i] < 0 { unit.bindNull(5) } else { unit.bind(5, Int64(d.units.parent[i])) }
            unit.bind(6, d.units.kind, i)
            try unit.run()
        }
        let post = try db.prepare("INSERT INTO post VALUES(?,?,?,?,?,?,?,?,?,?,?)")
        let p = d.posts
        for i in 0..<p.count {
            post.bind(1, snapshot); post.bind(2, i); post.bind(3, p.id, i); post.bind(4, Int64(p.unit[i]))
            post.bind(5, p.name, i); post.bind(6, p.category, i); post.bind(7, p.holder, i)
            if p.tenureYears[i].isNaN { post.bindNull(8) } else { post.bind(8, p.tenureYears[i]) }
            post.bind(9, p.selfLevel, i)
            if p.controls[i] < 0 { post.bindNull(10) } else { post.bind(10, Int64(p.controls[i])) }
            post.bind(11, p.keyDecisions[i] ? 1 : 0)
            try post.run()
        }
        let w = d.powers
        try insertBatched("power", columns: 8, rows: w.count) { q, k, i in
            q.bind(k, snapshot); q.bind(k + 1, i); q.bind(k + 2, Int64(w.post[i]))
            q.bind(k + 3, w.name, i); q.bind(k + 4, w.kind[i]); q.bind(k + 5, w.annualCount[i])
            q.bind(k + 6, w.amount[i]); q.bind(k + 7, Int64(w.discretion[i]))
        }
        let t = d.incidents
        let statusNames = IncidentStatus.allCases.map(\.chineseName)
        try insertBatched("incident", columns: 8, rows: t.count) { q, k, i in
            q.bind(k, snapshot); q.bind(k + 1, i); q.bind(k + 2, t.id, i); q.bind(k + 3, Int64(t.post[i]))
            q.bind(k + 4, CivilDate.format(days: t.date[i])); q.bind(k + 5, Int64(t.date[i]))
            q.bind(k + 6, t.kind[i]); q.bind(k + 7, statusNames[Int(t.status[i])])
        }
        let assessment = try db.prepare("INSERT INTO assessment VALUES(?,?,?,?,?,?,?)")
        let a = d.assessments
        for i in 0..<a.count {
            assessment.bind(1, snapshot); assessment.bind(2, i); assessment.bind(3, Int64(a.year[i]))
            assessment.bind(4, SubjectType(rawValue: a.subjectType[i])!.englishName); assessment.bind(5, Int64(a.subject[i]))
            assessment.bind(6, a.indicator, i); assessment.bind(7, a.score[i])
            try assessment.run()
        }
        let adjustment = try db.prepare("INSERT INTO adjustment VALUES(?,?,?,?,?,?,?,?)")
        let j = d.adjustments
        for i in 0..<j.count {
            adjustment.bind(1, snapshot); adjustment.bind(2, i); adjustment.bind(3, Int64(j.year[i]))
            adjustment.bind(4, SubjectType(rawValue: j.subjectType[i])!.englishName); adjustment.bind(5, Int64(j.subject[i]))
            adjustment.bind(6, AdjustmentType(rawValue: j.type[i])!.englishName); adjustment.bind(7, j.points[i])
            adjustment.bind(8, j.reason, i)
            try adjustment.run()
        }
        let point = try db.prepare("INSERT INTO risk_point VALUES(?,?,?,?,?,?,?)")
        let r = d.riskPoints
        for i in 0..<r.count {
            point.bind(1, snapshot); point.bind(2, i); point.bind(3, r.id, i); point.bind(4, Int64(r.post[i]))
            point.bind(5, RiskPointType(rawValue: r.type[i])!.chineseName); point.bind(6, r.description, i)
            point.bind(7, r.measures, i)
            try point.run()
        }
    }

    private func insertPack(_ d: Dataset, snapshot: Int64) throws {
        let insert = try db.prepare("INSERT INTO snapshot_pack(snapshot_id, part, data) VALUES(?,?,?)")
        var part = 0
        try ColumnPack.write(d) { bytes in
            insert.bind(1, snapshot)
            insert.bind(2, part)
            bytes.withUnsafeBytes { insert.bindBlob(3, $0) }
            try insert.run()
            part += 1
        }
    }

    /// Inserts `rows` rows of `columns` values each, 64 rows per statement
    /// (a multi-row INSERT halves SQLite's per-statement work); `bind` binds
    /// row i's values starting at parameter k.
    private func insertBatched(
        _ table: String, columns: Int, rows: Int, bind: (Statement, Int32, Int) -> Void
    ) throws(DatabaseError) {
        let batch = 64
        let tuple = "(" + Array(repeating: "?", count: columns).joined(separator: ",") + ")"
        let many = try db.prepare("INSERT INTO \(table) VALUES " + Array(repeating: tuple, count: batch).joined(separator: ","))
        let one = try db.prepare("INSERT INTO \(table) VALUES " + tuple)
        var i = 0
        while i + batch <= rows {
            for r in 0..<batch { bind(many, Int32(r * columns + 1), i + r) }
            try many.run()
            i += batch
        }
        while i < rows {
            bind(one, 1, i)
            try one.run()
            i += 1
        }
    }

    /// Loads a snapshot back into a `Dataset`: from its column pack when it
    /// has one, else row by row from the normalised tables.
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

    private func loadPack(_ snapshot: Int64) throws -> Dataset? {
        let q = try db.prepare("SELECT data FROM snapshot_pack WHERE snapshot_id = ? ORDER BY part")
        q.bind(1, snapshot)
        var any = false
        let d: Dataset
        do {
            d = try ColumnPack.read {
                guard try q.step() else { return nil }
                any = true
                return q.withBlob(0) { [UInt8]($0) }
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

    private func loadRows(_ snapshot: Int64) throws -> Dataset {
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
