import Foundation
import LianzhengKit

/// Times `whatif` after the baseline exists (SPEC §8: interactive speed):
/// the baseline's computation, then for each alternative scheme the what-if
/// proper — the alternative computation reusing what the change cannot
/// touch, the comparison, the three renderings, writing the two files and
/// recording the run — and checks the answer against a plain recomputation
/// under the alternative scheme. The snapshot load from SQLite is timed
/// by the `import` mode, not here.
func benchmarkWhatIf(_ d: Dataset, _ s: Scheme, runs: Int, cores: Int) throws {
    let year = 2025
    var baseTimes: [Double] = []
    var base: YearComputation? = nil
    for _ in 0..<runs {
        let (c, t) = try time { try YearComputation(dataset: d, scheme: s, year: year, threads: cores) }
        baseTimes.append(t)
        base = c
    }
    let baseline = base!
    let baselineSeconds = median(baseTimes)
    let (_, assessSeconds) = time { AssessmentEngine.compute(dataset: d, scheme: s, year: year) }
    let (_, inputSeconds) = try time { try RiskInput(dataset: d, scheme: s) }
    print(String(format: "whatif: of which assessment %.1f ms, kernel input %.1f ms", assessSeconds * 1000, inputSeconds * 1000))
    print(String(format: "whatif: baseline computation (kernel + flags + assessment), threads=%d: median %.1f ms", cores, baselineSeconds * 1000))

    let dir = NSTemporaryDirectory() + "lianzheng-bench-whatif-\(getpid())"
    defer { try? FileManager.default.removeItem(atPath: dir) }
    let store = try RunStore(db: try Database(path: dir + ".sqlite"))
    defer { for suffix in ["", "-wal", "-shm"] { unlink(dir + ".sqlite" + suffix) } }
    let scenarios: [(String, [String])] = [
        ("--set assessment.bands.0.min=88", ["assessment.bands.0.min=88"]),
        ("--set risk.weights.power=0.40 --set risk.weights.history=0.35", ["risk.weights.power=0.40", "risk.weights.history=0.35"]),
    ]
    for (label, sets) in scenarios {
        let settings = try sets.map { try SchemeSetting(argument: $0) }
        let alt = try AlternativeScheme.make(from: Array(s.canonicalJSON.utf8), source: "bench", edits: settings).scheme
        let run = RunIdentity(datasetFingerprint: d.fingerprint, schemeFingerprint: alt.fingerprint, year: year, baselineRunID: "0123456789abcdef")
        var computeTimes: [Double] = []
        var compareTimes: [Double] = []
        var renderTimes: [Double] = []
        var writeTimes: [Double] = []
        var totals: [Double] = []
        var last: (WhatIfComparison, WhatIfOutputs)? = nil
        for _ in 0..<runs {
            let start = now()
            let (alternative, ct) = try time { try YearComputation(reusing: baseline, scheme: alt, threads: cores) }
            let (comparison, mt) = time { WhatIfComparison(baseline: baseline, alternative: alternative) }
            let (outputs, rt) = time { WhatIfOutputs(comparison, run: run, chineseHeaders: false) }
            let (_, wt) = try time {
                try outputs.write(to: dir)
                try store.record(
                    identity: run, snapshotID: 1, scheme: alt, command: "whatif", startedAt: Date(), threads: cores,
                    outDirectory: dir, chineseHeaders: false, manifest: outputs.manifest, baselineRunID: "0123456789abcdef")
            }
            totals.append(now() - start)
            computeTimes.append(ct)
            compareTimes.append(mt)
            renderTimes.append(rt)
            writeTimes.append(wt)
            last = (comparison, outputs)
        }
        let (comparison, outputs) = last!
        checkWhatIf(comparison, outputs, d, alt, run: run, cores: cores)
        // As the command does it: both schemes from scratch, the kernel chain
        // beside the assessment chain (`WhatIf.compare`), then the outputs.
        var commandTimes: [Double] = []
        for _ in 0..<runs {
            let start = now()
            let w = try WhatIf.compare(dataset: d, baseline: s, alternative: alt, year: year, threads: cores)
            let o = WhatIfOutputs(w, run: run, chineseHeaders: false)
            try o.write(to: dir)
            commandTimes.append(now() - start)
            if o.manifest != outputs.manifest || o.text != outputs.text { fail("WhatIf.compare differs from the reusing path") }
        }
        profileWhatIfRender(comparison, run: run)
        let total = median(totals)
        print(String(format: "whatif %@: reused risk=%@ flags=%@ assessment=%@", label,
            comparison.reused.risk ? "yes" : "no", comparison.reused.flags ? "yes" : "no", comparison.reused.assessment ? "yes" : "no"))
        print(String(format: "  %d posts change level, %d subjects change band/rank/quota; whatif.csv %.1f MB, whatif.html %.1f MB, text %.1f MB",
            comparison.levelChanges.count, comparison.subjectChanges.count,
            Double(outputs.files[0].bytes.count) / 1e6, Double(outputs.files[1].bytes.count) / 1e6, Double(outputs.text.count) / 1e6))
        print(String(format: "  median of %d: alternative %.1f ms + comparison %.1f ms + render %.1f ms + write & record %.1f ms = what-if %.1f ms; with the baseline's computation %.1f ms",
            runs, median(computeTimes) * 1000, median(compareTimes) * 1000, median(renderTimes) * 1000, median(writeTimes) * 1000,
            total * 1000, (total + baselineSeconds) * 1000))
        print(String(format: "  the command's work after loading the snapshot (WhatIf.compare: baseline and alternative, kernel chain beside assessment chain; render; write): median %.1f ms",
            median(commandTimes) * 1000))
    }
}

