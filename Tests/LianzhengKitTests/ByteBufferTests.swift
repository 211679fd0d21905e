import Foundation
import Dispatch
import Testing
@testable import LianzhengKit

/// The output buffer under the JSON and CSV writers, and the background
/// task the year-end run waits on from several places.
@Suite struct ByteBufferTests {
    /// Appends that cross the capacity many times (64 bytes at first, so
    /// 1,000 appends of 1–7 bytes regrow it several times) keep every byte
    /// in order: the same as an Array fed the same appends.
    @Test func growthKeepsEveryByteInOrder() {
        let buffer = ByteBuffer(capacity: 1)
        var expected: [UInt8] = []
        for i in 0..<1000 {
            let piece = (0..<(1 + i % 7)).map { UInt8(truncatingIfNeeded: i &* 31 &+ $0) }
            if piece.count == 1 {
                buffer.append(piece[0])
            } else {
                piece.withUnsafeBufferPointer { buffer.append($0) }
            }
            expected += piece
        }
        #expect(buffer.count == expected.count)
        #expect(buffer.array == expected)
    }

    /// Growing from 1 MiB past 16 MiB moves the bytes into memory aligned
    /// for huge pages; every byte stays in order, and a copy of an array
    /// holds the same bytes.
    @Test func largeBuffersKeepEveryByte() {
        let buffer = ByteBuffer(capacity: 1 << 20)
        let piece = (0..<65_521).map { UInt8(truncatingIfNeeded: $0 &* 7) }  // a prime length
        for _ in 0..<400 { piece.withUnsafeBufferPointer { buffer.append($0) } }  // 26.2 MB
        #expect(buffer.count == 400 * piece.count)
        let written = buffer.bytesWritten
        let intact = piece.withUnsafeBufferPointer { p in
            (0..<400).allSatisfy { memcmp(written.baseAddress! + $0 * p.count, p.baseAddress!, p.count) == 0 }
        }
        #expect(intact)
        #expect(ByteBuffer(copying: piece).array == piece)
    }

    /// Appends of every length from 0 to 40 bytes (inline copies up to 32,
    /// `memcpy` beyond), at every offset modulo 8 of source and buffer,
    /// give the bytes an Array gets, and the next append lands right after.
    @Test func appendsOfEveryLengthAndOffset() {
        let source = (0..<64).map { UInt8(truncatingIfNeeded: 0xA0 &+ $0 &* 13) }
        for start in 0..<8 {
            for length in 0...40 {
                let buffer = ByteBuffer(capacity: 64)
                let lead = [UInt8](repeating: 0x55, count: (start + length) % 8)
                lead.withUnsafeBufferPointer { buffer.append($0) }
                source.withUnsafeBufferPointer { buffer.append(UnsafeBufferPointer(rebasing: $0[start..<(start + length)])) }
                buffer.append(0x7E)
                #expect(buffer.array == lead + source[start..<(start + length)] + [0x7E], "start \(start), length \(length)")
            }
        }
    }

    /// `append(upTo:)` keeps what the writer says it wrote: a date of 10
    /// bytes after one byte already there, in room for 16. Day 20093 after
    /// 1970-01-01 is 2025-01-05 (55 years hold 14 leap days, 1972 … 2024:
    /// 55·365 + 14 = 20089 days to 2025-01-01, then 4 more).
    @Test func appendUpToKeepsWhatWasWritten() {
        let buffer = ByteBuffer(capacity: 4)
        buffer.append(UInt8(ascii: "\""))
        buffer.append(upTo: 16) { CivilDate.write(days: 20093, into: $0) }
        buffer.append(UInt8(ascii: "\""))
        #expect(buffer.array == Array("\"2025-01-05\"".utf8))
    }

