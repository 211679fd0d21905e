import Dispatch

/// scorecards.json (SPEC §7): everything the CSV files hold plus the
/// evidence behind it — itemised bonus and deduction reasons, missing
/// indicators, veto reasons, quota groups, peer statistics, supervisors per
/// level and the fingerprints — so every number can be re-derived by hand.
public enum ScorecardsJSON {
    public static func render(_ c: YearComputation, run: RunIdentity, units: [UnitsCSV.Row]) -> [UInt8] {
        let d = c.dataset
        let s = c.scheme
        var j = JSONWriter(reservingCapacity: 400 * d.posts.count + 4096)
        j.beginObject()
        j.field("format", "lianzheng-scorecards/1")
        j.field("year", number: c.year)
        j.field("run_id", run.runID)
        j.field("program_version", run.programVersion)
        j.field("dataset_fingerprint", run.datasetFingerprint)
        j.key("scheme")
        j.beginObject()
        j.field("name", s.name)
        j.field("version", s.version)
        j.field("fingerprint", s.fingerprint)
        j.endObject()
        j.key("levels")
        j.beginArray()
        for level in s.levels {
            j.beginObject()
            j.field("name", level.name)
            j.key("min_score"); j.number(level.minScore.shortestDecimal)
            j.field("supervisor", level.supervisor)
            j.endObject()
        }
        j.endArray()
        j.key("bands")
        j.beginArray()
        for band in s.assessment.bands {
            j.beginObject()
            j.field("name", band.name)
            j.field("min", hundredths: band.min)
            j.endObject()
        }
        j.endArray()
        writePosts(&j, c)
        writePeerGroups(&j, c)
        writeSubjects(&j, c)
        writeUnits(&j, c, units)
        j.endObject()
        return j.finish()
    }

    /// Posts as one row per line under `post_columns` (a million posts stay
    /// a file a reviewer can open), then every flag with its evidence.
    private static func writePosts(_ j: inout JSONWriter, _ c: YearComputation) {
        let d = c.dataset
        let s = c.scheme
        j.key("post_columns")
        j.beginArray()
        for name in ["post_id", "unit_id", "power", "discretion", "history_raw", "history", "score", "previous_score",
            "score_level", "level", "floor", "flags"] { j.string(name) }
        j.endArray()
        let levelNames = s.levels.map(\.name)
        j.key("posts")
        j.beginArray()
        for p in 0..<d.posts.count {
            j.beginArray()
            d.posts.id.withBytes(p) { j.string(bytes: $0) }
            d.units.id.withBytes(Int(d.posts.unit[p])) { j.string(bytes: $0) }
            j.fixed4(c.risk.power[p])
            j.fixed4(c.risk.discretion[p])
            j.fixed4(c.risk.historyRaw[p])
            j.fixed4(c.risk.history[p])
            j.hundredths(c.risk.score[p])
            if let previous = c.risk.previousScore { j.hundredths(previous[p]) } else { j.null() }
            j.string(levelNames[Int(c.risk.scoreLevel[p])])
            j.string(levelNames[Int(c.risk.level[p])])
            if c.risk.floor[p] == 0 { j.null() } else { j.number(Int(c.risk.floor[p])) }
            j.string(c.flags.flagCodes(post: p))
            j.endArray()
        }
        j.endArray()
        j.key("flag_codes")
        j.beginObject()
        for code in PostFlagCode.allCases { j.field(code.code, code.explanation) }
        j.endObject()
        j.key("flag_columns")
        j.beginArray()
        for name in ["post_id", "code", "value", "threshold", "reason"] { j.string(name) }
        j.endArray()
        j.key("flags")
        j.beginArray()
        for flag in c.flags.flags() {
            j.beginArray()
            j.string(flag.postID)
            j.string(flag.code.code)
            j.string(flag.value)
            j.string(flag.threshold)
            j.string(flag.reason)
            j.endArray()
        }
        j.endArray()
    }

    private static func writePeerGroups(_ j: inout JSONWriter, _ c: YearComputation) {
        j.key("peer_groups")
        j.beginArray()
        for group in c.flags.peers.groups {
            j.beginObject()
            j.field("category", group.category)
            j.field("size", number: group.size)
            j.key("median"); j.number(group.median.shortestDecimal)
            j.key("mad"); j.number(group.mad.shortestDecimal)
            j.key("mean_ad")
            if let m = group.meanAD { j.number(m.shortestDecimal) } else { j.null() }
            j.endObject()
        }
        j.endArray()
        j.key("peer_outliers")
        j.beginArray()
        for e in c.flags.peerOutliers() {
            j.beginObject()
            j.field("post_id", e.postID)
            j.field("category", e.group.category)
            j.key("history_raw"); j.number(e.historyRaw.shortestDecimal)
            j.key("z"); j.number(e.z.shortestDecimal)
            j.endObject()
        }
        j.endArray()
    }

