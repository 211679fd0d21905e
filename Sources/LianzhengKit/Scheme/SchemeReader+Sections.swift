/// The names other sections refer to, read leniently from the raw document
/// so that references are checked even when their own section has errors.
///
/// Each name maps to its position (the first, when repeated), so that a
/// scheme of thousands of kinds is checked in time linear in its size.
struct SchemeNames {
    /// Level name or alias → level index; nil when `levels` is not an array.
    var levels: [String: Int]?
    /// Power kind → index in scheme order.
    var powerKinds: [String: Int]?
    /// Incident kind → index in scheme order.
    var incidentKinds: [String: Int]?

    init(_ json: JSONValue) {
        levels = json["levels"]?.arrayElements.map { elements in
            var index: [String: Int] = [:]
            for (k, level) in elements.enumerated() {
                let name = level["name"]?.stringValue.map { [$0] } ?? []
                for text in name + (level["aliases"]?.arrayElements?.compactMap(\.stringValue) ?? []) where index[text] == nil {
                    index[text] = k
                }
            }
            return index
        }
        powerKinds = json["risk"]?["power_kinds"]?.objectMembers.map(Self.positions)
        incidentKinds = json["risk"]?["incident_kinds"]?.objectMembers.map(Self.positions)
    }

    private static func positions(_ members: [(key: String, value: JSONValue)]) -> [String: Int] {
        var index: [String: Int] = [:]
        for (k, member) in members.enumerated() where index[member.key] == nil { index[member.key] = k }
        return index
    }

    func levelIndex(_ text: String) -> Int? {
        levels?[text]
    }
}

extension SchemeReader {
    /// Reads and validates a whole scheme document (SPEC §3).
    mutating func readScheme(_ json: JSONValue) -> Scheme? {
        guard let root = object(json, at: .root) else { return nil }
        warnUnknownKeys(
            root, known: ["name", "version", "levels", "level_floors", "risk", "assessment", "flags"])
        let names = SchemeNames(json)
        let name = string("name", in: root)
        let version = string("version", in: root)
        let levels = readLevels(in: root)
        let floors = readFloors(in: root, names: names)
        let risk = object("risk", in: root).flatMap { readRisk($0) }
        let assessment = object("assessment", in: root).flatMap { readAssessment($0, names: names) }
        let flags = object("flags", in: root).flatMap { readFlags($0) }
        guard issues.isEmpty, let name, let version, let levels, let floors, let risk, let assessment, let flags
        else { return nil }
        let canonical = json.canonicalText
        return Scheme(
            name: name, version: version, levels: levels, levelFloors: floors, risk: risk,
            assessment: assessment, flags: flags, canonicalJSON: canonical, fingerprint: SHA256.hex(of: canonical))
    }

    // MARK: Levels

    mutating func readLevels(in root: SchemeObject) -> [RiskLevel]? {
        let path = root.path.member("levels")
        guard let elements = array("levels", in: root, nonEmpty: true) else { return nil }
        var levels: [RiskLevel] = []
        var thresholds: [(hundredths: Int64, isZero: Bool)?] = []
        var names: [(name: String, path: SchemePath)] = []
        for (index, element) in elements.enumerated() {
            let read = readLevel(element, at: path.element(index), names: &names)
            thresholds.append(read.map { ($0.level.minScoreHundredths, $0.isZero) })
            if let level = read?.level { levels.append(level) }
        }
        let thresholdPaths = elements.indices.map { path.element($0).member("min_score") }
        checkDescending(thresholds, at: thresholdPaths, what: "等级")
        checkUnique(names)
        return levels.count == elements.count ? levels : nil
    }

    /// One level; its name and aliases are added to `names` for the uniqueness check.
    mutating func readLevel(
        _ value: JSONValue, at path: SchemePath, names: inout [(name: String, path: SchemePath)]
    ) -> (level: RiskLevel, isZero: Bool)? {
        guard let level = object(value, at: path) else { return nil }
        warnUnknownKeys(level, known: ["name", "aliases", "min_score", "supervisor"])
        let name = string("name", in: level, nonEmpty: true)
        if let name { names.append((name, path.member("name"))) }
        let aliases = strings(required("aliases", in: level), at: path.member("aliases"), nonEmpty: false)
        for (index, alias) in (aliases ?? []).enumerated() {
            names.append((alias, path.member("aliases").element(index)))
        }
        let minScore = threshold("min_score", in: level, .any)
        let supervisor = string("supervisor", in: level)
        guard let name, let aliases, let minScore, let supervisor else { return nil }
        let riskLevel = RiskLevel(
            name: name, aliases: aliases, minScore: minScore.value, minScoreHundredths: minScore.hundredths,
            supervisor: supervisor)
        return (riskLevel, minScore.isZero)
    }

