/// The risk-point flags of SPEC §6 (风险点台账): NO_MEASURES and
/// BOILERPLATE for every risk point, and what risk_points.csv prints.
public struct RiskPointReport: Sendable {
    /// The year Y whose levels the points were judged by.
    public let year: Int
    /// The scheme whose levels, supervisors and thresholds apply.
    public let scheme: Scheme
    /// Each point's flags as a bit mask of `RiskPointFlagCode.bit`, by point_id.
    public private(set) var mask: [UInt8]
    /// For each point, how many distinct posts have a point with the same
    /// normalised description (its own post included).
    public private(set) var sharingPosts: [Int32]
    /// Number of points raising each code, indexed by `RiskPointFlagCode.rawValue`.
    public private(set) var counts: [Int]

    let dataset: Dataset
    let level: [UInt8]

    /// Flags every risk point of `dataset`; `level` is each post's final
    /// level (`RiskResult.level`) under `scheme` for `year`.
    /// - Complexity: O(total description length + points·log points).
    public init(dataset: Dataset, level: [UInt8], scheme: Scheme, year: Int) {
        precondition(level.count == dataset.posts.count, "levels of another dataset")
        self.year = year
        self.scheme = scheme
        self.dataset = dataset
        self.level = level
        let points = dataset.riskPoints
        let sharing = Self.sharingPosts(points)
        let minPosts = scheme.flags.boilerplateMinPosts
        sharingPosts = sharing
        let flags = (0..<points.count).map { i in
            var m: UInt8 = 0
            if level[Int(points.post[i])] <= 1 && points.measures.isEmpty(at: i) { m |= RiskPointFlagCode.noMeasures.bit }
            if Int(sharing[i]) >= minPosts { m |= RiskPointFlagCode.boilerplate.bit }
            return m
        }
        mask = flags
        counts = RiskPointFlagCode.allCases.map { code in flags.reduce(0) { $0 + ($1 & code.bit != 0 ? 1 : 0) } }
    }

    /// Number of risk points.
    public var pointCount: Int { mask.count }

    /// Point `i`'s flags in table order.
    public func codes(point i: Int) -> [RiskPointFlagCode] { RiskPointFlagCode.codes(in: mask[i]) }

    /// The risk_points.csv `flags` text of point `i`: codes in table order
    /// joined by `;`, empty when none.
    public func flagCodes(point i: Int) -> String {
        joinedCodes(mask[i], bit: { (c: RiskPointFlagCode) in c.bit }, code: \.code)
    }

    /// Whether point `i` has any 防控措施.
    public func hasMeasures(point i: Int) -> Bool { !dataset.riskPoints.measures.isEmpty(at: i) }

    /// The evidence for `code` on point `i` in one Chinese sentence.
    public func reason(_ code: RiskPointFlagCode, point i: Int) -> String {
        switch code {
        case .noMeasures:
            return "\(scheme.levels[Int(level[Int(dataset.riskPoints.post[i])])].name)岗位的风险点未填写防控措施"
        case .boilerplate:
            return "相同表述见于 \(sharingPosts[i]) 个岗位的风险点（阈值 \(scheme.flags.boilerplateMinPosts)）"
        }
    }

    /// The distinct posts sharing each point's normalised description: texts
    /// get dense codes, (code, post) pairs are sorted and counted once each.
    private static func sharingPosts(_ points: RiskPointTable) -> [Int32] {
        var codeOf: [[UInt8]: Int] = [:]
        let textCode = (0..<points.count).map { i in
            let key = Array(normalizedDescription(points.description[i]).utf8)
            if let k = codeOf[key] { return k }
            codeOf[key] = codeOf.count
            return codeOf.count - 1
        }
        var pairs = zip(textCode, points.post).map { UInt64($0) << 32 | UInt64(UInt32(bitPattern: $1)) }
        pairs.sort()
        var postsPerText = [Int32](repeating: 0, count: codeOf.count)
        for (k, pair) in pairs.enumerated() where k == 0 || pairs[k - 1] != pair {
            postsPerText[Int(pair >> 32)] += 1
        }
        return textCode.map { postsPerText[$0] }
    }
}

extension RiskPointReport {
    /// The description with every Unicode White_Space character and every
    /// character of `，。、；：？！“”‘’（）《》【】…—,.;:?!"'()[]<>-` removed,
    /// the rest unchanged (SPEC §6). Texts normalising to the same scalars
    /// (compared as UTF-8 bytes, no Unicode normalisation) are "shared".
    public static func normalizedDescription(_ text: String) -> String {
        var scalars = String.UnicodeScalarView()
        for s in text.unicodeScalars where !isIgnored(s) { scalars.append(s) }
        return String(scalars)
    }

    /// The characters of the punctuation list of SPEC §6, exactly as written there.
    static let ignoredPunctuation = Set("，。、；：？！“”‘’（）《》【】…—,.;:?!\"'()[]<>-".unicodeScalars)

    /// White_Space (Unicode PropList) or one of `ignoredPunctuation`.
    @inline(__always)
    static func isIgnored(_ s: Unicode.Scalar) -> Bool {
        switch s.value {
        case 0x09...0x0D, 0x20, 0x85, 0xA0, 0x1680, 0x2000...0x200A, 0x2028, 0x2029, 0x202F, 0x205F, 0x3000:
            return true
        default:
            return ignoredPunctuation.contains(s)
        }
    }
}
