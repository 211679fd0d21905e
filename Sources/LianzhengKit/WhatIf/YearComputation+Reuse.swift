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

/// The parts of a year's computation that depend on the risk kernel: the
/// scores and levels, the 预警清单 and the risk-point flags (SPEC §4, §6).
struct RiskParts: Sendable {
    var risk: RiskResult
    var flags: FlagReport
    var riskPoints: RiskPointReport
    /// The kernel's input, kept for a what-if whose scheme resolves kinds
    /// the same way (`sameKernelInput`); nil when the parts were reused.
    var input: RiskInput?

    /// Computes all three, as `YearComputation.init` does (from `input`
    /// when one built for an equivalent scheme is at hand).
    init(dataset d: Dataset, scheme: Scheme, year: Int, threads: Int?, input given: RiskInput? = nil) throws(LianzhengError) {
        let input: RiskInput
        if let given { input = given } else { input = try RiskInput(dataset: d, scheme: scheme) }
        let risk = RiskKernel(scheme: scheme, year: year, withPreviousYear: true).run(input, threads: threads)
        self.init(dataset: d, risk: risk, scheme: scheme, year: year, threads: threads)
        self.input = input
    }

    /// Whether `RiskInput` under `a` equals `RiskInput` under `b` for any
    /// dataset: it reads only the power kinds, the incident kinds and the
    /// status factors, in scheme order.
    static func sameKernelInput(_ a: Scheme, _ b: Scheme) -> Bool {
        a.risk.powerKinds == b.risk.powerKinds && a.risk.incidentKinds == b.risk.incidentKinds
            && a.risk.statusFactors == b.risk.statusFactors
    }

    /// The flags of a kernel result computed elsewhere.
    init(dataset d: Dataset, risk: RiskResult, scheme: Scheme, year: Int, threads: Int?) {
        self.risk = risk
        flags = FlagReport(dataset: d, risk: risk, scheme: scheme, year: year, threads: threads)
        riskPoints = RiskPointReport(dataset: d, level: risk.level, scheme: scheme, year: year)
    }

    /// The parts of `base` as they are.
    init(_ base: YearComputation) {
        risk = base.risk
        flags = base.flags
        riskPoints = base.riskPoints
    }

    /// The parts under `scheme`, reusing what `parts` says `base` (computed
    /// under `baseScheme`) already has — the kernel's input too, when the
    /// kinds resolve alike.
    init(
        reusing base: RiskParts, _ parts: ReusableParts, baseScheme: Scheme, dataset d: Dataset, scheme: Scheme,
        year: Int, threads: Int?
    ) throws(LianzhengError) {
        if parts.flags {
            self = base
        } else if parts.risk {
            self.init(dataset: d, risk: base.risk, scheme: scheme, year: year, threads: threads)
        } else {
            let input = Self.sameKernelInput(baseScheme, scheme) ? base.input : nil
            try self.init(dataset: d, scheme: scheme, year: year, threads: threads, input: input)
        }
        input = nil  // no longer needed: let it go
    }
}

extension AssessmentOutcome {
    /// This outcome (computed under its own scheme) as it is under `scheme`,
    /// reusing what `parts` allows: itself, a regrading under other bands
    /// or quota, or a full computation.
    func reused(_ parts: ReusableParts, scheme: Scheme) -> AssessmentOutcome {
        if parts.assessment { return self }
        if parts.assessmentPoints { return regraded(under: scheme) }
        return AssessmentEngine.compute(dataset: dataset, scheme: scheme, year: year)
    }
}

extension YearComputation {
    /// The computation of `base`'s dataset and year under `scheme`, reusing
    /// every part of `base` that `scheme` cannot change (`ReusableParts`) and
    /// computing the rest. Equal to `init(dataset:scheme:year:threads:)` in
    /// every number; only the time differs — a change of `assessment.*` alone
    /// costs one assessment pass (bands or quota alone: a regrading) instead
    /// of the kernel, the flags and the assessment.
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
        let risk = try RiskParts(
            reusing: RiskParts(base), parts, baseScheme: base.scheme, dataset: base.dataset, scheme: scheme,
            year: base.year, threads: threads)
        self.init(dataset: base.dataset, scheme: scheme, year: base.year, risk: risk, assessment: base.assessment.reused(parts, scheme: scheme))
    }

    /// A computation from its two independent halves.
    init(dataset: Dataset, scheme: Scheme, year: Int, risk: RiskParts, assessment: AssessmentOutcome) {
        self.init(
            dataset: dataset, scheme: scheme, year: year, risk: risk.risk, flags: risk.flags, riskPoints: risk.riskPoints,
            assessment: assessment)
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