    // MARK: Level floors

    mutating func readFloors(in root: SchemeObject, names: SchemeNames) -> [LevelFloor]? {
        let path = root.path.member("level_floors")
        guard let elements = array("level_floors", in: root, nonEmpty: false) else { return nil }
        let floors = elements.enumerated().map { index, element in
            readFloor(element, at: path.element(index), names: names)
        }
        let valid = floors.compactMap { $0 }
        return valid.count == floors.count ? valid : nil
    }

    /// One 最低等级规则: a level and exactly one condition (SPEC §3).
    mutating func readFloor(_ value: JSONValue, at path: SchemePath, names: SchemeNames) -> LevelFloor? {
        guard let floor = object(value, at: path) else { return nil }
        let conditionKeys = ["power_kinds", "key_decisions", "incident_kinds"]
        for (key, _) in floor.members where !(["level", "statuses", "within_years"] + conditionKeys).contains(key) {
            report(path.member(key), "最低等级规则中不允许此键 (unknown key in a level floor)")
        }
        let presentConditions = conditionKeys.filter { floor.contains($0) }
        if presentConditions.count != 1 {
            report(path, "必须恰好有一个条件：power_kinds、key_decisions 或 incident_kinds (exactly one condition required)")
        }
        if !floor.contains("incident_kinds") {
            for key in ["statuses", "within_years"] where floor.contains(key) {
                report(path.member(key), "只能与 incident_kinds 一起使用 (only allowed with incident_kinds)")
            }
        }
        let level = readFloorLevel(in: floor, names: names)
        var conditions: [LevelFloor.Condition?] = []
        if floor.contains("power_kinds") {
            conditions.append(readKindList("power_kinds", in: floor, kinds: names.powerKinds).map { .powerKinds($0) })
        }
        if let flag = floor["key_decisions"] {
            if flag != .bool(true) { report(path.member("key_decisions"), "必须为 true (must be true)") }
            conditions.append(flag == .bool(true) ? .keyDecisions : nil)
        }
        if floor.contains("incident_kinds") {
            conditions.append(readIncidentCondition(floor, names: names))
        }
        guard let level, conditions.count == 1, let condition = conditions[0] else { return nil }
        return LevelFloor(level: level, condition: condition)
    }

    mutating func readFloorLevel(in floor: SchemeObject, names: SchemeNames) -> Int? {
        guard let text = string("level", in: floor, nonEmpty: true) else { return nil }
        guard names.levels != nil else { return nil }  // `levels` itself is reported
        guard let index = names.levelIndex(text) else {
            report(floor.path.member("level"), "不是方案中的等级名称或别名：\"\(text)\" (not a level name or alias of the scheme)")
            return nil
        }
        return index
    }

    /// `incident_kinds` with its `statuses` and `within_years`.
    mutating func readIncidentCondition(_ floor: SchemeObject, names: SchemeNames) -> LevelFloor.Condition? {
        let kinds = readKindList("incident_kinds", in: floor, kinds: names.incidentKinds)
        let statusPath = floor.path.member("statuses")
        let statusTexts = strings(required("statuses", in: floor), at: statusPath, nonEmpty: true)
        var statuses: [IncidentStatus] = []
        for (index, text) in (statusTexts ?? []).enumerated() {
            if let status = IncidentStatus(text: text) {
                statuses.append(status)
            } else {
                report(statusPath.element(index), Self.unknownStatusMessage(text))
            }
        }
        let within = number("within_years", in: floor, .positive)
        guard let kinds, let statusTexts, statuses.count == statusTexts.count, let within else { return nil }
        return .incidents(kinds: kinds, statuses: statuses, withinYears: within)
    }

