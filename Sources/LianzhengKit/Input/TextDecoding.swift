import CUTF8
import Dispatch
import Foundation

#if canImport(Glibc)
    import Glibc
#endif

/// 文件编码: how an input file's bytes are read (SPEC §2).
public enum InputEncoding: String, Sendable, CaseIterable {
    /// Valid UTF-8 ⇒ UTF-8, else GB18030.
    case auto
    case utf8
    case gb18030
}

/// UTF-8 text of one input file, whatever encoding it was written in.
///
/// Valid UTF-8 files are used in place (no copy); GB18030 files are converted
/// once with iconv. A leading BOM is dropped.
public struct DecodedText {
    /// Storage when the text had to be converted.
    private let converted: [UInt8]?
    private let mapped: MappedFile
    private let offset: Int

    public let encoding: InputEncoding

    /// Decodes `file`.
    /// - Throws: `.invalidData` with the line and byte column of the first
    ///   byte that cannot be decoded; `.invalidData` at line 1 for an empty file.
    public init(file: MappedFile, displayName: String, encoding requested: InputEncoding) throws(LianzhengError) {
        mapped = file
        let result: (offset: Int, converted: [UInt8]?, encoding: InputEncoding, error: Int?) = file.withBytes { bytes in
            let bomLength = bytes.count >= 3 && bytes[0] == 0xEF && bytes[1] == 0xBB && bytes[2] == 0xBF ? 3 : 0
            let body = UnsafeBufferPointer(rebasing: bytes[bomLength...])
            if requested != .gb18030 {
                let bad = isValidUTF8(body) ? nil : firstInvalidUTF8(body)
                if bad == nil { return (bomLength, nil, .utf8, nil) }
                if requested == .utf8 || bomLength == 3 { return (bomLength, nil, .utf8, bomLength + bad!) }
            }
            switch convertGB18030(bytes) {
            case .success(let out): return (0, out, .gb18030, nil)
            case .failure(let at): return (0, nil, .gb18030, at.offset)
            }
        }
        if let errorOffset = result.error {
            let (line, column) = file.withBytes { lineAndByteColumn(of: errorOffset, in: $0) }
            let name = result.encoding == .utf8 ? "UTF-8" : "GB18030"
            throw .invalidData(
                [InputIssue(file: displayName, line: line, column: column, message: "无法按 \(name) 解码的字节 (undecodable bytes)")],
                total: 1)
        }
        offset = result.offset
        converted = result.converted
        encoding = result.encoding
        // Checking the encoding touched every page; reading the rows
        // brings them back a piece at a time, so the whole file is never
        // resident at once on top of the parsed columns.
        file.releasePages(0..<file.count)
        let isEmpty = withBytes { bytes in bytes.isEmpty }
        if isEmpty {
            throw .invalidData([InputIssue(file: displayName, line: 1, column: 1, message: "文件为空，缺少表头 (empty file)")], total: 1)
        }
    }

    /// Releases the memory of bytes `range` (offsets into `withBytes`'s
    /// buffer) when they are read in place from the mapped file; a no-op for
    /// converted text.
    func releasePages(_ range: Range<Int>) {
        if converted == nil { mapped.releasePages((offset + range.lowerBound)..<(offset + range.upperBound)) }
    }

    /// Calls `body` with the UTF-8 bytes (BOM removed).
    public func withBytes<R>(_ body: (UnsafeBufferPointer<UInt8>) throws -> R) rethrows -> R {
        if let converted {
            return try converted.withUnsafeBufferPointer { all in
                let skip = all.count >= 3 && all[0] == 0xEF && all[1] == 0xBB && all[2] == 0xBF ? 3 : 0
                return try body(UnsafeBufferPointer(rebasing: all[skip...]))
            }
        }
        return try mapped.withBytes { try body(UnsafeBufferPointer(rebasing: $0[offset...])) }
    }
}

/// 1-based line and byte column of byte `offset`.
func lineAndByteColumn(of offset: Int, in bytes: UnsafeBufferPointer<UInt8>) -> (Int, Int) {
    var line = 1
    var lineStart = 0
    var i = 0
    while i < offset && i < bytes.count {
        if bytes[i] == 0x0A {
            line += 1
            lineStart = i + 1
        }
        i += 1
    }
    return (line, offset - lineStart + 1)
}

/// Whether all of `bytes` is well-formed UTF-8, checked in pieces on all
/// cores (each piece starts at a lead byte, so sequences never straddle
/// two pieces). Where it is not, `firstInvalidUTF8` finds the first bad
/// byte front to back.
func isValidUTF8(_ bytes: UnsafeBufferPointer<UInt8>) -> Bool {
    let pieces = min(4 * ProcessInfo.processInfo.activeProcessorCount, bytes.count / (1 << 20))
    guard pieces > 1 else { return isWellFormedUTF8(bytes) }
    var bounds = [0]
    for k in 1..<pieces {
        var p = max(bytes.count / pieces * k, bounds.last!)
        while p < bytes.count, bytes[p] & 0xC0 == 0x80 { p += 1 }
        if p > bounds.last!, p < bytes.count { bounds.append(p) }
    }
    bounds.append(bytes.count)
    let pieceBounds = bounds
    let valid = ResultSlots<Bool>(count: bounds.count - 1)
    let shared = Unchecked(bytes)
    DispatchQueue.concurrentPerform(iterations: bounds.count - 1) { k in
        let piece = UnsafeBufferPointer(rebasing: shared.value[pieceBounds[k]..<pieceBounds[k + 1]])
        valid.set(k, isWellFormedUTF8(piece))
    }
    return valid.take().allSatisfy { $0 == true }
}

