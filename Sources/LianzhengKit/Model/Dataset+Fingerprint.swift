/// The dataset fingerprint (SPEC §7): SHA-256 of the parsed data in
/// canonical order.
extension Dataset {
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

