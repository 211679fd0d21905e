import Foundation
import LianzhengKit

/// Times the 预警清单 (SPEC §6) against the kernel it follows, and checks
/// every post's flags against SPEC §6 written out directly.
func benchmarkFlags(_ d: Dataset, _ s: Scheme, runs: Int, cores: Int) throws {
    let input = try RiskInput(dataset: d, scheme: s)
    let kernel = RiskKernel(scheme: s, year: 2025, withPreviousYear: true)
    for threads in Set([1, cores]).sorted() {
        var kernelTimes: [Double] = []
        var peerTimes: [Double] = []
        var flagTimes: [Double] = []
        var last: FlagReport? = nil
        var risk: RiskResult? = nil
        for _ in 0..<runs {
            let (r, kt) = time { kernel.run(input, threads: threads) }
            let (_, pt) = time { PeerStatistics(historyRaw: r.historyRaw, categories: d.posts.category, threads: threads) }
            let (f, ft) = time { FlagReport(dataset: d, risk: r, scheme: s, year: 2025, threads: threads) }
            kernelTimes.append(kt)
            peerTimes.append(pt)
            flagTimes.append(ft)
            if let last, last.mask != f.mask { fail("flags differ between runs") }
            last = f
            risk = r
        }
        checkFlags(last!, risk!, d, s)
        let k = median(kernelTimes)
        let p = median(peerTimes)
        let f = median(flagTimes)
        print(String(format: "flags threads=%d: kernel (+ previous year) %.1f ms; peer statistics %.1f ms; all flags %.1f ms = %.1f ns/post, +%.0f%% of the kernel",
            threads, k * 1000, p * 1000, f * 1000, f * 1e9 / Double(d.posts.count), 100 * f / k))
    }
    let report = FlagReport(dataset: d, risk: kernel.run(input, threads: cores), scheme: s, year: 2025)
    let (rows, csvSeconds) = time { FlagsCSV.render(report) }
    print(String(format: "flags.csv: %d flags, %.1f MB, %.1f ms", report.flagCount, Double(rows.count) / 1e6, csvSeconds * 1000))
}


/// SPEC §6 by full sort per group and direct rules; fails on any difference.
private func checkFlags(_ f: FlagReport, _ r: RiskResult, _ d: Dataset, _ s: Scheme) {
    var members: [String: [Int]] = [:]
    for p in 0..<d.posts.count {
        let c = d.posts.category[p]
        members[c.isEmpty ? "未分类" : c, default: []].append(p)
    }
    var peer = [Bool](repeating: false, count: d.posts.count)
    let rules = s.flags
    for (_, posts) in members {
        let x = posts.map { r.historyRaw[$0] }
        let m = median(x)
        let deviations = x.map { ($0 - m).magnitude }
        let mad = median(deviations)
        let meanAD = deviations.reduce(0, +) / Double(x.count)
        for (k, p) in posts.enumerated() where posts.count >= rules.peerMinGroup && x[k] >= rules.peerMinHraw {
            if mad != 0 { peer[p] = 0.6745 * (x[k] - m) / mad >= rules.peerZ }
            else if meanAD != 0 { peer[p] = (x[k] - m) / (1.253314 * meanAD) >= rules.peerZ }
        }
    }
    for p in 0..<d.posts.count {
        let level = Int(r.level[p])
        let own = d.posts.selfLevel[p].isEmpty ? nil : s.levelIndex(named: d.posts.selfLevel[p])
        var expected: [PostFlagCode] = []
        if let own, own > level { expected.append(.underSelfAssessed) }
        if peer[p] { expected.append(.peerOutlier) }
        if abs(r.score[p] - r.previousScore![p]) >= rules.scoreJumpHundredths { expected.append(.scoreJump) }
        if level == 0 && d.posts.tenureYears[p] >= rules.rotationYears { expected.append(.rotationOverdue) }
        if level <= 1 && d.posts.controls[p] == 0 { expected.append(.noControls) }
        if f.codes(post: p) != expected { fail("post \(d.posts.id[p]): flags \(f.codes(post: p)) vs reference \(expected)") }
    }
}
