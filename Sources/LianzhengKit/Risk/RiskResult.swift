/// The kernel's output for every post of a snapshot, column by column
/// (SPEC §4): row i is post i in post_id order.
public struct RiskResult: Sendable, Equatable {
    public var power: [Double]
    public var discretion: [Double]
    public var historyRaw: [Double]
    public var history: [Double]
    /// Score in integer hundredths: floor(S*100 + 0.5).
    public var score: [Int64]
    /// Level index from the score alone.
    public var scoreLevel: [UInt8]
    /// Final level index (floors applied); 0 is the most severe.
    public var level: [UInt8]
    /// 1-based index of the floor that set the level, 0 when none did.
    public var floor: [UInt16]
    /// Score for the previous year (hundredths), when asked for.
    public var previousScore: [Int64]?

    public init(count n: Int, withPrevious: Bool) {
        power = .init(repeating: 0, count: n)
        discretion = .init(repeating: 0, count: n)
        historyRaw = .init(repeating: 0, count: n)
        history = .init(repeating: 0, count: n)
        score = .init(repeating: 0, count: n)
        scoreLevel = .init(repeating: 0, count: n)
        level = .init(repeating: 0, count: n)
        floor = .init(repeating: 0, count: n)
        previousScore = withPrevious ? .init(repeating: 0, count: n) : nil
    }

    public var count: Int { score.count }
}
