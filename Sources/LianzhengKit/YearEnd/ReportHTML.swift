/// report.html (SPEC §7): the human report. Placeholder until the full
/// report lands; the year-end pipeline already writes and hashes it.
public enum ReportHTML {
    public static func render(_ c: YearComputation, run: RunIdentity, units: [UnitsCSV.Row]) -> [UInt8] {
        var html = "<!DOCTYPE html>\n<html lang=\"zh-CN\"><head><meta charset=\"utf-8\"><title>"
        html += htmlEscape("\(c.year) 年度廉政风险防控报告")
        html += "</title></head><body><h1>" + htmlEscape("\(c.year) 年度廉政风险防控报告") + "</h1>"
        html += "<p>运行编号 " + htmlEscape(run.runID) + "</p></body></html>\n"
        return Array(html.utf8)
    }
}
