import Foundation

// Number formats of the outputs (SPEC §7): points as exact hundredths,
// risk components as `%.4f`, scheme and data values in shortest form.

private let asciiZero = UInt8(ascii: "0")
private let asciiMinus = UInt8(ascii: "-")
private let asciiPoint = UInt8(ascii: ".")

// MARK: - Hundredths

/// Integer hundredths as a decimal with 2 places: 9000 → "90.00", -150 → "-1.50".
///
/// Points are kept as `Int64` hundredths (SPEC §5), so printing them is
/// integer work and never rounds.
public func formatHundredths(_ v: Int64) -> String {
    var out: [UInt8] = []
    out.reserveCapacity(24)
    appendHundredths(v, to: &out)
    return String(decoding: out, as: UTF8.self)
}

/// Appends `formatHundredths(v)` as UTF-8 to `out`.
///
/// - Complexity: O(number of digits), no allocation beyond `out`'s growth.
@inline(__always)
public func appendHundredths(_ v: Int64, to out: inout [UInt8]) {
    appendScaledDecimal(v.magnitude, fractionDigits: 2, negative: v < 0, to: &out)
}

// MARK: - Means of hundredths

/// `numerator / denominator` rounded to an integer, halves away from zero.
///
/// Used for means of points: the sum of n scores in hundredths divided by n
/// is the mean in hundredths, rounded half-up exactly in integers (SPEC §7).
/// - Precondition: `denominator != 0` and the quotient fits in `Int64`.
public func dividedRoundingHalfUp(_ numerator: Int64, by denominator: Int64) -> Int64 {
    precondition(denominator != 0, "division by zero")
    let n = numerator.magnitude
    let d = denominator.magnitude
    var q = n / d
    let r = n % d
    if r >= d - r { q += 1 }  // 2r ≥ d without overflow: the half or more rounds away from zero
    if (numerator < 0) != (denominator < 0) {
        precondition(q <= Int64.min.magnitude, "quotient out of range")
        return Int64(bitPattern: 0 &- q)
    }
    precondition(q <= UInt64(Int64.max), "quotient out of range")
    return Int64(q)
}

/// A mean of hundredths printed with 2 decimals: sum 1001 over 2 → "5.01".
///
/// `numerator` is a sum in hundredths, `denominator` a count; the quotient
/// is rounded half-up (away from zero) with `dividedRoundingHalfUp`.
public func formatTwoDecimalsHalfUp(numerator: Int64, denominator: Int64) -> String {
    formatHundredths(dividedRoundingHalfUp(numerator, by: denominator))
}

/// Appends `formatTwoDecimalsHalfUp(numerator:denominator:)` to `out`.
public func appendTwoDecimalsHalfUp(numerator: Int64, denominator: Int64, to out: inout [UInt8]) {
    appendHundredths(dividedRoundingHalfUp(numerator, by: denominator), to: &out)
}

// MARK: - %.4f

/// Magnitudes below this take the fast path of `appendFixed4`.
///
/// Below 1e11, x·10⁴ < 1e15 < 2^50, so the candidates n, n + 1 and 2n + 1 of
/// `roundedTenThousandths` are exact binary64 integers.
private let fixed4FastLimit = 1e11

/// Exactly what C `printf("%.4f", x)` prints: the correctly rounded decimal
/// of the binary64 value, exact ties to even, "-0.0000" for negative values
/// that round to zero, "nan"/"inf" as glibc spells them.
///
/// Risk components (power, discretion, history) are printed this way
/// (SPEC §7) millions of times per run, hence no `String(format:)` below 1e11.
public func formatFixed4(_ x: Double) -> String {
    var out: [UInt8] = []
    out.reserveCapacity(24)
    appendFixed4(x, to: &out)
    return String(decoding: out, as: UTF8.self)
}

/// Appends `formatFixed4(x)` as UTF-8 to `out`.
///
/// - Complexity: O(number of digits) for |x| < 1e11; larger values, NaN and
///   infinities go through `String(format:)`.
@inline(__always)
public func appendFixed4(_ x: Double, to out: inout [UInt8]) {
    let a = x.magnitude
    guard a < fixed4FastLimit else {  // false for NaN too
        out.append(contentsOf: String(format: "%.4f", x).utf8)
        return
    }
    let n = roundedTenThousandths(a)
    // printf keeps the sign of -0.0 and of -0.00001.
    appendScaledDecimal(n, fractionDigits: 4, negative: x.sign == .minus, to: &out)
}

