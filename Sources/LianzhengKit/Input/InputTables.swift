/// A column of an input file: canonical English name, Chinese alias, and
/// whether it must be present (and non-empty in every row).
public struct ColumnSpec: Sendable {
    public let name: String
    public let alias: String
    public let required: Bool
}

/// The CSV files of a dataset folder (SPEC §2).
public enum InputTable: String, Sendable, CaseIterable {
    case units, posts, powers, incidents, assessments, adjustments, riskPoints

    public var fileName: String { self == .riskPoints ? "risk_points.csv" : "\(rawValue).csv" }

    /// The file's path in `directory`, as problems and warnings name it.
    public func path(in directory: String) -> String {
        Self.folderPrefix(directory) + fileName
    }

    /// What the paths of a folder's files start with: `directory` and one `/`.
    public static func folderPrefix(_ directory: String) -> String {
        directory.hasSuffix("/") ? directory : directory + "/"
    }

    /// Whether the dataset is invalid without the file (exit 66).
    public var isRequired: Bool {
        switch self {
        case .units, .posts, .powers, .incidents: true
        case .assessments, .adjustments, .riskPoints: false
        }
    }

    /// Indices of the required columns.
    public var requiredColumns: [Int] { Self.required[self]! }

    private static let required: [InputTable: [Int]] = Dictionary(
        uniqueKeysWithValues: allCases.map { t in (t, t.buildColumns().indices.filter { t.buildColumns()[$0].required }) })

    /// The columns, built once per table (they are consulted for every row).
    public var columns: [ColumnSpec] { Self.specs[self]! }

    private static let specs: [InputTable: [ColumnSpec]] = Dictionary(
        uniqueKeysWithValues: allCases.map { ($0, $0.buildColumns()) })

    private func buildColumns() -> [ColumnSpec] {
        func c(_ n: String, _ a: String, _ r: Bool) -> ColumnSpec { ColumnSpec(name: n, alias: a, required: r) }
        switch self {
        case .units:
            return [c("unit_id", "单位编号", true), c("name", "单位名称", true), c("parent_id", "上级单位编号", false), c("kind", "单位类型", false)]
        case .posts:
            return [
                c("post_id", "岗位编号", true), c("unit_id", "单位编号", true), c("name", "岗位名称", true),
                c("category", "岗位类别", false), c("holder", "在岗人员", false), c("tenure_years", "任职年限", false),
                c("self_level", "自评等级", false), c("controls", "防控措施数", false), c("key_decisions", "涉及三重一大", false),
            ]
        case .powers:
            return [
                c("post_id", "岗位编号", true), c("power", "职权名称", true), c("kind", "职权类别", true),
                c("annual_count", "年行使次数", false), c("amount", "涉及金额", false), c("discretion", "裁量幅度", false),
            ]
        case .incidents:
            return [c("incident_id", "编号", true), c("post_id", "岗位编号", true), c("date", "日期", true), c("kind", "类别", true), c("status", "核实情况", false)]
        case .assessments:
            return [c("year", "年度", true), c("subject_type", "对象类型", true), c("subject_id", "对象编号", true), c("indicator", "指标", true), c("score", "得分", true)]
        case .adjustments:
            return [
                c("year", "年度", true), c("subject_type", "对象类型", true), c("subject_id", "对象编号", true),
                c("type", "类型", true), c("points", "分值", false), c("reason", "事由", true),
            ]
        case .riskPoints:
            return [c("point_id", "风险点编号", true), c("post_id", "岗位编号", true), c("type", "风险类型", true), c("description", "风险表现", true), c("measures", "防控措施", false)]
        }
    }
}
