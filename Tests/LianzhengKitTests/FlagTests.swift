import Foundation
import Testing
@testable import LianzhengKit

// Hand-worked SPEC §6 cases. Unless a case says otherwise the scheme is the
// default one: levels 一级 (0) > 二级 (1) > 三级 (2) with aliases 高/1/Ⅰ/I,
// 中/2/Ⅱ/II, 低/3/Ⅲ/III; flags peer_z 3.5, peer_min_group 5, peer_min_hraw 3,
// score_jump 20 (2000 hundredths), rotation_years 5.

/// One post of a hand-made case: its data row and the kernel columns the
/// flags read (level, score, previous score, Hraw), set directly.
struct FlagPost: Sendable {
    var id: String
    var category = ""
    var tenure = Double.nan
    var selfLevel = ""
    var controls: Int32 = -1
    var level: UInt8 = 2
    var score: Int64 = 0
    var previous: Int64 = 0
    var hraw = 0.0
}

/// The flags of `posts` (ids in byte order, so row i is posts[i]).
func flagReport(_ posts: [FlagPost], scheme: Scheme = .default, threads: Int? = 1) -> FlagReport {
    var b = DatasetBuilder()
    for p in posts {
        b.post(p.id, category: p.category, tenure: p.tenure, selfLevel: p.selfLevel, controls: p.controls)
    }
    let d = b.build()
    precondition((0..<posts.count).allSatisfy { d.posts.id[$0] == posts[$0].id }, "ids must be given in order")
    var r = RiskResult(count: posts.count, withPrevious: true)
    for (i, p) in posts.enumerated() {
        r.level[i] = p.level
        r.scoreLevel[i] = p.level
        r.score[i] = p.score
        r.previousScore![i] = p.previous
        r.historyRaw[i] = p.hraw
    }
    return FlagReport(dataset: d, risk: r, scheme: scheme, year: 2025, threads: threads)
}

/// The default scheme with the levels renamed Ⅲ级/Ⅱ级/Ⅰ级, most severe first.
func romanLevelScheme() throws -> Scheme {
    try scheme { text in
        text.replacingOccurrences(of: "\"name\": \"一级\"", with: "\"name\": \"Ⅲ级\"")
            .replacingOccurrences(of: "\"name\": \"二级\"", with: "\"name\": \"Ⅱ级\"")
            .replacingOccurrences(of: "\"name\": \"三级\"", with: "\"name\": \"Ⅰ级\"")
    }
}

@Suite struct FlagPeerGroupTests {
    struct Case: CustomTestStringConvertible, Sendable {
        var name: String
        var values: [Double]
        var median: Double
        var mad: Double
        var meanAD: Double?
        /// (x, z) pairs: z of x in this group, nil when undefined.
        var z: [(Double, Double?)] = []
        /// Values of the group flagged under the default rules.
        var flagged: [Double]
        var testDescription: String { name }
    }

