import Foundation

/// Splits loops over rows across the CPU cores with `DispatchQueue.concurrentPerform`.
package enum Parallel {
    /// Number of cores used for kernels.
    package static let workers = max(1, ProcessInfo.processInfo.activeProcessorCount)

    /// Runs `body` over contiguous sub-ranges of `0..<count`, in parallel when `count * costPerItem` is large.
    ///
    /// - Parameters:
    ///   - count: number of items (rows).
    ///   - costPerItem: rough work per item (e.g. floats touched), to keep small loops on one thread.
    ///   - body: receives disjoint ranges covering `0..<count`.
    @inline(__always)
    package static func forRanges(_ count: Int, costPerItem: Int, _ body: (Range<Int>) -> Void) {
        forChunks(count, costPerItem: costPerItem) { _, range in body(range) }
    }

    /// The number of chunks ``forChunks(_:costPerItem:_:)`` uses for this loop (for per-chunk partial sums).
    package static func chunkCount(_ count: Int, costPerItem: Int) -> Int {
        let chunks = min(count, workers)
        return chunks < 2 || count * costPerItem < 1 << 15 ? 1 : chunks
    }

    /// Like ``forRanges(_:costPerItem:_:)`` but also passes the chunk index (`0..<chunkCount`).
    package static func forChunks(_ count: Int, costPerItem: Int, _ body: (Int, Range<Int>) -> Void) {
        guard count > 0 else { return }
        let chunks = chunkCount(count, costPerItem: costPerItem)
        if chunks == 1 {
            body(0, 0..<count)
            return
        }
        withoutActuallyEscaping(body) { escapable in
            let task = UncheckedSendable(escapable)
            DispatchQueue.concurrentPerform(iterations: chunks) { index in
                task.value(index, (count * index / chunks)..<(count * (index + 1) / chunks))
            }
        }
    }

    /// Runs `body(i)` for `i` in `0..<count`, spread over the cores (each index exactly once).
    @inline(__always)
    package static func forEach(_ count: Int, costPerItem: Int, _ body: (Int) -> Void) {
        forRanges(count, costPerItem: costPerItem) { range in
            for index in range { body(index) }
        }
    }
}

/// Carries a kernel closure into `concurrentPerform`.
///
/// `@unchecked Sendable`: the closures write disjoint ranges of their outputs, and `concurrentPerform`
/// returns only after every iteration has finished, so nothing outlives the call.
private struct UncheckedSendable<Value>: @unchecked Sendable {
    let value: Value
    init(_ value: Value) { self.value = value }
}
