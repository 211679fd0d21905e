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
        let powerKinds = TextColumn(powers.kind.values)
        for i in 0..<powers.count {
            w.int(Int64(powers.post[i])); w.text(powers.name, i); w.text(powerKinds, Int(powers.kind.codes[i]))
            w.int(powers.annualCount[i]); w.double(powers.amount[i]); w.int(Int64(powers.discretion[i]))
        }
        w.tag("incidents", incidents.count)
        let incidentKinds = TextColumn(incidents.kind.values)
        for i in 0..<incidents.count {
            w.text(incidents.id, i); w.int(Int64(incidents.post[i])); w.int(Int64(incidents.date[i]))
            w.text(incidentKinds, Int(incidents.kind.codes[i])); w.int(Int64(incidents.status[i]))
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

/// Buffered SHA-256 over typed fields: fields are stored straight into a
/// fixed buffer that is hashed whenever it fills (no array growth or
/// capacity check per byte).
private struct CanonicalWriter: ~Copyable {
    private var hash = SHA256()
    private let buffer: UnsafeMutablePointer<UInt8>
    private var count = 0
    private static let capacity = 1 << 20

    init() { buffer = .allocate(capacity: Self.capacity) }

    deinit { buffer.deallocate() }

    private mutating func flush() {
        hash.update(bytes: UnsafeRawBufferPointer(start: buffer, count: count))
        count = 0
    }

    @inline(__always)
    private mutating func room(_ n: Int) {
        if count + n > Self.capacity { flush() }
    }

    mutating func tag(_ name: String, _ count: Int) {
        var name = name
        name.withUTF8 { bytes(UnsafeRawBufferPointer($0)) }
        room(1)
        buffer[self.count] = 0
        self.count += 1
        int(Int64(count))
    }

    @inline(__always)
    mutating func int(_ v: Int64) {
        room(8)
        UnsafeMutableRawPointer(buffer + count).storeBytes(of: v.littleEndian, as: Int64.self)
        count += 8
    }

    /// Bit pattern, with NaN (a blank) normalised and -0 read as 0.
    mutating func double(_ v: Double) {
        int(Int64(bitPattern: v.isNaN ? 0x7FF8_0000_0000_0000 : (v + 0.0).bitPattern))
    }

    /// A text: its UTF-8 length as 4 bytes, then the bytes.
    @inline(__always)
    mutating func text(_ column: TextColumn, _ i: Int) {
        column.withBytes(i) { b in
            room(4)
            UnsafeMutableRawPointer(buffer + count).storeBytes(of: UInt32(b.count).littleEndian, as: UInt32.self)
            count += 4
            bytes(UnsafeRawBufferPointer(b))
        }
    }

    @inline(__always)
    private mutating func bytes(_ b: UnsafeRawBufferPointer) {
        guard b.count > 0 else { return }
        if b.count > Self.capacity / 2 {
            flush()
            hash.update(bytes: b)
            return
        }
        room(b.count)
        UnsafeMutableRawPointer(buffer + count).copyMemory(from: b.baseAddress!, byteCount: b.count)
        count += b.count
    }

    consuming func finish() -> String {
        flush()
        return hash.hexDigest()
    }
}
