import Foundation
import Testing
@testable import LianzhengKit

/// `whatif` (SPEC §8) on hand-worked cases: the default scheme as baseline
/// (bands 优秀 ≥ 90, 良好 ≥ 80, 及格 ≥ 60, 不及格 ≥ 0; quota 优秀 0.15;
/// levels 一级 ≥ 70, 二级 ≥ 40, 三级 ≥ 0), one `--set` as the alternative.
/// Points in hundredths (9050 = 90.50).
@Suite struct WhatIfTests {
    // MARK: - Assessment what-ifs on a hand-built unit

    /// Unit U1 (top level, itself assessed 93.00) with ten assessed posts:
    ///
    ///     P01 95.00   P02 91.00   P03 90.50   P04 90.50   P05 88.00
    ///     P06 85.00   P07 80.00   P08 70.00   P09 59.50   P10 93.00 but 一票否决
    ///
    /// Baseline, worked by hand (SPEC §5):
    /// - posts: one group of n = 10 (P10 included); allowance
    ///   floor(0.15·10 + 0.5) = floor(2.0) = 2. Candidates (≥ 90, not
    ///   vetoed) by total desc, then id: P01, P02, P03, P04 → P01 and P02
    ///   `kept` 优秀; P03 and P04 `demoted` to 良好. Last kept P02 (91.00)
    ///   ≠ first demoted P03 (90.50): no tie.
    /// - ranks (not vetoed first, total desc): P01 1, P02 2, P03 3, P04 3,
    ///   P05 5, P06 6, P07 7, P08 8, P09 9, P10 10.
    /// - bands: P05–P07 良好, P08 及格, P09 不及格, P10 不及格 (veto).
    /// - U1: the group of top-level units, n = 1, allowance
    ///   floor(0.15 + 0.5) = 0 → 93.00 is `demoted` to 良好, rank 1.
    static func unitFixture() -> Dataset {
        var f = AssessmentFixture()
        f.unit("U1")
        let bases: [(String, Int64)] = [
            ("P01", 9500), ("P02", 9100), ("P03", 9050), ("P04", 9050), ("P05", 8800),
            ("P06", 8500), ("P07", 8000), ("P08", 7000), ("P09", 5950), ("P10", 9300),
        ]
        for (id, base) in bases { f.scoredPost(id, in: "U1", base: base) }
        f.adjust(.post, "P10", .veto)
        f.scores(.unit, "U1", base: 9300)
        return f.builder.build()
    }

    /// One expected line of "考核结果变化".
    struct SubjectChange: Equatable, CustomStringConvertible {
        var id: String
        var band: (from: String, to: String)
        var rank: (from: Int, to: Int)
        var quota: (from: QuotaStatus, to: QuotaStatus)

        static func == (a: Self, b: Self) -> Bool {
            a.id == b.id && a.band == b.band && a.rank == b.rank && a.quota == b.quota
        }

        var description: String { "\(id) \(band) \(rank) \(quota)" }
    }

    struct AssessmentCase: CustomTestStringConvertible, Sendable {
        var name: String
        var set: String
        var changes: [SubjectChange]
        /// Posts: baseline band (rows) × alternative band (columns), 优秀 良好 及格 不及格.
        var postBands: [[Int]]
        /// Subject ids within 1 point of a band line under the alternative scheme.
        var nearUnderAlternative: [String]
        var testDescription: String { name }
    }

