/// 评分方案: the validated rules a run computes with (SPEC §3).
///
/// Built only by `SchemeParser` from JSON, so every instance is valid.
/// Points are integer hundredths (`Int64`); risk factors are binary64.
public struct Scheme: Sendable, Equatable {
    public var name: String
    public var version: String
    /// 风险等级, most severe first.
    public var levels: [RiskLevel]
    /// 最低等级规则, in scheme order.
    public var levelFloors: [LevelFloor]
    public var risk: RiskRules
    public var assessment: AssessmentRules
    public var flags: FlagRules
    /// The canonical JSON text (sorted keys, no whitespace, numbers in
    /// shortest form): what is stored with a run and hashed.
    public var canonicalJSON: String
    /// SHA-256 (lowercase hex) of `canonicalJSON`.
    public var fingerprint: String

    public init(
        name: String, version: String, levels: [RiskLevel], levelFloors: [LevelFloor],
        risk: RiskRules, assessment: AssessmentRules, flags: FlagRules,
        canonicalJSON: String, fingerprint: String
    ) {
        self.name = name
        self.version = version
        self.levels = levels
        self.levelFloors = levelFloors
        self.risk = risk
        self.assessment = assessment
        self.flags = flags
        self.canonicalJSON = canonicalJSON
        self.fingerprint = fingerprint
    }

    /// Index of the level whose name or one of whose aliases is exactly `text`.
    public func levelIndex(named text: String) -> Int? {
        levels.firstIndex { $0.name == text || $0.aliases.contains(text) }
    }

    /// The first level whose minimum is at or below `score` (hundredths).
    public func scoreLevel(hundredths score: Int64) -> Int {
        levels.firstIndex { $0.minScoreHundredths <= score } ?? (levels.count - 1)
    }

    /// The first band whose minimum is at or below `total` (hundredths).
    public func band(forTotal total: Int64) -> Int {
        assessment.bands.firstIndex { $0.min <= total } ?? (assessment.bands.count - 1)
    }
}

/// One 风险等级.
public struct RiskLevel: Sendable, Equatable {
    public var name: String
    public var aliases: [String]
    /// `min_score` as written (binary64), for display.
    public var minScore: Double
    /// The smallest score in hundredths that reaches this level:
    /// ceil(min_score × 100), computed exactly from the JSON literal.
    public var minScoreHundredths: Int64
    /// 监管责任人.
    public var supervisor: String

    public init(name: String, aliases: [String], minScore: Double, minScoreHundredths: Int64, supervisor: String) {
        self.name = name
        self.aliases = aliases
        self.minScore = minScore
        self.minScoreHundredths = minScoreHundredths
        self.supervisor = supervisor
    }
}

/// 最低等级规则: a rule that puts a post at least at `level`.
public struct LevelFloor: Sendable, Equatable {
    /// Index into `Scheme.levels`.
    public var level: Int
    public var condition: Condition

    public enum Condition: Sendable, Equatable {
        /// Holds a power of one of these kinds (indices into `RiskRules.powerKinds`).
        case powerKinds([Int])
        /// 涉及三重一大.
        case keyDecisions
        /// Has an incident of one of these kinds (indices into
        /// `RiskRules.incidentKinds`) with one of these statuses, dated on or
        /// before as_of with binary64 age ≤ `withinYears`.
        case incidents(kinds: [Int], statuses: [IncidentStatus], withinYears: Double)
    }

    public init(level: Int, condition: Condition) {
        self.level = level
        self.condition = condition
    }
}

/// A named weight, kept in scheme order.
public struct NamedWeight: Sendable, Equatable {
    public var name: String
    public var weight: Double
    public init(name: String, weight: Double) {
        self.name = name
        self.weight = weight
    }
}

/// The `risk` section: SPEC §4 parameters.
public struct RiskRules: Sendable, Equatable {
    public var weightPower: Double
    public var weightDiscretion: Double
    public var weightHistory: Double
    /// 职权类别 → weight in [0, 1], in scheme order.
    public var powerKinds: [NamedWeight]
    public var amountCap: Double
    public var countCap: Double
    public var keyDecisionsFloor: Double
    public var halfLifeYears: Double
    public var windowYears: Double
    public var historyScale: Double
    /// 问题线索类别 → severity ≥ 0, in scheme order.
    public var incidentKinds: [NamedWeight]
    /// Indexed by `IncidentStatus.rawValue`.
    public var statusFactors: [Double]

