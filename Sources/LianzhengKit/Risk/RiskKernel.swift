import Dispatch
import Foundation

/// SPEC §4 for every post: P, D, Hraw, H, score, level and floor, evaluated
/// in binary64 exactly as the SPEC writes it (`log(1.0 + x)`, `pow(0.5, t)`,
/// `1 - exp(-x)`, left to right, no fused multiply-add), in parallel.
///
/// Speed comes from work that cannot change a bit of the result:
/// - `f_i` depends only on the integer count, and `0.5^(age/half_life)` only
///   on the integer number of days, so both are table lookups of values
///   computed by the very same expressions;
/// - a power whose upper bound `w*(0.75 + 0.25*f)` cannot beat the running
///   maximum skips its logarithm (rounding is monotone, so the bound holds).
public struct RiskKernel: Sendable {
    public let scheme: Scheme
    /// as_of: 31 December of the year, as a day number.
    public let asOf: Int32
    /// as_of of the previous year, when its score is wanted (SCORE_JUMP).
    public let previousAsOf: Int32?

    private let logAmountCap: Double
    private let logCountCap: Double
    /// countFactor[c] = min(1, log(1 + c) / log(1 + count_cap)).
    private let countFactor: [Double]
    /// decay[d] = 0.5^((d / 365.25) / half_life) for every d whose age is
    /// within the window; beyond the table an incident is ignored.
    private let decay: [Double]
    private let floorPlan: FloorPlan
    /// Level minimums in hundredths, most severe first.
    private let levelMinimums: [Int64]
    private let amountCap: Double
    private let keyDecisionsFloor: Double
    private let weightPower: Double
    private let weightDiscretion: Double
    private let weightHistory: Double
    private let historyScale: Double

    public init(scheme: Scheme, year: Int, withPreviousYear: Bool = false) {
        self.scheme = scheme
        asOf = CivilDate.endOfYear(year)
        previousAsOf = withPreviousYear ? CivilDate.endOfYear(year - 1) : nil
        let risk = scheme.risk
        logAmountCap = log(1.0 + risk.amountCap)
        logCountCap = log(1.0 + risk.countCap)
        let lastCount = Int(Swift.min(risk.countCap.rounded(.down), Double(1 << 20)))
        let lcc = logCountCap
        countFactor = (0...Swift.max(lastCount, 0)).map { Swift.min(1, log(1.0 + Double($0)) / lcc) }
        var table: [Double] = []
        var d = 0
        while table.count < 1 << 24 {
            let age = Double(d) / 365.25
            if age > risk.windowYears { break }
            table.append(pow(0.5, age / risk.halfLifeYears))
            d += 1
        }
        decay = table
        floorPlan = FloorPlan(scheme: scheme)
        levelMinimums = scheme.levels.map(\.minScoreHundredths)
        amountCap = risk.amountCap
        keyDecisionsFloor = risk.keyDecisionsFloor
        weightPower = risk.weightPower
        weightDiscretion = risk.weightDiscretion
        weightHistory = risk.weightHistory
        historyScale = risk.historyScale
    }

    /// Scores every post of `input` with `threads` workers (default: all
    /// cores). The result is bit-identical for every thread count: each post
    /// is computed alone and written to its own slots.
    /// - Complexity: O(posts + powers + incidents).
    public func run(_ input: RiskInput, threads: Int? = nil) -> RiskResult {
        let n = input.postCount
        var result = RiskResult(count: n, withPrevious: previousAsOf != nil)
        if n == 0 { return result }
        let chunk = 4096
        let chunks = (n + chunk - 1) / chunk
        let workers = Swift.max(1, Swift.min(threads ?? ProcessInfo.processInfo.activeProcessorCount, chunks))
        withOutput(&result) { out in
            if workers == 1 {
                for c in 0..<chunks { compute(input, out, from: c * chunk, to: Swift.min(n, (c + 1) * chunk)) }
            } else {
                DispatchQueue.concurrentPerform(iterations: workers) { w in
                    var c = w
                    while c < chunks {
                        compute(input, out, from: c * chunk, to: Swift.min(n, (c + 1) * chunk))
                        c += workers
                    }
                }
            }
        }
        return result
    }

    // MARK: - per post

    @inline(__always)
    private func amountFactor(_ amount: Double) -> Double {
        if amount == 0 { return 0 }
        if amount >= amountCap { return 1 }
        return Swift.min(1, log(1.0 + amount) / logAmountCap)
    }

