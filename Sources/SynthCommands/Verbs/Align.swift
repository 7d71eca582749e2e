import Foundation
import SynthModels
import SynthSynthesis
import SynthValues

/// `align`: Syntriever stage 2 — fine-tunes a (stage-1) bi-encoder on pairwise LLM preferences with the partial
/// Plackett–Luce loss and its regulariser.
package enum AlignCommand: VerbCommand {
    package static let spec = VerbSpec(
        name: "align",
        summary:
            "align a bi-encoder to pairwise LLM preferences with the partial Plackett–Luce loss (Syntriever stage 2)",
        discussion: """
            The examples are the accepted pairwise records of `on` (from `align pairs` or `distill pairwise`): \
            a query, the passage the teacher preferred c⁺ and the other one c⁻. The loss is the partial \
            Plackett–Luce likelihood of the ranking c⁺ ≻ c⁻ ≻ N, N the other queries' passages in the batch: \
            cross-entropy of c⁺ against every c⁺ and c⁻ of the batch, plus `regularizer` × cross-entropy of c⁻ \
            against every c⁻ and the other queries' c⁺. The second term keeps the less-preferred (usually still \
            relevant) passage above unrelated ones, so alignment does not undo stage 1; `regularizer=0` leaves \
            only the first term. Batches never hold two pairs of one query (seeded no-duplicates sampler): \
            its other pairs would count as unrelated passages. Optimizer, schedule, saving and the `losses` \
            field as in `train`.
            """,
        paper: "Kim & Baek 2025, Syntriever (NAACL Findings, arXiv 2502.03824), partial Plackett–Luce alignment",
        positional: [ArgSpec("encoder", .object("encoder"), doc: "the model to align (Syntriever: the stage-1 model)")],
        keywords: [
            ArgSpec("on", .object("synthetic_set"), doc: "pairwise preferences (`align pairs`)"),
            ArgSpec("regularizer", .number, default: .double(1), doc: "weight λ of the c⁻ ≻ unrelated term"),
            ArgSpec("temperature", .number, default: .double(0.05), doc: "τ dividing cosine similarities"),
            ArgSpec("epochs", .int, default: .int(1), doc: "passes over the pairs"),
            ArgSpec("batch", .int, default: .int(16), doc: "pairs per batch (in-batch unrelated passages)"),
        ] + TrainCommand.optimizerArguments,
        result: "encoder",
        example: "aligned = align (encoder minilm) on=queries regularizer=1 epochs=1 batch=16 lr=2e-5")

    package static func run(_ call: VerbCall, context: ExecutionContext) async throws -> VerbOutcome {
        guard let base = call.object("encoder", as: EncoderObject.self),
            let set = call.object("on", as: SyntheticSet.self)
        else { throw call.error("expected an encoder and a synthetic set of preferences") }
        let weight = call.double("regularizer") ?? 1
        guard weight >= 0, weight.isFinite else {
            throw call.error("expected a regularizer weight of 0 or more, found \(formatFixed(weight, digits: 4))")
        }
        let pairs = set.preferencePairs
        guard pairs.count >= 2 else {
            throw call.error(
                "expected at least 2 accepted pairwise preferences, found \(pairs.count)",
                notes: ["`on` is a \(set.kind) set; preferences come from `align pairs` or `distill pairwise`"])
        }
        let texts = pairs.map { pair in
            TrainCommand.TextExample(
                query: pair.query, candidates: [pair.preferred, pair.other], labels: nil,
                keys: [pair.query])
        }
        let loss = PartialPlackettLuceLoss(
            scale: try TrainCommand.inverseTemperature(call), regularizerWeight: Float(weight))
        return try await TrainCommand.fit(
            base, texts: texts, loss: loss, detail: "partial Plackett–Luce, λ \(formatFixed(weight, digits: 2))",
            verb: "align", call: call, context: context)
    }
}
