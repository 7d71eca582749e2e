import Foundation
import SynthMetrics
import SynthTestSupport
import Testing

@testable import SynthRetrieval

/// BM25 on the full SciFact test split against Pyserini's BEIR flat-index BM25
/// (castorini/pyserini 2CR `beir.yaml`: nDCG@10 0.679, R@100 0.925).
@Suite struct SciFactBM25Tests {
    @Test func matchesPyseriniFlatBM25() throws {
        let dataset = try BEIRLoader.load(TestPaths.sharedData.appendingPathComponent("scifact"), splits: ["test"])
        let index = BM25Index.build(documents: dataset.corpus)
        let queries = try dataset.queries(split: "test")
        #expect(queries.count == 300)
        let run = index.search(queries, topK: 1000)
        let result = evaluate(qrels: dataset.qrels["test"]!, run: run, measures: [.ndcgCut(10), .recall(100)])
        let ndcg = try #require(result.mean[.ndcgCut(10)])
        let recall = try #require(result.mean[.recall(100)])
        #expect(abs(ndcg - 0.679) < 0.01, "nDCG@10 \(ndcg)")
        #expect(abs(recall - 0.925) < 0.01, "R@100 \(recall)")
        // Measured: nDCG@10 0.6789, R@100 0.9253 (Pyserini: 0.6789 / 0.9253).
        #expect(abs(ndcg - 0.6789) < 0.0005)
    }
}
