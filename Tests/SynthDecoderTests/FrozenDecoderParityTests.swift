import Foundation
import SynthTensor
import SynthTestSupport
import Testing

@testable import SynthDecoder

@Suite("Frozen decoder agrees with the LM core's forward on SmolLM2")
struct FrozenDecoderParityTests {
    static let file = TestPaths.synthlabHome.appendingPathComponent("models/smollm2-135m-instruct-q4_1.gguf")

    @Test(.enabled(if: FileManager.default.fileExists(atPath: file.path)))
    func logitsMatchLlamaModel() throws {
        let model = try LlamaModel.load(gguf: Self.file)
        let decoder = FrozenDecoder(model: model)
        let tokens = model.tokenizer.encode("Aspirin lowers the risk of", addSpecial: false)
        let expected = model.logits(inputEmbeddings: model.embed(tokens: tokens)).scalars
        let found = decoder.logits(decoder.embed(tokens)).values
        #expect(expected.count == found.count)
        let worst = zip(expected, found).map { abs($0 - $1) }.max() ?? .infinity
        #expect(worst < 1e-2, "largest logit difference \(worst)")
        // Same greedy next token at every position.
        let vocabulary = decoder.shape.vocabulary
        for row in 0..<tokens.count {
            let a = expected[(row * vocabulary)..<((row + 1) * vocabulary)], b = found[(row * vocabulary)..<((row + 1) * vocabulary)]
            #expect(a.indices.max { a[$0] < a[$1] } == b.indices.max { b[$0] < b[$1] })
        }
    }
}
