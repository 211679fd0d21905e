import Foundation
import Testing
@testable import LianzhengKit

@Suite struct SHA256Tests {
    struct Vector: CustomTestStringConvertible, Sendable {
        var id: String
        var message: String
        var digest: String
        var testDescription: String { id }
    }

    /// FIPS 180-4 example digests (NIST "SHA256.pdf" examples) and the empty message.
    static let vectors: [Vector] = [
        Vector(
            id: "empty", message: "",
            digest: "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"),
        Vector(
            id: "abc (one block)", message: "abc",
            digest: "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"),
        Vector(
            id: "448 bits (two blocks: padding spills over)",
            message: "abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq",
            digest: "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1"),
        Vector(
            id: "896 bits",
            message: "abcdefghbcdefghicdefghijdefghijkefghijklfghijklmghijklmn"
                + "hijklmnoijklmnopjklmnopqklmnopqrlmnopqrsmnopqrstnopqrstu",
            digest: "cf5b16a778af8380036ce59e7b0492370b249b11e8f07a51afac45037afee9d1"),
        Vector(
            id: "one million a", message: String(repeating: "a", count: 1_000_000),
            digest: "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0"),
    ]

    @Test(arguments: vectors)
    func fipsVector(_ vector: Vector) {
        #expect(SHA256.hex(of: vector.message) == vector.digest)
        #expect(SHA256.hex(of: Array(vector.message.utf8)) == vector.digest)
        var hash = SHA256()
        hash.update(string: vector.message)
        #expect(hash.hexDigest() == vector.digest)
        #expect(hash.finalize().count == 32)
    }

    /// The same vectors through the Swift compression function, whether or
    /// not the processor has SHA extensions.
    @Test(arguments: vectors)
    func fipsVectorPortable(_ vector: Vector) {
        var hash = SHA256(accelerated: false)
        hash.update(string: vector.message)
        #expect(hash.hexDigest() == vector.digest)
    }

    /// The SHA extensions and the Swift compression function agree on
    /// messages of every length around the block size, and on long ones.
    @Test func acceleratedAndPortableAgree() {
        let message = Self.deterministicBytes(count: 300_000, seed: 7)
        for count in Array(0...200) + [4_095, 4_096, 65_537, 300_000] {
            var fast = SHA256()
            var portable = SHA256(accelerated: false)
            message[..<count].withUnsafeBytes { fast.update(bytes: $0); portable.update(bytes: $0) }
            if fast.hexDigest() != portable.hexDigest() {
                Issue.record("length \(count): \(fast.hexDigest()) vs \(portable.hexDigest())")
                return
            }
        }
    }

    /// Two messages of the same length hashed together (interleaved with
    /// the SHA extensions, one after the other without) give each its own
    /// digest, the one of a single hash, for lengths around the 64-byte
    /// block and the 56-byte padding boundary.
    @Test(arguments: [0, 1, 55, 56, 63, 64, 65, 127, 128, 1000, 4099, 65_536])
    func pairedDigestsAreEachMessagesOwn(length: Int) {
        let a = Self.deterministicBytes(count: length, seed: 11)
        let b = Self.deterministicBytes(count: length, seed: 12)
        for accelerated in [true, false] {
            let (da, db) = a.withUnsafeBytes { x in b.withUnsafeBytes { y in SHA256.digests(x, y, accelerated: accelerated) } }
            #expect(SHA256.hexEncoded(da) == SHA256.hex(of: a), "accelerated: \(accelerated)")
            #expect(SHA256.hexEncoded(db) == SHA256.hex(of: b), "accelerated: \(accelerated)")
        }
    }

    /// Split sizes around the 64-byte block and the 56-byte padding boundary.
    @Test(arguments: [1, 3, 55, 56, 57, 63, 64, 65, 127, 128, 1000, 4099])
    func chunkedUpdatesGiveTheSameDigest(chunk: Int) {
        let message = Self.deterministicBytes(count: 10_007, seed: 42)
        var hash = SHA256()
        var start = 0
        while start < message.count {
            let end = min(start + chunk, message.count)
            message[start..<end].withUnsafeBytes { hash.update(bytes: $0) }
            start = end
        }
        #expect(hash.hexDigest() == SHA256.hex(of: message))
    }

    @Test func millionAInUnevenChunks() {
        // Same FIPS vector as above, fed 7, 13, 64, 7, 13, 64, … bytes at a time.
        let sizes = [7, 13, 64]
        var hash = SHA256()
        var left = 1_000_000
        var turn = 0
        while left > 0 {
            let n = min(sizes[turn % sizes.count], left)
            hash.update(string: String(repeating: "a", count: n))
            left -= n
            turn += 1
        }
        #expect(hash.hexDigest() == "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0")
    }

    @Test func finalizeDoesNotConsumeTheHash() {
        var hash = SHA256()
        hash.update(string: "ab")
        _ = hash.finalize()
        hash.update(string: "c")
        #expect(hash.hexDigest() == "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad")
    }

    @Test func hexEncoding() {
        #expect(SHA256.hexEncoded([0x00, 0x0f, 0xa5, 0xff]) == "000fa5ff")
    }

    /// 8 MB of generated bytes, compared with coreutils `sha256sum`.
    @Test func slowLargeInputMatchesSha256sum() throws {
        let count = 8 * 1024 * 1024 + 17
        let bytes = Self.deterministicBytes(count: count, seed: 0x5eed)
        let url = FileManager.default.temporaryDirectory
            .appendingPathComponent("lianzheng-sha256-\(ProcessInfo.processInfo.processIdentifier).bin")
        try Data(bytes).write(to: url)
        defer { try? FileManager.default.removeItem(at: url) }

        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/sha256sum")
        process.arguments = [url.path]
        let pipe = Pipe()
        process.standardOutput = pipe
        try process.run()
        let output = pipe.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        #expect(process.terminationStatus == 0)
        let expected = String(decoding: output, as: UTF8.self).prefix(64)

        var hash = SHA256()
        // Uneven pieces so both the in-place and the buffered paths run.
        var start = 0
        var piece = 1_000_003
        while start < count {
            let end = min(start + piece, count)
            bytes[start..<end].withUnsafeBytes { hash.update(bytes: $0) }
            start = end
            piece = piece == 1_000_003 ? 333 : 1_000_003
        }
        #expect(hash.hexDigest() == String(expected))
    }

    /// xorshift64 bytes: the same sequence on every run.
    static func deterministicBytes(count: Int, seed: UInt64) -> [UInt8] {
        var state = seed
        return [UInt8](unsafeUninitializedCapacity: count) { buffer, initialized in
            for i in 0..<count {
                state ^= state << 13
                state ^= state >> 7
                state ^= state << 17
                buffer[i] = UInt8(truncatingIfNeeded: state >> 32)
            }
            initialized = count
        }
    }
}
