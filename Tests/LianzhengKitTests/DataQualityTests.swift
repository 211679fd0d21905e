import Foundation
import Testing
@testable import LianzhengKit

/// `check` (SPEC §8, issue 9) on a hand-built dataset under the default
/// scheme. Day numbers: 2025-12-31 = 20453 (see FieldParsingTests);
/// 2026-03-01 = 20453 + 1 + 31 + 28 = 20513.
@Suite struct DataQualityTests {
    /// The fixture, and what each row is there for:
    /// - U3 has only a sub-unit (U31) and U4 nothing: both have no direct post.
    /// - P2: no powers, no category. P3: no powers but 三重一大, so P = 0.9.
    /// - P1 and P5: 行政许可 at both caps with discretion 4: P = 1, D = 1,
    ///   S = 100·(0.45 + 0.25) = 70.00 → 一级 (RiskKernelTests works the same
    ///   case); P1 has no risk point, P5 has R2.
    /// - P3: S = 100·0.45·0.9 = 40.50 → 二级, no risk point.
    /// - P4: 行政处罚 with count 0, amount 0: P = 0.5 → 22.50; its incidents add
    ///   at most 100·0.30·(1 − e^(−(0.3 + 0.15 + 2 + 0.3)/5)) < 13, so it stays
    ///   三级 (< 40) in 2025 and 2026: its missing risk point is no warning.
    /// - X1 待核实 2024-12-30, X2 pending (blank) 2024-12-31, X3 属实 2023-06-01,
    ///   X4 待核实 2026-01-10.
    /// - 2025: U1 has all four indicators, U2 two, P5 one; P1 only a bonus.
    ///   2024: U2 has all four, U1 one.
    static let files: [String: String] = [
        "units.csv": """
            unit_id,name,parent_id
            U1,市局,
            U2,办公室,U1
            U3,城东分局,U1
            U31,执法一队,U3
            U4,外事办,

            """,
        "posts.csv": """
            post_id,unit_id,name,category,key_decisions
            P1,U1,局长,领导,是
            P2,U2,主任,,否
            P3,U2,科员,综合,是
            P4,U31,执法员,执法,
            P5,U2,审批员,审批,

            """,
        "powers.csv": """
            post_id,power,kind,annual_count,amount,discretion
            P1,许可签发,行政许可,1000,50000,4
            P4,现场处罚,行政处罚,0,0,0
            P5,许可审批,行政许可,1000,50000,4

            """,
        "incidents.csv": """
            incident_id,post_id,date,kind,status
            X1,P4,2024-12-30,信访举报,待核实
            X2,P4,2024-12-31,投诉,
            X3,P4,2023-06-01,通报批评,属实
            X4,P4,2026-01-10,信访举报,pending

            """,
        "assessments.csv": """
            year,subject_type,subject_id,indicator,score
            2025,单位,U1,领导重视,20
            2025,单位,U1,目标具体,20
            2025,单位,U1,注重成效,20
            2025,单位,U1,材料详实,15
            2025,单位,U2,领导重视,20
            2025,单位,U2,目标具体,20
            2025,岗位,P5,注重成效,25
            2024,单位,U1,领导重视,20
            2024,单位,U2,领导重视,20
            2024,单位,U2,目标具体,20
            2024,单位,U2,注重成效,20
            2024,单位,U2,材料详实,15

            """,
        "adjustments.csv": """
            year,subject_type,subject_id,type,points,reason
            2025,岗位,P1,加分,1,表彰

            """,
        "risk_points.csv": """
            point_id,post_id,type,description,measures
            R1,P4,业务流程,现场执法不规范,
            R2,P5,岗位职责,违规审批,双人复核

            """,
    ]

    static func dataset(_ files: [String: String] = files, scheme: Scheme? = nil) throws -> Dataset {
        let folder = DatasetFolder(files)
        defer { folder.remove() }
        return try folder.read(scheme: scheme).dataset
    }

    static let endOf2025: Int32 = 20453
    static let march2026: Int32 = 20513

    typealias W = QualityWarning

