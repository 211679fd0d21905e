/// Canonical order and fingerprint of a dataset (SPEC §7 reproducibility):
/// the same data gives the same rows in the same order and the same SHA-256,
/// whatever the file encoding, line ends, column order or row order.
extension Dataset {
    /// Sorts every table into canonical order (see `Dataset`), remaps
    /// references and computes `fingerprint`.
    /// - Complexity: O(n log n) for units, posts and ids; powers and
    ///   incidents are bucketed by post and sorted within their small groups.
    public mutating func canonicalize() {
        let unitOrder = sortedOrder(units.count) { units.id.precedes($0, $1) }
        let unitRank = ranks(of: unitOrder)
        units.id = units.id.permuted(by: unitOrder)
        units.name = units.name.permuted(by: unitOrder)
        units.parent = gather(units.parent, by: unitOrder).map { $0 < 0 ? -1 : unitRank[Int($0)] }
        units.kind = units.kind.permuted(by: unitOrder)

        let postOrder = sortedOrder(posts.count) { posts.id.precedes($0, $1) }
        let postRank = ranks(of: postOrder)
        posts.id = posts.id.permuted(by: postOrder)
        posts.unit = gather(posts.unit, by: postOrder).map { unitRank[Int($0)] }
        posts.name = posts.name.permuted(by: postOrder)
        posts.category = posts.category.permuted(by: postOrder)
        posts.holder = posts.holder.permuted(by: postOrder)
        posts.tenureYears = gather(posts.tenureYears, by: postOrder)
        posts.selfLevel = posts.selfLevel.permuted(by: postOrder)
        posts.controls = gather(posts.controls, by: postOrder)
        posts.keyDecisions = gather(posts.keyDecisions, by: postOrder)

        canonicalizePowers(postRank: postRank)
        canonicalizeIncidents(postRank: postRank)
        canonicalizeAssessments(unitRank: unitRank, postRank: postRank)
        canonicalizeAdjustments(unitRank: unitRank, postRank: postRank)
        canonicalizeRiskPoints(postRank: postRank)
        var timer = PhaseTimer()
        fingerprint = computeFingerprint()
        timer.mark("fingerprint")
    }

    // Each table is permuted one column at a time, every column replacing its
    // input-order version as soon as it is built: the peak is the dataset plus
    // one column, not two copies of the largest table.

    private mutating func canonicalizePowers(postRank: [Int32]) {
        powers.post = powers.post.map { postRank[Int($0)] }
        let (order, start) = Self.powerOrder(powers, buckets: posts.count)
        powers.post = gather(powers.post, by: order)
        powers.name = powers.name.permuted(by: order)
        powers.kind = powers.kind.permuted(by: order)
        powers.annualCount = gather(powers.annualCount, by: order)
        powers.amount = gather(powers.amount, by: order)
        powers.discretion = gather(powers.discretion, by: order)
        powers.start = start
    }

    /// Powers grouped by (canonical) post, within a post by row content.
    private static func powerOrder(_ p: PowerTable, buckets: Int) -> ([Int32], [Int32]) {
        bucketed(p.post, buckets: buckets) { a, b in
            if p.name.precedes(a, b) { return true }
            if p.name.precedes(b, a) { return false }
            if p.kind.precedes(a, b) { return true }
            if p.kind.precedes(b, a) { return false }
            if p.annualCount[a] != p.annualCount[b] { return p.annualCount[a] < p.annualCount[b] }
            if p.amount[a] != p.amount[b] { return p.amount[a] < p.amount[b] }
            return p.discretion[a] < p.discretion[b]
        }
    }

    private mutating func canonicalizeIncidents(postRank: [Int32]) {
        incidents.post = incidents.post.map { postRank[Int($0)] }
        let (order, start) = Self.incidentOrder(incidents, buckets: posts.count)
        incidents.id = incidents.id.permuted(by: order)
        incidents.post = gather(incidents.post, by: order)
        incidents.date = gather(incidents.date, by: order)
        incidents.kind = incidents.kind.permuted(by: order)
        incidents.status = gather(incidents.status, by: order)
        incidents.start = start
    }

    /// Incidents grouped by (canonical) post, within a post by (date, id).
    private static func incidentOrder(_ t: IncidentTable, buckets: Int) -> ([Int32], [Int32]) {
        bucketed(t.post, buckets: buckets) { a, b in
            if t.date[a] != t.date[b] { return t.date[a] < t.date[b] }
            return t.id.precedes(a, b)
        }
    }