    public init(
        weightPower: Double, weightDiscretion: Double, weightHistory: Double,
        powerKinds: [NamedWeight], amountCap: Double, countCap: Double,
        keyDecisionsFloor: Double, halfLifeYears: Double, windowYears: Double,
        historyScale: Double, incidentKinds: [NamedWeight], statusFactors: [Double]
    ) {
        self.weightPower = weightPower
        self.weightDiscretion = weightDiscretion
        self.weightHistory = weightHistory
        self.powerKinds = powerKinds
        self.amountCap = amountCap
        self.countCap = countCap
        self.keyDecisionsFloor = keyDecisionsFloor
        self.halfLifeYears = halfLifeYears
        self.windowYears = windowYears
        self.historyScale = historyScale
        self.incidentKinds = incidentKinds
        self.statusFactors = statusFactors
    }

    public func powerKindIndex(_ name: String) -> Int? { powerKinds.firstIndex { $0.name == name } }
    public func incidentKindIndex(_ name: String) -> Int? { incidentKinds.firstIndex { $0.name == name } }
}

/// One 考核指标.
public struct Indicator: Sendable, Equatable {
    public var name: String
    /// Maximum score, hundredths.
    public var max: Int64
    public init(name: String, max: Int64) {
        self.name = name
        self.max = max
    }
}

/// One 档次.
public struct Band: Sendable, Equatable {
    public var name: String
    /// Minimum total, hundredths.
    public var min: Int64
    public init(name: String, min: Int64) {
        self.name = name
        self.min = min
    }
}

/// 优秀比例.
public struct Quota: Sendable, Equatable {
    /// Index into `AssessmentRules.bands`; never the last band.
    public var band: Int
    /// `share` in ten-thousandths (0…10000), exact.
    public var shareTenThousandths: Int64
    public init(band: Int, shareTenThousandths: Int64) {
        self.band = band
        self.shareTenThousandths = shareTenThousandths
    }

    /// floor(share × n + 0.5) computed exactly in integers (SPEC §5).
    public func allowance(groupSize n: Int) -> Int {
        Int((shareTenThousandths * Int64(n) * 2 + 10_000) / 20_000)
    }
}

/// The `assessment` section: SPEC §5 parameters, points in hundredths.
public struct AssessmentRules: Sendable, Equatable {
    public var indicators: [Indicator]
    public var bonusCap: Int64
    /// nil = no cap.
    public var deductionCap: Int64?
    /// Incident kind → points (hundredths), in scheme order.
    public var autoDeductions: [(kind: String, points: Int64)]
    public var vetoKinds: [String]
    public var bands: [Band]
    public var quota: Quota?

    public init(
        indicators: [Indicator], bonusCap: Int64, deductionCap: Int64?,
        autoDeductions: [(kind: String, points: Int64)], vetoKinds: [String],
        bands: [Band], quota: Quota?
    ) {
        self.indicators = indicators
        self.bonusCap = bonusCap
        self.deductionCap = deductionCap
        self.autoDeductions = autoDeductions
        self.vetoKinds = vetoKinds
        self.bands = bands
        self.quota = quota
    }

    public static func == (a: AssessmentRules, b: AssessmentRules) -> Bool {
        a.indicators == b.indicators && a.bonusCap == b.bonusCap && a.deductionCap == b.deductionCap
            && a.autoDeductions.map(\.kind) == b.autoDeductions.map(\.kind)
            && a.autoDeductions.map(\.points) == b.autoDeductions.map(\.points)
            && a.vetoKinds == b.vetoKinds && a.bands == b.bands && a.quota == b.quota
    }
}

/// The `flags` section: SPEC §6 thresholds.
public struct FlagRules: Sendable, Equatable {
    public var peerZ: Double
    public var peerMinGroup: Int
    public var peerMinHraw: Double
    /// As written, for display.
    public var scoreJump: Double
    /// ceil(score_jump × 100), exact: |Δscore| in hundredths ≥ this flags.
    public var scoreJumpHundredths: Int64
    public var rotationYears: Double
    public var boilerplateMinPosts: Int

    public init(
        peerZ: Double, peerMinGroup: Int, peerMinHraw: Double, scoreJump: Double,
        scoreJumpHundredths: Int64, rotationYears: Double, boilerplateMinPosts: Int
    ) {
        self.peerZ = peerZ
        self.peerMinGroup = peerMinGroup
        self.peerMinHraw = peerMinHraw
        self.scoreJump = scoreJump
        self.scoreJumpHundredths = scoreJumpHundredths
        self.rotationYears = rotationYears
        self.boilerplateMinPosts = boilerplateMinPosts
    }
}
