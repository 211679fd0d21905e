import Foundation
import Testing
@testable import LianzhengKit

@Suite struct NumberFormatTests {
    // MARK: Hundredths

    struct HundredthsCase: CustomTestStringConvertible, Sendable {
        var value: Int64
        var expected: String
        var testDescription: String { "\(value) → \(expected)" }
    }

    @Test(arguments: [
        HundredthsCase(value: 9000, expected: "90.00"),  // 9000 / 100 = 90, 9000 % 100 = 0
        HundredthsCase(value: 5, expected: "0.05"),  // 0 whole, 05 hundredths
        HundredthsCase(value: -150, expected: "-1.50"),  // sign, then 150 → 1 and 50
        HundredthsCase(value: 0, expected: "0.00"),
        HundredthsCase(value: -5, expected: "-0.05"),  // the sign survives a zero whole part
        HundredthsCase(value: 100, expected: "1.00"),
        HundredthsCase(value: 12345, expected: "123.45"),
        HundredthsCase(value: 10000, expected: "100.00"),  // a full score
        // Int64.max = 9223372036854775807 → 92233720368547758 and 07.
        HundredthsCase(value: .max, expected: "92233720368547758.07"),
        // Int64.min = -9223372036854775808 has no positive twin: 92233720368547758 and 08.
        HundredthsCase(value: .min, expected: "-92233720368547758.08"),
    ])
    func hundredths(_ c: HundredthsCase) {
        #expect(formatHundredths(c.value) == c.expected)
        var out: [UInt8] = Array("x,".utf8)
        appendHundredths(c.value, to: &out)
        #expect(out == Array(("x," + c.expected).utf8))
    }

    /// `appendScaledDecimal` (two digits a division) against the decimal
    /// text of the integer with the point put in by hand: "12345" with 3
    /// decimals is "12.345"; "5" with 3 is "0.005" (padded to 4 digits
    /// first). Every digit count from 1 to 20, odd and even, and every
    /// number of decimals from 0 to 8.
    @Test func scaledDecimalPutsThePointInTheDigits() {
        var values: [UInt64] = [0, 1, 9, 10, 11, 99, 100, 101, 999, 1000, 12345, .max, .max - 1]
        var power: UInt64 = 10
        while power <= UInt64.max / 10 {
            values += [power - 1, power, power + 1, power * 7 / 3]
            power *= 10
        }
        for v in values {
            for decimals in 0...8 {
                var digits = String(v)
                if digits.count <= decimals { digits = String(repeating: "0", count: decimals + 1 - digits.count) + digits }
                let expected = decimals == 0 ? digits : digits.dropLast(decimals) + "." + digits.suffix(decimals)
                for negative in [false, true] {
                    var out: [UInt8] = []
                    appendScaledDecimal(v, fractionDigits: decimals, negative: negative, to: &out)
                    #expect(String(decoding: out, as: UTF8.self) == (negative ? "-" : "") + expected, "\(v), \(decimals)")
                }
            }
        }
    }

    // MARK: Means rounded half-up

    struct MeanCase: CustomTestStringConvertible, Sendable {
        var sum: Int64
        var count: Int64
        var expected: String
        var testDescription: String { "\(sum)/\(count) → \(expected)" }
    }

