/// units.csv of SPEC §7: per unit, over the posts directly in it — post
/// count, posts per level, mean and max score, flagged posts, and the
/// unit's own assessment band.
public enum UnitsCSV {
    /// Per-unit aggregates, shared by units.csv, the report and `compare`.
    public struct Row: Sendable {
        public var posts = 0
        public var perLevel: [Int]
        public var scoreSum: Int64 = 0
        public var maxScore: Int64 = 0
        public var flaggedPosts = 0
        /// Band index of the unit's assessment in Y, if it is a subject.
        public var band: Int?

        /// Mean score in hundredths, rounded half-up; nil without posts.
        public var meanScore: Int64? { posts == 0 ? nil : dividedRoundingHalfUp(scoreSum, by: Int64(posts)) }
    }

    /// - Complexity: O(posts + units).
    public static func rows(_ c: YearComputation) -> [Row] {
        let d = c.dataset
        var rows = [Row](repeating: Row(perLevel: [Int](repeating: 0, count: c.scheme.levels.count)), count: d.units.count)
        for p in 0..<d.posts.count {
            let u = Int(d.posts.unit[p])
            let score = c.risk.score[p]
            rows[u].posts += 1
            rows[u].perLevel[Int(c.risk.level[p])] += 1
            rows[u].scoreSum += score
            if rows[u].posts == 1 || score > rows[u].maxScore { rows[u].maxScore = score }
            if c.flags.mask[p] != 0 { rows[u].flaggedPosts += 1 }
        }
        for u in 0..<d.units.count {
            if let i = c.assessment.row(of: .unit, index: u) { rows[u].band = Int(c.assessment.band[i]) }
        }
        return rows
    }

    public static func render(_ c: YearComputation, rows: [Row], chineseHeaders: Bool = false) -> [UInt8] {
        let levels = c.scheme.levels.map(\.name)
        let header = chineseHeaders
            ? ["年度", "单位编号", "单位名称", "岗位数"] + levels + ["平均风险分", "最高风险分", "预警岗位数", "考核档次"]
            : ["year", "unit_id", "name", "posts"] + levels + ["mean_score", "max_score", "flagged_posts", "band"]
        var w = CSVWriter(reservingCapacity: 80 * (rows.count + 1))
        w.appendHeader(header)
        let d = c.dataset
        for (u, row) in rows.enumerated() {
            w.appendRaw(String(c.year))
            d.units.id.withBytes(u) { w.appendText(bytes: $0) }
            d.units.name.withBytes(u) { w.appendText(bytes: $0) }
            w.appendInteger(row.posts)
            for n in row.perLevel { w.appendInteger(n) }
            if let mean = row.meanScore {
                w.appendHundredths(mean)
                w.appendHundredths(row.maxScore)
            } else {
                w.appendEmpty()
                w.appendEmpty()
            }
            w.appendInteger(row.flaggedPosts)
            if let band = row.band { w.appendText(c.scheme.assessment.bands[band].name) } else { w.appendEmpty() }
            w.endRecord()
        }
        return w.bytes
    }
}
