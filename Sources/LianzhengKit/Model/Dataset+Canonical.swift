/// Canonical order of a dataset (SPEC §7 reproducibility): the same data
/// gives the same rows in the same order, whatever the file encoding, line
/// ends, column order or row order.
///
/// Each table is permuted one column at a time, every column replacing its
/// input-order version as soon as it is built: the peak is the dataset plus
/// one column, not two copies of the largest table. Tables that depend only
/// on the unit and post order are sorted in parallel.
extension Dataset {
    /// Sorts every table into canonical order (see `Dataset`), remaps
    /// references and computes `fingerprint` (unless told not to: the
    /// snapshot store can compute it while it writes).
    /// - Complexity: O(n log n) for units, posts and ids; powers and
    ///   incidents are bucketed by post and sorted within their small groups.
    public mutating func canonicalize(fingerprint computesFingerprint: Bool = true) {
        var timer = PhaseTimer()
        let unitRank = Self.canonicalize(&units)
        let postRank = Self.canonicalize(&posts, unitRank: unitRank)
        let postCount = posts.count
        let w = Handoff(powers), t = Handoff(incidents), a = Handoff(assessments), j = Handoff(adjustments), r = Handoff(riskPoints)
        powers = PowerTable()
        incidents = IncidentTable()
        assessments = AssessmentTable()
        adjustments = AdjustmentTable()
        riskPoints = RiskPointTable()
        runInParallel([
            { Self.canonicalize(&t.value, postRank: postRank, posts: postCount) },
            { Self.canonicalize(&w.value, postRank: postRank, posts: postCount) },
            {
                Self.canonicalize(&a.value, unitRank: unitRank, postRank: postRank)
                Self.canonicalize(&j.value, unitRank: unitRank, postRank: postRank)
                Self.canonicalize(&r.value, postRank: postRank)
            },
        ])
        powers = w.value
        incidents = t.value
        assessments = a.value
        adjustments = j.value
        riskPoints = r.value
        timer.mark("canonical order")
        guard computesFingerprint else { return }
        fingerprint = computeFingerprint()
        timer.mark("fingerprint")
    }

    /// Units by id. - Returns: each input row's canonical index.
    private static func canonicalize(_ units: inout UnitTable) -> [Int32] {
        let order = units.id.withView { id in sortedOrder(units.count) { id.compare($0, $1) } }
        let rank = ranks(of: order)
        units.id = units.id.permuted(by: order)
        units.name = units.name.permuted(by: order)
        units.parent = gather(units.parent, by: order).map { $0 < 0 ? -1 : rank[Int($0)] }
        units.kind = units.kind.permuted(by: order)
        return rank
    }

    /// Posts by id. - Returns: each input row's canonical index.
    private static func canonicalize(_ posts: inout PostTable, unitRank: [Int32]) -> [Int32] {
        let order = posts.id.withView { id in sortedOrder(posts.count) { id.compare($0, $1) } }
        posts.id = posts.id.permuted(by: order)
        posts.unit = gather(posts.unit, by: order).map { unitRank[Int($0)] }
        posts.name = posts.name.permuted(by: order)
        posts.category = posts.category.permuted(by: order)
        posts.holder = posts.holder.permuted(by: order)
        posts.tenureYears = gather(posts.tenureYears, by: order)
        posts.selfLevel = posts.selfLevel.permuted(by: order)
        posts.controls = gather(posts.controls, by: order)
        posts.keyDecisions = gather(posts.keyDecisions, by: order)
        return ranks(of: order)
    }

    /// Powers grouped by post, within a post by (name, kind, count, amount, discretion).
    private static func canonicalize(_ powers: inout PowerTable, postRank: [Int32], posts: Int) {
        powers.post = powers.post.map { postRank[Int($0)] }
        let p = powers
        let (order, start) = p.name.withView { name in
            p.kind.valueRanks().withBase { kindRank in
            p.kind.codes.withBase { kind in
                p.annualCount.withBase { count in
                    p.amount.withBase { amount in
                        p.discretion.withBase { discretion in
                            bucketed(p.post, buckets: posts) { a, b in
                                var c = name.compare(a, b)
                                if c == 0 { c = compare(kindRank[Int(kind[a])], kindRank[Int(kind[b])]) }
                                if c == 0 { c = compare(count[a], count[b]) }
                                if c == 0 { c = compare(amount[a], amount[b]) }
                                if c == 0 { c = compare(discretion[a], discretion[b]) }
                                return c
                            }
                        }
                    }
                }
            }
            }
        }
        powers.post = gather(powers.post, by: order)
        powers.name = powers.name.permuted(by: order)
        powers.kind = powers.kind.permuted(by: order)
        powers.annualCount = gather(powers.annualCount, by: order)
        powers.amount = gather(powers.amount, by: order)
        powers.discretion = gather(powers.discretion, by: order)
        powers.start = start
    }