    @Test(arguments: [
        MeanCase(sum: 1001, count: 2, expected: "5.01"),  // 500.5 hundredths: a half rounds up → 501
        MeanCase(sum: 1000, count: 3, expected: "3.33"),  // 333.33… → 333
        MeanCase(sum: 2000, count: 3, expected: "6.67"),  // 666.66… → 667
        MeanCase(sum: 9050 + 8000 + 7025, count: 3, expected: "80.25"),  // 24075 / 3 = 8025 exactly
        MeanCase(sum: 5, count: 2, expected: "0.03"),  // 2.5 → 3
        MeanCase(sum: 1, count: 2, expected: "0.01"),  // 0.5 → 1
        MeanCase(sum: 1, count: 3, expected: "0.00"),  // 0.33… → 0
        MeanCase(sum: 7, count: 4, expected: "0.02"),  // 1.75 → 2
        MeanCase(sum: 10, count: 4, expected: "0.03"),  // 2.5 → 3
        MeanCase(sum: 0, count: 7, expected: "0.00"),
        MeanCase(sum: 99999, count: 1, expected: "999.99"),
        MeanCase(sum: -1001, count: 2, expected: "-5.01"),  // -500.5: halves go away from zero → -501
        MeanCase(sum: -1000, count: 3, expected: "-3.33"),  // -333.33… → -333
        MeanCase(sum: 1001, count: -2, expected: "-5.01"),  // the sign of either operand counts
        // Int64.max / 2 = 4611686018427387903.5 → …904: the remainder test must not overflow.
        MeanCase(sum: .max, count: 2, expected: "46116860184273879.04"),
        // 3 / Int64.max is a tiny fraction → 0 (d − r is huge, no overflow).
        MeanCase(sum: 3, count: .max, expected: "0.00"),
    ])
    func meanHalfUp(_ c: MeanCase) {
        #expect(formatTwoDecimalsHalfUp(numerator: c.sum, denominator: c.count) == c.expected)
        var out: [UInt8] = []
        appendTwoDecimalsHalfUp(numerator: c.sum, denominator: c.count, to: &out)
        #expect(String(decoding: out, as: UTF8.self) == c.expected)
    }

    // MARK: %.4f, hand-worked

    struct Fixed4Case: CustomTestStringConvertible, Sendable {
        var x: Double
        var expected: String
        var testDescription: String { "\(x) → \(expected)" }
    }

    // The exact binary64 values below were printed with Python's
    // decimal.Decimal(float(text)), i.e. more digits than %.20f shows.
    @Test(arguments: [
        Fixed4Case(x: 0, expected: "0.0000"),
        Fixed4Case(x: -0.0, expected: "-0.0000"),  // printf keeps the sign of negative zero
        Fixed4Case(x: 1, expected: "1.0000"),
        Fixed4Case(x: 0.5, expected: "0.5000"),
        // 0.00005 is 0.0000500000000000000023960868… : just above the half → up.
        Fixed4Case(x: 0.00005, expected: "0.0001"),
        // 1.00005 is 1.0000500000000001055… : above → up.
        Fixed4Case(x: 1.00005, expected: "1.0001"),
        // 2.00005 is 2.0000499999999998834… : below → down.
        Fixed4Case(x: 2.00005, expected: "2.0000"),
        // 2.5e-5 is 0.0000250000000000000011980… : a quarter of the last place → down.
        Fixed4Case(x: 2.5e-5, expected: "0.0000"),
        // 0.12345 is 0.123450000000000004174… : above → up.
        Fixed4Case(x: 0.12345, expected: "0.1235"),
        // 0.00015 is 0.000149999999999999986859… : below → down.
        Fixed4Case(x: 0.00015, expected: "0.0001"),
        // 0.00025 is 0.000250000000000000005204… : above → up.
        Fixed4Case(x: 0.00025, expected: "0.0003"),
        // 0.00035 is 0.000349999999999999996443… : below → down.
        Fixed4Case(x: 0.00035, expected: "0.0003"),
        // 0.00045 is 0.000449999999999999987683… : below → down.
        Fixed4Case(x: 0.00045, expected: "0.0004"),
        // Exact ties are k/32 with k odd: 1/32 = 0.03125, ×10⁴ = 312.5 → even 312.
        Fixed4Case(x: 1.0 / 32, expected: "0.0312"),
        Fixed4Case(x: 3.0 / 32, expected: "0.0938"),  // 0.09375: 937.5 → even 938
        Fixed4Case(x: 5.0 / 32, expected: "0.1562"),  // 0.15625: 1562.5 → even 1562
        Fixed4Case(x: 7.0 / 32, expected: "0.2188"),  // 0.21875: 2187.5 → even 2188
        Fixed4Case(x: -1.0 / 32, expected: "-0.0312"),  // ties to even on the magnitude
        Fixed4Case(x: -0.00001, expected: "-0.0000"),  // rounds to zero, keeps the sign
        Fixed4Case(x: -1.5, expected: "-1.5000"),
        // 0.99995 is 0.999950000000000005506… : above → up, carrying into the units.
        Fixed4Case(x: 0.99995, expected: "1.0000"),
        // 9.99995 is 9.999950000000000116529… : above → up, carrying to 10.
        Fixed4Case(x: 9.99995, expected: "10.0000"),
        // 99.99995 is 99.999949999999998340… : below → down.
        Fixed4Case(x: 99.99995, expected: "99.9999"),
        // 0.1 is 0.1000000000000000055511… → 1000.00000000000005… → 1000.
        Fixed4Case(x: 0.1, expected: "0.1000"),
        // 123456.789 is 123456.789000000004307… → 1234567890.00000004… → 1234567890.
        Fixed4Case(x: 123456.789, expected: "123456.7890"),
        // -3.14159 is -3.141589999999999882618… → 31415.8999… → 31416.
        Fixed4Case(x: -3.14159, expected: "-3.1416"),
        // The largest magnitudes of the fast path: 99999999999.99995 is
        // 99999999999.9999542236328125 → 999999999999999.542… → 10¹⁵.
        Fixed4Case(x: 99999999999.99995, expected: "100000000000.0000"),
        // From 1e11 on, String(format:) prints; 1e20 = 2²⁰·5²⁰ is exact.
        Fixed4Case(x: 1e11, expected: "100000000000.0000"),
        Fixed4Case(x: 1e20, expected: "100000000000000000000.0000"),
        Fixed4Case(x: -1e20, expected: "-100000000000000000000.0000"),
        Fixed4Case(x: .infinity, expected: "inf"),
        Fixed4Case(x: -.infinity, expected: "-inf"),
        Fixed4Case(x: .nan, expected: "nan"),
    ])
    func fixed4ByHand(_ c: Fixed4Case) {
        #expect(formatFixed4(c.x) == c.expected)
        var out: [UInt8] = Array("a".utf8)
        appendFixed4(c.x, to: &out)
        #expect(out == Array(("a" + c.expected).utf8))
    }