    /// Worked out by hand from the fixture, in report order (code, then id bytes).
    static let expected2025: [W] = [
        W(code: .noPowers, subjectType: .post, subjectID: "P2", message: "岗位 P2（主任）没有职权记录，职权分 P 按 0 计"),
        W(code: .noPowers, subjectType: .post, subjectID: "P3", message: "岗位 P3（科员）没有职权记录，职权分 P 只取三重一大下限 0.9"),
        W(code: .noPosts, subjectType: .unit, subjectID: "U3", message: "单位 U3（城东分局）下没有直属岗位"),
        W(code: .noPosts, subjectType: .unit, subjectID: "U4", message: "单位 U4（外事办）下没有直属岗位"),
        // 2025-12-31 − 2024-12-30 = 366 days > 365. X2 is exactly 365 days old: not over a year.
        W(code: .stalePending, subjectType: .incident, subjectID: "X1",
          message: "问题线索 X1（岗位 P4，2024-12-30，信访举报）待核实已 366 天，超过一年（截至 2025-12-31）"),
        W(code: .missingIndicators, subjectType: .post, subjectID: "P1",
          message: "2025 年度岗位 P1（局长）（只有加减分记录）缺少指标：领导重视、目标具体、注重成效、材料详实，缺项按 0 分计"),
        W(code: .missingIndicators, subjectType: .post, subjectID: "P5",
          message: "2025 年度岗位 P5（审批员）缺少指标：领导重视、目标具体、材料详实，缺项按 0 分计"),
        W(code: .missingIndicators, subjectType: .unit, subjectID: "U2",
          message: "2025 年度单位 U2（办公室）缺少指标：注重成效、材料详实，缺项按 0 分计"),
        W(code: .noCategory, subjectType: .post, subjectID: "P2", message: "岗位 P2（主任）未填写岗位类别，按“未分类”参与同类比较"),
        W(code: .noRiskPoints, subjectType: .post, subjectID: "P1",
          message: "岗位 P1（局长）2025 年风险等级为一级（风险分 70.00），风险点台账中没有该岗位的风险点"),
        W(code: .noRiskPoints, subjectType: .post, subjectID: "P3",
          message: "岗位 P3（科员）2025 年风险等级为二级（风险分 40.50），风险点台账中没有该岗位的风险点"),
    ]

    @Test func warningsForAYear() throws {
        let d = try Self.dataset()
        let asOf = DataQuality.referenceDay(year: 2025, today: Self.march2026)
        #expect(asOf == Self.endOf2025)
        let found = DataQuality.check(dataset: d, scheme: try scheme(), year: 2025, asOf: asOf)
        #expect(found == Self.expected2025)
    }

    /// Without a year: as_of is today (here 2026-03-01), every year's subjects
    /// are checked, and levels are those of the latest year in the data:
    /// X4 is dated 2026, so 2026.
    @Test func warningsWithoutAYear() throws {
        let d = try Self.dataset()
        #expect(DataQuality.referenceDay(year: nil, today: Self.march2026) == Self.march2026)
        #expect(DataQuality.riskYear(dataset: d, year: nil, asOf: Self.march2026) == 2026)
        let found = DataQuality.check(dataset: d, scheme: try scheme(), year: nil, asOf: Self.march2026)
        let e = Self.expected2025
        let expected: [W] = [
            e[0], e[1], e[2], e[3],
            // 20513 − (20453 − 366) = 426 days; X2 one day later: 425. X4 (50 days) is not stale.
            W(code: .stalePending, subjectType: .incident, subjectID: "X1",
              message: "问题线索 X1（岗位 P4，2024-12-30，信访举报）待核实已 426 天，超过一年（截至 2026-03-01）"),
            W(code: .stalePending, subjectType: .incident, subjectID: "X2",
              message: "问题线索 X2（岗位 P4，2024-12-31，投诉）待核实已 425 天，超过一年（截至 2026-03-01）"),
            e[5], e[6],
            // 2024 is checked too: U1 had only 领导重视 that year.
            W(code: .missingIndicators, subjectType: .unit, subjectID: "U1",
              message: "2024 年度单位 U1（市局）缺少指标：目标具体、注重成效、材料详实，缺项按 0 分计"),
            e[7], e[8],
            W(code: .noRiskPoints, subjectType: .post, subjectID: "P1",
              message: "岗位 P1（局长）2026 年风险等级为一级（风险分 70.00），风险点台账中没有该岗位的风险点"),
            W(code: .noRiskPoints, subjectType: .post, subjectID: "P3",
              message: "岗位 P3（科员）2026 年风险等级为二级（风险分 40.50），风险点台账中没有该岗位的风险点"),
        ]
        #expect(found == expected)
    }

