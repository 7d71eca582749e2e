import SynthMetrics
import SynthValues

/// `similarity`: STS evaluation — cosine similarities of encoder embeddings against gold scores.
package enum SimilarityCommand: VerbCommand {
    package static let spec = VerbSpec(
        name: "similarity",
        summary:
            "evaluate encoders on scored sentence pairs: Spearman and Pearson correlation (×100) of cosine similarity",
        discussion: """
            Both sentences of each pair are embedded; the cosine similarity is correlated with the gold scores, \
            as sentence-transformers' `EmbeddingSimilarityEvaluator` and SentEval report STS (Spearman ×100). \
            A system written as a variable is named after it. Results are recorded under `label` with the \
            measures `spearman` and `pearson`; the value is a record `{system: {spearman, pearson}}`.
            """,
        paper: "Reimers & Gurevych 2019, Sentence-BERT (STS evaluation)",
        positional: [ArgSpec("encoders", .object("encoder"), variadic: true, doc: "the encoders to evaluate")],
        keywords: [
            ArgSpec("on", .object("sentence_pairs"), doc: "the scored pairs (from `load sts`)"),
            ArgSpec(
                "label", .string, optional: true, doc: "the name results are recorded under (default: the variable)"),
            ArgSpec("batch", .int, default: .int(32), doc: "texts per forward pass"),
        ],
        result: "record",
        example: "sts_scores = similarity (encoder minilm) on=(load sts split=\"test\")")

    package static func run(_ call: VerbCall, context: ExecutionContext) async throws -> VerbOutcome {
        guard let data = call.object("on", as: SentencePairs.self) else { throw call.error("expected sentence pairs") }
        guard !call.variadic.isEmpty else { throw call.error("expected at least one encoder") }
        let gold = data.pairs.map(\.score)
        var record = Record()
        var results: [String: [String: Double]] = [:]
        for (index, item) in call.variadic.enumerated() {
            guard case .object(let object as EncoderObject) = item.value else { continue }
            try Task.checkCancellation()
            let name = item.label ?? (call.variadic.count == 1 ? object.name : "\(object.name)\(index + 1)")
            let texts = data.pairs.flatMap { [$0.first, $0.second] }
            let sink = context.progress
            let vectors = object.encoder.embed(texts, batchSize: max(1, call.int("batch") ?? 32)) { done, total in
                sink(ProgressEvent(label: "similarity \(name)", count: done, total: total))
            }
            let cosines = stride(from: 0, to: vectors.count, by: 2).map { cosine(vectors[$0], vectors[$0 + 1]) }
            let s = spearman(cosines, gold) * 100
            let p = pearson(cosines, gold) * 100
            record[name] = .record(Record([("spearman", .double(s)), ("pearson", .double(p))]))
            results[name] = ["spearman": s, "pearson": p]
        }
        let label = call.string("label") ?? call.target ?? "similarity"
        let table = ResultTable.make(from: record, caption: "\(data.name) (\(data.split)): correlation ×100")
        return VerbOutcome(value: .record(record), outputs: [.table(table)], results: [label: results])
    }

    static func cosine(_ a: [Float], _ b: [Float]) -> Double {
        var dot = 0.0
        var na = 0.0
        var nb = 0.0
        for (x, y) in zip(a, b) {
            dot += Double(x) * Double(y)
            na += Double(x) * Double(x)
            nb += Double(y) * Double(y)
        }
        return na == 0 || nb == 0 ? 0 : dot / (na.squareRoot() * nb.squareRoot())
    }
}
