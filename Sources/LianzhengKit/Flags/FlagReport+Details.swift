/// One row of the 预警清单: a post, a code, the `value` and `threshold` of
/// SPEC §6 as flags.csv prints them, and a reason a reviewer can read.
public struct PostFlag: Sendable, Equatable {
    /// Row index of the post (post_id order).
    public var post: Int
    /// 岗位编号.
    public var postID: String
    /// 预警代码.
    public var code: PostFlagCode
    /// As flags.csv prints it: a level name (UNDER_SELF_ASSESSED) or a number.
    public var value: String
    /// As flags.csv prints it: a level name (UNDER_SELF_ASSESSED, NO_CONTROLS) or a number.
    public var threshold: String
    /// The evidence in one Chinese sentence, e.g. "自评 三级，测算 一级".
    public var reason: String

    /// A flag row as computed (or read back from a run).
    public init(post: Int, postID: String, code: PostFlagCode, value: String, threshold: String, reason: String) {
        self.post = post
        self.postID = postID
        self.code = code
        self.value = value
        self.threshold = threshold
        self.reason = reason
    }

    /// What the code means in Chinese (自评等级低于测算等级 …).
    public var explanation: String { code.explanation }

    /// Whether `value` is a text value of flags.csv (a level name), which
    /// gets the formula guard; numbers never do.
    public var valueIsText: Bool { code.valueIsText }

    /// Whether `threshold` is a text value of flags.csv (a level name).
    public var thresholdIsText: Bool { code.thresholdIsText }
}

/// The evidence behind one PEER_OUTLIER flag, for the scorecards: the post's
/// Hraw, its group's statistics and its z, enough to re-derive the flag by hand.
public struct PeerOutlierEvidence: Sendable, Equatable {
    /// Row index of the post.
    public var post: Int
    /// 岗位编号.
    public var postID: String
    /// Index into `PeerStatistics.groups`.
    public var groupIndex: Int
    /// The statistics of the post's peer group.
    public var group: PeerGroup
    /// The post's Hraw (SPEC §4).
    public var historyRaw: Double
    /// The modified z of `historyRaw` in `group`, unrounded.
    public var z: Double

    /// Evidence as computed (or read back from a scorecard).
    public init(post: Int, postID: String, groupIndex: Int, group: PeerGroup, historyRaw: Double, z: Double) {
        self.post = post
        self.postID = postID
        self.groupIndex = groupIndex
        self.group = group
        self.historyRaw = historyRaw
        self.z = z
    }
}

extension FlagReport {
    /// Every flag, by (post_id, code in table order): the rows of flags.csv.
    public func flags() -> [PostFlag] {
        var out: [PostFlag] = []
        out.reserveCapacity(flagCount)
        for p in mask.indices where mask[p] != 0 { out += flags(post: p) }
        return out
    }

    /// Post `p`'s flags in table order, with values, thresholds and reasons.
    public func flags(post p: Int) -> [PostFlag] {
        codes(post: p).map { flag($0, post: p) }
    }

    /// The PEER_OUTLIER evidence of every flagged post, in post_id order.
    public func peerOutliers() -> [PeerOutlierEvidence] {
        mask.indices.filter { mask[$0] & PostFlagCode.peerOutlier.bit != 0 }.map { p in
            let g = Int(peers.groupOfPost[p])
            let group = peers.groups[g]
            let x = risk.historyRaw[p]
            return PeerOutlierEvidence(
                post: p, postID: posts.id[p], groupIndex: g, group: group, historyRaw: x, z: group.z(x)!)
        }
    }

    /// The row for `code` on post `p` (which must raise it).
    public func flag(_ code: PostFlagCode, post p: Int) -> PostFlag {
        let (value, threshold, reason) = texts(code, post: p)
        return PostFlag(post: p, postID: posts.id[p], code: code, value: value, threshold: threshold, reason: reason)
    }

    /// The texts of `flag(code, post: p)`, without the row's other fields.
    func texts(_ code: PostFlagCode, post p: Int) -> (value: String, threshold: String, reason: String) {
        var texts = FlagTexts(self)
        texts.fill(code, post: p)
        return (String(decoding: texts.value, as: UTF8.self), String(decoding: texts.threshold, as: UTF8.self),
            String(decoding: texts.reason, as: UTF8.self))
    }

    /// `value` and `threshold` of flags.csv for `code` on post `p` (SPEC §6):
    /// level names, z and score change with 2 decimals, data and scheme
    /// numbers in shortest form.
    public func valueAndThreshold(_ code: PostFlagCode, post p: Int) -> (value: String, threshold: String) {
        let (value, threshold, _) = texts(code, post: p)
        return (value, threshold)
    }

    /// The evidence for `code` on post `p` in one Chinese sentence a
    /// reviewer can check ("自评 三级，测算 一级").
    public func reason(_ code: PostFlagCode, post p: Int) -> String {
        texts(code, post: p).reason
    }
}

extension FlagReport {
    /// A short Chinese summary: totals, then one line per code with its count.
    public func summaryLines() -> [String] {
        var lines = ["\(year) 年预警清单：岗位 \(postCount) 个，预警 \(flagCount) 条，涉及 \(flaggedPostCount) 个岗位。"]
        for code in PostFlagCode.allCases {
            lines.append("  \(code.code)（\(code.explanation)）：\(counts[Int(code.rawValue)])")
        }
        return lines
    }
}

extension RiskPointReport {
    /// A short Chinese summary of the risk-point flags.
    public func summaryLines() -> [String] {
        var lines = ["风险点 \(pointCount) 个："]
        for code in RiskPointFlagCode.allCases {
            lines.append("  \(code.code)（\(code.explanation)）：\(counts[Int(code.rawValue)])")
        }
        return lines
    }
}
