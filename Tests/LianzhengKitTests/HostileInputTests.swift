import Foundation
import LianzhengFuzzChecks
import Testing
@testable import LianzhengKit

/// Figures and texts no honest export holds: the program refuses them with
/// a clear message or keeps them harmless, and never traps.
@Suite struct HostileInputTests {
    /// Eleven deductions of 9,000,000,000,000,000 points each once summed
    /// past Int64.max and trapped in AssessmentEngine (found by reasoning
    /// over the fuzz target's properties). Points above 1,000,000 are now a
    /// data error at their cell: 9e15 × 100 hundredths are in Int64, the
    /// sum of eleven is not.
    @Test func hugeAdjustmentPointsAreRefusedNotSummed() throws {
        var rows = "year,subject_type,subject_id,type,points,reason\n"
        for k in 1...11 { rows += "2025,单位,U1,扣分,9000000000000000,事由\(k)\n" }
        let folder = DatasetFolder.valid(with: ["adjustments.csv": rows])
        defer { folder.remove() }
        let (at, issues, total) = try invalidData(folder)
        #expect(total == 11)
        #expect(at.first == At("adjustments.csv", 2, 5))
        #expect(issues.first?.message == "分值超出范围，最大 1000000: 9000000000000000 (at most 1000000 points)")
    }

    /// 1,000,000.00 is the largest point value; one hundredth more is refused.
    @Test func pointsBoundIsInclusive() throws {
        let ok = DatasetFolder.valid(with: [
            "adjustments.csv": "year,subject_type,subject_id,type,points,reason\n2025,单位,U1,加分,1000000.00,a\n2025,单位,U1,扣分,1000000,b\n"
        ])
        defer { ok.remove() }
        let d = try ok.read().dataset
        #expect(d.adjustments.points == [100_000_000, 100_000_000])
        let bad = DatasetFolder.valid(with: [
            "adjustments.csv": "year,subject_type,subject_id,type,points,reason\n2025,单位,U1,加分,1000000.01,a\n"
        ])
        defer { bad.remove() }
        #expect(try invalidData(bad).at == [At("adjustments.csv", 2, 5)])
    }

    /// The same bound holds for every point value of a scheme: an indicator
    /// max of 9·10^16 points (9·10^18 hundredths) let a base come within a
    /// bonus of Int64.max.
    @Test(arguments: [
        ("assessment.indicators.0.max", "90000000000000000"),
        ("assessment.bonus_cap", "1000000.01"),
        ("assessment.deduction_cap", "5000000"),
        ("assessment.auto_deductions.诫勉谈话", "90000000000000000"),
    ])
    func hugeSchemePointsAreRefused(path: String, value: String) throws {
        let issues = schemeIssues(try editedDefault([.set(path, value)]))
        let expectedPath = path.replacingOccurrences(of: ".0.", with: "[0].")
        #expect(issues == [SchemeIssue(path: expectedPath, message: "数值过大，最大 1000000 (at most 1000000 points)")])
    }

    /// A year outside 1…9999 once trapped converting its last day to Int32;
    /// the computation now refuses it, and so does every `--year`.
    @Test(arguments: [0, -5, 10_000, 99_999_999, Int.max])
    func yearOutOfRange(year: Int) throws {
        let dataset = SyntheticDataset.make(posts: 10, seed: 1, scheme: .default)
        #expect(throws: LianzhengError.self) { try YearComputation(dataset: dataset, scheme: .default, year: year) }
        let args = try Arguments(["--year", String(year)], valued: ["year"], switches: [])
        #expect(throws: LianzhengError.self) { try args.int("year") }
    }

    @Test func firstAndLastYearsCompute() throws {
        let dataset = SyntheticDataset.make(posts: 10, seed: 1, scheme: .default)
        for year in [1, 9999] {
            let c = try YearComputation(dataset: dataset, scheme: .default, year: year, threads: 1)
            #expect(c.risk.count == 10)
        }
    }

    /// A scheme of many kinds, under the size limit, validates in time
    /// linear in its size (no kind looked up by scanning all the others).
    @Test func aSchemeOfManyKindsValidatesQuickly() throws {
        var json = try JSONValue(parsing: SchemeParser.defaultSchemeText)
        let kinds = (0..<20_000).map { "问题类别\($0)" }
        var text = json.canonicalText
        let incident = kinds.map { #""\#($0)":1"# }.joined(separator: ",")
        let auto = kinds.map { #""\#($0)":0.5"# }.joined(separator: ",")
        let veto = kinds.map { #""\#($0)""# }.joined(separator: ",")
        text = text.replacingOccurrences(of: #""incident_kinds":{"#, with: #""incident_kinds":{\#(incident),"#)
        text = text.replacingOccurrences(of: #""auto_deductions":{"#, with: #""auto_deductions":{\#(auto),"#)
        text = text.replacingOccurrences(of: #""veto_kinds":["#, with: #""veto_kinds":[\#(veto),"#)
        json = try JSONValue(parsing: text)
        let started = Date()
        let scheme = try SchemeParser.parse(json: json, source: "many.json").scheme
        #expect(scheme.risk.incidentKinds.count == 20_010)
        #expect(Date().timeIntervalSince(started) < 5)
    }

    /// Incident weights of 1e308 make Hraw infinite, and so the peer z-score:
    /// scorecards.json once held `"z":inf`, which is no JSON. Non-finite
    /// numbers are written null; every output still renders.
    @Test func extremeSchemeValuesKeepTheJSONValid() throws {
        var edits: [SchemeEdit] = [.set("flags.peer_min_group", "1"), .set("flags.peer_min_hraw", "0")]
        for kind in Scheme.default.risk.incidentKinds.map(\.name) { edits.append(.set("risk.incident_kinds.\(kind)", "1e308")) }
        let scheme = try SchemeParser.parse(json: try editedDefault(edits), source: "extreme").scheme
        let dataset = try DatasetReader(directory: repositoryRoot + "/Datasets/sample", scheme: scheme).read()
        let c = try YearComputation(dataset: dataset, scheme: scheme, year: 2025, threads: 1)
        #expect(c.risk.historyRaw.contains(.infinity))
        let run = RunIdentity(datasetFingerprint: dataset.fingerprint, schemeFingerprint: scheme.fingerprint, year: 2025)
        let outputs = YearEndOutputs(c, run: run, chineseHeaders: false)
        let json = try #require(outputs.files.first { $0.name == "scorecards.json" }).bytes
        #expect((try? JSONSerialization.jsonObject(with: Data(json))) != nil, "scorecards.json is not JSON")
    }

    @Test func jsonWriterWritesNonFiniteNumbersAsNull() {
        var w = JSONWriter()
        w.beginArray()
        w.number("inf")
        w.number("-inf")
        w.number("nan")
        w.number("-2.5")
        w.fixed4(.infinity)
        w.fixed4(.nan)
        w.fixed4(0.25)
        w.endArray()
        let text = String(decoding: w.finish(), as: UTF8.self).filter { !$0.isWhitespace }
        #expect(text == "[null,null,null,-2.5,null,null,0.2500]")
    }
}
