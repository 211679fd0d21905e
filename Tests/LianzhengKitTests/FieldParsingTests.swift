import Testing
@testable import LianzhengKit

/// Runs a `FieldParsing` rule on the UTF-8 bytes of `text`.
private func parse<R>(_ text: String, _ rule: (UnsafeBufferPointer<UInt8>) -> R) -> R {
    var text = text
    return text.withUTF8 { rule($0) }
}

/// Day numbers worked out by hand (days since 1970-01-01):
/// 2000-01-01 = 10957 (30 years, 7 leap days: 72 76 80 84 88 92 96);
/// 2025-01-01 = 10957 + 25·365 + 7 (leap 2000 04 08 12 16 20 24) = 20089;
/// 2024-01-01 = 20089 − 366 = 19723.
private enum Day {
    static let d20250101: Int32 = 20089
    static let d20250105: Int32 = 20089 + 4
    /// 2024-01-01 + 31 (Jan) + 28 = 19782.
    static let d20240229: Int32 = 19723 + 31 + 28
    /// 2025-01-01 + 364.
    static let d20251231: Int32 = 20089 + 364
    /// 2000-01-01 + 31 + 28.
    static let d20000229: Int32 = 10957 + 59
}

/// The value rules of SPEC §2, one field at a time.
@Suite struct FieldParsingTests {
    // MARK: numbers `-?[0-9]+(\.[0-9]+)?`

    @Test(arguments: [
        ("0", 0.0), ("-0", 0.0), ("7", 7), ("007", 7), ("12.5", 12.5), ("-3.25", -3.25),
        ("0.1", 0.1), ("10000", 10000), ("1.000", 1),
    ] as [(String, Double)])
    func numberAccepted(_ text: String, _ value: Double) {
        let parsed = parse(text, FieldParsing.number)
        #expect(parsed == value)
        // "-0" reads as +0 so that it fingerprints like "0".
        #expect(parsed?.sign == .plus || value < 0)
    }

    @Test(arguments: [
        "1e3", "1E3", "+1", ".5", "1.", "1,000", "", "-", "-.5", "1.2.3", " 1", "1 ", "0x10", "inf", "nan",
        "1_000", "１", "１２", "١", "--1", "1-", "5%", "￥5",
    ])
    func numberRejected(_ text: String) {
        #expect(parse(text, FieldParsing.number) == nil)
        #expect(!parse(text, FieldParsing.isDecimalNumber))
    }

    // MARK: integers (no decimal point)

    @Test(arguments: [
        ("0", 0), ("42", 42), ("-7", -7), ("007", 7), ("-0", 0), ("9223372036854775807", Int64.max),
    ] as [(String, Int64)])
    func integerAccepted(_ text: String, _ value: Int64) {
        #expect(parse(text, FieldParsing.integer) == value)
    }

    @Test(arguments: ["3.0", "3.", "1e3", "+1", "", "-", "1 000", "1,000", "9223372036854775808", "99999999999999999999", "３"])
    func integerRejected(_ text: String) {
        #expect(parse(text, FieldParsing.integer) == nil)
    }

    // MARK: points: at most 2 decimal places, exact hundredths

    @Test(arguments: [
        ("90", 9000), ("90.5", 9050), ("90.50", 9050), ("0.01", 1), ("0.1", 10), ("0", 0), ("-1.5", -150),
        ("25.00", 2500), ("007.07", 707),
    ] as [(String, Int64)])
    func hundredthsAccepted(_ text: String, _ value: Int64) {
        #expect(parse(text, FieldParsing.hundredths) == .value(value))
    }

    @Test(arguments: ["90.500", "0.125", "0.001", "1.000", "-1.234"])
    func hundredthsTooManyPlaces(_ text: String) {
        #expect(parse(text, FieldParsing.hundredths) == .tooManyDecimals)
    }

    @Test(arguments: ["1e3", ".5", "1.", "+1", "", "abc", "1,5", "九十"])
    func hundredthsInvalid(_ text: String) {
        #expect(parse(text, FieldParsing.hundredths) == .invalid)
    }

    // MARK: booleans

    @Test(arguments: [
        ("是", true), ("Y", true), ("y", true), ("yes", true), ("YES", true), ("Yes", true), ("true", true),
        ("TRUE", true), ("True", true), ("1", true),
        ("否", false), ("N", false), ("n", false), ("no", false), ("NO", false), ("No", false),
        ("false", false), ("FALSE", false), ("False", false), ("0", false),
    ] as [(String, Bool)])
    func booleanAccepted(_ text: String, _ value: Bool) {
        #expect(parse(text, FieldParsing.boolean) == value)
    }