/// a·10⁴ correctly rounded to an integer, exact ties to even, for
/// 0 ≤ a < `fixed4FastLimit`.
///
/// `(-c).addingProduct(a, k)` is a fused multiply-add: the exact a·k − c
/// rounded once, so its sign is the sign of the exact value. One such exact
/// comparison with the halfway point settles the rounding.
@inline(__always)
private func roundedTenThousandths(_ a: Double) -> UInt64 {
    // The product a·10⁴ rounds to nearest, with an error of at most 1/16
    // (half an ulp below 2^50), and never drops below an integer the exact
    // value reaches. So n is floor(a·10⁴), or floor + 1 when the exact value
    // lies within 1/16 below n. In that second case the exact value is below
    // n + ½ and nearest to n, which the test below returns: no correction.
    let n = (a * 10_000).rounded(.down)
    // Sign of 2·a·10⁴ − (2n + 1): above, below or exactly on n + ½.
    let aboveHalf = (-(2 * n + 1)).addingProduct(a, 20_000)
    let floor = UInt64(n)
    if aboveHalf > 0 { return floor + 1 }
    if aboveHalf < 0 { return floor }
    return floor + (floor & 1)  // exact tie: to even
}

// MARK: - Shortest decimal

/// The shortest decimal that reads back as `x`, without exponent or a
/// trailing ".0": 20 → "20", 6.5 → "6.5", 1e-5 → "0.00001",
/// 1e16 → "10000000000000000".
///
/// For numbers from the data or the scheme in flags.csv (SPEC §6). Built
/// from Swift's `description` (shortest round trip) by expanding its
/// exponent. Zero of either sign is "0"; NaN and infinities keep their
/// `description` ("nan", "inf", "-inf").
public func shortestDecimal(_ x: Double) -> String {
    guard x.isFinite else { return x.description }
    if x == 0 { return "0" }
    let parts = DecimalParts(x.description)
    return parts.plainText(negative: x < 0)
}

/// Significant digits and decimal-point position of a `description` such
/// as "1.2345e-05": value = 0.d₁d₂… × 10^pointPosition.
private struct DecimalParts {
    var digits: [UInt8] = []
    var pointPosition = 0

    init(_ text: String) {
        var integerDigits = -1  // digits before the '.', -1 until one is seen
        var exponent = 0
        var exponentNegative = false
        var inExponent = false
        for byte in text.utf8 {
            switch byte {
            case UInt8(ascii: "0")...UInt8(ascii: "9"):
                if inExponent {
                    exponent = exponent * 10 + Int(byte - asciiZero)
                } else {
                    digits.append(byte)
                }
            case asciiPoint: integerDigits = digits.count
            case UInt8(ascii: "e"), UInt8(ascii: "E"): inExponent = true
            case asciiMinus: if inExponent { exponentNegative = true }
            default: break  // '+' of the exponent, the mantissa's '-'
            }
        }
        if integerDigits < 0 || integerDigits > digits.count { integerDigits = digits.count }
        pointPosition = integerDigits + (exponentNegative ? -exponent : exponent)
        trimZeros()
    }

    /// Drops leading zeros (moving the point) and trailing zeros.
    private mutating func trimZeros() {
        let leading = digits.prefix { $0 == asciiZero }.count
        digits.removeFirst(leading)
        pointPosition -= leading
        while digits.last == asciiZero { digits.removeLast() }
    }

    /// Positional notation: "0.000012345", "6.5", "10000000000000000".
    func plainText(negative: Bool) -> String {
        var out: [UInt8] = []
        out.reserveCapacity(digits.count + max(0, pointPosition) + max(0, -pointPosition) + 3)
        if negative { out.append(asciiMinus) }
        if pointPosition <= 0 {
            out.append(asciiZero)
            out.append(asciiPoint)
            out.append(contentsOf: repeatElement(asciiZero, count: -pointPosition))
            out.append(contentsOf: digits)
        } else if pointPosition >= digits.count {
            out.append(contentsOf: digits)
            out.append(contentsOf: repeatElement(asciiZero, count: pointPosition - digits.count))
        } else {
            out.append(contentsOf: digits[..<pointPosition])
            out.append(asciiPoint)
            out.append(contentsOf: digits[pointPosition...])
        }
        return String(decoding: out, as: UTF8.self)
    }
}

// MARK: - Digits

