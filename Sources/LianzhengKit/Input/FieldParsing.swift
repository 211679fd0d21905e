/// Value rules of SPEC §2, applied to the UTF-8 bytes of one field.
///
/// Each returns nil (or a failure case) instead of guessing: an official
/// figure is never silently rounded or reinterpreted.
enum FieldParsing {
    /// `-?[0-9]+` as Int64; nil on any other text or on overflow.
    static func integer(_ b: UnsafeBufferPointer<UInt8>) -> Int64? {
        var i = 0
        var negative = false
        if b.count > 0, b[0] == 0x2D {
            negative = true
            i = 1
        }
        guard i < b.count else { return nil }
        var value: Int64 = 0
        while i < b.count {
            let d = b[i] &- 0x30
            guard d < 10 else { return nil }
            let (m, o1) = value.multipliedReportingOverflow(by: 10)
            let (s, o2) = m.addingReportingOverflow(Int64(d))
            guard !o1, !o2 else { return nil }
            value = s
            i += 1
        }
        return negative ? -value : value
    }

    /// Whether the bytes match `-?[0-9]+(\.[0-9]+)?`.
    static func isDecimalNumber(_ b: UnsafeBufferPointer<UInt8>) -> Bool {
        var i = 0
        if b.count > 0, b[0] == 0x2D { i = 1 }
        let intStart = i
        while i < b.count, b[i] &- 0x30 < 10 { i += 1 }
        guard i > intStart else { return false }
        if i == b.count { return true }
        guard b[i] == 0x2E else { return false }
        i += 1
        let fracStart = i
        while i < b.count, b[i] &- 0x30 < 10 { i += 1 }
        return i > fracStart && i == b.count
    }

    /// A number of the SPEC pattern as the correctly rounded binary64 value.
    static func number(_ b: UnsafeBufferPointer<UInt8>) -> Double? {
        guard isDecimalNumber(b) else { return nil }
        if let v = exactQuotient(b) { return v + 0.0 }  // -0 reads as 0
        guard let v = Double(String(decoding: b, as: UTF8.self)), v.isFinite else { return nil }
        return v + 0.0
    }

    /// Powers of ten that binary64 holds exactly (10^0 … 10^22).
    private static let exactPowersOfTen: [Double] = (0...22).map { k in (0..<k).reduce(1.0) { x, _ in x * 10 } }

    /// Clinger's fast path for `-?digits(.digits)?` (already checked): when
    /// the digits without the point form an integer m < 2^53 and there are
    /// k ≤ 22 decimals, m and 10^k are exact doubles and one IEEE division
    /// rounds m / 10^k correctly — the value `Double(String)` gives, without
    /// creating a string for every amount. Nil when the fast path does not apply.
    @inline(__always)
    private static func exactQuotient(_ b: UnsafeBufferPointer<UInt8>) -> Double? {
        var i = 0
        var negative = false
        if b[0] == 0x2D {
            negative = true
            i = 1
        }
        var m: UInt64 = 0
        var decimals = -1
        while i < b.count {
            let c = b[i]
            if c == 0x2E {
                decimals = 0
            } else {
                m = m &* 10 &+ UInt64(c &- 0x30)
                if decimals >= 0 { decimals += 1 }
                if m >= 1 << 53 { return nil }
            }
            i += 1
        }
        let k = max(decimals, 0)
        guard k <= 22 else { return nil }
        let v = Double(m) / exactPowersOfTen[k]
        return negative ? -v : v
    }

    /// The largest number of points (hundredths) a score, an adjustment or a
    /// point value of a scheme may hold: 1,000,000 points. Sums of at most
    /// Int32.max rows of such values cannot overflow Int64, so no total,
    /// deduction or bonus ever traps on hostile figures.
    static let maximumHundredths: Int64 = 100_000_000

    enum Hundredths: Equatable {
        case value(Int64)
        case tooManyDecimals
        case invalid
    }

