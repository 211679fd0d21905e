import Dispatch

/// scorecards.json (SPEC §7): everything the CSV files hold plus the
/// evidence behind it — itemised bonus and deduction reasons, missing
/// indicators, veto reasons, quota groups, peer statistics, supervisors per
/// level and the fingerprints — so every number can be re-derived by hand.
public enum ScorecardsJSON {
    /// The file as consecutive chunks, handed to `emit` in order: the parts
    /// `RowJobs` renders (on all cores; `part(k)` gives part k, and may wait
    /// for it) joined by what lies between them, never copied into one
    /// buffer. A writer can so hash and write the file while its later
    /// parts are still being rendered.
    static func assemble(
        _ jobs: RowJobs, run: RunIdentity, units: [UnitsCSV.Row], part: (Int) -> ByteBuffer, emit: (ByteBuffer) -> Void
    ) {
        let c = jobs.c
        let s = c.scheme
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
        writePosts(&j, c, jobs, part: part, emit: emit)
        writePeerGroups(&j, c)
        j.key("subjects")
        j.beginArray()
        for k in jobs.subjectJobs { j.appendFragment(part(k), emit: emit) }
        j.endArray()
        writeUnits(&j, c, units)
        j.endObject()
        emit(j.finishedBuffer())
    }

    /// `assemble` with every part already rendered.
    static func assemble(_ jobs: RowJobs, run: RunIdentity, units: [UnitsCSV.Row], parts: [ByteBuffer]) -> [ByteBuffer] {
        precondition(parts.count == jobs.count, "parts of another computation")
        var document: [ByteBuffer] = []
        assemble(jobs, run: run, units: units, part: { parts[$0] }, emit: { document.append($0) })
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
        let texts: RowTexts

        init(_ c: YearComputation) {
            self.c = c
            texts = RowTexts(c)
            postParts = partRanges(c.dataset.posts.count, rowsPerPart: 16_384)
            subjectParts = partRanges(c.assessment.count, rowsPerPart: 4_096)
        }

        var count: Int { 2 * postParts.count + subjectParts.count }

        /// The jobs in file order: post rows, flag rows, subjects.
        var postJobs: Range<Int> { 0..<postParts.count }
        var flagJobs: Range<Int> { postParts.count..<(2 * postParts.count) }
        var subjectJobs: Range<Int> { (2 * postParts.count)..<count }

        /// Part k, in file order, so that the file can be written while
        /// later parts are rendered.
        func run(_ k: Int, buffers: BufferPool? = nil) -> ByteBuffer {
            // Room for a whole part (about 2-3 MB), so the buffer never regrows.
            let capacity = 4 << 20
            var part = JSONWriter(fragmentIn: 2, into: buffers?.take(capacity: capacity) ?? ByteBuffer(capacity: capacity))
            if postJobs.contains(k) {
                writePostRows(&part, c, texts, postParts[k])
            } else if flagJobs.contains(k) {
                writeFlagRows(&part, c, texts, postParts[k - flagJobs.lowerBound])
            } else {
                writeSubjects(&part, c, texts, subjectParts[k - subjectJobs.lowerBound])
            }
            return part.buffer
        }
    }

    /// The texts the rows repeat, pinned once for all parts.
    struct RowTexts: Sendable {
        let levels: JSONWriter.StringColumn
        /// posts' `flags` text, by flag mask.
        let flagLists: JSONWriter.StringColumn
        /// By `PostFlagCode.rawValue`.
        let flagCodes: JSONWriter.StringColumn
        /// By `SubjectType.rawValue`.
        let subjectTypes: JSONWriter.StringColumn
        let indicators: JSONWriter.StringColumn
        let bands: JSONWriter.StringColumn
        /// By `QuotaStatus.rawValue`.
        let quotaStatuses: JSONWriter.StringColumn
        /// Incident kinds, by dictionary code.
        let kinds: JSONWriter.StringColumn
        let postIDs: JSONWriter.StringColumn
        let unitIDs: JSONWriter.StringColumn

        init(_ c: YearComputation) {
            levels = .init(c.scheme.levels.map(\.name))
            flagLists = .init(FlagReport.codeTexts)
            flagCodes = .init(PostFlagCode.allCases.map(\.code))
            subjectTypes = .init(SubjectType.allCases.map(\.englishName))
            indicators = .init(c.scheme.assessment.indicators.map(\.name))
            bands = .init(c.scheme.assessment.bands.map(\.name))
            quotaStatuses = .init(QuotaStatus.allCases.map(\.code))
            kinds = .init(c.dataset.incidents.kind.values)
            postIDs = .init(c.dataset.posts.id)
            unitIDs = .init(c.dataset.units.id)
        }
    }

    /// `0..<count` cut into ranges of `rowsPerPart` rows.
    private static func partRanges(_ count: Int, rowsPerPart: Int) -> [Range<Int>] {
        stride(from: 0, to: count, by: rowsPerPart).map { $0..<Swift.min(count, $0 + rowsPerPart) }
    }