/// Appends `v` in decimal (no sign, no leading zeros; "0" for 0).
@inline(__always)
func appendDecimalDigits(_ v: UInt64, to out: inout [UInt8]) {
    appendScaledDecimal(v, fractionDigits: 0, negative: false, to: &out)
}

/// Appends v / 10^fractionDigits with exactly `fractionDigits` decimals
/// (no point when 0), after a "-" when `negative`: (150, 2) → "1.50".
///
/// - Precondition: `fractionDigits` ≤ 8.
@inline(__always)
func appendScaledDecimal(_ v: UInt64, fractionDigits: Int, negative: Bool, to out: inout [UInt8]) {
    withScaledDecimal(v, fractionDigits: fractionDigits, negative: negative) { out.append(contentsOf: $0) }
}

/// Calls `body` with the text of `appendScaledDecimal`, built backwards in
/// a stack buffer: one copy into the output, several times faster than
/// appending byte by byte.
@inline(__always)
func withScaledDecimal(
    _ v: UInt64, fractionDigits: Int, negative: Bool, _ body: (UnsafeBufferPointer<UInt8>) -> Void
) {
    // 20 digits of UInt64.max, 8 decimals, the point and the sign fit in 32 bytes.
    var storage: (UInt64, UInt64, UInt64, UInt64) = (0, 0, 0, 0)
    withUnsafeMutableBytes(of: &storage) { raw in
        let buffer = raw.bindMemory(to: UInt8.self)
        // Two digits a division, from a table in the binary's constant data
        // (a static string needs no lazy initialisation).
        let pairs = digitPairs()
        var i = buffer.count
        /// Puts the two digits of r < 100 before position i.
        func prependPair(_ r: Int) {
            i -= 2
            buffer[i] = pairs[2 * r]
            buffer[i + 1] = pairs[2 * r + 1]
        }
        var rest = v
        var fraction = fractionDigits
        while fraction >= 2 {
            prependPair(Int(truncatingIfNeeded: rest % 100))
            rest /= 100
            fraction -= 2
        }
        if fraction == 1 {
            i -= 1
            buffer[i] = asciiZero &+ UInt8(truncatingIfNeeded: rest % 10)
            rest /= 10
        }
        if fractionDigits > 0 {
            i -= 1
            buffer[i] = asciiPoint
        }
        while rest >= 100 {
            prependPair(Int(truncatingIfNeeded: rest % 100))
            rest /= 100
        }
        if rest >= 10 {
            prependPair(Int(rest))
        } else {
            i -= 1
            buffer[i] = asciiZero &+ UInt8(truncatingIfNeeded: rest)
        }
        if negative {
            i -= 1
            buffer[i] = asciiMinus
        }
        body(UnsafeBufferPointer(rebasing: buffer[i...]))
    }
}

/// "00", "01", … "99": the two digits of every value below 100. A literal
/// in the function, so reading it never goes through a global's lazy
/// initialisation.
@inline(__always)
private func digitPairs() -> UnsafePointer<UInt8> {
    let pairs: StaticString = """
        00010203040506070809101112131415161718192021222324252627282930313233343536373839\
        40414243444546474849505152535455565758596061626364656667686970717273747576777879\
        8081828384858687888990919293949596979899
        """
    return pairs.utf8Start
}

// MARK: - Into a ByteBuffer

extension ByteBuffer {
    /// `appendScaledDecimal` into this buffer.
    @inline(__always)
    func appendScaledDecimal(_ v: UInt64, fractionDigits: Int, negative: Bool) {
        withScaledDecimal(v, fractionDigits: fractionDigits, negative: negative) { append($0) }
    }

    /// `formatHundredths(v)`.
    @inline(__always)
    func appendHundredths(_ v: Int64) {
        appendScaledDecimal(v.magnitude, fractionDigits: 2, negative: v < 0)
    }

    /// `formatFixed4(x)`.
    @inline(__always)
    func appendFixed4(_ x: Double) {
        let a = x.magnitude
        guard a < fixed4FastLimit else {
            var text = String(format: "%.4f", x)
            text.withUTF8 { append($0) }
            return
        }
        appendScaledDecimal(roundedTenThousandths(a), fractionDigits: 4, negative: x.sign == .minus)
    }

    /// A non-negative integer in decimal.
    @inline(__always)
    func appendDecimalDigits(_ v: UInt64) {
        appendScaledDecimal(v, fractionDigits: 0, negative: false)
    }
}