    /// A non-empty list of kinds of the scheme, as indices in scheme order.
    mutating func readKindList(_ key: String, in floor: SchemeObject, kinds: [String: Int]?) -> [Int]? {
        let path = floor.path.member(key)
        guard let texts = strings(floor[key], at: path, nonEmpty: true), let kinds else { return nil }
        let what = key == "power_kinds" ? "职权类别" : "问题线索类别"
        let english = key == "power_kinds" ? "not a power kind" : "not an incident kind"
        var indices: [Int] = []
        for (index, text) in texts.enumerated() {
            if let kind = kinds[text] {
                indices.append(kind)
            } else {
                report(path.element(index), "不是方案中的\(what)：\"\(text)\" (\(english) of the scheme)")
            }
        }
        return indices.count == texts.count ? indices : nil
    }

    static func unknownStatusMessage(_ text: String) -> String {
        "不是核实情况：\"\(text)\"，应为 属实/部分属实/待核实/不属实 或 verified/partial/pending/unfounded (not a status)"
    }

    // MARK: Risk

    mutating func readRisk(_ risk: SchemeObject) -> RiskRules? {
        warnUnknownKeys(
            risk,
            known: [
                "weights", "power_kinds", "amount_cap", "count_cap", "key_decisions_floor", "half_life_years",
                "window_years", "history_scale", "incident_kinds", "status_factors",
            ])
        let weights = object("weights", in: risk).flatMap { readWeights($0) }
        let powerKinds = object("power_kinds", in: risk).flatMap { readNamedWeights($0, .unitInterval) }
        let amountCap = number("amount_cap", in: risk, .positive)
        let countCap = number("count_cap", in: risk, .positive)
        let keyDecisionsFloor = number("key_decisions_floor", in: risk, .unitInterval)
        let halfLife = number("half_life_years", in: risk, .positive)
        let window = number("window_years", in: risk, .positive)
        let historyScale = number("history_scale", in: risk, .positive)
        let incidentKinds = object("incident_kinds", in: risk).flatMap { readNamedWeights($0, .nonNegative) }
        let statusFactors = object("status_factors", in: risk).flatMap { readStatusFactors($0) }
        guard let weights, let powerKinds, let amountCap, let countCap, let keyDecisionsFloor, let halfLife,
            let window, let historyScale, let incidentKinds, let statusFactors
        else { return nil }
        return RiskRules(
            weightPower: weights.power, weightDiscretion: weights.discretion, weightHistory: weights.history,
            powerKinds: powerKinds, amountCap: amountCap, countCap: countCap, keyDecisionsFloor: keyDecisionsFloor,
            halfLifeYears: halfLife, windowYears: window, historyScale: historyScale,
            incidentKinds: incidentKinds, statusFactors: statusFactors)
    }

    /// Exactly power/discretion/history, each ≥ 0, summing to 1 (±1e-9).
    mutating func readWeights(_ weights: SchemeObject) -> (power: Double, discretion: Double, history: Double)? {
        let known = ["power", "discretion", "history"]
        for (key, _) in weights.members where !known.contains(key) {
            report(weights.path.member(key), "权重只能是 power、discretion、history (unexpected weight)")
        }
        let power = number("power", in: weights, .nonNegative)
        let discretion = number("discretion", in: weights, .nonNegative)
        let history = number("history", in: weights, .nonNegative)
        guard let power, let discretion, let history else { return nil }
        let sum = power + discretion + history
        guard abs(sum - 1) <= 1e-9 else {
            report(weights.path, "三项权重之和必须为 1，实为 \(sum.shortestDecimal) (weights must sum to 1)")
            return nil
        }
        guard weights.members.count == known.count else { return nil }
        return (power, discretion, history)
    }

    /// A non-empty map of kind → weight satisfying `rule`, in scheme order.
    mutating func readNamedWeights(_ map: SchemeObject, _ rule: NumberRule) -> [NamedWeight]? {
        if map.members.isEmpty { report(map.path, "不能为空 (must not be empty)") }
        var result: [NamedWeight] = []
        for (key, value) in map.members {
            let path = map.path.member(key)
            if key.isEmpty { report(path, "名称不能为空 (name must not be empty)") }
            if let weight = number(value, at: path, rule) { result.append(NamedWeight(name: key, weight: weight)) }
        }
        let valid = !map.members.isEmpty && result.count == map.members.count && !map.members.contains { $0.key.isEmpty }
        return valid ? result : nil
    }