    /// Posts as one row per line under `post_columns` (a million posts stay
    /// a file a reviewer can open), then every flag with its evidence.
    private static func writePosts(
        _ j: inout JSONWriter, _ c: YearComputation, _ jobs: RowJobs, part: (Int) -> ByteBuffer, emit: (ByteBuffer) -> Void
    ) {
        j.key("post_columns")
        j.beginArray()
        for name in ["post_id", "unit_id", "power", "discretion", "history_raw", "history", "score", "previous_score",
            "score_level", "level", "floor", "flags"] { j.string(name) }
        j.endArray()
        j.key("posts")
        j.beginArray()
        for k in jobs.postJobs { j.appendFragment(part(k), emit: emit) }
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
        for k in jobs.flagJobs { j.appendFragment(part(k), emit: emit) }
        j.endArray()
    }

    /// One line per post: `["P1","U1",0.5000,…]`, written as one raw
    /// value (see `JSONWriter.rawValue`) in `post_columns` order.
    private static func writePostRows(_ j: inout JSONWriter, _ c: YearComputation, _ texts: RowTexts, _ posts: Range<Int>) {
        let d = c.dataset
        let r = c.risk
        for p in posts {
            j.rawValue { out in
                out.append(UInt8(ascii: "["))
                out.appendJSONString(texts.postIDs, p)
                out.append(UInt8(ascii: ","))
                out.appendJSONString(texts.unitIDs, Int(d.posts.unit[p]))
                out.append(UInt8(ascii: ","))
                out.appendJSONFixed4(r.power[p])
                out.append(UInt8(ascii: ","))
                out.appendJSONFixed4(r.discretion[p])
                out.append(UInt8(ascii: ","))
                out.appendJSONFixed4(r.historyRaw[p])
                out.append(UInt8(ascii: ","))
                out.appendJSONFixed4(r.history[p])
                out.append(UInt8(ascii: ","))
                out.appendHundredths(r.score[p])
                out.append(UInt8(ascii: ","))
                if let previous = r.previousScore { out.appendHundredths(previous[p]) } else { out.append("null") }
                out.append(UInt8(ascii: ","))
                out.appendJSONString(texts.levels, Int(r.scoreLevel[p]))
                out.append(UInt8(ascii: ","))
                out.appendJSONString(texts.levels, Int(r.level[p]))
                out.append(UInt8(ascii: ","))
                if r.floor[p] == 0 { out.append("null") } else { out.appendJSONInteger(Int(r.floor[p])) }
                out.append(UInt8(ascii: ","))
                out.appendJSONString(texts.flagLists, Int(c.flags.mask[p]))
                out.append(UInt8(ascii: "]"))
            }
        }
    }

