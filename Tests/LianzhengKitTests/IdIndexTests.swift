import Testing
@testable import LianzhengKit

/// The id hash index behind every reference lookup and duplicate check:
/// each text is found at the row it was added as, absent texts are not
/// found, and a repeated text reports the row that has it already.
@Suite struct IdIndexTests {
    /// Ids of varied lengths (0 to 20 bytes, some sharing long prefixes,
    /// some multibyte), `n` of them, distinct by construction.
    static func ids(_ n: Int) -> [String] {
        (0..<n).map { i in
            switch i % 4 {
            case 0: "P\(i)"
            case 1: "岗位-\(i)"
            case 2: String(repeating: "x", count: 12) + "\(i)"
            default: i == 3 ? "" : "U\(i)"
            }
        }
    }

    @Test(arguments: [1, 7, 600, 20_000])
    func findsWhatWasInserted(_ n: Int) {
        let ids = Self.ids(n)
        let column = TextColumn(ids)
        var index = IdIndex()
        for row in 0..<n { #expect(index.insert(row: Int32(row), in: column) == nil, "\(ids[row])") }
        #expect(index.count == n)
        for (row, id) in ids.enumerated() {
            var text = id
            #expect(text.withUTF8 { index.find($0, in: column) } == Int32(row), "\(id)")
        }
        for absent in ["Q1", "P", "岗位-", "x", String(repeating: "x", count: 12)] {
            var text = absent
            #expect(text.withUTF8 { index.find($0, in: column) } == nil, "\(absent)")
        }
    }

    /// A repeat of an earlier text is refused with the earlier row, and
    /// leaves the index as it was; reserving first changes nothing found.
    @Test(arguments: [false, true])
    func repeatsReportTheFirstRow(_ reserveFirst: Bool) {
        let base = Self.ids(3000)
        let column = TextColumn(base + [base[17], base[2999], base[3]])
        var index = IdIndex()
        if reserveFirst { index.reserve(column.count, in: column) }
        for row in 0..<3000 { #expect(index.insert(row: Int32(row), in: column) == nil) }
        #expect(index.insert(row: 3000, in: column) == 17)
        #expect(index.insert(row: 3001, in: column) == 2999)
        #expect(index.insert(row: 3002, in: column) == 3)
        #expect(index.count == 3000)
        var text = base[17]
        #expect(text.withUTF8 { index.find($0, in: column) } == 17)
    }
}
