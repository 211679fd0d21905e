/// 核实情况 of an incident.
public enum IncidentStatus: UInt8, Sendable, CaseIterable {
    /// 属实
    case verified = 0
    /// 部分属实
    case partial = 1
    /// 待核实
    case pending = 2
    /// 不属实
    case unfounded = 3

    /// The canonical Chinese name.
    public var chineseName: String {
        switch self {
        case .verified: "属实"
        case .partial: "部分属实"
        case .pending: "待核实"
        case .unfounded: "不属实"
        }
    }

    public var englishName: String {
        switch self {
        case .verified: "verified"
        case .partial: "partial"
        case .pending: "pending"
        case .unfounded: "unfounded"
        }
    }

    /// Parses raw UTF-8 bytes without creating a string in the common case
    /// (the exact Chinese name), else as `init(text:)`.
    public init?(bytes: UnsafeBufferPointer<UInt8>) {
        // `sameBytes` (one memcmp), not `elementsEqual`: the generic
        // sequence comparison showed in the profile of reading 5 M incidents.
        for status in Self.allCases where Self.chineseBytes[Int(status.rawValue)].withUnsafeBufferPointer({ sameBytes($0, bytes) }) {
            self = status
            return
        }
        self.init(text: String(decoding: bytes, as: UTF8.self))
    }

    private static let chineseBytes: [[UInt8]] = allCases.map { Array($0.chineseName.utf8) }

    /// Parses the Chinese name (exact) or English word (case-insensitive).
    public init?(text: String) {
        let lower = text.lowercased()
        guard let match = Self.allCases.first(where: { $0.chineseName == text || $0.englishName == lower }) else {
            return nil
        }
        self = match
    }
}

/// 对象类型 of an assessment subject.
public enum SubjectType: UInt8, Sendable, CaseIterable, Comparable {
    case unit = 0
    case post = 1

    public var chineseName: String { self == .unit ? "单位" : "岗位" }
    public var englishName: String { self == .unit ? "unit" : "post" }

    public init?(text: String) {
        let lower = text.lowercased()
        guard let match = Self.allCases.first(where: { $0.chineseName == text || $0.englishName == lower }) else {
            return nil
        }
        self = match
    }

    public static func < (a: Self, b: Self) -> Bool { a.englishName < b.englishName }
}

/// 类型 of an adjustment row.
public enum AdjustmentType: UInt8, Sendable, CaseIterable {
    /// 加分
    case bonus = 0
    /// 扣分
    case deduction = 1
    /// 一票否决
    case veto = 2

    public var chineseName: String {
        switch self {
        case .bonus: "加分"
        case .deduction: "扣分"
        case .veto: "一票否决"
        }
    }

    public var englishName: String {
        switch self {
        case .bonus: "bonus"
        case .deduction: "deduction"
        case .veto: "veto"
        }
    }

    public init?(text: String) {
        let lower = text.lowercased()
        guard let match = Self.allCases.first(where: { $0.chineseName == text || $0.englishName == lower }) else {
            return nil
        }
        self = match
    }
}

/// 风险类型 of a risk point (SPEC §2 risk_points.csv).
public enum RiskPointType: UInt8, Sendable, CaseIterable {
    /// 思想道德
    case moral = 0
    /// 岗位职责
    case duty = 1
    /// 业务流程
    case process = 2
    /// 制度机制
    case institution = 3
    /// 外部环境
    case external = 4

    public var chineseName: String {
        switch self {
        case .moral: "思想道德"
        case .duty: "岗位职责"
        case .process: "业务流程"
        case .institution: "制度机制"
        case .external: "外部环境"
        }
    }

    public var englishName: String {
        switch self {
        case .moral: "moral"
        case .duty: "duty"
        case .process: "process"
        case .institution: "institution"
        case .external: "external"
        }
    }

    public init?(text: String) {
        let lower = text.lowercased()
        guard let match = Self.allCases.first(where: { $0.chineseName == text || $0.englishName == lower }) else {
            return nil
        }
        self = match
    }
}