    /// Subjects are the costly part (each scorecard gathers its rows and the
    /// incidents of a whole unit subtree), so they are written in parts on
    /// all cores and joined in order.
    private static func writeSubjects(_ j: inout JSONWriter, _ c: YearComputation) {
        let a = c.assessment
        j.key("subjects")
        j.beginArray()
        let parts = Swift.max(1, Swift.min(16, a.count / 256))
        let slots = ResultSlots<[UInt8]>(count: parts)
        DispatchQueue.concurrentPerform(iterations: parts) { k in
            var part = JSONWriter(fragmentIn: 2, continuing: k > 0, reservingCapacity: 600 * a.count / parts)
            writeSubjects(&part, c, from: a.count * k / parts, to: a.count * (k + 1) / parts)
            slots.set(k, part.bytes)
        }
        for part in slots.values { j.appendFragment(part!) }
        j.endArray()
    }

    private static func writeSubjects(_ j: inout JSONWriter, _ c: YearComputation, from: Int, to: Int) {
        let a = c.assessment
        for i in from..<to {
            let card = a.scorecard(at: i)
            j.beginObject()
            j.field("subject_type", card.type.englishName)
            j.field("subject_id", card.subjectID)
            j.field("base", hundredths: card.base)
            j.key("indicators")
            j.beginArray()
            for item in card.indicatorScores {
                j.beginObject(); j.field("indicator", item.indicator); j.field("score", hundredths: item.score); j.endObject()
            }
            j.endArray()
            j.key("missing_indicators")
            j.beginArray()
            for name in card.missingIndicators { j.string(name) }
            j.endArray()
            j.key("bonus_items")
            j.beginArray()
            for item in card.bonusItems {
                j.beginObject(); j.field("points", hundredths: item.points); j.field("reason", item.reason); j.endObject()
            }
            j.endArray()
            j.field("bonus_before_cap", hundredths: card.bonusSum)
            j.field("bonus", hundredths: card.bonus)
            j.key("deduction_items")
            j.beginArray()
            for item in card.deductionItems {
                j.beginObject(); j.field("points", hundredths: item.points); j.field("reason", item.reason); j.endObject()
            }
            j.endArray()
            j.key("automatic_deductions")
            j.beginArray()
            for item in card.automaticDeductionItems {
                j.beginObject()
                j.field("incident_id", item.incident.incidentID)
                j.field("post_id", item.incident.postID)
                j.field("kind", item.incident.kind)
                j.field("date", item.incident.dateText)
                j.field("points", hundredths: item.points)
                j.endObject()
            }
            j.endArray()
            j.field("deductions_before_cap", hundredths: card.deductionSum)
            j.field("deductions", hundredths: card.deductions)
            j.field("total", hundredths: card.total)
            j.field("veto", bool: card.veto)
            j.key("veto_reasons")
            j.beginArray()
            for reason in card.vetoReasons {
                switch reason {
                case .adjustment(let text, _): j.string("一票否决：\(text)")
                case .incident(let inc): j.string("\(inc.dateText) \(inc.kind)（\(inc.incidentID)，岗位 \(inc.postID)）属实")
                }
            }
            j.endArray()
            j.field("band", card.bandName)
            j.field("quota_status", card.quotaStatus.code)
            j.field("rank", number: card.rank)
            j.key("quota_group")
            j.beginObject()
            j.key("unit_id")
            if let g = card.groupUnitID { j.string(g) } else { j.null() }
            j.field("size", number: card.groupSize)
            j.key("allowance")
            if let n = card.allowance { j.number(n) } else { j.null() }
            j.endObject()
            j.endObject()
        }
    }

    private static func writeUnits(_ j: inout JSONWriter, _ c: YearComputation, _ rows: [UnitsCSV.Row]) {
        let d = c.dataset
        j.key("units")
        j.beginArray()
        for (u, row) in rows.enumerated() {
            j.beginObject()
            j.key("unit_id"); d.units.id.withBytes(u) { j.string(bytes: $0) }
            j.key("name"); d.units.name.withBytes(u) { j.string(bytes: $0) }
            j.key("parent_id")
            if d.units.parent[u] < 0 { j.null() } else { d.units.id.withBytes(Int(d.units.parent[u])) { j.string(bytes: $0) } }
            j.field("posts", number: row.posts)
            j.key("levels")
            j.beginObject()
            for (k, n) in row.perLevel.enumerated() { j.field(c.scheme.levels[k].name, number: n) }
            j.endObject()
            j.key("mean_score")
            if let m = row.meanScore { j.hundredths(m) } else { j.null() }
            j.key("max_score")
            if row.posts > 0 { j.hundredths(row.maxScore) } else { j.null() }
            j.field("flagged_posts", number: row.flaggedPosts)
            j.key("band")
            if let b = row.band { j.string(c.scheme.assessment.bands[b].name) } else { j.null() }
            j.endObject()
        }
        j.endArray()
    }
}