    static let cases: [Case] = [
        // Sorted 1 2 3 4 100: median 3. |x − 3| = 2 1 0 1 97 → sorted 0 1 1 2 97, MAD 1.
        // z(100) = 0.6745·97/1 = 65.4265 ≥ 3.5, Hraw 100 ≥ 3, size 5 ≥ 5: flagged.
        // z(4) = 0.6745·1/1 = 0.6745: not flagged.
        Case(name: "odd size, MAD > 0", values: [1, 2, 3, 4, 100], median: 3, mad: 1, meanAD: nil,
             z: [(100, 65.4265), (4, 0.6745), (1, -1.349)], flagged: [100]),
        // Given unsorted; sorted 1 2 3 4 5 100: median (3 + 4)/2 = 3.5.
        // |x − 3.5| = 1.5 2.5 96.5 0.5 1.5 0.5 → sorted 0.5 0.5 1.5 1.5 2.5 96.5, MAD (1.5 + 1.5)/2 = 1.5.
        // z(100) = 0.6745·96.5/1.5 = 65.08925/1.5 = 43.3928333…: flagged.
        Case(name: "even size, MAD > 0", values: [5, 1, 100, 3, 2, 4], median: 3.5, mad: 1.5, meanAD: nil,
             z: [(100, 0.6745 * 96.5 / 1.5)], flagged: [100]),
        // Median 1; |x − 1| = 0 0 0 0 0 0 8, MAD 0. MeanAD = 8/7 = 1.142857…
        // z(9) = 8/(1.253314·8/7) = 7/1.253314 = 5.58519… ≥ 3.5: flagged.
        Case(name: "MAD = 0, MeanAD > 0 (odd)", values: [1, 1, 1, 9, 1, 1, 1], median: 1, mad: 0, meanAD: 8.0 / 7,
             z: [(9, 8 / (1.253314 * (8.0 / 7))), (1, 0)], flagged: [9]),
        // Sorted 0×8 4 6: median (0 + 0)/2 = 0; deviations the same, MAD 0. MeanAD = 10/10 = 1.
        // z(6) = 6/1.253314 = 4.78731…: flagged; z(4) = 4/1.253314 = 3.19154… < 3.5: not flagged.
        Case(name: "MAD = 0, MeanAD > 0 (even)", values: [0, 0, 4, 0, 0, 0, 6, 0, 0, 0], median: 0, mad: 0, meanAD: 1,
             z: [(6, 6 / 1.253314), (4, 4 / 1.253314)], flagged: [6]),
        // All equal: median 2, MAD 0, MeanAD 0 → no z, nobody flagged.
        Case(name: "all equal", values: [2, 2, 2, 2, 2, 2], median: 2, mad: 0, meanAD: 0,
             z: [(2, nil)], flagged: []),
        // Size 4 < peer_min_group 5. Median (2 + 3)/2 = 2.5; |x − 2.5| = 1.5 0.5 0.5 97.5 → MAD (0.5 + 1.5)/2 = 1.
        // z(100) = 0.6745·97.5/1 = 65.76375, but the group is too small: not flagged.
        Case(name: "below the minimum group size", values: [1, 2, 3, 100], median: 2.5, mad: 1, meanAD: nil,
             z: [(100, 0.6745 * 97.5)], flagged: []),
        // Median 0, MAD 0, MeanAD 2.5/7. z(2.5) = 2.5/(1.253314·2.5/7) = 5.585… ≥ 3.5, but
        // Hraw 2.5 < peer_min_hraw 3 (one old complaint among spotless peers): not flagged.
        Case(name: "Hraw below peer_min_hraw", values: [0, 0, 0, 2.5, 0, 0, 0], median: 0, mad: 0, meanAD: 2.5 / 7,
             z: [(2.5, 2.5 / (1.253314 * (2.5 / 7)))], flagged: []),
        // One value: median x, MAD 0, MeanAD 0.
        Case(name: "single post", values: [7], median: 7, mad: 0, meanAD: 0, z: [(7, nil)], flagged: []),
    ]