    @inline(__always)
    private func countFactorOf(_ count: Int64) -> Double {
        if count >= 0, count < countFactor.count { return countFactor[Int(count)] }
        return Swift.min(1, log(1.0 + Double(count)) / logCountCap)
    }

    /// Hraw at `asOf`: incidents within [asOf − window, asOf], in stored order.
    @inline(__always)
    private func historyRaw(_ input: RiskInput, _ lo: Int, _ hi: Int, asOf: Int32) -> Double {
        var sum = 0.0
        for j in lo..<hi {
            let days = Int(asOf) - Int(input.incidentDay[j])
            if days < 0 { break }  // sorted by date: the rest are later still
            if days < decay.count { sum += input.incidentWeight[j] * decay[days] }
        }
        return sum
    }

    @inline(__always)
    private func score(p: Double, d: Double, hraw: Double) -> (h: Double, hundredths: Int64) {
        let h = hraw == 0 ? 0 : 1 - exp(-hraw / historyScale)
        let s = ((weightPower * p + weightDiscretion * d) + weightHistory * h) * 100
        return (h, Int64((s * 100 + 0.5).rounded(.down)))
    }

    private func compute(_ input: RiskInput, _ out: OutputColumns, from: Int, to: Int) {
        let keyFloor = keyDecisionsFloor
        for p in from..<to {
            let lo = Int(input.powerStart[p])
            let hi = Int(input.powerStart[p + 1])
            var power = 0.0
            var maxDiscretion: UInt8 = 0
            var matched: UInt64 = 0
            for i in lo..<hi {
                let disc = input.powerDiscretion[i]
                if disc > maxDiscretion { maxDiscretion = disc }
                matched |= floorPlan.byPowerKind[Int(input.powerKind[i])]
                let w = input.powerWeight[i]
                if w == 0 { continue }
                let f = countFactorOf(input.powerCount[i])
                if w * ((0.5 + 0.25 * 1.0) + 0.25 * f) <= power { continue }
                let a = amountFactor(input.powerAmount[i])
                let v = w * ((0.5 + 0.25 * a) + 0.25 * f)
                if v > power { power = v }
            }
            if input.keyDecisions[p] {
                if keyFloor > power { power = keyFloor }
                matched |= floorPlan.keyDecisions
            }
            let discretion = Double(maxDiscretion) / 4
            let ilo = Int(input.incidentStart[p])
            let ihi = Int(input.incidentStart[p + 1])
            let hraw = historyRaw(input, ilo, ihi, asOf: asOf)
            if floorPlan.hasIncidentFloors { matched |= floorPlan.incidentMatches(input, ilo, ihi, asOf: asOf) }
            let (h, hundredths) = score(p: power, d: discretion, hraw: hraw)
            var scoreLevel = 0
            while scoreLevel < levelMinimums.count - 1, levelMinimums[scoreLevel] > hundredths { scoreLevel += 1 }
            let (level, floor) = floorPlan.apply(matched, scoreLevel: scoreLevel)
            out.power[p] = power
            out.discretion[p] = discretion
            out.historyRaw[p] = hraw
            out.history[p] = h
            out.score[p] = hundredths
            out.scoreLevel[p] = UInt8(scoreLevel)
            out.level[p] = UInt8(level)
            out.floor[p] = UInt16(floor)
            if let previousAsOf, let previous = out.previousScore {
                let hrawPrevious = historyRaw(input, ilo, ihi, asOf: previousAsOf)
                previous[p] = score(p: power, d: discretion, hraw: hrawPrevious).hundredths
            }
        }
    }
}

/// Which floors (最低等级规则) a post matches, as bit masks: bit k is floor k.
struct FloorPlan: Sendable {
    /// Floors matched by holding a power of each scheme power kind.
    var byPowerKind: [UInt64]
    var keyDecisions: UInt64 = 0
    /// For incident floors: candidate floors by incident kind and by status.
    var byIncidentKind: [UInt64]
    var byStatus: [UInt64] = [0, 0, 0, 0]
    var withinYears: [Double]
    var levels: [Int]
    var hasIncidentFloors = false

