/// Rows of posts.csv.
struct PostRows: ChunkedRowReader {
    var unit: IdReference
    /// Reading the whole file in one piece: duplicates are checked row by
    /// row. In pieces they are checked once the pieces are joined.
    let wholeFile: Bool
    var table = PostTable()
    var index = IdIndex()
    var rejected = Set<[UInt8]>()
    /// Whether a self_level text is a level name or alias of the scheme.
    private var isLevel: TextMemo<Bool>

    init(units: IdLookup, scheme: Scheme, wholeFile: Bool) {
        unit = .units(units)
        self.wholeFile = wholeFile
        isLevel = TextMemo { scheme.levelIndex(named: $0) != nil }
    }

    mutating func read(_ row: InputRow, _ issues: inout IssueCollector) {
        if wholeFile, isDuplicate(row) {
            issues.add(row.issue(0, "岗位编号重复: \(row.text(0)) (duplicate post_id)"))
            return
        }
        var accepted = false
        defer { if !accepted { IdLookup.noteRejected(row, 0, in: &rejected) } }
        guard let unit = unit.resolve(row, 1, &issues) else { return }
        var tenure = Double.nan
        if row.has(5) {
            guard let t = row.withBytes(5, FieldParsing.number), t >= 0 else {
                issues.add(row.issue(5, "任职年限须为不小于 0 的数: \(row.text(5)) (tenure_years must be a number ≥ 0)"))
                return
            }
            tenure = t
        }
        if row.has(6), !row.withBytes(6, { isLevel($0) }) {
            issues.add(row.issue(6, "自评等级不是方案中的等级: \(row.text(6)) (unknown level)"))
            return
        }
        var controls: Int32 = -1
        if row.has(7) {
            guard let c = row.withBytes(7, FieldParsing.integer), c >= 0, c <= Int64(Int32.max) else {
                issues.add(row.issue(7, "防控措施数须为不小于 0 的整数: \(row.text(7)) (controls must be an integer ≥ 0)"))
                return
            }
            controls = Int32(c)
        }
        var key = false
        if row.has(8) {
            guard let b = row.withBytes(8, FieldParsing.boolean) else {
                issues.add(row.issue(8, "涉及三重一大须为 是/否: \(row.text(8)) (key_decisions must be a boolean)"))
                return
            }
            key = b
        }
        accepted = true
        row.withBytes(0) { table.id.append(bytes: $0) }
        if wholeFile { _ = index.insert(row: Int32(table.id.count - 1), in: table.id) }
        table.unit.append(unit)
        row.withBytes(2) { table.name.append(bytes: $0) }
        row.withBytes(3) { table.category.append(bytes: $0) }
        row.withBytes(4) { table.holder.append(bytes: $0) }
        table.tenureYears.append(tenure)
        row.withBytes(6) { table.selfLevel.append(bytes: $0) }
        table.controls.append(controls)
        table.keyDecisions.append(key)
    }

    private func isDuplicate(_ row: InputRow) -> Bool {
        row.withBytes(0) { id in
            index.find(id, in: table.id) != nil || (!rejected.isEmpty && rejected.contains(Array(id)))
        }
    }

    mutating func reject(_ row: InputRow) {
        IdLookup.noteRejected(row, 0, in: &rejected)
    }

    mutating func append(_ later: consuming PostRows) {
        table.id.append(contentsOf: later.table.id)
        table.unit += later.table.unit
        table.name.append(contentsOf: later.table.name)
        table.category.append(contentsOf: later.table.category)
        table.holder.append(contentsOf: later.table.holder)
        table.tenureYears += later.table.tenureYears
        table.selfLevel.append(contentsOf: later.table.selfLevel)
        table.controls += later.table.controls
        table.keyDecisions += later.table.keyDecisions
    }

    /// After joining pieces: indexes every post id.
    /// - Returns: false when an id repeats (the file is then read again in
    ///   one piece, which reports it where it occurs).
    mutating func indexJoined() -> Bool {
        index = IdIndex()
        index.reserve(table.id.count, in: table.id)
        for r in 0..<table.id.count where index.insert(row: Int32(r), in: table.id) != nil { return false }
        return true
    }
}
