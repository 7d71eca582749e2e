import Foundation
import SynthCommands
import SynthModels
import SynthRetrieval
import SynthSynthesis
import SynthTestSupport
import SynthValues
import Testing

@testable import SynthCommands
@testable import SynthLanguage

/// `distill … teacher=<cross_encoder>` (GPL-style teacher scores) on the tiny fixture and tiny random BERT.
@Suite struct CrossEncoderTeacherTests {
    @Test func pointwiseLogitsAndListwiseOrderComeFromTheCrossEncoder() async throws {
        let (interpreter, project) = try await CrossEncoderVerbTests.session()
        defer { try? FileManager.default.removeItem(at: project) }
        try await runCell(
            interpreter,
            """
            points = distill pointwise from=queries teacher=ce retriever=index on=data top_k=3 queries=4
            lists = distill listwise from=queries teacher=ce retriever=index on=data top_k=3 queries=2
            student = train_cross ce on=points loss="ranknet" corpus=data group=3 max_steps=1 name="student"
            """)
        let ce = try CrossEncoderVerbTests.object(interpreter, "ce", as: CrossEncoderObject.self)
        let index = try CrossEncoderVerbTests.object(interpreter, "index", as: BM25Index.self)
        let queries = try CrossEncoderVerbTests.object(interpreter, "queries", as: SyntheticSet.self)
        let points = try CrossEncoderVerbTests.object(interpreter, "points", as: SyntheticSet.self)
        let lists = try CrossEncoderVerbTests.object(interpreter, "lists", as: SyntheticSet.self)
        #expect(points.records.count == 4 && lists.records.count == 2)
        #expect(points.counts.requestsNew == 0)
        #expect(points.steps == ["distill pointwise: cross-encoder \(ce.name) (untrained), bm25 top-3"])
        for (record, query) in zip(points.records, queries.accepted.prefix(4)) {
            #expect(record.query == query.query && record.kind == "pointwise")
            let ids = index.rank(query.query, topK: 3).map(\.documentID)
            #expect(record.candidates.map(\.id) == ids)
            let expected = CrossEncoderVerbTests.scores(
                ce, query: query.query, texts: record.candidates.map(\.text), maxLength: 256)
            #expect(zip(record.scores, expected).allSatisfy { abs($0 - $1) < 1e-4 }, "\(record.scores) vs \(expected)")
            #expect(record.provenance.map(\.model) == [ce.name])
        }
        for (list, point) in zip(lists.records, points.records) {
            let order = zip(point.candidates, point.scores).sorted { $0.1 > $1.1 }
            #expect(list.candidates.map(\.id) == order.map(\.0.id))
            #expect(list.scores == list.scores.sorted(by: >))
        }
        let student = try CrossEncoderVerbTests.object(interpreter, "student", as: CrossEncoderObject.self)
        #expect(student.history == "ranknet 1 steps")
    }

    @Test func pairwiseNeedsAnLLMTeacher() async throws {
        let (interpreter, project) = try await CrossEncoderVerbTests.session()
        defer { try? FileManager.default.removeItem(at: project) }
        await #expect {
            try await runCell(
                interpreter, "pairs = distill pairwise from=queries teacher=ce retriever=index on=data top_k=3")
        } throws: { error in
            let diagnostic = error as? Diagnostic
            return diagnostic?.message == "expected pointwise or listwise with a cross-encoder teacher, found pairwise"
                && diagnostic?.notes == ["pairwise preferences need an LLM teacher (`llm`)"]
        }
    }
}

/// `critique revise reward="model"`: a trained cross-encoder's logit is the chain reward.
@Suite struct CrossEncoderRewardTests {
    @Test func rewardsAreTheCrossEncoderLogitsOfQueryAndPositive() async throws {
        let (interpreter, project) = try await CrossEncoderVerbTests.session()
        defer { try? FileManager.default.removeItem(at: project) }
        try await runCell(
            interpreter, "better = critique revise queries teacher=t reward=\"model\" model=ce rule=\"always\"")
        let ce = try CrossEncoderVerbTests.object(interpreter, "ce", as: CrossEncoderObject.self)
        let queries = try CrossEncoderVerbTests.object(interpreter, "queries", as: SyntheticSet.self)
        let better = try CrossEncoderVerbTests.object(interpreter, "better", as: SyntheticSet.self)
        let trace = try #require(better.critique)
        #expect(trace.reward == "ce_\(ce.name)")
        let records = queries.accepted
        #expect(trace.chains.count == records.count)
        for (chain, record) in zip(trace.chains, records) {
            let expected = CrossEncoderVerbTests.scores(
                ce, query: record.query, texts: [record.positive!.text], maxLength: 256)[0]
            #expect(abs(chain.initial - expected) < 1e-4)
        }
        await #expect {
            try await runCell(interpreter, "worse = critique revise queries teacher=t reward=\"model\"")
        } throws: { error in
            (error as? Diagnostic)?.message == "expected `model=` (a cross_encoder) for the model reward"
        }
    }
}

/// `train_distilled`: a bi-encoder student on cross-encoder teacher scores (margin-MSE, listwise KL).
@Suite struct TrainDistilledTests {
    @Test func studentsTrainOnTeacherScoresWithBothLosses() async throws {
        let (interpreter, project) = try await CrossEncoderVerbTests.session()
        defer { try? FileManager.default.removeItem(at: project) }
        try SyntrieverVerbTests.writeTinyModel(into: project)
        let result = try await runCell(
            interpreter,
            """
            enc = encoder "./tinybert"
            points = distill pointwise from=data split="test" teacher=ce retriever=index on=data top_k=3 queries=3
            s1 = train_distilled enc on=points loss="margin_mse" group=3 batch=2 epochs=2 name="s1"
            s2 = train_distilled enc on=points loss="listwise_kl" group=3 batch=2 epochs=2 name="s2"
            """)
        let texts = SyntrieverVerbTests.texts(result)
        #expect(texts.contains { $0.hasPrefix("train_distilled s1: 2 examples (margin-mse, ") }, "\(texts)")
        #expect(texts.contains { $0.hasPrefix("train_distilled s2: 2 examples (listwise-kl, ") }, "\(texts)")
        for name in ["s1", "s2"] {
            let student = try #require(SyntrieverVerbTests.encoder(interpreter, name))
            #expect(student.losses.count == 2)
            #expect(student.losses.allSatisfy { $0.isFinite && $0 >= 0 })
        }
        #expect(
            FileManager.default.fileExists(
                atPath: project.appendingPathComponent(".synthlab/models").path))
        await #expect {
            try await runCell(interpreter, "s3 = train_distilled enc on=queries")
        } throws: { error in
            (error as? Diagnostic)?.message
                == "expected at least 2 accepted records with 2 or more scored candidates, found 0"
        }
    }
}
