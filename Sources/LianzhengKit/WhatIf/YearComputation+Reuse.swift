/// Which parts of a year's computation a scheme change leaves as they are.
///
/// SPEC §4–§6 read disjoint parts of the scheme: the kernel reads `risk`,
/// the level minimums and `level_floors`; the flags and the risk-point flags
/// read the kernel's result, the levels (names, aliases, supervisors) and
/// `flags`; the assessment reads `assessment` only. A part whose inputs are
/// equal under two schemes is equal too, bit for bit.
///
/// Sections are compared in canonical JSON (sorted keys, numbers in shortest
/// form), so the order a scheme file lists its power kinds in does not count
/// as a change.
public struct ReusableParts: Sendable, Equatable {
    /// Risk scores and levels (and the previous year's scores).
    public var risk: Bool
    /// 预警清单 and the risk-point flags.
    public var flags: Bool
    /// 考核结果.
    public var assessment: Bool
    /// The points of every subject — base, bonus, deductions, total, veto:
    /// everything in `assessment` but `bands` and `quota` is the same, so a
    /// changed assessment only needs its bands, quota and ranks redone.
    public var assessmentPoints: Bool

    /// What `to` can reuse of a computation under `from`.
    public init(from: Scheme, to: Scheme) {
        guard let x = try? JSONValue(parsing: from.canonicalJSON), let y = try? JSONValue(parsing: to.canonicalJSON) else {
            (risk, flags, assessment, assessmentPoints) = (false, false, false, false)
            return
        }
        func same(_ key: String) -> Bool { x[key] != nil && x[key] == y[key] }
        func pointRules(_ json: JSONValue) -> [(key: String, value: JSONValue)]? {
            json["assessment"]?.objectMembers?.filter { $0.key != "bands" && $0.key != "quota" }
        }
        // A floor names its level; the kernel uses the level's index, which a
        // renamed level list may change while the JSON of the floors stays.
        risk = same("risk") && same("level_floors") && from.levelFloors.map(\.level) == to.levelFloors.map(\.level)
            && from.levels.map(\.minScoreHundredths) == to.levels.map(\.minScoreHundredths)
        flags = risk && same("levels") && same("flags")
        assessment = same("assessment")
        if let p = pointRules(x), let q = pointRules(y) {
            assessmentPoints = JSONValue.object(p) == JSONValue.object(q)
        } else {
            assessmentPoints = false
        }
    }
}

extension YearComputation {
    /// The computation of `base`'s dataset and year under `scheme`, reusing
    /// every part of `base` that `scheme` cannot change (`ReusableParts`) and
    /// computing the rest. Equal to `init(dataset:scheme:year:threads:)` in
    /// every number; only the time differs — a change of `assessment.*` alone
    /// costs one assessment pass instead of the kernel, the flags and the
    /// assessment.
    ///
    /// A reused part keeps a reference to `base.scheme`; it reads only the
    /// sections that are equal in both schemes.
    /// - Throws: `.invalid` when the snapshot uses a kind `scheme` lacks.
    /// - Complexity: O(posts + powers + incidents) for a recomputed kernel,
    ///   O(assessment rows + incidents) for a recomputed assessment,
    ///   O(subjects + Σ g log g) for one regraded under other bands or
    ///   quota, O(1) for a reused part.
    public init(reusing base: YearComputation, scheme: Scheme, threads: Int? = nil) throws(LianzhengError) {
        let parts = ReusableParts(from: base.scheme, to: scheme)
        let d = base.dataset
        let year = base.year
        let risk: RiskResult
        if parts.risk {
            risk = base.risk
        } else {
            let input = try RiskInput(dataset: d, scheme: scheme)
            risk = RiskKernel(scheme: scheme, year: year, withPreviousYear: true).run(input, threads: threads)
        }
        let flags = parts.flags ? base.flags : FlagReport(dataset: d, risk: risk, scheme: scheme, year: year, threads: threads)
        let riskPoints = parts.flags ? base.riskPoints : RiskPointReport(dataset: d, level: risk.level, scheme: scheme, year: year)
        let assessment =
            parts.assessment
            ? base.assessment
            : parts.assessmentPoints
                ? base.assessment.regraded(under: scheme)
                : AssessmentEngine.compute(dataset: d, scheme: scheme, year: year)
        self.init(
            dataset: d, scheme: scheme, year: year, risk: risk, flags: flags, riskPoints: riskPoints, assessment: assessment)
    }
}

extension AssessmentOutcome {
    /// The same subjects and points under `scheme`, whose assessment rules
    /// differ from this outcome's only in `bands` and `quota`
    /// (`ReusableParts.assessmentPoints`): bands from the totals again (the
    /// last band when vetoed), then quota and ranks (SPEC §5). Equal to
    /// `AssessmentEngine.compute` under `scheme`, without summing a row.
    /// - Complexity: O(subjects × bands + Σ g log g) over quota groups of size g.
    func regraded(under scheme: Scheme) -> AssessmentOutcome {
        var o = self
        o.scheme = scheme
        let last = Int32(scheme.assessment.bands.count - 1)
        for i in 0..<o.count {
            o.band[i] = o.veto(at: i) ? last : Int32(scheme.band(forTotal: o.total[i]))
        }
        QuotaAllocation.apply(to: &o)
        return o
    }
}
