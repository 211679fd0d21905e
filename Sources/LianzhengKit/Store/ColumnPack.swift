import Foundation

/// A snapshot's columns as raw little-endian arrays, stored in
/// `snapshot_pack`: the stored form of every snapshot, written in a
/// fraction of the time millions of SQL rows take and loaded as fast.
///
/// The queryable row tables are written from the same `Dataset` on request
/// (`SnapshotStore.storeTables`); `verify` recomputes the fingerprint of the
/// dataset loaded from the pack.
enum ColumnPack {
    static let magic: [UInt8] = Array("LZPACK01".utf8)
    /// Bytes per stored part at most (SQLite blobs are kept well under their limit).
    static let partSize = 16 << 20
    /// Spans at least this long (a large column) are handed to `emit`
    /// straight from the dataset's memory rather than copied into a part.
    static let directBytes = 64 << 10

    /// Serialises `d`, handing the parts to `emit` in order. A part is
    /// valid only during its `emit` call. Part boundaries carry no meaning:
    /// `read` takes the concatenation, however it is cut.
    static func write(
        _ d: Dataset, partSize: Int = partSize, directBytes: Int = directBytes,
        emit: @escaping (UnsafeRawBufferPointer) throws -> Void
    ) throws {
        var w = PackWriter(partSize: partSize, directBytes: directBytes, emit: emit)
        try w.raw(magic)
        try w.text(d.fingerprint)
        try w.column(d.units.id); try w.column(d.units.name); try w.pod(d.units.parent); try w.column(d.units.kind)
        let p = d.posts
        try w.column(p.id); try w.pod(p.unit); try w.column(p.name); try w.column(p.category); try w.column(p.holder)
        try w.pod(p.tenureYears); try w.column(p.selfLevel); try w.pod(p.controls); try w.pod(p.keyDecisions.map { $0 ? UInt8(1) : 0 })
        let pw = d.powers
        try w.pod(pw.post); try w.column(pw.name); try w.dictionary(pw.kind); try w.pod(pw.annualCount); try w.pod(pw.amount)
        try w.pod(pw.discretion); try w.pod(pw.start)
        let i = d.incidents
        try w.column(i.id); try w.pod(i.post); try w.pod(i.date); try w.dictionary(i.kind); try w.pod(i.status); try w.pod(i.start)
        let a = d.assessments
        try w.pod(a.year); try w.pod(a.subjectType); try w.pod(a.subject); try w.column(a.indicator); try w.pod(a.score)
        let j = d.adjustments
        try w.pod(j.year); try w.pod(j.subjectType); try w.pod(j.subject); try w.pod(j.type); try w.pod(j.points); try w.column(j.reason)
        let r = d.riskPoints
        try w.column(r.id); try w.pod(r.post); try w.pod(r.type); try w.column(r.description); try w.column(r.measures)
        try w.finish()
    }

    /// Rebuilds a dataset from the parts `next()` returns in order (nil at
    /// the end), each of which need stay valid only until the next call.
    static func read(next: @escaping () throws -> UnsafeRawBufferPointer?) throws -> Dataset {
        var r = PackReader(next: next)
        guard try r.raw(magic.count) == magic else { throw PackError.corrupt }
        var d = Dataset()
        d.fingerprint = try r.text()
        d.units.id = try r.column(); d.units.name = try r.column(); d.units.parent = try r.pod(); d.units.kind = try r.column()
        d.posts.id = try r.column(); d.posts.unit = try r.pod(); d.posts.name = try r.column(); d.posts.category = try r.column()
        d.posts.holder = try r.column(); d.posts.tenureYears = try r.pod(); d.posts.selfLevel = try r.column()
        d.posts.controls = try r.pod(); d.posts.keyDecisions = (try r.pod() as [UInt8]).map { $0 != 0 }
        d.powers.post = try r.pod(); d.powers.name = try r.column(); d.powers.kind = try r.dictionary()
        d.powers.annualCount = try r.pod(); d.powers.amount = try r.pod(); d.powers.discretion = try r.pod(); d.powers.start = try r.pod()
        d.incidents.id = try r.column(); d.incidents.post = try r.pod(); d.incidents.date = try r.pod()
        d.incidents.kind = try r.dictionary(); d.incidents.status = try r.pod(); d.incidents.start = try r.pod()
        d.assessments.year = try r.pod(); d.assessments.subjectType = try r.pod(); d.assessments.subject = try r.pod()
        d.assessments.indicator = try r.column(); d.assessments.score = try r.pod()
        d.adjustments.year = try r.pod(); d.adjustments.subjectType = try r.pod(); d.adjustments.subject = try r.pod()
        d.adjustments.type = try r.pod(); d.adjustments.points = try r.pod(); d.adjustments.reason = try r.column()
        d.riskPoints.id = try r.column(); d.riskPoints.post = try r.pod(); d.riskPoints.type = try r.pod()
        d.riskPoints.description = try r.column(); d.riskPoints.measures = try r.column()
        guard d.posts.unit.count == d.posts.id.count, d.powers.start.count == d.posts.count + 1,
            d.incidents.start.count == d.posts.count + 1
        else { throw PackError.corrupt }
        return d
    }

