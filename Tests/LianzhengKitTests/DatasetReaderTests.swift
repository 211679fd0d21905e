import Foundation
import Testing
@testable import LianzhengKit

/// A reported position: file name (the test adds the folder), line, column.
struct At: Equatable, CustomStringConvertible, Sendable {
    var file: String
    var line: Int
    var column: Int
    init(_ file: String, _ line: Int, _ column: Int) {
        self.file = file
        self.line = line
        self.column = column
    }
    var description: String { "\(file):\(line):\(column)" }
}

/// Reads `folder` and returns the problems it must fail with, checking on
/// the way that the failure is `.invalidData` (exit 65) and that every issue
/// names a file of `folder` by its full path.
func invalidData(
    _ folder: DatasetFolder, scheme: Scheme? = nil, encoding: InputEncoding = .auto, pieceBytes: Int? = nil,
    sourceLocation: SourceLocation = #_sourceLocation
) throws -> (at: [At], issues: [InputIssue], total: Int) {
    guard let error = try folder.readError(scheme: scheme, encoding: encoding, pieceBytes: pieceBytes) else {
        Issue.record("read succeeded; expected invalid data", sourceLocation: sourceLocation)
        return ([], [], 0)
    }
    guard case .invalidData(let issues, let total) = error else {
        Issue.record("expected invalidData, got \(error)", sourceLocation: sourceLocation)
        return ([], [], 0)
    }
    #expect(error.exitCode == 65, sourceLocation: sourceLocation)
    let prefix = folder.path + "/"
    for issue in issues {
        #expect(issue.file.hasPrefix(prefix), "\(issue.file) is not a path in the folder", sourceLocation: sourceLocation)
    }
    let at = issues.map { At(String($0.file.dropFirst(prefix.count)), $0.line, $0.column) }
    return (at, issues, total)
}

/// Reading a dataset folder: encodings, headers, value rules at file level,
/// every kind of bad input with its exact FILE:LINE:COLUMN (SPEC §2).
///
/// Unless a case says otherwise the folder is `DatasetFolder.valid`
/// (units U1, U2; posts P1 in U1, P2 in U2; one power of P1; incident X1 of
/// P1) with one file replaced, so the expected problems are the only ones.
@Suite struct DatasetReaderTests {
    // MARK: bad input, one table of cases

    struct Bad: CustomTestStringConvertible, Sendable {
        var id: String
        var changes: [String: String?]
        var at: [At]
        /// A fragment of the first message, to be sure it is the intended problem.
        var message: String
        var testDescription: String { id }
    }

    static let assessmentsHeader = "year,subject_type,subject_id,indicator,score\n"
    static let adjustmentsHeader = "year,subject_type,subject_id,type,points,reason\n"
    static let riskPointsHeader = "point_id,post_id,type,description,measures\n"
    static let powersHeader = "post_id,power,kind,annual_count,amount,discretion\n"
    static let incidentsHeader = "incident_id,post_id,date,kind,status\n"

    static let headerCases: [Bad] = [
        // posts.csv lacks unit_id: reported on the header line, column 1. The
        // rows of posts.csv cannot be read, so powers and incidents naming P1
        // are not reported as dangling (P1 may well exist).
        Bad(id: "missing required column", changes: ["posts.csv": "post_id,name\nP1,局长\nP2,主任\n"],
            at: [At("posts.csv", 1, 1)], message: "缺少必需列 unit_id"),
        Bad(id: "column named twice", changes: ["units.csv": "unit_id,name,name\nU1,a,b\nU2,c,d\n"],
            at: [At("units.csv", 1, 3)], message: "列名重复"),
        // 单位名称 is the alias of name: the same column twice, at field 3.
        Bad(id: "English name and Chinese alias of one column",
            changes: ["units.csv": "unit_id,单位名称,name\nU1,a,b\nU2,c,d\n"],
            at: [At("units.csv", 1, 3)], message: "列名重复"),
        Bad(id: "Chinese alias first, English name later",
            changes: ["posts.csv": "岗位编号,unit_id,name,post_id\nP1,U1,a,P1\nP2,U2,b,P2\n"],
            at: [At("posts.csv", 1, 4)], message: "列名重复"),
        Bad(id: "header names are case-sensitive", changes: ["units.csv": "Unit_ID,name\nU1,a\nU2,b\n"],
            at: [At("units.csv", 1, 1)], message: "缺少必需列 unit_id"),
        Bad(id: "empty file", changes: ["units.csv": ""], at: [At("units.csv", 1, 1)], message: "文件为空"),
        Bad(id: "BOM-only file", changes: ["units.csv": "\u{FEFF}"], at: [At("units.csv", 1, 1)], message: "文件为空"),
        Bad(id: "only blank lines", changes: ["units.csv": "\n  \n\t\r\n"], at: [At("units.csv", 1, 1)], message: "文件为空"),
        Bad(id: "empty optional file", changes: ["assessments.csv": ""], at: [At("assessments.csv", 1, 1)], message: "文件为空"),
        // The header's field 2 has text after its closing quote: that alone is
        // reported (the next line is not taken for the header).
        Bad(id: "quoting error in the header", changes: ["units.csv": "unit_id,\"name\"x\nU1,a\nU2,b\n"],
            at: [At("units.csv", 1, 2)], message: "闭合引号后有多余字符"),
    ]

