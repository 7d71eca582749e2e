import Foundation
import SynthTensor
import SynthTestSupport
import Testing

@testable import SynthModels

/// Python's `SentenceTransformer(path)` loads our checkpoints unchanged (needs `$SYNTHLAB_HOME/venv-torch`,
/// the optional PyTorch venv; skipped without it).
@Suite("Checkpoints load in sentence-transformers")
struct TrainingCheckpointPythonTests {
    static let python = TestPaths.synthlabHome.appendingPathComponent("venv-torch/bin/python")

    @Test(
        "a trained checkpoint gives the same embeddings in sentence-transformers",
        .enabled(if: FileManager.default.isExecutableFile(atPath: python.path)))
    func sentenceTransformersLoads() throws {
        let folder = try TestPaths.temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let base = TestPaths.synthlabHome.appendingPathComponent("models/all-MiniLM-L6-v2")
        var options = TrainingOptions()
        options.batchSize = 4
        options.learningRate = 1e-3
        var examples: [TrainingExample] = []
        for i in 0..<8 {
            let token = Int32(10 + i), other = Int32(40 + i)
            examples.append(TrainingExample(query: [101, token, 102], positive: [101, token, other, 102]))
        }
        let trained = try BiEncoderTrainer(options: options).train(
            BiEncoder(model: BertModel(config: .tiny(vocabSize: 200), seed: 4)), examples: examples, checkpointFolder: folder,
            baseModelFolder: base)
        let checkpoint = folder.appendingPathComponent("checkpoint-\(trained.steps)")

        let ids: [[Int32]] = [[101, 7, 8, 9, 102], [101, 30, 102, 0, 0]]
        let mask: [[Int32]] = [[1, 1, 1, 1, 1], [1, 1, 1, 0, 0]]
        let process = Process()
        process.executableURL = Self.python
        process.arguments = [
            TestPaths.root.appendingPathComponent("Tests/SynthModelsTests/Fixtures/st_load_checkpoint.py").path,
            checkpoint.path,
        ]
        let input = Pipe(), output = Pipe()
        process.standardInput = input
        process.standardOutput = output
        process.standardError = FileHandle.nullDevice
        try process.run()
        input.fileHandleForWriting.write(try JSONSerialization.data(withJSONObject: ["input_ids": ids, "attention_mask": mask]))
        try input.fileHandleForWriting.close()
        let data = output.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        #expect(process.terminationStatus == 0)
        let answer = try #require(try JSONSerialization.jsonObject(with: data) as? [String: Any])
        #expect(answer["modules"] as? [String] == ["Transformer", "Pooling", "Normalize"])
        let expected = try #require(answer["embeddings"] as? [[Double]])
        let ours = trained.encoder.embed(inputIds: ids, attentionMask: mask)
        var worst = 0.0
        for (row, reference) in zip(ours, expected) {
            for (a, b) in zip(row, reference) { worst = max(worst, abs(Double(a) - b)) }
        }
        #expect(worst < 1e-5, "max abs difference \(worst)")
    }
}