    // MARK: %.4f against printf

    /// Value families for the printf comparison, each a way %.4f goes wrong.
    enum Family: String, CaseIterable, CustomTestStringConvertible, Sendable {
        case unitInterval = "uniform in [0, 1)"
        case nearHalfway = "k/10000 + 0.00005 and its neighbours"
        case parsedFiveLiterals = "x.xxxx5 parsed from text"
        case exactTies = "k/32 (exact ties for odd k)"
        case integers = "integers"
        case wideRange = "any magnitude, 1e-20 … 1e15"
        var testDescription: String { rawValue }
    }

    /// Compares `formatFixed4` with `String(format: "%.4f")` (glibc printf)
    /// on seeded random values of one family, positive and negative.
    ///
    /// String(format:) costs about 4 µs a call, so this quick run checks
    /// 60,000 values per family (1.5 s in debug on 2 idle cores); the slow
    /// test below checks 700,000 per family, 4.2 million in all.
    @Test(arguments: Family.allCases)
    func fixed4MatchesPrintf(_ family: Family) {
        expectPrintfAgreement(family, count: 60_000, seed: 0x5EED_0000)
    }

    /// `fixed4MatchesPrintf` on 4.2 million values; run with
    /// `LIANZHENG_SLOW_TESTS=1 swift test --filter fixed4MatchesPrintfSlow`.
    @Test(.enabled(if: ProcessInfo.processInfo.environment["LIANZHENG_SLOW_TESTS"] != nil), arguments: Family.allCases)
    func fixed4MatchesPrintfSlow(_ family: Family) {
        expectPrintfAgreement(family, count: 700_000, seed: 0x51_0000)
    }

    private func expectPrintfAgreement(_ family: Family, count: Int, seed base: UInt64) {
        let seed = base + UInt64(Family.allCases.firstIndex(of: family)!)
        var rng = OutputTestsGenerator(seed: seed)
        var mismatches: [String] = []
        for _ in 0..<count {
            var x = family.sample(&rng)
            if rng.next() & 1 == 1 { x = -x }
            let ours = formatFixed4(x)
            let printf = String(format: "%.4f", x)
            if ours != printf && mismatches.count < 5 {
                mismatches.append("\(x): ours \(ours), printf \(printf)")
            }
        }
        #expect(mismatches.isEmpty, "seed \(seed): \(mismatches)")
    }

    // MARK: Shortest decimal

    struct ShortestCase: CustomTestStringConvertible, Sendable {
        var x: Double
        var expected: String
        var testDescription: String { "\(x.description) → \(expected)" }
    }

