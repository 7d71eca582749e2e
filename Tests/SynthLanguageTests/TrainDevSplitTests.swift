import Foundation
import SynthCommands
import SynthModels
import SynthTestSupport
import SynthValues
import Testing

@testable import SynthLanguage

/// `train … dev=`: the dev metric curve, early stopping and the best model kept, on the tiny BEIR fixture with
/// a tiny random BERT.
@Suite struct TrainDevSplitTests {
    static func texts(_ result: CellResult) -> [String] {
        result.outputs.compactMap { if case .text(let text) = $0 { text } else { nil } }
    }

    /// The dev curve's points, parsed from the verb's `dev ndcg_cut.10 (name): 0: x, 1: y; best …` line.
    static func curve(_ result: CellResult) throws -> [(step: Int, value: Double)] {
        let line = try #require(texts(result).first { $0.hasPrefix("dev ndcg_cut.10") })
        let body = try #require(line.split(separator: ":", maxSplits: 1).last?.split(separator: ";").first)
        return body.split(separator: ",").compactMap { point in
            let parts = point.split(separator: ":").map { $0.trimmingCharacters(in: .whitespaces) }
            guard parts.count == 2, let step = Int(parts[0]), let value = Double(parts[1]) else { return nil }
            return (step, value)
        }
    }

    @Test func devCurveStartsAtTheBaseModelAndTheKeptModelScoresTheBest() async throws {
        let (interpreter, project) = try await SyntrieverVerbTests.setUp()
        defer { try? FileManager.default.removeItem(at: project) }
        let base = try await runCell(
            interpreter, "before = evaluate (search (dense enc data) on=data top_k=100) on=data measures=[\"ndcg_cut.10\"]")
        let result = try await runCell(
            interpreter,
            """
            tuned = train enc on=data split="test" epochs=3 batch=2 lr=1e-3 max_length=32 dev=data dev_split="test" eval_every=1
            after = evaluate (search (dense tuned data) on=data top_k=100) on=data measures=["ndcg_cut.10"]
            """)
        let points = try Self.curve(result)
        // One evaluation before the first step and one after each of the 3 steps.
        #expect(points.map(\.step) == [0, 1, 2, 3])
        let baseScore = try #require(base.results["before"]?.values.first?["ndcg_cut.10"])
        #expect(abs(points[0].value - baseScore) < 1e-4)
        // The returned model is the best-scoring one: its own evaluation equals the curve's maximum.
        let tunedScore = try #require(result.results["after"]?.values.first?["ndcg_cut.10"])
        let best = points.map(\.value).max() ?? -1
        #expect(abs(tunedScore - best) < 1e-4)
        #expect(result.outputs.contains { if case .plot(let plot) = $0 { plot.title == "dev ndcg_cut.10 (tuned)" } else { false } })
    }

    @Test func patienceStopsTrainingWhenNothingImproves() async throws {
        let (interpreter, project) = try await SyntrieverVerbTests.setUp()
        defer { try? FileManager.default.removeItem(at: project) }
        // No step can gain more than 1 nDCG point: the first evaluation after step 0 ends the run.
        let result = try await runCell(
            interpreter,
            """
            tuned = train enc on=data split="test" epochs=5 batch=2 max_length=32 dev=data dev_split="test" eval_every=1 patience=1 min_delta=1
            print tuned.steps
            """)
        let lines = Self.texts(result)
        #expect(lines.last == "1")
        #expect(lines.contains { $0.hasPrefix("dev ndcg_cut.10 (tuned): 0: ") && $0.hasSuffix("; stopped early") })
        #expect(lines.contains { $0.contains("best at step 0") })
    }

    @Test func badDevArgumentsNameTheProblem() async throws {
        let (interpreter, project) = try await SyntrieverVerbTests.setUp()
        defer { try? FileManager.default.removeItem(at: project) }
        let cases: [(String, String, [String])] = [
            ("x = train enc on=data split=\"test\" dev=data", "expected a split of tiny (test), found \"dev\"", []),
            (
                "x = train enc on=data split=\"test\" dev=data dev_split=\"test\" patience=0",
                "expected patience of at least 1, found 0", []
            ),
            (
                "x = train enc on=data split=\"test\" dev=data dev_split=\"test\" eval_every=0",
                "expected eval_every of at least 1, found 0", []
            ),
        ]
        for (source, message, notes) in cases {
            do {
                try await runCell(interpreter, source)
                Issue.record("expected an error for \(source)")
            } catch let error as Diagnostic {
                #expect(error.message == message, "\(source)")
                #expect(error.notes == notes, "\(source)")
            }
        }
    }
}
