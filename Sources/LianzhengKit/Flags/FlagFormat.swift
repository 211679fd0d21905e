import Foundation

/// Number texts of flags.csv that the output module has no formatter for.
public enum FlagFormat {
    /// Exactly what C `printf("%.2f", x)` prints: the correctly rounded
    /// decimal of the binary64 value with 2 places, exact ties to even,
    /// "-0.00" for negative values that round to zero. Used for z (SPEC §6).
    ///
    /// Below 1e13, x·100 < 2^50: `n = floor(x·100)` as computed is the true
    /// floor or one more when the exact product lies within 1/16 below an
    /// integer (then that integer is also the nearest), and the fused
    /// `2·x·100 − (2n + 1)` is rounded once, so its sign tells exactly on
    /// which side of n + ½ the value lies. Larger values, NaN and infinities
    /// go through `String(format:)`, which is glibc's printf.
    public static func fixed2(_ x: Double) -> String {
        guard let cents = cents(x) else { return String(format: "%.2f", x) }
        let text = String(cents / 100) + "." + (cents % 100 < 10 ? "0" : "") + String(cents % 100)
        return x.sign == .minus ? "-" + text : text
    }

    /// `fixed2(x)` as bytes.
    static func appendFixed2(_ x: Double, to out: ByteBuffer) {
        guard let cents = cents(x) else {
            var text = String(format: "%.2f", x)
            text.withUTF8 { out.append($0) }
            return
        }
        out.appendScaledDecimal(cents, fractionDigits: 2, negative: x.sign == .minus)
    }

    /// |x|·100 correctly rounded, exact ties to even; nil from 1e13 on
    /// and for NaN (printf's business).
    private static func cents(_ x: Double) -> UInt64? {
        let a = x.magnitude
        guard a < 1e13 else { return nil }
        let n = (a * 100).rounded(.down)
        let aboveHalf = (-(2 * n + 1)).addingProduct(a, 200)
        var cents = UInt64(n)
        if aboveHalf > 0 || (aboveHalf == 0 && cents & 1 == 1) { cents += 1 }
        return cents
    }
}