    @Test(arguments: ["", "是的", "t", "f", "2", "ok", "对", "错", "yes!", "1.0", "真"])
    func booleanRejected(_ text: String) {
        #expect(parse(text, FieldParsing.boolean) == nil)
    }

    // MARK: dates

    @Test(arguments: [
        ("2025-01-05", Day.d20250105), ("2025/01/05", Day.d20250105), ("2025.01.05", Day.d20250105),
        ("2025年01月05日", Day.d20250105),
        ("2025-1-5", Day.d20250105), ("2025/1/5", Day.d20250105), ("2025.1.5", Day.d20250105),
        ("2025年1月5日", Day.d20250105),
        ("2025-1-05", Day.d20250105), ("2025/01/5", Day.d20250105), ("2025年01月5日", Day.d20250105),
        ("2025-01-01", Day.d20250101), ("2025-12-31", Day.d20251231), ("2024-02-29", Day.d20240229),
        // 2000 is a leap year (divisible by 400).
        ("2000-02-29", Day.d20000229), ("1970-01-01", 0),
    ] as [(String, Int32)])
    func dateAccepted(_ text: String, _ day: Int32) {
        #expect(parse(text, FieldParsing.date) == day)
    }

    @Test(arguments: [
        "2025-02-29",  // 2025 is not a leap year
        "2024-02-30", "2025-13-01", "2025-1-32", "2025-04-31", "2025-00-10", "2025-01-00",
        "1900-02-29",  // 1900 is not a leap year (divisible by 100, not 400)
        "25-01-05", "02025-01-05", "2025-001-05", "2025-01-005", "2025-01/05", "2025/01-05",
        "2025年1月5", "2025年1-5日", "2025-01-05T00:00", "20250105", "2025-01", "", "2025-01-05 ",
        "2025—01—05", "２０２５-01-05", "2025 -01-05", "2025-1-5日",
    ])
    func dateRejected(_ text: String) {
        #expect(parse(text, FieldParsing.date) == nil)
    }

    @Test func civilDateRoundTrip() {
        for day in Int32(-800_000)...Int32(800_000) where day % 97 == 0 {
            let (y, m, d) = CivilDate.civil(fromDays: Int(day))
            #expect(CivilDate.daysFromCivil(year: y, month: m, day: d) == Int(day))
        }
        #expect(CivilDate.format(days: Day.d20250105) == "2025-01-05")
        #expect(CivilDate.endOfYear(2025) == Day.d20251231)
        #expect(CivilDate.year(ofDays: Day.d20251231) == 2025)
        #expect(CivilDate.year(ofDays: Day.d20251231 + 1) == 2026)
    }

    // MARK: words: Chinese exact, English case-insensitive

    @Test(arguments: [
        ("属实", .verified), ("verified", .verified), ("VERIFIED", .verified), ("Verified", .verified),
        ("部分属实", .partial), ("partial", .partial), ("PARTIAL", .partial),
        ("待核实", .pending), ("pending", .pending), ("Pending", .pending),
        ("不属实", .unfounded), ("unfounded", .unfounded), ("UnFounded", .unfounded),
    ] as [(String, IncidentStatus)])
    func statusAccepted(_ text: String, _ status: IncidentStatus) {
        #expect(IncidentStatus(text: text) == status)
    }

    @Test(arguments: ["", "核实", "属 实", "confirmed", "verify", "属实 "])
    func statusRejected(_ text: String) {
        #expect(IncidentStatus(text: text) == nil)
    }

    @Test(arguments: [
        ("单位", .unit), ("unit", .unit), ("UNIT", .unit), ("Unit", .unit),
        ("岗位", .post), ("post", .post), ("POST", .post),
    ] as [(String, SubjectType)])
    func subjectTypeAccepted(_ text: String, _ type: SubjectType) {
        #expect(SubjectType(text: text) == type)
    }

    @Test(arguments: ["", "部门", "units", "科室", "person"])
    func subjectTypeRejected(_ text: String) {
        #expect(SubjectType(text: text) == nil)
    }

    @Test(arguments: [
        ("加分", .bonus), ("bonus", .bonus), ("BONUS", .bonus), ("扣分", .deduction), ("deduction", .deduction),
        ("Deduction", .deduction), ("一票否决", .veto), ("veto", .veto), ("VETO", .veto),
    ] as [(String, AdjustmentType)])
    func adjustmentTypeAccepted(_ text: String, _ type: AdjustmentType) {
        #expect(AdjustmentType(text: text) == type)
    }