    /// The same subject in two years: ordered by year.
    @Test func oneSubjectInTwoYears() throws {
        var files = Self.files
        files["assessments.csv"] = "year,subject_type,subject_id,indicator,score\n2025,单位,U1,领导重视,20\n2024,单位,U1,目标具体,20\n"
        let found = DataQuality.check(dataset: try Self.dataset(files), scheme: try scheme(), year: nil, asOf: Self.march2026)
            .filter { $0.code == .missingIndicators && $0.subjectID == "U1" }
        #expect(found.map(\.message) == [
            "2024 年度单位 U1（市局）缺少指标：领导重视、注重成效、材料详实，缺项按 0 分计",
            "2025 年度单位 U1（市局）缺少指标：目标具体、注重成效、材料详实，缺项按 0 分计",
        ])
    }

    /// Level names are the scheme's: with the most severe level called Ⅲ级
    /// (and the least severe Ⅰ级) the first two levels still count.
    @Test func levelsByPositionNotName() throws {
        let renamed = try scheme {
            $0.replacingOccurrences(of: "\"name\": \"一级\"", with: "\"name\": \"Ⅲ级\"")
                .replacingOccurrences(of: "\"name\": \"三级\"", with: "\"name\": \"Ⅰ级\"")
        }
        #expect(renamed.levels.map(\.name) == ["Ⅲ级", "二级", "Ⅰ级"])
        let found = DataQuality.check(dataset: try Self.dataset(scheme: renamed), scheme: renamed, year: 2025, asOf: Self.endOf2025)
            .filter { $0.code == .noRiskPoints }
        #expect(found.map(\.subjectID) == ["P1", "P3"])
        #expect(found[0].message.contains("风险等级为Ⅲ级（风险分 70.00）"))
    }

    /// A risk point for each of P1, P3 and P5 (the 一级 and 二级 posts)
    /// silences NO_RISK_POINTS; the 三级 posts need none.
    @Test func riskPointsSilenceTheWarning() throws {
        var files = Self.files
        files["risk_points.csv"] = "point_id,post_id,type,description\nR1,P1,duty,a\nR2,P3,duty,b\nR3,P5,duty,c\n"
        let found = DataQuality.check(dataset: try Self.dataset(files), scheme: try scheme(), year: 2025, asOf: Self.endOf2025)
        #expect(!found.contains { $0.code == .noRiskPoints })
    }

    /// A clean dataset: nothing to say.
    @Test func cleanDataset() throws {
        let files = [
            "units.csv": "unit_id,name\nU1,市局\n",
            "posts.csv": "post_id,unit_id,name,category\nP1,U1,科员,综合\n",
            "powers.csv": "post_id,power,kind\nP1,内务,内部事务\n",
            "incidents.csv": "incident_id,post_id,date,kind,status\nX1,P1,2020-01-01,投诉,不属实\n",
            "assessments.csv": "year,subject_type,subject_id,indicator,score\n"
                + ["领导重视", "目标具体", "注重成效", "材料详实"].map { "2025,unit,U1,\($0),10\n" }.joined(),
        ]
        let d = try Self.dataset(files)
        let found = DataQuality.check(dataset: d, scheme: try scheme(), year: nil, asOf: Self.march2026)
        #expect(found.isEmpty)
        #expect(DataQuality.renderText(found, asOf: Self.endOf2025, riskYear: 2025)
                == "数据质量检查：未发现问题（基准日 2025-12-31，风险等级按 2025 年计算）\n")
        #expect(DataQuality.riskYear(dataset: d, year: nil, asOf: Self.march2026) == 2025)
    }

    /// No assessments, adjustments or incidents: levels are those of as_of's year.
    @Test func riskYearFallsBackToAsOf() throws {
        var files = Self.files
        files["assessments.csv"] = nil
        files["adjustments.csv"] = nil
        files["incidents.csv"] = "incident_id,post_id,date,kind\n"
        #expect(DataQuality.riskYear(dataset: try Self.dataset(files), year: nil, asOf: Self.march2026) == 2026)
        #expect(DataQuality.riskYear(dataset: try Self.dataset(files), year: 2023, asOf: Self.march2026) == 2023)
    }

    /// Row order in the files changes nothing.
    @Test func orderIsDeterministic() throws {
        let reversed = Self.files.mapValues { text -> String in
            var lines = text.split(separator: "\n", omittingEmptySubsequences: true).map(String.init)
            let header = lines.removeFirst()
            return ([header] + lines.reversed()).joined(separator: "\n") + "\n"
        }
        let found = DataQuality.check(dataset: try Self.dataset(reversed), scheme: try scheme(), year: 2025, asOf: Self.endOf2025)
        #expect(found == Self.expected2025)
    }

    @Test func textReport() throws {
        let found = DataQuality.check(dataset: try Self.dataset(), scheme: try scheme(), year: 2025, asOf: Self.endOf2025)
        let e = Self.expected2025.map(\.message)
        let expected = """
            数据质量检查：共 11 条警告（基准日 2025-12-31，风险等级按 2025 年计算）

            [NO_POWERS] 没有职权的岗位：2 条
              \(e[0])
              \(e[1])

            [NO_POSTS] 没有直属岗位的单位：2 条
              \(e[2])
              \(e[3])

            [STALE_PENDING] 待核实超过一年的问题线索：1 条
              \(e[4])

            [MISSING_INDICATORS] 缺少考核指标的考核对象：3 条
              \(e[5])
              \(e[6])
              \(e[7])

            [NO_CATEGORY] 未填写岗位类别的岗位：1 条
              \(e[8])

            [NO_RISK_POINTS] 风险等级较高但没有风险点的岗位：2 条
              \(e[9])
              \(e[10])

            """
        #expect(DataQuality.renderText(found, asOf: Self.endOf2025, riskYear: 2025) == expected)
    }

    /// CSV: BOM, CRLF, quoted when needed, formula guard on every (text) cell.
    @Test func csvReport() throws {
        let warnings = [
            W(code: .noPowers, subjectType: .post, subjectID: "=P9", message: "岗位 =P9（x）没有职权记录，职权分 P 按 0 计"),
            W(code: .noPosts, subjectType: .unit, subjectID: "U1", message: "单位 U1（a,b）下没有直属岗位"),
            W(code: .noCategory, subjectType: .post, subjectID: "-1", message: "+ 开头的说明"),
        ]
        let expected = "\u{FEFF}code,subject_type,subject_id,message\r\n"
            + "NO_POWERS,post,'=P9,岗位 =P9（x）没有职权记录，职权分 P 按 0 计\r\n"
            + "NO_POSTS,unit,U1,\"单位 U1（a,b）下没有直属岗位\"\r\n"
            + "NO_CATEGORY,post,'-1,'+ 开头的说明\r\n"
        #expect(String(decoding: DataQuality.renderCSV(warnings), as: UTF8.self) == expected)
        #expect(String(decoding: DataQuality.renderCSV([]), as: UTF8.self) == "\u{FEFF}code,subject_type,subject_id,message\r\n")
    }

    /// The CSV report reads back through the input scanner, cell for cell.
    @Test func csvReportReadsBack() throws {
        let found = DataQuality.check(dataset: try Self.dataset(), scheme: try scheme(), year: 2025, asOf: Self.endOf2025)
        let bytes = Array(DataQuality.renderCSV(found).dropFirst(3))
        let scanned = scanAll(bytes)
        #expect(scanned.texts == [DataQuality.csvHeader] + found.map { [$0.code.rawValue, $0.subjectType.rawValue, $0.subjectID, $0.message] })
    }

    /// The shipped sample yields warnings of known kinds and no crash; every
    /// warning names an existing subject.
    @Test func sample() throws {
        let d = try DatasetReader(directory: repositoryRoot + "/Datasets/sample", scheme: try scheme()).read()
        let found = DataQuality.check(dataset: d, scheme: try scheme(), year: 2025, asOf: Self.endOf2025)
        let sorted = found.sorted(by: QualityWarning.precedes)
        #expect(found == sorted)
        let posts = Set((0..<d.posts.count).map { d.posts.id[$0] })
        let units = Set((0..<d.units.count).map { d.units.id[$0] })
        for w in found where w.subjectType != .incident {
            #expect((w.subjectType == .post ? posts : units).contains(w.subjectID))
        }
    }
}
