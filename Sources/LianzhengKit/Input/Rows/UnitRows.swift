/// Rows of units.csv (read in one piece: units are few, and their
/// parents can only be resolved once all are read).
struct UnitRows: RowReader {
    var table = UnitTable()
    var index = IdIndex()
    var rejected = Set<[UInt8]>()
    /// Each accepted row's parent_id as written, and where it is.
    var parentText: [String] = []
    var parentWhere: [InputIssue] = []

    mutating func read(_ row: InputRow, _ issues: inout IssueCollector) {
        let repeatsRejected = !rejected.isEmpty && row.withBytes(0) { rejected.contains(Array($0)) }
        row.withBytes(0) { table.id.append(bytes: $0) }
        if repeatsRejected || index.insert(row: Int32(table.id.count - 1), in: table.id) != nil {
            table.id.removeLast()
            issues.add(row.issue(0, "单位编号重复: \(row.text(0)) (duplicate unit_id)"))
            return
        }
        row.withBytes(1) { table.name.append(bytes: $0) }
        row.withBytes(3) { table.kind.append(bytes: $0) }
        table.parent.append(-1)
        parentText.append(row.text(2))
        parentWhere.append(row.issue(2, ""))
    }

    mutating func reject(_ row: InputRow) {
        IdLookup.noteRejected(row, 0, in: &rejected)
    }
}
