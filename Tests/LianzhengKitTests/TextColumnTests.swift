import Testing
@testable import LianzhengKit

@Suite struct TextColumnTests {
    @Test func bytewiseOrderIsUTF8Order() {
        // "Z" (0x5A) < "a" (0x61) < "é" (0xC3 0xA9) < "中" (0xE4 0xB8 0xAD) in UTF-8 bytes.
        let col = TextColumn(["中", "a", "é", "Z", "ab"])
        let order = (0..<col.count).sorted { col.precedes($0, $1) }.map { col[$0] }
        #expect(order == ["Z", "a", "ab", "é", "中"])
        #expect(utf8Precedes("Z", "a"))
        #expect(!utf8Precedes("中", "é"))
    }

    /// Joining columns (as the pieces of a file are joined) gives the texts
    /// appending them one by one gives, empty texts and empty columns
    /// included: every end shifted by the bytes before it.
    @Test func joiningColumnsKeepsEveryText() {
        let pieces: [[String]] = [["甲1", "", "乙22"], [], ["", ""], ["丙333"], ["x", "yz"]]
        var joined = TextColumn()
        var oneByOne = TextColumn()
        for piece in pieces {
            var column = TextColumn()
            for text in piece {
                column.append(text)
                oneByOne.append(text)
            }
            joined.append(contentsOf: column)
        }
        #expect((0..<joined.count).map { joined[$0] } == pieces.flatMap { $0 })
        #expect(joined.bytes == oneByOne.bytes && joined.ends == oneByOne.ends)
        // 甲1 is 4 bytes, 乙22 5, 丙333 6: ends 4, 4, 9, 9, 9, 15, 16, 18.
        #expect(joined.ends == [4, 4, 9, 9, 9, 15, 16, 18])
    }

    /// `sameBytes` compares ids of 8 to 16 bytes as two overlapping words:
    /// a difference at any single position of any length from 0 to 40 is
    /// seen, equal strings are equal, and a length difference alone is
    /// enough (a prefix is not the same id).
    @Test func sameBytesSeesEveryDifference() {
        for n in 0...40 {
            let a = (0..<n).map { UInt8(0x41 + $0 % 26) }
            a.withUnsafeBufferPointer { pa in
                let copy = Array(a)
                copy.withUnsafeBufferPointer { #expect(sameBytes(pa, $0), "length \(n)") }
                for k in 0..<n {
                    var b = a
                    b[k] ^= 0x20
                    b.withUnsafeBufferPointer { #expect(!sameBytes(pa, $0), "length \(n), byte \(k)") }
                }
                let longer = a + [0x41]
                longer.withUnsafeBufferPointer { #expect(!sameBytes(pa, $0), "length \(n) + 1") }
            }
        }
    }

    /// `textsAreDistinct` against a `Set` of the same texts, for columns
    /// small enough for one partition and large enough for 2^5 of them
    /// (140,000 texts), with and without one repeated text. The repeat is
    /// the first text, the last, or one in the middle, so that it lands in
    /// different partitions; ids one byte longer than another ("P1" and
    /// "P10") and empty texts must not count as repeats.
    @Test(arguments: [0, 1, 2, 3, 4_095, 4_096, 20_000, 140_000])
    func textsAreDistinctAgreesWithASet(_ count: Int) {
        var texts = (0..<count).map { "P\($0)" }
        if count > 0 { texts[0] = "" }
        let column = TextColumn(texts)
        #expect(Set(texts).count == count)
        #expect(column.textsAreDistinct())
        #expect(column.textsAreDistinct(threads: 1))
        guard count > 1 else { return }
        for repeated in Set([0, count / 2, count - 1]) {
            var withRepeat = texts
            withRepeat.insert(texts[repeated], at: (repeated * 7 + 1) % count)
            #expect(!TextColumn(withRepeat).textsAreDistinct(), "\(count) texts, repeat of \(repeated)")
        }
    }
}
