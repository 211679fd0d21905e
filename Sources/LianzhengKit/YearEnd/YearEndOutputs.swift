import Foundation

/// The files of a year-end run (SPEC §7), rendered in memory so that the
/// same bytes serve writing, hashing and `verify`.
public struct YearEndOutputs: Sendable {
    /// (file name, bytes), sorted by name; MANIFEST not included.
    public var files: [(name: String, bytes: [UInt8])]

    public init(_ c: YearComputation, run: RunIdentity, chineseHeaders: Bool) {
        let units = UnitsCSV.rows(c)
        files = [
            ("assessments.csv", c.assessment.assessmentsCSV(chineseHeaders: chineseHeaders)),
            ("flags.csv", FlagsCSV.render(c.flags, chineseHeaders: chineseHeaders)),
            ("posts.csv", PostsCSV.render(year: c.year, dataset: c.dataset, scheme: c.scheme, risk: c.risk,
                chineseHeaders: chineseHeaders, flags: { c.flags.flagCodes(post: $0) })),
            ("report.html", ReportHTML.render(c, run: run, units: units)),
            ("risk_points.csv", RiskPointsCSV.render(c.riskPoints, chineseHeaders: chineseHeaders)),
            ("scorecards.json", ScorecardsJSON.render(c, run: run, units: units)),
            ("units.csv", UnitsCSV.render(c, rows: units, chineseHeaders: chineseHeaders)),
        ].sorted { utf8Precedes($0.0, $1.0) }
    }

    /// `sha256  filename` per file, sorted by name (sha256sum's format, so
    /// `sha256sum -c MANIFEST` checks an output folder).
    public var manifest: String {
        files.map { "\(SHA256.hex(of: $0.bytes))  \($0.name)\n" }.joined()
    }

    /// Writes every file, then MANIFEST, each to a temporary name renamed
    /// into place: an interrupted run never leaves a half file.
    public func write(to directory: String) throws(LianzhengError) {
        try makeDirectory(directory)
        for (name, bytes) in files { try writeAtomically(bytes, to: directory + "/" + name) }
        try writeAtomically(Array(manifest.utf8), to: directory + "/MANIFEST")
    }
}

/// Parses MANIFEST text into file name → hash.
public func parseManifest(_ text: String) -> [String: String] {
    var out: [String: String] = [:]
    for line in text.split(separator: "\n") {
        let parts = line.split(separator: " ", maxSplits: 1, omittingEmptySubsequences: true)
        if parts.count == 2 { out[parts[1].trimmingCharacters(in: .whitespaces)] = String(parts[0]) }
    }
    return out
}
