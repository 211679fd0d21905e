/// What the scheme makes of each incident kind in the assessment (SPEC §5):
/// automatic deduction points and whether it vetoes, looked up once per
/// distinct kind of the dataset's dictionary column.
struct IncidentKindRules {
    /// `auto_deductions[kind]` in hundredths by dictionary code; nil when the kind has none.
    let points: [Int64?]
    /// Whether the kind is in `veto_kinds`, by dictionary code.
    let vetoes: [Bool]
    /// First and last day (day numbers) of calendar year Y.
    let firstDay: Int32
    let lastDay: Int32

    init(kinds: DictionaryColumn, scheme: Scheme, year: Int) {
        let rules = scheme.assessment
        let table = Dictionary(rules.autoDeductions.map { ($0.kind, $0.points) }, uniquingKeysWith: { a, _ in a })
        let vetoKinds = Set(rules.vetoKinds)
        points = kinds.values.map { table[$0] }
        vetoes = kinds.values.map { vetoKinds.contains($0) }
        firstDay = Int32(clamping: CivilDate.daysFromCivil(year: year, month: 1, day: 1))
        lastDay = Int32(clamping: CivilDate.daysFromCivil(year: year, month: 12, day: 31))
    }

    /// Whether incident i counts in year Y at all: 属实 and dated in Y.
    @inline(__always)
    func counts(_ i: Int, in incidents: IncidentTable) -> Bool {
        incidents.status[i] == IncidentStatus.verified.rawValue
            && incidents.date[i] >= firstDay && incidents.date[i] <= lastDay
    }
}

/// Automatic deductions and incident vetoes of year Y for every post and,
/// rolled up, for every unit: a post's own incidents count for the post,
/// those of every post in a unit or its descendant units count for the unit.
struct IncidentScope {
    /// Sum of automatic deduction points (hundredths) by post.
    var postPoints: [Int64]
    /// A veto-kind incident, by post.
    var postVeto: [Bool]
    /// Sum over the unit's subtree, by unit.
    var unitPoints: [Int64]
    /// A veto-kind incident anywhere in the unit's subtree, by unit.
    var unitVeto: [Bool]

    /// - Complexity: O(incidents + posts + units): one pass over incidents,
    ///   one over posts, one bottom-up pass over the unit tree.
    init(dataset: Dataset, scheme: Scheme, year: Int, tree: UnitTree) {
        let incidents = dataset.incidents
        let rules = IncidentKindRules(kinds: incidents.kind, scheme: scheme, year: year)
        postPoints = [Int64](repeating: 0, count: dataset.posts.count)
        postVeto = [Bool](repeating: false, count: dataset.posts.count)
        for i in 0..<incidents.count where rules.counts(i, in: incidents) {
            let p = Int(incidents.post[i])
            let code = Int(incidents.kind.codes[i])
            if let points = rules.points[code] { postPoints[p] += points }
            if rules.vetoes[code] { postVeto[p] = true }
        }
        unitPoints = [Int64](repeating: 0, count: dataset.units.count)
        unitVeto = [Bool](repeating: false, count: dataset.units.count)
        for (p, u) in dataset.posts.unit.enumerated() {
            unitPoints[Int(u)] += postPoints[p]
            if postVeto[p] { unitVeto[Int(u)] = true }
        }
        for u in tree.bottomUp {
            let parent = Int(dataset.units.parent[Int(u)])
            guard parent >= 0 else { continue }
            unitPoints[parent] += unitPoints[Int(u)]
            if unitVeto[Int(u)] { unitVeto[parent] = true }
        }
    }
}
