import Dispatch
import Foundation

/// A text column seen through raw pointers, for comparisons inside sorts:
/// no reference counting or bounds checks per comparison.
struct TextView {
    let bytes: UnsafePointer<UInt8>
    let ends: UnsafePointer<Int>

    /// Byte-wise (memcmp) three-way comparison of texts i and j.
    @inline(__always)
    func compare(_ i: Int, _ j: Int) -> Int32 {
        let a = i == 0 ? 0 : ends[i - 1]
        let b = j == 0 ? 0 : ends[j - 1]
        let la = ends[i] - a
        let lb = ends[j] - b
        let n = min(la, lb)
        if n > 0 {
            let c = memcmp(bytes + a, bytes + b, n)
            if c != 0 { return c }
        }
        return la < lb ? -1 : (la > lb ? 1 : 0)
    }
}

extension TextColumn {
    func withView<R>(_ body: (TextView) throws -> R) rethrows -> R {
        try bytes.withBase { b in try ends.withBase { e in try body(TextView(bytes: b, ends: e)) } }
    }
}

extension Array {
    /// The base address of the elements; a valid (never read) pointer when empty.
    func withBase<R>(_ body: (UnsafePointer<Element>) throws -> R) rethrows -> R {
        try withUnsafeBufferPointer { b in
            if let base = b.baseAddress { return try body(base) }
            return try withUnsafeTemporaryAllocation(of: Element.self, capacity: 1) { try body(UnsafePointer($0.baseAddress!)) }
        }
    }
}

/// Three-way comparison of two values.
@inline(__always)
func compare<T: Comparable>(_ a: T, _ b: T) -> Int32 {
    a < b ? -1 : (b < a ? 1 : 0)
}

/// Row indices 0..<n sorted by `compare` (three-way), equal rows by index.
func sortedOrder(_ n: Int, by compare: (Int, Int) -> Int32) -> [Int32] {
    var order = (0..<Int32(n)).map { $0 }
    order.sort { a, b in
        let c = compare(Int(a), Int(b))
        return c != 0 ? c < 0 : a < b
    }
    return order
}

/// rank[order[k]] = k.
func ranks(of order: [Int32]) -> [Int32] {
    var rank = [Int32](repeating: 0, count: order.count)
    for (k, i) in order.enumerated() { rank[Int(i)] = Int32(k) }
    return rank
}

/// Counting sort of rows by bucket, then `compare` (three-way) within each
/// bucket, equal rows by index.
/// - Returns: the row order and the CSR offsets (buckets + 1 entries).
/// - Complexity: O(n + buckets) plus sorting each bucket's few rows.
func bucketed(_ bucket: [Int32], buckets: Int, within compare: (Int, Int) -> Int32) -> ([Int32], [Int32]) {
    let start = offsets(bucket, buckets: buckets)
    var order = [Int32](repeating: 0, count: bucket.count)
    var next = start
    for (i, b) in bucket.enumerated() {
        order[Int(next[Int(b)])] = Int32(i)
        next[Int(b)] += 1
    }
    order.withUnsafeMutableBufferPointer { order in
        for b in 0..<buckets {
            let lo = Int(start[b])
            let hi = Int(start[b + 1])
            guard hi - lo > 1 else { continue }
            // Insertion sort: groups are a post's few rows, often already in order.
            for k in (lo + 1)..<hi {
                let row = order[k]
                var j = k
                while j > lo {
                    let c = compare(Int(order[j - 1]), Int(row))
                    if c < 0 || (c == 0 && order[j - 1] < row) { break }
                    order[j] = order[j - 1]
                    j -= 1
                }
                order[j] = row
            }
        }
    }
    return (order, start)
}

/// CSR offsets: start[b] = number of rows in buckets before b.
func offsets(_ bucket: [Int32], buckets: Int) -> [Int32] {
    var start = [Int32](repeating: 0, count: buckets + 1)
    for b in bucket { start[Int(b) + 1] += 1 }
    for b in 0..<buckets { start[b + 1] += start[b] }
    return start
}

/// `values` in the order of `order`: element k is `values[order[k]]`.
/// - Complexity: O(n), one allocation.
func gather<T>(_ values: [T], by order: [Int32]) -> [T] {
    values.withUnsafeBufferPointer { v in
        [T](unsafeUninitializedCapacity: order.count) { out, initialized in
            for (k, i) in order.enumerated() { (out.baseAddress! + k).initialize(to: v[Int(i)]) }
            initialized = order.count
        }
    }
}
