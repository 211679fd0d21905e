import CSHA256

/// SHA-256 (FIPS 180-4), written by hand: the toolkit has no package
/// dependencies and neither Foundation nor glibc on Linux offers one.
///
/// Whole blocks go through the processor's SHA extensions when it has them
/// (`CSHA256`, about ten times faster), else through the Swift compression
/// function below; both give the same digests (tested).
///
/// Streaming: feed any number of `update` calls, then `finalize()`.
/// Whole 64-byte blocks are compressed straight from the caller's memory;
/// only a partial block (< 64 bytes) is ever copied.
///
/// ```swift
/// var hash = SHA256()
/// hash.update(string: "abc")
/// hash.hexDigest() // "ba7816bf…"
/// ```
public struct SHA256: Sendable {
    /// H(0), FIPS 180-4 §5.3.3.
    private static let initialState: [UInt32] = [
        0x6a09_e667, 0xbb67_ae85, 0x3c6e_f372, 0xa54f_f53a,
        0x510e_527f, 0x9b05_688c, 0x1f83_d9ab, 0x5be0_cd19,
    ]

    /// K(256), FIPS 180-4 §4.2.2.
    private static let roundConstants: [UInt32] = [
        0x428a_2f98, 0x7137_4491, 0xb5c0_fbcf, 0xe9b5_dba5, 0x3956_c25b, 0x59f1_11f1, 0x923f_82a4, 0xab1c_5ed5,
        0xd807_aa98, 0x1283_5b01, 0x2431_85be, 0x550c_7dc3, 0x72be_5d74, 0x80de_b1fe, 0x9bdc_06a7, 0xc19b_f174,
        0xe49b_69c1, 0xefbe_4786, 0x0fc1_9dc6, 0x240c_a1cc, 0x2de9_2c6f, 0x4a74_84aa, 0x5cb0_a9dc, 0x76f9_88da,
        0x983e_5152, 0xa831_c66d, 0xb003_27c8, 0xbf59_7fc7, 0xc6e0_0bf3, 0xd5a7_9147, 0x06ca_6351, 0x1429_2967,
        0x27b7_0a85, 0x2e1b_2138, 0x4d2c_6dfc, 0x5338_0d13, 0x650a_7354, 0x766a_0abb, 0x81c2_c92e, 0x9272_2c85,
        0xa2bf_e8a1, 0xa81a_664b, 0xc24b_8b70, 0xc76c_51a3, 0xd192_e819, 0xd699_0624, 0xf40e_3585, 0x106a_a070,
        0x19a4_c116, 0x1e37_6c08, 0x2748_774c, 0x34b0_bcb5, 0x391c_0cb3, 0x4ed8_aa4a, 0x5b9c_ca4f, 0x682e_6ff3,
        0x748f_82ee, 0x78a5_636f, 0x84c8_7814, 0x8cc7_0208, 0x90be_fffa, 0xa450_6ceb, 0xbef9_a3f7, 0xc671_78f2,
    ]

    private static let blockSize = 64

    private var state: [UInt32] = SHA256.initialState
    /// Bytes of an incomplete block, always fewer than 64.
    private var pending: [UInt8] = []
    /// Total message length so far, in bytes.
    private var byteCount: UInt64 = 0
    /// Whether whole blocks go through the SHA extensions.
    private let accelerated: Bool

    /// Whether this processor has SHA extensions (asked once).
    static let hardwareAvailable = lianzheng_sha256_hw_available() != 0

    /// A hash of the empty message, ready for `update`.
    public init() {
        self.init(accelerated: Self.hardwareAvailable)
    }

    /// `accelerated: false` forces the Swift compression function (tests
    /// compare the two).
    init(accelerated: Bool) {
        self.accelerated = accelerated && Self.hardwareAvailable
        pending.reserveCapacity(Self.blockSize)
    }

