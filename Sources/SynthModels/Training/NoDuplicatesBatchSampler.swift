import SynthTensor

/// Seeded micro-batches in which no two examples share a key (a text), for in-batch-negative losses.
///
/// With in-batch negatives (multiple-negatives ranking, soft nearest-neighbour, partial Plackett–Luce) every
/// other example's passages count as negatives of a query. Two examples with the same positive passage (two
/// queries written for one abstract, or ten preference pairs of one query) would then push a query away from
/// its own positive. Like sentence-transformers' `NoDuplicatesBatchSampler` (Reimers & Gurevych 2019), each
/// epoch shuffles the examples (seeded from `(seed, epoch)` as ``BiEncoderTrainer`` does) and fills each batch
/// greedily in that order, skipping an example whose keys (query, positive, negatives…) meet a key already in the
/// batch; skipped examples wait for a later batch. A batch that cannot be filled is kept short; a batch of one
/// example (no in-batch negative) is dropped.
///
/// ```swift
/// let sampler = NoDuplicatesBatchSampler(keys: examples.map { [$0.query, $0.positive] }, batchSize: 16, seed: 42)
/// let batches = sampler.batches(epoch: 0)
/// ```
package struct NoDuplicatesBatchSampler: Sendable, Equatable {
    /// The key ids of each example (texts mapped to integers).
    package let keys: [[Int]]
    /// Most examples per batch.
    package let batchSize: Int
    /// Seeds the per-epoch shuffle.
    package let seed: UInt64

    /// Creates a sampler from each example's texts (equal strings are duplicates).
    package init(keys texts: [[String]], batchSize: Int, seed: UInt64) {
        var ids: [String: Int] = [:]
        keys = texts.map { row in
            Array(
                Set(
                    row.map { text in
                        if let id = ids[text] { return id }
                        ids[text] = ids.count
                        return ids.count - 1
                    })
            ).sorted()
        }
        self.batchSize = max(1, batchSize)
        self.seed = seed
    }

    /// The micro-batches (example indices) of `epoch`, in training order.
    package func batches(epoch: Int) -> [[Int]] {
        var generator = SeededGenerator(seed: seed).derived(UInt64(epoch))
        var order = Array(keys.indices)
        for index in stride(from: order.count - 1, to: 0, by: -1) {
            order.swapAt(index, Int(generator.next() % UInt64(index + 1)))
        }
        var batches: [[Int]] = []
        while !order.isEmpty {
            var batch: [Int] = []
            var used: Set<Int> = []
            var left: [Int] = []
            for example in order {
                if batch.count < batchSize, used.isDisjoint(with: keys[example]) {
                    batch.append(example)
                    used.formUnion(keys[example])
                } else {
                    left.append(example)
                }
            }
            if batch.count > 1 { batches.append(batch) }
            order = left
        }
        return batches
    }
}