/// Whether the processor can validate UTF-8 with AVX2, asked once.
private let utf8ValidationHasAVX2 = lianzheng_utf8_avx2_available() != 0

/// Whether all of `bytes` is well-formed UTF-8: 32 bytes a step with AVX2
/// where the processor has it, else `firstInvalidUTF8`.
func isWellFormedUTF8(_ bytes: UnsafeBufferPointer<UInt8>) -> Bool {
    wellFormedUTF8WithAVX2(bytes) ?? (firstInvalidUTF8(bytes) == nil)
}

/// The AVX2 validator's verdict on `bytes` (CUTF8), nil where the
/// processor lacks AVX2.
func wellFormedUTF8WithAVX2(_ bytes: UnsafeBufferPointer<UInt8>) -> Bool? {
    guard utf8ValidationHasAVX2 else { return nil }
    guard let base = bytes.baseAddress else { return true }
    return lianzheng_utf8_valid_avx2(base, bytes.count) != 0
}

/// Offset of the first byte that is not part of a well-formed UTF-8
/// sequence, or nil when all of `bytes` is valid UTF-8.
/// - Complexity: O(n), eight ASCII bytes per step.
func firstInvalidUTF8(_ bytes: UnsafeBufferPointer<UInt8>) -> Int? {
    guard let base = bytes.baseAddress else { return nil }
    let n = bytes.count
    var i = 0
    while i < n {
        if i + 8 <= n {
            let word = UnsafeRawPointer(base + i).loadUnaligned(as: UInt64.self)
            if word & 0x8080_8080_8080_8080 == 0 {
                i += 8
                continue
            }
        }
        let b0 = base[i]
        if b0 < 0x80 {
            i += 1
            continue
        }
        // Chinese text is mostly three-byte sequences led by E1…EC or
        // EE…EF, which need no range check on the second byte.
        if i + 3 <= n, b0 &- 0xE1 < 0x0C || b0 >= 0xEE && b0 <= 0xEF, base[i + 1] & 0xC0 == 0x80, base[i + 2] & 0xC0 == 0x80 {
            i += 3
            continue
        }
        let length: Int
        var lower: UInt8 = 0x80
        var upper: UInt8 = 0xBF
        switch b0 {
        case 0xC2...0xDF: length = 2
        case 0xE0: length = 3; lower = 0xA0
        case 0xE1...0xEC, 0xEE...0xEF: length = 3
        case 0xED: length = 3; upper = 0x9F
        case 0xF0: length = 4; lower = 0x90
        case 0xF1...0xF3: length = 4
        case 0xF4: length = 4; upper = 0x8F
        default: return i
        }
        if i + length > n { return i }
        let b1 = base[i + 1]
        if b1 < lower || b1 > upper { return i }
        var k = 2
        while k < length {
            if base[i + k] & 0xC0 != 0x80 { return i }
            k += 1
        }
        i += length
    }
    return nil
}

/// Converts GB18030 bytes to UTF-8 with iconv.
/// - Returns: the UTF-8 bytes, or the offset of the first byte iconv rejects.
func convertGB18030(_ input: UnsafeBufferPointer<UInt8>) -> Result<[UInt8], GB18030Failure> {
    guard let cd = iconv_open("UTF-8", "GB18030"), cd != iconv_t(bitPattern: -1) else {
        return .failure(GB18030Failure(offset: 0))
    }
    defer { iconv_close(cd) }
    var output = [UInt8](repeating: 0, count: input.count + input.count / 2 + 16)
    var produced = 0
    var consumed = 0
    while consumed < input.count {
        var inLeft = input.count - consumed
        var outLeft = output.count - produced
        let status: Int = output.withUnsafeMutableBufferPointer { out in
            var inPtr: UnsafeMutablePointer<CChar>? = UnsafeMutableRawPointer(mutating: input.baseAddress! + consumed)
                .assumingMemoryBound(to: CChar.self)
            var outPtr: UnsafeMutablePointer<CChar>? = UnsafeMutableRawPointer(out.baseAddress! + produced)
                .assumingMemoryBound(to: CChar.self)
            let r = iconv(cd, &inPtr, &inLeft, &outPtr, &outLeft)
            return r == -1 ? Int(errno) : 0
        }
        let newConsumed = input.count - inLeft
        produced = output.count - outLeft
        consumed = newConsumed
        if status == 0 { break }
        if status == E2BIG {
            output.append(contentsOf: repeatElement(0, count: output.count / 2 + 64))
            continue
        }
        return .failure(GB18030Failure(offset: consumed))
    }
    output.removeSubrange(produced...)
    return .success(output)
}

struct GB18030Failure: Error {
    var offset: Int
}
