import SynthMetrics
import SynthRetrieval
import SynthSynthesis
import SynthTensor

/// The training groups `train_cross` builds from a synthetic set, before tokenization: one query with its
/// candidate passages, their labels and (for distillation) teacher scores.
struct CrossEncoderExample: Sendable, Equatable {
    var query: String
    var passages: [String]
    var labels: [Float]
    var teacherScores: [Float]?
}

/// Builds cross-encoder training groups from synthetic sets (Pezzuti et al. 2025, both stages).
enum CrossEncoderExamples {
    /// Contrastive (LCE) groups: each accepted query with its positive first, then `group − 1` hard negatives
    /// drawn without replacement (seeded) from BM25's top `depth` for the query, minus the record's positives.
    ///
    /// With `depth == group` the negatives are simply BM25's best non-positive documents, the same passages a
    /// teacher ranks for the distillation stage. Records without a positive or without any negative are
    /// skipped and counted.
    ///
    /// - Returns: the groups and the number of records skipped.
    static func contrastive(
        _ set: SyntheticSet, index: BM25Index, passage: (String) -> String?, group: Int, depth: Int, seed: UInt64
    ) -> (examples: [CrossEncoderExample], skipped: Int) {
        var examples: [CrossEncoderExample] = []
        var skipped = 0
        for (position, record) in set.accepted.enumerated() {
            guard let positive = record.positive, !record.query.isEmpty else {
                skipped += 1
                continue
            }
            let positiveIDs = Set(record.positives.compactMap(\.id))
            let ranked = index.rank(record.query, topK: depth).map(\.documentID).filter { !positiveIDs.contains($0) }
            var generator = SeededGenerator(seed: seed &+ UInt64(position) &* 0x9E37_79B9_7F4A_7C15)
            let chosen = sample(ranked, count: group - 1, generator: &generator)
            let negatives = chosen.compactMap(passage)
            guard !negatives.isEmpty else {
                skipped += 1
                continue
            }
            let positiveText = positive.id.flatMap(passage) ?? positive.text
            examples.append(
                CrossEncoderExample(
                    query: record.query, passages: [positiveText] + negatives,
                    labels: [1] + negatives.map { _ in 0 }))
        }
        return (examples, skipped)
    }

    /// Contrastive (LCE) groups from a dataset's judged queries: each query of `split` (the first `limit`, in
    /// the dataset's order) with its best judged document (highest grade > 0, then smallest id) as the positive,
    /// then `group − 1` hard negatives drawn without replacement (seeded) from BM25's top `depth` for the
    /// query, minus every document judged relevant for it. This is the supervised "CL" stage of Pezzuti et al.
    /// (judged positives, retriever negatives). Queries without a relevant document with text, or without any
    /// negative, are skipped and counted.
    ///
    /// - Returns: the groups and the number of queries skipped.
    static func judged(
        _ queries: [Query], qrels: Qrels, index: BM25Index, passage: (String) -> String?, group: Int, depth: Int,
        seed: UInt64
    ) -> (examples: [CrossEncoderExample], skipped: Int) {
        var examples: [CrossEncoderExample] = []
        var skipped = 0
        for (position, query) in queries.enumerated() {
            let relevant = (qrels[query.id] ?? [:]).filter { $0.value > 0 }
                .sorted { $0.value != $1.value ? $0.value > $1.value : trecLess($0.key, $1.key) }.map(\.key)
            guard !query.text.isEmpty, let positiveText = relevant.lazy.compactMap(passage).first else {
                skipped += 1
                continue
            }
            let positiveIDs = Set(relevant)
            let ranked = index.rank(query.text, topK: depth + positiveIDs.count).map(\.documentID)
                .filter { !positiveIDs.contains($0) }.prefix(depth)
            var generator = SeededGenerator(seed: seed &+ UInt64(position) &* 0x9E37_79B9_7F4A_7C15)
            let negatives = sample(Array(ranked), count: group - 1, generator: &generator).compactMap(passage)
            guard !negatives.isEmpty else {
                skipped += 1
                continue
            }
            examples.append(
                CrossEncoderExample(
                    query: query.text, passages: [positiveText] + negatives,
                    labels: [1] + negatives.map { _ in 0 }))
        }
        return (examples, skipped)
    }

    /// Distillation (RankNet) groups: each accepted labelled record's first `group` candidates with the teacher's
    /// scores (listwise: k − rank, so higher is better; pointwise: P(yes)). Records with fewer than two
    /// candidates are skipped and counted.
    static func distillation(
        _ set: SyntheticSet, passage: (String) -> String?, group: Int
    ) -> (examples: [CrossEncoderExample], skipped: Int) {
        var examples: [CrossEncoderExample] = []
        var skipped = 0
        for record in set.accepted {
            let count = min(group, record.candidates.count, record.scores.count)
            guard count >= 2, !record.query.isEmpty else {
                skipped += 1
                continue
            }
            let candidates = record.candidates.prefix(count)
            examples.append(
                CrossEncoderExample(
                    query: record.query, passages: candidates.map { $0.id.flatMap(passage) ?? $0.text },
                    labels: Array(repeating: 0, count: count),
                    teacherScores: record.scores.prefix(count).map { Float($0) }))
        }
        return (examples, skipped)
    }

    /// How many labelled lists (of at least two candidates) the teacher left in `index`'s order: a teacher that
    /// echoes its input teaches the student the first-stage ranking, not its own judgement.
    ///
    /// - Returns: the unchanged lists and all lists compared.
    static func unchangedOrders(_ set: SyntheticSet, index: BM25Index, group: Int) -> (unchanged: Int, lists: Int) {
        var unchanged = 0
        var lists = 0
        for record in set.accepted where record.candidates.count >= 2 && !record.query.isEmpty {
            let ids = record.candidates.prefix(group).map { $0.id ?? "" }
            let first = index.rank(record.query, topK: ids.count).map(\.documentID)
            lists += 1
            if first == ids { unchanged += 1 }
        }
        return (unchanged, lists)
    }

    /// `count` items of `items` drawn without replacement, in their original order; all of them when there are
    /// no more than `count`.
    static func sample(_ items: [String], count: Int, generator: inout SeededGenerator) -> [String] {
        guard items.count > count else { return items }
        var indices = Array(items.indices)
        for i in 0..<count {
            let j = i + Int(generator.next() % UInt64(indices.count - i))
            indices.swapAt(i, j)
        }
        return indices.prefix(count).sorted().map { items[$0] }
    }
}
