/// Rows of powers.csv. Rows are independent of each other, so the file
/// is read in pieces.
struct PowerRows: ChunkedRowReader {
    var post: IdReference
    var kinds: KindChecker
    var table = PowerTable()

    init(posts: IdLookup, scheme: Scheme) {
        post = .posts(posts)
        kinds = KindChecker(Set(scheme.risk.powerKinds.map(\.name)))
    }

    mutating func read(_ row: InputRow, _ issues: inout IssueCollector) {
        guard let post = post.resolve(row, 0, &issues) else { return }
        let kind = row.withBytes(2) { kinds.check($0) }
        guard kind.isKnown else {
            issues.add(row.issue(2, "职权类别不在评分方案中: \(row.text(2)) (unknown power kind)"))
            return
        }
        var count: Int64 = 0
        if row.has(3) {
            guard let c = row.withBytes(3, FieldParsing.integer), c >= 0 else {
                issues.add(row.issue(3, "年行使次数须为不小于 0 的整数: \(row.text(3)) (annual_count must be an integer ≥ 0)"))
                return
            }
            count = c
        }
        var amount = 0.0
        if row.has(4) {
            guard let a = row.withBytes(4, FieldParsing.number), a >= 0 else {
                issues.add(row.issue(4, "涉及金额须为不小于 0 的数: \(row.text(4)) (amount must be a number ≥ 0)"))
                return
            }
            amount = a
        }
        var discretion: UInt8 = 0
        if row.has(5) {
            guard let d = row.withBytes(5, FieldParsing.integer), (0...4).contains(d) else {
                issues.add(row.issue(5, "裁量幅度须为 0 至 4 的整数: \(row.text(5)) (discretion must be an integer 0…4)"))
                return
            }
            discretion = UInt8(d)
        }
        table.post.append(post)
        row.withBytes(1) { table.name.append(bytes: $0) }
        row.withBytes(2) { kinds.append(kind, $0, to: &table.kind) }
        table.annualCount.append(count)
        table.amount.append(amount)
        table.discretion.append(discretion)
    }

    mutating func append(_ later: consuming PowerRows) {
        table.post += later.table.post
        table.name.append(contentsOf: later.table.name)
        table.kind.append(contentsOf: later.table.kind)
        table.annualCount += later.table.annualCount
        table.amount += later.table.amount
        table.discretion += later.table.discretion
    }
}
