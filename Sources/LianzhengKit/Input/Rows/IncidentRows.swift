/// Rows of incidents.csv.
struct IncidentRows: ChunkedRowReader {
    var post: IdReference
    var kinds: KindChecker
    /// Reading the whole file in one piece: duplicate ids are checked row
    /// by row. In pieces they are checked once the pieces are joined.
    let wholeFile: Bool
    var seen = IdIndex()
    var table = IncidentTable()

    init(posts: IdLookup, scheme: Scheme, wholeFile: Bool) {
        post = .posts(posts)
        kinds = KindChecker(Set(scheme.risk.incidentKinds.map(\.name)))
        self.wholeFile = wholeFile
    }

    mutating func read(_ row: InputRow, _ issues: inout IssueCollector) {
        guard let post = post.resolve(row, 1, &issues) else { return }
        guard let date = row.withBytes(2, FieldParsing.date) else {
            issues.add(row.issue(2, "日期无效: \(row.text(2)) (invalid date)"))
            return
        }
        let kind = row.withBytes(3) { kinds.check($0) }
        guard kind.isKnown else {
            issues.add(row.issue(3, "问题类别不在评分方案中: \(row.text(3)) (unknown incident kind)"))
            return
        }
        var status = IncidentStatus.pending
        if row.has(4) {
            guard let s = row.withBytes(4, IncidentStatus.init(bytes:)) else {
                issues.add(row.issue(4, "核实情况无效: \(row.text(4))，应为 属实/部分属实/待核实/不属实 (invalid status)"))
                return
            }
            status = s
        }
        row.withBytes(0) { table.id.append(bytes: $0) }
        if wholeFile, seen.insert(row: Int32(table.id.count - 1), in: table.id) != nil {
            table.id.removeLast()
            issues.add(row.issue(0, "问题线索编号重复: \(row.text(0)) (duplicate incident_id)"))
            return
        }
        table.post.append(post)
        table.date.append(date)
        row.withBytes(3) { kinds.append(kind, $0, to: &table.kind) }
        table.status.append(status.rawValue)
    }

    mutating func append(_ later: consuming IncidentRows) {
        table.id.append(contentsOf: later.table.id)
        table.post += later.table.post
        table.date += later.table.date
        table.kind.append(contentsOf: later.table.kind)
        table.status += later.table.status
    }

    /// After joining pieces: whether every incident id is distinct (else the
    /// file is read again in one piece, which reports the repeat where it is).
    func idsAreDistinct() -> Bool { table.id.textsAreDistinct() }
}
