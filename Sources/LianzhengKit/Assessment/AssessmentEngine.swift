/// Computes 考核结果 (SPEC §5) exactly, in integer hundredths end to end.
///
/// The steps, each a pass over columns:
/// 1. subjects of Y: the units and posts with an assessment or adjustment row in Y;
/// 2. base, 加分 and 扣分 sums and 一票否决 rows from those rows;
/// 3. automatic deductions and incident vetoes, rolled up from posts to
///    every ancestor unit in one pass over the unit tree (`IncidentScope`);
/// 4. deductions, total, veto and band;
/// 5. quota groups, 优秀 allowance, quota status and rank (`QuotaAllocation`).
public enum AssessmentEngine {
    /// The assessment result of `year` for every subject of `dataset`.
    /// - Complexity: O(units + posts + incidents + rows of Y + Σ g log g) for
    ///   quota groups of size g; no step is quadratic.
    public static func compute(dataset: Dataset, scheme: Scheme, year: Int) -> AssessmentOutcome {
        let tree = UnitTree(units: dataset.units, posts: dataset.posts)
        var outcome = AssessmentOutcome(year: year, scheme: scheme, dataset: dataset, tree: tree)
        collectSubjects(into: &outcome)
        sumRows(into: &outcome)
        let scope = IncidentScope(dataset: dataset, scheme: scheme, year: year, tree: tree)
        settle(&outcome, scope: scope)
        QuotaAllocation.apply(to: &outcome)
        return outcome
    }

    // MARK: - 1. Subjects

    /// The rows of one subject in a table sorted by (year, subject type, subject, …).
    struct SubjectRun {
        var type: UInt8
        var subject: Int32
        var start: Int32
        var end: Int32
    }

    /// The runs of rows of `year`, in (type raw value, subject) order.
    /// - Complexity: O(log rows + rows of Y).
    static func runs(of year: Int, years: [Int32], types: [UInt8], subjects: [Int32]) -> [SubjectRun] {
        guard let y = Int32(exactly: year) else { return [] }
        var lo = 0
        var hi = years.count
        while lo < hi {
            let mid = (lo + hi) / 2
            if years[mid] < y { lo = mid + 1 } else { hi = mid }
        }
        var result: [SubjectRun] = []
        var i = lo
        while i < years.count, years[i] == y {
            let start = i
            let (t, s) = (types[i], subjects[i])
            while i < years.count, years[i] == y, types[i] == t, subjects[i] == s { i += 1 }
            result.append(SubjectRun(type: t, subject: s, start: Int32(start), end: Int32(i)))
        }
        return result
    }

    /// Appends one row per subject of Y, posts then units (the order
    /// `post` < `unit` as printed), each by subject index (= id bytes).
    private static func collectSubjects(into o: inout AssessmentOutcome) {
        let d = o.dataset
        let scored = runs(of: o.year, years: d.assessments.year, types: d.assessments.subjectType, subjects: d.assessments.subject)
        let adjusted = runs(of: o.year, years: d.adjustments.year, types: d.adjustments.subjectType, subjects: d.adjustments.subject)
        for type in SubjectType.allCases.sorted() {  // as printed: "post" < "unit"
            let a = scored.filter { $0.type == type.rawValue }
            let b = adjusted.filter { $0.type == type.rawValue }
            var i = 0
            var j = 0
            while i < a.count || j < b.count {
                let s = min(i < a.count ? a[i].subject : .max, j < b.count ? b[j].subject : .max)
                let scoreRun = i < a.count && a[i].subject == s ? a[i] : nil
                let adjustmentRun = j < b.count && b[j].subject == s ? b[j] : nil
                if scoreRun != nil { i += 1 }
                if adjustmentRun != nil { j += 1 }
                appendSubject(type, s, scoreRun, adjustmentRun, to: &o)
            }
        }
    }

