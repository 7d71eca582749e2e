import SynthTensor

/// What a checkpoint stores beyond the model so a run can resume exactly: step, loss curve, optimizer state.
package struct TrainingState: Sendable {
    /// Optimizer steps completed.
    package var step: Int
    /// Loss of every completed step.
    package var losses: [Float]
    /// AdamW first and second moments by parameter name.
    package var firstMoments: [String: Tensor]
    package var secondMoments: [String: Tensor]
    /// The options of the run.
    package var options: TrainingOptions

    /// Captures the state of a run.
    package init(step: Int, losses: [Float], optimizer: AdamW, options: TrainingOptions) {
        self.init(
            step: step, losses: losses, firstMoments: optimizer.firstMoments, secondMoments: optimizer.secondMoments,
            options: options)
    }

    /// Creates a state from its parts.
    package init(
        step: Int, losses: [Float], firstMoments: [String: Tensor], secondMoments: [String: Tensor],
        options: TrainingOptions
    ) {
        self.step = step
        self.losses = losses
        self.firstMoments = firstMoments
        self.secondMoments = secondMoments
        self.options = options
    }
}