    @Test(arguments: [
        ShortestCase(x: 20, expected: "20"),  // description "20.0": drop ".0"
        ShortestCase(x: 6.5, expected: "6.5"),
        ShortestCase(x: 0.1, expected: "0.1"),
        ShortestCase(x: 1e-5, expected: "0.00001"),  // "1e-05": point moves 5 left
        ShortestCase(x: 1e16, expected: "10000000000000000"),  // "1e+16": 1 and 16 zeros
        ShortestCase(x: -2.25, expected: "-2.25"),
        ShortestCase(x: 0, expected: "0"),
        ShortestCase(x: -0.0, expected: "0"),  // zero is zero in a report
        ShortestCase(x: 100, expected: "100"),
        ShortestCase(x: 3.5, expected: "3.5"),
        ShortestCase(x: 0.6745, expected: "0.6745"),
        ShortestCase(x: 1.253314, expected: "1.253314"),
        ShortestCase(x: 0.0001, expected: "0.0001"),
        ShortestCase(x: 1.2345e-5, expected: "0.000012345"),  // "1.2345e-05"
        ShortestCase(x: 1e15, expected: "1000000000000000"),  // "1000000000000000.0"
        // "1.2345678901234568e+17": 17 digits, point after 18 → one zero appended.
        ShortestCase(x: 123456789012345680, expected: "123456789012345680"),
        // 0.1 + 0.2 is not 0.3: its shortest form needs 17 digits.
        ShortestCase(x: 0.1 + 0.2, expected: "0.30000000000000004"),
        // "5e-324": the 5 sits at the 324th decimal.
        ShortestCase(x: .leastNonzeroMagnitude, expected: "0." + String(repeating: "0", count: 323) + "5"),
        // "1.7976931348623157e+308": 17 digits, then 309 − 17 = 292 zeros.
        ShortestCase(x: .greatestFiniteMagnitude, expected: "17976931348623157" + String(repeating: "0", count: 292)),
        ShortestCase(x: .infinity, expected: "inf"),
        ShortestCase(x: -.infinity, expected: "-inf"),
        ShortestCase(x: .nan, expected: "nan"),
    ])
    func shortest(_ c: ShortestCase) {
        #expect(shortestDecimal(c.x) == c.expected)
    }

    /// Every finite value reads back as itself and prints without exponent.
    @Test func shortestRoundTrips() {
        let seed: UInt64 = 0xD0_0B1E
        var rng = OutputTestsGenerator(seed: seed)
        var failures: [String] = []
        for _ in 0..<20_000 {
            let x = Double(bitPattern: rng.next())
            guard x.isFinite else { continue }
            let text = shortestDecimal(x)
            if Double(text) != x || text.contains("e") || text.hasSuffix(".0"), failures.count < 5 {
                failures.append("\(x.description) → \(text)")
            }
        }
        #expect(failures.isEmpty, "seed \(seed): \(failures)")
    }
}

extension NumberFormatTests.Family {
    /// One random value of this family (non-negative; the caller flips signs).
    func sample(_ rng: inout OutputTestsGenerator) -> Double {
        switch self {
        case .unitInterval:
            return Double.random(in: 0..<1, using: &rng)
        case .nearHalfway:
            // The decimal halfway point, then up to 2 ulps either side.
            let k = Int.random(in: 0..<10_000_000, using: &rng)
            var x = Double(k) / 10_000 + 0.00005
            for _ in 0..<Int.random(in: 0...2, using: &rng) {
                x = rng.next() & 1 == 0 ? x.nextUp : x.nextDown
            }
            return x
        case .parsedFiveLiterals:
            // What a user types: "37.12345" — the nearest binary64 is above or below.
            let whole = Int.random(in: 0..<1_000, using: &rng)
            let digits = Int.random(in: 0..<10_000, using: &rng)
            let fraction = String(digits)
            let text = "\(whole)." + String(repeating: "0", count: 4 - fraction.count) + fraction + "5"
            return Double(text)!
        case .exactTies:
            return Double(Int.random(in: 0..<3_200_000, using: &rng)) / 32
        case .integers:
            return Double(Int.random(in: 0...1_000_000_000, using: &rng))
        case .wideRange:
            let exponent = Int.random(in: -20...15, using: &rng)
            return Double.random(in: 1..<10, using: &rng) * pow(10, Double(exponent))
        }
    }
}
