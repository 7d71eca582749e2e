/// A counting semaphore for async code: at most `limit` holders at once, FIFO waiters, cancellable waits.
actor AsyncSemaphore {
    private var available: Int
    private var waiters: [(id: UInt64, continuation: CheckedContinuation<Void, any Error>)] = []
    private var cancelledBeforeWaiting: Set<UInt64> = []
    private var nextID: UInt64 = 0

    init(limit: Int) { available = max(1, limit) }

    /// Waits for a slot; throws `CancellationError` if the task is cancelled while waiting.
    func acquire() async throws {
        try Task.checkCancellation()
        if available > 0 {
            available -= 1
            return
        }
        let id = nextID
        nextID += 1
        try await withTaskCancellationHandler {
            try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<Void, any Error>) in
                if cancelledBeforeWaiting.remove(id) != nil {
                    continuation.resume(throwing: CancellationError())
                } else {
                    waiters.append((id, continuation))
                }
            }
        } onCancel: {
            Task { await self.cancel(id) }
        }
    }

    /// Returns a slot, waking the longest waiter.
    func release() {
        if waiters.isEmpty {
            available += 1
        } else {
            waiters.removeFirst().continuation.resume()
        }
    }

    private func cancel(_ id: UInt64) {
        if let index = waiters.firstIndex(where: { $0.id == id }) {
            waiters.remove(at: index).continuation.resume(throwing: CancellationError())
        } else if id >= nextID - 1 {
            cancelledBeforeWaiting.insert(id)
        }
    }
}