    @Test(arguments: cases)
    func statistics(_ c: Case) {
        let g = PeerGroup(category: "执法", values: c.values)
        #expect(g.size == c.values.count)
        #expect(g.median == c.median)
        #expect(g.mad == c.mad)
        #expect(g.meanAD == c.meanAD)
        for (x, z) in c.z { #expect(g.z(x) == z, "z(\(x))") }
        let flagged = c.values.filter { g.isOutlier($0, rules: Scheme.default.flags) }
        #expect(flagged == c.flagged)
    }

    /// z exactly at peer_z = 3.5 in binary64.
    ///
    /// Group 0, 1, 1, 2, x with x = 1 + d, d = 0x1.4c190cb6f03fcp+2 (5.189028910303929…):
    /// median 1; |v − 1| = 1 0 0 1 d → sorted 0 0 1 1 d, MAD 1.
    /// x and d lie in [4, 8) (ulp 2⁻⁵⁰), so x = 1 + d and x − 1 = d exactly.
    /// 0.6745 as binary64 is c = 6075355897322799·2⁻⁵³; in exact rational arithmetic
    /// c·d = 3.5 − 462648880623151·2⁻¹⁰¹ = 3.5 − 1.8248…e-16, less than half an ulp of 3.5
    /// (ulp 2⁻⁵¹, half 1.1102e-16·2 = 2.2204e-16) away, so 0.6745·(x − 1) rounds to 3.5
    /// and /MAD = /1 keeps it: z = 3.5 ≥ 3.5, flagged.
    /// One ulp lower, d⁻ = 0x1.4c190cb6f03fbp+2: c·d⁻ = 3.5 − 7.8156e-16, nearer to the double
    /// 3.5 − 2·2⁻⁵¹·… = 3.4999999999999991 than to 3.5: z < 3.5, not flagged.
    @Test func zExactlyAtThreshold() {
        let d = 0x1.4c190cb6f03fcp+2
        let x = 0x1.8c190cb6f03fcp+2
        #expect(x == 1 + d)
        let g = PeerGroup(category: "执法", values: [0, 1, 1, 2, x])
        #expect(g.median == 1 && g.mad == 1)
        #expect(g.z(x) == 3.5)
        #expect(g.isOutlier(x, rules: Scheme.default.flags))
        let below = 0x1.8c190cb6f03fbp+2
        let h = PeerGroup(category: "执法", values: [0, 1, 1, 2, below])
        #expect(h.z(below)! < 3.5)
        #expect(!h.isOutlier(below, rules: Scheme.default.flags))
    }

    /// MAD = 0 branch at the threshold: peer_z set to the SPEC expression itself.
    /// Group 0×6, 8: median 0, MAD 0, MeanAD = 8/7; z(8) = 8/(1.253314·(8/7)) ≈ 5.585.
    @Test func meanADBranchAtThreshold() {
        let g = PeerGroup(category: "", values: [0, 0, 0, 0, 0, 0, 8])
        let z = 8.0 / (1.253314 * (8.0 / 7))
        var rules = Scheme.default.flags
        rules.peerZ = z
        #expect(g.isOutlier(8, rules: rules))
        rules.peerZ = z.nextUp
        #expect(!g.isOutlier(8, rules: rules))
    }

    /// Large groups go through the sample-bracketed selection: its medians must
    /// equal those of a full sort, for any distribution and input order.
    @Test(arguments: [
        ("uniform", UInt64(1)), ("70% zeros", 2), ("ascending", 3), ("descending", 4),
        ("four distinct values", 5), ("one outlier in constants", 6),
    ])
    func largeGroupsMatchSorting(_ shape: String, _ seed: UInt64) {
        var rng = SeededRandom(seed: seed)
        for n in [2049, 5000, 100_003] {
            var values = (0..<n).map { _ in Double(Int.random(in: 0..<1_000_000, using: &rng)) / 1000 }
            switch shape {
            case "70% zeros": values = values.map { Int.random(in: 0..<10, using: &rng) < 7 ? 0 : $0 }
            case "ascending": values.sort()
            case "descending": values.sort(by: >)
            case "four distinct values": values = values.map { Double(Int($0) % 4) }
            case "one outlier in constants": values = values.map { _ in 1.5 }; values[n / 3] = 40
            default: break
            }
            let g = PeerGroup(category: "x", values: values)
            let median = sortedMedian(values)
            let mad = sortedMedian(values.map { ($0 - median).magnitude })
            #expect(g.median == median, "seed \(seed), n \(n)")
            #expect(g.mad == mad, "seed \(seed), n \(n)")
        }
    }
}

/// The SPEC definition by full sort, as a reference.
func sortedMedian(_ values: [Double]) -> Double {
    let s = values.sorted()
    let n = s.count
    return n % 2 == 1 ? s[n / 2] : (s[n / 2 - 1] + s[n / 2]) / 2
}

@Suite struct FlagRuleTests {
    struct Case: CustomTestStringConvertible, Sendable {
        var name: String
        var post: FlagPost
        /// The one flag expected with its value and threshold, or nil for none.
        var expected: (PostFlagCode, String, String)?
        var testDescription: String { name }
    }