    /// The flags of the posts in `posts`, in post order then table order:
    /// `["P1","NO_CONTROLS","0","一级","一级岗位防控措施数为 0"]`.
    private static func writeFlagRows(_ j: inout JSONWriter, _ c: YearComputation, _ rowTexts: RowTexts, _ posts: Range<Int>) {
        var texts = FlagTexts(c.flags)
        for p in posts where c.flags.mask[p] != 0 {
            for code in PostFlagCode.allCases where c.flags.has(code, post: p) {
                texts.fill(code, post: p)
                j.rawValue { out in
                    out.append(UInt8(ascii: "["))
                    out.appendJSONString(rowTexts.postIDs, p)
                    out.append(UInt8(ascii: ","))
                    out.appendJSONString(rowTexts.flagCodes, Int(code.rawValue))
                    out.append(UInt8(ascii: ","))
                    out.appendJSONString(bytes: texts.value)
                    out.append(UInt8(ascii: ","))
                    out.appendJSONString(bytes: texts.threshold)
                    out.append(UInt8(ascii: ","))
                    out.appendJSONString(bytes: texts.reason)
                    out.append(UInt8(ascii: "]"))
                }
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

    /// Each subject's scorecard, written from the rows `ScorecardRows`
    /// gathers and the columns' bytes: the same items `scorecard(at:)`
    /// gives, without a string per item (a million subjects). One raw value
    /// per subject (`JSONWriter.rawValue`): the object is compact, so its
    /// member names go in with their commas as static texts.
    private static func writeSubjects(_ j: inout JSONWriter, _ c: YearComputation, _ texts: RowTexts, _ subjects: Range<Int>) {
        let a = c.assessment
        let d = c.dataset
        var items = ScorecardRows()
        for i in subjects {
            items.gather(a, at: i)
            j.rawValue { out in
                out.append("{\"subject_type\":")
                out.appendJSONString(texts.subjectTypes, Int(a.type[i].rawValue))
                out.append(",\"subject_id\":")
                out.appendJSONString(a.type[i] == .unit ? texts.unitIDs : texts.postIDs, Int(a.subject[i]))
                out.append(",\"base\":")
                out.appendHundredths(a.base[i])
                out.append(",\"indicators\":[")
                // Indices, not `enumerated()`: iterating a copy of a row list
                // retains and releases it, millions of times in all.
                var first = true
                for k in items.indicatorRow.indices where items.indicatorRow[k] >= 0 {
                    // The row's indicator is byte for byte the scheme's name it matched.
                    out.append(first ? "{\"indicator\":" : ",{\"indicator\":")
                    first = false
                    out.appendJSONString(texts.indicators, k)
                    out.append(",\"score\":")
                    out.appendHundredths(d.assessments.score[Int(items.indicatorRow[k])])
                    out.append(UInt8(ascii: "}"))
                }
                out.append("],\"missing_indicators\":[")
                first = true
                for k in items.indicatorRow.indices where items.indicatorRow[k] < 0 {
                    if !first { out.append(UInt8(ascii: ",")) }
                    first = false
                    out.appendJSONString(texts.indicators, k)
                }
                out.append("],\"bonus_items\":")
                writeAdjustments(out, d.adjustments, items.bonusRows)
                out.append(",\"bonus_before_cap\":")
                out.appendHundredths(a.bonusSum[i])
                out.append(",\"bonus\":")
                out.appendHundredths(a.bonus[i])
                out.append(",\"deduction_items\":")
                writeAdjustments(out, d.adjustments, items.deductionRows)
                out.append(",\"automatic_deductions\":[")
                first = true
                for k in items.automaticRows.indices {
                    let r = Int(items.automaticRows[k])
                    out.append(first ? "{\"incident_id\":" : ",{\"incident_id\":")
                    first = false
                    d.incidents.id.withBytes(r) { out.appendJSONString(bytes: $0) }
                    out.append(",\"post_id\":")
                    out.appendJSONString(texts.postIDs, Int(d.incidents.post[r]))
                    out.append(",\"kind\":")
                    out.appendJSONString(texts.kinds, Int(d.incidents.kind.codes[r]))
                    out.append(",\"date\":\"")
                    // A date has nothing to escape: written straight between its quotes.
                    out.append(upTo: 16) { CivilDate.write(days: d.incidents.date[r], into: $0) }
                    out.append("\",\"points\":")
                    out.appendHundredths(a.kindRules.points[Int(d.incidents.kind.codes[r])]!)
                    out.append(UInt8(ascii: "}"))
                }
                out.append("],\"deductions_before_cap\":")
                out.appendHundredths(a.manualDeductions[i] + a.automaticDeductions[i])
                out.append(",\"deductions\":")
                out.appendHundredths(a.deductions[i])
                out.append(",\"total\":")
                out.appendHundredths(a.total[i])
                out.append(a.veto(at: i) ? ",\"veto\":true,\"veto_reasons\":[" : ",\"veto\":false,\"veto_reasons\":[")
                first = true
                for k in items.vetoRows.indices {
                    if !first { out.append(UInt8(ascii: ",")) }
                    first = false
                    out.appendJSONString("一票否决：\(d.adjustments.reason[Int(items.vetoRows[k])])")
                }
                for k in items.vetoIncidentRows.indices {
                    let r = Int(items.vetoIncidentRows[k])
                    if !first { out.append(UInt8(ascii: ",")) }
                    first = false
                    let date = CivilDate.format(days: d.incidents.date[r])
                    let post = d.posts.id[Int(d.incidents.post[r])]
                    out.appendJSONString("\(date) \(d.incidents.kind[r])（\(d.incidents.id[r])，岗位 \(post)）属实")
                }
                out.append("],\"band\":")
                out.appendJSONString(texts.bands, Int(a.band[i]))
                out.append(",\"quota_status\":")
                out.appendJSONString(texts.quotaStatuses, Int(a.quotaStatus[i].rawValue))
                out.append(",\"rank\":")
                out.appendJSONInteger(Int(a.rank[i]))
                out.append(",\"quota_group\":{\"unit_id\":")
                let group = Int(a.groupUnit[i])
                if group < 0 { out.append("null") } else { out.appendJSONString(texts.unitIDs, group) }
                out.append(",\"size\":")
                out.appendJSONInteger(Int(a.groupSize[i]))
                out.append(",\"allowance\":")
                if a.allowance[i] < 0 { out.append("null") } else { out.appendJSONInteger(Int(a.allowance[i])) }
                out.append("}}")
            }
        }
    }

    /// 加分 or 扣分 items: `[{"points":1.50,"reason":"…"},…]`.
    private static func writeAdjustments(_ out: ByteBuffer, _ rows: AdjustmentTable, _ items: [Int32]) {
        out.append(UInt8(ascii: "["))
        for k in items.indices {
            let r = Int(items[k])
            out.append(k == 0 ? "{\"points\":" : ",{\"points\":")
            out.appendHundredths(rows.points[r])
            out.append(",\"reason\":")
            rows.reason.withBytes(r) { out.appendJSONString(bytes: $0) }
            out.append(UInt8(ascii: "}"))
        }
        out.append(UInt8(ascii: "]"))
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