    /// Exactly the four statuses (Chinese names or English words), each in [0, 1],
    /// indexed by `IncidentStatus.rawValue`.
    mutating func readStatusFactors(_ map: SchemeObject) -> [Double]? {
        var factors = [Double?](repeating: nil, count: IncidentStatus.allCases.count)
        var seen: Set<IncidentStatus> = []
        var valid = true
        for (key, value) in map.members {
            let path = map.path.member(key)
            guard let status = IncidentStatus(text: key) else {
                report(path, Self.unknownStatusMessage(key))
                valid = false
                continue
            }
            guard seen.insert(status).inserted else {
                report(path, "核实情况 \(status.chineseName) 重复出现 (status given twice)")
                valid = false
                continue
            }
            factors[Int(status.rawValue)] = number(value, at: path, .unitInterval)
        }
        for status in IncidentStatus.allCases where !seen.contains(status) {
            report(map.path.member(status.chineseName), "缺少必需的核实情况 (required status missing)")
            valid = false
        }
        let values = factors.compactMap { $0 }
        return valid && values.count == factors.count ? values : nil
    }

    // MARK: Assessment

    mutating func readAssessment(_ assessment: SchemeObject, names: SchemeNames) -> AssessmentRules? {
        warnUnknownKeys(
            assessment,
            known: ["indicators", "bonus_cap", "deduction_cap", "auto_deductions", "veto_kinds", "bands", "quota"])
        let indicators = readIndicators(in: assessment)
        let bonusCap = points("bonus_cap", in: assessment, .positive)
        let deductionCap = readDeductionCap(in: assessment)
        let autoDeductions = object("auto_deductions", in: assessment).flatMap {
            readAutoDeductions($0, incidentKinds: names.incidentKinds)
        }
        let vetoKinds = readVetoKinds(in: assessment, incidentKinds: names.incidentKinds)
        let bands = readBands(in: assessment)
        let quota = readQuota(in: assessment, bands: bands)
        guard let indicators, let bonusCap, let deductionCap, let autoDeductions, let vetoKinds, let bands,
            let quota
        else { return nil }
        return AssessmentRules(
            indicators: indicators, bonusCap: bonusCap, deductionCap: deductionCap, autoDeductions: autoDeductions,
            vetoKinds: vetoKinds, bands: bands, quota: quota)
    }

    mutating func readIndicators(in assessment: SchemeObject) -> [Indicator]? {
        let path = assessment.path.member("indicators")
        guard let elements = array("indicators", in: assessment, nonEmpty: true) else { return nil }
        var indicators: [Indicator] = []
        var names: [(name: String, path: SchemePath)] = []
        for (index, element) in elements.enumerated() {
            guard let indicator = object(element, at: path.element(index)) else { continue }
            warnUnknownKeys(indicator, known: ["name", "max"])
            let name = string("name", in: indicator, nonEmpty: true)
            if let name { names.append((name, indicator.path.member("name"))) }
            let max = points("max", in: indicator, .positive)
            if let name, let max { indicators.append(Indicator(name: name, max: max)) }
        }
        checkUnique(names)
        return indicators.count == elements.count ? indicators : nil
    }

    /// `deduction_cap`: `null` (no cap) or points > 0. The outer optional is
    /// nil when invalid.
    mutating func readDeductionCap(in assessment: SchemeObject) -> Int64?? {
        guard let value = required("deduction_cap", in: assessment) else { return nil }
        if value == .null { return .some(nil) }
        guard let cap = points(value, at: assessment.path.member("deduction_cap"), .positive) else { return nil }
        return .some(cap)
    }

    mutating func readAutoDeductions(
        _ map: SchemeObject, incidentKinds: [String: Int]?
    ) -> [(kind: String, points: Int64)]? {
        var result: [(kind: String, points: Int64)] = []
        var valid = true
        for (key, value) in map.members {
            let path = map.path.member(key)
            if let incidentKinds, incidentKinds[key] == nil {
                report(path, "不是方案中的问题线索类别：\"\(key)\" (not an incident kind of the scheme)")
                valid = false
            }
            if let amount = points(value, at: path, .nonNegative) {
                result.append((key, amount))
            } else {
                valid = false
            }
        }
        return valid ? result : nil
    }

    mutating func readVetoKinds(in assessment: SchemeObject, incidentKinds: [String: Int]?) -> [String]? {
        let path = assessment.path.member("veto_kinds")
        guard let kinds = strings(required("veto_kinds", in: assessment), at: path, nonEmpty: false) else {
            return nil
        }
        var valid = true
        for (index, kind) in kinds.enumerated() where incidentKinds.map({ $0[kind] == nil }) ?? false {
            report(path.element(index), "不是方案中的问题线索类别：\"\(kind)\" (not an incident kind of the scheme)")
            valid = false
        }
        return valid ? kinds : nil
    }

