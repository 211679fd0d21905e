/// 预警清单 of one year (SPEC §6): which of the five flags each post
/// raises, and everything needed to print and explain them.
///
/// ```
/// let kernel = RiskKernel(scheme: scheme, year: 2025, withPreviousYear: true)
/// let risk = kernel.run(try RiskInput(dataset: d, scheme: scheme))
/// let flags = FlagReport(dataset: d, risk: risk, scheme: scheme, year: 2025)
/// flags.flagCodes(post: 0)   // "PEER_OUTLIER;NO_CONTROLS"
/// ```
public struct FlagReport: Sendable {
    /// The year Y flagged.
    public let year: Int
    /// The scheme whose thresholds and level names apply.
    public let scheme: Scheme
    /// Each post's flags as a bit mask of `PostFlagCode.bit`.
    public private(set) var mask: [UInt8]
    /// Each post's 自评等级 as a scheme level index; -1 when blank or when
    /// it names no level of the scheme.
    public private(set) var selfLevel: [Int16]
    /// Posts whose 自评等级 names no level of this scheme (possible when the
    /// snapshot was imported under another scheme); they get no
    /// UNDER_SELF_ASSESSED flag.
    public private(set) var unresolvedSelfLevels: Int
    /// The peer groups PEER_OUTLIER compared against.
    public let peers: PeerStatistics
    /// Number of flags raised per code, indexed by `PostFlagCode.rawValue`.
    public private(set) var counts: [Int]

    let posts: PostTable
    let risk: RiskResult
    /// The scheme's thresholds as flags.csv prints them (shortest form),
    /// formatted once rather than for each of hundreds of thousands of flags.
    let thresholdTexts: (peerZ: String, scoreJump: String, rotationYears: String)

    /// Evaluates the five flags for every post of `dataset`, in parallel
    /// (bit-identical for every thread count).
    ///
    /// `risk` must come from a kernel run for `year` on the same dataset and
    /// scheme; SCORE_JUMP needs its previous-year scores
    /// (`withPreviousYear: true`) and is not raised without them.
    /// - Complexity: O(posts) expected; about as much work per post as
    ///   hashing its category and self level once.
    public init(dataset: Dataset, risk: RiskResult, scheme: Scheme, year: Int, threads: Int? = nil) {
        precondition(risk.count == dataset.posts.count, "risk result of another dataset")
        self.year = year
        self.scheme = scheme
        self.posts = dataset.posts
        self.risk = risk
        thresholdTexts = (
            shortestDecimal(scheme.flags.peerZ), shortestDecimal(scheme.flags.scoreJump),
            shortestDecimal(scheme.flags.rotationYears))
        peers = PeerStatistics(historyRaw: risk.historyRaw, categories: dataset.posts.category, threads: threads)
        let n = dataset.posts.count
        mask = [UInt8](repeating: 0, count: n)
        selfLevel = [Int16](repeating: -1, count: n)
        let evaluation = FlagEvaluation(scheme: scheme, peers: peers)
        let tally = evaluation.run(posts: dataset.posts, risk: risk, mask: &mask, selfLevel: &selfLevel, threads: threads)
        unresolvedSelfLevels = tally.unresolved
        counts = PostFlagCode.allCases.map { tally.codes[Int($0.rawValue)] }
    }

    /// Number of posts.
    public var postCount: Int { mask.count }

    /// Total number of flags (rows of flags.csv).
    public var flagCount: Int { counts.reduce(0, +) }

    /// Number of posts with at least one flag.
    public var flaggedPostCount: Int { mask.reduce(0) { $0 + ($1 == 0 ? 0 : 1) } }

    /// Post `p`'s flags in table order.
    public func codes(post p: Int) -> [PostFlagCode] { PostFlagCode.codes(in: mask[p]) }

    /// Whether post `p` raises `code`.
    public func has(_ code: PostFlagCode, post p: Int) -> Bool { mask[p] & code.bit != 0 }

    /// The posts.csv `flags` text of post `p`: codes in table order joined
    /// by `;`, empty when none.
    public func flagCodes(post p: Int) -> String {
        Self.codeTexts[Int(mask[p])]
    }

    /// The `flags` text of every mask, made once: posts.csv and
    /// scorecards.json print one per post.
    static let codeTexts: [String] = (0...255).map {
        joinedCodes(UInt8($0), bit: { (c: PostFlagCode) in c.bit }, code: \.code)
    }
}

/// The per-post pass: resolves self levels and applies the five rules of
/// SPEC §6 to each chunk of posts.
private struct FlagEvaluation {
    let rules: FlagRules
    let scheme: Scheme
    /// Per group: what the peer rule needs, without strings.
    let peerRules: [PeerRule]

    /// Index into `peerRules` of each post.
    let groupOfPost: [Int32]

    init(scheme: Scheme, peers: PeerStatistics) {
        self.scheme = scheme
        rules = scheme.flags
        peerRules = peers.groups.map { PeerRule($0, rules: scheme.flags) }
        groupOfPost = peers.groupOfPost
    }