    /// A buffer given back to the pool is the next one taken, emptied;
    /// small buffers and buffers beyond the limit are not kept.
    @Test func poolReusesLargeBuffersOnly() {
        let pool = BufferPool(limit: 1)
        let first = pool.take(capacity: 2 << 20)
        #expect(first.count == 0 && first.capacity >= 2 << 20)
        first.append("已写入的部分")
        pool.give(first)
        pool.give(ByteBuffer(capacity: 4 << 20))  // over the limit of 1: freed
        let again = pool.take(capacity: 2 << 20)
        #expect(again === first)
        #expect(again.count == 0)
        pool.give(ByteBuffer(capacity: 4096))  // too small to keep
        #expect(pool.take(capacity: 2 << 20) !== first)
    }

    /// A static string goes in as its UTF-8 bytes: "分" is E5 88 86.
    @Test func staticStringsAreUTF8() {
        let buffer = ByteBuffer()
        buffer.append("a分\"")
        #expect(buffer.array == [0x61, 0xE5, 0x88, 0x86, 0x22])
    }

    /// `reserve` keeps what was written; `removeAll` forgets it.
    @Test func reserveKeepsAndRemoveAllForgets() {
        let buffer = ByteBuffer(capacity: 64)
        buffer.append("abc")
        buffer.reserve(1 << 20)
        #expect(buffer.array == Array("abc".utf8))
        buffer.removeAll()
        #expect(buffer.count == 0)
        buffer.append("x")
        #expect(buffer.array == [0x78])
    }

    /// Points written straight into the buffer (SPEC §7, exact
    /// hundredths): 1234 → "12.34", -5 → "-0.05", as `formatHundredths`.
    @Test(arguments: [(Int64(1234), "12.34"), (-5, "-0.05"), (0, "0.00"), (-100, "-1.00")])
    func hundredths(_ value: Int64, _ text: String) {
        let buffer = ByteBuffer()
        buffer.appendHundredths(value)
        #expect(String(decoding: buffer.array, as: UTF8.self) == text)
        #expect(formatHundredths(value) == text)
    }

    /// `%.4f` written straight into the buffer: 0.00005 is stored as
    /// 5.00000000000000002396e-05, above the tie, so "0.0001"; -0.00001
    /// rounds to zero and keeps its sign, as printf does; 1e12 takes the
    /// slow path (above 1e11).
    @Test(arguments: [(0.00005, "0.0001"), (2.5, "2.5000"), (-0.00001, "-0.0000"), (1e12, "1000000000000.0000")])
    func fixed4(_ value: Double, _ text: String) {
        let buffer = ByteBuffer()
        buffer.appendFixed4(value)
        #expect(String(decoding: buffer.array, as: UTF8.self) == text)
    }

    /// Every waiter gets the result, however many wait and whenever they
    /// ask (one waits before the work ends, the others after).
    @Test func backgroundTaskServesEveryWaiter() {
        let gate = DispatchSemaphore(value: 0)
        let task = BackgroundTask { () -> Int in
            gate.wait()
            return 42
        }
        let results = ResultSlots<Int>(count: 8)
        let group = DispatchGroup()
        for k in 0..<4 {
            DispatchQueue.global().async(group: group) { results.set(k, task.value()) }
        }
        gate.signal()
        for k in 4..<8 { results.set(k, task.value()) }
        group.wait()
        #expect(results.take() == Array(repeating: 42, count: 8))
    }

    /// A reader taking slots in order waits for each: the slots are set
    /// last to first on a thread of its own (its own thread, as the
    /// scorecards writer has), and the reader still gets 0, 1, …, 15 (the
    /// value of slot k is k squared), each slot left empty.
    @Test func slotsTakenInOrderWaitForEachValue() {
        let slots = ResultSlots<Int>(count: 16)
        let reader = BackgroundTask(onOwnThread: true) { (0..<16).map { slots.take($0) } }
        for k in (0..<16).reversed() {
            usleep(200)
            slots.set(k, k * k)
        }
        #expect(reader.value() == (0..<16).map { $0 * $0 })
        #expect(slots.take().allSatisfy { $0 == nil })
    }
}