    init(scheme: Scheme) {
        byPowerKind = [UInt64](repeating: 0, count: scheme.risk.powerKinds.count)
        byIncidentKind = [UInt64](repeating: 0, count: scheme.risk.incidentKinds.count)
        withinYears = []
        levels = []
        for (k, floor) in scheme.levelFloors.prefix(64).enumerated() {
            let bit: UInt64 = 1 << UInt64(k)
            levels.append(floor.level)
            switch floor.condition {
            case .powerKinds(let kinds):
                for kind in kinds { byPowerKind[kind] |= bit }
                withinYears.append(0)
            case .keyDecisions:
                keyDecisions |= bit
                withinYears.append(0)
            case .incidents(let kinds, let statuses, let within):
                for kind in kinds { byIncidentKind[kind] |= bit }
                for s in statuses { byStatus[Int(s.rawValue)] |= bit }
                withinYears.append(within)
                hasIncidentFloors = true
            }
        }
    }

    /// Incident floors matched: kind and status listed, dated on or before
    /// as_of with age ≤ within_years (same binary64 age as the score).
    @inline(__always)
    func incidentMatches(_ input: RiskInput, _ lo: Int, _ hi: Int, asOf: Int32) -> UInt64 {
        var matched: UInt64 = 0
        for j in lo..<hi {
            let days = Int(asOf) - Int(input.incidentDay[j])
            if days < 0 { break }
            var candidates = byIncidentKind[Int(input.incidentKind[j])] & byStatus[Int(input.incidentStatus[j])]
            let age = Double(days) / 365.25
            while candidates != 0 {
                let k = candidates.trailingZeroBitCount
                candidates &= candidates - 1
                if age <= withinYears[k] { matched |= 1 << UInt64(k) }
            }
        }
        return matched
    }

    /// Final level and 1-based floor index (0 when the score alone decides).
    @inline(__always)
    func apply(_ matched: UInt64, scoreLevel: Int) -> (level: Int, floor: Int) {
        if matched == 0 { return (scoreLevel, 0) }
        var level = scoreLevel
        var m = matched
        while m != 0 {
            let k = m.trailingZeroBitCount
            m &= m - 1
            if levels[k] < level { level = levels[k] }
        }
        if level == scoreLevel { return (level, 0) }
        var first = matched
        while first != 0 {
            let k = first.trailingZeroBitCount
            first &= first - 1
            if levels[k] == level { return (level, k + 1) }
        }
        return (level, 0)
    }
}

/// Raw pointers to the result columns, shared by the workers; each worker
/// writes only its own posts' slots.
struct OutputColumns: @unchecked Sendable {
    let power: UnsafeMutablePointer<Double>
    let discretion: UnsafeMutablePointer<Double>
    let historyRaw: UnsafeMutablePointer<Double>
    let history: UnsafeMutablePointer<Double>
    let score: UnsafeMutablePointer<Int64>
    let scoreLevel: UnsafeMutablePointer<UInt8>
    let level: UnsafeMutablePointer<UInt8>
    let floor: UnsafeMutablePointer<UInt16>
    let previousScore: UnsafeMutablePointer<Int64>?
}

private func withOutput(_ r: inout RiskResult, _ body: (OutputColumns) -> Void) {
    var previous = r.previousScore ?? []
    let hasPrevious = r.previousScore != nil
    r.power.withUnsafeMutableBufferPointer { power in
        r.discretion.withUnsafeMutableBufferPointer { discretion in
            r.historyRaw.withUnsafeMutableBufferPointer { historyRaw in
                r.history.withUnsafeMutableBufferPointer { history in
                    r.score.withUnsafeMutableBufferPointer { score in
                        r.scoreLevel.withUnsafeMutableBufferPointer { scoreLevel in
                            r.level.withUnsafeMutableBufferPointer { level in
                                r.floor.withUnsafeMutableBufferPointer { floor in
                                    previous.withUnsafeMutableBufferPointer { prev in
                                        body(OutputColumns(
                                            power: power.baseAddress!, discretion: discretion.baseAddress!,
                                            historyRaw: historyRaw.baseAddress!, history: history.baseAddress!,
                                            score: score.baseAddress!, scoreLevel: scoreLevel.baseAddress!,
                                            level: level.baseAddress!, floor: floor.baseAddress!,
                                            previousScore: hasPrevious ? prev.baseAddress : nil))
                                    }
                                }
                            }
                        }
                    }
                }
            }
        }
    }
    if hasPrevious { r.previousScore = previous }
}
