/// A small, fast, seedable generator (SplitMix64), so that tests and
/// benchmarks make the same data on every machine.
public struct SeededRandom: RandomNumberGenerator, Sendable {
    private var state: UInt64

    public init(seed: UInt64) { state = seed }

    public mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}

/// Generates realistic datasets of any size from a seed: units in a
/// two-level tree, posts with ~5 powers and ~5 incidents each, kinds drawn
/// from the scheme, amounts spread over orders of magnitude, dates over the
/// seven years before `year`, assessments and adjustments for `year`.
public enum SyntheticDataset {
    public static func make(
        posts postCount: Int, seed: UInt64, scheme: Scheme, year: Int = 2025,
        powersPerPost: Int = 5, incidentsPerPost: Int = 5
    ) -> Dataset {
        var rng = SeededRandom(seed: seed)
        var d = Dataset()
        let unitCount = Swift.max(1, postCount / 50)
        let parents = Swift.max(1, unitCount / 20)
        for u in 0..<unitCount {
            d.units.id.append("U" + pad(u, 7))
            d.units.name.append("单位\(u)")
            d.units.parent.append(u < parents ? -1 : Int32(Int.random(in: 0..<parents, using: &rng)))
            d.units.kind.append(u < parents ? "局" : "科室")
        }
        let categories = ["行政审批", "执法检查", "财务", "采购", "人事", "综合", "信贷", ""]
        let levels = scheme.levels.map(\.name)
        for p in 0..<postCount {
            d.posts.id.append("P" + pad(p, 8))
            d.posts.unit.append(Int32(Int.random(in: 0..<unitCount, using: &rng)))
            d.posts.name.append("岗位\(p)")
            d.posts.category.append(categories[Int.random(in: 0..<categories.count, using: &rng)])
            d.posts.holder.append("人员\(p)")
            d.posts.tenureYears.append(Int.random(in: 0..<10, using: &rng) == 0 ? .nan : Double(Int.random(in: 0...120, using: &rng)) / 10)
            d.posts.selfLevel.append(Bool.random(using: &rng) ? levels[Int.random(in: 0..<levels.count, using: &rng)] : "")
            d.posts.controls.append(Int32(Int.random(in: -1...6, using: &rng)))
            d.posts.keyDecisions.append(Int.random(in: 0..<8, using: &rng) == 0)
        }
        let powerKinds = scheme.risk.powerKinds.map(\.name)
        let incidentKinds = scheme.risk.incidentKinds.map(\.name)
        let asOf = Int(CivilDate.endOfYear(year))
        var incidentNumber = 0
        for p in 0..<postCount {
            let powers = Int.random(in: 0...(2 * powersPerPost), using: &rng)
            for k in 0..<powers {
                d.powers.post.append(Int32(p))
                d.powers.name.append("职权\(k)")
                d.powers.kind.append(powerKinds[Int.random(in: 0..<powerKinds.count, using: &rng)])
                d.powers.annualCount.append(Int64(Int.random(in: 0...2000, using: &rng)))
                let magnitude = Double(Int.random(in: 0...5, using: &rng))
                d.powers.amount.append(Int.random(in: 0..<4, using: &rng) == 0 ? 0 : (Double(Int.random(in: 0...99_999, using: &rng)) / 100) * pow10(magnitude - 2))
                d.powers.discretion.append(UInt8(Int.random(in: 0...4, using: &rng)))
            }
            let incidents = Int.random(in: 0...(2 * incidentsPerPost), using: &rng)
            for _ in 0..<incidents {
                d.incidents.id.append("X" + pad(incidentNumber, 9))
                incidentNumber += 1
                d.incidents.post.append(Int32(p))
                d.incidents.date.append(Int32(asOf - Int.random(in: -200...(7 * 366), using: &rng)))
                d.incidents.kind.append(incidentKinds[Int.random(in: 0..<incidentKinds.count, using: &rng)])
                d.incidents.status.append(UInt8(Int.random(in: 0...3, using: &rng)))
            }
        }
        let indicators = scheme.assessment.indicators
        for p in 0..<postCount where Int.random(in: 0..<3, using: &rng) == 0 {
            for ind in indicators {
                d.assessments.year.append(Int32(year))
                d.assessments.subjectType.append(SubjectType.post.rawValue)
                d.assessments.subject.append(Int32(p))
                d.assessments.indicator.append(ind.name)
                d.assessments.score.append(Int64(Double(ind.max) * Double(Int.random(in: 550...1000, using: &rng)) / 1000))
            }
            if Int.random(in: 0..<5, using: &rng) == 0 {
                d.adjustments.year.append(Int32(year))
                d.adjustments.subjectType.append(SubjectType.post.rawValue)
                d.adjustments.subject.append(Int32(p))
                let type = AdjustmentType(rawValue: UInt8(Int.random(in: 0...2, using: &rng)))!
                d.adjustments.type.append(type.rawValue)
                d.adjustments.points.append(type == .veto ? 0 : Int64(Int.random(in: 0...400, using: &rng)))
                d.adjustments.reason.append("事由")
            }
        }
        d.canonicalize()
        return d
    }

    private static func pad(_ v: Int, _ width: Int) -> String {
        let s = String(v)
        return String(repeating: "0", count: Swift.max(0, width - s.count)) + s
    }

    private static func pow10(_ e: Double) -> Double {
        var r = 1.0
        var k = Int(e)
        if k >= 0 {
            while k > 0 { r *= 10; k -= 1 }
        } else {
            while k < 0 { r /= 10; k += 1 }
        }
        return r
    }
}
