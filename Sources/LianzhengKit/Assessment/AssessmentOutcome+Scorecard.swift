/// The itemised scorecard of a subject, rebuilt from the input rows on demand
/// (SPEC §5 traceability): nothing per item is stored for a million subjects
/// that nobody may open.
extension AssessmentOutcome {
    /// Row i with every item behind its numbers.
    /// - Complexity: O(the subject's rows of Y + the incidents of the posts in
    ///   its scope); for a unit that is its whole subtree.
    public func scorecard(at i: Int) -> SubjectAssessment {
        var items = ScorecardRows()
        items.gather(self, at: i)
        let group = Int(groupUnit[i])
        let d = dataset
        let indicators = scheme.assessment.indicators
        let indicatorScore = { (r: Int32) in
            IndicatorScore(indicator: d.assessments.indicator[Int(r)], score: d.assessments.score[Int(r)], row: Int(r))
        }
        let adjustment = { (r: Int32) in
            AdjustmentItem(
                type: AdjustmentType(rawValue: d.adjustments.type[Int(r)])!, points: d.adjustments.points[Int(r)],
                reason: d.adjustments.reason[Int(r)], row: Int(r))
        }
        let incident = { (r: Int32) in
            IncidentReference(
                incidentID: d.incidents.id[Int(r)], postID: d.posts.id[Int(d.incidents.post[Int(r)])],
                kind: d.incidents.kind[Int(r)], date: d.incidents.date[Int(r)], row: Int(r))
        }
        let vetoRows = items.vetoRows.map { r in VetoReason.adjustment(reason: d.adjustments.reason[Int(r)], row: Int(r)) }
        return SubjectAssessment(
            type: type[i], subject: Int(subject[i]), subjectID: subjectID(at: i),
            base: base[i], bonusSum: bonusSum[i], bonus: bonus[i],
            manualDeductions: manualDeductions[i], automaticDeductions: automaticDeductions[i],
            deductionSum: manualDeductions[i] + automaticDeductions[i], deductions: deductions[i],
            total: total[i], veto: veto(at: i), vetoReasons: vetoRows + items.vetoIncidentRows.map { .incident(incident($0)) },
            band: Int(band[i]), bandName: bandName(at: i), quotaStatus: quotaStatus[i], rank: Int(rank[i]),
            groupUnit: group < 0 ? nil : group, groupUnitID: group < 0 ? nil : d.units.id[group],
            groupSize: Int(groupSize[i]), allowance: allowance[i] < 0 ? nil : Int(allowance[i]),
            indicatorScores: items.indicatorRow.filter { $0 >= 0 }.map(indicatorScore),
            missingIndicators: indicators.indices.filter { items.indicatorRow[$0] < 0 }.map { indicators[$0].name },
            ignoredScores: items.ignoredRows.map(indicatorScore),
            bonusItems: items.bonusRows.map(adjustment), deductionItems: items.deductionRows.map(adjustment),
            automaticDeductionItems: items.automaticRows.map { r in
                AutomaticDeduction(incident: incident(r), points: kindRules.points[Int(d.incidents.kind.codes[Int(r)])]!)
            })
    }
}

/// The input rows behind one subject's scorecard, as row numbers: gathered
/// once, then turned into texts by `scorecard(at:)` or written from the
/// columns' bytes by scorecards.json. A writer reuses one for every subject,
/// so a million scorecards allocate nothing.
struct ScorecardRows {
    /// Per scheme indicator (in scheme order), the assessments row that
    /// scores it in Y, or -1 when there is none (缺项).
    var indicatorRow: [Int32] = []
    /// Assessments rows naming an indicator the scheme does not have.
    var ignoredRows: [Int32] = []
    /// 加分, 扣分 and 一票否决 rows of adjustments.csv in Y, in canonical order.
    var bonusRows: [Int32] = []
    var deductionRows: [Int32] = []
    var vetoRows: [Int32] = []
    /// Counting incidents in scope with an automatic deduction, and those of
    /// veto kinds, each by (date, incident id).
    var automaticRows: [Int32] = []
    var vetoIncidentRows: [Int32] = []

    /// Forgets the last subject's rows and gathers subject i's.
    mutating func gather(_ o: AssessmentOutcome, at i: Int) {
        gatherIndicators(o, at: i)
        gatherAdjustments(o, at: i)
        gatherIncidents(o, at: i)
    }

    // The tables are read through `o` and passed down as arguments, never
    // bound to a local: a local copy of a table retains each of its arrays,
    // and a unit's scorecard visits every post of its subtree.

    private mutating func gatherIndicators(_ o: AssessmentOutcome, at i: Int) {
        indicatorRow.removeAll(keepingCapacity: true)
        indicatorRow.append(contentsOf: repeatElement(-1, count: o.scheme.assessment.indicators.count))
        ignoredRows.removeAll(keepingCapacity: true)
        for r in Int(o.assessmentStart[i])..<Int(o.assessmentEnd[i]) {
            if let k = o.indicatorMatcher.index(of: r, in: o.dataset.assessments.indicator) {
                indicatorRow[k] = Int32(r)
            } else {
                ignoredRows.append(Int32(r))
            }
        }
    }

    private mutating func gatherAdjustments(_ o: AssessmentOutcome, at i: Int) {
        bonusRows.removeAll(keepingCapacity: true)
        deductionRows.removeAll(keepingCapacity: true)
        vetoRows.removeAll(keepingCapacity: true)
        for r in Int(o.adjustmentStart[i])..<Int(o.adjustmentEnd[i]) {
            switch AdjustmentType(rawValue: o.dataset.adjustments.type[r]) {
            case .bonus: bonusRows.append(Int32(r))
            case .deduction: deductionRows.append(Int32(r))
            case .veto: vetoRows.append(Int32(r))
            case nil: continue
            }
        }
    }

    /// A post's own incidents; for a unit those of every post in it or in a
    /// descendant unit.
    private mutating func gatherIncidents(_ o: AssessmentOutcome, at i: Int) {
        automaticRows.removeAll(keepingCapacity: true)
        vetoIncidentRows.removeAll(keepingCapacity: true)
        let s = Int(o.subject[i])
        if o.type[i] == .unit {
            for u in o.tree.subtree(of: s) {
                for p in o.tree.posts(in: Int(u)) { gatherIncidents(post: Int(p), o.dataset.incidents, o.kindRules) }
            }
        } else {
            gatherIncidents(post: s, o.dataset.incidents, o.kindRules)
        }
        if automaticRows.count > 1 { Self.sortByDateAndID(&automaticRows, o.dataset.incidents) }
        if vetoIncidentRows.count > 1 { Self.sortByDateAndID(&vetoIncidentRows, o.dataset.incidents) }
    }

    private mutating func gatherIncidents(post p: Int, _ incidents: IncidentTable, _ rules: IncidentKindRules) {
        for r in Int(incidents.start[p])..<Int(incidents.start[p + 1]) where rules.counts(r, in: incidents) {
            let code = Int(incidents.kind.codes[r])
            if rules.points[code] != nil { automaticRows.append(Int32(r)) }
            if rules.vetoes[code] { vetoIncidentRows.append(Int32(r)) }
        }
    }

    /// (date, incident id) order, ids by UTF-8 bytes.
    private static func sortByDateAndID(_ rows: inout [Int32], _ incidents: IncidentTable) {
        rows.sort { a, b in
            let (da, db) = (incidents.date[Int(a)], incidents.date[Int(b)])
            return da != db ? da < db : incidents.id.precedes(Int(a), Int(b))
        }
    }
}