    static let unitCases: [Bad] = [
        Bad(id: "duplicate unit_id", changes: ["units.csv": "unit_id,name\nU1,a\nU2,b\nU1,c\n"],
            at: [At("units.csv", 4, 1)], message: "单位编号重复"),
        Bad(id: "dangling parent_id", changes: ["units.csv": "unit_id,name,parent_id\nU1,a,\nU2,b,U9\n"],
            at: [At("units.csv", 3, 3)], message: "上级单位编号不存在"),
        // U1 → U2 → U1: both on the cycle, each reported at its parent_id field.
        Bad(id: "parent cycle of two", changes: ["units.csv": "unit_id,name,parent_id\nU1,a,U2\nU2,b,U1\n"],
            at: [At("units.csv", 2, 3), At("units.csv", 3, 3)], message: "上级单位形成循环"),
        Bad(id: "self-parent", changes: ["units.csv": "unit_id,name,parent_id\nU1,a,\nU2,b,U2\n"],
            at: [At("units.csv", 3, 3)], message: "上级单位形成循环"),
        // U1 → U3 → U1 is the cycle; U2 → U1 and U4 → U2 only lead into it.
        Bad(id: "cycle with units leading into it",
            changes: ["units.csv": "unit_id,name,parent_id\nU1,a,U3\nU2,b,U1\nU3,c,U1\nU4,d,U2\n"],
            at: [At("units.csv", 2, 3), At("units.csv", 4, 3)], message: "上级单位形成循环"),
        // Unquoted "  " trims to empty: the required name is missing (field 2).
        // P1 refers to U1, a rejected row: not reported again.
        Bad(id: "required name blank", changes: ["units.csv": "unit_id,name\nU1,  \nU2,b\n"],
            at: [At("units.csv", 2, 2)], message: "必填字段 name"),
        Bad(id: "required id empty quoted", changes: ["units.csv": "unit_id,name\nU1,a\nU2,b\n\"\",c\n"],
            at: [At("units.csv", 4, 1)], message: "必填字段 unit_id"),
        // A unit id repeated after a rejected row with the same id is still a duplicate.
        Bad(id: "duplicate of a rejected unit", changes: ["units.csv": "unit_id,name\nU1,\nU2,b\nU1,c\n"],
            at: [At("units.csv", 2, 2), At("units.csv", 4, 1)], message: "必填字段 name"),
    ]

    static let postCases: [Bad] = [
        Bad(id: "duplicate post_id", changes: ["posts.csv": "post_id,unit_id,name\nP1,U1,a\nP2,U2,b\nP1,U2,c\n"],
            at: [At("posts.csv", 4, 1)], message: "岗位编号重复"),
        Bad(id: "dangling unit", changes: ["posts.csv": "post_id,unit_id,name\nP1,U1,a\nP2,U9,b\n"],
            at: [At("posts.csv", 3, 2)], message: "单位编号不存在"),
        // Quoted fields are never trimmed: " U1" is not U1.
        Bad(id: "quoted id keeps its spaces", changes: ["posts.csv": "post_id,unit_id,name\nP1,\" U1\",a\nP2,U2,b\n"],
            at: [At("posts.csv", 2, 2)], message: "单位编号不存在"),
        Bad(id: "negative tenure", changes: ["posts.csv": "post_id,unit_id,name,tenure_years\nP1,U1,a,-1\nP2,U2,b,\n"],
            at: [At("posts.csv", 2, 4)], message: "任职年限"),
        Bad(id: "tenure in exponent form", changes: ["posts.csv": "post_id,unit_id,name,tenure_years\nP1,U1,a,1e1\nP2,U2,b,\n"],
            at: [At("posts.csv", 2, 4)], message: "任职年限"),
        Bad(id: "self_level not a level", changes: ["posts.csv": "post_id,unit_id,name,self_level\nP1,U1,a,四级\nP2,U2,b,\n"],
            at: [At("posts.csv", 2, 4)], message: "自评等级"),
        // Level aliases match exactly: "ii" is not the alias "II".
        Bad(id: "self_level alias in the wrong case", changes: ["posts.csv": "post_id,unit_id,name,self_level\nP1,U1,a,ii\nP2,U2,b,\n"],
            at: [At("posts.csv", 2, 4)], message: "自评等级"),
        Bad(id: "controls with a decimal point", changes: ["posts.csv": "post_id,unit_id,name,controls\nP1,U1,a,3.0\nP2,U2,b,\n"],
            at: [At("posts.csv", 2, 4)], message: "防控措施数"),
        Bad(id: "negative controls", changes: ["posts.csv": "post_id,unit_id,name,controls\nP1,U1,a,-1\nP2,U2,b,\n"],
            at: [At("posts.csv", 2, 4)], message: "防控措施数"),
        Bad(id: "key_decisions not a boolean", changes: ["posts.csv": "post_id,unit_id,name,key_decisions\nP1,U1,a,maybe\nP2,U2,b,\n"],
            at: [At("posts.csv", 2, 4)], message: "涉及三重一大"),
        // Too few fields: name (field 3) is absent, so it is empty.
        Bad(id: "short row", changes: ["posts.csv": "post_id,unit_id,name\nP1,U1\nP2,U2,b\n"],
            at: [At("posts.csv", 2, 3)], message: "必填字段 name"),
    ]

    static let powerCases: [Bad] = [
        Bad(id: "power of an unknown post", changes: ["powers.csv": powersHeader + "P9,x,行政许可,1,1,1\n"],
            at: [At("powers.csv", 2, 1)], message: "岗位编号不存在"),
        Bad(id: "unknown power kind", changes: ["powers.csv": powersHeader + "P1,x,行政裁决,1,1,1\n"],
            at: [At("powers.csv", 2, 3)], message: "职权类别不在评分方案中"),
        Bad(id: "annual_count 3.0", changes: ["powers.csv": powersHeader + "P1,x,行政许可,3.0,1,1\n"],
            at: [At("powers.csv", 2, 4)], message: "年行使次数"),
        Bad(id: "negative annual_count", changes: ["powers.csv": powersHeader + "P1,x,行政许可,-1,1,1\n"],
            at: [At("powers.csv", 2, 4)], message: "年行使次数"),
        Bad(id: "negative amount", changes: ["powers.csv": powersHeader + "P1,x,行政许可,1,-5,1\n"],
            at: [At("powers.csv", 2, 5)], message: "涉及金额"),
        Bad(id: "amount 1e3", changes: ["powers.csv": powersHeader + "P1,x,行政许可,1,1e3,1\n"],
            at: [At("powers.csv", 2, 5)], message: "涉及金额"),
        Bad(id: "amount with thousands separator", changes: ["powers.csv": powersHeader + "P1,x,行政许可,1,\"1,000\",1\n"],
            at: [At("powers.csv", 2, 5)], message: "涉及金额"),
        Bad(id: "amount .5", changes: ["powers.csv": powersHeader + "P1,x,行政许可,1,.5,1\n"],
            at: [At("powers.csv", 2, 5)], message: "涉及金额"),
        Bad(id: "amount +1", changes: ["powers.csv": powersHeader + "P1,x,行政许可,1,+1,1\n"],
            at: [At("powers.csv", 2, 5)], message: "涉及金额"),
        Bad(id: "amount 1.", changes: ["powers.csv": powersHeader + "P1,x,行政许可,1,1.,1\n"],
            at: [At("powers.csv", 2, 5)], message: "涉及金额"),
        Bad(id: "discretion 5", changes: ["powers.csv": powersHeader + "P1,x,行政许可,1,1,5\n"],
            at: [At("powers.csv", 2, 6)], message: "裁量幅度"),
        Bad(id: "discretion -1", changes: ["powers.csv": powersHeader + "P1,x,行政许可,1,1,-1\n"],
            at: [At("powers.csv", 2, 6)], message: "裁量幅度"),
        Bad(id: "discretion 2.0", changes: ["powers.csv": powersHeader + "P1,x,行政许可,1,1,2.0\n"],
            at: [At("powers.csv", 2, 6)], message: "裁量幅度"),
        Bad(id: "required kind empty", changes: ["powers.csv": powersHeader + "P1,x,,1,1,1\n"],
            at: [At("powers.csv", 2, 3)], message: "必填字段 kind"),
    ]

