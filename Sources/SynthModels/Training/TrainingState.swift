import SynthTensor

/// What a checkpoint stores beyond the model so a run can resume exactly: step, loss curve, optimizer state,
/// and the dev-evaluation bookkeeping (curve, best step, patience) when the run scores a dev split.
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
    /// The dev monitor's curve, best step and patience counter (nil: the run has no dev split).
    package var dev: DevProgress?
    /// The best dev evaluation's parameters, when they are not the checkpoint's own (an earlier step's).
    package var bestParameters: [String: Tensor]?

    /// Captures the state of a run.
    package init(
        step: Int, losses: [Float], optimizer: AdamW, options: TrainingOptions, dev: DevProgress? = nil,
        bestParameters: [String: Tensor]? = nil
    ) {
        self.init(
            step: step, losses: losses, firstMoments: optimizer.firstMoments, secondMoments: optimizer.secondMoments,
            options: options, dev: dev, bestParameters: bestParameters)
    }

    /// Creates a state from its parts.
    package init(
        step: Int, losses: [Float], firstMoments: [String: Tensor], secondMoments: [String: Tensor],
        options: TrainingOptions, dev: DevProgress? = nil, bestParameters: [String: Tensor]? = nil
    ) {
        self.step = step
        self.losses = losses
        self.firstMoments = firstMoments
        self.secondMoments = secondMoments
        self.options = options
        self.dev = dev
        self.bestParameters = bestParameters
    }
}