    static let selfAssessment: [Case] = [
        // self level index > computed level index ⇒ less severe ⇒ flagged.
        Case(name: "一级, self 高 (alias of 一级)", post: FlagPost(id: "P", selfLevel: "高", level: 0), expected: nil),
        Case(name: "一级, self 1 (alias of 一级)", post: FlagPost(id: "P", selfLevel: "1", level: 0), expected: nil),
        Case(name: "一级, self Ⅰ (U+2160, alias of 一级)", post: FlagPost(id: "P", selfLevel: "Ⅰ", level: 0), expected: nil),
        Case(name: "一级, self 一级", post: FlagPost(id: "P", selfLevel: "一级", level: 0), expected: nil),
        // Ⅱ → 二级 (index 1) > 0: value = canonical name 二级.
        Case(name: "一级, self Ⅱ", post: FlagPost(id: "P", selfLevel: "Ⅱ", level: 0),
             expected: (.underSelfAssessed, "二级", "一级")),
        Case(name: "一级, self 低", post: FlagPost(id: "P", selfLevel: "低", level: 0),
             expected: (.underSelfAssessed, "三级", "一级")),
        Case(name: "二级, self III", post: FlagPost(id: "P", selfLevel: "III", level: 1),
             expected: (.underSelfAssessed, "三级", "二级")),
        Case(name: "二级, self 中", post: FlagPost(id: "P", selfLevel: "中", level: 1), expected: nil),
        Case(name: "三级, self 一级 (over-assessed)", post: FlagPost(id: "P", selfLevel: "一级", level: 2), expected: nil),
        Case(name: "blank self level", post: FlagPost(id: "P", selfLevel: "", level: 0), expected: nil),
        Case(name: "self level not in the scheme", post: FlagPost(id: "P", selfLevel: "极高", level: 2), expected: nil),
    ]

    static let scoreJumps: [Case] = [
        // |Δ| in hundredths against ceil(20·100) = 2000.
        Case(name: "+20.00 exactly", post: FlagPost(id: "P", score: 6000, previous: 4000),
             expected: (.scoreJump, "20.00", "20")),
        Case(name: "−20.00 exactly", post: FlagPost(id: "P", score: 4000, previous: 6000),
             expected: (.scoreJump, "-20.00", "20")),
        Case(name: "+19.99", post: FlagPost(id: "P", score: 5999, previous: 4000), expected: nil),
        Case(name: "−19.99", post: FlagPost(id: "P", score: 4001, previous: 6000), expected: nil),
        Case(name: "+90.05", post: FlagPost(id: "P", score: 9005, previous: 0), expected: (.scoreJump, "90.05", "20")),
        Case(name: "−0.00 is no change", post: FlagPost(id: "P", score: 3333, previous: 3333), expected: nil),
    ]

    static let rotations: [Case] = [
        Case(name: "一级, tenure exactly 5", post: FlagPost(id: "P", tenure: 5, level: 0),
             expected: (.rotationOverdue, "5", "5")),
        Case(name: "一级, tenure 6.5", post: FlagPost(id: "P", tenure: 6.5, level: 0),
             expected: (.rotationOverdue, "6.5", "5")),
        Case(name: "一级, tenure 4.99", post: FlagPost(id: "P", tenure: 4.99, level: 0), expected: nil),
        Case(name: "二级, tenure 8", post: FlagPost(id: "P", tenure: 8, level: 1), expected: nil),
        Case(name: "一级, tenure blank", post: FlagPost(id: "P", tenure: .nan, level: 0), expected: nil),
    ]

