import Foundation
import SynthTensor
import Testing

@testable import SynthModels

@Suite("Loss gradients agree with finite differences")
struct GradientLossTests {
    static func random(_ shape: [Int], seed: UInt64) -> Tensor {
        var generator = SeededGenerator(seed: seed)
        return Tensor(shape: shape, values: (0..<shape.reduce(1, *)).map { _ in generator.nextUniform() * 2 - 1 })
    }

    @Test("multiple-negatives ranking loss, with and without hard negatives")
    func mnrl() {
        let loss = MultipleNegativesRankingLoss(scale: 5)
        let inputs = [Self.random([3, 4], seed: 1), Self.random([3, 4], seed: 2), Self.random([3, 4], seed: 3)]
        let withNegatives = GradientCheck.run(inputs: inputs) { tape, v in
            loss(tape, LossInput(queries: v[0], positives: v[1], negatives: [v[2]]))
        }
        #expect(withNegatives.maxError < 1e-2, "\(withNegatives)")
        let inBatchOnly = GradientCheck.run(inputs: Array(inputs.prefix(2))) { tape, v in
            loss(tape, LossInput(queries: v[0], positives: v[1]))
        }
        #expect(inBatchOnly.maxError < 1e-2, "\(inBatchOnly)")
    }

    @Test("MNRL equals the cross-entropy formula computed by hand")
    func mnrlValue() {
        let q = Tensor(shape: [2, 2], values: [1, 0, 0, 1])
        let p = Tensor(shape: [2, 2], values: [1, 1, 0, 2])
        let tape = Tape(recording: false)
        let value = MultipleNegativesRankingLoss(scale: 20)(
            tape, LossInput(queries: tape.constant(q), positives: tape.constant(p))
        ).value.scalar
        // cos(q0, p0) = 1/√2, cos(q0, p1) = 0, cos(q1, p0) = 1/√2, cos(q1, p1) = 1.
        let s = 20.0, r = 1 / 2.0.squareRoot()
        let row0 = -(s * r - log(exp(s * r) + exp(0)))
        let row1 = -(s * 1 - log(exp(s * r) + exp(s)))
        #expect(abs(Double(value) - (row0 + row1) / 2) < 1e-5)
    }

    @Test("cross-entropy helper")
    func crossEntropy() {
        let report = GradientCheck.run(inputs: [Self.random([4, 5], seed: 4)]) { tape, v in
            LossOps.crossEntropy(tape, logits: v[0], targets: [0, 3, 4, 1])
        }
        #expect(report.maxError < 1e-2, "\(report)")
    }

    @Test("a whole tiny BERT bi-encoder: parameter gradients match finite differences")
    func bertParameters() {
        var config = BertConfig.tiny(vocabSize: 20)
        config.hiddenSize = 8
        config.numAttentionHeads = 2
        config.intermediateSize = 12
        config.numHiddenLayers = 1
        let model = BertModel(config: config, seed: 11)
        let input = BertInput(inputIds: [[1, 5, 7, 2], [1, 9, 2, 0]], attentionMask: [[1, 1, 1, 1], [1, 1, 1, 0]])
        for name in ["encoder.layer.0.attention.self.query.weight", "encoder.layer.0.intermediate.dense.weight",
                     "embeddings.LayerNorm.weight", "encoder.layer.0.output.LayerNorm.bias"] {
            let report = GradientCheck.run(inputs: [model.parameters[name]!], step: 1e-2) { tape, v in
                let hidden = model.forward(tape, input, overrides: [name: v[0]])
                return tape.l2Normalize(Pooling.mean.apply(tape, hidden, attentionMask: input.attentionMask))
            }
            #expect(report.maxError < 2e-2, "\(name): \(report)")
        }
    }
}
