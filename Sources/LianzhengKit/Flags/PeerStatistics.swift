/// Statistics of one peer group (同类岗位: the posts of one 岗位类别) that
/// PEER_OUTLIER compares a post's Hraw with (SPEC §6). Written into the
/// scorecards so that a reviewer can re-derive every z by hand.
public struct PeerGroup: Sendable, Equatable {
    /// 岗位类别; `PeerStatistics.unclassified` (未分类) for a blank category.
    public var category: String
    /// Number of posts in the group.
    public var size: Int
    /// Median of Hraw (the mean of the two middle values for an even size).
    public var median: Double
    /// MAD: the median of |Hraw − median|.
    public var mad: Double
    /// MeanAD: the mean of |Hraw − median|, summed in post_id order;
    /// computed only when MAD = 0 (the only case z uses it), nil otherwise.
    public var meanAD: Double?

    /// The formula a group's z comes from.
    public enum Method: Sendable, Equatable {
        /// z = 0.6745·(x − median)/MAD.
        case mad
        /// MAD = 0: z = (x − median)/(1.253314·MeanAD).
        case meanAD
        /// MAD = MeanAD = 0 (all values equal): no z, nobody is flagged.
        case undefined
    }

    /// Statistics as recorded (e.g. read back from a scorecard).
    public init(category: String, size: Int, median: Double, mad: Double, meanAD: Double?) {
        self.category = category
        self.size = size
        self.median = median
        self.mad = mad
        self.meanAD = meanAD
    }

    /// The statistics of `values`: the Hraw of the group's posts in post_id order.
    /// - Precondition: `values` is not empty.
    /// - Complexity: O(n) expected, O(n log n) at worst.
    public init(category: String, values: [Double]) {
        self = values.withUnsafeBufferPointer { PeerGroup(category: category, values: $0) }
    }

    init(category: String, values: UnsafeBufferPointer<Double>) {
        let median = OrderStatistics.median(values, IdentityKey())
        let mad = OrderStatistics.median(values, DistanceKey(center: median))
        var meanAD: Double? = nil
        if mad == 0 {
            var sum = 0.0
            for x in values { sum += (x - median).magnitude }
            meanAD = sum / Double(values.count)
        }
        self.init(category: category, size: values.count, median: median, mad: mad, meanAD: meanAD)
    }

    /// Which formula z uses in this group.
    public var method: Method {
        if mad != 0 { return .mad }
        if let meanAD, meanAD != 0 { return .meanAD }
        return .undefined
    }

    /// The modified z-score of `x` (SPEC §6), evaluated in binary64 left to
    /// right as written; nil when MAD and MeanAD are both 0.
    @inline(__always)
    public func z(_ x: Double) -> Double? {
        Self.modifiedZ(x, median: median, mad: mad, meanAD: meanAD ?? 0)
    }

    /// SPEC §6: `0.6745*(x − median)/MAD`, or `(x − median)/(1.253314*MeanAD)`
    /// when MAD = 0; nil when MeanAD is 0 too. The one place z is computed.
    @inline(__always)
    static func modifiedZ(_ x: Double, median: Double, mad: Double, meanAD: Double) -> Double? {
        if mad != 0 { return 0.6745 * (x - median) / mad }
        if meanAD != 0 { return (x - median) / (1.253314 * meanAD) }
        return nil
    }

    /// Whether a post of this group with Hraw `x` is a PEER_OUTLIER: group
    /// size ≥ peer_min_group, Hraw ≥ peer_min_hraw and z ≥ peer_z (upward only).
    @inline(__always)
    public func isOutlier(_ x: Double, rules: FlagRules) -> Bool {
        guard size >= rules.peerMinGroup, x >= rules.peerMinHraw, let z = z(x) else { return false }
        return z >= rules.peerZ
    }
}

/// The peer groups of a snapshot: posts grouped by 岗位类别, each group's
/// Hraw statistics, and every post's group.
public struct PeerStatistics: Sendable {
    /// The peer group of posts whose category is blank.
    public static let unclassified = "未分类"

    /// Groups in category order (UTF-8 bytes).
    public private(set) var groups: [PeerGroup]
    /// Index into `groups` of each post.
    public private(set) var groupOfPost: [Int32]

    /// Groups the posts by `categories` (blank ⇒ 未分类, so a blank and a
    /// written 未分类 are one group) and computes each group's statistics
    /// over `historyRaw`, in parallel; the result is the same for every
    /// thread count.
    /// - Complexity: O(n) expected (hashing, one stable scatter, selection
    ///   per group), O(n log n) at worst.
    public init(historyRaw: [Double], categories: TextColumn, threads: Int? = nil) {
        precondition(historyRaw.count == categories.count, "one category per post")
        let n = historyRaw.count
        groups = []
        groupOfPost = [Int32](repeating: 0, count: n)
        guard n > 0 else { return }
        let local = Self.internCategories(categories, into: &groupOfPost, threads: threads)
        let plan = GroupPlan(chunks: local, categories: categories)
        let grouped = Self.scatter(historyRaw, plan: plan, groupOfPost: &groupOfPost, threads: threads)
        groups = Self.statistics(grouped, plan: plan, threads: threads)
    }

    /// The peer group of post `p`.
    @inline(__always)
    public func group(ofPost p: Int) -> PeerGroup { groups[Int(groupOfPost[p])] }

    static let chunkSize = 4096