/// The what-if against a plain recomputation under the alternative scheme
/// and a direct count of the changes; fails on any difference.
private func checkWhatIf(_ w: WhatIfComparison, _ outputs: WhatIfOutputs, _ d: Dataset, _ alt: Scheme, run: RunIdentity, cores: Int) {
    let plain: YearComputation
    do {
        plain = try YearComputation(dataset: d, scheme: alt, year: w.baseline.year, threads: cores)
    } catch {
        fail("plain recomputation: \(error)")
    }
    if plain.risk != w.alternative.risk { fail("risk differs from a plain recomputation") }
    if plain.flags.mask != w.alternative.flags.mask { fail("flags differ from a plain recomputation") }
    let a = plain.assessment
    let b = w.alternative.assessment
    if a.total != b.total || a.band != b.band || a.rank != b.rank || a.quotaStatus != b.quotaStatus {
        fail("assessment differs from a plain recomputation")
    }
    let reference = WhatIfOutputs(WhatIfComparison(baseline: w.baseline, alternative: plain), run: run, chineseHeaders: false)
    if reference.manifest != outputs.manifest || reference.text != outputs.text { fail("what-if files differ from a plain recomputation") }
    // The changes counted directly: level names and band names compared as text.
    let fromLevels = w.baseline.scheme.levels.map(\.name)
    let toLevels = alt.levels.map(\.name)
    var levelChanges = 0
    for p in 0..<d.posts.count where fromLevels[Int(w.baseline.risk.level[p])] != toLevels[Int(plain.risk.level[p])] {
        levelChanges += 1
    }
    let base = w.baseline.assessment
    var subjectChanges = 0
    for i in 0..<base.count
    where base.bandName(at: i) != a.bandName(at: i) || base.rank[i] != a.rank[i] || base.quotaStatus[i] != a.quotaStatus[i] {
        subjectChanges += 1
    }
    if levelChanges != w.levelChanges.count || subjectChanges != w.subjectChanges.count {
        fail("changes: \(w.levelChanges.count)/\(w.subjectChanges.count) vs direct count \(levelChanges)/\(subjectChanges)")
    }
}

func profileWhatIfRender(_ w: WhatIfComparison, run: RunIdentity) {
    let (c, tc) = time { w.csv() }
    let (h, th) = time { w.html(run: run) }
    let (t, tt) = time { w.text(run: run) }
    let (_, hashSeconds) = time { SHA256.hex(of: h) }
    print(String(format: "  SHA-256 of whatif.html: %.1f ms (%.0f MB/s)", hashSeconds * 1000, Double(h.count) / hashSeconds / 1e6))
    print(String(format: "  render alone: csv %.1f ms (%.1f MB), html %.1f ms (%.1f MB), text %.1f ms (%.1f MB); near posts %d + %d, near subjects %d + %d",
        tc * 1000, Double(c.count) / 1e6, th * 1000, Double(h.count) / 1e6, tt * 1000, Double(t.count) / 1e6,
        w.baselineNearLines.posts.count, w.alternativeNearLines.posts.count, w.baselineNearLines.subjects.count, w.alternativeNearLines.subjects.count))
}
