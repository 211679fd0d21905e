import Foundation
import Testing
@testable import LianzhengKit

// Hand-worked risk-point flags (SPEC §6): NO_MEASURES when the point's post is
// at level index 0 or 1 and measures is empty; BOILERPLATE when the point's
// normalised description is shared by points of ≥ boilerplate_min_posts (3 in
// the default scheme) distinct posts.

/// One risk point of a hand-made case.
struct PointSpec: Sendable {
    var id: String
    /// Index of the post (posts are "P1", "P2", … in that order).
    var post: Int32
    var type: RiskPointType = .duty
    var description: String
    var measures = ""
}

/// A report over posts P1…Pn at `levels` (set directly) with `points`.
func riskPointReport(levels: [UInt8], points: [PointSpec], scheme: Scheme = .default) -> RiskPointReport {
    var b = DatasetBuilder(units: ["U1", "U2"])
    for (i, _) in levels.enumerated() { b.post("P\(i + 1)", unit: Int32(i % 2)) }
    for p in points {
        b.data.riskPoints.id.append(p.id)
        b.data.riskPoints.post.append(p.post)
        b.data.riskPoints.type.append(p.type.rawValue)
        b.data.riskPoints.description.append(p.description)
        b.data.riskPoints.measures.append(p.measures)
    }
    let d = b.build()
    return RiskPointReport(dataset: d, level: levels, scheme: scheme, year: 2025)
}

@Suite struct RiskPointFlagNormalisationTests {
    @Test(arguments: [
        ("Chinese punctuation and spaces", "未按规定 审批，擅自（越权）办理。", "未按规定审批擅自越权办理"),
        ("ASCII punctuation", "a,b.c;d:e?f!g\"h'i(j)k[l]m<n>o-p", "abcdefghijklmnop"),
        ("full-width punctuation", "《办法》【规定】“甲”‘乙’、丙；丁：戊？己！庚…辛—壬", "办法规定甲乙丙丁戊己庚辛壬"),
        ("every White_Space character",
         "甲\u{09}\u{0A}\u{0B}\u{0C}\u{0D}\u{20}\u{85}\u{A0}\u{1680}\u{2000}\u{2005}\u{200A}\u{2028}\u{2029}\u{202F}\u{205F}\u{3000}乙",
         "甲乙"),
        ("U+200B ZERO WIDTH SPACE is not White_Space: kept", "甲\u{200B}乙", "甲\u{200B}乙"),
        ("full-width solidus ／ kept, and other symbols", "甲／乙/丙·丁_戊～", "甲／乙/丙·丁_戊～"),
        ("only punctuation → empty", " ，。 ", ""),
        ("empty", "", ""),
        // en dash U+2013 is not in the list (only — U+2014 and -).
        ("en dash kept", "甲–乙", "甲–乙"),
    ])
    func normalise(_ name: String, _ text: String, _ normalised: String) {
        #expect(RiskPointReport.normalizedDescription(text) == normalised, "\(name)")
    }
}

@Suite struct RiskPointFlagTests {
    struct Case: CustomTestStringConvertible, Sendable {
        var name: String
        var levels: [UInt8]
        var points: [PointSpec]
        /// Expected flags text per point, in point_id order.
        var flags: [String]
        var testDescription: String { name }
    }