    /// Incidents grouped by post, within a post by (date, incident_id) — the
    /// order SPEC §4 sums Hraw in.
    private static func canonicalize(_ incidents: inout IncidentTable, postRank: [Int32], posts: Int) {
        incidents.post = incidents.post.map { postRank[Int($0)] }
        let t = incidents
        let (order, start) = t.id.withView { id in
            t.date.withBase { date in
                bucketed(t.post, buckets: posts) { a, b in
                    let c = compare(date[a], date[b])
                    return c != 0 ? c : id.compare(a, b)
                }
            }
        }
        incidents.id = incidents.id.permuted(by: order)
        incidents.post = gather(incidents.post, by: order)
        incidents.date = gather(incidents.date, by: order)
        incidents.kind = incidents.kind.permuted(by: order)
        incidents.status = gather(incidents.status, by: order)
        incidents.start = start
    }

    /// The canonical index of each row's subject (a unit or a post, by type).
    private static func subjects(_ type: [UInt8], _ subject: [Int32], unitRank: [Int32], postRank: [Int32]) -> [Int32] {
        zip(type, subject).map { $0 == SubjectType.unit.rawValue ? unitRank[Int($1)] : postRank[Int($1)] }
    }

    /// Assessments by (year, subject type, subject, indicator).
    private static func canonicalize(_ t: inout AssessmentTable, unitRank: [Int32], postRank: [Int32]) {
        t.subject = subjects(t.subjectType, t.subject, unitRank: unitRank, postRank: postRank)
        let a = t
        let order = a.indicator.withView { indicator in
            a.year.withBase { year in
                a.subjectType.withBase { type in
                    a.subject.withBase { subject in
                        sortedOrder(a.count) { x, y in
                            var c = compare(year[x], year[y])
                            if c == 0 { c = compare(type[x], type[y]) }
                            if c == 0 { c = compare(subject[x], subject[y]) }
                            return c != 0 ? c : indicator.compare(x, y)
                        }
                    }
                }
            }
        }
        t.year = gather(t.year, by: order)
        t.subjectType = gather(t.subjectType, by: order)
        t.subject = gather(t.subject, by: order)
        t.indicator = t.indicator.permuted(by: order)
        t.score = gather(t.score, by: order)
    }

    /// Adjustments by (year, subject type, subject, type, points, reason).
    private static func canonicalize(_ t: inout AdjustmentTable, unitRank: [Int32], postRank: [Int32]) {
        t.subject = subjects(t.subjectType, t.subject, unitRank: unitRank, postRank: postRank)
        let a = t
        let order = a.reason.withView { reason in
            a.year.withBase { year in
                a.subjectType.withBase { subjectType in
                    a.subject.withBase { subject in
                        a.type.withBase { type in
                            a.points.withBase { points in
                                sortedOrder(a.count) { x, y in
                                    var c = compare(year[x], year[y])
                                    if c == 0 { c = compare(subjectType[x], subjectType[y]) }
                                    if c == 0 { c = compare(subject[x], subject[y]) }
                                    if c == 0 { c = compare(type[x], type[y]) }
                                    if c == 0 { c = compare(points[x], points[y]) }
                                    return c != 0 ? c : reason.compare(x, y)
                                }
                            }
                        }
                    }
                }
            }
        }
        t.year = gather(t.year, by: order)
        t.subjectType = gather(t.subjectType, by: order)
        t.subject = gather(t.subject, by: order)
        t.type = gather(t.type, by: order)
        t.points = gather(t.points, by: order)
        t.reason = t.reason.permuted(by: order)
    }

    /// Risk points by id.
    private static func canonicalize(_ t: inout RiskPointTable, postRank: [Int32]) {
        let order = t.id.withView { id in sortedOrder(t.count) { id.compare($0, $1) } }
        t.id = t.id.permuted(by: order)
        t.post = gather(t.post, by: order).map { postRank[Int($0)] }
        t.type = gather(t.type, by: order)
        t.description = t.description.permuted(by: order)
        t.measures = t.measures.permuted(by: order)
    }
}
