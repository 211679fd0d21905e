import Dispatch

/// scorecards.json (SPEC §7): everything the CSV files hold plus the
/// evidence behind it — itemised bonus and deduction reasons, missing
/// indicators, veto reasons, quota groups, peer statistics, supervisors per
/// level and the fingerprints — so every number can be re-derived by hand.
public enum ScorecardsJSON {
    /// The file as consecutive chunks (the long arrays are written in parts,
    /// on all cores, and never copied into one buffer): the results of
    /// `RowJobs` (in job order) put together.
    static func assemble(_ jobs: RowJobs, run: RunIdentity, units: [UnitsCSV.Row], parts: [[UInt8]]) -> [[UInt8]] {
        let c = jobs.c
        let rows = RowParts(parts, jobs)
        let s = c.scheme
        var document: [[UInt8]] = []
        var j = JSONWriter(reservingCapacity: 1 << 16)
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
        writePosts(&j, c, rows, &document)
        writePeerGroups(&j, c)
        j.key("subjects")
        j.beginArray()
        j.appendFragments(rows.subjects, to: &document)
        j.endArray()
        writeUnits(&j, c, units)
        j.endObject()
        document.append(j.finish())
        return document
    }

    /// The rows of the three long arrays — posts, flags, subjects — as jobs
    /// that write one part each, for a fixed range of rows (so the bytes
    /// never depend on the thread count). Run them on all cores, alone
    /// (`render`) or with other work, and pass their results to `assemble`.
    struct RowJobs: Sendable {
        let c: YearComputation
        let postParts: [Range<Int>]
        let subjectParts: [Range<Int>]

        init(_ c: YearComputation) {
            self.c = c
            postParts = partRanges(c.dataset.posts.count, rowsPerPart: 16_384)
            subjectParts = partRanges(c.assessment.count, rowsPerPart: 4_096)
        }

        var count: Int { 2 * postParts.count + subjectParts.count }

        /// Part k. Subjects come first: they are the costliest rows (each
        /// scorecard gathers its rows and the incidents of a whole unit
        /// subtree).
        func run(_ k: Int) -> [UInt8] {
            // Room for a whole part (about 2-3 MB), so the buffer never regrows.
            var part = JSONWriter(fragmentIn: 2, reservingCapacity: 4 << 20)
            if k < subjectParts.count {
                writeSubjects(&part, c, subjectParts[k])
            } else if k < subjectParts.count + postParts.count {
                writePostRows(&part, c, postParts[k - subjectParts.count])
            } else {
                writeFlagRows(&part, c, postParts[k - subjectParts.count - postParts.count])
            }
            return part.bytes
        }
    }

    /// The results of `RowJobs`, by array.
    private struct RowParts {
        var posts: [[UInt8]]
        var flags: [[UInt8]]
        var subjects: [[UInt8]]

        init(_ parts: [[UInt8]], _ jobs: RowJobs) {
            let s = jobs.subjectParts.count
            let p = jobs.postParts.count
            precondition(parts.count == jobs.count, "parts of another computation")
            subjects = Array(parts[..<s])
            posts = Array(parts[s..<(s + p)])
            flags = Array(parts[(s + p)...])
        }
    }

    /// `0..<count` cut into ranges of `rowsPerPart` rows.
    private static func partRanges(_ count: Int, rowsPerPart: Int) -> [Range<Int>] {
        stride(from: 0, to: count, by: rowsPerPart).map { $0..<Swift.min(count, $0 + rowsPerPart) }
    }

    /// Posts as one row per line under `post_columns` (a million posts stay
    /// a file a reviewer can open), then every flag with its evidence.
    private static func writePosts(_ j: inout JSONWriter, _ c: YearComputation, _ rows: RowParts, _ document: inout [[UInt8]]) {
        j.key("post_columns")
        j.beginArray()
        for name in ["post_id", "unit_id", "power", "discretion", "history_raw", "history", "score", "previous_score",
            "score_level", "level", "floor", "flags"] { j.string(name) }
        j.endArray()
        j.key("posts")
        j.beginArray()
        j.appendFragments(rows.posts, to: &document)
        j.endArray()
        j.key("flag_codes")
        j.beginObject()
        for code in PostFlagCode.allCases { j.key(text: code.code); j.string(code.explanation) }
        j.endObject()
        j.key("flag_columns")
        j.beginArray()
        for name in ["post_id", "code", "value", "threshold", "reason"] { j.string(name) }
        j.endArray()
        j.key("flags")
        j.beginArray()
        j.appendFragments(rows.flags, to: &document)
        j.endArray()
    }

    private static func writePostRows(_ j: inout JSONWriter, _ c: YearComputation, _ posts: Range<Int>) {
        let d = c.dataset
        let levelNames = c.scheme.levels.map(\.name)
        for p in posts {
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
    }

    /// The flags of the posts in `posts`, in post order then table order.
    private static func writeFlagRows(_ j: inout JSONWriter, _ c: YearComputation, _ posts: Range<Int>) {
        let ids = c.dataset.posts.id
        for p in posts where c.flags.mask[p] != 0 {
            for code in c.flags.codes(post: p) {
                let (value, threshold, reason) = c.flags.texts(code, post: p)
                j.beginArray()
                ids.withBytes(p) { j.string(bytes: $0) }
                j.string(code.code)
                j.string(value)
                j.string(threshold)
                j.string(reason)
                j.endArray()
            }
        }
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

    private static func writeSubjects(_ j: inout JSONWriter, _ c: YearComputation, _ subjects: Range<Int>) {
        let a = c.assessment
        for i in subjects {
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
            for (k, n) in row.perLevel.enumerated() { j.key(text: c.scheme.levels[k].name); j.number(n) }
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
