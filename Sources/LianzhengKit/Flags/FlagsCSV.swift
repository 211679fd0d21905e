/// flags.csv of SPEC §7: one row per flag, by (post_id, code in table order).
public enum FlagsCSV {
    /// The header row.
    public static let englishHeader = ["year", "post_id", "code", "value", "threshold"]
    /// The header row with `--lang zh`.
    public static let chineseHeader = ["年度", "岗位编号", "预警代码", "值", "阈值"]

    /// The file's bytes (UTF-8 with BOM, CRLF). post_id, code and level-name
    /// values get the formula guard; numeric values never do.
    public static func render(_ report: FlagReport, chineseHeaders: Bool = false) -> [UInt8] {
        write(report, chineseHeaders: chineseHeaders).array
    }

    /// `render` into a buffer of its own (an output chunk, not copied).
    static func write(_ report: FlagReport, chineseHeaders: Bool = false) -> ByteBuffer {
        var w = CSVWriter(reservingCapacity: 48 * (report.flagCount + 1))
        w.appendHeader(chineseHeaders ? chineseHeader : englishHeader)
        var texts = FlagTexts(report)
        let codes = CSVWriter.EncodedCells(PostFlagCode.allCases.map(\.code))
        for p in 0..<report.postCount where report.mask[p] != 0 {
            for code in PostFlagCode.allCases where report.has(code, post: p) {
                texts.fill(code, post: p)
                w.appendInteger(report.year)
                report.posts.id.withBytes(p) { w.appendText(bytes: $0) }
                w.appendText(codes, Int(code.rawValue))
                if code.valueIsText { w.appendText(bytes: texts.value) } else { w.appendRaw(bytes: texts.value) }
                if code.thresholdIsText { w.appendText(bytes: texts.threshold) } else { w.appendRaw(bytes: texts.threshold) }
                w.endRecord()
            }
        }
        return w.buffer
    }
}

/// risk_points.csv of SPEC §7: one row per risk point, by point_id (header
/// only when there are none).
public enum RiskPointsCSV {
    /// The header row.
    public static let englishHeader = [
        "year", "point_id", "post_id", "unit_id", "type", "level", "supervisor", "measures", "flags",
    ]
    /// The header row with `--lang zh`.
    public static let chineseHeader = ["年度", "风险点编号", "岗位编号", "单位编号", "风险类型", "风险等级", "监管责任人", "有防控措施", "预警"]

    /// The file's bytes (UTF-8 with BOM, CRLF). Ids, type, level,
    /// supervisor and flags are text cells with the formula guard.
    public static func render(_ report: RiskPointReport, chineseHeaders: Bool = false) -> [UInt8] {
        let d = report.dataset
        let points = d.riskPoints
        var w = CSVWriter(reservingCapacity: 96 * (points.count + 1))
        w.appendHeader(chineseHeaders ? chineseHeader : englishHeader)
        let year = String(report.year)
        for i in 0..<points.count {
            let post = Int(points.post[i])
            let level = report.scheme.levels[Int(report.level[post])]
            w.appendRaw(year)
            points.id.withBytes(i) { w.appendText(bytes: $0) }
            d.posts.id.withBytes(post) { w.appendText(bytes: $0) }
            d.units.id.withBytes(Int(d.posts.unit[post])) { w.appendText(bytes: $0) }
            w.appendText(RiskPointType(rawValue: points.type[i])?.chineseName ?? "")
            w.appendText(level.name)
            w.appendText(level.supervisor)
            w.appendBool(report.hasMeasures(point: i))
            w.appendText(report.flagCodes(point: i))
            w.endRecord()
        }
        return w.bytes
    }
}