    /// Appends raw bytes to the message.
    /// - Complexity: O(n); whole blocks are read in place, without copying.
    public mutating func update(bytes: UnsafeRawBufferPointer) {
        guard !bytes.isEmpty else { return }
        byteCount &+= UInt64(bytes.count)
        var offset = 0
        if !pending.isEmpty {
            let take = min(Self.blockSize - pending.count, bytes.count)
            pending.append(contentsOf: bytes[0..<take])
            offset = take
            guard pending.count == Self.blockSize else { return }
            let block = pending
            block.withUnsafeBytes { compress(blocks: $0) }
            pending.removeAll(keepingCapacity: true)
        }
        let wholeBlocks = (bytes.count - offset) / Self.blockSize * Self.blockSize
        if wholeBlocks > 0 {
            compress(blocks: UnsafeRawBufferPointer(rebasing: bytes[offset..<(offset + wholeBlocks)]))
            offset += wholeBlocks
        }
        if offset < bytes.count {
            pending.append(contentsOf: bytes[offset...])
        }
    }

    /// The digests of two messages of the same length, hashed together:
    /// with the SHA extensions the blocks of both go through the processor
    /// interleaved (`lianzheng_sha256_hw_compress2`), about a third faster
    /// than one message after the other. `accelerated: false` hashes them
    /// one after the other with the Swift code (tests compare the two).
    /// - Complexity: O(n); whole blocks are read in place, without copying.
    static func digests(
        _ a: UnsafeRawBufferPointer, _ b: UnsafeRawBufferPointer, accelerated: Bool = true
    ) -> (a: [UInt8], b: [UInt8]) {
        precondition(a.count == b.count, "messages of different lengths")
        var first = SHA256(accelerated: accelerated)
        var second = SHA256(accelerated: accelerated)
        let whole = a.count / blockSize * blockSize
        if first.accelerated, whole > 0 {
            first.state.withUnsafeMutableBufferPointer { sa in
                second.state.withUnsafeMutableBufferPointer { sb in
                    lianzheng_sha256_hw_compress2(
                        sa.baseAddress!, a.baseAddress!.assumingMemoryBound(to: UInt8.self),
                        sb.baseAddress!, b.baseAddress!.assumingMemoryBound(to: UInt8.self), whole / blockSize)
                }
            }
            first.byteCount = UInt64(whole)
            second.byteCount = UInt64(whole)
        }
        let done = first.byteCount == 0 ? 0 : whole
        first.update(bytes: UnsafeRawBufferPointer(rebasing: a[done...]))
        second.update(bytes: UnsafeRawBufferPointer(rebasing: b[done...]))
        return (first.finalize(), second.finalize())
    }

    /// Appends bytes to the message.
    public mutating func update(bytes: [UInt8]) {
        bytes.withUnsafeBytes { update(bytes: $0) }
    }

    /// Appends the UTF-8 encoding of `string` to the message.
    public mutating func update(string: String) {
        var text = string
        text.withUTF8 { update(bytes: UnsafeRawBufferPointer($0)) }
    }

    /// The 32-byte digest of everything added so far.
    ///
    /// Pads a copy (FIPS 180-4 §5.1.1), so the hash can still be updated.
    public func finalize() -> [UInt8] {
        var copy = self
        let bitLength = byteCount &* 8
        var padding: [UInt8] = [0x80]
        let used = (pending.count + 1) % Self.blockSize
        let zeros = used <= 56 ? 56 - used : 56 + Self.blockSize - used
        padding.append(contentsOf: repeatElement(0, count: zeros))
        for shift in stride(from: 56, through: 0, by: -8) {
            padding.append(UInt8(truncatingIfNeeded: bitLength >> UInt64(shift)))
        }
        copy.update(bytes: padding)
        var digest: [UInt8] = []
        digest.reserveCapacity(32)
        for word in copy.state {
            digest.append(contentsOf: [
                UInt8(truncatingIfNeeded: word >> 24), UInt8(truncatingIfNeeded: word >> 16),
                UInt8(truncatingIfNeeded: word >> 8), UInt8(truncatingIfNeeded: word),
            ])
        }
        return digest
    }