    static let boilerplate: [Case] = [
        // Same text on P1, P2, P3: 3 distinct posts ≥ 3 → all three flagged.
        Case(name: "exactly boilerplate_min_posts posts", levels: [2, 2, 2], points: [
            PointSpec(id: "R1", post: 0, description: "收受礼品礼金"),
            PointSpec(id: "R2", post: 1, description: "收受礼品礼金"),
            PointSpec(id: "R3", post: 2, description: "收受礼品礼金"),
        ], flags: ["BOILERPLATE", "BOILERPLATE", "BOILERPLATE"]),
        // Two posts < 3: none.
        Case(name: "one post below", levels: [2, 2, 2], points: [
            PointSpec(id: "R1", post: 0, description: "收受礼品礼金"),
            PointSpec(id: "R2", post: 1, description: "收受礼品礼金"),
            PointSpec(id: "R3", post: 2, description: "违规审批"),
        ], flags: ["", "", ""]),
        // P1 twice + P2: 2 distinct posts (P1 counted once) < 3: none.
        Case(name: "two points of the same post count once", levels: [2, 2, 2], points: [
            PointSpec(id: "R1", post: 0, description: "收受礼品礼金"),
            PointSpec(id: "R2", post: 0, description: "收受礼品礼金"),
            PointSpec(id: "R3", post: 1, description: "收受礼品礼金"),
        ], flags: ["", "", ""]),
        // All normalise to 利用职权为他人谋利: 3 posts.
        Case(name: "spaces and punctuation do not matter", levels: [2, 2, 2], points: [
            PointSpec(id: "R1", post: 0, description: "利用职权，为他人谋利。"),
            PointSpec(id: "R2", post: 1, description: "利用职权 为他人谋利"),
            PointSpec(id: "R3", post: 2, description: "“利用职权”为他人谋利;"),
        ], flags: ["BOILERPLATE", "BOILERPLATE", "BOILERPLATE"]),
        // U+200B is kept: R3's text differs; 2 posts < 3.
        Case(name: "U+200B makes a different text", levels: [2, 2, 2], points: [
            PointSpec(id: "R1", post: 0, description: "利用职权为他人谋利"),
            PointSpec(id: "R2", post: 1, description: "利用职权为他人谋利"),
            PointSpec(id: "R3", post: 2, description: "利用职权\u{200B}为他人谋利"),
        ], flags: ["", "", ""]),
        // "——" and "（）" normalise to the empty text; empty texts are shared too.
        Case(name: "empty normalised texts are shared", levels: [2, 2, 2], points: [
            PointSpec(id: "R1", post: 0, description: "——"),
            PointSpec(id: "R2", post: 1, description: "（）"),
            PointSpec(id: "R3", post: 2, description: "。"),
        ], flags: ["BOILERPLATE", "BOILERPLATE", "BOILERPLATE"]),
    ]

    static let measures: [Case] = [
        // Level index 0 and 1 without measures → NO_MEASURES; 2 (三级) never.
        Case(name: "NO_MEASURES at each level", levels: [0, 1, 2], points: [
            PointSpec(id: "R1", post: 0, description: "甲"),
            PointSpec(id: "R2", post: 1, description: "乙"),
            PointSpec(id: "R3", post: 2, description: "丙"),
        ], flags: ["NO_MEASURES", "NO_MEASURES", ""]),
        Case(name: "measures given", levels: [0, 1, 2], points: [
            PointSpec(id: "R1", post: 0, description: "甲", measures: "双人审批"),
            PointSpec(id: "R2", post: 1, description: "乙", measures: "定期轮岗"),
            PointSpec(id: "R3", post: 2, description: "丙", measures: "公开公示"),
        ], flags: ["", "", ""]),
        // Both codes, in table order NO_MEASURES;BOILERPLATE.
        Case(name: "both flags", levels: [0, 2, 2], points: [
            PointSpec(id: "R1", post: 0, description: "收受礼品"),
            PointSpec(id: "R2", post: 1, description: "收受礼品"),
            PointSpec(id: "R3", post: 2, description: "收受礼品", measures: "廉政承诺"),
        ], flags: ["NO_MEASURES;BOILERPLATE", "BOILERPLATE", "BOILERPLATE"]),
    ]

    @Test(arguments: boilerplate + measures)
    func flags(_ c: Case) {
        let report = riskPointReport(levels: c.levels, points: c.points)
        #expect((0..<report.pointCount).map { report.flagCodes(point: $0) } == c.flags)
    }

    /// boilerplate_min_posts 2: two posts are enough.
    @Test func thresholdFromScheme() throws {
        let s = try scheme { $0.replacingOccurrences(of: "\"boilerplate_min_posts\": 3", with: "\"boilerplate_min_posts\": 2") }
        let report = riskPointReport(levels: [2, 2], points: [
            PointSpec(id: "R1", post: 0, description: "收受礼品礼金"),
            PointSpec(id: "R2", post: 1, description: "收受礼品礼金"),
        ], scheme: s)
        #expect(report.codes(point: 0) == [.boilerplate])
        #expect(report.sharingPosts == [2, 2])
        #expect(report.reason(.boilerplate, point: 0) == "相同表述见于 2 个岗位的风险点（阈值 2）")
    }