    @Test(arguments: ["", "否决", "penalty", "奖励", "加 分"])
    func adjustmentTypeRejected(_ text: String) {
        #expect(AdjustmentType(text: text) == nil)
    }

    @Test(arguments: [
        ("思想道德", .moral), ("moral", .moral), ("MORAL", .moral), ("岗位职责", .duty), ("Duty", .duty),
        ("业务流程", .process), ("process", .process), ("制度机制", .institution), ("INSTITUTION", .institution),
        ("外部环境", .external), ("external", .external),
    ] as [(String, RiskPointType)])
    func riskPointTypeAccepted(_ text: String, _ type: RiskPointType) {
        #expect(RiskPointType(text: text) == type)
    }

    @Test(arguments: ["", "思想", "other", "业务", "duties"])
    func riskPointTypeRejected(_ text: String) {
        #expect(RiskPointType(text: text) == nil)
    }

    /// self_level: a level name or alias of the default scheme, matched exactly.
    @Test(arguments: [
        ("一级", 0), ("高", 0), ("1", 0), ("Ⅰ", 0), ("I", 0),
        ("二级", 1), ("中", 1), ("2", 1), ("Ⅱ", 1), ("II", 1),
        ("三级", 2), ("低", 2), ("3", 2), ("Ⅲ", 2), ("III", 2),
    ] as [(String, Int)])
    func levelByNameOrAlias(_ text: String, _ index: Int) throws {
        #expect(try scheme().levelIndex(named: text) == index)
    }

    @Test(arguments: ["", "i", "ii", "iii", "一级 ", " 一级", "1级", "01", "high", "高级", "四级", "IV"])
    func levelRejected(_ text: String) throws {
        #expect(try scheme().levelIndex(named: text) == nil)
    }

    /// The stored date text is written without a String; it must be the
    /// same bytes `CivilDate.format` gives (years without padding, 0-01-01).
    @Test(arguments: [
        (0, "1970-01-01"), (-719_528, "0-01-01"), (-1, "1969-12-31"), (20_453, "2025-12-31"),
        (11_016, "2000-02-29"), (2_932_896, "9999-12-31"), (-719_162, "1-01-01"), (-682_274, "101-12-31"),
    ] as [(Int32, String)])
    func dateWrittenAsFormatted(_ days: Int32, _ text: String) {
        #expect(CivilDate.format(days: days) == text)
        var buffer = [UInt8](repeating: 0, count: 16)
        let n = buffer.withUnsafeMutableBufferPointer { CivilDate.write(days: days, into: $0.baseAddress!) }
        #expect(String(decoding: buffer[..<n], as: UTF8.self) == text)
    }

    @Test func dateWriterAgreesOverFourCenturies() {
        var buffer = [UInt8](repeating: 0, count: 16)
        for days in stride(from: Int32(-150_000), through: 150_000, by: 7) {
            let n = buffer.withUnsafeMutableBufferPointer { CivilDate.write(days: days, into: $0.baseAddress!) }
            if String(decoding: buffer[..<n], as: UTF8.self) != CivilDate.format(days: days) {
                Issue.record("day \(days)")
                return
            }
        }
    }

    /// Numbers are read without a String when the digits fit in 2^53 and
    /// there are at most 22 decimals (one exact division); the result must
    /// be the correctly rounded value `Double(String)` gives, for any seed.
    @Test(arguments: 1...4 as ClosedRange<UInt64>)
    func numberAgreesWithDoubleParsing(seed: UInt64) {
        var random = SeededRandom(seed: seed)
        for _ in 0..<20_000 {
            let digits = Int.random(in: 1...19, using: &random)
            var text = Bool.random(using: &random) ? "-" : ""
            for _ in 0..<digits { text += String(Int.random(in: 0...9, using: &random)) }
            if Bool.random(using: &random) {
                text += "."
                for _ in 0..<Int.random(in: 1...24, using: &random) { text += String(Int.random(in: 0...9, using: &random)) }
            }
            let expected = Double(text)! + 0.0
            var bytes = Array(text.utf8)
            let read = bytes.withUnsafeMutableBufferPointer { FieldParsing.number(UnsafeBufferPointer($0)) }
            guard read?.bitPattern == expected.bitPattern else {
                Issue.record("seed \(seed): \(text) read as \(String(describing: read)), expected \(expected)")
                return
            }
        }
    }
}
