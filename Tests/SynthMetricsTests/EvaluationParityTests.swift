import Foundation
import SynthTestSupport
import struct SynthValues.SplitMix64
import Testing

@testable import SynthMetrics

/// `evaluate` against pytrec_eval (trec_eval 9) on generated, hand-made and real (SciFact) inputs.
@Suite("evaluate matches pytrec_eval")
struct EvaluationParityTests {
    static let measures: [Measure] =
        [.ndcg, .map, .recipRank(cutoff: nil), .recipRank(cutoff: 1), .recipRank(cutoff: 5), .recipRank(cutoff: 10)]
        + [1, 3, 5, 10, 100].flatMap { [.ndcgCut($0), .recall($0), .precision($0), .mapCut($0)] }

    typealias Case = (name: String, qrels: Qrels, run: Run, measures: [Measure])

    /// Compares per-query values (same query set) and means (over pytrec_eval's queries) to 1e-6.
    static func expectParity(_ cases: [Case], sourceLocation: SourceLocation = #_sourceLocation) throws {
        let reference = try ReferencePython.evaluate(cases)
        for item in cases {
            let ours = evaluate(qrels: item.qrels, run: item.run, measures: item.measures)
            let theirs = try #require(reference[item.name], sourceLocation: sourceLocation)
            #expect(Set(ours.perQuery.keys) == Set(theirs.keys), "\(item.name): query sets", sourceLocation: sourceLocation)
            var worst = 0.0
            for (query, values) in theirs {
                for measure in item.measures {
                    let expected = try #require(values[measure.description], sourceLocation: sourceLocation)
                    let actual = ours.perQuery[query]?[measure] ?? .nan
                    worst = max(worst, abs(expected - actual))
                    #expect(
                        abs(expected - actual) <= 1e-6, "\(item.name) \(query) \(measure): \(actual) vs \(expected)",
                        sourceLocation: sourceLocation)
                }
            }
            for measure in item.measures where !theirs.isEmpty {
                let expected = theirs.values.reduce(0.0) { $0 + $1[measure.description]! } / Double(theirs.count)
                #expect(
                    abs(expected - ours.mean[measure]!) <= 1e-6, "\(item.name) mean \(measure)",
                    sourceLocation: sourceLocation)
            }
        }
    }

    /// A random qrels/run pair: ids that sort differently as numbers and bytes, grades −1…3,
    /// scores quantised to force ties, scores equal only as Float, empty and missing queries.
    static func randomCase(seed: UInt64) -> Case {
        var rng = SplitMix64(seed: seed)
        let documents = (0..<60).map { index in ["d\(index)", "D\(index)", "doc-\(index)", "\(index)"][index % 4] }
        var qrels = Qrels()
        var run = Run(name: "random\(seed)")
        for queryIndex in 0..<25 {
            let query = "q\(queryIndex)"
            let judgedCount = Int.random(in: 0...12, using: &rng)
            for document in documents.shuffled(using: &rng).prefix(judgedCount) {
                qrels.set(query: query, document: document, grade: Int.random(in: -1...3, using: &rng))
            }
            if qrels[query] == nil, queryIndex % 3 == 0 { qrels.set(query: query, document: "d0", grade: 0) }
            let shape = Int.random(in: 0..<10, using: &rng)
            if shape == 0 { continue }  // judged query missing from the run
            let depth = shape == 1 ? 0 : Int.random(in: 1...40, using: &rng)
            let quantum = [0.5, 0.25, 1e-3, 0][Int.random(in: 0..<4, using: &rng)]
            run[query] = documents.shuffled(using: &rng).prefix(depth).map { document in
                var score = Double.random(in: -5...10, using: &rng)
                if quantum > 0 { score = (score / quantum).rounded() * quantum }
                if Int.random(in: 0..<8, using: &rng) == 0 { score = 1 + 1e-9 * Double.random(in: 0...3, using: &rng) }
                return Run.Entry(docID: document, score: score)
            }
        }
        run["unjudged-query"] = [Run.Entry(docID: "d1", score: 1)]
        return ("random\(seed)", qrels, run, measures)
    }

    @Test func generatedRunsMatch() throws {
        try Self.expectParity((1...8).map { Self.randomCase(seed: $0) })
    }

    @Test func handMadeEdgeCasesMatch() throws {
        let qrels = Qrels([
            "graded": ["a": 3, "b": 2, "c": 1, "d": 0, "e": -1, "f": 2],
            "no-relevant": ["a": 0, "b": 0],
            "only-negative": ["a": -1, "b": -2],
            "empty-run": ["a": 1],
            "missing-from-run": ["a": 1],
            "all-tied": ["a": 1, "b": 2, "c": 0, "B": 1, "aa": 1],
        ])
        let run = Run(scores: [
            "graded": ["e": 9, "d": 8, "c": 7, "x": 6, "a": 5, "b": 5, "f": 1],
            "no-relevant": ["a": 2, "b": 1],
            "only-negative": ["a": 2, "b": 1],
            "empty-run": [:],
            "all-tied": ["a": 1, "b": 1, "c": 1, "B": 1, "aa": 1, "z": 1],
            "not-judged": ["a": 1],
        ])
        try Self.expectParity([("edges", qrels, run, Self.measures)])
    }

    @Test func sciFactTestQrelsWithSyntheticRunMatch() throws {
        let url = TestPaths.sharedData.appendingPathComponent("scifact/qrels/test.tsv")
        let qrels = try TrecFiles.readQrels(at: url)
        #expect(qrels.count == 300)
        var rng = SplitMix64(seed: 42)
        let allDocuments = Array(Set(qrels.judgements.values.flatMap(\.keys))).sorted()
        var run = Run(name: "synthetic")
        for (index, query) in qrels.queryIDs.enumerated() where index % 10 != 9 {
            let relevant = Array(qrels[query]!.keys)
            let pool = Set(relevant + allDocuments.shuffled(using: &rng).prefix(40))
            run[query] = pool.map { document in
                let boost = relevant.contains(document) ? Double.random(in: 0...2, using: &rng) : 0
                return Run.Entry(docID: document, score: (Double.random(in: 0...3, using: &rng) + boost).rounded() / 2)
            }
        }
        try Self.expectParity([("scifact", qrels, run, Self.measures)])
    }

    @Test func completeQueriesScoreMissingQueriesAsZero() {
        let qrels = Qrels(["q1": ["a": 1], "q2": ["a": 1]])
        let run = Run(scores: ["q1": ["a": 1]])
        let defaultMode = evaluate(qrels: qrels, run: run, measures: [.map])
        let complete = evaluate(qrels: qrels, run: run, measures: [.map], completeQueries: true)
        #expect(defaultMode.queryIDs == ["q1"])
        #expect(defaultMode.mean[.map] == 1)
        #expect(complete.queryIDs == ["q1", "q2"])
        #expect(complete.perQuery["q2"]?[.map] == 0)
        #expect(complete.mean[.map] == 0.5)
    }

    @Test func tiesBreakByDocumentIDDescendingAsFloat() {
        let run = Run(scores: ["q": ["d1": 1 + 1e-9, "d2": 1, "d10": 1, "d3": 2]])
        #expect(run.ranked("q").map(\.docID) == ["d3", "d2", "d10", "d1"])
    }

    @Test func repeatedDocumentKeepsItsBestPosition() {
        let run = Run(rankings: ["q": [.init(docID: "a", score: 1), .init(docID: "b", score: 2), .init(docID: "a", score: 3)]])
        #expect(run.ranked("q").map(\.docID) == ["a", "b"])
        let result = evaluate(qrels: Qrels(["q": ["b": 1]]), run: run, measures: [.precision(2), .recipRank(cutoff: nil)])
        #expect(result.perQuery["q"] == [.precision(2): 0.5, .recipRank(cutoff: nil): 0.5])
    }
}
