import Foundation
import SynthModels
import SynthSynthesis
import SynthValues

/// `posttrain`: post-trains a sentence encoder on ranked sentence chains with ListMLE (He et al. 2025).
///
/// A separate verb rather than a `train` subcommand: `train ranked` would turn `train ranked on=…` into the
/// subcommand form even when `ranked` is meant as an encoder variable.
package enum PostTrainCommand: VerbCommand {
    package static let spec = VerbSpec(
        name: "posttrain",
        summary: "post-train a sentence encoder on ranked sentence chains with ListMLE (ranking sentence generation)",
        discussion: """
            Each accepted chain of `on` (from `synthesize ranked`: anchor, then rewrites drifting further away) is \
            one list. A teacher encoder (`teacher`, default: the encoder being trained, as it was before training) \
            gives the cosine matrix A of the chain's sentences; A is corrected toward the generation order, \
            T = A + sign(B)·log(1 + ω|B|) with ω = `order_weight` (0 keeps the teacher's order), and the student's \
            cosine matrix / `temperature` is trained with ListMLE on the order of every row of T. One chain per \
            micro-batch as in the paper; `batch` chains are accumulated per optimizer step. AdamW with linear \
            warm-up (10%) and decay, gradient clipping at 1, seeded shuffling and dropout. The model is saved \
            under `.synthlab/models/<notebook>/<name>` in sentence-transformers layout and loaded back; its \
            `losses` field is the loss per step. Chains shorter than 3 sentences are skipped.
            """,
        paper: "He et al. 2025, ranking sentence generation (ACL Findings, arXiv 2502.13656); Xia et al. 2008 (ListMLE)",
        positional: [ArgSpec("encoder", .object("encoder"), doc: "the model to start from (from `encoder`)")],
        keywords: [
            ArgSpec("on", .object("synthetic_set"), doc: "ranked sentence chains (from `synthesize ranked`)"),
            ArgSpec(
                "teacher", .object("encoder"), optional: true,
                doc: "the encoder whose similarities give the target order (default: the starting model)"),
            ArgSpec("loss", .choice(["listmle"]), default: .string("listmle"), doc: "the training objective"),
            ArgSpec("epochs", .int, default: .int(1), doc: "passes over the chains"),
            ArgSpec("batch", .int, default: .int(1), doc: "chains per optimizer step (gradient accumulation)"),
            ArgSpec("lr", .number, default: .double(3e-6), doc: "peak learning rate (the paper: 3e-6)"),
            ArgSpec(
                "order_weight", .number, default: .double(0.5),
                doc: "ω: weight of the generation order against the teacher similarities (the paper: 0.5)"),
            ArgSpec("temperature", .number, default: .double(0.05), doc: "τ: student scores are cosine / τ"),
            ArgSpec("max_length", .int, default: .int(32), doc: "token limit of each sentence (the paper: 32)"),
            ArgSpec("max_steps", .int, optional: true, doc: "stop after this many optimizer steps"),
            ArgSpec("seed", .int, default: .int(42), doc: "shuffling and dropout seed"),
            ArgSpec("name", .string, optional: true, doc: "the saved model's folder name (default: the variable)"),
        ],
        result: "encoder",
        example:
            "tuned = posttrain (encoder minilm) on=(synthesize ranked from=[\"A man is playing a guitar.\"] steps=4 teacher=t) order_weight=0.5"
    )

    package static func run(_ call: VerbCall, context: ExecutionContext) async throws -> VerbOutcome {
        guard let base = call.object("encoder", as: EncoderObject.self) else { throw call.error("expected an encoder") }
        guard let set = call.object("on", as: SyntheticSet.self) else { throw call.error("expected ranked chains") }
        let options = try trainingOptions(call)
        let loss = try listMLE(call)
        let maxLength = call.int("max_length") ?? 32
        guard maxLength >= 4 else { throw call.error("expected max_length of at least 4, found \(maxLength)") }
        let chains = try chains(of: set, call: call)
        let teacher = call.object("teacher", as: EncoderObject.self) ?? base
        let name = call.string("name") ?? call.target ?? "posttrained"
        guard !name.isEmpty, !name.contains("/"), !name.hasPrefix(".") else {
            throw call.error("expected a plain folder name for the model, found \"\(name)\"")
        }
        let sink = context.progress
        let lists = try examples(chains, student: base.encoder, teacher: teacher.encoder, maxLength: maxLength) {
            done, total in sink(ProgressEvent(label: "posttrain \(name): teacher similarities", count: done, total: total))
        }
        try Task.checkCancellation()
        let trainer = SentenceListTrainer(options: options, loss: loss)
        let result = trainer.train(base.encoder.encoder, lists: lists) { event in
            sink(
                ProgressEvent(
                    label: "posttrain \(name) loss \(formatFixed(Double(event.loss), digits: 3))",
                    count: event.step, total: event.totalSteps))
        }
        let folder = context.modelFolder(named: name)
        try Checkpoint.save(result.encoder, to: folder, baseModelFolder: base.encoder.folder)
        let trained = try SentenceEncoder.load(folder: folder)
        let losses = result.losses.map(Double.init)
        let plot = Plot(
            kind: .line, title: "ListMLE loss (\(name))", xLabel: "step", yLabel: "loss",
            series: [Series(name: name, x: losses.indices.map { Double($0 + 1) }, y: losses)])
        let sentences = chains.map(\.count).reduce(0, +)
        let line =
            "posttrain \(name): \(chains.count) chains (\(sentences) sentences), \(result.steps) steps, ListMLE loss "
            + "\(formatFixed(losses.first ?? 0, digits: 3)) → \(formatFixed(losses.last ?? 0, digits: 3)); "
            + "saved to \(context.displayPath(folder))"
        let drift = chainDiagnostics(lists)
        let agreement =
            "teacher \(teacher.name): mean Spearman between chain position and cosine to the anchor "
            + "\(formatFixed(drift.meanSpearman, digits: 3)) (−1: every chain drifts steadily away)"
        return VerbOutcome(
            value: .object(EncoderObject(trained, name: name, losses: losses)),
            outputs: [.text(line), .plot(plot), .text(agreement), .table(drift.table)])
    }

    /// The optimizer settings, validated.
    static func trainingOptions(_ call: VerbCall) throws -> TrainingOptions {
        var options = TrainingOptions()
        let epochs = call.int("epochs") ?? 1
        guard epochs >= 1 else { throw call.error("expected epochs of at least 1, found \(epochs)") }
        let batch = call.int("batch") ?? 1
        guard batch >= 1 else { throw call.error("expected batch of at least 1, found \(batch)") }
        let lr = call.double("lr") ?? 3e-6
        guard lr > 0, lr.isFinite else { throw call.error("expected a positive lr, found \(formatNumber(lr))") }
        if let steps = call.int("max_steps"), steps < 1 {
            throw call.error("expected max_steps of at least 1, found \(steps)")
        }
        options.epochs = epochs
        options.accumulationSteps = batch
        options.learningRate = Float(lr)
        options.maxSteps = call.int("max_steps")
        options.seed = UInt64(max(0, call.int("seed") ?? 42))
        return options
    }

    /// The loss with its temperature and order weight, validated.
    static func listMLE(_ call: VerbCall) throws -> ListMLELoss {
        let weight = call.double("order_weight") ?? 0.5
        guard weight >= 0, weight.isFinite else {
            throw call.error("expected order_weight of 0 or more, found \(formatNumber(weight))")
        }
        let temperature = call.double("temperature") ?? 0.05
        guard temperature > 0, temperature.isFinite else {
            throw call.error("expected a positive temperature, found \(formatNumber(temperature))")
        }
        return ListMLELoss(temperature: Float(temperature), orderWeight: Float(weight))
    }

    /// The accepted chains of `set` with at least 3 sentences (anchor first).
    static func chains(of set: SyntheticSet, call: VerbCall) throws -> [[String]] {
        guard set.kind == "ranked" else {
            throw call.error(
                "expected ranked sentence chains (from `synthesize ranked`), found a synthetic_set of kind \"\(set.kind)\"")
        }
        let chains = set.accepted.map(\.texts).filter { $0.count >= 3 }
        guard !chains.isEmpty else {
            throw call.error(
                "expected at least 1 accepted chain of 3 or more sentences, found none",
                notes: ["\(set.records.count) chains, \(set.accepted.count) accepted"])
        }
        return chains
    }

    /// One ``SentenceListExample`` per chain: the student's token ids and the teacher's cosine matrix.
    static func examples(
        _ chains: [[String]], student: SentenceEncoder, teacher: SentenceEncoder, maxLength: Int,
        progress: @escaping @Sendable (Int, Int) -> Void
    ) throws -> [SentenceListExample] {
        let texts = chains.flatMap { $0 }
        let vectors = teacher.embed(texts, batchSize: 32, maxLength: maxLength, progress: progress)
        var examples: [SentenceListExample] = []
        var offset = 0
        for chain in chains {
            let rows = Array(vectors[offset..<(offset + chain.count)])
            offset += chain.count
            let teacherMatrix = rows.map { a in rows.map { b in Float(SimilarityCommand.cosine(a, b)) } }
            examples.append(
                SentenceListExample(
                    sentences: chain.map { student.tokenize($0, maxLength: maxLength) }, teacher: teacherMatrix))
        }
        return examples
    }
}