    static let controls: [Case] = [
        Case(name: "一级, controls 0", post: FlagPost(id: "P", controls: 0, level: 0),
             expected: (.noControls, "0", "一级")),
        Case(name: "二级, controls 0", post: FlagPost(id: "P", controls: 0, level: 1),
             expected: (.noControls, "0", "二级")),
        Case(name: "三级, controls 0", post: FlagPost(id: "P", controls: 0, level: 2), expected: nil),
        Case(name: "一级, controls blank (unknown)", post: FlagPost(id: "P", controls: -1, level: 0), expected: nil),
        Case(name: "二级, controls 1", post: FlagPost(id: "P", controls: 1, level: 1), expected: nil),
    ]

    @Test(arguments: selfAssessment + scoreJumps + rotations + controls)
    func singlePost(_ c: Case) {
        let report = flagReport([c.post])
        let flags = report.flags()
        if let (code, value, threshold) = c.expected {
            #expect(flags.map(\.code) == [code])
            #expect(flags.first?.value == value)
            #expect(flags.first?.threshold == threshold)
            #expect(report.flagCodes(post: 0) == code.code)
        } else {
            #expect(flags.isEmpty)
            #expect(report.flagCodes(post: 0) == "")
        }
    }

    @Test func unresolvedSelfLevelIsCounted() {
        let report = flagReport([FlagPost(id: "P1", selfLevel: "极高"), FlagPost(id: "P2", selfLevel: "低")])
        #expect(report.unresolvedSelfLevels == 1)
        #expect(report.selfLevel == [-1, 2])
    }

    /// score_jump 12.5 → ceil(1250) hundredths; threshold printed "12.5".
    @Test func fractionalScoreJump() throws {
        let s = try scheme { $0.replacingOccurrences(of: "\"score_jump\": 20", with: "\"score_jump\": 12.5") }
        let report = flagReport([
            FlagPost(id: "P1", score: 2250, previous: 1000),  // +12.50 ≥ 12.5
            FlagPost(id: "P2", score: 2249, previous: 1000),  // +12.49
        ], scheme: s)
        #expect(report.flags().map(\.postID) == ["P1"])
        #expect(report.flags().first?.threshold == "12.5")
    }

