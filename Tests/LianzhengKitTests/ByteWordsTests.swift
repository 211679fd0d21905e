import Testing
@testable import LianzhengKit

/// The eight-bytes-a-step searches against plain byte loops, on random
/// words and strings made of the bytes around each boundary they test
/// (0x00/0x01, 0x1F/0x20/0x21, `"` 0x22, `,` 0x2C, `\` 0x5C, CR, LF, 0x7F,
/// 0x80, 0xFF): only the first flagged byte of a word counts, and it must
/// be exactly the first matching byte.
@Suite struct ByteWordsTests {
    static let alphabet: [UInt8] = [0x00, 0x01, 0x09, 0x0A, 0x0D, 0x1F, 0x20, 0x21, 0x22, 0x2B, 0x2C, 0x2D, 0x5B, 0x5C, 0x5D,
                                    0x41, 0x7F, 0x80, 0xE5, 0xFF]

    static func word(_ bytes: [UInt8]) -> UInt64 {
        bytes.enumerated().reduce(UInt64(0)) { $0 | UInt64($1.element) << (8 * UInt64($1.offset)) }
    }

    @Test func firstFlaggedIsTheFirstMatch() {
        var random = SeededRandom(seed: 7)
        for _ in 0..<20000 {
            let bytes = (0..<8).map { _ in Self.alphabet[Int.random(in: 0..<Self.alphabet.count, using: &random)] }
            let w = Self.word(bytes)
            #expect(ByteWords.firstFlagged(ByteWords.zeroBytes(w)) == (bytes.firstIndex(of: 0) ?? 8), "\(bytes)")
            for target: UInt8 in [0x22, 0x2C, 0x5C, 0x0A] {
                #expect(ByteWords.firstFlagged(ByteWords.equal(w, target)) == (bytes.firstIndex(of: target) ?? 8), "\(bytes) \(target)")
            }
            for bound: UInt8 in [0x01, 0x20, 0x80] {
                #expect(ByteWords.firstFlagged(ByteWords.below(w, bound)) == (bytes.firstIndex { $0 < bound } ?? 8), "\(bytes) \(bound)")
            }
        }
    }

    /// The JSON writer's escape search and the CSV writer's quoting test,
    /// on strings of every length up to 40 (so both the word loop and the
    /// byte tail run).
    @Test func writerSearchesAgreeWithByteLoops() {
        var random = SeededRandom(seed: 8)
        for _ in 0..<20000 {
            let length = Int.random(in: 0...40, using: &random)
            // Mostly ordinary bytes, so that matches fall at every offset.
            let text = (0..<length).map { _ in
                Int.random(in: 0..<6, using: &random) == 0
                    ? Self.alphabet[Int.random(in: 0..<Self.alphabet.count, using: &random)] : UInt8(ascii: "a")
            }
            let start = length == 0 ? 0 : Int.random(in: 0...length, using: &random)
            let escaped = text.indices.first { $0 >= start && (text[$0] < 0x20 || text[$0] == 0x22 || text[$0] == 0x5C) }
            let special = text.contains { $0 == 0x2C || $0 == 0x22 || $0 == 0x0D || $0 == 0x0A }
            text.withUnsafeBufferPointer { b in
                #expect(JSONWriter.nextEscaped(in: b, from: start) == escaped, "\(text) from \(start)")
                #expect(CSVWriter.hasSpecialByte(b) == special, "\(text)")
            }
        }
    }
}
