/// 测算对比 (SPEC §8 `whatif`): the same snapshot and year under the baseline
/// scheme and an alternative one, side by side.
///
/// A level or band is identified by its name, so an alternative scheme may
/// add, drop or reorder levels and bands: a post "changes level" when the
/// name of its level differs. Subjects are the same under both schemes (they
/// depend on the data and the year only) and sit in the same outcome rows.
///
/// Built in one pass over posts and one over subjects; every list is in the
/// order of the output files (posts by post_id, subjects in assessments.csv
/// order, units by unit_id).
public struct WhatIfComparison: Sendable {
    /// The baseline run's computation.
    public let baseline: YearComputation
    /// The computation under the alternative scheme.
    public let alternative: YearComputation
    /// The parts the alternative reused from the baseline.
    public let reused: ReusableParts
    /// The scheme values that differ.
    public let schemeChanges: [SchemeValueChange]
    /// For each baseline level, the alternative level of the same name, -1 when none.
    public let levelMap: [Int]
    /// For each baseline band, the alternative band of the same name, -1 when none.
    public let bandMap: [Int]
    /// Posts whose level changes, in post_id order.
    public let levelChanges: [Int32]
    /// Outcome rows whose band, rank or quota status changes, in assessments.csv order.
    public let subjectChanges: [Int32]
    /// `levelMatrix[from][to]`: posts at baseline level `from` and alternative level `to`.
    public let levelMatrix: [[Int]]
    /// `bandMatrix[SubjectType.rawValue][from][to]`: subjects of that type at
    /// baseline band `from` and alternative band `to`.
    public let bandMatrix: [[[Int]]]
    /// Per unit, the units with at least one change, in unit_id order.
    public let units: [UnitChanges]
    /// 边界附近 under the baseline scheme.
    public let baselineNearLines: NearLines
    /// 边界附近 under the alternative scheme.
    public let alternativeNearLines: NearLines

    /// What changed within one unit.
    public struct UnitChanges: Sendable, Equatable {
        /// Row index in `dataset.units`.
        public var unit: Int
        /// Posts directly in the unit.
        public var posts = 0
        /// Of them, posts whose level changes.
        public var levelChanges = 0
        /// Of those, posts moved to a more severe level (only counted when the
        /// baseline level's name exists in the alternative scheme).
        public var moreSevere = 0
        /// Of those, posts moved to a less severe level.
        public var lessSevere = 0
        /// Subjects — the unit itself and its posts — whose band, rank or quota status changes.
        public var subjectChanges = 0
        /// Of them, subjects whose band changes.
        public var bandChanges = 0

        /// No change yet in unit `unit`.
        public init(unit: Int) { self.unit = unit }

        var isEmpty: Bool { levelChanges == 0 && subjectChanges == 0 }
    }

    /// 边界附近 (SPEC §8) under one scheme.
    public struct NearLines: Sendable, Equatable {
        /// Posts within 2 points of a level threshold.
        public var posts: [NearLevelThreshold]
        /// Subjects within 1 point of a band threshold.
        public var subjects: [NearBandThreshold]

        /// The near-the-line lists of `c`, with SPEC §8's margins.
        public init(_ c: YearComputation) {
            posts = c.postsNearLevelThresholds(margin: 200)
            subjects = c.assessment.nearBandThresholds(within: 100)
        }

        /// Lists computed elsewhere.
        public init(posts: [NearLevelThreshold], subjects: [NearBandThreshold]) {
            self.posts = posts
            self.subjects = subjects
        }
    }