    private static func appendSubject(
        _ type: SubjectType, _ s: Int32, _ scores: SubjectRun?, _ adjustments: SubjectRun?,
        to o: inout AssessmentOutcome
    ) {
        let row = Int32(o.type.count)
        if type == .unit { o.rowOfUnit[Int(s)] = row } else { o.rowOfPost[Int(s)] = row }
        o.type.append(type)
        o.subject.append(s)
        o.assessmentStart.append(scores?.start ?? 0)
        o.assessmentEnd.append(scores?.end ?? 0)
        o.adjustmentStart.append(adjustments?.start ?? 0)
        o.adjustmentEnd.append(adjustments?.end ?? 0)
    }

    // MARK: - 2. Rows of Y

    /// base, 加分 sum, 扣分 sum and 一票否决 rows of every subject.
    /// - Complexity: O(rows of Y × indicators).
    private static func sumRows(into o: inout AssessmentOutcome) {
        let n = o.count
        let matcher = IndicatorMatcher(scheme: o.scheme)
        let scores = o.dataset.assessments
        let adjustments = o.dataset.adjustments
        o.base = [Int64](repeating: 0, count: n)
        o.bonusSum = [Int64](repeating: 0, count: n)
        o.manualDeductions = [Int64](repeating: 0, count: n)
        o.vetoByAdjustment = [Bool](repeating: false, count: n)
        for i in 0..<n {
            for r in Int(o.assessmentStart[i])..<Int(o.assessmentEnd[i]) where matcher.index(of: r, in: scores.indicator) != nil {
                o.base[i] += scores.score[r]
            }
            for r in Int(o.adjustmentStart[i])..<Int(o.adjustmentEnd[i]) {
                switch AdjustmentType(rawValue: adjustments.type[r]) {
                case .bonus: o.bonusSum[i] += adjustments.points[r]
                case .deduction: o.manualDeductions[i] += adjustments.points[r]
                case .veto: o.vetoByAdjustment[i] = true
                case nil: break
                }
            }
        }
    }

    // MARK: - 4. Deductions, total, veto, band

    /// SPEC §5: bonus capped, deductions capped, total floored at 0, band
    /// (the last band when vetoed).
    /// - Complexity: O(subjects × bands).
    private static func settle(_ o: inout AssessmentOutcome, scope: IncidentScope) {
        let rules = o.scheme.assessment
        let lastBand = Int32(rules.bands.count - 1)
        for i in 0..<o.count {
            let s = Int(o.subject[i])
            let isUnit = o.type[i] == .unit
            let automatic = isUnit ? scope.unitPoints[s] : scope.postPoints[s]
            let deductionSum = o.manualDeductions[i] + automatic
            let deductions = rules.deductionCap.map { min($0, deductionSum) } ?? deductionSum
            let bonus = min(rules.bonusCap, o.bonusSum[i])
            let total = max(0, o.base[i] + bonus - deductions)
            let vetoByIncident = isUnit ? scope.unitVeto[s] : scope.postVeto[s]
            o.bonus.append(bonus)
            o.automaticDeductions.append(automatic)
            o.deductions.append(deductions)
            o.total.append(total)
            o.vetoByIncident.append(vetoByIncident)
            let vetoed = vetoByIncident || o.vetoByAdjustment[i]
            o.band.append(vetoed ? lastBand : Int32(o.scheme.band(forTotal: total)))
        }
    }
}

/// Finds which scheme indicator an assessment row names, by comparing UTF-8
/// bytes (no `String` per row).
struct IndicatorMatcher: Sendable {
    private let names: [[UInt8]]

    init(scheme: Scheme) {
        names = scheme.assessment.indicators.map { Array($0.name.utf8) }
    }

    /// Index into `scheme.assessment.indicators`, nil for a name the scheme
    /// does not have (possible when a snapshot is assessed with another scheme).
    /// - Complexity: O(indicators × name length).
    func index(of row: Int, in column: TextColumn) -> Int? {
        column.withBytes(row) { bytes in names.firstIndex { $0.withUnsafeBufferPointer { sameBytes($0, bytes) } } }
    }
}
