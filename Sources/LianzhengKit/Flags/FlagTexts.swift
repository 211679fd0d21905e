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
    /// Level names (by level), then the thresholds of PEER_OUTLIER,
    /// SCORE_JUMP and ROTATION_OVERDUE: pinned, so that copying one
    /// retains nothing (hundreds of thousands of flags).
    private let fixedTexts: PinnedTexts
    private let peerZ: Int, scoreJump: Int, rotationYears: Int
    /// Tenures already formatted in shortest form, by bit pattern: a million
    /// posts have a few hundred distinct tenures (capped in case they do not).
    /// The value is the tenure's place in `tenureTexts`.
    private var tenures: [UInt64: Int] = [:]
    private let tenureTexts = ByteBuffer(capacity: 4096)
    private var tenureEnds: [Int] = [0]
    private static let maxCachedTenures = 4096

    init(_ report: FlagReport) {
        self.report = report
        let t = report.thresholdTexts
        let levels = report.scheme.levels.map(\.name)
        fixedTexts = PinnedTexts(TextColumn(levels + [t.peerZ, t.scoreJump, t.rotationYears]))
        (peerZ, scoreJump, rotationYears) = (levels.count, levels.count + 1, levels.count + 2)
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
        // Columns are read where they are: a local copy of `report.risk`
        // would retain and release each of its arrays on every flag.
        let level = Int(report.risk.level[p])
        switch code {
        case .underSelfAssessed:
            out.append(fixedTexts[Int(report.selfLevel[p])])
            endValue()
            out.append(fixedTexts[level])
            endThreshold()
            out.append("自评 "); appendValue(); out.append("，测算 "); appendThreshold()
        case .peerOutlier:
            let group = report.peers.group(ofPost: p)
            let x = report.risk.historyRaw[p]
            FlagFormat.appendFixed2(group.z(x)!, to: out)
            endValue()
            out.append(fixedTexts[peerZ])
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
            let score = report.risk.score[p]
            let previous = report.risk.previousScore![p]
            out.appendHundredths(score - previous)
            endValue()
            out.append(fixedTexts[scoreJump])
            endThreshold()
            out.append("风险分 "); out.appendHundredths(score)
            out.append("，上年 "); out.appendHundredths(previous)
            out.append("，变化 "); appendValue(); out.append("，阈值 "); appendThreshold()
        case .rotationOverdue:
            appendTenure(report.posts.tenureYears[p])
            endValue()
            out.append(fixedTexts[rotationYears])
            endThreshold()
            out.append(fixedTexts[level]); out.append("岗位任职 "); appendValue(); out.append(" 年，轮岗年限 "); appendThreshold()
            out.append(" 年")
        case .noControls:
            out.append("0")
            endValue()
            out.append(fixedTexts[level])
            endThreshold()
            out.append(fixedTexts[level]); out.append("岗位防控措施数为 0")
        }
    }

    private mutating func endValue() { valueEnd = out.count }
    private mutating func endThreshold() { thresholdEnd = out.count }

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
        if let k = tenures[years.bitPattern] {
            return out.append(UnsafeBufferPointer(rebasing: tenureTexts.bytesWritten[tenureEnds[k]..<tenureEnds[k + 1]]))
        }
        let text = shortestDecimal(years)
        append(text)
        guard tenures.count < Self.maxCachedTenures else { return }
        var copy = text
        copy.withUTF8 { tenureTexts.append($0) }
        tenures[years.bitPattern] = tenureEnds.count - 1
        tenureEnds.append(tenureTexts.count)
    }
}
