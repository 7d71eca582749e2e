import Foundation
import SynthModels
import SynthRetrieval
import SynthSynthesis
import SynthValues

/// `train`: fine-tunes a bi-encoder on (query, positive, negatives) examples.
package enum TrainCommand: VerbCommand {
    package static let spec = VerbSpec(
        name: "train",
        summary: "fine-tune a bi-encoder on synthetic or judged (query, positive, negatives) examples",
        discussion: """
            Examples are the accepted records of a `synthetic_set` (query, its positive, its negatives) or the \
            judged queries of a dataset split with their first relevant document. The loss is \
            multiple-negatives ranking (in-batch negatives plus the examples' hard negatives); AdamW with linear \
            warm-up (10% of the steps unless `warmup`) and decay, gradient clipping at 1, seeded shuffling and \
            dropout. The model is saved under `.synthlab/models/<notebook>/<name>` in sentence-transformers layout and \
            loaded back, so `dense`, `encode` and `similarity` use it; its `losses` field is the loss per step \
            (`plot line y=model.losses`). Training runs to completion once started.
            """,
        paper:
            "Henderson et al. 2017 / Reimers & Gurevych 2019 (MultipleNegativesRankingLoss); Loshchilov & Hutter 2019 (AdamW)",
        positional: [ArgSpec("encoder", .object("encoder"), doc: "the model to start from (from `encoder`)")],
        keywords: [
            ArgSpec("on", .oneOf([.object("synthetic_set"), .object("dataset")]), doc: "the training examples"),
            ArgSpec("split", .string, default: .string("train"), doc: "the split used when `on` is a dataset"),
            ArgSpec("loss", .choice(["mnrl"]), default: .string("mnrl"), doc: "the training objective"),
            ArgSpec("epochs", .int, default: .int(1), doc: "passes over the examples"),
            ArgSpec("batch", .int, default: .int(16), doc: "examples per batch (in-batch negatives)"),
            ArgSpec("lr", .number, default: .double(2e-5), doc: "peak learning rate"),
            ArgSpec("warmup", .int, optional: true, doc: "warm-up steps (default 10% of the steps)"),
            ArgSpec("max_steps", .int, optional: true, doc: "stop after this many optimizer steps"),
            ArgSpec("max_length", .int, default: .int(128), doc: "token limit of queries and passages"),
            ArgSpec("seed", .int, default: .int(42), doc: "shuffling and dropout seed"),
            ArgSpec("name", .string, optional: true, doc: "the saved model's folder name (default: the variable)"),
        ],
        result: "encoder",
        example: "tuned = train (encoder minilm) on=queries epochs=1 batch=16 lr=2e-5")

    package static func run(_ call: VerbCall, context: ExecutionContext) async throws -> VerbOutcome {
        guard let base = call.object("encoder", as: EncoderObject.self) else { throw call.error("expected an encoder") }
        let triples = try examples(call)
        guard triples.count >= 2 else {
            throw call.error("expected at least 2 training examples, found \(triples.count)")
        }
        let maxLength = max(8, call.int("max_length") ?? 128)
        let tokenizer = base.encoder
        let examples = triples.map { triple in
            TrainingExample(
                query: tokenizer.tokenize(triple.query, maxLength: maxLength),
                positive: tokenizer.tokenize(triple.positive, maxLength: maxLength),
                negatives: triple.negatives.map { tokenizer.tokenize($0, maxLength: maxLength) })
        }
        var options = TrainingOptions()
        options.epochs = max(1, call.int("epochs") ?? 1)
        options.batchSize = max(2, call.int("batch") ?? 16)
        options.learningRate = Float(call.double("lr") ?? 2e-5)
        options.warmupSteps = call.int("warmup")
        options.maxSteps = call.int("max_steps")
        options.seed = UInt64(max(0, call.int("seed") ?? 42))
        let name = call.string("name") ?? call.target ?? "trained"
        guard !name.contains("/"), !name.hasPrefix(".") else {
            throw call.error("expected a plain folder name for the model, found \"\(name)\"")
        }
        let folder = context.modelFolder(named: name)
        let trainer = BiEncoderTrainer(options: options)
        let sink = context.progress
        try Task.checkCancellation()
        let result = try trainer.train(
            base.encoder.encoder, examples: examples, checkpointFolder: folder, baseModelFolder: base.encoder.folder
        ) { event in
            sink(
                ProgressEvent(
                    label: "train \(name) loss \(formatFixed(Double(event.loss), digits: 3))",
                    count: event.step, total: event.totalSteps))
        }
        let saved = folder.appendingPathComponent("checkpoint-\(result.steps)")
        let trained = try SentenceEncoder.load(folder: saved)
        let losses = result.losses.map(Double.init)
        let plot = Plot(
            kind: .line, title: "training loss (\(name))", xLabel: "step", yLabel: "loss",
            series: [Series(name: name, x: losses.indices.map { Double($0 + 1) }, y: losses)])
        let line =
            "train \(name): \(triples.count) examples, \(result.steps) steps, loss "
            + "\(formatFixed(losses.first ?? 0, digits: 4)) → \(formatFixed(losses.last ?? 0, digits: 4)); saved to \(context.displayPath(saved))"
        return VerbOutcome(
            value: .object(EncoderObject(trained, name: name, losses: losses)), outputs: [.text(line), .plot(plot)])
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