    static let assessmentCases: [AssessmentCase] = [
        // 优秀 from 92: candidates are the totals ≥ 92 — P01 (95.00) keeps
        // 优秀 (allowance 2 is not reached); U1 (93.00) is still a candidate
        // of an allowance of 0, still demoted: unchanged.
        // P02 91.00 < 92 → 良好, no longer a candidate: kept → none.
        // P03, P04 90.50 → 良好 by their totals: demoted → none (band unchanged).
        // Ranks depend on totals only: unchanged.
        // Near the lines 92/80/60 (±1.00): P02 (−1.00), P07 (0.00),
        // P09 (−0.50), U1 (+1.00); P03/P04 are 1.50 below 92, P10 is vetoed.
        AssessmentCase(
            name: "raise the 优秀 threshold to 92", set: "assessment.bands.0.min=92",
            changes: [
                SubjectChange(id: "P02", band: ("优秀", "良好"), rank: (2, 2), quota: (.kept, .none)),
                SubjectChange(id: "P03", band: ("良好", "良好"), rank: (3, 3), quota: (.demoted, .none)),
                SubjectChange(id: "P04", band: ("良好", "良好"), rank: (3, 3), quota: (.demoted, .none)),
            ],
            // 优秀: P01 → 优秀, P02 → 良好; 良好: P03–P07 stay; 及格: P08; 不及格: P09, P10.
            postBands: [[1, 1, 0, 0], [0, 5, 0, 0], [0, 0, 1, 0], [0, 0, 0, 2]],
            nearUnderAlternative: ["P02", "P07", "P09", "U1"]),
        // Share 0.3: allowance floor(0.3·10 + 0.5) = floor(3.5) = 3, exactly
        // (3000·10·2 + 10000) div 20000 = 70000 div 20000 = 3. Candidates
        // P01, P02, P03, P04: the first three keep 优秀, P04 is demoted; the
        // last kept P03 and the first demoted P04 are equal on total 90.50,
        // deductions 0 and base 90.50 → both `tie` (P03 keeps 优秀, P04
        // stays 良好). U1: floor(0.3·1 + 0.5) = 0, still demoted.
        // The band lines do not move, so the near-the-line list is the
        // baseline's: P02 (+1.00), P03 (+0.50), P04 (+0.50), P07 (0.00), P09 (−0.50).
        AssessmentCase(
            name: "quota share 0.3", set: "assessment.quota.share=0.3",
            changes: [
                SubjectChange(id: "P03", band: ("良好", "优秀"), rank: (3, 3), quota: (.demoted, .tie)),
                SubjectChange(id: "P04", band: ("良好", "良好"), rank: (3, 3), quota: (.demoted, .tie)),
            ],
            // 优秀: P01, P02 stay; 良好: P03 → 优秀, P04–P07 stay; 及格: P08; 不及格: P09, P10.
            postBands: [[2, 0, 0, 0], [1, 4, 0, 0], [0, 0, 1, 0], [0, 0, 0, 2]],
            nearUnderAlternative: ["P02", "P03", "P04", "P07", "P09"]),
    ]

    static func alternative(_ sets: [String], from base: Scheme = .default) throws -> Scheme {
        try AlternativeScheme.make(
            from: Array(base.canonicalJSON.utf8), source: "test", edits: sets.map { try SchemeSetting(argument: $0) }
        ).scheme
    }

    static func subjectIDs(_ rows: some Sequence<Int>, _ o: AssessmentOutcome) -> [String] {
        rows.map { o.subjectID(at: $0) }
    }

