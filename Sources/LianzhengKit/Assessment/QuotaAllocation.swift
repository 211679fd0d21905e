/// 优秀比例 and 排名 of SPEC §5, group by group.
///
/// Groups: posts by their unit, units by their parent (units without a
/// parent form one group). Within a group of n subjects (vetoed included):
/// - allowance = floor(share·n + 0.5), exactly in integers (`Quota.allowance`);
/// - candidates are the subjects whose band is the quota band — never a
///   vetoed one, whose band is the last and the quota band is not the last —
///   ordered by total desc, deductions asc, base desc, subject id asc;
///   the first `allowance` keep the band (`kept`), the rest move to the next
///   band (`demoted`); when the last kept and the first demoted are equal on
///   (total, deductions, base) those two become `tie` (the first still keeps
///   the band, the second is still demoted);
/// - rank orders by (not vetoed first, total desc); equal (veto, total)
///   share a place, the next place skips (1, 2, 2, 4).
///
/// Subject ids compare as row indices: within one subject type the canonical
/// row order is the UTF-8 byte order of the ids.
enum QuotaAllocation {
    /// - Complexity: O(subjects + units + Σ g log g) over groups of size g.
    static func apply(to o: inout AssessmentOutcome) {
        let groups = groupRows(o)
        var work = Work(o)
        let unitCount = o.dataset.units.count
        var members: [Int32] = []
        for g in 0..<(groups.start.count - 1) {
            let slice = groups.rows[Int(groups.start[g])..<Int(groups.start[g + 1])]
            guard !slice.isEmpty else { continue }
            let unit = Int32(g < unitCount ? g : g - unitCount - 1)
            let allowance = o.scheme.assessment.quota.map { $0.allowance(groupSize: slice.count) }
            for r in slice {
                work.groupUnit[Int(r)] = unit
                work.groupSize[Int(r)] = Int32(slice.count)
                work.allowance[Int(r)] = Int32(allowance ?? -1)
            }
            members.removeAll(keepingCapacity: true)
            members.append(contentsOf: slice)
            work.rank(&members)
            if let quota = o.scheme.assessment.quota, let allowance {
                members.removeAll(keepingCapacity: true)
                members.append(contentsOf: slice.lazy.filter { work.band[Int($0)] == Int32(quota.band) })
                work.allocate(&members, allowance: allowance, nextBand: Int32(quota.band + 1))
            }
        }
        work.store(into: &o)
    }

    /// Rows bucketed by group, each bucket in row order: post groups are
    /// buckets 0..<units (the unit), unit groups units + 1 + parent (the
    /// top-level group is bucket `units`).
    private static func groupRows(_ o: AssessmentOutcome) -> (start: [Int32], rows: [Int32]) {
        let unitCount = o.dataset.units.count
        let keys = (0..<o.count).map { i in
            let s = Int(o.subject[i])
            return o.type[i] == .post ? Int(o.dataset.posts.unit[s]) : unitCount + 1 + Int(o.dataset.units.parent[s])
        }
        return UnitTree.csr(keys: keys, buckets: 2 * unitCount + 1)
    }

    /// The columns the allocation reads and writes, outside the outcome so
    /// the sort closures capture plain arrays.
    private struct Work {
        let veto: [Bool]
        let total: [Int64]
        let deductions: [Int64]
        let base: [Int64]
        var band: [Int32]
        var status: [QuotaStatus]
        var ranks: [Int32]
        var groupUnit: [Int32]
        var groupSize: [Int32]
        var allowance: [Int32]

        init(_ o: AssessmentOutcome) {
            let n = o.count
            veto = (0..<n).map { o.veto(at: $0) }
            total = o.total
            deductions = o.deductions
            base = o.base
            band = o.band
            status = [QuotaStatus](repeating: .none, count: n)
            ranks = [Int32](repeating: 0, count: n)
            groupUnit = [Int32](repeating: -1, count: n)
            groupSize = [Int32](repeating: 0, count: n)
            allowance = [Int32](repeating: -1, count: n)
        }

        /// Competition ranks (1, 2, 2, 4) by (not vetoed first, total desc).
        /// - Complexity: O(g log g).
        mutating func rank(_ members: inout [Int32]) {
            // The columns as locals: a comparison reading them through the
            // captured `self` retained and released them on every call.
            let (veto, total) = (self.veto, self.total)
            members.sort { a, b in
                let (a, b) = (Int(a), Int(b))
                if veto[a] != veto[b] { return !veto[a] }
                if total[a] != total[b] { return total[a] > total[b] }
                return a < b
            }
            var place: Int32 = 1
            for k in members.indices {
                let r = Int(members[k])
                if k > 0 {
                    let previous = Int(members[k - 1])
                    if veto[r] != veto[previous] || total[r] != total[previous] { place = Int32(k + 1) }
                }
                ranks[r] = place
            }
        }

        /// Keeps the first `allowance` candidates in the quota band (ordered
        /// by total desc, then deductions asc, base desc, row), demotes the
        /// rest, and marks the boundary pair `tie` when they are equal.
        /// - Complexity: O(c log c) for c candidates.
        mutating func allocate(_ candidates: inout [Int32], allowance: Int, nextBand: Int32) {
            let (total, deductions, base) = (self.total, self.deductions, self.base)
            candidates.sort { a, b in
                let (a, b) = (Int(a), Int(b))
                if total[a] != total[b] { return total[a] > total[b] }
                if deductions[a] != deductions[b] { return deductions[a] < deductions[b] }
                if base[a] != base[b] { return base[a] > base[b] }
                return a < b
            }
            for (k, r) in candidates.enumerated() {
                if k < allowance {
                    status[Int(r)] = .kept
                } else {
                    status[Int(r)] = .demoted
                    band[Int(r)] = nextBand
                }
            }
            guard allowance > 0, allowance < candidates.count else { return }
            let lastKept = Int(candidates[allowance - 1])
            let firstDemoted = Int(candidates[allowance])
            if total[lastKept] == total[firstDemoted], deductions[lastKept] == deductions[firstDemoted],
                base[lastKept] == base[firstDemoted]
            {
                status[lastKept] = .tie
                status[firstDemoted] = .tie
            }
        }

        /// total desc, deductions asc, base desc, subject id asc.
        func store(into o: inout AssessmentOutcome) {
            o.band = band
            o.quotaStatus = status
            o.rank = ranks
            o.groupUnit = groupUnit
            o.groupSize = groupSize
            o.allowance = allowance
        }
    }
}
