/// The ids of a table read earlier (units, posts), resolving references
/// to its rows.
struct IdLookup: Sendable {
    var ids = TextColumn()
    var index = IdIndex()
    /// Ids of rows rejected for another problem (already reported).
    var rejected = Set<[UInt8]>()
    /// Whether every row of the file could be scanned.
    var complete = true

    /// The row whose id is `id`.
    @inline(__always)
    func find(_ id: UnsafeBufferPointer<UInt8>) -> Int32? { index.find(id, in: ids) }

    /// Whether an id that was not found should be reported as unknown.
    /// It is not when its table could not be read in full or the id is on a
    /// rejected row: then it may well exist, and saying "unknown post"
    /// would be a false alarm.
    func isUnknown(_ id: UnsafeBufferPointer<UInt8>) -> Bool {
        complete && (rejected.isEmpty || !rejected.contains(Array(id)))
    }

    /// Notes the (non-empty) id in `column` of a rejected row.
    static func noteRejected(_ row: InputRow, _ column: Int, in set: inout Set<[UInt8]>) {
        if row.has(column) { row.withBytes(column) { _ = set.insert(Array($0)) } }
    }
}

/// Resolves references to the rows of an `IdLookup` (posts, units) from
/// consecutive rows, trying first the row found last and the row after it:
/// exports usually list a post's powers and incidents together, in the
/// order of the posts file, so most rows name the post of the row before
/// or the next one, and need no hash lookup (a probe of a million-entry
/// table costs three cache misses; the next row is one line further on).
struct IdReference: Sendable {
    let ids: IdLookup
    /// What the table is called in problems ("岗位", "post").
    let name: (chinese: String, english: String)
    private var last: Int32 = -1

    init(_ ids: IdLookup, name: (chinese: String, english: String)) {
        self.ids = ids
        self.name = name
    }

    static func posts(_ posts: IdLookup) -> IdReference { IdReference(posts, name: ("岗位", "post")) }
    static func units(_ units: IdLookup) -> IdReference { IdReference(units, name: ("单位", "unit")) }

    /// The row named in `column`, or nil after reporting an unknown id.
    @inline(__always)
    mutating func resolve(_ row: InputRow, _ column: Int, _ issues: inout IssueCollector) -> Int32? {
        let found: Int32? = row.withBytes(column) { id in
            if last >= 0 {
                if ids.ids.equals(Int(last), id) { return last }
                let next = Int(last) + 1
                if next < ids.ids.count, ids.ids.equals(next, id) { return Int32(next) }
            }
            return ids.find(id)
        }
        guard let found else {
            if row.withBytes(column, ids.isUnknown) {
                issues.add(row.issue(column, "\(name.chinese)编号不存在: \(row.text(column)) (unknown \(name.english))"))
            }
            return nil
        }
        last = found
        return found
    }
}
