/// The itemised scorecard of a subject, rebuilt from the input rows on demand
/// (SPEC §5 traceability): nothing per item is stored for a million subjects
/// that nobody may open.
extension AssessmentOutcome {
    /// Row i with every item behind its numbers.
    /// - Complexity: O(the subject's rows of Y + the incidents of the posts in
    ///   its scope); for a unit that is its whole subtree.
    public func scorecard(at i: Int) -> SubjectAssessment {
        let s = Int(subject[i])
        let group = Int(groupUnit[i])
        let (bonusItems, deductionItems, vetoRows) = adjustmentItems(at: i)
        let (automatic, vetoIncidents) = incidentItems(at: i)
        let (scores, missing, ignored) = indicatorItems(at: i)
        return SubjectAssessment(
            type: type[i], subject: s, subjectID: subjectID(at: i),
            base: base[i], bonusSum: bonusSum[i], bonus: bonus[i],
            manualDeductions: manualDeductions[i], automaticDeductions: automaticDeductions[i],
            deductionSum: manualDeductions[i] + automaticDeductions[i], deductions: deductions[i],
            total: total[i], veto: veto(at: i), vetoReasons: vetoRows + vetoIncidents.map { .incident($0) },
            band: Int(band[i]), bandName: bandName(at: i), quotaStatus: quotaStatus[i], rank: Int(rank[i]),
            groupUnit: group < 0 ? nil : group, groupUnitID: group < 0 ? nil : dataset.units.id[group],
            groupSize: Int(groupSize[i]), allowance: allowance[i] < 0 ? nil : Int(allowance[i]),
            indicatorScores: scores, missingIndicators: missing, ignoredScores: ignored,
            bonusItems: bonusItems, deductionItems: deductionItems, automaticDeductionItems: automatic)
    }

    /// Scores in scheme indicator order, missing indicators, and rows of
    /// indicators the scheme does not have.
    private func indicatorItems(at i: Int) -> (scores: [IndicatorScore], missing: [String], ignored: [IndicatorScore]) {
        let rows = dataset.assessments
        let indicators = scheme.assessment.indicators
        let matcher = indicatorMatcher
        var byIndicator = [IndicatorScore?](repeating: nil, count: indicators.count)
        var ignored: [IndicatorScore] = []
        for r in Int(assessmentStart[i])..<Int(assessmentEnd[i]) {
            let item = IndicatorScore(indicator: rows.indicator[r], score: rows.score[r], row: r)
            if let k = matcher.index(of: r, in: rows.indicator) { byIndicator[k] = item } else { ignored.append(item) }
        }
        let missing = indicators.indices.filter { byIndicator[$0] == nil }.map { indicators[$0].name }
        return (byIndicator.compactMap { $0 }, missing, ignored)
    }

    /// 加分 rows, 扣分 rows and 一票否决 rows of Y.
    private func adjustmentItems(at i: Int) -> (bonus: [AdjustmentItem], deduction: [AdjustmentItem], veto: [VetoReason]) {
        let rows = dataset.adjustments
        var bonusItems: [AdjustmentItem] = []
        var deductionItems: [AdjustmentItem] = []
        var vetoes: [VetoReason] = []
        for r in Int(adjustmentStart[i])..<Int(adjustmentEnd[i]) {
            guard let type = AdjustmentType(rawValue: rows.type[r]) else { continue }
            switch type {
            case .bonus: bonusItems.append(AdjustmentItem(type: type, points: rows.points[r], reason: rows.reason[r], row: r))
            case .deduction: deductionItems.append(AdjustmentItem(type: type, points: rows.points[r], reason: rows.reason[r], row: r))
            case .veto: vetoes.append(.adjustment(reason: rows.reason[r], row: r))
            }
        }
        return (bonusItems, deductionItems, vetoes)
    }

    /// Automatic deductions and veto incidents in scope, each by (date, incident id).
    private func incidentItems(at i: Int) -> (automatic: [AutomaticDeduction], veto: [IncidentReference]) {
        let incidents = dataset.incidents
        let rules = kindRules
        var automatic: [AutomaticDeduction] = []
        var vetoes: [IncidentReference] = []
        for p in postsInScope(at: i) {
            for r in Int(incidents.start[Int(p)])..<Int(incidents.start[Int(p) + 1]) where rules.counts(r, in: incidents) {
                let code = Int(incidents.kind.codes[r])
                let points = rules.points[code]
                guard points != nil || rules.vetoes[code] else { continue }
                let reference = IncidentReference(
                    incidentID: incidents.id[r], postID: dataset.posts.id[Int(p)], kind: incidents.kind[r],
                    date: incidents.date[r], row: r)
                if let points { automatic.append(AutomaticDeduction(incident: reference, points: points)) }
                if rules.vetoes[code] { vetoes.append(reference) }
            }
        }
        automatic.sort { Self.precedes($0.incident, $1.incident) }
        vetoes.sort(by: Self.precedes)
        return (automatic, vetoes)
    }

    /// A post itself; for a unit every post in it or in a descendant unit.
    private func postsInScope(at i: Int) -> [Int32] {
        let s = Int(subject[i])
        guard type[i] == .unit else { return [Int32(s)] }
        return tree.subtree(of: s).flatMap { tree.posts(in: Int($0)) }
    }

    /// (date, incident id) order, ids by UTF-8 bytes.
    private static func precedes(_ a: IncidentReference, _ b: IncidentReference) -> Bool {
        a.date != b.date ? a.date < b.date : utf8Precedes(a.incidentID, b.incidentID)
    }
}
