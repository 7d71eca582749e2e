import Foundation
import SynthModels
import SynthRetrieval
import SynthSynthesis
import SynthValues

/// `train_cross`: fine-tunes a cross-encoder with localized contrastive estimation or RankNet distillation.
package enum TrainCrossCommand: VerbCommand {
    package static let spec = VerbSpec(
        name: "train_cross",
        summary: "fine-tune a cross-encoder: contrastive (LCE) on mined hard negatives, or RankNet on teacher rankings",
        discussion: """
            One group per query, `group` candidates each, `batch` groups per optimizer step. `loss=lce` (the \
            contrastive "CL" stage) takes the accepted queries of a `synthetic_set` with their positive passage \
            — or the judged queries of a dataset's `split` (the first `queries`) with their best judged \
            document — and adds `group − 1` hard negatives drawn (seeded) from the `retriever`'s top `depth` for \
            the query, texts from `corpus` (judged-relevant documents are never negatives); with the default \
            `depth = group` they are simply BM25's best non-positive passages. `loss=ranknet` (the distillation "KD" stage) takes the labelled candidates of `distill \
            listwise` (or `pointwise`) and learns the teacher's order from all pairs whose teacher scores differ. \
            Both losses see the same kind of group, so arms with the same queries, `group`, `batch` and \
            `epochs`/`max_steps` have the same data and step budget. Starting from a trained cross-encoder gives \
            a multi-stage pipeline (CL → KD). AdamW with linear warm-up (10% unless `warmup`) and decay, gradient \
            clipping at 1, seeded shuffling and dropout. The model is saved under \
            `.synthlab/models/<notebook>/<name>` as a Hugging Face `BertForSequenceClassification` folder; fields \
            `losses` (every step of every stage), `steps`, `stages`. Every `checkpoint_every` steps a resumable \
            checkpoint (weights, optimizer moments, step, losses) goes to `<name>.training/` beside it; a killed \
            run's re-run resumes from the newest when the groups and options are unchanged (as `train`), and \
            the folder is removed once the final model is saved.
            """,
        paper:
            "Gao, Dai & Callan 2021 (LCE); Burges et al. 2005 (RankNet); Pezzuti, MacAvaney & Tonellotto 2025, "
            + "multi-stage fine-tuning of cross-encoders",
        positional: [ArgSpec("model", .object("cross_encoder"), doc: "the re-ranker to start from")],
        keywords: [
            ArgSpec(
                "on", .oneOf([.object("synthetic_set"), .object("dataset")]),
                doc: "queries with positives (lce: a synthetic set or a dataset's judged split) or teacher-labelled candidates (ranknet)"),
            ArgSpec("split", .string, default: .string("train"), doc: "the judged split when `on` is a dataset (lce)"),
            ArgSpec("queries", .int, optional: true, doc: "use only the first n judged queries when `on` is a dataset"),
            ArgSpec("loss", .choice(["lce", "ranknet"]), default: .string("lce"), doc: "the training objective"),
            ArgSpec(
                "retriever", .object("bm25_index"), optional: true,
                doc: "mines hard negatives (lce); with ranknet, counts the lists whose order the teacher kept"),
            ArgSpec("corpus", .object("dataset"), optional: true, doc: "the dataset whose corpus holds passage texts"),
            ArgSpec("group", .int, default: .int(8), doc: "candidates per query (positive + negatives, or top of the ranking)"),
            ArgSpec("depth", .int, optional: true, doc: "negatives are drawn from the retriever's top `depth` (default `group`)"),
            ArgSpec("batch", .int, default: .int(4), doc: "groups per optimizer step"),
            ArgSpec("epochs", .int, default: .int(1), doc: "passes over the groups"),
            ArgSpec("max_steps", .int, optional: true, doc: "stop after this many optimizer steps"),
            ArgSpec("lr", .number, default: .double(2e-5), doc: "peak learning rate"),
            ArgSpec("warmup", .int, optional: true, doc: "warm-up steps (default 10% of the steps)"),
            ArgSpec("max_length", .int, default: .int(256), doc: "token limit of a (query, passage) pair"),
            ArgSpec("seed", .int, default: .int(42), doc: "negative sampling, shuffling and dropout seed"),
            ArgSpec("name", .string, optional: true, doc: "the saved model's folder name (default: the variable)"),
            ArgSpec(
                "checkpoint_every", .int, default: .int(TrainResume.defaultCheckpointEvery),
                doc: "save a resumable checkpoint every this many optimizer steps (0: none); after a crash the "
                    + "same training resumes from the newest"),
        ],
        result: "cross_encoder",
        example: "ce_cl = train_cross (cross_encoder minilm) on=queries loss=lce retriever=index corpus=data group=8 epochs=2")

    package static func run(_ call: VerbCall, context: ExecutionContext) async throws -> VerbOutcome {
        guard let base = call.object("model", as: CrossEncoderObject.self) else {
            throw call.error("expected a cross-encoder")
        }
        let judged = call.object("on", as: BEIRDataset.self)
        guard let set = call.object("on", as: SyntheticSet.self) ?? judged.map({ _ in SyntheticSet(kind: "judged") }) else {
            throw call.error("expected a synthetic set or a dataset")
        }
        let loss = call.string("loss") ?? "lce"
        let group = call.int("group") ?? 8
        let batch = call.int("batch") ?? 4
        let maxLength = call.int("max_length") ?? 256
        guard group >= 2 else { throw call.error("expected group ≥ 2, found \(group)") }
        guard batch >= 1 else { throw call.error("expected batch ≥ 1, found \(batch)") }
        guard maxLength >= 8 else { throw call.error("expected max_length ≥ 8, found \(maxLength)") }
        let name = call.string("name") ?? call.target ?? "cross_encoder"
        guard !name.isEmpty, !name.contains("/"), !name.hasPrefix(".") else {
            throw call.error("expected a plain folder name for the model, found \"\(name)\"")
        }
        let corpus = call.object("corpus", as: BEIRDataset.self)
        let lookup = corpus.map(SynthesisSupport.passageLookup) ?? { _ in nil }
        let built: (examples: [CrossEncoderExample], skipped: Int)
        var source: String
        if loss == "lce" {
            guard let index = call.object("retriever", as: BM25Index.self), corpus != nil else {
                throw call.error(
                    "expected `retriever` and `corpus` for loss=lce (they mine the hard negatives)",
                    notes: ["for example `retriever=index corpus=data`"])
            }
            let depth = call.int("depth") ?? group
            guard depth >= 1 else { throw call.error("expected depth ≥ 1, found \(depth)") }
            let seed = UInt64(max(0, call.int("seed") ?? 42))
            if let judged {
                let split = try DatasetSplit.choose(call.string("split") ?? "train", in: judged, call: call)
                var queries = try judged.queries(split: split)
                if let limit = call.int("queries") {
                    guard limit >= 1 else { throw call.error("expected queries ≥ 1, found \(limit)") }
                    queries = Array(queries.prefix(limit))
                }
                built = CrossEncoderExamples.judged(
                    queries, qrels: judged.qrels[split]!, index: index, passage: lookup, group: group, depth: depth,
                    seed: seed)
                source = "\(judged.name) \(split) queries: 1 judged positive + \(group - 1) bm25 negatives from the top \(depth)"
            } else {
            guard set.accepted.contains(where: { $0.positive != nil }) else {
                throw call.error(
                    "expected queries with positive passages for loss=lce, found a `\(set.kind)` set",
                    notes: ["use the set made by `synthesize queries` (after `filter`)"])
            }
            built = CrossEncoderExamples.contrastive(
                set, index: index, passage: lookup, group: group, depth: depth, seed: seed)
            source = "1 positive + \(group - 1) bm25 negatives from the top \(depth)"
            }
        } else {
            guard judged == nil else {
                throw call.error(
                    "expected teacher-labelled candidates for loss=ranknet, found a dataset",
                    notes: ["label the queries first: `distill listwise from=… teacher=t retriever=index on=data`"])
            }
            guard set.accepted.contains(where: { !$0.candidates.isEmpty }) else {
                throw call.error(
                    "expected teacher-labelled candidates for loss=ranknet, found a `\(set.kind)` set",
                    notes: ["label the queries first: `distill listwise from=… teacher=t retriever=index on=data`"])
            }
            built = CrossEncoderExamples.distillation(set, passage: lookup, group: group)
            source = "the teacher's order of \(group) candidates"
            if let index = call.object("retriever", as: BM25Index.self) {
                let (kept, lists) = CrossEncoderExamples.unchangedOrders(set, index: index, group: group)
                source += "; the teacher kept the retriever's order in \(kept) of \(lists) lists"
            }
        }
        guard built.examples.count >= 2 else {
            throw call.error("expected at least 2 training groups, found \(built.examples.count)")
        }
        if built.skipped > 0 { source += "; \(built.skipped) records skipped" }

        let tokenizer = base.tokenizer
        let groups = built.examples.map {
            CrossEncoderGroup(
                query: $0.query, passages: $0.passages, labels: $0.labels, teacherScores: $0.teacherScores,
                tokenizer: tokenizer, maxLength: maxLength)
        }
        var options = TrainingOptions()
        options.epochs = max(1, call.int("epochs") ?? 1)
        options.batchSize = batch
        options.learningRate = Float(call.double("lr") ?? 2e-5)
        options.warmupSteps = call.int("warmup")
        options.maxSteps = call.int("max_steps")
        options.seed = UInt64(max(0, call.int("seed") ?? 42))
        options.checkpointEvery = try TrainResume.checkpointEvery(call)
        let objective: any Loss = loss == "lce" ? LocalizedContrastiveLoss() : RankNetLoss()
        let sink = context.progress
        try Task.checkCancellation()
        let trainer = CrossEncoderTrainer(options: options, loss: objective)
        let total = trainer.totalSteps(groupCount: groups.count)
        var fingerprint = TrainingFingerprint()
        try fingerprint.add("groups", json: groups)
        try fingerprint.add(options: options)
        fingerprint.add("loss", "\(loss) \(String(describing: objective))")
        fingerprint.add("base model", TrainResume.fingerprint(of: base.model.model.parameters.merging(base.model.head) { a, _ in a }))
        let runFolder = context.modelFolder(named: name + ".training")
        let start = try TrainingRunFolder(runFolder).prepare(fingerprint: fingerprint, totalSteps: total)
        let startLines = TrainResume.lines(start, total: total, verb: "train_cross", name: name)
        for line in startLines { sink(ProgressEvent(label: line, count: 0, total: total)) }
        let result = try trainer.train(
            base.model, groups: groups, checkpointFolder: runFolder, baseModelFolder: base.tokenizerFolder,
            resume: start.checkpoint
        ) { event in
            sink(
                ProgressEvent(
                    label: "train_cross \(name) \(loss) \(formatFixed(Double(event.loss), digits: 3))",
                    count: event.step, total: event.totalSteps))
        }
        let folder = context.modelFolder(named: name)
        try FileManager.default.createDirectory(
            at: folder.deletingLastPathComponent(), withIntermediateDirectories: true)
        try result.model.save(to: folder, baseModelFolder: base.tokenizerFolder)
        try? FileManager.default.removeItem(at: runFolder)
        let losses = result.losses.map(Double.init)
        let trained = CrossEncoderObject(
            model: result.model, tokenizer: tokenizer, name: name, folder: folder, tokenizerFolder: folder,
            headSeed: base.headSeed, losses: base.losses + losses,
            stages: base.stages + [.init(loss: loss, steps: result.steps, groups: groups.count)])
        let offset = Double(base.losses.count)
        let plot = Plot(
            kind: .line, title: "training loss (\(name): \(trained.history))", xLabel: "step", yLabel: "loss",
            series: [Series(name: "\(name) (\(loss))", x: losses.indices.map { offset + Double($0 + 1) }, y: losses)])
        let line =
            "train_cross \(name): \(loss) on \(groups.count) groups (\(source)), \(result.steps) steps of \(batch) "
            + "groups, lr \(call.double("lr") ?? 2e-5); loss \(formatFixed(losses.first ?? 0, digits: 4)) → "
            + "\(formatFixed(losses.last ?? 0, digits: 4)); \(trained.history); saved to \(context.displayPath(folder))"
        return VerbOutcome(value: .object(trained), outputs: startLines.map { .text($0) } + [.text(line), .plot(plot)])
    }
}
