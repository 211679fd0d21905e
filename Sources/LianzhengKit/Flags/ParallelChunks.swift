import Dispatch
import Foundation

/// A base address shared by parallel workers that each write only their
/// own slots (the pattern of SPEC §4's kernel).
struct SharedSlots<Element>: @unchecked Sendable {
    let base: UnsafeMutablePointer<Element>

    @inline(__always)
    subscript(i: Int) -> Element {
        get { base[i] }
        nonmutating set { base[i] = newValue }
    }
}

/// Runs `body(chunk, rows)` over fixed-size chunks of `0..<count`, on up to
/// `threads` workers (default: all cores). Chunks never depend on the
/// thread count, so neither does anything computed per chunk.
func forEachChunk(
    count: Int, chunkSize: Int = 4096, threads: Int?, _ body: @Sendable (_ chunk: Int, _ rows: Range<Int>) -> Void
) {
    let chunks = chunkCount(count, chunkSize)
    let workers = workerCount(threads, tasks: chunks)
    let rows: @Sendable (Int) -> Range<Int> = { c in (c * chunkSize)..<Swift.min(count, (c + 1) * chunkSize) }
    if workers <= 1 {
        for c in 0..<chunks { body(c, rows(c)) }
        return
    }
    DispatchQueue.concurrentPerform(iterations: workers) { w in
        var c = w
        while c < chunks {
            body(c, rows(c))
            c += workers
        }
    }
}

/// Runs `body(task)` for every task of `order`, dealt round-robin to up to
/// `threads` workers (put the largest tasks first to balance them).
func forEachTask(_ order: [Int], threads: Int?, _ body: @Sendable (Int) -> Void) {
    let workers = workerCount(threads, tasks: order.count)
    if workers <= 1 {
        for t in order { body(t) }
        return
    }
    DispatchQueue.concurrentPerform(iterations: workers) { w in
        var i = w
        while i < order.count {
            body(order[i])
            i += workers
        }
    }
}

@inline(__always)
func chunkCount(_ count: Int, _ chunkSize: Int) -> Int { (count + chunkSize - 1) / chunkSize }

private func workerCount(_ threads: Int?, tasks: Int) -> Int {
    Swift.max(1, Swift.min(threads ?? ProcessInfo.processInfo.activeProcessorCount, tasks))
}

/// A value handed to parallel workers that only read it (buffers of
/// arrays that outlive the parallel loop).
struct Unchecked<Value>: @unchecked Sendable {
    let value: Value
    init(_ value: Value) { self.value = value }
}