    mutating func readBands(in assessment: SchemeObject) -> [Band]? {
        let path = assessment.path.member("bands")
        guard let elements = array("bands", in: assessment, nonEmpty: true) else { return nil }
        var bands: [Band?] = []
        var names: [(name: String, path: SchemePath)] = []
        for (index, element) in elements.enumerated() {
            guard let band = object(element, at: path.element(index)) else {
                bands.append(nil)
                continue
            }
            warnUnknownKeys(band, known: ["name", "min"])
            let name = string("name", in: band, nonEmpty: true)
            if let name { names.append((name, band.path.member("name"))) }
            let min = points("min", in: band, .any)
            bands.append(name.flatMap { name in min.map { Band(name: name, min: $0) } })
        }
        // Points have at most 2 places, so hundredths are exact and 0 means zero.
        let thresholds = bands.map { $0.map { (hundredths: $0.min, isZero: $0.min == 0) } }
        checkDescending(thresholds, at: elements.indices.map { path.element($0).member("min") }, what: "档次")
        checkUnique(names)
        let valid = bands.compactMap { $0 }
        return valid.count == elements.count ? valid : nil
    }

    /// `quota`: `null` (no quota) or a band that is not the last, with a share
    /// in [0, 1] of at most 4 decimal places. The outer optional is nil when invalid.
    mutating func readQuota(in assessment: SchemeObject, bands: [Band]?) -> Quota?? {
        guard let value = required("quota", in: assessment) else { return nil }
        if value == .null { return .some(nil) }
        guard let quota = object(value, at: assessment.path.member("quota")) else { return nil }
        warnUnknownKeys(quota, known: ["band", "share"])
        let bandName = string("band", in: quota, nonEmpty: true)
        var bandIndex: Int?
        if let bandName, let bands {
            let bandPath = quota.path.member("band")
            bandIndex = bands.firstIndex { $0.name == bandName }
            if bandIndex == nil {
                report(bandPath, "不是方案中的档次：\"\(bandName)\" (not a band of the scheme)")
            } else if bandIndex == bands.count - 1 {
                report(bandPath, "不能是最后一个档次 (must not be the last band)")
                bandIndex = nil
            }
        }
        let share = readShare(in: quota)
        guard let bandIndex, let share else { return nil }
        return .some(Quota(band: bandIndex, shareTenThousandths: share))
    }

    /// `quota.share` in ten-thousandths, exact.
    mutating func readShare(in quota: SchemeObject) -> Int64? {
        let path = quota.path.member("share")
        guard let exact = decimal(required("share", in: quota), at: path)?.exact else { return nil }
        guard exact.decimalPlaces <= 4 else {
            report(path, "比例最多四位小数，此处有 \(exact.decimalPlaces) 位 (at most 4 decimal places)")
            return nil
        }
        guard let share = scaledCeiling(exact, places: 4, at: path) else { return nil }
        guard (0...10_000).contains(share) else {
            report(path, NumberRule.unitInterval.message)
            return nil
        }
        return share
    }

    // MARK: Flags

    mutating func readFlags(_ flags: SchemeObject) -> FlagRules? {
        warnUnknownKeys(
            flags,
            known: [
                "peer_z", "peer_min_group", "peer_min_hraw", "score_jump", "rotation_years", "boilerplate_min_posts",
            ])
        let peerZ = number("peer_z", in: flags, .positive)
        let peerMinGroup = positiveInteger("peer_min_group", in: flags)
        let peerMinHraw = number("peer_min_hraw", in: flags, .nonNegative)
        let scoreJump = threshold("score_jump", in: flags, .nonNegative)
        let rotationYears = number("rotation_years", in: flags, .nonNegative)
        let boilerplateMinPosts = positiveInteger("boilerplate_min_posts", in: flags)
        guard let peerZ, let peerMinGroup, let peerMinHraw, let scoreJump, let rotationYears,
            let boilerplateMinPosts
        else { return nil }
        return FlagRules(
            peerZ: peerZ, peerMinGroup: peerMinGroup, peerMinHraw: peerMinHraw, scoreJump: scoreJump.value,
            scoreJumpHundredths: scoreJump.hundredths, rotationYears: rotationYears,
            boilerplateMinPosts: boilerplateMinPosts)
    }
}
