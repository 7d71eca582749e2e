import Foundation
import SynthTensor

/// One LLM-generated ranked sentence list (He et al., 2025): sentences in generation order (anchor first) and
/// a teacher encoder's cosine matrix over them.
package struct SentenceListExample: Sendable, Equatable, Codable {
    /// Token ids of each sentence, in generation order.
    package var sentences: [[Int32]]
    /// Teacher similarities `[L][L]` between the sentences.
    package var teacher: [[Float]]

    /// Creates an example.
    package init(sentences: [[Int32]], teacher: [[Float]]) {
        precondition(
            teacher.count == sentences.count && teacher.allSatisfy { $0.count == sentences.count },
            "SentenceListExample: teacher matrix must be \(sentences.count)×\(sentences.count)")
        self.sentences = sentences
        self.teacher = teacher
    }
}

/// Post-trains a ``BiEncoder`` on ranked sentence lists with ``ListMLELoss`` in sentence-list mode, one list per
/// micro-batch as in the paper (use `accumulationSteps` for larger effective batches; `batchSize` is ignored).
///
/// Paper hyper-parameters: lr 3e-6, one epoch, τ = 0.05, ω = 0.5, max length 32.
package struct SentenceListTrainer: Sendable {
    /// Hyper-parameters (`batchSize` is forced to 1).
    package var options: TrainingOptions
    /// The ListMLE objective (temperature, generation-order weight).
    package var loss: ListMLELoss

    /// Creates a trainer.
    package init(options: TrainingOptions, loss: ListMLELoss = ListMLELoss()) {
        var options = options
        options.batchSize = 1
        self.options = options
        self.loss = loss
    }

    /// Trains `encoder` on `lists`.
    package func train(
        _ encoder: BiEncoder, lists: [SentenceListExample], progress: (TrainingEvent) -> Void = { _ in }
    ) -> TrainingResult {
        var encoder = encoder
        var parameters = encoder.model.parameters
        encoder.model.parameters = [:]
        let frozen = encoder
        let (losses, _) = TrainingLoop(options: options).run(
            exampleCount: lists.count, parameters: &parameters, pool: encoder.model.pool, progress: progress
        ) { tape, batch, current in
            var encoder = frozen
            encoder.model.parameters = current
            return lossValue(tape, encoder: encoder, list: lists[batch[0]])
        }
        encoder.model.parameters = parameters
        return TrainingResult(encoder: encoder, losses: losses, steps: losses.count)
    }

    /// The ListMLE loss of one list on `tape`.
    func lossValue(_ tape: Tape, encoder: BiEncoder, list: SentenceListExample) -> Variable {
        let embeddings = encoder.forward(tape, tokenIds: list.sentences)
        let size = list.sentences.count
        return loss(
            tape,
            LossInput(
                queries: embeddings, teacherScores: Tensor(shape: [size, size], values: list.teacher.flatMap { $0 })))
    }
}