    private mutating func canonicalizeAssessments(unitRank: [Int32], postRank: [Int32]) {
        let t = assessments
        let subject = zip(t.subjectType, t.subject).map { $0 == SubjectType.unit.rawValue ? unitRank[Int($1)] : postRank[Int($1)] }
        let order = sortedOrder(t.count) { a, b in
            if t.year[a] != t.year[b] { return t.year[a] < t.year[b] }
            if t.subjectType[a] != t.subjectType[b] { return t.subjectType[a] < t.subjectType[b] }
            if subject[a] != subject[b] { return subject[a] < subject[b] }
            return t.indicator.precedes(a, b)
        }
        assessments = AssessmentTable(
            year: gather(t.year, by: order), subjectType: gather(t.subjectType, by: order),
            subject: gather(subject, by: order), indicator: t.indicator.permuted(by: order),
            score: gather(t.score, by: order))
    }

    private mutating func canonicalizeAdjustments(unitRank: [Int32], postRank: [Int32]) {
        let t = adjustments
        let subject = zip(t.subjectType, t.subject).map { $0 == SubjectType.unit.rawValue ? unitRank[Int($1)] : postRank[Int($1)] }
        let order = sortedOrder(t.count) { a, b in
            if t.year[a] != t.year[b] { return t.year[a] < t.year[b] }
            if t.subjectType[a] != t.subjectType[b] { return t.subjectType[a] < t.subjectType[b] }
            if subject[a] != subject[b] { return subject[a] < subject[b] }
            if t.type[a] != t.type[b] { return t.type[a] < t.type[b] }
            if t.points[a] != t.points[b] { return t.points[a] < t.points[b] }
            return t.reason.precedes(a, b)
        }
        adjustments = AdjustmentTable(
            year: gather(t.year, by: order), subjectType: gather(t.subjectType, by: order),
            subject: gather(subject, by: order), type: gather(t.type, by: order),
            points: gather(t.points, by: order), reason: t.reason.permuted(by: order))
    }

    private mutating func canonicalizeRiskPoints(postRank: [Int32]) {
        let t = riskPoints
        let order = sortedOrder(t.count) { t.id.precedes($0, $1) }
        riskPoints = RiskPointTable(
            id: t.id.permuted(by: order), post: gather(t.post, by: order).map { postRank[Int($0)] },
            type: gather(t.type, by: order), description: t.description.permuted(by: order),
            measures: t.measures.permuted(by: order))
    }

    /// SHA-256 of the canonical serialisation: per table a tag and row count,
    /// then every field length-prefixed (texts) or fixed-width (numbers).
    public func computeFingerprint() -> String {
        var w = CanonicalWriter()
        w.tag("units", units.count)
        for i in 0..<units.count {
            w.text(units.id, i); w.text(units.name, i); w.int(Int64(units.parent[i])); w.text(units.kind, i)
        }
        w.tag("posts", posts.count)
        for i in 0..<posts.count {
            w.text(posts.id, i); w.int(Int64(posts.unit[i])); w.text(posts.name, i); w.text(posts.category, i)
            w.text(posts.holder, i); w.double(posts.tenureYears[i]); w.text(posts.selfLevel, i)
            w.int(Int64(posts.controls[i])); w.int(posts.keyDecisions[i] ? 1 : 0)
        }
        w.tag("powers", powers.count)
        for i in 0..<powers.count {
            w.int(Int64(powers.post[i])); w.text(powers.name, i); w.text(powers.kind[i])
            w.int(powers.annualCount[i]); w.double(powers.amount[i]); w.int(Int64(powers.discretion[i]))
        }
        w.tag("incidents", incidents.count)
        for i in 0..<incidents.count {
            w.text(incidents.id, i); w.int(Int64(incidents.post[i])); w.int(Int64(incidents.date[i]))
            w.text(incidents.kind[i]); w.int(Int64(incidents.status[i]))
        }
        w.tag("assessments", assessments.count)
        for i in 0..<assessments.count {
            w.int(Int64(assessments.year[i])); w.int(Int64(assessments.subjectType[i])); w.int(Int64(assessments.subject[i]))
            w.text(assessments.indicator, i); w.int(assessments.score[i])
        }
        w.tag("adjustments", adjustments.count)
        for i in 0..<adjustments.count {
            w.int(Int64(adjustments.year[i])); w.int(Int64(adjustments.subjectType[i])); w.int(Int64(adjustments.subject[i]))
            w.int(Int64(adjustments.type[i])); w.int(adjustments.points[i]); w.text(adjustments.reason, i)
        }
        w.tag("risk_points", riskPoints.count)
        for i in 0..<riskPoints.count {
            w.text(riskPoints.id, i); w.int(Int64(riskPoints.post[i])); w.int(Int64(riskPoints.type[i]))
            w.text(riskPoints.description, i); w.text(riskPoints.measures, i)
        }
        return w.finish()
    }

