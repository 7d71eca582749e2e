/// One tokenized training triple for a bi-encoder: a query, its positive and optional hard negatives.
///
/// Token ids include `[CLS]`/`[SEP]` and are already truncated (see `WordPieceTokenizer.encode(_:maxLength:)`).
package struct TrainingExample: Sendable, Equatable, Codable {
    /// Query token ids.
    package var query: [Int32]
    /// Relevant document token ids.
    package var positive: [Int32]
    /// Hard negative document token ids (every example of a run should have the same number).
    package var negatives: [[Int32]]

    /// Creates an example.
    package init(query: [Int32], positive: [Int32], negatives: [[Int32]] = []) {
        self.query = query
        self.positive = positive
        self.negatives = negatives
    }
}

/// Hyper-parameters of a training run (defaults follow sentence-transformers' `fit`).
package struct TrainingOptions: Sendable, Equatable, Codable {
    /// Passes over the data.
    package var epochs: Int = 1
    /// Examples per micro-batch (in-batch negatives come from the same micro-batch).
    package var batchSize: Int = 32
    /// Micro-batches whose gradients are summed (and averaged) before one optimizer step.
    package var accumulationSteps: Int = 1
    /// Peak learning rate.
    package var learningRate: Float = 2e-5
    /// Warm-up steps; nil means 10% of the total.
    package var warmupSteps: Int?
    /// AdamW decoupled weight decay.
    package var weightDecay: Float = 0.01
    /// Global gradient-norm clip; nil disables clipping.
    package var maxGradientNorm: Float? = 1
    /// Seeds shuffling and dropout.
    package var seed: UInt64 = 42
    /// Stop after this many optimizer steps (nil: run all epochs).
    package var maxSteps: Int?
    /// Write a resumable checkpoint every this many optimizer steps (nil: only at the end).
    package var checkpointEvery: Int?

    /// Default options.
    package init() {}
}

/// Progress of a run, sent after every optimizer step.
package struct TrainingEvent: Sendable, Equatable {
    /// Optimizer steps completed.
    package var step: Int
    /// Planned optimizer steps.
    package var totalSteps: Int
    /// Mean loss of the step's micro-batches.
    package var loss: Float
    /// Learning rate used for the step.
    package var learningRate: Float
}

/// The outcome of a run: the trained encoder, its loss curve and, with a dev split, its metric curve.
package struct TrainingResult: Sendable {
    /// The trained model.
    package var encoder: BiEncoder
    /// Loss of every optimizer step, from the first (including steps done before a resume).
    package var losses: [Float]
    /// Optimizer steps completed.
    package var steps: Int
    /// The dev metric's name, when the run had a ``DevEvaluation``.
    package var devMetric: String? = nil
    /// The dev metric after each evaluation (step 0 = the starting model); empty without a dev split.
    package var devCurve: [DevPoint] = []
    /// The step whose parameters scored best on the dev split (the returned model's, with
    /// ``DevEvaluation/restoreBest``).
    package var bestStep: Int? = nil
    /// Whether the run stopped before its planned steps because the dev metric stopped improving.
    package var stoppedEarly: Bool = false
}
