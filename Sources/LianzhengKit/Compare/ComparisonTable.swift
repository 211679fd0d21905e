/// 横向对比 (SPEC §8 `compare`): the units.csv view of SPEC §7, ranked, with
/// the unit tree rolled up — or the same figures per 岗位类别.
///
/// By unit, every unit has its row over the posts directly in it (the
/// units.csv row), and every unit with sub-units has a second row over its
/// whole subtree (含下级单位): post counts and per-level counts summed, the
/// mean recomputed exactly from the summed hundredths (never a mean of
/// means), the maximum the maximum. The band is the unit's own assessment
/// band either way (a unit is assessed as a whole, SPEC §5).
///
/// Rows are ranked by, in order: having posts (a row without posts has no
/// mean and comes last); mean score, descending; share of posts at the most
/// severe level, descending; flagged posts, descending; assessment band,
/// best first (no band last); then unit id (category name), and a rolled-up
/// row before the direct row of the same unit. Mean and share are compared
/// as printed — hundredths of a point and of a percent, rounded half-up —
/// so equal printed figures fall through to the next key.
public struct ComparisonTable: Sendable {
    /// What a row groups posts by.
    public enum Grouping: String, Sendable, CaseIterable {
        /// 按单位: the units.csv rows, with rolled-up rows for units with sub-units.
        case unit
        /// 按岗位类别: one row per 岗位类别.
        case category
    }

    /// Which posts of a unit a row covers.
    public enum Scope: Sendable, Equatable {
        /// A unit without sub-units: its own posts, which are all of them.
        case whole
        /// 含下级单位: the unit and all its descendants.
        case rolledUp
        /// 本级: only the posts directly in a unit that has sub-units.
        case direct

        /// As printed in CSV: `unit`, `rolled_up`, `direct`.
        public var code: String {
            switch self {
            case .whole: "unit"
            case .rolledUp: "rolled_up"
            case .direct: "direct"
            }
        }

        /// As the text and HTML tables mark it.
        public var chineseName: String {
            switch self {
            case .whole: ""
            case .rolledUp: "含下级单位"
            case .direct: "本级"
            }
        }
    }

    /// One row of the table.
    public struct Row: Sendable {
        /// Row index in `dataset.units` (by unit), or index into `categories`.
        public var key: Int
        public var scope: Scope
        /// Posts, per level, score sum, maximum, flagged posts and band.
        public var figures: UnitsCSV.Row
        /// 1-based place in the ranking.
        public var rank: Int

        /// Share of posts at the most severe level, hundredths of a percent
        /// rounded half-up (1250 = 12.50 %); nil without posts.
        public var topLevelShare: Int64? {
            figures.posts == 0 ? nil : dividedRoundingHalfUp(Int64(figures.perLevel[0]) * 10_000, by: Int64(figures.posts))
        }
    }

    /// What the rows group posts by.
    public let grouping: Grouping
    /// Y.
    public let year: Int
    /// The scheme the figures were computed with (level names, bands).
    public let scheme: Scheme
    /// The dataset the rows refer to (unit ids and names).
    public let dataset: Dataset
    /// Category names (blank ⇒ 未分类), in UTF-8 byte order, when grouping by category.
    public let categories: [String]
    /// The rows, ranked.
    public let rows: [Row]

    /// The ranked table of `c`'s posts grouped by `grouping`.
    /// - Complexity: O(posts + units + r log r) for r rows.
    public init(_ c: YearComputation, by grouping: Grouping = .unit) {
        self.grouping = grouping
        year = c.year
        scheme = c.scheme
        dataset = c.dataset
        var rows: [Row]
        switch grouping {
        case .unit:
            categories = []
            rows = Self.unitRows(c)
        case .category:
            (categories, rows) = Self.categoryRows(c)
        }
        let categoryOrder = categories
        rows.sort { Self.precedes($0, $1, categories: categoryOrder) }
        for k in rows.indices { rows[k].rank = k + 1 }
        self.rows = rows
    }

