import Foundation
import SynthModels
import SynthRetrieval
import SynthSynthesis

/// `distill … teacher=<cross_encoder>`: a trained cross-encoder labels each query's retrieved candidates
/// (GPL, Wang et al. 2022: cross-encoder scores as soft labels whose differences are the margins a
/// student learns with margin-MSE).
///
/// `pointwise` records keep the candidates in the retriever's order with the cross-encoder logits as
/// `scores`; `listwise` records sort them by logit (best first, `scores` the sorted logits). Either feeds
/// `train_cross loss="ranknet"` and `export … format="sentence-transformers"` (`sentence1`/`sentence2`/`score`
/// rows for margin-MSE trainers). No LLM calls; provenance names the model folder.
enum CrossEncoderTeacher {
    static func label(
        kind: Distillation.Kind, queries: [Distillation.Input], teacher: CrossEncoderObject, retriever: BM25Retriever,
        passage: @Sendable (String) -> String?, topK: Int, maxLength: Int = 256,
        progress: @Sendable (Int, Int) -> Void
    ) async throws -> SyntheticSet {
        var set = SyntheticSet(kind: kind.rawValue)
        let provenance = RecordProvenance(
            step: "distill \(kind.rawValue)", template: "cross-encoder", templateHash: "", model: teacher.name,
            requestKeys: [])
        for (index, query) in queries.enumerated() {
            let ids = try await retriever.rank(query.text, topK: topK)
            let candidates = ids.compactMap { id in
                passage(id).map { SyntheticPassage(id: id, text: $0, origin: "retrieved") }
            }
            let batch = teacher.tokenizer.batch(pairs: candidates.map { (query.text, $0.text) }, maxLength: maxLength)
            let logits = teacher.model.score(
                inputIds: batch.inputIds, attentionMask: batch.attentionMask, tokenTypeIds: batch.tokenTypeIds
            ).map(Double.init)
            var record = SyntheticRecord(
                id: "\(kind == .listwise ? "l" : "p"):\(query.id)", kind: kind.rawValue, query: query.text,
                queryID: query.id, provenance: [provenance])
            var scored = Array(zip(candidates, logits))
            if kind == .listwise { scored.sort { $0.1 > $1.1 } }
            record.candidates = scored.map(\.0)
            record.scores = scored.map(\.1)
            if record.candidates.count < 2 {
                record.reject("fewer than 2 candidates")
                set.counts.reject("fewer than 2 candidates")
            }
            set.records.append(record)
            progress(index + 1, queries.count)
        }
        set.steps.append(
            "distill \(kind.rawValue): cross-encoder \(teacher.name) (\(teacher.history)), "
                + "\(retriever.name) top-\(topK)")
        return set
    }
}