    enum PackError: Error { case corrupt }
}

private struct PackWriter {
    let partSize: Int
    let directBytes: Int
    let emit: (UnsafeRawBufferPointer) throws -> Void
    /// Small spans gathered into one part.
    private var buffer: [UInt8] = []

    init(partSize: Int, directBytes: Int, emit: @escaping (UnsafeRawBufferPointer) throws -> Void) {
        self.partSize = partSize
        self.directBytes = directBytes
        self.emit = emit
        buffer.reserveCapacity(partSize)
    }

    mutating func raw(_ bytes: UnsafeRawBufferPointer) throws {
        if bytes.count >= directBytes {
            try flush()
            var offset = 0
            while offset < bytes.count {
                let take = min(partSize, bytes.count - offset)
                try emit(UnsafeRawBufferPointer(rebasing: bytes[offset..<(offset + take)]))
                offset += take
            }
            return
        }
        var offset = 0
        while offset < bytes.count {
            let take = min(partSize - buffer.count, bytes.count - offset)
            buffer.append(contentsOf: UnsafeRawBufferPointer(rebasing: bytes[offset..<(offset + take)]))
            offset += take
            if buffer.count == partSize { try flush() }
        }
    }

    private mutating func flush() throws {
        guard !buffer.isEmpty else { return }
        try buffer.withUnsafeBytes { try emit($0) }
        buffer.removeAll(keepingCapacity: true)
    }

    mutating func raw(_ bytes: [UInt8]) throws { try bytes.withUnsafeBytes { try raw($0) } }

    mutating func count(_ n: Int) throws { try withUnsafeBytes(of: UInt64(n).littleEndian) { try raw($0) } }

    mutating func pod<T: BitwiseCopyable>(_ values: [T]) throws {
        try count(values.count)
        try values.withUnsafeBytes { try raw($0) }
    }

    mutating func text(_ s: String) throws { try pod(Array(s.utf8)) }

    mutating func column(_ c: TextColumn) throws {
        try pod(c.bytes)
        try pod(c.ends)
    }

    mutating func dictionary(_ c: DictionaryColumn) throws {
        try count(c.values.count)
        for v in c.values { try text(v) }
        try pod(c.codes)
    }

    mutating func finish() throws { try flush() }
}

private struct PackReader {
    let next: () throws -> UnsafeRawBufferPointer?
    var part = UnsafeRawBufferPointer(start: nil, count: 0)
    var offset = 0

    init(next: @escaping () throws -> UnsafeRawBufferPointer?) { self.next = next }

    /// Copies `n` bytes into `destination`.
    mutating func copy(into destination: UnsafeMutableRawBufferPointer) throws {
        var done = 0
        while done < destination.count {
            if offset == part.count {
                guard let more = try next() else { throw ColumnPack.PackError.corrupt }
                part = more
                offset = 0
            }
            let take = min(part.count - offset, destination.count - done)
            UnsafeMutableRawBufferPointer(rebasing: destination[done..<(done + take)])
                .copyMemory(from: UnsafeRawBufferPointer(rebasing: part[offset..<(offset + take)]))
            done += take
            offset += take
        }
    }

    mutating func raw(_ n: Int) throws -> [UInt8] {
        var out = [UInt8](repeating: 0, count: n)
        try out.withUnsafeMutableBytes { try copy(into: $0) }
        return out
    }

    mutating func count() throws -> Int {
        var v: UInt64 = 0
        try withUnsafeMutableBytes(of: &v) { try copy(into: $0) }
        let n = Int(UInt64(littleEndian: v))
        guard n >= 0, n < 1 << 40 else { throw ColumnPack.PackError.corrupt }
        return n
    }

    mutating func pod<T: BitwiseCopyable>() throws -> [T] {
        let n = try count()
        return try [T](unsafeUninitializedCapacity: n) { buffer, initialized in
            HugePages.advise(UnsafeMutableRawBufferPointer(buffer))
            try copy(into: UnsafeMutableRawBufferPointer(buffer))
            initialized = n
        }
    }

    mutating func text() throws -> String { String(decoding: try pod() as [UInt8], as: UTF8.self) }

    mutating func column() throws -> TextColumn {
        let bytes: [UInt8] = try pod()
        let ends: [Int] = try pod()
        guard ends.last ?? 0 == bytes.count else { throw ColumnPack.PackError.corrupt }
        return TextColumn(bytes: bytes, ends: ends)
    }

    mutating func dictionary() throws -> DictionaryColumn {
        let n = try count()
        var values: [String] = []
        for _ in 0..<n { values.append(try text()) }
        let codes: [UInt16] = try pod()
        guard codes.allSatisfy({ Int($0) < n }) else { throw ColumnPack.PackError.corrupt }
        return DictionaryColumn(values: values, codes: codes)
    }
}