    @Test(arguments: assessmentCases)
    func assessmentWhatIf(_ c: AssessmentCase) throws {
        let d = Self.unitFixture()
        let comparison = try WhatIf.compare(
            dataset: d, baseline: .default, alternative: try Self.alternative([c.set]), year: 2025)
        let a = comparison.baseline.assessment
        let b = comparison.alternative.assessment

        // The baseline as worked out above.
        let baselineBands = (0..<a.count).map { "\(a.subjectID(at: $0)):\(a.bandName(at: $0)):\(a.quotaStatus[$0].code):\(a.rank[$0])" }
        #expect(baselineBands == [
            "P01:优秀:kept:1", "P02:优秀:kept:2", "P03:良好:demoted:3", "P04:良好:demoted:3", "P05:良好::5",
            "P06:良好::6", "P07:良好::7", "P08:及格::8", "P09:不及格::9", "P10:不及格::10", "U1:良好:demoted:1",
        ])

        let changes = comparison.subjectChanges.map { i32 in
            let i = Int(i32)
            return SubjectChange(
                id: a.subjectID(at: i), band: (a.bandName(at: i), b.bandName(at: i)), rank: (Int(a.rank[i]), Int(b.rank[i])),
                quota: (a.quotaStatus[i], b.quotaStatus[i]))
        }
        #expect(changes == c.changes)
        #expect(comparison.bandMatrix[Int(SubjectType.post.rawValue)] == c.postBands)
        // U1 良好 → 良好.
        #expect(comparison.bandMatrix[Int(SubjectType.unit.rawValue)] == [[0, 0, 0, 0], [0, 1, 0, 0], [0, 0, 0, 0], [0, 0, 0, 0]])

        // Only the assessment changed: the kernel's result is reused, no post changes level.
        #expect(comparison.reused == ReusableParts(from: .default, to: comparison.alternative.scheme))
        #expect(comparison.reused.risk && comparison.reused.flags && !comparison.reused.assessment)
        #expect(comparison.levelChanges.isEmpty)
        // Ten posts without powers or incidents: score 0.00, 三级 under both.
        #expect(comparison.levelMatrix == [[0, 0, 0], [0, 0, 0], [0, 0, 10]])

        // Baseline near the lines 90/80/60 (±1.00): P02 +1.00, P03 +0.50,
        // P04 +0.50, P07 0.00, P09 −0.50; U1 is 3.00 above 90.
        #expect(Self.subjectIDs(comparison.baselineNearLines.subjects.map(\.row), a) == ["P02", "P03", "P04", "P07", "P09"])
        #expect(comparison.baselineNearLines.subjects.map(\.distance) == [100, 50, 50, 0, -50])
        #expect(Self.subjectIDs(comparison.alternativeNearLines.subjects.map(\.row), b) == c.nearUnderAlternative)

        // Per unit: everything happens in U1, ten posts.
        #expect(comparison.units.count == 1)
        let u = try #require(comparison.units.first)
        #expect(u.posts == 10 && u.levelChanges == 0)
        #expect(u.subjectChanges == c.changes.count)
        #expect(u.bandChanges == c.changes.filter { $0.band.from != $0.band.to }.count)

        // whatif.csv: one record per change, after the header.
        let csv = String(decoding: comparison.csv().dropFirst(3), as: UTF8.self)
        let records = csv.split(separator: "\r\n").map(String.init)
        #expect(records.count == 1 + c.changes.count)
        #expect(records.dropFirst().allSatisfy { $0.hasPrefix("2025,assessment,post,") })
    }

    // MARK: - A level what-if

    /// 二级 from 40 down to 30 (`levels.1.min_score=30`), three posts in U1:
    /// - Q1: 行政许可 (w 1), count 0, amount 0 → P = 1·(0.5 + 0 + 0) = 0.5;
    ///   discretion 2 → D = 0.5; no incidents → H = 0;
    ///   S = (0.45·0.5 + 0.25·0.5 + 0.30·0)·100 = 35.00 → 三级 (< 40), 二级 under ≥ 30.
    /// - Q2: the same with discretion 4 → D = 1, S = (0.225 + 0.25)·100 = 47.50 → 二级 under both.
    /// - Q3: no powers → S = 0.00 → 三级 under both.
    @Test func levelThresholdWhatIf() throws {
        var b = DatasetBuilder()
        let q1 = b.post("Q1")
        let q2 = b.post("Q2")
        b.post("Q3")
        b.power(q1, kind: "行政许可", discretion: 2)
        b.power(q2, kind: "行政许可", discretion: 4)
        let d = b.build()
        let comparison = try WhatIf.compare(
            dataset: d, baseline: .default, alternative: try Self.alternative(["levels.1.min_score=30"]), year: 2025)
        #expect(comparison.baseline.risk.score == [3500, 4750, 0])
        #expect(comparison.alternative.risk.score == [3500, 4750, 0])
        #expect(comparison.levelChanges == [0])  // Q1
        #expect(comparison.levelDirection(post: 0) == -1)  // to a more severe level
        // Rows 一级 二级 三级 (baseline) × columns (alternative): Q2 二级→二级, Q1 三级→二级, Q3 三级→三级.
        #expect(comparison.levelMatrix == [[0, 0, 0], [0, 1, 0], [0, 1, 1]])
        #expect(!comparison.reused.risk && !comparison.reused.flags && comparison.reused.assessment)
        #expect(comparison.units.map { [$0.posts, $0.levelChanges, $0.moreSevere, $0.lessSevere] } == [[3, 1, 1, 0]])
        #expect(comparison.schemeChanges == [SchemeValueChange(path: "levels[1].min_score", from: "40", to: "30")])
        let csv = String(decoding: comparison.csv().dropFirst(3), as: UTF8.self)
        #expect(csv.split(separator: "\r\n").last == "2025,level,post,Q1,U1,三级,二级,35.00,35.00,,,,")
    }

    // MARK: - Reuse gives the same answer as recomputing

    /// For each edit, the computation that reuses the baseline's parts
    /// writes the very same year-end files as a plain recomputation.
    @Test(arguments: [
        ["assessment.bands.0.min=88"], ["assessment.quota.share=0.3"], ["assessment.quota=null"],
        ["risk.weights.power=0.40", "risk.weights.history=0.35"], ["levels.0.min_score=65"],
        ["levels.0.name=高风险", "levels.0.aliases=[]"], ["flags.rotation_years=3"], ["assessment.bonus_cap=2"],
    ])
    func reuseMatchesRecomputation(sets: [String]) throws {
        try Self.checkReuse(sets, baseline: .default)
    }

    /// The same under the rule-based scheme (level floors), and a swap of
    /// the names of 一级 and 二级: the floors' JSON stays, the level they
    /// name moves, so the kernel must not be reused.
    @Test(arguments: [
        ["assessment.bands.0.min=88"], ["levels.0.name=二级", "levels.1.name=一级"], ["level_floors.0.level=二级"],
        ["risk.key_decisions_floor=0.5"],
    ])
    func reuseMatchesRecomputationWithFloors(sets: [String]) throws {
        let text = try String(contentsOfFile: datasetsPath("schemes/rule-based.json"), encoding: .utf8)
        try Self.checkReuse(sets, baseline: try SchemeParser.parse(text: text, source: "rule-based").scheme)
    }

    static func checkReuse(_ sets: [String], baseline: Scheme) throws {
        let d = try DatasetReader(directory: datasetsPath("sample"), scheme: baseline).read()
        let alt = try Self.alternative(sets, from: baseline)
        let base = try YearComputation(dataset: d, scheme: baseline, year: 2025, threads: 2)
        let reused = try YearComputation(reusing: base, scheme: alt, threads: 2)
        let plain = try YearComputation(dataset: d, scheme: alt, year: 2025, threads: 1)
        let run = RunIdentity(datasetFingerprint: d.fingerprint, schemeFingerprint: alt.fingerprint, year: 2025)
        let x = YearEndOutputs(reused, run: run, chineseHeaders: false)
        let y = YearEndOutputs(plain, run: run, chineseHeaders: false)
        #expect(x.manifest == y.manifest, "\(sets)")
        // And the comparison sees what a plain recomputation sees.
        let comparison = WhatIfComparison(baseline: base, alternative: reused)
        let plainComparison = WhatIfComparison(baseline: base, alternative: plain)
        #expect(SHA256.hex(of: comparison.csv()) == SHA256.hex(of: plainComparison.csv()), "\(sets)")
    }

    /// What each kind of edit lets the what-if reuse: (risk, flags,
    /// assessment, assessment points).
    @Test(arguments: [
        (["assessment.bands.0.min=88"], [true, true, false, true]),
        (["assessment.quota.share=0.3"], [true, true, false, true]),
        (["assessment.bonus_cap=2"], [true, true, false, false]),
        (["assessment.auto_deductions.诫勉谈话=3"], [true, true, false, false]),
        (["risk.weights.power=0.40", "risk.weights.history=0.35"], [false, false, true, true]),
        (["levels.0.min_score=65"], [false, false, true, true]),
        (["levels.0.supervisor=纪委"], [true, false, true, true]),
        (["flags.peer_z=3"], [true, false, true, true]),
        (["name=测算方案"], [true, true, true, true]),
    ])
    func reusableParts(sets: [String], expected: [Bool]) throws {
        let p = ReusableParts(from: .default, to: try Self.alternative(sets))
        #expect([p.risk, p.flags, p.assessment, p.assessmentPoints] == expected, "\(sets)")
    }

    // MARK: - --set errors

    struct SetErrorCase: CustomTestStringConvertible, Sendable {
        var name: String
        var set: String
        /// Texts the message must contain: the path as given, and the
        /// scheme path of the rule that fails.
        var mentions: [String]
        var testDescription: String { name }
    }

    static let setErrorCases: [SetErrorCase] = [
        SetErrorCase(name: "index past the end", set: "assessment.bands.9.min=88", mentions: ["assessment.bands.9.min", "no such path"]),
        SetErrorCase(name: "unknown key", set: "assessment.nosuch=1", mentions: ["assessment.nosuch", "no such path"]),
        SetErrorCase(name: "path through a number", set: "assessment.bonus_cap.x=1", mentions: ["assessment.bonus_cap.x"]),
        SetErrorCase(name: "empty component", set: "assessment..min=1", mentions: ["assessment..min"]),
        SetErrorCase(name: "text for a number", set: "assessment.bands.0.min=abc", mentions: ["assessment.bands.0.min", "assessment.bands[0].min"]),
        SetErrorCase(name: "three decimal places", set: "assessment.bands.0.min=90.505", mentions: ["assessment.bands.0.min", "assessment.bands[0].min"]),
        SetErrorCase(name: "share above 1", set: "assessment.quota.share=1.5", mentions: ["assessment.quota.share"]),
        SetErrorCase(name: "weights no longer sum to 1", set: "risk.weights.history=0.35", mentions: ["risk.weights.history", "risk.weights"]),
        SetErrorCase(name: "bands not decreasing", set: "assessment.bands.1.min=95", mentions: ["assessment.bands.1.min", "assessment.bands"]),
        SetErrorCase(name: "quota band renamed away", set: "assessment.bands.0.name=卓越", mentions: ["assessment.bands.0.name", "assessment.quota.band"]),
    ]

    @Test(arguments: setErrorCases)
    func setErrors(_ c: SetErrorCase) throws {
        do {
            _ = try Self.alternative([c.set])
            Issue.record("\(c.set) was accepted")
        } catch let error as LianzhengError {
            guard case .invalidScheme = error else {
                Issue.record("\(c.set): \(error)")
                return
            }
            #expect(error.exitCode == 65)
            for text in c.mentions { #expect(error.description.contains(text), "\(error.description)") }
        }
    }

    @Test(arguments: ["assessment.bands.0.min", "=5", ""])
    func malformedSetIsAUsageError(argument: String) {
        #expect {
            _ = try SchemeSetting(argument: argument)
        } throws: { error in
            guard let e = error as? LianzhengError, case .usage = e else { return false }
            return e.exitCode == 64
        }
    }

    /// VALUE is JSON when it parses as JSON, else a string; edits apply in
    /// order, so a later one sees an earlier one.
    @Test func editsApplyInOrder() throws {
        let s = try Self.alternative(["risk.weights.power=0.40", "risk.weights.history=0.35", "assessment.quota=null"])
        #expect(s.risk.weightPower == 0.40 && s.risk.weightHistory == 0.35)
        #expect(s.assessment.quota == nil)
        let renamed = try Self.alternative(["assessment.bands.0.name=卓越", "assessment.quota.band=卓越"])
        #expect(renamed.assessment.bands[0].name == "卓越")
        #expect(SchemeValueChange.between(.default, renamed).map(\.path) == ["assessment.bands[0].name", "assessment.quota.band"])
    }

    // MARK: - The baseline stays untouched

    /// Files of a directory: name → bytes.
    static func files(in dir: String) throws -> [String: Data] {
        var out: [String: Data] = [:]
        for name in try FileManager.default.contentsOfDirectory(atPath: dir) {
            var isDirectory: ObjCBool = false
            if FileManager.default.fileExists(atPath: dir + "/" + name, isDirectory: &isDirectory), !isDirectory.boolValue {
                out[name] = try Data(contentsOf: URL(fileURLWithPath: dir + "/" + name))
            }
        }
        return out
    }

    /// Every column of the run table and every execution row of a run, as text.
    static func rows(_ db: Database, _ sql: String, _ runID: String) throws -> [String] {
        let q = try db.prepare(sql)
        q.bind(1, runID)
        var out: [String] = []
        while try q.step() { out.append((0..<10).map { q.isNull(Int32($0)) ? "NULL" : q.text(Int32($0)) }.joined(separator: "|")) }
        return out
    }

    /// A year-end run, then what-ifs written into the very folder of the
    /// baseline — one of them with the baseline's own scheme, whose run id
    /// would collide with the baseline's were the baseline not part of a
    /// what-if's identity: the baseline's files (bytes), its run row and its
    /// executions stay as they were; each what-if is a run of its own,
    /// pointing at the baseline, and reproduces under `verify`.
    @Test func baselineIsNotModified() throws {
        let dir = temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        var options = CommonOptions()
        options.dbPath = dir + "/db.sqlite"
        options.dataDirectory = datasetsPath("sample")
        options.outDirectory = dir + "/out"
        let baseline = try YearEnd.run(options: options, year: 2025)
        let filesBefore = try Self.files(in: dir + "/out")
        let db = try Database(path: options.dbPath)
        let runSQL = "SELECT * FROM run WHERE run_id = ?"
        let executionSQL = "SELECT * FROM run_execution WHERE run_id = ?"
        let runBefore = try Self.rows(db, runSQL, baseline.runID)
        let executionsBefore = try Self.rows(db, executionSQL, baseline.runID)
        #expect(runBefore.count == 1 && executionsBefore.count == 1)

        var ids: [String] = []
        for sets in [["assessment.bands.0.min=90"], ["assessment.quota.share=0.3"], ["risk.weights.power=0.40", "risk.weights.history=0.35"]] {
            var request = WhatIf.Request()
            request.dbPath = options.dbPath
            request.year = 2025
            request.edits = try sets.map { try SchemeSetting(argument: $0) }
            request.outDirectory = dir + "/out"
            let summary = try WhatIf.run(request)
            #expect(summary.baseline.runID == baseline.runID)
            ids.append(summary.runID)
        }
        // The same value as the baseline's: an identical scheme, a run of its own.
        #expect(ids.count == Set(ids + [baseline.runID]).count - 1)

        let filesAfter = try Self.files(in: dir + "/out")
        for (name, bytes) in filesBefore { #expect(filesAfter[name] == bytes, "\(name) changed") }
        #expect(Set(filesAfter.keys).subtracting(filesBefore.keys) == ["whatif.csv", "whatif.html"])
        #expect(try Self.rows(db, runSQL, baseline.runID) == runBefore)
        #expect(try Self.rows(db, executionSQL, baseline.runID) == executionsBefore)

        let store = try RunStore(db: db)
        #expect(try store.latest(year: 2025)?.runID == baseline.runID)
        for id in ids {
            let record = try store.find(id)
            #expect(record.baselineRunID == baseline.runID)
            #expect(record.snapshotID == baseline.snapshotID)
            #expect(record.schemeFingerprint == (try SchemeParser.parse(text: record.schemeJSON, source: "stored").scheme.fingerprint))
        }
        // The last what-if wrote whatif.csv last; it reproduces byte for byte.
        let (_, checks) = try YearEnd.verify(dbPath: options.dbPath, runID: ids[2])
        #expect(checks.map(\.name) == ["whatif.csv", "whatif.html"] && checks.allSatisfy(\.matches))
        let recorded = parseManifest(try store.find(ids[2]).manifest)
        #expect(recorded["whatif.csv"] == SHA256.hex(of: [UInt8](filesAfter["whatif.csv"]!)))
        // And the baseline still verifies.
        let (_, baselineChecks) = try YearEnd.verify(dbPath: options.dbPath, runID: baseline.runID)
        #expect(baselineChecks.count == 7 && baselineChecks.allSatisfy(\.matches))
    }

    /// Without --scheme or --set there is nothing to compare; without a
    /// baseline run of the year there is nothing to compare against.
    @Test func requestErrors() throws {
        let dir = temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        var options = CommonOptions()
        options.dbPath = dir + "/db.sqlite"
        options.dataDirectory = datasetsPath("sample")
        options.outDirectory = dir + "/out"
        _ = try YearEnd.run(options: options, year: 2025)
        var request = WhatIf.Request()
        request.dbPath = options.dbPath
        request.year = 2025
        #expect { try WhatIf.run(request) } throws: { ($0 as? LianzhengError)?.exitCode == 64 }
        request.edits = [SchemeSetting(path: "assessment.bands.0.min", value: "88")]
        request.year = 2024
        #expect { try WhatIf.run(request) } throws: { ($0 as? LianzhengError)?.exitCode == 66 }
        request.dbPath = dir + "/none.sqlite"
        #expect { try WhatIf.run(request) } throws: { ($0 as? LianzhengError)?.exitCode == 66 }
    }

    // MARK: - Text and HTML

    @Test func reportsAreEscapedAndDeterministic() throws {
        var f = AssessmentFixture()
        f.unit("<U&1>")
        f.scoredPost("P\"1'", in: "<U&1>", base: 9100)
        f.scoredPost("=P2", in: "<U&1>", base: 9150)
        let d = f.builder.build()
        let comparison = try WhatIf.compare(
            dataset: d, baseline: .default, alternative: try Self.alternative(["assessment.bands.0.min=92"]), year: 2025)
        let run = RunIdentity(datasetFingerprint: "fp", schemeFingerprint: "alt", year: 2025, baselineRunID: "base")
        let html = String(decoding: comparison.html(run: run), as: UTF8.self)
        #expect(html.contains("&lt;U&amp;1&gt;") && html.contains("P&quot;1&#39;"))
        #expect(!html.contains("<U&1>") && !html.contains("<script"))
        let csv = String(decoding: comparison.csv(), as: UTF8.self)
        // One group of 2: allowance floor(0.15·2 + 0.5) = 0, both demoted to
        // 良好; under 92 neither is a candidate: both change (demoted → none).
        #expect(csv.contains(",'=P2,<U&1>,"))  // the formula guard on a text cell
        #expect(csv.contains(",\"P\"\"1'\",<U&1>,"))  // RFC 4180 quoting
        let again = try WhatIf.compare(
            dataset: d, baseline: .default, alternative: try Self.alternative(["assessment.bands.0.min=92"]), year: 2025, threads: 1)
        #expect(again.html(run: run) == comparison.html(run: run))
        let text = String(decoding: comparison.text(run: run), as: UTF8.self)
        #expect(text.contains("assessment.bands[0].min: 90 → 92"))
    }

    /// Records which columns of each data row got number cells.
    struct ColumnKinds: TableSink {
        var rows: [[Int]] = []
        var current: [Int] = []
        var column = 0
        mutating func header(_ names: [String]) {}
        mutating func text(_ s: String) { column += 1 }
        mutating func text(bytes: UnsafeBufferPointer<UInt8>) { column += 1 }
        mutating func hundredths(_ v: Int64) { number() }
        mutating func integer(_ v: Int) { number() }
        mutating func empty() { column += 1 }
        mutating func endRow() {
            rows.append(current)
            current = []
            column = 0
        }
        mutating func number() {
            column += 1
            current.append(column)
        }
    }

    /// whatif.html right-aligns number columns by a style rule per table,
    /// not per cell: the rule's columns are the columns the writers fill
    /// with numbers, in every row.
    @Test func pageStyleMatchesTheNumberColumns() throws {
        let d = try DatasetReader(directory: datasetsPath("sample"), scheme: .default).read()
        let w = try WhatIf.compare(
            dataset: d, baseline: .default, alternative: try Self.alternative(["levels.1.min_score=38", "assessment.bands.0.min=89"]),
            year: 2025)
        #expect(!w.levelChanges.isEmpty && !w.subjectChanges.isEmpty)
        let writers: [(WhatIfTable, (inout ColumnKinds) -> Void)] = [
            (.levelChanges, { w.writeLevelChanges(to: &$0) }), (.subjectChanges, { w.writeSubjectChanges(to: &$0) }),
            (.matrix, { w.writeLevelMatrix(to: &$0) }), (.matrix, { w.writeBandMatrix(.post, to: &$0) }),
            (.units, { w.writeUnits(to: &$0) }), (.nearPosts, { w.writeNearPosts(.alternative, to: &$0) }),
            (.nearSubjects, { w.writeNearSubjects(.baseline, to: &$0) }),
        ]
        for (table, write) in writers {
            var sink = ColumnKinds()
            write(&sink)
            #expect(!sink.rows.isEmpty, "\(table)")
            for row in sink.rows {
                let expected = table.numberColumns.flatMap { spec -> [Int] in
                    spec.hasPrefix("n+") ? Array(Int(spec.dropFirst(2))!...max(Int(spec.dropFirst(2))!, row.last ?? 0)) : [Int(spec)!]
                }
                #expect(row == expected, "\(table)")
            }
        }
        let html = String(decoding: w.html(run: RunIdentity(datasetFingerprint: "", schemeFingerprint: "", year: 2025)), as: UTF8.self)
        #expect(html.contains("table.np td:nth-child(4),table.np td:nth-child(7),table.np td:nth-child(8){text-align:right"))
        #expect(html.contains("<table class=\"np\">") && !html.contains("class=n>"))
    }

    @Test func textTableAlignsWideCharacters() {
        var t = TextTable(indent: 0)
        t.header(["编号", "名称", "分"])
        t.text("P1")
        t.text("登记审批员")
        t.hundredths(9050)
        t.endRow()
        t.text("P10")
        t.text("x")
        t.hundredths(500)
        t.endRow()
        // 名称 is 10 columns wide (5 CJK characters); 分 is right-aligned to 5.
        #expect(String(decoding: t.render(), as: UTF8.self) == """
            编号  名称           分
            P1    登记审批员  90.50
            P10   x            5.00

            """)
    }
}