    /// Codes in table order on one post: all five at once.
    @Test func allFiveInTableOrder() {
        var posts = (1...5).map { FlagPost(id: "P\($0)", category: "执法", hraw: Double($0)) }
        // Group 1 2 3 4 P5 = 100: median 3, MAD 1, z(100) = 65.4265 → "65.43".
        posts[4] = FlagPost(
            id: "P5", category: "执法", tenure: 9, selfLevel: "3", controls: 0, level: 0,
            score: 8000, previous: 5000, hraw: 100)
        let report = flagReport(posts)
        #expect(report.flagCodes(post: 4) == "UNDER_SELF_ASSESSED;PEER_OUTLIER;SCORE_JUMP;ROTATION_OVERDUE;NO_CONTROLS")
        #expect(report.flags().map(\.value) == ["三级", "65.43", "30.00", "9", "0"])
        #expect(report.flags().map(\.threshold) == ["一级", "3.5", "20", "5", "一级"])
        #expect(report.flags().map(\.reason) == [
            "自评 三级，测算 一级",
            "同类岗位（执法）5 个，历史原始分 100.0000，中位数 3.0000，MAD 1.0000，z = 65.43 ≥ 3.5",
            "风险分 80.00，上年 50.00，变化 30.00，阈值 20",
            "一级岗位任职 9 年，轮岗年限 5 年",
            "一级岗位防控措施数为 0",
        ])
        #expect(report.counts == [1, 1, 1, 1, 1])
        #expect(report.flaggedPostCount == 1)
    }

    /// Peer groups are the categories; blank and a written 未分类 are one group.
    /// 未分类: Hraw 0 0 0 0 6 (blank, written, blank, written, blank) → median 0, MAD 0,
    /// MeanAD 6/5 = 1.2, z(6) = 6/(1.253314·1.2) = 3.98942… → "3.99": flagged.
    /// 财务: only 2 posts (< 5), Hraw 50 is not compared.
    @Test func categoriesAreGroups() {
        let posts = [
            FlagPost(id: "P1", category: ""), FlagPost(id: "P2", category: "未分类"),
            FlagPost(id: "P3", category: "财务", hraw: 50), FlagPost(id: "P4", category: ""),
            FlagPost(id: "P5", category: "未分类"), FlagPost(id: "P6", category: "财务"),
            FlagPost(id: "P7", category: "", hraw: 6),
        ]
        let report = flagReport(posts)
        // Byte order: 未 (E6 9C AA) < 财 (E8 B4 A2).
        #expect(report.peers.groups.map(\.category) == ["未分类", "财务"])
        #expect(report.peers.groups.map(\.size) == [5, 2])
        #expect(report.peers.groupOfPost == [0, 0, 1, 0, 0, 1, 0])
        let unclassified = report.peers.groups[0]
        #expect(unclassified.median == 0 && unclassified.mad == 0 && unclassified.meanAD == 6.0 / 5)
        #expect(report.flags().map(\.postID) == ["P7"])
        // The MeanAD form of the evidence: "MAD 为 0", then MeanAD 1.2 to 4 places.
        #expect(report.reason(.peerOutlier, post: 6)
            == "同类岗位（未分类）5 个，历史原始分 6.0000，中位数 0.0000，MAD 为 0，MeanAD 1.2000，z = 3.99 ≥ 3.5")
        #expect(report.flags().first?.value == "3.99")
        let evidence = report.peerOutliers()
        #expect(evidence.count == 1)
        #expect(evidence.first?.postID == "P7" && evidence.first?.groupIndex == 0)
        #expect(evidence.first?.z == 6 / (1.253314 * 1.2))
    }

    /// Level names come from the scheme, never assumed to be 一级/二级/三级.
    @Test func schemeWithRomanLevelNames() throws {
        let s = try romanLevelScheme()
        #expect(s.levels.map(\.name) == ["Ⅲ级", "Ⅱ级", "Ⅰ级"])
        let report = flagReport([
            // self Ⅰ级 = index 2 (least severe) > 0: flagged, value Ⅰ级, threshold Ⅲ级.
            FlagPost(id: "P1", selfLevel: "Ⅰ级", controls: 0, level: 0),
            // self 高 (alias of the first level, now called Ⅲ级): index 0 > 1 is false.
            FlagPost(id: "P2", selfLevel: "高", controls: 0, level: 1),
        ], scheme: s)
        #expect(report.flags().map { [$0.postID, $0.code.code, $0.value, $0.threshold] } == [
            ["P1", "UNDER_SELF_ASSESSED", "Ⅰ级", "Ⅲ级"],
            ["P1", "NO_CONTROLS", "0", "Ⅲ级"],
            ["P2", "NO_CONTROLS", "0", "Ⅱ级"],
        ])
        #expect(report.flags().first?.reason == "自评 Ⅰ级，测算 Ⅲ级")
    }

    @Test func explanations() {
        #expect(PostFlagCode.allCases.map(\.explanation) == [
            "自评等级低于测算等级", "信访及问责记录显著高于同类岗位", "较上年风险分变化超过阈值",
            "高风险岗位任职超过轮岗年限", "高中风险岗位未制定防控措施",
        ])
    }
}