    /// Pass 1, per chunk: a local code per post (stored in `codes`) and the
    /// chunk's distinct categories with their counts.
    private static func internCategories(
        _ categories: TextColumn, into codes: inout [Int32], threads: Int?
    ) -> [ChunkCategories] {
        let n = codes.count
        var tables = [ChunkCategories](repeating: ChunkCategories(), count: chunkCount(n, chunkSize))
        categories.bytes.withUnsafeBufferPointer { arenaBuffer in
            categories.ends.withUnsafeBufferPointer { endsBuffer in
                codes.withUnsafeMutableBufferPointer { codeBuffer in
                    tables.withUnsafeMutableBufferPointer { tableBuffer in
                        let arena = Unchecked(arenaBuffer)
                        let ends = Unchecked(endsBuffer)
                        let out = SharedSlots(base: codeBuffer.baseAddress!)
                        let tableOut = SharedSlots(base: tableBuffer.baseAddress!)
                        forEachChunk(count: n, chunkSize: chunkSize, threads: threads) { c, rows in
                            var table = ByteStringTable()
                            var counts: [Int] = []
                            for p in rows {
                                let k = table.code(of: TextColumn.range(p, ends: ends.value), in: arena.value)
                                if Int(k) == counts.count { counts.append(0) }
                                counts[Int(k)] += 1
                                out[p] = k
                            }
                            tableOut[c] = ChunkCategories(keys: table.keys, counts: counts)
                        }
                    }
                }
            }
        }
        return tables
    }

    /// Pass 2: every post's global group, and Hraw copied group by group,
    /// each group's values in post_id order (a stable counting sort whose
    /// chunks write disjoint slots).
    private static func scatter(
        _ historyRaw: [Double], plan: GroupPlan, groupOfPost: inout [Int32], threads: Int?
    ) -> [Double] {
        let n = historyRaw.count
        var grouped = [Double](repeating: 0, count: n)
        historyRaw.withUnsafeBufferPointer { hrawBuffer in
            groupOfPost.withUnsafeMutableBufferPointer { codeBuffer in
                grouped.withUnsafeMutableBufferPointer { groupedBuffer in
                    let hraw = Unchecked(hrawBuffer)
                    let codes = SharedSlots(base: codeBuffer.baseAddress!)
                    let out = SharedSlots(base: groupedBuffer.baseAddress!)
                    forEachChunk(count: n, chunkSize: chunkSize, threads: threads) { c, rows in
                        let globalOf = plan.globalGroup[c]
                        var cursor = plan.firstSlot[c]
                        for p in rows {
                            let k = Int(codes[p])
                            codes[p] = globalOf[k]
                            out[cursor[k]] = hraw.value[p]
                            cursor[k] += 1
                        }
                    }
                }
            }
        }
        return grouped
    }

    /// Pass 3: each group's statistics, groups dealt to workers largest first.
    private static func statistics(_ grouped: [Double], plan: GroupPlan, threads: Int?) -> [PeerGroup] {
        let count = plan.names.count
        var result = [PeerGroup?](repeating: nil, count: count)
        let order = (0..<count).sorted { (plan.size(of: $0), $1) > (plan.size(of: $1), $0) }
        grouped.withUnsafeBufferPointer { groupedBuffer in
            result.withUnsafeMutableBufferPointer { resultBuffer in
                let values = Unchecked(groupedBuffer)
                let out = SharedSlots(base: resultBuffer.baseAddress!)
                forEachTask(order, threads: threads) { g in
                    let slice = UnsafeBufferPointer(rebasing: values.value[plan.start[g]..<plan.start[g + 1]])
                    out[g] = PeerGroup(category: plan.names[g], values: slice)
                }
            }
        }
        return result.map { $0! }
    }
}

/// One chunk's distinct categories (byte ranges in the column's arena) and
/// how many of the chunk's posts hold each.
struct ChunkCategories: Sendable {
    var keys: [Range<Int>] = []
    var counts: [Int] = []
}

/// The global groups: names in byte order, where each group's values start,
/// and for each chunk the global group and first slot of its local codes.
struct GroupPlan: Sendable {
    var names: [String] = []
    /// Offsets into the grouped values, `names.count + 1` entries.
    var start: [Int] = [0]
    var globalGroup: [[Int32]] = []
    var firstSlot: [[Int]] = []

    func size(of g: Int) -> Int { start[g + 1] - start[g] }

    init(chunks: [ChunkCategories], categories: TextColumn) {
        let unclassified = Array(PeerStatistics.unclassified.utf8)
        var index: [[UInt8]: Int] = [:]
        var keys: [[UInt8]] = []
        var firstSeen: [[Int]] = []
        categories.bytes.withUnsafeBufferPointer { arena in
            for chunk in chunks {
                firstSeen.append(chunk.keys.map { range in
                    let key = range.isEmpty ? unclassified : Array(arena[range])
                    if let g = index[key] { return g }
                    index[key] = keys.count
                    keys.append(key)
                    return keys.count - 1
                })
            }
        }
        let order = keys.indices.sorted { keys[$0].lexicographicallyPrecedes(keys[$1]) }
        var rank = [Int](repeating: 0, count: keys.count)
        for (r, k) in order.enumerated() { rank[k] = r }
        names = order.map { String(decoding: keys[$0], as: UTF8.self) }
        var sizes = [Int](repeating: 0, count: keys.count)
        for (c, chunk) in chunks.enumerated() {
            for (k, count) in chunk.counts.enumerated() { sizes[rank[firstSeen[c][k]]] += count }
        }
        for size in sizes { start.append(start.last! + size) }
        var next = Array(start.dropLast())
        for (c, chunk) in chunks.enumerated() {
            let global = firstSeen[c].map { rank[$0] }
            globalGroup.append(global.map { Int32($0) })
            firstSlot.append(chunk.counts.indices.map { k in
                defer { next[global[k]] += chunk.counts[k] }
                return next[global[k]]
            })
        }
    }
}