    static let incidentCases: [Bad] = [
        Bad(id: "duplicate incident_id",
            changes: ["incidents.csv": incidentsHeader + "X1,P1,2025-03-01,信访举报,\nX1,P2,2025-03-02,投诉,\n"],
            at: [At("incidents.csv", 3, 1)], message: "问题线索编号重复"),
        Bad(id: "incident of an unknown post", changes: ["incidents.csv": incidentsHeader + "X1,P9,2025-03-01,信访举报,\n"],
            at: [At("incidents.csv", 2, 2)], message: "岗位编号不存在"),
        Bad(id: "29 Feb of a common year", changes: ["incidents.csv": incidentsHeader + "X1,P1,2025-02-29,信访举报,\n"],
            at: [At("incidents.csv", 2, 3)], message: "日期无效"),
        Bad(id: "30 Feb of a leap year", changes: ["incidents.csv": incidentsHeader + "X1,P1,2024-02-30,信访举报,\n"],
            at: [At("incidents.csv", 2, 3)], message: "日期无效"),
        Bad(id: "month 13", changes: ["incidents.csv": incidentsHeader + "X1,P1,2025-13-01,信访举报,\n"],
            at: [At("incidents.csv", 2, 3)], message: "日期无效"),
        Bad(id: "day 32", changes: ["incidents.csv": incidentsHeader + "X1,P1,2025-1-32,信访举报,\n"],
            at: [At("incidents.csv", 2, 3)], message: "日期无效"),
        Bad(id: "unknown incident kind", changes: ["incidents.csv": incidentsHeader + "X1,P1,2025-03-01,举报,\n"],
            at: [At("incidents.csv", 2, 4)], message: "问题类别不在评分方案中"),
        Bad(id: "unknown status", changes: ["incidents.csv": incidentsHeader + "X1,P1,2025-03-01,信访举报,已核实\n"],
            at: [At("incidents.csv", 2, 5)], message: "核实情况无效"),
        Bad(id: "required date empty", changes: ["incidents.csv": incidentsHeader + "X1,P1,,信访举报,\n"],
            at: [At("incidents.csv", 2, 3)], message: "必填字段 date"),
    ]

    static let assessmentCases: [Bad] = [
        Bad(id: "year 2025.0", changes: ["assessments.csv": assessmentsHeader + "2025.0,单位,U1,领导重视,20\n"],
            at: [At("assessments.csv", 2, 1)], message: "年度须为整数"),
        Bad(id: "unknown subject_type", changes: ["assessments.csv": assessmentsHeader + "2025,部门,U1,领导重视,20\n"],
            at: [At("assessments.csv", 2, 2)], message: "对象类型"),
        Bad(id: "unknown unit subject", changes: ["assessments.csv": assessmentsHeader + "2025,单位,U9,领导重视,20\n"],
            at: [At("assessments.csv", 2, 3)], message: "单位编号不存在"),
        // P1 is a post, not a unit: subject ids are looked up in their type's table.
        Bad(id: "post id given as a unit", changes: ["assessments.csv": assessmentsHeader + "2025,unit,P1,领导重视,20\n"],
            at: [At("assessments.csv", 2, 3)], message: "单位编号不存在"),
        Bad(id: "unknown post subject", changes: ["assessments.csv": assessmentsHeader + "2025,岗位,P9,领导重视,20\n"],
            at: [At("assessments.csv", 2, 3)], message: "岗位编号不存在"),
        Bad(id: "unknown indicator", changes: ["assessments.csv": assessmentsHeader + "2025,单位,U1,廉洁自律,20\n"],
            at: [At("assessments.csv", 2, 4)], message: "指标不在评分方案中"),
        // 领导重视 has max 25: 25.01 is one hundredth above.
        Bad(id: "score above the indicator max", changes: ["assessments.csv": assessmentsHeader + "2025,单位,U1,领导重视,25.01\n"],
            at: [At("assessments.csv", 2, 5)], message: "得分超过指标满分 25.00"),
        Bad(id: "score with 3 decimal places", changes: ["assessments.csv": assessmentsHeader + "2025,单位,U1,注重成效,20.500\n"],
            at: [At("assessments.csv", 2, 5)], message: "最多两位小数"),
        Bad(id: "negative score", changes: ["assessments.csv": assessmentsHeader + "2025,单位,U1,领导重视,-1\n"],
            at: [At("assessments.csv", 2, 5)], message: "不小于 0"),
        // 单位 and unit name the same subject type: the second row repeats
        // (2025, U1, 领导重视); reported at its indicator (field 4).
        Bad(id: "duplicate (year, subject, indicator)",
            changes: ["assessments.csv": assessmentsHeader + "2025,单位,U1,领导重视,20\n2025,unit,U1,领导重视,21\n"],
            at: [At("assessments.csv", 3, 4)], message: "重复"),
        Bad(id: "required score empty", changes: ["assessments.csv": assessmentsHeader + "2025,单位,U1,领导重视,\n"],
            at: [At("assessments.csv", 2, 5)], message: "必填字段 score"),
    ]

