/// The unit tree (单位上下级) in the shapes SPEC §5 needs: children and posts
/// of every unit as CSR lists, and an order that visits every unit after all
/// of its descendants, so a value rolls up from posts to the root in one pass.
struct UnitTree: Sendable {
    /// `childStart[u]..<childStart[u+1]` index `children`, in unit-id order.
    let childStart: [Int32]
    let children: [Int32]
    /// `postStart[u]..<postStart[u+1]` index `posts`: the posts directly in u, in post-id order.
    let postStart: [Int32]
    let posts: [Int32]
    /// Every unit, each one after all of its descendants (reverse breadth-first).
    let bottomUp: [Int32]

    /// - Complexity: O(units + posts).
    init(units: UnitTable, posts postTable: PostTable) {
        let parents = units.parent.map { Int($0) }
        (childStart, children) = Self.csr(keys: parents, buckets: units.count)
        (postStart, posts) = Self.csr(keys: postTable.unit.map { Int($0) }, buckets: units.count)
        bottomUp = Self.bottomUpOrder(parents: units.parent, childStart: childStart, children: children)
    }

    /// Groups row indices by key (keys < 0 are left out), keeping row order
    /// within a bucket: a counting sort.
    /// - Complexity: O(keys.count + buckets).
    static func csr(keys: [Int], buckets: Int) -> (start: [Int32], rows: [Int32]) {
        var start = [Int32](repeating: 0, count: buckets + 1)
        for k in keys where k >= 0 { start[k + 1] += 1 }
        for b in 0..<buckets { start[b + 1] += start[b] }
        var next = start
        var rows = [Int32](repeating: 0, count: Int(start[buckets]))
        for (row, k) in keys.enumerated() where k >= 0 {
            rows[Int(next[k])] = Int32(row)
            next[k] += 1
        }
        return (start, rows)
    }

    private static func bottomUpOrder(parents: [Int32], childStart: [Int32], children: [Int32]) -> [Int32] {
        var order: [Int32] = []
        order.reserveCapacity(parents.count)
        for (u, p) in parents.enumerated() where p < 0 { order.append(Int32(u)) }
        var head = 0
        while head < order.count {
            let u = Int(order[head])
            head += 1
            order.append(contentsOf: children[Int(childStart[u])..<Int(childStart[u + 1])])
        }
        return order.reversed()
    }

    /// The units of the subtree rooted at `root` (itself first), breadth-first.
    /// - Complexity: O(size of the subtree).
    func subtree(of root: Int) -> [Int32] {
        var units: [Int32] = [Int32(root)]
        var head = 0
        while head < units.count {
            let u = Int(units[head])
            head += 1
            units.append(contentsOf: children[Int(childStart[u])..<Int(childStart[u + 1])])
        }
        return units
    }

    /// The posts directly in unit u.
    func posts(in u: Int) -> ArraySlice<Int32> { posts[Int(postStart[u])..<Int(postStart[u + 1])] }
}
