/// posts.csv of SPEC §7: one row per post in post_id order.
public enum PostsCSV {
    public static let englishHeader = [
        "year", "post_id", "unit_id", "power", "discretion", "history_raw", "history", "score", "level", "floor", "flags",
    ]
    public static let chineseHeader = [
        "年度", "岗位编号", "单位编号", "职权分", "裁量分", "历史原始分", "历史分", "风险分", "风险等级", "最低等级规则", "预警",
    ]

    /// The file's bytes. The flags column lists each post's codes from
    /// `flags` joined by `;` (empty when none, or without `flags`).
    /// - Complexity: O(posts); no formatting through `String(format:)`.
    public static func render(
        year: Int, dataset d: Dataset, scheme: Scheme, risk r: RiskResult,
        chineseHeaders: Bool = false, flags: FlagReport? = nil
    ) -> [UInt8] {
        write(year: year, dataset: d, scheme: scheme, risk: r, chineseHeaders: chineseHeaders, flags: flags).array
    }

    /// `render` into a buffer of its own (an output chunk, not copied).
    static func write(
        year: Int, dataset d: Dataset, scheme: Scheme, risk r: RiskResult,
        chineseHeaders: Bool = false, flags: FlagReport? = nil
    ) -> ByteBuffer {
        var w = CSVWriter(reservingCapacity: 96 * (d.posts.count + 1))
        w.appendHeader(chineseHeaders ? chineseHeader : englishHeader)
        let yearText = String(year)
        let levelNames = CSVWriter.EncodedCells(scheme.levels.map(\.name))
        // The flags cell of every mask, made once.
        let flagLists = CSVWriter.EncodedCells(FlagReport.codeTexts)
        let masks = flags?.mask ?? [UInt8](repeating: 0, count: d.posts.count)
        for p in 0..<d.posts.count {
            w.appendRaw(yearText)
            d.posts.id.withBytes(p) { w.appendText(bytes: $0) }
            d.units.id.withBytes(Int(d.posts.unit[p])) { w.appendText(bytes: $0) }
            w.appendFixed4(r.power[p])
            w.appendFixed4(r.discretion[p])
            w.appendFixed4(r.historyRaw[p])
            w.appendFixed4(r.history[p])
            w.appendHundredths(r.score[p])
            w.appendText(levelNames, Int(r.level[p]))
            if r.floor[p] == 0 { w.appendEmpty() } else { w.appendInteger(Int(r.floor[p])) }
            w.appendText(flagLists, Int(masks[p]))
            w.endRecord()
        }
        return w.buffer
    }
}
