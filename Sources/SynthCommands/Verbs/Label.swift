import Foundation
import SynthRetrieval
import SynthSynthesis
import SynthValues

/// `label`: gives query-only synthetic records a pseudo-positive, the retriever's top document.
package enum LabelCommand: VerbCommand {
    package static let spec = VerbSpec(
        name: "label",
        summary: "give each synthetic query without a positive the retriever's top document as its positive",
        discussion: """
            For sets of queries alone (for example `synthesize targeted format="query"`), so that `train` can use \
            them: each accepted record without a positive is searched with `retriever` over `on`'s corpus and \
            takes the first document (title and text) as its positive (origin `retrieved`), keeping its BM25 \
            score as `label_score`. Records whose query retrieves nothing are rejected. The labels are the \
            retriever's opinion, not judgements: a model trained on them partly learns BM25. No LLM calls.
            """,
        paper: "Bonifacio et al. 2022, InPars (pseudo-labelled synthetic training pairs); Wang et al. 2022, GPL",
        positional: [ArgSpec("set", .object("synthetic_set"), doc: "the synthetic queries to label")],
        keywords: [
            ArgSpec("retriever", .object("bm25_index"), doc: "the index that picks each query's positive"),
            ArgSpec("on", .object("dataset"), doc: "the dataset whose corpus the index was built from"),
        ],
        result: "synthetic_set",
        example: "pairs = label queries retriever=index on=data")

    package static func run(_ call: VerbCall, context: ExecutionContext) async throws -> VerbOutcome {
        guard let set = call.object("set", as: SyntheticSet.self),
            let index = call.object("retriever", as: BM25Index.self),
            let dataset = call.object("on", as: BEIRDataset.self)
        else { throw call.error("expected a synthetic set, a retriever and a dataset") }
        let documents = Dictionary(dataset.corpus.map { ($0.id, $0) }, uniquingKeysWith: { first, _ in first })
        var labelled = set
        var count = 0
        for position in labelled.records.indices where labelled.records[position].accepted {
            guard labelled.records[position].positives.isEmpty else { continue }
            guard let hit = index.rank(labelled.records[position].query, topK: 1).first,
                let document = documents[hit.documentID]
            else {
                labelled.records[position].accepted = false
                labelled.records[position].rejection = "label: no document retrieved"
                continue
            }
            let text = document.title.isEmpty ? document.text : document.title + " " + document.text
            labelled.records[position].positives = [SyntheticPassage(id: document.id, text: text, origin: "retrieved")]
            labelled.records[position].extra["label_score"] = String(format: "%.3f", hit.score)
            count += 1
        }
        labelled.steps.append("label: \(count) queries given their BM25 top-1 document of \(dataset.name)")
        return VerbOutcome(value: .object(labelled), outputs: [.text(labelled.summary)])
    }
}
