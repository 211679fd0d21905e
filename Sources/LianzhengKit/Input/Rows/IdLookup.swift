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

/// Resolves the post id of consecutive rows, remembering the last one:
/// exports usually list a post's powers and incidents together, so most
/// rows name the post of the row before and need no hash lookup.
struct PostReference: Sendable {
    let posts: IdLookup
    private var last: Int32 = -1

    init(_ posts: IdLookup) { self.posts = posts }

    /// The post named in `column`, or nil after reporting an unknown post.
    @inline(__always)
    mutating func resolve(_ row: InputRow, _ column: Int, _ issues: inout IssueCollector) -> Int32? {
        let found: Int32? = row.withBytes(column) { id in
            if last >= 0, posts.ids.equals(Int(last), id) { return last }
            return posts.find(id)
        }
        guard let found else {
            if row.withBytes(column, posts.isUnknown) {
                issues.add(row.issue(column, "岗位编号不存在: \(row.text(column)) (unknown post)"))
            }
            return nil
        }
        last = found
        return found
    }
}