    /// Ⅲ级/Ⅱ级/Ⅰ级 scheme: NO_MEASURES follows the index, names come from the scheme.
    @Test func romanLevelNames() throws {
        let report = riskPointReport(levels: [0, 1, 2], points: [
            PointSpec(id: "R1", post: 0, description: "甲"),
            PointSpec(id: "R2", post: 1, description: "乙"),
            PointSpec(id: "R3", post: 2, description: "丙"),
        ], scheme: try romanLevelScheme())
        #expect(report.counts == [2, 0])
        #expect(report.reason(.noMeasures, point: 0) == "Ⅲ级岗位的风险点未填写防控措施")
        let csv = String(decoding: RiskPointsCSV.render(report), as: UTF8.self)
        #expect(csv == "\u{FEFF}year,point_id,post_id,unit_id,type,level,supervisor,measures,flags\r\n"
            + "2025,R1,P1,U1,岗位职责,Ⅲ级,单位主要领导、纪检监察机构,false,NO_MEASURES\r\n"
            + "2025,R2,P2,U2,岗位职责,Ⅱ级,分管领导,false,NO_MEASURES\r\n"
            + "2025,R3,P3,U1,岗位职责,Ⅰ级,科室负责人,false,\r\n")
    }

    /// The whole file for a tiny case: point_id order (R01 < R02 < R10), unit of
    /// the post, canonical type name, level and supervisor of the post's level,
    /// measures as true/false, the formula guard on text cells.
    @Test func csvBytes() {
        let report = riskPointReport(levels: [0, 2], points: [
            PointSpec(id: "R10", post: 1, type: .external, description: "-围猎", measures: "=警示教育"),
            PointSpec(id: "R02", post: 0, type: .moral, description: "廉洁意识淡薄"),
            PointSpec(id: "R01", post: 0, type: .process, description: "审批不公开", measures: "公开流程"),
        ])
        let expected = "\u{FEFF}year,point_id,post_id,unit_id,type,level,supervisor,measures,flags\r\n"
            + "2025,R01,P1,U1,业务流程,一级,单位主要领导、纪检监察机构,true,\r\n"
            + "2025,R02,P1,U1,思想道德,一级,单位主要领导、纪检监察机构,false,NO_MEASURES\r\n"
            + "2025,R10,P2,U2,外部环境,三级,科室负责人,true,\r\n"
        #expect(RiskPointsCSV.render(report) == Array(expected.utf8))
        let zh = String(decoding: RiskPointsCSV.render(report, chineseHeaders: true), as: UTF8.self)
        #expect(zh.hasPrefix("\u{FEFF}年度,风险点编号,岗位编号,单位编号,风险类型,风险等级,监管责任人,有防控措施,预警\r\n"))
    }

    @Test func noRiskPointsIsHeaderOnly() {
        let report = riskPointReport(levels: [0], points: [])
        #expect(RiskPointsCSV.render(report)
            == Array("\u{FEFF}year,point_id,post_id,unit_id,type,level,supervisor,measures,flags\r\n".utf8))
        #expect(report.counts == [0, 0])
    }

    /// A supervisor text starting with "=" is guarded (text column).
    @Test func supervisorIsGuarded() throws {
        let s = try scheme { $0.replacingOccurrences(of: "\"supervisor\": \"科室负责人\"", with: "\"supervisor\": \"=科室负责人\"") }
        let report = riskPointReport(levels: [2], points: [PointSpec(id: "R1", post: 0, description: "甲", measures: "乙")], scheme: s)
        let csv = String(decoding: RiskPointsCSV.render(report), as: UTF8.self)
        #expect(csv.hasSuffix("2025,R1,P1,U1,岗位职责,三级,'=科室负责人,true,\r\n"))
    }
}
