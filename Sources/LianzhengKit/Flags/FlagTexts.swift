/// The texts of one flag row — `value` and `threshold` as flags.csv prints
/// them (SPEC §6) and the reason a reviewer reads — written as UTF-8 into one
/// reused buffer, so that flags.csv and scorecards.json format hundreds of
/// thousands of flags without a string each. `FlagReport.valueAndThreshold`
/// and `reason` take their strings from here too: each text is formatted in
/// one place.
struct FlagTexts {
    private let report: FlagReport
    /// value, then threshold, then reason.
    private let out = ByteBuffer(capacity: 1024)
    private var valueEnd = 0
    private var thresholdEnd = 0
    private let levelNames: [[UInt8]]
    private let thresholds: (peerZ: [UInt8], scoreJump: [UInt8], rotationYears: [UInt8])
    /// Tenures already formatted in shortest form, by bit pattern: a million
    /// posts have a few hundred distinct tenures (capped in case they do not).
    private var tenures: [UInt64: [UInt8]] = [:]
    private static let maxCachedTenures = 4096

    init(_ report: FlagReport) {
        self.report = report
        levelNames = report.scheme.levels.map { Array($0.name.utf8) }
        let t = report.thresholdTexts
        thresholds = (Array(t.peerZ.utf8), Array(t.scoreJump.utf8), Array(t.rotationYears.utf8))
    }

    /// The flag's `value` column.
    var value: UnsafeBufferPointer<UInt8> { UnsafeBufferPointer(rebasing: out.bytesWritten[..<valueEnd]) }
    /// The flag's `threshold` column.
    var threshold: UnsafeBufferPointer<UInt8> { UnsafeBufferPointer(rebasing: out.bytesWritten[valueEnd..<thresholdEnd]) }
    /// The evidence in one Chinese sentence ("自评 三级，测算 一级").
    var reason: UnsafeBufferPointer<UInt8> { UnsafeBufferPointer(rebasing: out.bytesWritten[thresholdEnd...]) }

    /// Formats the texts of `code` on post `p` (which must raise it):
    /// level names; z and score change with 2 decimals; data and scheme
    /// numbers in shortest form.
    mutating func fill(_ code: PostFlagCode, post p: Int) {
        out.removeAll()
        let r = report.risk
        let level = levelNames[Int(r.level[p])]
        switch code {
        case .underSelfAssessed:
            append(levelNames[Int(report.selfLevel[p])])
            endValue()
            append(level)
            endThreshold()
            out.append("自评 "); appendValue(); out.append("，测算 "); appendThreshold()
        case .peerOutlier:
            let group = report.peers.group(ofPost: p)
            let x = r.historyRaw[p]
            FlagFormat.appendFixed2(group.z(x)!, to: out)
            endValue()
            append(thresholds.peerZ)
            endThreshold()
            // "同类岗位（执法检查）12 个，历史原始分 7.0000，中位数 1.0000，MAD 0.5000"
            out.append("同类岗位（"); append(group.category); out.append("）")
            out.appendDecimalDigits(UInt64(group.size))
            out.append(" 个，历史原始分 "); out.appendFixed4(x)
            out.append("，中位数 "); out.appendFixed4(group.median)
            switch group.method {
            case .mad: out.append("，MAD "); out.appendFixed4(group.mad)
            case .meanAD, .undefined: out.append("，MAD 为 0，MeanAD "); out.appendFixed4(group.meanAD ?? 0)
            }
            out.append("，z = "); appendValue(); out.append(" ≥ "); appendThreshold()
        case .scoreJump:
            let previous = r.previousScore![p]
            out.appendHundredths(r.score[p] - previous)
            endValue()
            append(thresholds.scoreJump)
            endThreshold()
            out.append("风险分 "); out.appendHundredths(r.score[p])
            out.append("，上年 "); out.appendHundredths(previous)
            out.append("，变化 "); appendValue(); out.append("，阈值 "); appendThreshold()
        case .rotationOverdue:
            appendTenure(report.posts.tenureYears[p])
            endValue()
            append(thresholds.rotationYears)
            endThreshold()
            append(level); out.append("岗位任职 "); appendValue(); out.append(" 年，轮岗年限 "); appendThreshold(); out.append(" 年")
        case .noControls:
            out.append("0")
            endValue()
            append(level)
            endThreshold()
            append(level); out.append("岗位防控措施数为 0")
        }
    }

    private mutating func endValue() { valueEnd = out.count }
    private mutating func endThreshold() { thresholdEnd = out.count }

    private func append(_ bytes: [UInt8]) { bytes.withUnsafeBufferPointer { out.append($0) } }

    private func append(_ text: String) {
        var text = text
        text.withUTF8 { out.append($0) }
    }

    /// Copies bytes already written (room is made first: growing would free
    /// the bytes being copied).
    private func appendWritten(_ range: Range<Int>) {
        out.reserve(out.count + range.count)
        out.append(UnsafeBufferPointer(rebasing: out.bytesWritten[range]))
    }

    private func appendValue() { appendWritten(0..<valueEnd) }
    private func appendThreshold() { appendWritten(valueEnd..<thresholdEnd) }

    /// `shortestDecimal(years)`, formatted once per distinct value.
    private mutating func appendTenure(_ years: Double) {
        if let text = tenures[years.bitPattern] { return append(text) }
        let text = Array(shortestDecimal(years).utf8)
        if tenures.count < Self.maxCachedTenures { tenures[years.bitPattern] = text }
        append(text)
    }
}
