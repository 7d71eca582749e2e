import SynthTensor

/// Evaluation on a dev split during training: a metric curve for the report, early stopping, and the best
/// model kept at the end (the behaviour of Hugging Face's `EarlyStoppingCallback` with
/// `load_best_model_at_end`, as sentence-transformers' trainer uses it).
///
/// The model is scored before the first step (step 0, unless ``evaluateAtStart`` is false), every ``every``
/// optimizer steps, and after the last step. Higher is better (nDCG, MRR, recall; pass a negated loss
/// otherwise). A score counts as an improvement when it exceeds the best so far by more than ``minDelta``;
/// after ``patience`` evaluations in a row without one, training stops. With ``restoreBest`` the trainer
/// returns (and saves) the parameters of the best evaluation instead of the last step's.
///
/// ```swift
/// let dev = RetrievalDevSet(queries: q, documents: d, qrels: qrels, tokenizer: tokenizer)
/// var trainer = BiEncoderTrainer(options: options)
/// trainer.devEvaluation = dev.evaluation(every: 50, patience: 3)
/// let result = try trainer.train(encoder, examples: examples)   // result.devCurve, result.bestStep
/// ```
package struct DevEvaluation: Sendable {
    /// The metric's name for reports (e.g. `ndcg_cut.10`).
    package var metric: String
    /// Optimizer steps between evaluations (at least 1).
    package var every: Int
    /// Evaluations without improvement before training stops; nil never stops early.
    package var patience: Int?
    /// The margin a score must beat the best by to count as an improvement.
    package var minDelta: Double
    /// Return the best evaluation's parameters rather than the last step's.
    package var restoreBest: Bool
    /// Score the starting model as step 0 (so the curve starts at the base model, and an unhelpful run can
    /// return it unchanged).
    package var evaluateAtStart: Bool
    /// Scores a model on the dev split; higher is better.
    package var evaluate: @Sendable (BiEncoder) -> Double

    /// Creates a dev evaluation.
    package init(
        metric: String, every: Int, patience: Int? = nil, minDelta: Double = 0, restoreBest: Bool = true,
        evaluateAtStart: Bool = true, evaluate: @escaping @Sendable (BiEncoder) -> Double
    ) {
        self.metric = metric
        self.every = max(1, every)
        self.patience = patience.map { max(1, $0) }
        self.minDelta = minDelta
        self.restoreBest = restoreBest
        self.evaluateAtStart = evaluateAtStart
        self.evaluate = evaluate
    }
}

/// One point of a dev metric curve.
package struct DevPoint: Sendable, Equatable, Codable {
    /// Optimizer steps completed when the model was scored (0 = the starting model).
    package var step: Int
    /// The dev metric.
    package var value: Double

    /// Creates a point.
    package init(step: Int, value: Double) {
        self.step = step
        self.value = value
    }
}

/// The resumable part of a ``DevMonitor``: what a checkpoint stores so that a resumed run scores, keeps the best
/// model and stops early exactly as the uninterrupted run would have (the best parameters themselves travel
/// in ``TrainingState/bestParameters``).
package struct DevProgress: Sendable, Equatable, Codable {
    /// Every evaluation so far.
    package var curve: [DevPoint]
    /// The step of the best evaluation so far (nil before the first).
    package var bestStep: Int?
    /// Its score (nil before the first evaluation).
    package var bestValue: Double?
    /// Evaluations in a row without an improvement (the patience counter).
    package var withoutImprovement: Int

    /// Creates a progress record.
    package init(curve: [DevPoint], bestStep: Int?, bestValue: Double?, withoutImprovement: Int) {
        self.curve = curve
        self.bestStep = bestStep
        self.bestValue = bestValue
        self.withoutImprovement = withoutImprovement
    }
}

/// The bookkeeping of a ``DevEvaluation`` inside a training loop: when to score, the curve, the best
/// parameters, and whether patience has run out.
final class DevMonitor {
    let evaluation: DevEvaluation
    /// Scores a parameter set (the trainer wraps it in its model).
    let score: ([String: Tensor]) -> Double
    private(set) var curve: [DevPoint] = []
    private(set) var bestStep: Int?
    private(set) var bestValue = -Double.infinity
    /// The best evaluation's parameters (kept only with ``DevEvaluation/restoreBest``).
    private(set) var bestParameters: [String: Tensor]?
    private(set) var stoppedEarly = false
    private var withoutImprovement = 0

    init(_ evaluation: DevEvaluation, score: @escaping ([String: Tensor]) -> Double) {
        self.evaluation = evaluation
        self.score = score
    }

    /// Scores `parameters` if `step` is an evaluation step; returns true when training should stop.
    ///
    /// - Parameters:
    ///   - step: optimizer steps completed (0 before training).
    ///   - totalSteps: planned steps (the last step is always scored).
    func observe(step: Int, totalSteps: Int, parameters: [String: Tensor]) -> Bool {
        let due = step == 0 ? evaluation.evaluateAtStart : (step % evaluation.every == 0 || step == totalSteps)
        guard due else { return false }
        let value = score(parameters)
        curve.append(DevPoint(step: step, value: value))
        if bestStep == nil || value > bestValue + evaluation.minDelta {
            bestStep = step
            bestValue = value
            if evaluation.restoreBest { bestParameters = parameters }
            withoutImprovement = 0
            return false
        }
        withoutImprovement += 1
        if let patience = evaluation.patience, withoutImprovement >= patience, step < totalSteps {
            stoppedEarly = true
            return true
        }
        return false
    }

    /// The state to store in a checkpoint written after `step`: the progress, and the best parameters when they
    /// are an earlier step's (at `step` itself they are the checkpoint's model).
    func snapshot(step: Int) -> (progress: DevProgress, bestParameters: [String: Tensor]?) {
        let progress = DevProgress(
            curve: curve, bestStep: bestStep, bestValue: bestStep == nil ? nil : bestValue,
            withoutImprovement: withoutImprovement)
        return (progress, bestStep == step ? nil : bestParameters)
    }

    /// Continues from a checkpoint's ``snapshot(step:)`` taken after `step`, whose model is `parameters`.
    func restore(_ progress: DevProgress, bestParameters: [String: Tensor]?, step: Int, parameters: [String: Tensor]) {
        curve = progress.curve
        bestStep = progress.bestStep
        bestValue = progress.bestValue ?? -Double.infinity
        withoutImprovement = progress.withoutImprovement
        if evaluation.restoreBest, bestStep != nil {
            self.bestParameters = bestStep == step ? parameters : bestParameters
        }
    }

    /// The parameters to return: the best evaluation's when restoring and it is not the last step's.
    func finalParameters(last step: Int) -> [String: Tensor]? {
        guard evaluation.restoreBest, let bestStep, bestStep != step else { return nil }
        return bestParameters
    }

    /// Copies the curve, best step and early-stop flag into a result.
    func annotate(_ result: inout TrainingResult) {
        result.devMetric = evaluation.metric
        result.devCurve = curve
        result.bestStep = bestStep
        result.stoppedEarly = stoppedEarly
    }
}
