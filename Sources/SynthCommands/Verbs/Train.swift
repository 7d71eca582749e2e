import Foundation
import SynthModels
import SynthRetrieval
import SynthSynthesis
import SynthValues

/// `train`: fine-tunes a bi-encoder on (query, positive, negatives) examples — multiple-negatives ranking, or
/// Syntriever's stage-1 multi-positive soft nearest-neighbour loss.
package enum TrainCommand: VerbCommand {
    package static let spec = VerbSpec(
        name: "train",
        summary: "fine-tune a bi-encoder on synthetic or judged (query, positive, negatives) examples",
        discussion: """
            Examples are the accepted records of a `synthetic_set` (query, its positives, its negatives) or the \
            judged queries of a dataset split with their first relevant document. `loss="mnrl"` is \
            multiple-negatives ranking (in-batch negatives plus the examples' hard negatives; one positive per \
            query). `loss="snn"` is Syntriever's stage 1 (distillation): a multi-positive soft nearest-neighbour \
            loss whose positives are the gold passage, the LLM-written relevant passages and (with `cot=true`) \
            the chain-of-thought expansion of `synthesize syntriever`, while the synthetic negatives and \
            positives the verifier rejected appear only in the denominator. Both losses scale cosine \
            similarities by 1/`temperature`. Batches never hold two examples sharing a query or positive text \
            (seeded no-duplicates sampler, as sentence-transformers' `NoDuplicatesBatchSampler`), so no query \
            is pushed away from its own positive. AdamW with linear warm-up (10% of the steps unless `warmup`) \
            and decay, gradient clipping at 1, seeded shuffling and dropout. The model is saved under \
            `.synthlab/models/<notebook>/<name>` in sentence-transformers layout and loaded back, so `dense`, \
            `encode` and `similarity` use it; its `losses` field is the loss per step (`plot line \
            y=model.losses`). With `dev=` a judged dataset, the model is scored (nDCG@10, exact search over the \
            dev queries' judged passages plus `dev_docs` others) before the first step, every `eval_every` steps \
            and at the end; the curve is drawn, training stops after `patience` evaluations without a gain above \
            `min_delta`, and the best-scoring parameters are the ones saved and returned. Every \
            `checkpoint_every` steps a resumable checkpoint (weights, optimizer moments, step, loss and dev \
            curves) replaces the previous one; if the run is killed, re-running the cell resumes from the newest \
            ("resuming from step 100 of 300") and ends with the same model as an uninterrupted run, provided \
            the examples and every option that changes the result are unchanged (a fingerprint stored beside \
            the checkpoints); otherwise it starts from step 0 and removes the stale checkpoints. Only the final \
            checkpoint is kept. Stage 2 of Syntriever is `align`.
            """,
        paper: """
            Henderson et al. 2017 / Reimers & Gurevych 2019 (MultipleNegativesRankingLoss); Kim & Baek 2025, \
            Syntriever (NAACL Findings, arXiv 2502.03824) and Frosst et al. 2019 (soft nearest-neighbour loss); \
            Loshchilov & Hutter 2019 (AdamW)
            """,
        positional: [ArgSpec("encoder", .object("encoder"), doc: "the model to start from (from `encoder`)")],
        keywords: [
            ArgSpec("on", .oneOf([.object("synthetic_set"), .object("dataset")]), doc: "the training examples"),
            ArgSpec("split", .string, default: .string("train"), doc: "the split used when `on` is a dataset"),
            ArgSpec(
                "loss", .choice(["mnrl", "snn"]), default: .string("mnrl"),
                doc: "the objective: multiple-negatives ranking or Syntriever's soft nearest-neighbour"),
            ArgSpec(
                "cot", .bool, default: .bool(true),
                doc: "`snn`: count the chain-of-thought expansion as a positive (false: the no-CoT ablation)"),
            ArgSpec("temperature", .number, default: .double(0.05), doc: "τ dividing cosine similarities"),
            ArgSpec("epochs", .int, default: .int(1), doc: "passes over the examples"),
            ArgSpec("batch", .int, default: .int(16), doc: "examples per batch (in-batch negatives)"),
        ] + optimizerArguments + TrainDevSplit.arguments,
        result: "encoder",
        example: "tuned = train (encoder minilm) on=queries loss=\"snn\" cot=true epochs=1 batch=16 lr=2e-5")

    /// The optimizer and saving arguments every bi-encoder training verb (`train`, `align`, `train_distilled`)
    /// takes after its own, read by ``fit(_:texts:loss:detail:verb:call:context:)``.
    static let optimizerArguments: [ArgSpec] = [
        ArgSpec("lr", .number, default: .double(2e-5), doc: "peak learning rate"),
        ArgSpec("warmup", .int, optional: true, doc: "warm-up steps (default 10% of the steps)"),
        ArgSpec("max_steps", .int, optional: true, doc: "stop after this many optimizer steps"),
        ArgSpec("max_length", .int, default: .int(128), doc: "token limit of queries and passages"),
        ArgSpec("seed", .int, default: .int(42), doc: "shuffling and dropout seed"),
        ArgSpec("name", .string, optional: true, doc: "the saved model's folder name (default: the variable)"),
        ArgSpec(
            "checkpoint_every", .int, default: .int(TrainResume.defaultCheckpointEvery),
            doc: "save a resumable checkpoint every this many optimizer steps (0: only the final model); after a "
                + "crash the same training resumes from the newest"),
    ]

    package static func run(_ call: VerbCall, context: ExecutionContext) async throws -> VerbOutcome {
        guard let base = call.object("encoder", as: EncoderObject.self) else { throw call.error("expected an encoder") }
        let lossName = call.string("loss") ?? "mnrl"
        let texts = lossName == "snn" ? try snnExamples(call) : try mnrlExamples(call)
        guard texts.count >= 2 else {
            throw call.error("expected at least 2 training examples, found \(texts.count)")
        }
        let scale = try inverseTemperature(call)
        let loss: any Loss =
            lossName == "snn"
            ? SoftNearestNeighborLoss(scale: scale) : MultipleNegativesRankingLoss(scale: scale)
        let detail = lossName == "snn" ? "snn, cot \(call.bool("cot") ?? true)" : "mnrl"
        return try await fit(
            base, texts: texts, loss: loss, detail: detail, verb: "train", call: call, context: context)
    }

    /// One example as texts: the query, its candidates (column 0 first), optional per-candidate labels
    /// (``SoftNearestNeighborLoss`` roles), and the texts that must not repeat within a batch.
    struct TextExample {
        var query: String
        var candidates: [String]
        var labels: [Float]?
        var keys: [String]
        /// Teacher scores aligned with `candidates` (distillation losses), or nil.
        var teacherScores: [Float]? = nil
    }

    /// 1/τ from the `temperature` argument.
    static func inverseTemperature(_ call: VerbCall) throws -> Float {
        let temperature = call.double("temperature") ?? 0.05
        guard temperature > 0, temperature.isFinite else {
            throw call.error("expected a temperature above 0, found \(formatFixed(temperature, digits: 4))")
        }
        return Float(1 / temperature)
    }

    /// Tokenizes `texts`, trains with `loss` on batches without duplicate keys, saves and reloads the model.
    static func fit(
        _ base: EncoderObject, texts: [TextExample], loss: any Loss, detail: String, verb: String, call: VerbCall,
        context: ExecutionContext
    ) async throws -> VerbOutcome {
        let maxLength = max(8, call.int("max_length") ?? 128)
        let temperature = call.double("temperature") ?? 0.05
        let tokenizer = base.encoder
        var options = TrainingOptions()
        options.epochs = max(1, call.int("epochs") ?? 1)
        options.batchSize = max(2, call.int("batch") ?? 16)
        options.learningRate = Float(call.double("lr") ?? 2e-5)
        options.warmupSteps = call.int("warmup")
        options.maxSteps = call.int("max_steps")
        options.seed = UInt64(max(0, call.int("seed") ?? 42))
        options.checkpointEvery = try TrainResume.checkpointEvery(call)
        let sampler = NoDuplicatesBatchSampler(
            keys: texts.map(\.keys), batchSize: options.batchSize, seed: options.seed)
        let perEpoch = sampler.batches(epoch: 0).count
        guard perEpoch > 0 else {
            throw call.error(
                "expected 2 examples without a shared query or positive text to fill a batch, "
                    + "found none among \(texts.count)",
                notes: ["in-batch negatives need examples of different queries and positives"])
        }
        let name = call.string("name") ?? call.target ?? "trained"
        guard !name.contains("/"), !name.hasPrefix(".") else {
            throw call.error("expected a plain folder name for the model, found \"\(name)\"")
        }
        let examples = texts.map { example in
            DistillationExample(
                query: tokenizer.tokenize(example.query, maxLength: maxLength),
                candidates: example.candidates.map { tokenizer.tokenize($0, maxLength: maxLength) },
                teacherScores: example.teacherScores, labels: example.labels)
        }
        let folder = context.modelFolder(named: name)
        let dev = try TrainDevSplit.evaluation(call, encoder: base.encoder, maxLength: maxLength)
        let trainer = DistillationTrainer(
            options: options, loss: loss, sampler: sampler, devEvaluation: dev?.evaluation)
        let sink = context.progress
        try Task.checkCancellation()
        let fingerprint = try TrainResume.fingerprint(
            examples: examples, sampler: sampler, options: options, loss: loss, detail: detail, base: base.encoder,
            maxLength: maxLength, dev: dev?.fingerprint)
        let total = trainer.totalSteps(exampleCount: examples.count)
        let start = try TrainingRunFolder(folder).prepare(fingerprint: fingerprint, totalSteps: total)
        let startLines = TrainResume.lines(start, total: total, verb: verb, name: name)
        for line in startLines { sink(ProgressEvent(label: line, count: 0, total: total)) }
        let result = try trainer.train(
            base.encoder.encoder, examples: examples, checkpointFolder: folder, baseModelFolder: base.encoder.folder,
            resume: start.checkpoint
        ) { event in
            sink(
                ProgressEvent(
                    label: "\(verb) \(name) loss \(formatFixed(Double(event.loss), digits: 3))",
                    count: event.step, total: event.totalSteps))
        }
        let saved = folder.appendingPathComponent("checkpoint-\(result.steps)")
        let trained = try SentenceEncoder.load(folder: saved)
        let losses = result.losses.map(Double.init)
        let plot = Plot(
            kind: .line, title: "training loss (\(name))", xLabel: "step", yLabel: "loss",
            series: [Series(name: name, x: losses.indices.map { Double($0 + 1) }, y: losses)])
        let line =
            "\(verb) \(name): \(texts.count) examples (\(detail), τ \(formatFixed(temperature, digits: 3)), "
            + "\(perEpoch) batches per epoch without duplicates), \(result.steps) steps, loss "
            + "\(formatFixed(losses.first ?? 0, digits: 4)) → \(formatFixed(losses.last ?? 0, digits: 4)); "
            + "saved to \(context.displayPath(saved))"
        return VerbOutcome(
            value: .object(EncoderObject(trained, name: name, losses: losses)),
            outputs: startLines.map { .text($0) } + [.text(line), .plot(plot)]
                + TrainDevSplit.outputs(result, name: name))
    }

    /// Multiple-negatives ranking examples: (query, positive, hard negatives), as many negatives as the example
    /// with the fewest.
    static func mnrlExamples(_ call: VerbCall) throws -> [TextExample] {
        let triples = try examples(call)
        let negatives = triples.map(\.negatives.count).min() ?? 0
        return triples.map { triple in
            TextExample(
                query: triple.query, candidates: [triple.positive] + triple.negatives.prefix(negatives),
                keys: [triple.query, triple.positive])
        }
    }

    /// Syntriever stage-1 examples: every positive (gold, synthetic, CoT) labelled 1, every negative 0, missing
    /// slots padded (label -1) so that all examples have the same candidate count.
    static func snnExamples(_ call: VerbCall) throws -> [TextExample] {
        let useCoT = call.bool("cot") ?? true
        var rows: [(query: String, positives: [String], negatives: [String])] = []
        if let set = call.object("on", as: SyntheticSet.self) {
            for tuple in set.syntrieverTuples {
                let positives =
                    (tuple.gold.map { [$0] } ?? []) + tuple.syntheticPositives
                    + (useCoT ? tuple.cot.map { [$0] } ?? [] : [])
                if !positives.isEmpty { rows.append((tuple.query, positives, tuple.negatives)) }
            }
        } else {
            rows = try examples(call).map { ($0.query, [$0.positive], $0.negatives) }
        }
        let width = rows.map(\.positives.count).max() ?? 1
        let negatives = rows.map(\.negatives.count).max() ?? 0
        return rows.map { row in
            let pad = row.positives[0]
            let positives = row.positives + Array(repeating: pad, count: width - row.positives.count)
            let others = row.negatives + Array(repeating: pad, count: negatives - row.negatives.count)
            let labels =
                row.positives.map { _ in Float(1) } + Array(repeating: -1, count: width - row.positives.count)
                + row.negatives.map { _ in Float(0) } + Array(repeating: -1, count: negatives - row.negatives.count)
            return TextExample(
                query: row.query, candidates: positives + others, labels: labels, keys: [row.query] + row.positives)
        }
    }

    /// The (query, positive, negatives) texts to train on.
    static func examples(_ call: VerbCall) throws -> [(query: String, positive: String, negatives: [String])] {
        if let set = call.object("on", as: SyntheticSet.self) { return set.trainingTriples }
        guard let dataset = call.object("on", as: BEIRDataset.self) else { throw call.error("expected examples") }
        let split = try DatasetSplit.choose(call.string("split") ?? "train", in: dataset, call: call)
        let lookup = SynthesisSupport.passageLookup(dataset)
        var triples: [(query: String, positive: String, negatives: [String])] = []
        for query in try dataset.queries(split: split) {
            let relevant = (dataset.qrels[split]?[query.id] ?? [:]).filter { $0.value > 0 }.keys.sorted()
            if let id = relevant.first, let text = lookup(id) { triples.append((query.text, text, [])) }
        }
        return triples
    }
}
