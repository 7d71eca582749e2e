import Foundation
import SynthTestSupport
import SynthValues
import Testing

@testable import SynthNotebook

/// Cells that build encoders, dense indexes and trained models are cached like any other cell: a re-run
/// restores them (by reference to the model folder, checked by fingerprint) instead of recomputing.
@Suite(.serialized) struct ModelCellCacheTests {
    static let miniLM = (ProcessInfo.processInfo.environment["SYNTHLAB_HOME"].map { URL(fileURLWithPath: $0) }
        ?? FileManager.default.homeDirectoryForCurrentUser.appendingPathComponent(".cache/synthlab"))
        .appendingPathComponent("models/all-MiniLM-L6-v2/modules.json")

    static let notebook = """
        ---
        title: model cache
        ---

        ```synth
        #| label: data
        data = load "./tiny" split="test"
        ```

        ```synth
        #| label: models
        enc = encoder minilm
        idx = dense enc data
        ```

        ```synth
        #| label: train
        tuned = train enc on=data split="test" epochs=1 batch=2 max_steps=2 seed=1
        ```

        ```synth
        #| label: tuned-index
        tuned_idx = dense tuned data
        ```

        ```synth
        #| label: evaluate
        results = evaluate {base: (search idx on=data top_k=3), tuned: (search tuned_idx on=data top_k=3)} on=data measures=["ndcg_cut.10"]
        print results.base.ndcg_cut_10 results.tuned.ndcg_cut_10 tuned.steps
        ```
        """

    static func writeProject() throws -> URL {
        let project = try TestPaths.temporaryFolder()
        let folder = project.appendingPathComponent("tiny")
        try FileManager.default.createDirectory(at: folder.appendingPathComponent("qrels"), withIntermediateDirectories: true)
        let corpus = [
            ("d1", "vitamin d deficiency is linked to bone fractures in elderly patients"),
            ("d2", "poor sleep quality increases the risk of heart disease"),
            ("d3", "a diet rich in fiber reduces the risk of colon cancer"),
            ("d4", "coffee consumption is associated with lower risk of liver disease"),
        ]
        try corpus.map { "{\"_id\": \"\($0.0)\", \"title\": \"\", \"text\": \"\($0.1)\"}\n" }.joined()
            .write(to: folder.appendingPathComponent("corpus.jsonl"), atomically: true, encoding: .utf8)
        try "{\"_id\": \"q1\", \"text\": \"vitamin d and fractures\"}\n{\"_id\": \"q2\", \"text\": \"sleep and the heart\"}\n{\"_id\": \"q3\", \"text\": \"fiber and cancer\"}\n"
            .write(to: folder.appendingPathComponent("queries.jsonl"), atomically: true, encoding: .utf8)
        try "query-id\tcorpus-id\tscore\nq1\td1\t1\nq2\td2\t1\nq3\td3\t1\n"
            .write(to: folder.appendingPathComponent("qrels/test.tsv"), atomically: true, encoding: .utf8)
        try notebook.write(to: project.appendingPathComponent("nb.md"), atomically: true, encoding: .utf8)
        return project
    }

    static func run(_ project: URL, refresh: Set<String> = []) async throws -> RunOutcome {
        let url = project.appendingPathComponent("nb.md")
        let notebook = try NotebookParser.load(url, path: url.path)
        var settings = RunSettings(outputFolder: project.appendingPathComponent("reports"))
        settings.refresh = refresh
        let runner = NotebookRunner(
            notebook: notebook, params: try ResolvedParams(notebook: notebook, overrides: []), settings: settings)
        return await runner.run()
    }

    /// The trained model's checkpoint folder, `.synthlab/models/nb/tuned/checkpoint-N`.
    static func checkpoint(_ project: URL) throws -> URL? {
        let folder = project.appendingPathComponent(".synthlab/models/nb/tuned")
        return try FileManager.default.contentsOfDirectory(atPath: folder.path)
            .first { $0.hasPrefix("checkpoint-") }.map { folder.appendingPathComponent($0) }
    }

    static func printed(_ outcome: RunOutcome) -> [String] {
        outcome.record.blocks.flatMap { block -> [String] in
            guard case .cell(let cell) = block else { return [] }
            return cell.outputs.compactMap { if case .text(let text) = $0 { text } else { nil } }
        }
    }

    @Test(.enabled(if: FileManager.default.fileExists(atPath: miniLM.path), "needs MiniLM (scripts/setup)"))
    func encoderDenseAndTrainCellsAreCachedAndRestored() async throws {
        let project = try Self.writeProject()
        defer { try? FileManager.default.removeItem(at: project) }
        let first = try await Self.run(project)
        #expect(!first.failed)
        #expect(first.ranLabels == ["data", "models", "train", "tuned-index", "evaluate"])
        #expect(try Self.checkpoint(project) != nil, "the model is saved under .synthlab/models/<notebook>/<name>")

        let second = try await Self.run(project)
        #expect(!second.failed)
        #expect(second.ranLabels.isEmpty, "every cell should come from the cache")
        #expect(Self.printed(second) == Self.printed(first))

        // Refreshing the evaluation materializes the cached indexes and the trained model from their references.
        let third = try await Self.run(project, refresh: ["evaluate"])
        #expect(!third.failed)
        #expect(third.ranLabels == ["evaluate"])
        #expect(Self.printed(third).last == Self.printed(first).last)
    }

    @Test(.enabled(if: FileManager.default.fileExists(atPath: miniLM.path), "needs MiniLM (scripts/setup)"))
    func changedModelFilesAreAClearErrorNotASilentlyDifferentModel() async throws {
        let project = try Self.writeProject()
        defer { try? FileManager.default.removeItem(at: project) }
        #expect(!(try await Self.run(project)).failed)
        let weights = try #require(try Self.checkpoint(project)).appendingPathComponent("model.safetensors")
        var bytes = try Data(contentsOf: weights)
        bytes[bytes.count - 1] ^= 0x01
        try bytes.write(to: weights)
        let outcome = try await Self.run(project, refresh: ["evaluate"])
        #expect(outcome.failed)
        let errors = outcome.record.blocks.flatMap { block -> [Diagnostic] in
            guard case .cell(let cell) = block else { return [] }
            return cell.outputs.compactMap { if case .error(let diagnostic) = $0 { diagnostic } else { nil } }
        }
        #expect(errors.first?.message == "the model files of the cached encoder `tuned` changed since the cell ran")
    }
}
