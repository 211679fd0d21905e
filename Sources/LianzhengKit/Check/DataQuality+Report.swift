/// The two forms of the `check` report.
extension DataQuality {
    /// The CSV report's columns, in order.
    public static let csvHeader = ["code", "subject_type", "subject_id", "message"]

    /// The text report: a summary line, then one group per code that has
    /// warnings (heading with its count, one warning per line), in report order.
    ///
    /// ```
    /// 数据质量检查：共 3 条警告（基准日 2025-12-31，风险等级按 2025 年计算）
    ///
    /// [NO_POWERS] 没有职权的岗位：1 条
    ///   岗位 P2（主任）没有职权记录，职权分 P 按 0 计
    /// …
    /// ```
    public static func renderText(_ warnings: [QualityWarning], asOf: Int32, riskYear: Int) -> String {
        let context = "基准日 \(CivilDate.format(days: asOf))，风险等级按 \(riskYear) 年计算"
        guard !warnings.isEmpty else { return "数据质量检查：未发现问题（\(context)）\n" }
        var text = "数据质量检查：共 \(warnings.count) 条警告（\(context)）\n"
        for code in QualityCode.allCases {
            let group = warnings.filter { $0.code == code }
            guard !group.isEmpty else { continue }
            text += "\n[\(code.rawValue)] \(code.title)：\(group.count) 条\n"
            for w in group { text += "  \(w.message)\n" }
        }
        return text
    }

    /// The CSV report (SPEC §7 conventions): UTF-8 with BOM, CRLF record
    /// ends, every cell a text cell with the formula guard.
    public static func renderCSV(_ warnings: [QualityWarning]) -> [UInt8] {
        var csv = CSVWriter(reservingCapacity: 64 + warnings.count * 160)
        csv.appendHeader(csvHeader)
        for w in warnings {
            csv.appendText(w.code.rawValue)
            csv.appendText(w.subjectType.rawValue)
            csv.appendText(w.subjectID)
            csv.appendText(w.message)
            csv.endRecord()
        }
        return csv.bytes
    }
}