    static let adjustmentCases: [Bad] = [
        Bad(id: "unknown adjustment type", changes: ["adjustments.csv": adjustmentsHeader + "2025,单位,U1,奖励,1,表彰\n"],
            at: [At("adjustments.csv", 2, 4)], message: "类型须为"),
        Bad(id: "bonus without points", changes: ["adjustments.csv": adjustmentsHeader + "2025,单位,U1,加分,,表彰\n"],
            at: [At("adjustments.csv", 2, 5)], message: "须填写分值"),
        Bad(id: "points with 3 decimal places", changes: ["adjustments.csv": adjustmentsHeader + "2025,单位,U1,扣分,1.234,通报\n"],
            at: [At("adjustments.csv", 2, 5)], message: "最多两位小数"),
        Bad(id: "negative points", changes: ["adjustments.csv": adjustmentsHeader + "2025,单位,U1,扣分,-1,通报\n"],
            at: [At("adjustments.csv", 2, 5)], message: "不小于 0"),
        Bad(id: "required reason empty", changes: ["adjustments.csv": adjustmentsHeader + "2025,单位,U1,veto,,\n"],
            at: [At("adjustments.csv", 2, 6)], message: "必填字段 reason"),
        Bad(id: "adjustment of an unknown post", changes: ["adjustments.csv": adjustmentsHeader + "2025,post,P9,bonus,1,表彰\n"],
            at: [At("adjustments.csv", 2, 3)], message: "岗位编号不存在"),
    ]

    static let riskPointCases: [Bad] = [
        Bad(id: "duplicate point_id", changes: ["risk_points.csv": riskPointsHeader + "R1,P1,岗位职责,a,\nR1,P2,业务流程,b,\n"],
            at: [At("risk_points.csv", 3, 1)], message: "风险点编号重复"),
        Bad(id: "risk point of an unknown post", changes: ["risk_points.csv": riskPointsHeader + "R1,P9,岗位职责,a,\n"],
            at: [At("risk_points.csv", 2, 2)], message: "岗位编号不存在"),
        Bad(id: "unknown risk point type", changes: ["risk_points.csv": riskPointsHeader + "R1,P1,廉洁,a,\n"],
            at: [At("risk_points.csv", 2, 3)], message: "风险类型无效"),
        Bad(id: "required description empty", changes: ["risk_points.csv": riskPointsHeader + "R1,P1,duty,,措施\n"],
            at: [At("risk_points.csv", 2, 4)], message: "必填字段 description"),
    ]

    static let positionCases: [Bad] = [
        // The quoted name spans lines 2–3; tenure_years (field 5) starts on line 3.
        Bad(id: "bad field starts on a later physical line",
            changes: ["posts.csv": "post_id,unit_id,name,category,tenure_years\nP1,U1,\"局长\n（兼）\",领导,abc\nP2,U2,主任,综合,\n"],
            at: [At("posts.csv", 3, 5)], message: "任职年限"),
        // The bad date is itself a quoted field with a line break, starting on
        // line 2; the next record starts on line 4 and its date is bad too.
        Bad(id: "multi-line bad field and the record after it",
            changes: ["incidents.csv": "incident_id,post_id,date,kind\nX1,P1,\"2025-03-01\n\",信访举报\nX2,P1,2025-13-01,投诉\n"],
            at: [At("incidents.csv", 2, 3), At("incidents.csv", 4, 3)], message: "日期无效"),
        // Blank lines count as physical lines.
        Bad(id: "blank lines before a bad row",
            changes: ["incidents.csv": incidentsHeader + "\n\n  \nX1,P1,2025-02-29,信访举报,\n"],
            at: [At("incidents.csv", 5, 3)], message: "日期无效"),
        // CRLF files count lines the same way.
        Bad(id: "CRLF file",
            changes: ["incidents.csv": "incident_id,post_id,date,kind\r\nX1,P1,\"2025-03-01\r\n\",信访举报\r\nX2,P1,2025-13-01,投诉\r\n"],
            at: [At("incidents.csv", 2, 3), At("incidents.csv", 4, 3)], message: "日期无效"),
        // Column order is free: the field number is the file's, not the canonical order's.
        Bad(id: "column numbers follow the file's order",
            changes: ["incidents.csv": "kind,status,date,post_id,incident_id\n信访举报,,2025-02-29,P1,X1\n"],
            at: [At("incidents.csv", 2, 3)], message: "日期无效"),
        Bad(id: "text after a closing quote in a data row",
            changes: ["units.csv": "unit_id,name\nU1,\"市局\"本级\nU2,b\n"],
            at: [At("units.csv", 2, 2)], message: "闭合引号后有多余字符"),
        Bad(id: "unterminated quote", changes: ["posts.csv": "post_id,unit_id,name\nP1,U1,\"局长\nP2,U2,主任\n"],
            at: [At("posts.csv", 2, 3)], message: "引号未闭合"),
    ]

    @Test(arguments: headerCases + unitCases + postCases)
    func badUnitsPostsAndHeaders(_ c: Bad) throws {
        try checkBad(c)
    }

    @Test(arguments: powerCases + incidentCases)
    func badPowersAndIncidents(_ c: Bad) throws {
        try checkBad(c)
    }

    @Test(arguments: assessmentCases + adjustmentCases + riskPointCases)
    func badAssessmentsAdjustmentsAndRiskPoints(_ c: Bad) throws {
        try checkBad(c)
    }

    @Test(arguments: positionCases)
    func badFieldPositions(_ c: Bad) throws {
        try checkBad(c)
    }

    /// Every case again with files split at every line (large files are
    /// read in pieces on several cores): the same problems at the same places.
    @Test(arguments: headerCases + unitCases + postCases + powerCases + incidentCases
        + assessmentCases + adjustmentCases + riskPointCases + positionCases)
    func badInputReadInPieces(_ c: Bad) throws {
        try checkBad(c, pieceBytes: 1)
    }