    /// Rebuilds the CSR `start` offsets of powers and incidents from their
    /// (already grouped) post columns.
    public mutating func rebuildOffsets() {
        powers.start = offsets(powers.post, buckets: posts.count)
        incidents.start = offsets(incidents.post, buckets: posts.count)
    }
}

/// Buffered SHA-256 over typed fields.
private struct CanonicalWriter {
    var hash = SHA256()
    var buffer: [UInt8] = []

    init() { buffer.reserveCapacity(1 << 16) }

    mutating func flushIfFull() {
        if buffer.count >= 1 << 16 {
            hash.update(bytes: buffer)
            buffer.removeAll(keepingCapacity: true)
        }
    }

    mutating func tag(_ name: String, _ count: Int) {
        buffer.append(contentsOf: Array(name.utf8))
        buffer.append(0)
        int(Int64(count))
    }

    mutating func int(_ v: Int64) {
        withUnsafeBytes(of: v.littleEndian) { buffer.append(contentsOf: $0) }
        flushIfFull()
    }

    /// Bit pattern, with NaN (a blank) normalised and -0 read as 0.
    mutating func double(_ v: Double) {
        int(Int64(bitPattern: v.isNaN ? 0x7FF8_0000_0000_0000 : (v + 0.0).bitPattern))
    }

    mutating func text(_ s: String) {
        var s = s
        s.withUTF8 { b in
            withUnsafeBytes(of: UInt32(b.count).littleEndian) { buffer.append(contentsOf: $0) }
            buffer.append(contentsOf: b)
        }
        flushIfFull()
    }

    mutating func text(_ column: TextColumn, _ i: Int) {
        column.withBytes(i) { b in
            withUnsafeBytes(of: UInt32(b.count).littleEndian) { buffer.append(contentsOf: $0) }
            buffer.append(contentsOf: b)
        }
        flushIfFull()
    }

    mutating func finish() -> String {
        hash.update(bytes: buffer)
        return hash.hexDigest()
    }
}

/// Row indices 0..<n sorted by `less` (stable for equal keys by index).
func sortedOrder(_ n: Int, by less: (Int, Int) -> Bool) -> [Int32] {
    var order = (0..<Int32(n)).map { $0 }
    order.sort { a, b in
        if less(Int(a), Int(b)) { return true }
        if less(Int(b), Int(a)) { return false }
        return a < b
    }
    return order
}

/// `values` in the order of `order`: element k is `values[order[k]]`.
/// - Complexity: O(n), one allocation.
func gather<T>(_ values: [T], by order: [Int32]) -> [T] {
    values.withUnsafeBufferPointer { v in
        [T](unsafeUninitializedCapacity: order.count) { out, initialized in
            for (k, i) in order.enumerated() { (out.baseAddress! + k).initialize(to: v[Int(i)]) }
            initialized = order.count
        }
    }
}

/// rank[order[k]] = k.
func ranks(of order: [Int32]) -> [Int32] {
    var rank = [Int32](repeating: 0, count: order.count)
    for (k, i) in order.enumerated() { rank[Int(i)] = Int32(k) }
    return rank
}

/// Counting sort of rows by bucket, then `less` within each bucket.
/// - Returns: the row order and the CSR offsets (buckets + 1 entries).
func bucketed(_ bucket: [Int32], buckets: Int, within less: (Int, Int) -> Bool) -> ([Int32], [Int32]) {
    let start = offsets(bucket, buckets: buckets, grouped: false)
    var next = start
    var order = [Int32](repeating: 0, count: bucket.count)
    for (i, b) in bucket.enumerated() {
        order[Int(next[Int(b)])] = Int32(i)
        next[Int(b)] += 1
    }
    for b in 0..<buckets {
        let lo = Int(start[b])
        let hi = Int(start[b + 1])
        if hi - lo > 1 {
            order[lo..<hi].sort { x, y in
                if less(Int(x), Int(y)) { return true }
                if less(Int(y), Int(x)) { return false }
                return x < y
            }
        }
    }
    return (order, start)
}

/// CSR offsets: start[b] = number of rows in buckets before b.
func offsets(_ bucket: [Int32], buckets: Int, grouped: Bool = true) -> [Int32] {
    var start = [Int32](repeating: 0, count: buckets + 1)
    for b in bucket { start[Int(b) + 1] += 1 }
    for b in 0..<buckets { start[b + 1] += start[b] }
    return start
}