@Suite struct FlagPipelineTests {
    /// Through the kernel, year 2025 with the previous year (as_of 2024-12-31).
    /// 执法, 5 posts with no powers: P1–P4 one 信访举报 (1) 属实 (1.0) on 2025-12-31 (age 0):
    /// Hraw 1; P5 three 党纪政纪处分 (6) 属实 that day: Hraw 18.
    /// Group 1 1 1 1 18: median 1, MAD 0, MeanAD = 17/5 = 3.4;
    /// z(18) = 17/(1.253314·3.4) = 17/4.2612676 = 3.98942… ≥ 3.5 and 18 ≥ 3 → PEER_OUTLIER "3.99".
    /// P5's score: H = 1 − e^(−18/5) = 0.972676, S = 100·0.3·0.972676 = 29.1803 → 29.18;
    /// in 2024 the incidents are after as_of: score 0, Δ = 29.18 ≥ 20 → SCORE_JUMP "29.18".
    /// P1: H = 1 − e^(−0.2) = 0.181269, S = 5.438 → 5.44, Δ 5.44: no jump. All 三级.
    @Test func kernelToFlags() throws {
        var b = DatasetBuilder()
        for i in 1...5 { b.post("P\(i)", category: "执法") }
        for i in 1...4 { b.incident("X\(i)", Int32(i - 1), date: "2025-12-31", kind: "信访举报") }
        for k in 1...3 { b.incident("Y\(k)", 4, date: "2025-12-31", kind: "党纪政纪处分") }
        let d = b.build()
        let s = Scheme.default
        let risk = RiskKernel(scheme: s, year: 2025, withPreviousYear: true).run(try RiskInput(dataset: d, scheme: s))
        #expect(risk.score == [544, 544, 544, 544, 2918])
        let report = FlagReport(dataset: d, risk: risk, scheme: s, year: 2025)
        #expect(report.flags().map { [$0.postID, $0.code.code, $0.value, $0.threshold] } == [
            ["P5", "PEER_OUTLIER", "3.99", "3.5"],
            ["P5", "SCORE_JUMP", "29.18", "20"],
        ])
        #expect(report.flagCodes(post: 4) == "PEER_OUTLIER;SCORE_JUMP")
        #expect(report.peerOutliers().first?.group == PeerGroup(category: "执法", size: 5, median: 1, mad: 0, meanAD: 3.4))
    }

    /// Same answer for every thread count, and the same as a naive per-group
    /// computation of SPEC §6 written here by full sort. 20,000 posts make
    /// groups of about 2,500 (8 categories), past the sampled-selection size.
    @Test(arguments: [(UInt64(7), 20_000), (8, 5_000)])
    func parallelMatchesReference(seed: UInt64, posts: Int) throws {
        let s = Scheme.default
        let d = SyntheticDataset.make(posts: posts, seed: seed, scheme: s)
        let risk = RiskKernel(scheme: s, year: 2025, withPreviousYear: true).run(try RiskInput(dataset: d, scheme: s))
        let one = FlagReport(dataset: d, risk: risk, scheme: s, year: 2025, threads: 1)
        for threads in [2, 3] {
            let many = FlagReport(dataset: d, risk: risk, scheme: s, year: 2025, threads: threads)
            #expect(many.mask == one.mask, "seed \(seed), threads \(threads)")
            #expect(many.peers.groups == one.peers.groups, "seed \(seed), threads \(threads)")
        }
        if posts >= 20_000 { #expect(one.peers.groups.contains { $0.size > OrderStatistics.smallGroup }) }
        var members: [String: [Int]] = [:]
        for p in 0..<d.posts.count {
            let c = d.posts.category[p]
            members[c.isEmpty ? "未分类" : c, default: []].append(p)
        }
        var expectedOutliers: [Int] = []
        for (_, posts) in members {
            let x = posts.map { risk.historyRaw[$0] }
            let median = sortedMedian(x)
            let deviations = x.map { ($0 - median).magnitude }
            let mad = sortedMedian(deviations)
            let meanAD = deviations.reduce(0, +) / Double(x.count)
            for (k, p) in posts.enumerated() where posts.count >= 5 && x[k] >= 3 {
                let z = mad != 0 ? 0.6745 * (x[k] - median) / mad : (meanAD != 0 ? (x[k] - median) / (1.253314 * meanAD) : -.infinity)
                if z >= 3.5 { expectedOutliers.append(p) }
            }
        }
        #expect(one.peerOutliers().map(\.post) == expectedOutliers.sorted(), "seed \(seed)")
        #expect(one.flagCount == one.flags().count)
    }
}

