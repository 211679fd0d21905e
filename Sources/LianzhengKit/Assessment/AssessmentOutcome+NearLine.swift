/// A subject close to a band threshold (边界附近, SPEC §8): the cases a
/// committee argues about.
public struct NearBandThreshold: Sendable, Equatable {
    /// The outcome row.
    public var row: Int
    /// The band whose minimum is the nearest threshold (never the last band).
    public var band: Int
    /// total − that band's minimum, hundredths: ≥ 0 reached it by that
    /// much, < 0 missed it by that much.
    public var distance: Int64

    /// A near-the-line entry for outcome row `row`.
    public init(row: Int, band: Int, distance: Int64) {
        self.row = row
        self.band = band
        self.distance = distance
    }
}

extension AssessmentOutcome {
    /// Subjects whose total lies within `margin` hundredths (default 100 =
    /// 1 point, SPEC §8) of a band threshold, in row order.
    ///
    /// Precisely: the thresholds are the minimums of every band but the last
    /// (the last band's minimum is 0, below which no total can fall, so it
    /// separates nothing). A subject is near the line when it is not vetoed
    /// (a veto fixes the band whatever the total) and |total − min| ≤ margin
    /// for some threshold — distance 0 included: 90.00 is on the 优秀 line.
    /// The nearest such threshold is reported; on equal distance the higher
    /// band's. Quota status plays no part: it is about points only.
    /// - Complexity: O(subjects × bands).
    public func nearBandThresholds(within margin: Int64 = 100) -> [NearBandThreshold] {
        let bands = scheme.assessment.bands
        var result: [NearBandThreshold] = []
        for i in 0..<count where !veto(at: i) {
            var best: NearBandThreshold?
            for b in 0..<(bands.count - 1) {
                let distance = total[i] - bands[b].min
                guard distance.magnitude <= margin.magnitude else { continue }
                if best == nil || distance.magnitude < best!.distance.magnitude {
                    best = NearBandThreshold(row: i, band: b, distance: distance)
                }
            }
            if let best { result.append(best) }
        }
        return result
    }
}