    /// The digest as 64 lowercase hex digits.
    public func hexDigest() -> String {
        Self.hexEncoded(finalize())
    }

    /// The SHA-256 digest of `bytes` as 64 lowercase hex digits.
    public static func hex(of bytes: [UInt8]) -> String {
        var hash = SHA256()
        hash.update(bytes: bytes)
        return hash.hexDigest()
    }

    /// The SHA-256 digest of the UTF-8 encoding of `string`, as lowercase hex.
    public static func hex(of string: String) -> String {
        var hash = SHA256()
        hash.update(string: string)
        return hash.hexDigest()
    }

    /// `bytes` written as lowercase hex, two digits per byte.
    public static func hexEncoded(_ bytes: [UInt8]) -> String {
        let digits = Array("0123456789abcdef".utf8)
        var out: [UInt8] = []
        out.reserveCapacity(bytes.count * 2)
        for byte in bytes {
            out.append(digits[Int(byte >> 4)])
            out.append(digits[Int(byte & 0x0f)])
        }
        return String(decoding: out, as: UTF8.self)
    }

    /// Runs the compression function over whole blocks (FIPS 180-4 §6.2.2).
    /// - Complexity: O(n), no heap allocation.
    private mutating func compress(blocks: UnsafeRawBufferPointer) {
        let blockCount = blocks.count / Self.blockSize
        if accelerated {
            state.withUnsafeMutableBufferPointer { h in
                lianzheng_sha256_hw_compress(h.baseAddress!, blocks.baseAddress!.assumingMemoryBound(to: UInt8.self), blockCount)
            }
            return
        }
        Self.roundConstants.withUnsafeBufferPointer { k in
            state.withUnsafeMutableBufferPointer { h in
                withUnsafeTemporaryAllocation(of: UInt32.self, capacity: 64) { w in
                    for block in 0..<blockCount {
                        Self.compressBlock(
                            blocks.baseAddress! + block * Self.blockSize, state: h, schedule: w, constants: k)
                    }
                }
            }
        }
    }

    @inline(__always)
    private static func compressBlock(
        _ block: UnsafeRawPointer, state h: UnsafeMutableBufferPointer<UInt32>,
        schedule w: UnsafeMutableBufferPointer<UInt32>, constants k: UnsafeBufferPointer<UInt32>
    ) {
        for t in 0..<16 {
            w[t] = UInt32(bigEndian: block.loadUnaligned(fromByteOffset: t * 4, as: UInt32.self))
        }
        for t in 16..<64 {
            let x = w[t - 15], y = w[t - 2]
            let sigma0 = rotr(x, 7) ^ rotr(x, 18) ^ (x >> 3)
            let sigma1 = rotr(y, 17) ^ rotr(y, 19) ^ (y >> 10)
            w[t] = sigma1 &+ w[t - 7] &+ sigma0 &+ w[t - 16]
        }
        var a = h[0], b = h[1], c = h[2], d = h[3]
        var e = h[4], f = h[5], g = h[6], hh = h[7]
        for t in 0..<64 {
            let bigSigma1 = rotr(e, 6) ^ rotr(e, 11) ^ rotr(e, 25)
            let choose = (e & f) ^ (~e & g)
            let t1 = hh &+ bigSigma1 &+ choose &+ k[t] &+ w[t]
            let bigSigma0 = rotr(a, 2) ^ rotr(a, 13) ^ rotr(a, 22)
            let majority = (a & b) ^ (a & c) ^ (b & c)
            let t2 = bigSigma0 &+ majority
            hh = g
            g = f
            f = e
            e = d &+ t1
            d = c
            c = b
            b = a
            a = t1 &+ t2
        }
        h[0] &+= a
        h[1] &+= b
        h[2] &+= c
        h[3] &+= d
        h[4] &+= e
        h[5] &+= f
        h[6] &+= g
        h[7] &+= hh
    }

    @inline(__always)
    private static func rotr(_ x: UInt32, _ n: UInt32) -> UInt32 {
        (x &>> n) | (x &<< (32 - n))
    }
}
