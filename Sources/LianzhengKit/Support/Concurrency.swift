import Dispatch
import Foundation

/// A value moved into a parallel task and back (the task owns it alone, so
/// its arrays can be released column by column as they are replaced).
final class Handoff<Value>: @unchecked Sendable {
    var value: Value
    init(_ value: Value) { self.value = value }
}

/// Runs independent tasks on all cores, each with its own input.
func runInParallel(_ tasks: [@Sendable () -> Void]) {
    DispatchQueue.concurrentPerform(iterations: tasks.count) { tasks[$0]() }
}

/// Work started on another thread; `value()` waits for its result (any
/// number of threads may wait, any number of times).
final class BackgroundTask<Value: Sendable>: @unchecked Sendable {
    /// Written once, before `done` is left; read only after waiting on it.
    private var result: Value?
    private let done = DispatchGroup()

    /// `onOwnThread`: on a thread of its own rather than the shared pool,
    /// for work that waits on tasks the pool runs (it would otherwise wait
    /// for a pool thread those very tasks hold).
    init(onOwnThread: Bool = false, _ work: @escaping @Sendable () -> Value) {
        done.enter()
        let run: @Sendable () -> Void = {
            self.result = work()
            self.done.leave()
        }
        if onOwnThread {
            let thread = Thread(block: run)
            thread.stackSize = 8 << 20
            thread.start()
        } else {
            DispatchQueue.global().async(execute: run)
        }
    }

    /// The result, once the work has finished.
    func value() -> Value {
        done.wait()
        return result!
    }
}

/// Buffers handed back once their bytes are written, for the next part to
/// be rendered into: the 90 parts of a million-post scorecards.json would
/// otherwise each fault in 4 MiB of fresh pages (0.1 s of CPU in all).
final class BufferPool: @unchecked Sendable {
    private let lock = NSLock()
    private var free: [ByteBuffer] = []
    /// Buffers kept at most; the rest are freed.
    private let limit: Int

    init(limit: Int = 8) { self.limit = limit }

    /// An empty buffer of at least `capacity` bytes, reused when one is free.
    func take(capacity: Int) -> ByteBuffer {
        lock.lock()
        let reused = free.popLast()
        lock.unlock()
        guard let reused else { return ByteBuffer(capacity: capacity) }
        reused.removeAll()
        reused.reserve(capacity)
        return reused
    }

    /// Gives back `buffer`, which nobody may use any more. Small buffers
    /// (a document's header) are not worth keeping.
    func give(_ buffer: ByteBuffer) {
        guard buffer.capacity >= 1 << 20 else { return }
        lock.lock()
        defer { lock.unlock() }
        if free.count < limit { free.append(buffer) }
    }
}
