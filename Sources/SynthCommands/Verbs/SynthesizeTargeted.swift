import Foundation
import SynthDecoder
import SynthModels
import SynthRetrieval
import SynthSynthesis
import SynthValues

/// `synthesize targeted`: SoftSRV — soft prompts trained on a frozen decoder LM in the core to generate text
/// like a target sample; `variant="text"` samples the same LM with the hand-written prompt instead.
package enum SynthesizeTargetedCommand: VerbCommand {
    package static let spec = VerbSpec(
        name: "synthesize", subcommand: "targeted",
        summary: "train a soft prompt on a frozen LM so it generates text like a target sample, then sample from it",
        discussion: """
            SoftSRV. The target sample is a list of strings, or the first `sample` judged queries of a dataset's \
            `split` (`format="query"`), optionally followed by their first relevant document's title \
            (`format="pair"`: `claim⏎Title: title`, split back at the first `Title:` (any case) into query and \
            positive in the records, so `train` can use them). The LM (`lm="local_core"`: SmolLM2-135M-Instruct from \
            `$SYNTHLAB_HOME/models`, run in the Swift core) stays frozen; only the prompt is trained, by \
            next-token loss on the targets given the prompt, with AdamW for `steps` steps of `batch` examples. \
            `variant`: `shared` is one learned prompt of `prompt_tokens` vectors; `mixture` mixes `components` \
            learned prompts with weights softmax(A z + a) of each target's context embedding z (MiniLM, or \
            `encoder`); `mlp` maps z to the whole prompt with a one-hidden-layer MLP; `text` is the baseline: \
            the hand-written `prompt` in the chat template, untrained. Soft prompts start from the embeddings of \
            the last `prompt_tokens` tokens of that templated prompt. Generation draws, for each sample, a \
            target's context plus Gaussian noise of relative size `noise`, and samples with `temperature` and \
            `top_p` from a per-sample seed. The training state is saved atomically under \
            `.synthlab/models/<notebook>/<name>/state.json` every 10 steps and at the end; the same call resumes \
            from it. Records (kind `targeted`) carry the variant, the trained prompt's SHA-256 and the seed in \
            their provenance and `extra`; empty texts, copies of a target, duplicates and (pair format) texts \
            without a title part are rejected with the reason. Fields as other synthetic sets; the cell also \
            shows the loss before and after training.
            """,
        paper: "DeSalvo et al. 2024, SoftSRV (arXiv 2410.16534); Lester et al. 2021, prompt tuning",
        keywords: [
            ArgSpec("from", .oneOf([.list(.string), .object("dataset")]), doc: "the target sample: texts or a dataset"),
            ArgSpec("lm", .choice(["local_core"]), default: .string("local_core"), doc: "the frozen LM (SmolLM2 in the core)"),
            ArgSpec(
                "variant", .choice(["shared", "mixture", "mlp", "text"]), default: .string("mlp"),
                doc: "the prompt parameterisation, or `text` for the hand-written prompt"),
            ArgSpec("split", .string, default: .string("train"), doc: "the dataset split whose judged queries are targets"),
            ArgSpec("sample", .int, default: .int(64), doc: "how many targets to use"),
            ArgSpec(
                "format", .choice(["query", "pair"]), default: .string("query"),
                doc: "dataset targets: the query alone, or query and its relevant document's title"),
            ArgSpec(
                "prompt", .string, default: .string("Write one short scientific claim."),
                doc: "the hand-written instruction (the `text` variant's prompt; the soft prompts' initial value)"),
            ArgSpec("encoder", .object("encoder"), optional: true, doc: "context embedder (default MiniLM)"),
            ArgSpec("prompt_tokens", .int, default: .int(8), doc: "soft prompt length P"),
            ArgSpec("components", .int, default: .int(4), doc: "`mixture`: number of prompts k"),
            ArgSpec("hidden", .int, default: .int(64), doc: "`mlp`: hidden size"),
            ArgSpec("steps", .int, default: .int(40), doc: "training steps"),
            ArgSpec("batch", .int, default: .int(4), doc: "targets per step"),
            ArgSpec("lr", .number, default: .double(0.003), doc: "AdamW learning rate"),
            ArgSpec("count", .int, default: .int(32), doc: "samples to generate"),
            ArgSpec("temperature", .number, default: .double(0.8), doc: "sampling temperature"),
            ArgSpec("top_p", .number, default: .double(0.95), doc: "nucleus sampling mass"),
            ArgSpec("noise", .number, default: .double(0.2), doc: "relative Gaussian noise added to sampled contexts"),
            ArgSpec("max_tokens", .int, default: .int(48), doc: "tokens per sample (and per training target)"),
            ArgSpec("seed", .int, default: .int(0), doc: "initialisation, batch and sampling seed"),
            ArgSpec("name", .string, optional: true, doc: "checkpoint folder name (default: softsrv-<variant>)"),
        ],
        result: "synthetic_set",
        example: "claims = synthesize targeted from=[\"Aspirin lowers fever.\", \"Statins reduce LDL.\"] variant=\"shared\" steps=2 count=4")

    package static func run(_ call: VerbCall, context: ExecutionContext) async throws -> VerbOutcome {
        let variantName = call.string("variant") ?? "mlp"
        let variant: TargetedSynthesis.Variant =
            variantName == "text" ? .text : .soft(SoftPromptVariant(rawValue: variantName) ?? .mlp)
        let format = call.string("format") ?? "query"
        let limit = call.int("sample") ?? 64
        guard limit > 0 else { throw call.error("expected sample ≥ 1, found \(limit)") }
        var targets: [String] = []
        if let dataset = call.object("from", as: BEIRDataset.self) {
            let split = try DatasetSplit.choose(call.string("split") ?? "train", in: dataset, call: call)
            let titles = Dictionary(dataset.corpus.map { ($0.id, $0.title) }, uniquingKeysWith: { a, _ in a })
            for query in try dataset.queries(split: split) where targets.count < limit {
                if format == "pair" {
                    let judged = dataset.qrels[split]?[query.id] ?? [:]
                    guard let doc = judged.filter({ $0.value > 0 }).keys.sorted().first, let title = titles[doc],
                        !title.isEmpty
                    else { continue }
                    targets.append(query.text + "\nTitle: " + title)
                } else {
                    targets.append(query.text)
                }
            }
        } else if let texts = call.strings("from") {
            targets = Array(texts.filter { !$0.isEmpty }.prefix(limit))
        }
        guard !targets.isEmpty else { throw call.error("expected at least one target text, found none") }

        let file = MAUVEFeatures.smolLM2File()
        guard FileManager.default.fileExists(atPath: file.path) else {
            throw call.error("cannot find the SmolLM2 model \(file.path)", notes: ["run scripts/setup"])
        }
        context.progress(ProgressEvent(label: "load smollm2", count: 0, total: nil))
        let model = try LlamaModel.load(gguf: file)
        var filesRead = PathPolicy.hashes(of: [file])
        let tokenizer = model.tokenizer
        let instruction = call.string("prompt") ?? "Write one short scientific claim."
        let chat = "<|im_start|>user\n\(instruction)<|im_end|>\n<|im_start|>assistant\n"
        let endToken = tokenizer.id(of: "<|im_end|>") ?? tokenizer.eosTokenID ?? 0
        let codec = TargetedSynthesis.Codec(
            encode: { tokenizer.encode($0, addSpecial: false) }, decode: { tokenizer.decode($0, special: false) },
            endToken: endToken, stop: tokenizer.endOfGeneration.union([endToken]))

        var contexts: [[Float]] = []
        if case .soft(let soft) = variant, soft != .shared {
            let encoder: SentenceEncoder
            if let object = call.object("encoder", as: EncoderObject.self) {
                encoder = object.encoder
            } else {
                context.progress(ProgressEvent(label: "load encoder minilm", count: 0, total: nil))
                encoder = try SentenceEncoder.load(folder: SentenceEncoder.defaultFolder())
                filesRead.merge(
                    PathPolicy.hashes(of: ["config.json", "model.safetensors", "vocab.txt"].map {
                        encoder.layout.transformerFolder.appendingPathComponent($0)
                    }), uniquingKeysWith: { a, _ in a })
            }
            contexts = encoder.embed(targets)
        }

        var synthesis = TargetedSynthesis(
            decoder: FrozenDecoder(model: model), codec: codec, variant: variant,
            modelName: file.deletingPathExtension().lastPathComponent)
        synthesis.promptTokens = max(1, call.int("prompt_tokens") ?? 8)
        synthesis.components = max(1, call.int("components") ?? 4)
        synthesis.hidden = max(1, call.int("hidden") ?? 64)
        synthesis.steps = max(0, call.int("steps") ?? 40)
        synthesis.batchSize = max(1, call.int("batch") ?? 4)
        synthesis.learningRate = Float(call.double("lr") ?? 0.003)
        synthesis.count = max(0, call.int("count") ?? 32)
        let maxTokens = max(1, call.int("max_tokens") ?? 48)
        synthesis.maxTargetTokens = maxTokens
        let seed = UInt64(max(0, call.int("seed") ?? 0))
        synthesis.seed = seed
        synthesis.sampler = SoftPromptSampler(
            temperature: Float(call.double("temperature") ?? 0.8), topP: Float(call.double("top_p") ?? 0.95),
            maxTokens: maxTokens, noise: Float(call.double("noise") ?? 0.2), batch: 8, seed: seed)
        synthesis.separator = format == "pair" && call.object("from", as: BEIRDataset.self) != nil ? "Title:" : nil
        let folder = context.modelFolder(named: call.string("name") ?? "softsrv-\(variant.name)")
        if variant != .text {
            try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
            synthesis.checkpoint = folder
        }
        let sink = context.progress
        let result: (set: SyntheticSet, report: TargetedSynthesis.Report)
        do {
            result = try synthesis.run(targets: targets, contexts: contexts, textPrompt: codec.encode(chat)) {
                sink(ProgressEvent(label: "synthesize targeted: \($0)", count: $1, total: $2))
            }
        } catch let error as SoftPromptError {
            throw call.error(error.description)
        }
        var lines = [result.set.summary]
        let report = result.report
        if variant != .text {
            var line = "\(variant.name) soft prompt: \(report.parameterCount) parameters, \(report.losses.count) steps"
            if report.resumedFrom > 0 { line += " (resumed at step \(report.resumedFrom))" }
            if let before = report.initialLoss, let after = report.finalLoss {
                line += String(format: "; target loss %.3f → %.3f nats/token", before, after)
            }
            line += "; checkpoint \(context.displayPath(folder.appendingPathComponent("state.json")))"
            line += " (prompt sha256 \(report.promptHash.prefix(12)))"
            lines.append(line)
        }
        return VerbOutcome(value: .object(result.set), outputs: lines.map { .text($0) }, filesRead: filesRead)
    }
}
