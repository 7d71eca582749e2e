import Foundation
import SynthTensor
import Testing

@testable import SynthDecoder

@Suite("Frozen decoder: loss gradient with respect to the input embeddings")
struct FrozenDecoderBackwardTests {
    /// Two sequences of 5 positions on the tiny random model: 2 soft-prompt rows, then tokens; padding at the end.
    static func batch(_ model: FrozenDecoder, seed: UInt64) -> DecoderBatch {
        let embeddings = randomMatrix(10, model.shape.width, seed: seed, scale: 0.8)
        let labels: [Int32] = [-1, 5, 9, 2, -1, -1, 17, 3, -1, -1]
        return DecoderBatch(embeddings: embeddings, batch: 2, sequence: 5, labels: labels)
    }

    @Test(arguments: [RotaryPairing.interleaved, .halves])
    func wholeModelGradientMatchesFiniteDifferences(pairing: RotaryPairing) {
        var shape = DecoderShape.tiny
        shape.pairing = pairing
        let model = FrozenDecoder.random(shape, seed: 3)
        let batch = Self.batch(model, seed: 4)
        let result = model.lossAndInputGradient(batch)
        #expect(result.tokens == 5)
        #expect(result.loss > 0)
        // Float32 forward: step 3e-3 balances truncation (0.18 abs at 3e-2, 0.02 at 1e-2) against rounding.
        let numeric = numericGradients([batch.embeddings], step: 3e-3) { model.loss(batch).loss }
        let error = worstError(result.inputGradient!.values, numeric[0])
        #expect(error < 5e-3, "worst relative error \(error)")
        // The gradient is not trivially zero, and the padded rows after the last label get none.
        #expect(result.inputGradient!.values.map(abs).max()! > 1e-3)
        let width = model.shape.width
        #expect(result.inputGradient!.values[(9 * width)..<(10 * width)].allSatisfy { $0 == 0 })
    }

    @Test func checkpointingGivesTheSameGradient() {
        let model = FrozenDecoder.random(.tiny, seed: 5)
        let batch = Self.batch(model, seed: 6)
        let recomputed = model.lossAndInputGradient(batch, checkpointing: true)
        let kept = model.lossAndInputGradient(batch, checkpointing: false)
        #expect(recomputed.loss == kept.loss)
        #expect(recomputed.inputGradient!.values == kept.inputGradient!.values)
        #expect(abs(model.loss(batch).loss - recomputed.loss) < 1e-9)
    }

    @Test func sequencesInABatchAreIndependent() {
        let model = FrozenDecoder.random(.tiny, seed: 7)
        let batch = Self.batch(model, seed: 8)
        let width = model.shape.width
        let full = model.lossAndInputGradient(batch)
        // The first sequence alone: its loss sum and gradient rows agree with the batched run.
        let first = FloatMatrix(rows: 5, columns: width)
        first.pointer.update(from: batch.embeddings.pointer, count: 5 * width)
        let single = model.lossAndInputGradient(
            DecoderBatch(embeddings: first, batch: 1, sequence: 5, labels: Array(batch.labels[0..<5])))
        let scale = Float(single.tokens) / Float(full.tokens)  // mean over 3 vs over 5 tokens
        for index in 0..<(5 * width) {
            #expect(abs(full.inputGradient!.pointer[index] - single.inputGradient!.pointer[index] * scale) < 1e-5)
        }
    }
}
