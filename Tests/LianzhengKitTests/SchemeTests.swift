import Foundation
import Testing
@testable import LianzhengKit

/// One way to break (or bend) the default scheme.
enum SchemeEdit: Sendable {
    /// `JSONValue.setting(path:to:)`, as `whatif --set` does.
    case set(String, String)
    /// `JSONValue.removing(path:)`.
    case remove(String)
    /// Replace text in the default scheme's source (must occur exactly once).
    case replace(String, String)
}

/// The default scheme text with `edits` applied.
func editedDefault(_ edits: [SchemeEdit]) throws -> JSONValue {
    var text = SchemeParser.defaultSchemeText
    for case .replace(let old, let new) in edits {
        try #require(text.components(separatedBy: old).count == 2, "\(old) must occur once")
        text = text.replacingOccurrences(of: old, with: new)
    }
    var json = try JSONValue(parsing: text)
    for edit in edits {
        switch edit {
        case .set(let path, let value): json = try json.setting(path: path, to: value)
        case .remove(let path): json = try json.removing(path: path)
        case .replace: break
        }
    }
    return json
}

/// The issues a scheme is rejected with (an empty list if it is accepted).
func schemeIssues(_ json: JSONValue) -> [SchemeIssue] {
    do {
        _ = try SchemeParser.parse(json: json, source: "test.json")
        return []
    } catch {
        guard case .invalidScheme(let source, let issues) = error else {
            Issue.record("unexpected error \(error)")
            return []
        }
        #expect(source == "test.json")
        #expect(error.exitCode == 65)
        return issues
    }
}

@Suite struct SchemeTests {
    static let schemesFolder = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("Datasets/schemes")

    // MARK: Shipped schemes

    @Test func shippedDefaultEqualsBuiltIn() throws {
        let path = Self.schemesFolder.appendingPathComponent("default.json").path
        let (scheme, warnings) = try SchemeParser.load(contentsOf: path)
        #expect(warnings.isEmpty)
        #expect(scheme == Scheme.default)
        #expect(scheme.fingerprint == Scheme.default.fingerprint)
    }

    /// Every value of SPEC §3's default, read off the SPEC by hand.
    @Test func defaultSchemeValues() {
        let scheme = Scheme.default
        #expect(scheme.name == "默认评分方案")
        #expect(scheme.version == "1.0")
        #expect(scheme.levels.map(\.name) == ["一级", "二级", "三级"])
        #expect(scheme.levels[1].aliases == ["中", "2", "Ⅱ", "II"])
        // min_score 70 / 40 / 0 → ×100 = 7000 / 4000 / 0 hundredths.
        #expect(scheme.levels.map(\.minScoreHundredths) == [7000, 4000, 0])
        #expect(scheme.levels.map(\.minScore) == [70, 40, 0])
        #expect(scheme.levels[2].supervisor == "科室负责人")
        #expect(scheme.levelFloors.isEmpty)

        let risk = scheme.risk
        #expect([risk.weightPower, risk.weightDiscretion, risk.weightHistory] == [0.45, 0.25, 0.30])
        #expect(risk.powerKinds.count == 15)
        #expect(risk.powerKinds.first == NamedWeight(name: "行政许可", weight: 1.0))
        #expect(risk.powerKinds.last == NamedWeight(name: "其他", weight: 0.2))
        #expect(risk.powerKindIndex("监督检查") == 11)
        #expect([risk.amountCap, risk.countCap, risk.keyDecisionsFloor] == [10000, 1000, 0.9])
        #expect([risk.halfLifeYears, risk.windowYears, risk.historyScale] == [2, 5, 5])
        #expect(risk.incidentKinds.map(\.name).last == "司法追究")
        #expect(risk.incidentKinds.map(\.weight) == [1, 0.5, 1, 3, 2, 2, 2, 2, 6, 10])
        // Indexed by IncidentStatus raw value: 属实, 部分属实, 待核实, 不属实.
        #expect(risk.statusFactors == [1.0, 0.6, 0.3, 0.0])

        let assessment = scheme.assessment
        // max 25 / 25 / 30 / 20 → hundredths 2500 / 2500 / 3000 / 2000.
        #expect(assessment.indicators.map(\.max) == [2500, 2500, 3000, 2000])
        #expect(assessment.indicators.map(\.name) == ["领导重视", "目标具体", "注重成效", "材料详实"])
        #expect(assessment.bonusCap == 500)
        #expect(assessment.deductionCap == nil)
        // 0.5, 2, 1, 1, 1, 1, 5 points → 50, 200, 100, 100, 100, 100, 500 hundredths.
        #expect(assessment.autoDeductions.map(\.points) == [50, 200, 100, 100, 100, 100, 500])
        #expect(assessment.autoDeductions.first?.kind == "提醒谈话")
        #expect(assessment.vetoKinds == ["司法追究"])
        #expect(assessment.bands.map(\.name) == ["优秀", "良好", "及格", "不及格"])
        #expect(assessment.bands.map(\.min) == [9000, 8000, 6000, 0])
        // 优秀 is band 0; share 0.15 = 1500 ten-thousandths.
        #expect(assessment.quota == Quota(band: 0, shareTenThousandths: 1500))

        let flags = scheme.flags
        #expect(flags.peerZ == 3.5)
        #expect(flags.peerMinGroup == 5)
        #expect(flags.peerMinHraw == 3)
        #expect(flags.scoreJump == 20)
        #expect(flags.scoreJumpHundredths == 2000)
        #expect(flags.rotationYears == 5)
        #expect(flags.boilerplateMinPosts == 3)
    }

