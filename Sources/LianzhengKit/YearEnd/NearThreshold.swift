/// 边界附近 (SPEC §8): posts whose score is within 2 points of a level
/// threshold, the cases a committee argues about.
public struct NearLevelThreshold: Sendable, Equatable {
    public var post: Int
    /// The level whose minimum is nearest.
    public var level: Int
    /// score − min_score, hundredths (negative: just below).
    public var distance: Int64
}

extension YearComputation {
    /// Posts with |score − min_score| ≤ `margin` for some level minimum
    /// above 0 (the last level's 0 is no line anyone argues about), with
    /// the nearest such minimum, in post_id order.
    /// - Complexity: O(posts × levels).
    public func postsNearLevelThresholds(margin: Int64 = 200) -> [NearLevelThreshold] {
        let minimums = scheme.levels.enumerated().filter { $0.element.minScoreHundredths > 0 }
        var out: [NearLevelThreshold] = []
        for p in 0..<risk.count {
            let s = risk.score[p]
            var best: NearLevelThreshold? = nil
            for (k, level) in minimums {
                let d = s - level.minScoreHundredths
                if abs(d) <= margin, best == nil || abs(d) < abs(best!.distance) {
                    best = NearLevelThreshold(post: p, level: k, distance: d)
                }
            }
            if let best { out.append(best) }
        }
        return out
    }
}
