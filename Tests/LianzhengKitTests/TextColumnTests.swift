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
}