    /// A decimal with at most two places as exact integer hundredths.
    static func hundredths(_ b: UnsafeBufferPointer<UInt8>) -> Hundredths {
        guard isDecimalNumber(b) else { return .invalid }
        var i = 0
        var negative = false
        if b[0] == 0x2D {
            negative = true
            i = 1
        }
        var whole: Int64 = 0
        while i < b.count, b[i] != 0x2E {
            let (m, o1) = whole.multipliedReportingOverflow(by: 10)
            let (s, o2) = m.addingReportingOverflow(Int64(b[i] - 0x30))
            guard !o1, !o2, s < Int64.max / 1000 else { return .invalid }
            whole = s
            i += 1
        }
        var fraction: Int64 = 0
        var places = 0
        if i < b.count {
            i += 1
            while i < b.count {
                places += 1
                if places > 2 { return .tooManyDecimals }
                fraction = fraction * 10 + Int64(b[i] - 0x30)
                i += 1
            }
        }
        if places == 1 { fraction *= 10 }
        let v = whole * 100 + fraction
        return .value(negative ? -v : v)
    }

    /// 是/否, Y/N, yes/no, true/false, 1/0 (case-insensitive).
    static func boolean(_ b: UnsafeBufferPointer<UInt8>) -> Bool? {
        // The forms exports write, without making a string.
        if b.count == 1 {
            switch b[0] {
            case 0x31, 0x59, 0x79: return true  // 1 Y y
            case 0x30, 0x4E, 0x6E: return false  // 0 N n
            default: break
            }
        } else if b.count == 3, b[0] == 0xE6, b[1] == 0x98, b[2] == 0xAF {
            return true  // 是
        } else if b.count == 3, b[0] == 0xE5, b[1] == 0x90, b[2] == 0xA6 {
            return false  // 否
        }
        let text = String(decoding: b, as: UTF8.self)
        switch text.lowercased() {
        case "是", "y", "yes", "true", "1": return true
        case "否", "n", "no", "false", "0": return false
        default: return nil
        }
    }

    /// `YYYY-MM-DD`, `YYYY/MM/DD`, `YYYY.MM.DD` or `YYYY年M月D日`, 1- or 2-digit
    /// month and day, a real calendar date: days since 1970-01-01.
    static func date(_ b: UnsafeBufferPointer<UInt8>) -> Int32? {
        if b.count == 10, let days = isoDate(b) { return days }
        guard b.count >= 8 else { return nil }
        var i = 0
        func digits(_ minCount: Int, _ maxCount: Int) -> Int? {
            var value = 0
            var k = 0
            while i < b.count, k < maxCount, b[i] &- 0x30 < 10 {
                value = value * 10 + Int(b[i] - 0x30)
                i += 1
                k += 1
            }
            return k >= minCount ? value : nil
        }
        func expect(_ s: [UInt8]) -> Bool {
            guard i + s.count <= b.count else { return false }
            for (k, c) in s.enumerated() where b[i + k] != c { return false }
            i += s.count
            return true
        }
        guard let year = digits(4, 4) else { return nil }
        let nian = yearMark
        let yue = monthMark
        let ri = dayMark
        let month: Int
        let day: Int
        if i < b.count, b[i] == 0x2D || b[i] == 0x2F || b[i] == 0x2E {
            let sep = b[i]
            i += 1
            guard let m = digits(1, 2), i < b.count, b[i] == sep else { return nil }
            i += 1
            guard let d = digits(1, 2) else { return nil }
            month = m
            day = d
        } else if expect(nian) {
            guard let m = digits(1, 2), expect(yue), let d = digits(1, 2), expect(ri) else { return nil }
            month = m
            day = d
        } else {
            return nil
        }
        guard i == b.count else { return nil }
        guard month >= 1, month <= 12, day >= 1, day <= CivilDate.daysInMonth(year: year, month: month) else { return nil }
        return Int32(CivilDate.daysFromCivil(year: year, month: month, day: day))
    }
}

extension FieldParsing {
    /// `YYYY-MM-DD` (with `-`, `/` or `.`), the form nearly every date
    /// takes, read without the general parser's bookkeeping; nil for
    /// anything else (the general parser then decides).
    @inline(__always)
    fileprivate static func isoDate(_ b: UnsafeBufferPointer<UInt8>) -> Int32? {
        let sep = b[4]
        guard sep == 0x2D || sep == 0x2F || sep == 0x2E, b[7] == sep else { return nil }
        var year = 0
        for k in 0..<4 {
            let d = b[k] &- 0x30
            guard d < 10 else { return nil }
            year = year * 10 + Int(d)
        }
        let m1 = b[5] &- 0x30, m2 = b[6] &- 0x30, d1 = b[8] &- 0x30, d2 = b[9] &- 0x30
        guard m1 < 10, m2 < 10, d1 < 10, d2 < 10 else { return nil }
        let month = Int(m1) * 10 + Int(m2)
        let day = Int(d1) * 10 + Int(d2)
        guard month >= 1, month <= 12, day >= 1, day <= CivilDate.daysInMonth(year: year, month: month) else { return nil }
        return Int32(CivilDate.daysFromCivil(year: year, month: month, day: day))
    }
}

