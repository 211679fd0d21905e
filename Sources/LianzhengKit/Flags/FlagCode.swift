/// 预警代码 of a post (SPEC §6), declared in table order: the order flags.csv
/// lists a post's flags in and the order of the posts.csv `flags` column.
public enum PostFlagCode: UInt8, CaseIterable, Sendable, Comparable {
    /// 自评等级低于测算等级.
    case underSelfAssessed = 0
    /// 信访及问责记录显著高于同类岗位.
    case peerOutlier = 1
    /// 较上年风险分变化超过阈值.
    case scoreJump = 2
    /// 高风险岗位任职超过轮岗年限.
    case rotationOverdue = 3
    /// 高中风险岗位未制定防控措施.
    case noControls = 4

    /// The code as written in flags.csv and posts.csv.
    public var code: String {
        switch self {
        case .underSelfAssessed: "UNDER_SELF_ASSESSED"
        case .peerOutlier: "PEER_OUTLIER"
        case .scoreJump: "SCORE_JUMP"
        case .rotationOverdue: "ROTATION_OVERDUE"
        case .noControls: "NO_CONTROLS"
        }
    }

    /// What the flag means, in the words a discipline-inspection reviewer uses.
    public var explanation: String {
        switch self {
        case .underSelfAssessed: "自评等级低于测算等级"
        case .peerOutlier: "信访及问责记录显著高于同类岗位"
        case .scoreJump: "较上年风险分变化超过阈值"
        case .rotationOverdue: "高风险岗位任职超过轮岗年限"
        case .noControls: "高中风险岗位未制定防控措施"
        }
    }

    /// This code's bit in a per-post flag mask.
    @inline(__always)
    public var bit: UInt8 { 1 << rawValue }

    /// Whether flags.csv's `value` is text for this code (a level name, with
    /// the formula guard) rather than a number.
    public var valueIsText: Bool { self == .underSelfAssessed }

    /// Whether flags.csv's `threshold` is text (a level name) for this code.
    public var thresholdIsText: Bool { self == .underSelfAssessed || self == .noControls }

    /// The code named `text` (exact), if any.
    public init?(code text: String) {
        guard let match = Self.allCases.first(where: { $0.code == text }) else { return nil }
        self = match
    }

    /// The codes set in `mask`, in table order.
    public static func codes(in mask: UInt8) -> [PostFlagCode] {
        allCases.filter { mask & $0.bit != 0 }
    }

    /// Table order.
    public static func < (a: Self, b: Self) -> Bool { a.rawValue < b.rawValue }
}

/// 预警代码 of a risk point (SPEC §6, risk_points.csv), in table order.
public enum RiskPointFlagCode: UInt8, CaseIterable, Sendable, Comparable {
    /// 高中风险岗位的风险点未制定防控措施.
    case noMeasures = 0
    /// 风险点表述与多个岗位雷同 (力戒拿来主义).
    case boilerplate = 1

    /// The code as written in risk_points.csv.
    public var code: String {
        switch self {
        case .noMeasures: "NO_MEASURES"
        case .boilerplate: "BOILERPLATE"
        }
    }

    /// What the flag means, in Chinese.
    public var explanation: String {
        switch self {
        case .noMeasures: "高中风险岗位的风险点未制定防控措施"
        case .boilerplate: "风险点表述与多个岗位雷同，疑似照搬照抄"
        }
    }

    /// This code's bit in a per-point flag mask.
    @inline(__always)
    public var bit: UInt8 { 1 << rawValue }

    /// The codes set in `mask`, in table order.
    public static func codes(in mask: UInt8) -> [RiskPointFlagCode] {
        allCases.filter { mask & $0.bit != 0 }
    }

    /// Table order.
    public static func < (a: Self, b: Self) -> Bool { a.rawValue < b.rawValue }
}

/// Codes of `mask` joined by `;`, as the `flags` columns print them.
func joinedCodes<Code: CaseIterable>(_ mask: UInt8, bit: (Code) -> UInt8, code: (Code) -> String) -> String {
    var out = ""
    for c in Code.allCases where mask & bit(c) != 0 {
        if !out.isEmpty { out += ";" }
        out += code(c)
    }
    return out
}
