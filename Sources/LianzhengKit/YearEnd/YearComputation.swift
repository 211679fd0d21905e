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
    public init(dataset: Dataset, scheme: Scheme, year: Int, threads: Int? = nil) throws(LianzhengError) {
        self.dataset = dataset
        self.scheme = scheme
        self.year = year
        let input = try RiskInput(dataset: dataset, scheme: scheme)
        risk = RiskKernel(scheme: scheme, year: year, withPreviousYear: true).run(input, threads: threads)
        flags = FlagReport(dataset: dataset, risk: risk, scheme: scheme, year: year, threads: threads)
        riskPoints = RiskPointReport(dataset: dataset, level: risk.level, scheme: scheme, year: year)
        assessment = AssessmentEngine.compute(dataset: dataset, scheme: scheme, year: year)
    }
}

/// What identifies a run (SPEC §7): dataset, scheme, program version, year.
public struct RunIdentity: Sendable, Equatable {
    public var datasetFingerprint: String
    public var schemeFingerprint: String
    public var programVersion: String
    public var year: Int

    public init(datasetFingerprint: String, schemeFingerprint: String, programVersion: String = Version.program, year: Int) {
        self.datasetFingerprint = datasetFingerprint
        self.schemeFingerprint = schemeFingerprint
        self.programVersion = programVersion
        self.year = year
    }

    /// The first 16 hex digits of the SHA-256 of the four, one per line.
    public var runID: String {
        let text = "\(datasetFingerprint)\n\(schemeFingerprint)\n\(programVersion)\n\(year)\n"
        return String(SHA256.hex(of: text).prefix(16))
    }
}
