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

/// Work started on another thread; `value()` waits for its result.
final class BackgroundTask<Value: Sendable>: @unchecked Sendable {
    private var result: Value?
    private let done = DispatchSemaphore(value: 0)
    private let lock = NSLock()

    init(_ work: @escaping @Sendable () -> Value) {
        DispatchQueue.global().async {
            let value = work()
            self.lock.withLock { self.result = value }
            self.done.signal()
        }
    }

    /// The result, waiting for it the first time.
    func value() -> Value {
        lock.lock()
        if let result {
            lock.unlock()
            return result
        }
        lock.unlock()
        done.wait()
        return lock.withLock { result! }
    }
}