    /// Fills `mask` and `selfLevel`; returns the counts of all chunks.
    func run(posts: PostTable, risk: RiskResult, mask: inout [UInt8], selfLevel: inout [Int16], threads: Int?) -> FlagTally {
        let n = posts.count
        guard n > 0 else { return FlagTally() }
        let chunkSize = 4096
        var tallies = [FlagTally](repeating: FlagTally(), count: chunkCount(n, chunkSize))
        let previous = risk.previousScore
        posts.selfLevel.bytes.withUnsafeBufferPointer { arena in
            posts.selfLevel.ends.withUnsafeBufferPointer { ends in
                mask.withUnsafeMutableBufferPointer { maskBuffer in
                    selfLevel.withUnsafeMutableBufferPointer { selfBuffer in
                        tallies.withUnsafeMutableBufferPointer { tallyBuffer in
                            let text = Unchecked((arena: arena, ends: ends))
                            let out = Unchecked((
                                mask: SharedSlots(base: maskBuffer.baseAddress!),
                                selfLevel: SharedSlots(base: selfBuffer.baseAddress!),
                                tally: SharedSlots(base: tallyBuffer.baseAddress!)))
                            forEachChunk(count: n, chunkSize: chunkSize, threads: threads) { c, rows in
                                var resolver = SelfLevelResolver(scheme: scheme)
                                var tally = FlagTally()
                                for p in rows {
                                    let range = TextColumn.range(p, ends: text.value.ends)
                                    let own = range.isEmpty ? -1 : resolver.level(of: range, in: text.value.arena)
                                    let m = flags(post: p, selfLevel: own, posts: posts, risk: risk, previous: previous)
                                    out.value.selfLevel[p] = Int16(own)
                                    out.value.mask[p] = m
                                    tally.add(m)
                                }
                                tally.unresolved = resolver.unresolved
                                out.value.tally[c] = tally
                            }
                        }
                    }
                }
            }
        }
        return tallies.reduce(into: FlagTally()) { $0.merge($1) }
    }

    /// The five rules of SPEC §6 for post p, in table order.
    @inline(__always)
    func flags(post p: Int, selfLevel own: Int, posts: PostTable, risk: RiskResult, previous: [Int64]?) -> UInt8 {
        let level = Int(risk.level[p])
        var m: UInt8 = 0
        if own > level { m |= PostFlagCode.underSelfAssessed.bit }
        if peerRules[Int(groupOfPost[p])].flags(risk.historyRaw[p]) { m |= PostFlagCode.peerOutlier.bit }
        if let previous {
            let change = risk.score[p] - previous[p]
            if change >= rules.scoreJumpHundredths || -change >= rules.scoreJumpHundredths { m |= PostFlagCode.scoreJump.bit }
        }
        if level == 0, posts.tenureYears[p] >= rules.rotationYears { m |= PostFlagCode.rotationOverdue.bit }
        if level <= 1, posts.controls[p] == 0 { m |= PostFlagCode.noControls.bit }
        return m
    }
}

/// Flags counted per code, and unresolved self levels, of some posts.
struct FlagTally: Sendable {
    /// Indexed by `PostFlagCode.rawValue`.
    var codes = SIMD8<Int>()
    var unresolved = 0

    @inline(__always)
    mutating func add(_ mask: UInt8) {
        var bits = mask
        while bits != 0 {
            codes[bits.trailingZeroBitCount] &+= 1
            bits &= bits - 1
        }
    }

    mutating func merge(_ other: FlagTally) {
        codes &+= other.codes
        unresolved += other.unresolved
    }
}

/// A peer group reduced to the numbers the PEER_OUTLIER test reads per post.
private struct PeerRule {
    let eligible: Bool
    let median: Double
    let mad: Double
    let meanAD: Double
    let peerZ: Double
    let minHraw: Double

    init(_ group: PeerGroup, rules: FlagRules) {
        eligible = group.size >= rules.peerMinGroup && group.method != .undefined
        median = group.median
        mad = group.mad
        meanAD = group.meanAD ?? 0
        peerZ = rules.peerZ
        minHraw = rules.peerMinHraw
    }

    /// `PeerGroup.isOutlier`, string-free.
    @inline(__always)
    func flags(_ x: Double) -> Bool {
        guard eligible, x >= minHraw, let z = PeerGroup.modifiedZ(x, median: median, mad: mad, meanAD: meanAD) else {
            return false
        }
        return z >= peerZ
    }
}

/// Resolves 自评等级 texts with `Scheme.levelIndex(named:)`, once per
/// distinct text in a chunk.
private struct SelfLevelResolver {
    let scheme: Scheme
    var table = ByteStringTable()
    /// Level index per code of `table`, -1 when the text names no level.
    var resolved: [Int] = []
    var unresolved = 0

    init(scheme: Scheme) { self.scheme = scheme }

    @inline(__always)
    mutating func level(of range: Range<Int>, in arena: UnsafeBufferPointer<UInt8>) -> Int {
        let k = Int(table.code(of: range, in: arena))
        if k == resolved.count { resolved.append(scheme.levelIndex(named: table.text(k, in: arena)) ?? -1) }
        if resolved[k] < 0 { unresolved += 1 }
        return resolved[k]
    }
}
