/// The exact value of a JSON number literal, ± `digits` × 10^`exponent`, so
/// points and thresholds are converted to integer hundredths without a
/// binary64 round trip (`69.995` → 6999.5 hundredths, never 6999.499…).
struct DecimalLiteral: Sendable, Equatable {
    var negative: Bool
    /// Significant digits (values 0…9), without leading zeros; empty for zero.
    var digits: [UInt8]
    var exponent: Int
    /// Decimal places as written: `90.500` → 3, `9.05e1` → 1, `1e2` → 0.
    var decimalPlaces: Int

    /// Exponents beyond this are clamped; they are far outside binary64 anyway.
    private static let exponentLimit = 100_000

    /// Reads `-?digits(.digits)?([eE][+-]?digits)?`; nil for anything else.
    init?(_ literal: String) {
        var bytes = literal.utf8[...]
        negative = bytes.first == UInt8(ascii: "-")
        if negative { bytes = bytes.dropFirst() }
        let integerPart = bytes.prefix { Self.isDigit($0) }
        bytes = bytes.dropFirst(integerPart.count)
        guard !integerPart.isEmpty else { return nil }
        var fractionPart = bytes.prefix(0)
        if bytes.first == UInt8(ascii: ".") {
            fractionPart = bytes.dropFirst().prefix { Self.isDigit($0) }
            guard !fractionPart.isEmpty else { return nil }
            bytes = bytes.dropFirst(1 + fractionPart.count)
        }
        var writtenExponent = 0
        if let marker = bytes.first, marker == UInt8(ascii: "e") || marker == UInt8(ascii: "E") {
            bytes = bytes.dropFirst()
            let exponentNegative = bytes.first == UInt8(ascii: "-")
            if bytes.first == UInt8(ascii: "-") || bytes.first == UInt8(ascii: "+") { bytes = bytes.dropFirst() }
            let exponentDigits = bytes.prefix { Self.isDigit($0) }
            guard !exponentDigits.isEmpty else { return nil }
            bytes = bytes.dropFirst(exponentDigits.count)
            for digit in exponentDigits {
                writtenExponent = min(Self.exponentLimit, writtenExponent * 10 + Int(digit - UInt8(ascii: "0")))
            }
            if exponentNegative { writtenExponent = -writtenExponent }
        }
        guard bytes.isEmpty else { return nil }
        let allDigits = (Array(integerPart) + Array(fractionPart)).map { $0 - UInt8(ascii: "0") }
        digits = Array(allDigits.drop { $0 == 0 })
        exponent = writtenExponent - fractionPart.count
        decimalPlaces = max(0, fractionPart.count - writtenExponent)
    }

    /// True when the value is exactly zero (`0`, `0.00`, `-0`, `0e5`).
    var isZero: Bool { digits.allSatisfy { $0 == 0 } }

    /// True when the value is a whole number (`5`, `5.0`, `5e0`).
    var isIntegral: Bool {
        let fractionCount = max(0, -exponent)
        return digits.suffix(fractionCount).allSatisfy { $0 == 0 }
    }

    /// ceil(value × 10^`scale`), exactly; nil when it does not fit in `Int64`.
    func ceiling(scaledBy scale: Int) -> Int64? {
        guard !isZero else { return 0 }
        let shift = exponent + scale
        let integerCount = digits.count + shift
        guard integerCount <= 19 else { return nil }
        var magnitude: Int64 = 0
        for index in 0..<max(0, integerCount) {
            let digit = index < digits.count ? Int64(digits[index]) : 0
            let (times10, overflow1) = magnitude.multipliedReportingOverflow(by: 10)
            let (sum, overflow2) = times10.addingReportingOverflow(digit)
            guard !overflow1, !overflow2 else { return nil }
            magnitude = sum
        }
        let hasFraction = digits.dropFirst(max(0, integerCount)).contains { $0 != 0 }
        if negative { return -magnitude }
        return hasFraction ? magnitude + 1 : magnitude
    }

    private static func isDigit(_ byte: UInt8) -> Bool {
        byte >= UInt8(ascii: "0") && byte <= UInt8(ascii: "9")
    }
}