    private func checkBad(_ c: Bad, pieceBytes: Int? = nil, sourceLocation: SourceLocation = #_sourceLocation) throws {
        let folder = DatasetFolder.valid(with: c.changes)
        defer { folder.remove() }
        let found = try invalidData(folder, pieceBytes: pieceBytes, sourceLocation: sourceLocation)
        #expect(found.at == c.at, sourceLocation: sourceLocation)
        #expect(found.total == c.at.count, sourceLocation: sourceLocation)
        #expect(found.issues.first?.message.contains(c.message) == true,
                "\(found.issues.first?.message ?? "no issue")", sourceLocation: sourceLocation)
    }

    // MARK: collecting and capping

    /// Three bad rows of one file: three issues, in file order.
    @Test func everyBadRowIsReported() throws {
        let folder = DatasetFolder.valid(with: [
            "powers.csv": Self.powersHeader + "P1,a,行政裁决,1,1,1\nP1,b,行政许可,1.5,1,1\nP1,c,行政许可,1,1,1\nP9,d,行政许可,1,1,1\n",
        ])
        defer { folder.remove() }
        let found = try invalidData(folder)
        // line 2 kind (field 3), line 3 annual_count (field 4), line 4 is fine, line 5 post (field 1).
        #expect(found.at == [At("powers.csv", 2, 3), At("powers.csv", 3, 4), At("powers.csv", 5, 1)])
        #expect(found.total == 3)
    }

    /// Problems in several files are all collected, file by file.
    @Test func problemsInSeveralFiles() throws {
        let folder = DatasetFolder.valid(with: [
            "units.csv": "unit_id,name\nU1,a\nU2,b\nU2,c\n",
            "posts.csv": "post_id,unit_id,name,controls\nP1,U1,a,x\nP2,U2,b,1\n",
            "incidents.csv": Self.incidentsHeader + "X1,P2,2025-02-29,投诉,\n",
            "adjustments.csv": Self.adjustmentsHeader + "2025,单位,U1,加分,0.001,表彰\n",
        ])
        defer { folder.remove() }
        let found = try invalidData(folder)
        #expect(found.at == [At("units.csv", 4, 1), At("posts.csv", 2, 4), At("incidents.csv", 2, 3), At("adjustments.csv", 2, 5)])
    }

    /// 250 bad dates: 200 listed, 250 counted, and the message says so.
    @Test func issueCap() throws {
        var incidents = Self.incidentsHeader
        for k in 1...250 { incidents += "X\(k),P1,2025-02-29,信访举报,\n" }
        let folder = DatasetFolder.valid(with: ["incidents.csv": incidents])
        defer { folder.remove() }
        let found = try invalidData(folder)
        #expect(found.issues.count == 200)
        #expect(found.total == 250)
        // Rows 1…200 are lines 2…201, the date in field 3.
        #expect(found.at == (2...201).map { At("incidents.csv", $0, 3) })
        let text = LianzhengError.invalidData(found.issues, total: found.total).description
        #expect(text.contains("……另有 50 个问题未列出"))
        #expect(text.hasSuffix("共 250 个数据错误，未写入任何内容。"))
        #expect(text.hasPrefix("\(folder.file("incidents.csv")):2:3: 错误: 日期无效"))
    }

    /// The cap spans files read at the same time: 150 bad powers and 150 bad
    /// incidents list the 150 powers (lines 2…151, kind in field 3), then the
    /// first 50 incidents (lines 2…51, date in field 3), and count 300, as
    /// reading the files one after the other would.
    @Test func issueCapAcrossFilesReadTogether() throws {
        var powers = Self.powersHeader
        for k in 1...150 { powers += "P1,p\(k),行政裁决,1,1,1\n" }
        var incidents = Self.incidentsHeader
        for k in 1...150 { incidents += "X\(k),P1,2025-02-29,信访举报,\n" }
        let folder = DatasetFolder.valid(with: ["powers.csv": powers, "incidents.csv": incidents])
        defer { folder.remove() }
        let found = try invalidData(folder)
        #expect(found.total == 300)
        #expect(found.at == (2...151).map { At("powers.csv", $0, 3) } + (2...51).map { At("incidents.csv", $0, 3) })
    }

    /// A bad value holding a line break (a quoted field may) is quoted in
    /// the message with escapes, so stderr keeps one problem per line.
    @Test func messagesStayOnOneLine() throws {
        let folder = DatasetFolder.valid(with: [
            "incidents.csv": Self.incidentsHeader + "X1,P1,2025-03-01,信访举报,\"待\r\n核实\"\n",
            "posts.csv": "post_id,unit_id,name,\"备\n注\"\nP1,U1,局长,x\nP2,U2,主任,y\n",
        ])
        defer { folder.remove() }
        let reader = DatasetReader(directory: folder.path, scheme: try scheme())
        #expect(throws: LianzhengError.self) { try reader.read() }
        #expect(reader.warnings == ["\(folder.file("posts.csv")):1:4: 警告: 未知列 备\\n注 已忽略 (unknown column ignored)"])
        let found = try invalidData(folder)
        // The CRLF inside the quotes reads as LF (SPEC §2), printed as \n.
        #expect(found.issues[0].message.contains("待\n核实"))
        let text = LianzhengError.invalidData(found.issues, total: found.total).description
        #expect(text.split(separator: "\n", omittingEmptySubsequences: false) == [
            "\(folder.file("incidents.csv")):2:5: 错误: 核实情况无效: 待\\n核实，应为 属实/部分属实/待核实/不属实 (invalid status)",
            "共 1 个数据错误，未写入任何内容。",
        ])
        #expect(found.issues[0].description == "\(folder.file("incidents.csv")):2:5: 核实情况无效: 待\\n核实，应为 属实/部分属实/待核实/不属实 (invalid status)")
    }

    @Test(arguments: [
        ("plain", "plain"), ("a\nb", "a\\nb"), ("a\r\nb", "a\\r\\nb"), ("tab\there", "tab\\there"),
        ("\u{7F}", "\\u{7F}"), ("\u{1B}[31m", "\\u{1B}[31m"), ("\u{2028}", "\\u{2028}"), ("中文，全角", "中文，全角"),
    ])
    func oneLineEscapes(_ text: String, _ escaped: String) {
        #expect(oneLine(text) == escaped)
    }

    /// Tens of thousands of distinct unknown kinds (free text under the kind
    /// header) are reported like any other problem, without trapping.
    @Test func manyDistinctUnknownKinds() throws {
        var powers = Self.powersHeader
        for k in 1...70_000 { powers += "P1,职权\(k),类别\(k),1,1,1\n" }
        let folder = DatasetFolder.valid(with: ["powers.csv": powers])
        defer { folder.remove() }
        let found = try invalidData(folder)
        #expect(found.total == 70_000)
        #expect(found.at.first == At("powers.csv", 2, 3))
    }

    // MARK: rows rejected for one reason are not reported again as dangling references

    /// P1 is rejected for its tenure; its power, incident, assessment,
    /// adjustment and risk point are not "unknown post" problems.
    @Test func rejectedPostIsNotUnknown() throws {
        let folder = DatasetFolder.valid(with: [
            "posts.csv": "post_id,unit_id,name,tenure_years\nP1,U1,a,x\nP2,U2,b,\n",
            "assessments.csv": Self.assessmentsHeader + "2025,岗位,P1,领导重视,20\n",
            "adjustments.csv": Self.adjustmentsHeader + "2025,岗位,P1,加分,1,表彰\n",
            "risk_points.csv": Self.riskPointsHeader + "R1,P1,岗位职责,a,\n",
        ])
        defer { folder.remove() }
        let found = try invalidData(folder)
        #expect(found.at == [At("posts.csv", 2, 4)])
    }

    /// A post in a rejected unit is not reported; a post in a truly unknown unit is.
    @Test func rejectedUnitIsNotUnknown() throws {
        let folder = DatasetFolder.valid(with: [
            "units.csv": "unit_id,name,parent_id\nU1,,\nU2,b,U1\n",
            "posts.csv": "post_id,unit_id,name\nP1,U1,a\nP2,U2,b\nP3,U3,c\n",
        ])
        defer { folder.remove() }
        let found = try invalidData(folder)
        #expect(found.at == [At("units.csv", 2, 2), At("posts.csv", 4, 2)])
    }

    /// When a file cannot be read through (here an unterminated quote on
    /// line 3 of posts.csv), references into it are not checked.
    @Test func unreadableTableSilencesReferences() throws {
        let folder = DatasetFolder.valid(with: [
            "posts.csv": "post_id,unit_id,name\nP0,U1,a\nP1,U1,\"b\nP2,U2,c\n",
            "incidents.csv": Self.incidentsHeader + "X1,P2,2025-03-01,投诉,\nX2,P0,2025-02-30,投诉,\n",
        ])
        defer { folder.remove() }
        let found = try invalidData(folder)
        // X1 names P2, which is lost in the unterminated field: not reported.
        // X2 names P0, read before it: its bad date is still found.
        #expect(found.at == [At("posts.csv", 3, 3), At("incidents.csv", 3, 3)])
    }

    /// Only blank lines in one file is reported even when an earlier file had problems.
    @Test func emptyFileAfterOtherProblems() throws {
        let folder = DatasetFolder.valid(with: [
            "units.csv": "unit_id,name\nU1,a\nU2,b\nU2,c\n",
            "incidents.csv": "\n\n",
        ])
        defer { folder.remove() }
        let found = try invalidData(folder)
        #expect(found.at == [At("units.csv", 4, 1), At("incidents.csv", 1, 1)])
    }

    // MARK: missing files

    @Test(arguments: ["units.csv", "posts.csv", "powers.csv", "incidents.csv"])
    func missingRequiredFile(_ name: String) throws {
        let folder = DatasetFolder.valid(with: [name: nil])
        defer { folder.remove() }
        let error = try folder.readError()
        guard case .missingInput(let message) = error else {
            Issue.record("expected missingInput, got \(String(describing: error))")
            return
        }
        #expect(error?.exitCode == 66)
        #expect(message.contains(folder.file(name)))
    }

    @Test func missingFolder() throws {
        let reader = DatasetReader(directory: temporaryDirectory() + "/absent", scheme: try scheme())
        #expect(throws: LianzhengError.self) { try reader.read() }
        do {
            _ = try reader.read()
        } catch {
            #expect(error.exitCode == 66)
        }
    }

    @Test func optionalFilesMayBeMissing() throws {
        let folder = DatasetFolder(DatasetFolder.valid)
        defer { folder.remove() }
        let (d, warnings) = try folder.read()
        #expect(warnings.isEmpty)
        #expect(d.units.count == 2 && d.posts.count == 2 && d.powers.count == 1 && d.incidents.count == 1)
        #expect(d.assessments.count == 0 && d.adjustments.count == 0 && d.riskPoints.count == 0)
    }

    // MARK: headers

    /// Chinese aliases, any order, mixed with English names, names trimmed:
    /// the same data as `valid`.
    @Test func headerAliasesInAnyOrder() throws {
        let plain = DatasetFolder(DatasetFolder.valid)
        let aliased = DatasetFolder([
            "units.csv": "单位名称,单位类型, 单位编号 ,\"上级单位编号\"\n市局,行政机关,U1,\n办公室,内设科室,U2,U1\n",
            "posts.csv": "岗位类别,岗位名称,unit_id,岗位编号\n领导,局长,U1,P1\n综合,主任,U2,P2\n",
            "powers.csv": "裁量幅度,涉及金额,年行使次数,职权类别,职权名称,岗位编号\n2,5,10,行政许可,许可签发,P1\n",
            "incidents.csv": "核实情况,类别,日期,岗位编号,编号\n待核实,信访举报,2025-03-01,P1,X1\n",
        ])
        defer {
            plain.remove()
            aliased.remove()
        }
        let a = try plain.read()
        let b = try aliased.read()
        #expect(b.warnings.isEmpty)
        #expect(a.dataset.fingerprint == b.dataset.fingerprint)
        #expect(b.dataset.units.parent == [-1, 0])
        #expect(b.dataset.powers.discretion == [2])
    }

    @Test func allChineseHeadersOfOptionalFiles() throws {
        let folder = DatasetFolder.valid(with: [
            "assessments.csv": "得分,指标,对象编号,对象类型,年度\n20,领导重视,U1,单位,2025\n",
            "adjustments.csv": "事由,分值,类型,对象编号,对象类型,年度\n表彰,1.5,加分,P1,岗位,2025\n",
            "risk_points.csv": "防控措施,风险表现,风险类型,岗位编号,风险点编号\n轮岗,先办后批,岗位职责,P1,R1\n",
        ])
        defer { folder.remove() }
        let d = try folder.read().dataset
        #expect(d.assessments.score == [2000])
        #expect(d.adjustments.points == [150])
        #expect(d.riskPoints.measures[0] == "轮岗")
    }

    /// Unknown columns are ignored with a warning naming where they are.
    @Test func unknownColumnsWarned() throws {
        let folder = DatasetFolder.valid(with: [
            "posts.csv": "post_id,unit_id,备注,name\nP1,U1,x,局长\nP2,U2,y,主任\n",
            "incidents.csv": "incident_id,post_id,date,kind,status,Status\nX1,P1,2025-03-01,信访举报,,z\n",
        ])
        defer { folder.remove() }
        let (d, warnings) = try folder.read()
        #expect(warnings == [
            "\(folder.file("posts.csv")):1:3: 警告: 未知列 备注 已忽略 (unknown column ignored)",
            "\(folder.file("incidents.csv")):1:6: 警告: 未知列 Status 已忽略 (unknown column ignored)",
        ])
        #expect(d.posts.name[0] == "局长")
    }

    @Test(arguments: [
        ("with final newline", "incident_id,post_id,date,kind\n"),
        ("without final newline", "incident_id,post_id,date,kind"),
        ("with CRLF and trailing blank lines", "incident_id,post_id,date,kind\r\n\r\n  \r\n"),
    ])
    func headerOnlyFileIsValid(_ id: String, _ text: String) throws {
        let folder = DatasetFolder.valid(with: ["incidents.csv": text])
        defer { folder.remove() }
        #expect(try folder.read().dataset.incidents.count == 0, "\(id)")
    }

    // MARK: values read at file level

    @Test func valuesAreConverted() throws {
        let folder = DatasetFolder.valid(with: [
            "posts.csv": """
                post_id,unit_id,name,category,holder,tenure_years,self_level,controls,key_decisions
                P1,U1,局长,领导,张三,6.5,高,0,Y
                P2,U2,主任, ,,,,,
                P3,U2,"  科员  ",综合,李四,0,Ⅲ,3,否

                """,
            "powers.csv": Self.powersHeader + "P1,许可签发,行政许可,,,\nP3,报销,财务管理,007,12.5,4\n",
            "incidents.csv": Self.incidentsHeader + """
                X1,P1,2025-01-05,信访举报,
                X2,P1,2025/1/5,投诉,VERIFIED
                X3,P1,2025.01.05,提醒谈话,Partial
                X4,P1,2025年1月5日,诫勉谈话,不属实

                """,
            "adjustments.csv": Self.adjustmentsHeader + "2025,岗位,P1,veto,abc,违纪\n2025,unit,U1,Bonus,2,表彰\n",
            "assessments.csv": Self.assessmentsHeader + "2025,单位,U1,领导重视,25\n2025,岗位,P1,领导重视,25.00\n2024,单位,U1,领导重视,0\n",
        ])
        defer { folder.remove() }
        let d = try folder.read().dataset
        // Posts in id order P1, P2, P3.
        #expect(d.posts.tenureYears[0] == 6.5 && d.posts.tenureYears[1].isNaN && d.posts.tenureYears[2] == 0)
        #expect(d.posts.selfLevel[0] == "高" && d.posts.selfLevel[1] == "" && d.posts.selfLevel[2] == "Ⅲ")
        #expect(d.posts.controls == [0, -1, 3])
        #expect(d.posts.keyDecisions == [true, false, false])
        // Unquoted blank category trims to empty (未分类); the quoted name keeps its spaces.
        #expect(d.posts.category[1] == "" && d.posts.name[2] == "  科员  ")
        // Blank annual_count, amount, discretion are 0.
        #expect(d.powers.annualCount == [0, 7] && d.powers.amount == [0, 12.5] && d.powers.discretion == [0, 4])
        // Four date forms, one day: 2025-01-05 = 20089 + 4 (see FieldParsingTests).
        #expect(d.incidents.date == [20093, 20093, 20093, 20093])
        // In (date, incident_id) order: X1 blank ⇒ pending, X2 verified, X3 partial, X4 unfounded.
        #expect(d.incidents.status == [IncidentStatus.pending, .verified, .partial, .unfounded].map(\.rawValue))
        // Veto points are ignored (0); canonical order puts unit before post.
        #expect(d.adjustments.type == [AdjustmentType.bonus, .veto].map(\.rawValue))
        #expect(d.adjustments.points == [200, 0])
        // A score equal to the max is allowed; the same indicator in another year or for another subject is no duplicate.
        #expect(d.assessments.score == [0, 2500, 2500])
    }

    /// Fields beyond the header's are ignored (SPEC is silent; Excel often
    /// leaves trailing empty cells).
    @Test func extraFieldsIgnored() throws {
        let folder = DatasetFolder.valid(with: ["posts.csv": "post_id,unit_id,name\nP1,U1,a,,\nP2,U2,b,x,y\n"])
        defer { folder.remove() }
        #expect(try folder.read().dataset.posts.count == 2)
    }

    // MARK: encodings

    @Test func utf8WithAndWithoutBOM() throws {
        let plain = DatasetFolder(DatasetFolder.valid)
        let bom = DatasetFolder(DatasetFolder.valid.mapValues { "\u{FEFF}" + $0 })
        defer {
            plain.remove()
            bom.remove()
        }
        let a = try plain.read()
        let b = try bom.read()
        #expect(b.warnings.isEmpty)  // the BOM is not part of the first header name
        #expect(a.dataset.fingerprint == b.dataset.fingerprint)
    }

    @Test(arguments: [InputEncoding.auto, .gb18030])
    func gb18030DetectedOrForced(_ encoding: InputEncoding) throws {
        let plain = DatasetFolder(DatasetFolder.valid)
        let gbk = DatasetFolder(bytes: DatasetFolder.valid.mapValues(gb18030))
        defer {
            plain.remove()
            gbk.remove()
        }
        let b = try gbk.read(encoding: encoding)
        #expect(b.dataset.fingerprint == (try plain.read()).dataset.fingerprint)
        #expect(b.dataset.units.name[0] == "市局")
    }

    /// A GB18030 file may start with the GB18030 form of U+FEFF (84 31 95 33).
    @Test func gb18030WithItsBOM() throws {
        let plain = DatasetFolder(DatasetFolder.valid)
        let gbk = DatasetFolder(bytes: DatasetFolder.valid.mapValues { [0x84, 0x31, 0x95, 0x33] + gb18030($0) })
        defer {
            plain.remove()
            gbk.remove()
        }
        #expect(try gbk.read().dataset.fingerprint == (try plain.read()).dataset.fingerprint)
    }

    /// `--encoding utf8` on GBK bytes: the first undecodable byte's line and
    /// byte column. Line 2 is `U1,市局,,行政机关`: "U1," is 3 bytes, so the
    /// first byte of 市 (GBK CA D0; CA D0 is no UTF-8 sequence) is column 4.
    @Test func utf8ForcedOnGBKBytes() throws {
        let folder = DatasetFolder(bytes: DatasetFolder.valid.mapValues(gb18030))
        defer { folder.remove() }
        let found = try invalidData(folder, encoding: .utf8)
        // Every file holds Chinese text; each is reported at its first non-ASCII byte:
        // posts.csv line 2 "P1,U1," → column 7; powers.csv "P1," → 4; incidents.csv "X1,P1,2025-03-01," → 18.
        #expect(found.at == [At("units.csv", 2, 4), At("posts.csv", 2, 7), At("powers.csv", 2, 4), At("incidents.csv", 2, 18)])
        #expect(found.issues[0].message.contains("UTF-8"))
    }

    struct BytesCase: CustomTestStringConvertible, Sendable {
        var id: String
        var units: [UInt8]
        var encoding: InputEncoding
        var at: At
        var decoder: String
        var testDescription: String { id }
    }

    static let header: [UInt8] = Array("unit_id,name\n".utf8)

    @Test(arguments: [
        // 0xFF is neither UTF-8 nor GB18030: after "U1," on line 2, column 4.
        BytesCase(id: "undecodable byte, auto", units: header + Array("U1,".utf8) + [0xFF] + Array("\nU2,b\n".utf8),
                  encoding: .auto, at: At("units.csv", 2, 4), decoder: "GB18030"),
        BytesCase(id: "undecodable byte, forced GB18030", units: header + Array("U1,".utf8) + [0xFF] + Array("\nU2,b\n".utf8),
                  encoding: .gb18030, at: At("units.csv", 2, 4), decoder: "GB18030"),
        // A GBK lead byte cut off at the end of the file (line 3 "U2,b" + D6).
        BytesCase(id: "truncated GBK character at end of file",
                  units: header + Array("U1,a\nU2,b".utf8) + [0xD6], encoding: .auto, at: At("units.csv", 3, 5), decoder: "GB18030"),
        // With a UTF-8 BOM the file is UTF-8: a bad byte is a UTF-8 error. The
        // byte column counts the bytes of the line as stored, so on line 1 the
        // BOM's 3 bytes count: BOM + "unit_id,na" = 13 bytes, 0xFF is byte 14.
        BytesCase(id: "UTF-8 BOM then an invalid byte on line 1",
                  units: [0xEF, 0xBB, 0xBF] + Array("unit_id,na".utf8) + [0xFF] + Array("me\nU1,a\nU2,b\n".utf8),
                  encoding: .auto, at: At("units.csv", 1, 14), decoder: "UTF-8"),
        // 0x80 alone is invalid in UTF-8 and in GB18030: after "U1,a", column 5.
        BytesCase(id: "lone 0x80", units: header + Array("U1,a".utf8) + [0x80] + Array("\nU2,b\n".utf8),
                  encoding: .auto, at: At("units.csv", 2, 5), decoder: "GB18030"),
        BytesCase(id: "surrogate in UTF-8, forced UTF-8", units: header + Array("U1,".utf8) + [0xED, 0xA0, 0x80] + Array("\nU2,b\n".utf8),
                  encoding: .utf8, at: At("units.csv", 2, 4), decoder: "UTF-8"),
    ])
    func undecodableBytes(_ c: BytesCase) throws {
        // The other files are valid in the encoding under test.
        var files = DatasetFolder.valid.mapValues { c.encoding == .gb18030 ? gb18030($0) : Array($0.utf8) }
        files["units.csv"] = c.units
        let folder = DatasetFolder(bytes: files)
        defer { folder.remove() }
        let found = try invalidData(folder, encoding: c.encoding)
        #expect(found.at == [c.at])
        #expect(found.issues.first?.message.contains(c.decoder) == true)
    }

    /// CRLF and LF files, with quoted line breaks, hold the same data.
    @Test func crlfAndLFFilesAreTheSame() throws {
        var files = DatasetFolder.valid
        files["units.csv"] = "unit_id,name,parent_id,kind\nU1,\"市局\n（本级）\",,行政机关\nU2,办公室,U1,\"内设\n科室\"\n"
        let lf = DatasetFolder(files)
        let crlf = DatasetFolder(files.mapValues { $0.replacingOccurrences(of: "\n", with: "\r\n") })
        defer {
            lf.remove()
            crlf.remove()
        }
        let a = try lf.read().dataset
        let b = try crlf.read().dataset
        #expect(a.units.name[0] == "市局\n（本级）")
        #expect(b.units.name[0] == "市局\n（本级）")
        #expect(a.fingerprint == b.fingerprint)
    }

    /// Ids compare by UTF-8 bytes: "é" (U+00E9) and "e" + U+0301 are two
    /// different ids, though Swift's `String ==` calls them equal.
    @Test func idsCompareByBytes() throws {
        let folder = DatasetFolder.valid(with: [
            "units.csv": "unit_id,name\nU1,a\nU2,b\nU\u{E9},c\nUe\u{301},d\n",
            "incidents.csv": Self.incidentsHeader + "X\u{E9},P1,2025-03-01,投诉,\nXe\u{301},P1,2025-03-01,投诉,\n",
            "risk_points.csv": Self.riskPointsHeader + "R\u{E9},P1,duty,a,\nRe\u{301},P1,duty,b,\n",
        ])
        defer { folder.remove() }
        let d = try folder.read().dataset
        #expect(d.units.count == 4)
        #expect(d.incidents.count == 2)
        #expect(d.riskPoints.count == 2)
        // Byte order: "Ue" (55 65) before "Ué" (55 C3 A9).
        #expect(Array(d.units.id[2].utf8) == Array("Ue\u{301}".utf8))
    }
}
