import Testing

@testable import LianzhengKit

/// The AVX2 validator (CUTF8) against the scalar scan `firstInvalidUTF8`,
/// which `firstInvalidUTF8AgreesWithTheStandardLibrary` checks against the
/// standard library. Skipped on a processor without AVX2.
@Suite(.enabled(if: wellFormedUTF8WithAVX2([UInt8]().withUnsafeBufferPointer { $0 }) != nil, "no AVX2 here"))
struct UTF8ValidationTests {
    /// The bytes where the rules change: ASCII, continuation bounds, and
    /// leads C0/C1 (always overlong), C2, DF, E0 (needs A0..BF), E1, EC,
    /// ED (needs 80..9F: no surrogates), EE, EF, F0 (needs 90..BF), F1,
    /// F3, F4 (needs 80..8F: nothing above U+10FFFF), F5, FF (never valid).
    static let edgeBytes: [UInt8] = [
        0x00, 0x41, 0x7F, 0x80, 0x8F, 0x90, 0x9F, 0xA0, 0xBF, 0xC0, 0xC1, 0xC2, 0xDF,
        0xE0, 0xE1, 0xEC, 0xED, 0xEE, 0xEF, 0xF0, 0xF1, 0xF3, 0xF4, 0xF5, 0xFF,
    ]

    static func avx2(_ bytes: [UInt8]) -> Bool { bytes.withUnsafeBufferPointer { wellFormedUTF8WithAVX2($0)! } }
    static func scalar(_ bytes: [UInt8]) -> Bool { bytes.withUnsafeBufferPointer { firstInvalidUTF8($0) == nil } }

    /// Hand-checked verdicts (RFC 3629 §4), one per rule, at the start of a
    /// block, across the boundary of two 32-byte blocks and at the end.
    @Test(arguments: [
        ([0xE4, 0xB8, 0xAD, 0xE6, 0x96, 0x87], true),  // 中文
        ([0xC2, 0x80], true),  // U+0080, the smallest two-byte form
        ([0xDF, 0xBF], true),  // U+07FF
        ([0xE0, 0xA0, 0x80], true),  // U+0800, the smallest three-byte form
        ([0xED, 0x9F, 0xBF], true),  // U+D7FF, just below the surrogates
        ([0xEE, 0x80, 0x80], true),  // U+E000, just above them
        ([0xF0, 0x90, 0x80, 0x80], true),  // U+10000
        ([0xF4, 0x8F, 0xBF, 0xBF], true),  // U+10FFFF, the largest
        ([0xC0, 0xAF], false),  // overlong '/'
        ([0xC1, 0xBF], false),  // overlong U+007F
        ([0xE0, 0x9F, 0xBF], false),  // overlong U+07FF
        ([0xF0, 0x8F, 0xBF, 0xBF], false),  // overlong U+FFFF
        ([0xED, 0xA0, 0x80], false),  // U+D800, a surrogate
        ([0xF4, 0x90, 0x80, 0x80], false),  // U+110000
        ([0xF5, 0x80, 0x80, 0x80], false),  // no such lead
        ([0x80], false),  // a continuation alone
        ([0xE4, 0xB8], false),  // cut short
        ([0xE4, 0xB8, 0xAD, 0xAD], false),  // one continuation too many
        ([0xC2, 0x41], false),  // a lead followed by ASCII
    ] as [([UInt8], Bool)])
    func handChecked(_ sequence: [UInt8], _ valid: Bool) {
        for offset in [0, 29, 30, 31, 32, 63] {
            let text = [UInt8](repeating: 0x61, count: offset) + sequence + [UInt8](repeating: 0x62, count: 40)
            #expect(Self.avx2(text) == valid, "\(sequence) at \(offset)")
            // And as the very end of the data (the padded tail).
            let atEnd = [UInt8](repeating: 0x61, count: offset) + sequence
            #expect(Self.avx2(atEnd) == valid, "\(sequence) at the end, after \(offset)")
        }
    }

    /// Every sequence of one to four edge bytes (25⁴ = 390,625 of the
    /// longest), placed so that it crosses a block boundary, agrees with
    /// the scalar scan.
    @Test func everyShortSequenceOfEdgeBytes() {
        let bytes = Self.edgeBytes
        var disagreements: [[UInt8]] = []
        var text = [UInt8](repeating: 0x61, count: 70)
        for a in bytes {
            for b in bytes {
                for c in bytes {
                    for d in bytes {
                        // 30...33: two bytes in the first block, two in the second.
                        text[30] = a; text[31] = b; text[32] = c; text[33] = d
                        if Self.avx2(text) != Self.scalar(text) { disagreements.append([a, b, c, d]) }
                    }
                }
            }
        }
        #expect(disagreements.isEmpty, "\(disagreements.prefix(10))")
    }

    /// Long text (Chinese, ASCII, four-byte emoji) with one random byte
    /// changed, or cut at a random place: the same verdict as the scalar scan.
    @Test func randomCorruptionsOfLongText() {
        let valid = Array(String(repeating: "岗位编号P0001,职权名称,é😀 行政许可\n", count: 40).utf8)
        #expect(Self.avx2(valid))
        var random = SeededRandom(seed: 29)
        for _ in 0..<20_000 {
            var text = valid
            if Bool.random(using: &random) {
                text[Int.random(in: 0..<text.count, using: &random)] = UInt8.random(in: 0...255, using: &random)
            } else {
                text.removeLast(Int.random(in: 1..<text.count, using: &random))
            }
            #expect(Self.avx2(text) == Self.scalar(text), "\(text)")
        }
    }

    @Test func emptyAndShortInputs() {
        #expect(Self.avx2([]))
        #expect(Self.avx2([0x41]))
        #expect(!Self.avx2([0xE4]))
        #expect(Self.avx2(Array("中".utf8)))
    }
}
