/// The kernel's view of a snapshot under one scheme: per-row numbers only,
/// kinds resolved to weights once, grouped by post in CSR form.
///
/// Built in O(rows) from a `Dataset`; the kernel then does no string work,
/// no dictionary lookup and no allocation per post.
public struct RiskInput: Sendable {
    public var postCount: Int
    public var keyDecisions: [Bool]
    /// CSR offsets into the power columns (postCount + 1).
    public var powerStart: [Int32]
    /// power_kinds[kind] of each power.
    public var powerWeight: [Double]
    /// Scheme index of each power's kind (for floors).
    public var powerKind: [UInt16]
    public var powerAmount: [Double]
    public var powerCount: [Int64]
    public var powerDiscretion: [UInt8]
    /// CSR offsets into the incident columns; each post's incidents are in
    /// (date, incident_id) order, the order SPEC §4 sums them in.
    public var incidentStart: [Int32]
    public var incidentDay: [Int32]
    /// incident_kinds[kind] * status_factors[status], left to right.
    public var incidentWeight: [Double]
    /// Scheme index of each incident's kind (for floors).
    public var incidentKind: [UInt16]
    public var incidentStatus: [UInt8]

    /// Resolves `dataset` against `scheme`.
    /// - Throws: `.invalid` when the snapshot uses a kind the scheme does not
    ///   define (possible with a scheme other than the import's).
    public init(dataset d: Dataset, scheme: Scheme) throws(LianzhengError) {
        let risk = scheme.risk
        let powerKindIndex = try Self.resolve(d.powers.kind.values, risk.powerKinds, what: "职权类别 (power kind)")
        let incidentKindIndex = try Self.resolve(d.incidents.kind.values, risk.incidentKinds, what: "问题类别 (incident kind)")
        postCount = d.posts.count
        keyDecisions = d.posts.keyDecisions
        powerStart = d.powers.start
        powerKind = d.powers.kind.codes.map { powerKindIndex[Int($0)] }
        powerWeight = powerKind.map { risk.powerKinds[Int($0)].weight }
        powerAmount = d.powers.amount
        powerCount = d.powers.annualCount
        powerDiscretion = d.powers.discretion
        incidentStart = d.incidents.start
        incidentDay = d.incidents.date
        incidentKind = d.incidents.kind.codes.map { incidentKindIndex[Int($0)] }
        incidentStatus = d.incidents.status
        incidentWeight = zip(incidentKind, incidentStatus).map { kind, status in
            risk.incidentKinds[Int(kind)].weight * risk.statusFactors[Int(status)]
        }
    }

    /// Maps each distinct dataset value to its index in the scheme's list.
    private static func resolve(_ values: [String], _ named: [NamedWeight], what: String) throws(LianzhengError) -> [UInt16] {
        var out: [UInt16] = []
        for v in values {
            guard let k = named.firstIndex(where: { $0.name == v }) else {
                throw .invalid("快照中的\(what) \(v) 不在评分方案中 (the scheme does not define it)")
            }
            out.append(UInt16(k))
        }
        return out
    }
}