    /// Compares `alternative` with `baseline`; both must be of the same
    /// dataset and year.
    /// - Complexity: O(posts + subjects + units + levels² + bands²).
    public init(baseline: YearComputation, alternative: YearComputation) {
        precondition(baseline.dataset.posts.count == alternative.dataset.posts.count && baseline.year == alternative.year,
            "a what-if compares one dataset and year")
        precondition(baseline.assessment.count == alternative.assessment.count, "subjects differ")
        self.baseline = baseline
        self.alternative = alternative
        reused = ReusableParts(from: baseline.scheme, to: alternative.scheme)
        schemeChanges = SchemeValueChange.between(baseline.scheme, alternative.scheme)
        let altLevels = alternative.scheme.levels.map(\.name)
        let levelMap = baseline.scheme.levels.map { level in altLevels.firstIndex(of: level.name) ?? -1 }
        let altBands = alternative.scheme.assessment.bands.map(\.name)
        let bandMap = baseline.scheme.assessment.bands.map { band in altBands.firstIndex(of: band.name) ?? -1 }
        self.levelMap = levelMap
        self.bandMap = bandMap

        let d = baseline.dataset
        var unitChanges = (0..<d.units.count).map { UnitChanges(unit: $0) }

        // Posts: one pass.
        var levelMatrix = [[Int]](repeating: [Int](repeating: 0, count: altLevels.count), count: levelMap.count)
        var levelChanges: [Int32] = []
        if reused.risk && levelMap == Array(0..<levelMap.count) {
            // Same levels, same result: only the matrix's diagonal and the post counts.
            for (p, level) in baseline.risk.level.enumerated() {
                levelMatrix[Int(level)][Int(level)] += 1
                unitChanges[Int(d.posts.unit[p])].posts += 1
            }
        } else {
            let from = baseline.risk.level
            let to = alternative.risk.level
            for p in 0..<from.count {
                let (f, t) = (Int(from[p]), Int(to[p]))
                levelMatrix[f][t] += 1
                let u = Int(d.posts.unit[p])
                unitChanges[u].posts += 1
                let same = levelMap[f]
                guard same != t else { continue }
                levelChanges.append(Int32(p))
                unitChanges[u].levelChanges += 1
                if same >= 0 {
                    if t < same { unitChanges[u].moreSevere += 1 } else { unitChanges[u].lessSevere += 1 }
                }
            }
        }
        self.levelMatrix = levelMatrix
        self.levelChanges = levelChanges

        // Subjects: one pass.
        let a = baseline.assessment
        let b = alternative.assessment
        var bandMatrix = SubjectType.allCases.map { _ in
            [[Int]](repeating: [Int](repeating: 0, count: altBands.count), count: bandMap.count)
        }
        var subjectChanges: [Int32] = []
        for i in 0..<a.count {
            let (f, t) = (Int(a.band[i]), Int(b.band[i]))
            bandMatrix[Int(a.type[i].rawValue)][f][t] += 1
            let bandChanged = bandMap[f] != t
            guard bandChanged || a.rank[i] != b.rank[i] || a.quotaStatus[i] != b.quotaStatus[i] else { continue }
            subjectChanges.append(Int32(i))
            let s = Int(a.subject[i])
            let u = a.type[i] == .unit ? s : Int(d.posts.unit[s])
            unitChanges[u].subjectChanges += 1
            if bandChanged { unitChanges[u].bandChanges += 1 }
        }
        self.bandMatrix = bandMatrix
        self.subjectChanges = subjectChanges
        units = unitChanges.filter { !$0.isEmpty }
        baselineNearLines = NearLines(baseline)
        alternativeNearLines = NearLines(
            posts: reused.risk ? baselineNearLines.posts : alternative.postsNearLevelThresholds(margin: 200),
            subjects: reused.assessment ? baselineNearLines.subjects : alternative.assessment.nearBandThresholds(within: 100))
    }

    /// Whether outcome row `i`'s band changes (by name).
    public func bandChanged(row i: Int) -> Bool {
        bandMap[Int(baseline.assessment.band[i])] != Int(alternative.assessment.band[i])
    }

    /// Post `p`'s level moved to a more severe (−1), less severe (+1) or
    /// incomparable (0, the baseline level's name is not in the alternative
    /// scheme) level; 0 too when it did not move.
    public func levelDirection(post p: Int) -> Int {
        let same = levelMap[Int(baseline.risk.level[p])]
        let to = Int(alternative.risk.level[p])
        guard same >= 0, same != to else { return 0 }
        return to < same ? -1 : 1
    }
}
