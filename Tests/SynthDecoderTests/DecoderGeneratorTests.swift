import Foundation
import SynthTensor
import Testing

@testable import SynthDecoder

@Suite("Decoder generator: cached batched decoding")
struct DecoderGeneratorTests {
    @Test func greedyCachedDecodingMatchesFullRecomputation() {
        let model = FrozenDecoder.random(.tiny, seed: 11)
        let prefixes = [randomMatrix(3, 16, seed: 1), randomMatrix(3, 16, seed: 2)]
        let generated = DecoderGenerator(model: model).generate(
            prefixes: prefixes, maxTokens: 6, samplers: [.greedy, .greedy], stop: [])
        #expect(generated.map(\.count) == [6, 6])
        for (prefix, tokens) in zip(prefixes, generated) {
            var sequence = prefix.values
            for token in tokens {
                let input = FloatMatrix(rows: sequence.count / 16, columns: 16, values: sequence)
                let logits = model.logits(input)
                let last = Array(UnsafeBufferPointer(start: logits.row(input.rows - 1), count: 40))
                #expect(Int32(last.indices.max { last[$0] < last[$1] }!) == token)
                sequence += model.embed([token]).values
            }
        }
    }

    @Test func samplingIsSeededAndStopsAtEndTokens() {
        let model = FrozenDecoder.random(.tiny, seed: 12)
        let prefix = randomMatrix(2, 16, seed: 3)
        let generator = DecoderGenerator(model: model)
        func run(_ seed: UInt64, stop: Set<Int32> = []) -> [Int32] {
            generator.generate(
                prefixes: [prefix], maxTokens: 12, samplers: [Sampler(temperature: 50, topP: 1, seed: seed)],
                stop: stop)[0]
        }
        #expect(run(1) == run(1))
        #expect(run(1) != run(2))
        let first = run(1)
        let stopped = run(1, stop: [first[3]])
        #expect(Set(first).count > 1)
        #expect(stopped == Array(first.prefix(while: { $0 != first[3] })))
    }
}