    /// Direct rows (units.csv) for every unit, and rolled-up rows for units with sub-units.
    static func unitRows(_ c: YearComputation) -> [Row] {
        let direct = UnitsCSV.rows(c)
        let rolled = rollUp(direct, units: c.dataset.units)
        let tree = UnitTree(units: c.dataset.units, posts: c.dataset.posts)
        var rows: [Row] = []
        rows.reserveCapacity(direct.count * 2)
        for u in direct.indices {
            if tree.childStart[u + 1] > tree.childStart[u] {
                rows.append(Row(key: u, scope: .rolledUp, figures: rolled[u], rank: 0))
                rows.append(Row(key: u, scope: .direct, figures: direct[u], rank: 0))
            } else {
                rows.append(Row(key: u, scope: .whole, figures: direct[u], rank: 0))
            }
        }
        return rows
    }

    /// Each unit's figures over its whole subtree: its direct row plus the
    /// rolled-up rows of its children, in one bottom-up pass.
    /// - Complexity: O(units × levels).
    public static func rollUp(_ direct: [UnitsCSV.Row], units: UnitTable) -> [UnitsCSV.Row] {
        let tree = UnitTree(units: units, posts: PostTable())
        var rolled = direct
        for u32 in tree.bottomUp {
            let u = Int(u32)
            let parent = Int(units.parent[u])
            guard parent >= 0 else { continue }
            rolled[parent].add(rolled[u])
        }
        return rolled
    }

    /// One row per category present among the posts.
    static func categoryRows(_ c: YearComputation) -> ([String], [Row]) {
        let d = c.dataset
        var index: [String: Int] = [:]
        var names: [String] = []
        var categoryOfPost = [Int32](repeating: 0, count: d.posts.count)
        for p in 0..<d.posts.count {
            let name = d.posts.category.isEmpty(at: p) ? "未分类" : d.posts.category[p]
            if let k = index[name] {
                categoryOfPost[p] = Int32(k)
            } else {
                index[name] = names.count
                categoryOfPost[p] = Int32(names.count)
                names.append(name)
            }
        }
        // Renumber by UTF-8 bytes, so `key` order is name order.
        let order = names.indices.sorted { utf8Precedes(names[$0], names[$1]) }
        var renumber = [Int](repeating: 0, count: names.count)
        for (k, old) in order.enumerated() { renumber[old] = k }
        let sorted = order.map { names[$0] }
        var figures = [UnitsCSV.Row](repeating: UnitsCSV.Row(perLevel: [Int](repeating: 0, count: c.scheme.levels.count)), count: names.count)
        for p in 0..<d.posts.count {
            figures[renumber[Int(categoryOfPost[p])]].addPost(score: c.risk.score[p], level: Int(c.risk.level[p]), flagged: c.flags.mask[p] != 0)
        }
        return (sorted, figures.enumerated().map { Row(key: $0.offset, scope: .whole, figures: $0.element, rank: 0) })
    }

    /// The ranking order (see the type's documentation).
    static func precedes(_ a: Row, _ b: Row, categories: [String]) -> Bool {
        let (x, y) = (a.figures, b.figures)
        if (x.posts > 0) != (y.posts > 0) { return x.posts > 0 }
        if let m = x.meanScore, let n = y.meanScore, m != n { return m > n }
        if let s = a.topLevelShare, let t = b.topLevelShare, s != t { return s > t }
        if x.flaggedPosts != y.flaggedPosts { return x.flaggedPosts > y.flaggedPosts }
        if x.band != y.band {
            guard let p = x.band else { return false }
            guard let q = y.band else { return true }
            return p < q
        }
        if a.key != b.key { return a.key < b.key }  // unit rows are in unit-id order, categories in name order
        return a.scope == .rolledUp && b.scope != .rolledUp
    }
}

extension UnitsCSV.Row {
    /// Counts one post.
    mutating func addPost(score: Int64, level: Int, flagged: Bool) {
        posts += 1
        perLevel[level] += 1
        scoreSum += score
        if posts == 1 || score > maxScore { maxScore = score }
        if flagged { flaggedPosts += 1 }
    }

    /// Adds another row's posts: counts and hundredths summed, maximum of
    /// the maxima (of rows with posts). The band stays this row's own.
    public mutating func add(_ other: UnitsCSV.Row) {
        guard other.posts > 0 else { return }
        maxScore = posts == 0 ? other.maxScore : Swift.max(maxScore, other.maxScore)
        posts += other.posts
        for k in perLevel.indices { perLevel[k] += other.perLevel[k] }
        scoreSum += other.scoreSum
        flaggedPosts += other.flaggedPosts
    }
}
