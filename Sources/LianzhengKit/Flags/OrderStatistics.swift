import Foundation

/// How a value is read before ranking: itself (medians) or its distance
/// from a centre (median absolute deviations).
protocol RankKey {
    func callAsFunction(_ x: Double) -> Double
}

/// Ranks values as they are.
struct IdentityKey: RankKey {
    @inline(__always) func callAsFunction(_ x: Double) -> Double { x }
}

/// Ranks |x − center|, evaluated in binary64 as written.
struct DistanceKey: RankKey {
    let center: Double
    @inline(__always) func callAsFunction(_ x: Double) -> Double { (x - center).magnitude }
}

/// Order statistics of binary64 values without sorting them (the medians of
/// SPEC §6): an evenly spaced sample brackets the wanted ranks, one pass
/// counts the values outside the bracket and keeps those inside, and
/// introselect finishes on the few that are kept. The k-th smallest value is
/// unique, so the answer never depends on how it was found.
enum OrderStatistics {
    /// Groups up to this size are simply copied and selected.
    static let smallGroup = 2048

    /// The median of `key` over `values`: the middle value, or the mean of
    /// the two middle values for an even count.
    /// - Precondition: `values` is not empty and holds no NaN.
    /// - Complexity: O(n) expected, O(n log n) at worst.
    static func median<K: RankKey>(_ values: UnsafeBufferPointer<Double>, _ key: K) -> Double {
        let (a, b) = middle(values, key)
        return values.count % 2 == 1 ? a : (a + b) / 2
    }

    /// The values of rank (n−1)/2 and n/2 (0-based; the same for odd n).
    static func middle<K: RankKey>(_ values: UnsafeBufferPointer<Double>, _ key: K) -> (Double, Double) {
        let n = values.count
        precondition(n > 0, "median of no values")
        let k1 = (n - 1) / 2
        let k2 = n / 2
        if n > smallGroup, let pair = bracketed(values, key, k1, k2) { return pair }
        var all = values.map { key($0) }
        return (select(&all, k1), select(&all, k2))
    }

    /// Ranks k1 ≤ k2 found through a sample bracket, or nil when the sample
    /// missed them (then the caller selects over everything).
    private static func bracketed<K: RankKey>(
        _ values: UnsafeBufferPointer<Double>, _ key: K, _ k1: Int, _ k2: Int
    ) -> (Double, Double)? {
        let n = values.count
        // s ≈ 2·n^(2/3): the sample and the kept values are both small next to n.
        let s = min(n, Int(2 * pow(Double(n), 2.0 / 3.0)))
        var sample = [Double](unsafeUninitializedCapacity: s) { buffer, count in
            let step = n / s
            for i in 0..<s { buffer[i] = key(values[i * n / s + step / 2]) }
            count = s
        }
        let gap = 3 * Int(Double(s).squareRoot()) + 1
        let loRank = k1 * s / n - gap
        let hiRank = k2 * s / n + gap
        let lo = loRank <= 0 ? -Double.infinity : select(&sample, loRank)
        let hi = hiRank >= s - 1 ? Double.infinity : select(&sample, hiRank)
        var window = BracketWindow(lo: lo, hi: hi, limit: 8 * (hiRank - loRank + 1) * (n / s + 1) + 1024)
        guard window.collect(values, key) else { return nil }
        guard let a = window.value(rank: k1), let b = window.value(rank: k2) else { return nil }
        return (a, b)
    }

    /// Rearranges `a` so that `a[k]` is its k-th smallest value (0-based),
    /// and returns it. Introselect: quickselect with a median-of-three
    /// pivot, sorting the rest after 2·log2(n) rounds.
    /// - Complexity: O(n) expected, O(n log n) at worst.
    @discardableResult
    static func select(_ a: inout [Double], _ k: Int) -> Double {
        a.withUnsafeMutableBufferPointer { select($0, k) }
    }

    static func select(_ a: UnsafeMutableBufferPointer<Double>, _ k: Int) -> Double {
        var lo = 0
        var hi = a.count - 1
        var depth = 2 * (Int.bitWidth - a.count.leadingZeroBitCount)
        while hi - lo > 16 {
            if depth == 0 {
                sortRange(a, lo, hi)
                return a[k]
            }
            depth -= 1
            let pivot = medianOfThree(a[lo], a[lo + (hi - lo) / 2], a[hi])
            var i = lo
            var j = hi
            while i <= j {
                while a[i] < pivot { i += 1 }
                while a[j] > pivot { j -= 1 }
                if i <= j {
                    a.swapAt(i, j)
                    i += 1
                    j -= 1
                }
            }
            // a[lo...j] ≤ pivot ≤ a[i...hi], and everything between equals the pivot.
            if k <= j {
                hi = j
            } else if k >= i {
                lo = i
            } else {
                return a[k]
            }
        }
        sortRange(a, lo, hi)
        return a[k]
    }

    private static func sortRange(_ a: UnsafeMutableBufferPointer<Double>, _ lo: Int, _ hi: Int) {
        var part = UnsafeMutableBufferPointer(rebasing: a[lo...hi])
        part.sort()
    }

    @inline(__always)
    private static func medianOfThree(_ a: Double, _ b: Double, _ c: Double) -> Double {
        a < b ? (b < c ? b : max(a, c)) : (a < c ? a : max(b, c))
    }
}

/// One pass over a group: how many values fall below, on and above the
/// bracket [lo, hi], and the values strictly inside it.
private struct BracketWindow {
    let lo: Double
    let hi: Double
    let limit: Int
    var below = 0
    var onLo = 0
    var onHi = 0
    var inside: [Double] = []

    init(lo: Double, hi: Double, limit: Int) {
        self.lo = lo
        self.hi = hi
        self.limit = limit
        inside.reserveCapacity(min(limit, 1 << 16))
    }

    /// False when more values than `limit` fall inside (a poor sample).
    mutating func collect<K: RankKey>(_ values: UnsafeBufferPointer<Double>, _ key: K) -> Bool {
        for x in values {
            let y = key(x)
            // Most values lie outside [lo, hi]: count them without a branch
            // the processor would mispredict half the time.
            let isBelow = y < lo ? 1 : 0
            let isAbove = y > hi ? 1 : 0
            below &+= isBelow
            if isBelow | isAbove != 0 { continue }
            if y == lo {
                onLo += 1
            } else if y == hi {
                onHi += 1
            } else {
                inside.append(y)
                if inside.count > limit { return false }
            }
        }
        return true
    }

    /// The value of 0-based rank `k` in the whole group, when the bracket holds it.
    mutating func value(rank k: Int) -> Double? {
        var r = k - below
        if r < 0 { return nil }
        if r < onLo { return lo }
        r -= onLo
        if r < inside.count { return OrderStatistics.select(&inside, r) }
        r -= inside.count
        return r < onHi ? hi : nil
    }
}