    /// rule-based.json: the same as the default apart from its name and floors.
    @Test func ruleBasedScheme() throws {
        let path = Self.schemesFolder.appendingPathComponent("rule-based.json").path
        let (scheme, warnings) = try SchemeParser.load(contentsOf: path)
        #expect(warnings.isEmpty)
        #expect(scheme.name == "市场监管局规则分级方案")
        let base = Scheme.default
        #expect(scheme.levels == base.levels)
        #expect(scheme.risk == base.risk)
        #expect(scheme.assessment == base.assessment)
        #expect(scheme.flags == base.flags)
        // power_kinds order: 行政许可 0, 行政审批 1, 行政处罚 2, 行政强制 3, 行政征收 4,
        // 项目审批 5, 工程建设 6, 资金管理 7, 物资采购 8, 人事管理 9, 财务管理 10,
        // 监督检查 11, 行政确认 12, 内部事务 13, 其他 14.
        // incident_kinds order: … 党纪政纪处分 8, 司法追究 9. Levels: 一级 0, 二级 1.
        #expect(
            scheme.levelFloors == [
                LevelFloor(level: 0, condition: .powerKinds([0, 1])),
                LevelFloor(level: 0, condition: .powerKinds([2])),
                LevelFloor(level: 0, condition: .powerKinds([9, 10, 7, 8])),
                LevelFloor(level: 0, condition: .incidents(kinds: [8, 9], statuses: [.verified], withinYears: 3)),
                LevelFloor(level: 1, condition: .powerKinds([11, 12])),
                LevelFloor(level: 1, condition: .keyDecisions),
            ])
        #expect(scheme.fingerprint != base.fingerprint)
    }

    // MARK: Canonical form and fingerprint

    @Test func canonicalTextOfSections() throws {
        let json = try JSONValue(parsing: SchemeParser.defaultSchemeText)
        // Keys sorted by bytes ("discretion" < "history" < "power"); 0.30 prints 0.3.
        #expect(json["risk"]?["weights"]?.canonicalText == #"{"discretion":0.25,"history":0.3,"power":0.45}"#)
        // boilerplate… < peer_min_group < peer_min_hraw ('g' < 'h') < peer_z ('m' < 'z') < rotation… < score…
        #expect(
            json["flags"]?.canonicalText
                == #"{"boilerplate_min_posts":3,"peer_min_group":5,"peer_min_hraw":3,"peer_z":3.5,"rotation_years":5,"score_jump":20}"#
        )
        #expect(json["assessment"]?["quota"]?.canonicalText == #"{"band":"优秀","share":0.15}"#)
        #expect(Scheme.default.canonicalJSON == json.canonicalText)
        #expect(Scheme.default.canonicalJSON.hasPrefix(#"{"assessment":{"auto_deductions":{"#))
        #expect(Scheme.default.fingerprint == SHA256.hex(of: Scheme.default.canonicalJSON))
    }

    @Test func fingerprintIgnoresLayoutKeyOrderAndNumberSpelling() throws {
        let original = try JSONValue(parsing: SchemeParser.defaultSchemeText)
        // Reversed key order, different indentation, every non-ASCII character
        // as a \u escape; then 70 spelled 7.0e1 and 0.45 spelled 45e-2.
        let rewritten = Self.reversedPrettyText(original)
            .replacingOccurrences(of: "\"min_score\" :\t70", with: "\"min_score\" :\t7.0e1")
            .replacingOccurrences(of: "\"power\" :\t0.45", with: "\"power\" :\t45e-2")
        #expect(rewritten.contains("7.0e1") && rewritten.contains("45e-2") && !rewritten.contains("默认"))
        let (scheme, _) = try SchemeParser.parse(text: rewritten, source: "rewritten")
        #expect(scheme.fingerprint == Scheme.default.fingerprint)
        #expect(scheme.canonicalJSON == Scheme.default.canonicalJSON)
        // Only the scheme order of kinds, names and bands differs (it is reversed).
        #expect(scheme.risk.powerKinds == Scheme.default.risk.powerKinds.reversed())
        #expect(scheme.levels == Scheme.default.levels)

        let changed = try SchemeParser.parse(json: original.setting(path: "assessment.bands.0.min", to: "89"), source: "t")
        #expect(changed.scheme.fingerprint != Scheme.default.fingerprint)
        #expect(changed.scheme.fingerprint.count == 64)
    }

    /// JSON text with members in reverse order, one per line, non-ASCII escaped.
    static func reversedPrettyText(_ value: JSONValue, indent: String = "") -> String {
        let inner = indent + "    "
        switch value {
        case .null: return "null"
        case .bool(let flag): return flag ? "true" : "false"
        case .number(let literal): return literal
        case .string(let text): return escapedASCII(text)
        case .array(let elements):
            return "[\n" + elements.map { inner + reversedPrettyText($0, indent: inner) }.joined(separator: ",\n")
                + "\n" + indent + "]"
        case .object(let members):
            return "{\r\n"
                + members.reversed().map { inner + escapedASCII($0.key) + " :\t" + reversedPrettyText($0.value, indent: inner) }
                .joined(separator: ",\r\n") + "\r\n" + indent + "}"
        }
    }

    static func escapedASCII(_ text: String) -> String {
        var out = "\""
        for unit in text.utf16 {
            if unit < 0x80 && unit != 0x22 && unit != 0x5C && unit >= 0x20 {
                out.unicodeScalars.append(Unicode.Scalar(UInt8(unit)))
            } else {
                let hex = String(unit, radix: 16, uppercase: true)
                out += "\\u" + String(repeating: "0", count: 4 - hex.count) + hex
            }
        }
        return out + "\""
    }

    // MARK: Invalid schemes

    struct InvalidCase: Sendable, CustomTestStringConvertible {
        var id: String
        var edits: [SchemeEdit]
        /// The JSON paths reported, in order.
        var paths: [String]
        var testDescription: String { id }
    }

    static let invalidCases: [InvalidCase] = [
        // bands 90, 80, 85, 0: 85 ≥ 80.
        InvalidCase(
            id: "bands not decreasing", edits: [.set("assessment.bands.2.min", "85")],
            paths: ["assessment.bands[2].min"]),
        // bands 90, 90, 60, 0: equal is not strictly decreasing.
        InvalidCase(
            id: "bands equal", edits: [.set("assessment.bands.1.min", "90")], paths: ["assessment.bands[1].min"]),
        // bands 90, 80, 60, 10: decreasing, but the last is not 0.
        InvalidCase(
            id: "last band not 0", edits: [.set("assessment.bands.3.min", "10")], paths: ["assessment.bands[3].min"]),
        // levels 70, 70, 0.
        InvalidCase(
            id: "levels not decreasing", edits: [.set("levels.1.min_score", "70")], paths: ["levels[1].min_score"]),
        // levels 70, 69.999, 0: ceil(6999.9) = 7000 hundredths, the same threshold as 70.
        InvalidCase(
            id: "levels equal in hundredths", edits: [.set("levels.1.min_score", "69.999")],
            paths: ["levels[1].min_score"]),
        // 0.001 is not 0 (even though it is below 0.01).
        InvalidCase(
            id: "last level not 0", edits: [.set("levels.2.min_score", "0.001")], paths: ["levels[2].min_score"]),
        InvalidCase(id: "no levels", edits: [.set("levels", "[]")], paths: ["levels"]),
        // 0.45 + 0.25 + 0.29 = 0.99 ≠ 1.
        InvalidCase(
            id: "weights sum to 0.99", edits: [.set("risk.weights.history", "0.29")], paths: ["risk.weights"]),
        // Sum still 1, but only power/discretion/history are allowed.
        InvalidCase(
            id: "extra weight key",
            edits: [.replace(#""history": 0.30}"#, #""history": 0.30, "size": 0}"#)],
            paths: ["risk.weights.size"]),
        // -0.05 + 0.25 + 0.8 = 1, but a weight may not be negative.
        InvalidCase(
            id: "negative weight",
            edits: [.set("risk.weights.power", "-0.05"), .set("risk.weights.history", "0.8")],
            paths: ["risk.weights.power"]),
        InvalidCase(
            id: "missing weight", edits: [.remove("risk.weights.discretion")], paths: ["risk.weights.discretion"]),
        InvalidCase(
            id: "power kind weight 1.5", edits: [.set("risk.power_kinds.行政许可", "1.5")],
            paths: ["risk.power_kinds.行政许可"]),
        InvalidCase(
            id: "status_factors missing 待核实", edits: [.remove("risk.status_factors.待核实")],
            paths: ["risk.status_factors.待核实"]),
        // verified is 属实 again.
        InvalidCase(
            id: "status given twice",
            edits: [.replace(#""不属实": 0.0}"#, #""不属实": 0.0, "Verified": 1}"#)],
            paths: ["risk.status_factors.Verified"]),
        InvalidCase(
            id: "unknown status key",
            edits: [.replace(#""不属实": 0.0}"#, #""不属实": 0.0, "已办结": 0}"#)],
            paths: ["risk.status_factors.已办结"]),
        InvalidCase(
            id: "status factor 1.2", edits: [.set("risk.status_factors.部分属实", "1.2")],
            paths: ["risk.status_factors.部分属实"]),
        InvalidCase(
            id: "negative incident kind", edits: [.set("risk.incident_kinds.投诉", "-1")],
            paths: ["risk.incident_kinds.投诉"]),
        InvalidCase(id: "amount_cap 0", edits: [.set("risk.amount_cap", "0")], paths: ["risk.amount_cap"]),
        InvalidCase(id: "half_life_years -2", edits: [.set("risk.half_life_years", "-2")], paths: ["risk.half_life_years"]),
        InvalidCase(id: "bonus_cap 0", edits: [.set("assessment.bonus_cap", "0")], paths: ["assessment.bonus_cap"]),
        InvalidCase(
            id: "deduction_cap 0", edits: [.set("assessment.deduction_cap", "0")], paths: ["assessment.deduction_cap"]),
        // 90.505 has 3 decimal places.
        InvalidCase(
            id: "band min 90.505", edits: [.set("assessment.bands.0.min", "90.505")],
            paths: ["assessment.bands[0].min"]),
        // 25.000 has 3 decimal places as written, although it equals 25.
        InvalidCase(
            id: "indicator max 25.000", edits: [.set("assessment.indicators.0.max", "25.000")],
            paths: ["assessment.indicators[0].max"]),
        InvalidCase(
            id: "auto deduction 0.125", edits: [.set("assessment.auto_deductions.提醒谈话", "0.125")],
            paths: ["assessment.auto_deductions.提醒谈话"]),
        // 0.12345 has 5 decimal places; at most 4.
        InvalidCase(
            id: "quota share 0.12345", edits: [.set("assessment.quota.share", "0.12345")],
            paths: ["assessment.quota.share"]),
        InvalidCase(
            id: "quota share 1.5", edits: [.set("assessment.quota.share", "1.5")], paths: ["assessment.quota.share"]),
        // 不及格 is the last band.
        InvalidCase(
            id: "quota band is the last band", edits: [.set("assessment.quota.band", "不及格")],
            paths: ["assessment.quota.band"]),
        InvalidCase(
            id: "quota band unknown", edits: [.set("assessment.quota.band", "卓越")], paths: ["assessment.quota.band"]),
        // 高 is already 一级's alias.
        InvalidCase(
            id: "duplicate level alias", edits: [.set("levels.1.aliases.0", "高")], paths: ["levels[1].aliases[0]"]),
        InvalidCase(
            id: "alias equal to another level's name", edits: [.set("levels.2.aliases.0", "一级")],
            paths: ["levels[2].aliases[0]"]),
        InvalidCase(
            id: "duplicate band name", edits: [.set("assessment.bands.1.name", "优秀")],
            paths: ["assessment.bands[1].name"]),
        InvalidCase(
            id: "duplicate indicator", edits: [.set("assessment.indicators.1.name", "领导重视")],
            paths: ["assessment.indicators[1].name"]),
        InvalidCase(
            id: "auto_deductions unknown kind", edits: [.replace(#""提醒谈话": 0.5"#, #""约谈": 0.5"#)],
            paths: ["assessment.auto_deductions.约谈"]),
        InvalidCase(
            id: "veto_kinds unknown kind", edits: [.set("assessment.veto_kinds.0", "判刑")],
            paths: ["assessment.veto_kinds[0]"]),
        InvalidCase(
            id: "missing risk.half_life_years", edits: [.remove("risk.half_life_years")],
            paths: ["risk.half_life_years"]),
        InvalidCase(id: "missing quota", edits: [.remove("assessment.quota")], paths: ["assessment.quota"]),
        InvalidCase(id: "missing flags", edits: [.remove("flags")], paths: ["flags"]),
        InvalidCase(
            id: "string instead of number", edits: [.set("risk.amount_cap", #""10000""#)], paths: ["risk.amount_cap"]),
        InvalidCase(id: "word instead of number", edits: [.set("flags.peer_z", "high")], paths: ["flags.peer_z"]),
        InvalidCase(id: "number instead of string", edits: [.set("name", "2025")], paths: ["name"]),
        InvalidCase(id: "peer_min_group 2.5", edits: [.set("flags.peer_min_group", "2.5")], paths: ["flags.peer_min_group"]),
        InvalidCase(
            id: "boilerplate_min_posts 0", edits: [.set("flags.boilerplate_min_posts", "0")],
            paths: ["flags.boilerplate_min_posts"]),
        InvalidCase(id: "negative score_jump", edits: [.set("flags.score_jump", "-1")], paths: ["flags.score_jump"]),
        // Level floors.
        InvalidCase(
            id: "floor: unknown power kind",
            edits: [.set("level_floors", #"[{"level": "一级", "power_kinds": ["行政许可", "行政许可证"]}]"#)],
            paths: ["level_floors[0].power_kinds[1]"]),
        InvalidCase(
            id: "floor: two conditions",
            edits: [.set("level_floors", #"[{"level": "二级", "key_decisions": true, "power_kinds": ["监督检查"]}]"#)],
            paths: ["level_floors[0]"]),
        InvalidCase(
            id: "floor: no condition", edits: [.set("level_floors", #"[{"level": "二级"}]"#)],
            paths: ["level_floors[0]"]),
        InvalidCase(
            id: "floor: statuses without incident_kinds",
            edits: [.set("level_floors", #"[{"level": "二级", "key_decisions": true, "statuses": ["属实"]}]"#)],
            paths: ["level_floors[0].statuses"]),
        InvalidCase(
            id: "floor: within_years without incident_kinds",
            edits: [.set("level_floors", #"[{"level": "二级", "key_decisions": true, "within_years": 3}]"#)],
            paths: ["level_floors[0].within_years"]),
        InvalidCase(
            id: "floor: within_years 0",
            edits: [
                .set(
                    "level_floors",
                    #"[{"level": "一级", "incident_kinds": ["司法追究"], "statuses": ["属实"], "within_years": 0}]"#)
            ],
            paths: ["level_floors[0].within_years"]),
        InvalidCase(
            id: "floor: incident_kinds without statuses",
            edits: [.set("level_floors", #"[{"level": "一级", "incident_kinds": ["司法追究"], "within_years": 3}]"#)],
            paths: ["level_floors[0].statuses"]),
        InvalidCase(
            id: "floor: unknown status",
            edits: [
                .set(
                    "level_floors",
                    #"[{"level": "一级", "incident_kinds": ["司法追究"], "statuses": ["confirmed"], "within_years": 3}]"#)
            ],
            paths: ["level_floors[0].statuses[0]"]),
        InvalidCase(
            id: "floor: unknown incident kind",
            edits: [
                .set(
                    "level_floors",
                    #"[{"level": "一级", "incident_kinds": ["受贿"], "statuses": ["属实"], "within_years": 3}]"#)
            ],
            paths: ["level_floors[0].incident_kinds[0]"]),
        InvalidCase(
            id: "floor: unknown level", edits: [.set("level_floors", #"[{"level": "四级", "key_decisions": true}]"#)],
            paths: ["level_floors[0].level"]),
        InvalidCase(
            id: "floor: key_decisions false",
            edits: [.set("level_floors", #"[{"level": "二级", "key_decisions": false}]"#)],
            paths: ["level_floors[0].key_decisions"]),
        InvalidCase(
            id: "floor: other key",
            edits: [.set("level_floors", #"[{"level": "二级", "key_decisions": true, "note": "三重一大"}]"#)],
            paths: ["level_floors[0].note"]),
        InvalidCase(
            id: "floor: empty power_kinds", edits: [.set("level_floors", #"[{"level": "一级", "power_kinds": []}]"#)],
            paths: ["level_floors[0].power_kinds"]),
        // Issues are collected in reading order: levels, level_floors, risk, assessment, flags.
        InvalidCase(
            id: "several problems at once",
            edits: [
                .set("flags.peer_z", "0"), .set("assessment.bonus_cap", "0"), .set("assessment.quota.share", "2"),
                .set("level_floors", #"[{"level": "四级", "key_decisions": true}]"#),
            ],
            paths: ["level_floors[0].level", "assessment.bonus_cap", "assessment.quota.share", "flags.peer_z"]),
    ]

    @Test(arguments: invalidCases)
    func invalidScheme(_ testCase: InvalidCase) throws {
        let json = try editedDefault(testCase.edits)
        let issues = schemeIssues(json)
        #expect(issues.map(\.path) == testCase.paths)
        for issue in issues {
            // Chinese first, English in parentheses.
            #expect(issue.message.unicodeScalars.first.map { $0.value > 0x2E80 } == true, "\(issue)")
            #expect(issue.message.hasSuffix(")"), "\(issue)")
        }
    }

    @Test func issueMessageFormat() throws {
        let issues = schemeIssues(try editedDefault([.set("assessment.bands.2.min", "85")]))
        #expect(issues.map(\.description) == ["assessment.bands[2].min: 档次下限必须严格递减 (must be strictly decreasing)"])
        let error = LianzhengError.invalidScheme(source: "alt.json", issues)
        #expect(error.description.hasPrefix("alt.json: assessment.bands[2].min: 档次下限必须严格递减"))
    }

    @Test func syntaxErrorIsReportedWithLineAndColumn() {
        // `,` then `}` on line 3: the error points at the `}` (line 3, column 1).
        #expect {
            _ = try SchemeParser.parse(text: "{\n  \"name\": 1,\n}", source: "bad.json")
        } throws: { error in
            guard case LianzhengError.invalidScheme("bad.json", let issues) = error else { return false }
            return issues.count == 1 && issues[0].path.isEmpty && issues[0].message.contains("第 3 行第 1 列")
        }
    }

    @Test func rootMustBeAnObject() {
        #expect(schemeIssues(.array([])).map(\.path) == [""])
    }

    @Test func missingSchemeFileIsMissingInput() {
        #expect {
            _ = try SchemeParser.load(contentsOf: "/nonexistent/scheme.json")
        } throws: { error in
            (error as? LianzhengError)?.exitCode == 66
        }
    }

    // MARK: Accepted variations

    @Test func englishStatusKeysAreAcceptedCaseInsensitively() throws {
        let json = try editedDefault([
            .replace(
                #"{"属实": 1.0, "部分属实": 0.6, "待核实": 0.3, "不属实": 0.0}"#,
                #"{"Verified": 1.0, "PARTIAL": 0.6, "pending": 0.3, "unfounded": 0.0}"#)
        ])
        let (scheme, _) = try SchemeParser.parse(json: json, source: "t")
        #expect(scheme.risk.statusFactors == [1.0, 0.6, 0.3, 0.0])
    }

    @Test func unknownKeysAreWarnings() throws {
        let json = try editedDefault([
            .replace(#""version": "1.0","#, #""version": "1.0", "comment": "试行","#),
            .replace(#""history_scale": 5,"#, #""history_scale": 5, "note": 1,"#),
        ])
        let (scheme, warnings) = try SchemeParser.parse(json: json, source: "t")
        #expect(warnings == ["comment: 未知的键，已忽略 (unknown key ignored)", "risk.note: 未知的键，已忽略 (unknown key ignored)"])
        // Unknown keys are part of the document, so of its fingerprint.
        #expect(scheme.fingerprint != Scheme.default.fingerprint)
    }

    @Test func deductionCapAndNullQuota() throws {
        let json = try editedDefault([.set("assessment.deduction_cap", "10.5"), .set("assessment.quota", "null")])
        let (scheme, _) = try SchemeParser.parse(json: json, source: "t")
        // 10.5 points = 1050 hundredths.
        #expect(scheme.assessment.deductionCap == 1050)
        #expect(scheme.assessment.quota == nil)
    }

    /// Level names are free and may run Ⅲ级 (most severe) … Ⅰ级.
    @Test func levelNamesAreFree() throws {
        let json = try editedDefault([
            .set("levels.0.name", "Ⅲ级"), .set("levels.2.name", "Ⅰ级"), .set("levels.1.name", "Ⅱ级"),
            .set("levels.0.aliases", "[]"), .set("levels.1.aliases", "[]"), .set("levels.2.aliases", #"["低风险"]"#),
            .set(
                "level_floors",
                #"[{"level": "低风险", "key_decisions": true}, {"level": "Ⅲ级", "incident_kinds": ["司法追究"], "statuses": ["属实", "Partial"], "within_years": 2.5}]"#
            ),
        ])
        let (scheme, _) = try SchemeParser.parse(json: json, source: "t")
        #expect(scheme.levels.map(\.name) == ["Ⅲ级", "Ⅱ级", "Ⅰ级"])
        // 低风险 is the alias of level index 2; 司法追究 is incident kind 9.
        #expect(
            scheme.levelFloors == [
                LevelFloor(level: 2, condition: .keyDecisions),
                LevelFloor(
                    level: 0, condition: .incidents(kinds: [9], statuses: [.verified, .partial], withinYears: 2.5)),
            ])
    }

    // MARK: Exact decimals

    struct DecimalCase: Sendable, CustomTestStringConvertible {
        var literal: String
        var places: Int
        /// ceil(value × 100), nil when it does not fit in Int64.
        var hundredths: Int64?
        var testDescription: String { literal }
    }

    static let decimalCases: [DecimalCase] = [
        DecimalCase(literal: "90", places: 0, hundredths: 9000),  // 90 × 100
        DecimalCase(literal: "0.5", places: 1, hundredths: 50),  // 0.5 × 100
        DecimalCase(literal: "1e2", places: 0, hundredths: 10000),  // 100 × 100
        DecimalCase(literal: "69.995", places: 3, hundredths: 7000),  // 6999.5 → ceil 7000
        DecimalCase(literal: "69.994", places: 3, hundredths: 7000),  // 6999.4 → ceil 7000
        DecimalCase(literal: "69.99", places: 2, hundredths: 6999),  // exact
        DecimalCase(literal: "90.500", places: 3, hundredths: 9050),  // 3 places as written
        DecimalCase(literal: "9.05e1", places: 1, hundredths: 9050),  // 90.5
        DecimalCase(literal: "1E-2", places: 2, hundredths: 1),  // 0.01
        DecimalCase(literal: "0.001", places: 3, hundredths: 1),  // 0.1 → ceil 1
        DecimalCase(literal: "-0.5", places: 1, hundredths: -50),
        DecimalCase(literal: "-0.001", places: 3, hundredths: 0),  // -0.1 → ceil 0
        DecimalCase(literal: "0", places: 0, hundredths: 0),
        DecimalCase(literal: "0e-7", places: 7, hundredths: 0),
        DecimalCase(literal: "40.01", places: 2, hundredths: 4001),
        // 92233720368547758 × 100 = 9223372036854775800 ≤ Int64.max (…807).
        DecimalCase(literal: "92233720368547758", places: 0, hundredths: 9_223_372_036_854_775_800),
        // 92233720368547759 × 100 = 9223372036854775900 > Int64.max.
        DecimalCase(literal: "92233720368547759", places: 0, hundredths: nil),
        DecimalCase(literal: "1e300", places: 0, hundredths: nil),
    ]

    @Test(arguments: decimalCases)
    func exactHundredths(_ testCase: DecimalCase) throws {
        let exact = try #require(DecimalLiteral(testCase.literal))
        #expect(exact.decimalPlaces == testCase.places)
        #expect(exact.ceiling(scaledBy: 2) == testCase.hundredths)
    }

    @Test func thresholdsAreConvertedExactly() throws {
        let json = try editedDefault([
            .set("levels.0.min_score", "69.995"), .set("flags.score_jump", "19.991"),
            .set("assessment.bands.0.min", "9.05e1"), .set("assessment.quota.share", "0.1234"),
        ])
        let (scheme, _) = try SchemeParser.parse(json: json, source: "t")
        // 69.995 × 100 = 6999.5 → ceil 7000; as binary64 69.995 is 69.99499999…
        #expect(scheme.levels[0].minScoreHundredths == 7000)
        #expect(scheme.levels[0].minScore == 69.995)
        // 19.991 × 100 = 1999.1 → ceil 2000.
        #expect(scheme.flags.scoreJumpHundredths == 2000)
        // 9.05e1 = 90.5 (1 decimal place) → 9050.
        #expect(scheme.assessment.bands[0].min == 9050)
        // 0.1234 → 1234 ten-thousandths.
        #expect(scheme.assessment.quota?.shareTenThousandths == 1234)
    }

    @Test(arguments: [("0", Int64(0)), ("1", 10000), ("0.5", 5000), ("1e-4", 1)])
    func quotaShareBounds(share: String, tenThousandths: Int64) throws {
        let json = try editedDefault([.set("assessment.quota.share", share)])
        #expect(try SchemeParser.parse(json: json, source: "t").scheme.assessment.quota?.shareTenThousandths == tenThousandths)
    }

    // MARK: Quota allowance

    /// share 0.15: floor(0.15n + 0.5).
    @Test(arguments: [
        (1, 0),  // 0.15 + 0.5 = 0.65 → 0
        (3, 0),  // 0.45 + 0.5 = 0.95 → 0
        (4, 1),  // 0.60 + 0.5 = 1.10 → 1
        (7, 1),  // 1.05 + 0.5 = 1.55 → 1
        (10, 2),  // 1.50 + 0.5 = 2.00 → 2 (exactly; binary64 could give 1.999…)
        (0, 0),
    ])
    func quotaAllowance(groupSize: Int, allowance: Int) {
        #expect(Quota(band: 0, shareTenThousandths: 1500).allowance(groupSize: groupSize) == allowance)
    }

    // MARK: JSON parser

    struct SyntaxCase: Sendable, CustomTestStringConvertible {
        var id: String
        var bytes: [UInt8]
        /// Expected 0-based byte offset of the error.
        var offset: Int
        var testDescription: String { id }

        init(_ id: String, _ text: String, offset: Int) {
            self.id = id
            self.bytes = Array(text.utf8)
            self.offset = offset
        }

        init(_ id: String, bytes: [UInt8], offset: Int) {
            self.id = id
            self.bytes = bytes
            self.offset = offset
        }
    }

    static let syntaxCases: [SyntaxCase] = [
        SyntaxCase("empty", "", offset: 0),
        SyntaxCase("only spaces", "  \n ", offset: 4),
        SyntaxCase("depth 65", String(repeating: "[", count: 65) + String(repeating: "]", count: 65), offset: 64),
        // {"a":1,"a":2}: the second key starts at byte 7.
        SyntaxCase("duplicate key", #"{"a":1,"a":2}"#, offset: 7),
        SyntaxCase("trailing comma in array", "[1,2,]", offset: 5),
        SyntaxCase("trailing comma in object", #"{"a":1,}"#, offset: 7),
        SyntaxCase("bad escape \\x", #"["\x"]"#, offset: 2),
        SyntaxCase("short \\u escape", #"["\u12"]"#, offset: 2),
        SyntaxCase("lone high surrogate", #"["\uD800"]"#, offset: 2),
        SyntaxCase("high surrogate then letter", #"["\uD800\u0041"]"#, offset: 8),
        SyntaxCase("lone low surrogate", #"["\uDC00"]"#, offset: 2),
        SyntaxCase("raw tab in string", "[\"a\tb\"]", offset: 3),
        SyntaxCase("unterminated string", #"["abc"#, offset: 5),
        SyntaxCase("leading zero", "[01]", offset: 1),
        SyntaxCase("negative leading zero", "-01", offset: 0),
        SyntaxCase("point without digits", "1.", offset: 2),
        SyntaxCase("leading point", ".5", offset: 0),
        SyntaxCase("plus sign", "+1", offset: 0),
        SyntaxCase("empty exponent", "1e", offset: 2),
        SyntaxCase("lone minus", "-", offset: 1),
        SyntaxCase("NaN", "NaN", offset: 0),
        SyntaxCase("Infinity", "[-Infinity]", offset: 2),
        SyntaxCase("out of binary64 range", "[1e400]", offset: 1),
        SyntaxCase("trailing garbage", "{} x", offset: 3),
        SyntaxCase("two values", "1 2", offset: 2),
        SyntaxCase("single quotes", "['a']", offset: 1),
        SyntaxCase("bad literal", "[tru]", offset: 1),
        SyntaxCase("comment", "// x\n{}", offset: 0),
        SyntaxCase("missing colon", #"{"a" 1}"#, offset: 5),
        SyntaxCase("unquoted key", "{a:1}", offset: 1),
        // "\xC3(": a two-byte lead followed by a non-continuation byte.
        SyntaxCase("invalid UTF-8", bytes: [0x22, 0xC3, 0x28, 0x22], offset: 1),
        // C0 AF is an overlong '/'.
        SyntaxCase("overlong UTF-8", bytes: [0x22, 0xC0, 0xAF, 0x22], offset: 1),
        // ED A0 80 would be the surrogate U+D800.
        SyntaxCase("UTF-8 surrogate", bytes: [0x22, 0xED, 0xA0, 0x80, 0x22], offset: 1),
        SyntaxCase("non-ASCII outside string", "[中]", offset: 1),
    ]

    @Test(arguments: syntaxCases)
    func syntaxError(_ testCase: SyntaxCase) {
        #expect {
            _ = try JSONValue(parsing: testCase.bytes)
        } throws: { error in
            (error as? JSONSyntaxError)?.offset == testCase.offset
        }
    }

    @Test func depthLimitAllows64() throws {
        let text = String(repeating: "[", count: 64) + String(repeating: "]", count: 64)
        var value = try JSONValue(parsing: text)
        var depth = 0
        while case .array(let elements) = value {
            depth += 1
            value = elements.first ?? .null
        }
        #expect(depth == 64)
    }

    @Test func errorLineAndColumnCountCharacters() throws {
        // Line 2 is `  "x" "y"}`: the second string starts at column 7.
        let error1 = try #require(throws: JSONSyntaxError.self) { try JSONValue(parsing: "{\"名称\":\n  \"x\" \"y\"}") }
        #expect((error1.line, error1.column) == (2, 7))
        // `["中文", x]`: x is the 8th character but byte 11 (中, 文 take 3 bytes each).
        let error2 = try #require(throws: JSONSyntaxError.self) { try JSONValue(parsing: "[\"中文\", x]") }
        #expect((error2.offset, error2.line, error2.column) == (11, 1, 8))
        #expect(error2.description.hasPrefix("1:8: "))
    }

    @Test(arguments: [
        (#""\uD83D\uDE00""#, "😀"),  // surrogate pair → U+1F600
        (#""\u4e2d\u6587""#, "中文"),
        (#""\"\\\/\b\f\n\r\t""#, "\"\\/\u{8}\u{C}\n\r\t"),
        (#""\u0000""#, "\u{0}"),
        ("\"中文 ok\"", "中文 ok"),
    ])
    func stringEscapes(json: String, expected: String) throws {
        #expect(try JSONValue(parsing: json) == .string(expected))
    }

    @Test func parsedValuesKeepLiteralsAndOrder() throws {
        let value = try JSONValue(parsing: "\u{FEFF} {\"b\": [-0.0e+00, true, null], \"a\": {}} ")
        #expect(value == .object([("b", .array([.number("-0.0e+00"), .bool(true), .null])), ("a", .object([]))]))
        #expect(value != .object([("a", .object([])), ("b", .array([.number("-0.0e+00"), .bool(true), .null]))]))
        #expect(JSONValue.number("70") != .number("70.0"))
    }

    /// Seeded byte mutations of the default scheme: every result is a scheme or
    /// an `invalidScheme` error, never a crash; accepted documents keep their
    /// canonical text through a re-parse.
    @Test(arguments: [UInt64(1), 2, 3, 4])
    func mutatedSchemesNeverCrash(seed: UInt64) throws {
        var random = SeededGenerator(seed: seed)
        let original = Array(SchemeParser.defaultSchemeText.utf8)
        let alphabet = Array(#"{}[]",:.-+eE0123456789 \u"#.utf8) + [0x00, 0x80, 0xC3, 0xE4, 0xFF]
        for _ in 0..<300 {
            var bytes = original
            for _ in 0..<Int.random(in: 1...4, using: &random) {
                let index = Int.random(in: 0..<bytes.count, using: &random)
                switch Int.random(in: 0..<3, using: &random) {
                case 0: bytes[index] = alphabet.randomElement(using: &random)!
                case 1: bytes.remove(at: index)
                default: bytes.insert(alphabet.randomElement(using: &random)!, at: index)
                }
            }
            do {
                let (scheme, _) = try SchemeParser.parse(bytes: bytes, source: "fuzz")
                let again = try JSONValue(parsing: scheme.canonicalJSON)
                #expect(again.canonicalText == scheme.canonicalJSON, "seed \(seed)")
            } catch {
                guard case .invalidScheme(_, let issues)? = error as? LianzhengError, !issues.isEmpty else {
                    Issue.record("seed \(seed): unexpected \(error)")
                    return
                }
            }
        }
    }

    // MARK: Canonical text

    @Test(arguments: [
        ("70", "70"), ("70.0", "70"), ("7e1", "70"), ("0.7E+2", "70"),
        ("0.45", "0.45"), ("0.30", "0.3"), ("-2.50", "-2.5"), ("100", "100"),
        ("0", "0"), ("-0", "0"), ("-0.0", "0"),
        ("1e-5", "0.00001"), ("2.5e-3", "0.0025"),
        // 1.5 × 10^16 has 17 digits.
        ("1.5e16", "15000000000000000"),
        ("1e21", "1000000000000000000000"),
        // Not representable: the nearest binary64 prints as the shortest string that reads back.
        ("0.1", "0.1"), ("0.30000000000000004", "0.30000000000000004"),
        // 2^53 + 1 rounds to 2^53 = 9007199254740992.
        ("9007199254740993", "9007199254740992"),
    ])
    func canonicalNumber(literal: String, expected: String) {
        #expect(JSONValue.number(literal).canonicalText == expected)
    }

    @Test func canonicalTextSortsKeysByBytesAndEscapesMinimally() throws {
        let value = try JSONValue(parsing: #"{"中": null, "b": [1, 2.50, 7e1], "a": "x\ny\"\\/é\u0001", "Z": true}"#)
        // Bytes: "Z" 0x5A < "a" 0x61 < "b" 0x62 < "中" 0xE4…; \n → \u000a, \u0001 stays escaped,
        // "/" and "é" are written as themselves.
        #expect(value.canonicalText == #"{"Z":true,"a":"x\u000ay\"\\/é\u0001","b":[1,2.5,70],"中":null}"#)
        // The canonical text parses back to itself.
        #expect(try JSONValue(parsing: value.canonicalText).canonicalText == value.canonicalText)
    }

    // MARK: Path editing

    @Test func settingValues() throws {
        let json = try JSONValue(parsing: SchemeParser.defaultSchemeText)
        #expect(try json.setting(path: "assessment.bands.0.min", to: "88")["assessment"]?["bands"]?.arrayElements?[0]["min"] == .number("88"))
        #expect(try json.setting(path: "risk.power_kinds.行政许可", to: "0.8")["risk"]?["power_kinds"]?["行政许可"] == .number("0.8"))
        // Not JSON → taken as a string; JSON string → its content.
        #expect(try json.setting(path: "name", to: "新方案")["name"] == .string("新方案"))
        #expect(try json.setting(path: "name", to: #""2025""#)["name"] == .string("2025"))
        #expect(try json.setting(path: "assessment.quota", to: "null")["assessment"]?["quota"] == .null)
        // The edited scheme validates and carries the new value: 88 → 8800 hundredths.
        let edited = try SchemeParser.parse(json: json.setting(path: "assessment.bands.0.min", to: "88"), source: "--set")
        #expect(edited.scheme.assessment.bands[0].min == 8800)
        // Key order is kept.
        #expect(try json.setting(path: "version", to: "2.0").objectMembers?.map(\.key) == json.objectMembers?.map(\.key))
    }

    @Test(arguments: [
        "assessment.bands.9.min",  // index out of range (4 bands)
        "assessment.bands.x.min",  // not an index
        "assessment.bands.-1.min",
        "assessment.bands.+1.min",
        "risk.weights.size",  // no such key
        "risk.amount_cap.x",  // a number has no members
        "assessment.quota.share.0",
        "Risk.weights",  // keys are case-sensitive
        "",
        "risk..weights",
        "risk.weights.",
    ])
    func settingUnknownPath(path: String) throws {
        let json = try JSONValue(parsing: SchemeParser.defaultSchemeText)
        let issue = try #require(throws: SchemeIssue.self) { try json.setting(path: path, to: "1") }
        #expect(issue.path == path)
        #expect(!issue.message.isEmpty)
    }

    @Test func removingValues() throws {
        let json = try JSONValue(parsing: #"{"a": [1, 2, 3], "b": {"c": 1, "d": 2}}"#)
        #expect(try json.removing(path: "a.1") == JSONValue(parsing: #"{"a": [1, 3], "b": {"c": 1, "d": 2}}"#))
        #expect(try json.removing(path: "b.c") == JSONValue(parsing: #"{"a": [1, 2, 3], "b": {"d": 2}}"#))
        #expect(throws: SchemeIssue.self) { try json.removing(path: "b.e") }
    }
}

/// SplitMix64: a small repeatable generator for seeded tests.
struct SeededGenerator: RandomNumberGenerator {
    var state: UInt64

    init(seed: UInt64) {
        state = seed
    }

    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}