/// UTF-8 of 年, 月, 日 (E5 B9 B4, E6 9C 88, E6 97 A5).
private let yearMark: [UInt8] = [0xE5, 0xB9, 0xB4]
private let monthMark: [UInt8] = [0xE6, 0x9C, 0x88]
private let dayMark: [UInt8] = [0xE6, 0x97, 0xA5]

/// Proleptic Gregorian calendar arithmetic on day numbers (days since 1970-01-01).
public enum CivilDate {
    public static func isLeap(_ y: Int) -> Bool { (y % 4 == 0 && y % 100 != 0) || y % 400 == 0 }

    public static func daysInMonth(year: Int, month: Int) -> Int {
        switch month {
        case 2: isLeap(year) ? 29 : 28
        case 4, 6, 9, 11: 30
        default: 31
        }
    }

    /// Howard Hinnant's days_from_civil.
    public static func daysFromCivil(year: Int, month: Int, day: Int) -> Int {
        let y = month <= 2 ? year - 1 : year
        let era = (y >= 0 ? y : y - 399) / 400
        let yoe = y - era * 400
        let mp = (month + 9) % 12
        let doy = (153 * mp + 2) / 5 + day - 1
        let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy
        return era * 146097 + doe - 719468
    }

    /// Inverse of `daysFromCivil`.
    public static func civil(fromDays z0: Int) -> (year: Int, month: Int, day: Int) {
        let z = z0 + 719468
        let era = (z >= 0 ? z : z - 146096) / 146097
        let doe = z - era * 146097
        let yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365
        let y = yoe + era * 400
        let doy = doe - (365 * yoe + yoe / 4 - yoe / 100)
        let mp = (5 * doy + 2) / 153
        let d = doy - (153 * mp + 2) / 5 + 1
        let m = mp < 10 ? mp + 3 : mp - 9
        return (m <= 2 ? y + 1 : y, m, d)
    }

    /// `YYYY-MM-DD`.
    public static func format(days: Int32) -> String {
        let (y, m, d) = civil(fromDays: Int(days))
        let mm = m < 10 ? "0\(m)" : "\(m)"
        let dd = d < 10 ? "0\(d)" : "\(d)"
        return "\(y)-\(mm)-\(dd)"
    }

    /// Writes `format(days:)`'s bytes into `out` (at least 16 bytes) without
    /// creating a string, for millions of stored dates.
    /// - Returns: the number of bytes written.
    static func write(days: Int32, into out: UnsafeMutablePointer<UInt8>) -> Int {
        let (y, m, d) = civil(fromDays: Int(days))
        var n = 0
        if y < 0 {
            out[0] = 0x2D
            n = 1
        }
        var digits = 1
        var rest = abs(y)
        while rest >= 10 {
            digits += 1
            rest /= 10
        }
        var v = abs(y)
        for k in stride(from: n + digits - 1, through: n, by: -1) {
            out[k] = UInt8(0x30 + v % 10)
            v /= 10
        }
        n += digits
        out[n] = 0x2D
        out[n + 1] = UInt8(0x30 + m / 10)
        out[n + 2] = UInt8(0x30 + m % 10)
        out[n + 3] = 0x2D
        out[n + 4] = UInt8(0x30 + d / 10)
        out[n + 5] = UInt8(0x30 + d % 10)
        return n + 6
    }

    /// Day number of 31 December of `year` (as_of of SPEC §4).
    public static func endOfYear(_ year: Int) -> Int32 { Int32(daysFromCivil(year: year, month: 12, day: 31)) }

    /// Calendar year of a day number.
    public static func year(ofDays days: Int32) -> Int { civil(fromDays: Int(days)).year }
}