@Suite struct FlagsCSVTests {
    /// "=P1" sorts before "P2" (0x3D < 0x50). =P1: self 低 at 一级 with controls 0;
    /// P2: 20.00 → 40.00 is −20.00. Text cells (post_id, code, level names) get the
    /// guard, numbers (−20.00) do not.
    @Test func tinyFile() {
        let report = flagReport([
            FlagPost(id: "=P1", selfLevel: "低", controls: 0, level: 0),
            FlagPost(id: "P2", score: 2000, previous: 4000),
        ])
        let expected = "\u{FEFF}year,post_id,code,value,threshold\r\n"
            + "2025,'=P1,UNDER_SELF_ASSESSED,三级,一级\r\n"
            + "2025,'=P1,NO_CONTROLS,0,一级\r\n"
            + "2025,P2,SCORE_JUMP,-20.00,20\r\n"
        #expect(FlagsCSV.render(report) == Array(expected.utf8))
        let zh = FlagsCSV.render(report, chineseHeaders: true)
        #expect(String(decoding: zh, as: UTF8.self).hasPrefix("\u{FEFF}年度,岗位编号,预警代码,值,阈值\r\n2025,'=P1,"))
    }

    /// Level names that look like formulas are guarded in flags.csv (text values).
    @Test func levelNamesAreGuarded() throws {
        let s = try scheme { $0.replacingOccurrences(of: "\"name\": \"一级\"", with: "\"name\": \"+一级\"") }
        let report = flagReport([FlagPost(id: "P1", selfLevel: "低", controls: 0, level: 0)], scheme: s)
        let expected = "\u{FEFF}year,post_id,code,value,threshold\r\n"
            + "2025,P1,UNDER_SELF_ASSESSED,三级,'+一级\r\n"
            + "2025,P1,NO_CONTROLS,0,'+一级\r\n"
        #expect(FlagsCSV.render(report) == Array(expected.utf8))
    }

    @Test func noFlagsIsHeaderOnly() {
        let report = flagReport([FlagPost(id: "P1")])
        #expect(FlagsCSV.render(report) == Array("\u{FEFF}year,post_id,code,value,threshold\r\n".utf8))
    }
}

@Suite struct FlagFormatTests {
    @Test(arguments: [
        (3.5, "3.50"),
        (65.4265, "65.43"),
        // 0.125 and 0.375 are exact binary ties: to even, as printf does.
        (0.125, "0.12"), (0.375, "0.38"),
        // 2.675 is 2.67499999999999982236431605997495353221893310546875 in binary64.
        (2.675, "2.67"),
        // 1.005 is 1.00499999999999989341858963598497211933135986328125.
        (1.005, "1.00"),
        (0.995, "0.99"),  // 0.99499999999999999555910790149937383830547332763671875
        (3.989423241103187, "3.99"),
        (-0.001, "-0.00"), (-1.5, "-1.50"), (0, "0.00"), (99.999, "100.00"),
        (1e13, "10000000000000.00"), (123456789012.345, "123456789012.35"),
    ])
    func fixed2(_ x: Double, _ text: String) {
        #expect(FlagFormat.fixed2(x) == text)
        #expect(FlagFormat.fixed2(x) == String(format: "%.2f", x))
        // The bytes flags.csv and scorecards.json are written from.
        let buffer = ByteBuffer()
        FlagFormat.appendFixed2(x, to: buffer)
        #expect(buffer.array == Array(text.utf8))
    }
}
