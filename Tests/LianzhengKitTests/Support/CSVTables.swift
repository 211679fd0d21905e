import Foundation
import Testing
@testable import LianzhengKit

/// A dataset held as tables of cell texts (canonical column names), written
/// out as CSV files in the many ways users' tools write them.
struct CSVDataset {
    struct Table {
        var columns: [String]
        var rows: [[String]]
    }

    var tables: [InputTable: Table]

    /// How to write the files; every option keeps the data the same.
    struct Style: CustomTestStringConvertible, Sendable {
        var id: String
        var shuffleRows = false
        var shuffleColumns = false
        /// Name columns by their Chinese alias (all of them, or a random mix when shuffling columns).
        var chineseHeaders = false
        var crlf = false
        var bom = false
        var gb18030 = false
        /// Spaces and tabs around fields (outside the quotes of quoted ones).
        var padding = false
        /// Blank and whitespace-only lines between rows.
        var blankLines = false
        var seed: UInt64 = 1
        var testDescription: String { id }
    }

    /// The value of `column` in row `row` of `table` replaced by `value`.
    func editing(_ table: InputTable, row: Int, column: String, to value: String) -> CSVDataset {
        var copy = self
        let c = copy.tables[table]!.columns.firstIndex(of: column)!
        copy.tables[table]!.rows[row][c] = value
        return copy
    }

    /// The files' bytes in `style`.
    func files(_ style: Style) -> [String: [UInt8]] {
        var random = SeededRandom(seed: style.seed)
        var out: [String: [UInt8]] = [:]
        for table in InputTable.allCases {
            guard let t = tables[table] else { continue }
            var order = Array(t.columns.indices)
            if style.shuffleColumns { order.shuffle(using: &random) }
            var rows = t.rows
            if style.shuffleRows { rows.shuffle(using: &random) }
            let specs = table.columns
            let header = order.map { k -> String in
                let spec = specs.first { $0.name == t.columns[k] }!
                let alias = style.chineseHeaders && (!style.shuffleColumns || Bool.random(using: &random))
                return alias ? spec.alias : spec.name
            }
            let newline = style.crlf ? "\r\n" : "\n"
            var text = style.bom ? "\u{FEFF}" : ""
            func line(_ cells: [String]) -> String {
                cells.map { cell -> String in
                    var written = Self.quotedIfNeeded(cell)
                    if style.crlf { written = written.replacingOccurrences(of: "\n", with: "\r\n") }
                    if style.padding {
                        let pads = ["", " ", "\t", "  ", " \t"]
                        written = pads.randomElement(using: &random)! + written + pads.randomElement(using: &random)!
                    }
                    return written
                }.joined(separator: ",") + newline
            }
            text += line(header)
            for row in rows {
                if style.blankLines { text += ["", " ", "\t \t"].randomElement(using: &random)! + newline }
                text += line(order.map { row[$0] })
            }
            out[table.fileName] = style.gb18030 ? LianzhengKitTests.gb18030(text) : Array(text.utf8)
        }
        return out
    }

    /// RFC 4180 quoting when the cell would not survive unquoted.
    static func quotedIfNeeded(_ cell: String) -> String {
        let needs = cell.contains(where: { $0 == "," || $0 == "\"" || $0 == "\n" || $0 == "\r" })
            || cell.first == " " || cell.first == "\t" || cell.last == " " || cell.last == "\t"
        return needs ? "\"" + cell.replacingOccurrences(of: "\"", with: "\"\"") + "\"" : cell
    }

    func folder(_ style: Style = Style(id: "plain")) -> DatasetFolder {
        DatasetFolder(bytes: files(style))
    }

    /// A small dataset touching every file and column, with quoted commas,
    /// quotes and line breaks, every date form, blank optional values and
    /// two identical power rows and adjustment rows (allowed: not keyed).
    static let rich = CSVDataset(tables: [
        .units: Table(columns: ["unit_id", "name", "parent_id", "kind"], rows: [
            ["U1", "市局", "", "行政机关"],
            ["U2", "办公室, 本级", "U1", "内设科室"],
            ["U3", "城东分局", "U1", "派出机构"],
            ["U31", "执法\n一队", "U3", ""],
        ]),
        .posts: Table(
            columns: ["post_id", "unit_id", "name", "category", "holder", "tenure_years", "self_level", "controls", "key_decisions"],
            rows: [
                ["P1", "U1", "局长", "领导", "张三", "6.5", "一级", "2", "是"],
                ["P2", "U2", "主任", "综合", "", "", "", "", ""],
                ["P3", "U3", "审批员", "行政审批", "王五", "3", "二级", "0", "否"],
                ["P4", "U31", "执法员 \"甲\"", "执法", "赵六", "12", "三级", "1", "N"],
            ]),
        .powers: Table(columns: ["post_id", "power", "kind", "annual_count", "amount", "discretion"], rows: [
            ["P1", "重大事项决策", "行政审批", "12", "5000", "3"],
            ["P1", "人事任免", "人事管理", "20", "", "2"],
            ["P3", "许可审批", "行政许可", "1500", "120.5", "2"],
            ["P4", "现场处罚", "行政处罚", "300", "80", "4"],
            ["P4", "现场处罚", "行政处罚", "300", "80", "4"],
        ]),
        .incidents: Table(columns: ["incident_id", "post_id", "date", "kind", "status"], rows: [
            ["X1", "P1", "2023-05-01", "信访举报", "待核实"],
            ["X2", "P3", "2024/2/29", "诫勉谈话", "属实"],
            ["X3", "P4", "2025年1月5日", "通报批评", "部分属实"],
            ["X4", "P4", "2025.01.05", "投诉", "不属实"],
            ["X5", "P3", "2021-12-31", "党纪政纪处分", "verified"],
        ]),
        .assessments: Table(columns: ["year", "subject_type", "subject_id", "indicator", "score"], rows: [
            ["2025", "单位", "U1", "领导重视", "22.5"],
            ["2025", "单位", "U1", "目标具体", "20"],
            ["2025", "岗位", "P3", "注重成效", "28.25"],
            ["2024", "unit", "U2", "材料详实", "18"],
        ]),
        .adjustments: Table(columns: ["year", "subject_type", "subject_id", "type", "points", "reason"], rows: [
            ["2025", "单位", "U1", "加分", "2", "表彰"],
            ["2025", "单位", "U1", "加分", "2", "表彰"],
            ["2025", "岗位", "P4", "扣分", "1.5", "通报\n批评"],
            ["2025", "岗位", "P3", "一票否决", "", "违纪"],
        ]),
        .riskPoints: Table(columns: ["point_id", "post_id", "type", "description", "measures"], rows: [
            ["R1", "P1", "思想道德", "以权谋私, 收受礼金", "定期谈话"],
            ["R2", "P3", "业务流程", "先办后批", ""],
            ["R3", "P4", "外部环境", "说情打招呼", "登记报告\n制度"],
        ]),
    ])
}
