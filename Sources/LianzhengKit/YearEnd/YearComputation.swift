/// Everything SPEC §4–§6 computes for one snapshot, scheme and year.
public struct YearComputation: Sendable {
    public let dataset: Dataset
    public let scheme: Scheme
    public let year: Int
    /// Risk scores with the previous year's score (for SCORE_JUMP).
    public let risk: RiskResult
    public let flags: FlagReport
    public let riskPoints: RiskPointReport
    public let assessment: AssessmentOutcome

    /// Runs the kernel, the flags and the assessment. The result does not
    /// depend on `threads`.
    /// - Throws: `.usage` for a year outside 1…9999.
    public init(dataset: Dataset, scheme: Scheme, year: Int, threads: Int? = nil) throws(LianzhengError) {
        guard Arguments.years.contains(year) else { throw .usage("年度须为 1 至 9999: \(year)") }
        self.dataset = dataset
        self.scheme = scheme
        self.year = year
        var timer = PhaseTimer()
        // The assessment (SPEC §5) does not depend on the risk scores: it runs
        // on its own thread meanwhile (it is one pass; the kernel and the
        // flags use every core).
        let assessed = BackgroundTask { AssessmentEngine.compute(dataset: dataset, scheme: scheme, year: year) }
        let input = try RiskInput(dataset: dataset, scheme: scheme)
        timer.mark("kernel input")
        risk = RiskKernel(scheme: scheme, year: year, withPreviousYear: true).run(input, threads: threads)
        timer.mark("kernel")
        flags = FlagReport(dataset: dataset, risk: risk, scheme: scheme, year: year, threads: threads)
        timer.mark("flags")
        riskPoints = RiskPointReport(dataset: dataset, level: risk.level, scheme: scheme, year: year)
        timer.mark("risk points")
        assessment = assessed.value()
        timer.mark("wait for the assessment")
    }

    /// This computation with `dataset` in place of its own: the same data
    /// with its fingerprint, computed while the kernel ran.
    func replacing(dataset: Dataset) -> YearComputation {
        YearComputation(
            dataset: dataset, scheme: scheme, year: year, risk: risk, flags: flags, riskPoints: riskPoints,
            assessment: assessment)
    }

    /// Assembles a computation from parts computed elsewhere — by a what-if
    /// that reuses the parts of its baseline the alternative scheme cannot
    /// change (`init(reusing:scheme:threads:)`). The caller vouches that each
    /// part is what `init(dataset:scheme:year:threads:)` would compute.
    init(
        dataset: Dataset, scheme: Scheme, year: Int, risk: RiskResult, flags: FlagReport,
        riskPoints: RiskPointReport, assessment: AssessmentOutcome
    ) {
        self.dataset = dataset
        self.scheme = scheme
        self.year = year
        self.risk = risk
        self.flags = flags
        self.riskPoints = riskPoints
        self.assessment = assessment
    }
}

/// What identifies a run (SPEC §7): dataset, scheme, program version, year
/// — and, for a what-if (测算) run, the baseline run it compares against.
public struct RunIdentity: Sendable, Equatable {
    public var datasetFingerprint: String
    public var schemeFingerprint: String
    public var programVersion: String
    public var year: Int
    /// The baseline of a what-if run; nil for a year-end run. Part of the id,
    /// so a what-if never shares its id (and its execution log) with a
    /// year-end run of the same scheme, its baseline included.
    public var baselineRunID: String?

    public init(
        datasetFingerprint: String, schemeFingerprint: String, programVersion: String = Version.program, year: Int,
        baselineRunID: String? = nil
    ) {
        self.datasetFingerprint = datasetFingerprint
        self.schemeFingerprint = schemeFingerprint
        self.programVersion = programVersion
        self.year = year
        self.baselineRunID = baselineRunID
    }

    /// The first 16 hex digits of the SHA-256 of the four, one per line
    /// (for a what-if run, followed by `whatif BASELINE` on a fifth line).
    public var runID: String {
        var text = "\(datasetFingerprint)\n\(schemeFingerprint)\n\(programVersion)\n\(year)\n"
        if let baselineRunID { text += "whatif \(baselineRunID)\n" }
        return String(SHA256.hex(of: text).prefix(16))
    }
}
