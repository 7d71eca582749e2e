import Foundation
import SynthDecoder
import SynthTensor
import SynthValues

/// SoftSRV targeted generation (DeSalvo et al. 2024): trains a soft prompt on a frozen decoder LM so that it
/// generates text like a small target sample, then samples from it with varied contexts; or, as the baseline,
/// samples from the same LM with a hand-written text prompt.
///
/// Training state is checkpointed atomically to ``checkpoint`` (`state.json`) every ``saveEvery`` steps and
/// at the end; a run with the same configuration and targets resumes from it (and skips training when it is
/// complete). Each record's provenance names the variant, the SHA-256 of the trained prompt and the seed.
///
/// ```swift
/// let synthesis = TargetedSynthesis(decoder: decoder, codec: codec, variant: .soft(.mlp), modelName: "smollm2")
/// let result = try synthesis.run(targets: claims, contexts: vectors, textPrompt: promptTokens)
/// ```
package struct TargetedSynthesis: Sendable {
    /// The prompt: a trained soft prompt, or the hand-written text prompt itself.
    package enum Variant: Sendable, Equatable {
        case soft(SoftPromptVariant)
        case text

        package var name: String {
            switch self {
            case .soft(let variant): variant.rawValue
            case .text: "text"
            }
        }
    }

    /// How texts become tokens and back.
    package struct Codec: Sendable {
        package var encode: @Sendable (String) -> [Int32]
        package var decode: @Sendable ([Int32]) -> String
        /// Appended to each target during training; generation stops at any of ``stop``.
        package var endToken: Int32
        package var stop: Set<Int32>

        package init(
            encode: @escaping @Sendable (String) -> [Int32], decode: @escaping @Sendable ([Int32]) -> String,
            endToken: Int32, stop: Set<Int32>
        ) {
            self.encode = encode
            self.decode = decode
            self.endToken = endToken
            self.stop = stop
        }
    }

    /// What a run reports besides the set.
    package struct Report: Sendable, Equatable {
        /// Training loss per step (all steps, including resumed ones).
        package var losses: [Double]
        /// Steps taken in this run (0 when a finished checkpoint was reused).
        package var stepsRun: Int
        /// Step the run resumed from (0: fresh).
        package var resumedFrom: Int
        /// SHA-256 of the prompt used (the trained parameters, or the text prompt's tokens).
        package var promptHash: String
        package var parameterCount: Int
        /// Mean next-token loss on the targets under the initial and the final prompt.
        package var initialLoss: Double?
        package var finalLoss: Double?
    }

    package var decoder: FrozenDecoder
    package var codec: Codec
    package var variant: Variant
    /// Recorded in provenance (e.g. `smollm2-135m-instruct-q4_1`).
    package var modelName: String
    package var promptTokens = 8
    package var components = 4
    package var hidden = 64
    package var steps = 60
    package var batchSize = 8
    package var learningRate: Float = 3e-3
    package var maxTargetTokens = 64
    package var sampler = SoftPromptSampler()
    /// Number of samples generated.
    package var count = 32
    package var seed: UInt64 = 0
    /// Splits each generation into query and positive at its first occurrence (case-insensitive, for example
    /// `"Title:"`); nil keeps whole texts.
    package var separator: String?
    /// Folder for `state.json` (nil: no checkpoint).
    package var checkpoint: URL?
    package var saveEvery = 10

    package init(decoder: FrozenDecoder, codec: Codec, variant: Variant, modelName: String) {
        self.decoder = decoder
        self.codec = codec
        self.variant = variant
        self.modelName = modelName
    }

    /// What a checkpoint file holds: the configuration key it belongs to and the training state.
    struct Checkpoint: Codable {
        var key: String
        var state: SoftPromptState
    }

    /// Trains (soft variants) and samples.
    ///
    /// - Parameters:
    ///   - targets: the target sample's texts.
    ///   - contexts: one context vector per target (for `mixture` and `mlp`; may be empty otherwise).
    ///   - textPrompt: the hand-written prompt's tokens: the prefix of the `text` variant, and the soft prompt's
    ///     initial value (its last ``promptTokens`` token embeddings, cycled when shorter).
    ///   - progress: `(label, done, total)`.
    package func run(
        targets: [String], contexts: [[Float]], textPrompt: [Int32],
        progress: @Sendable (String, Int, Int) -> Void = { _, _, _ in }
    ) throws -> (set: SyntheticSet, report: Report) {
        guard !targets.isEmpty else { throw SoftPromptError("expected at least one target example, found none") }
        guard !textPrompt.isEmpty else { throw SoftPromptError("expected a non-empty text prompt") }
        var report = Report(losses: [], stepsRun: 0, resumedFrom: 0, promptHash: "", parameterCount: 0)
        let samples: [SoftPromptSample]
        switch variant {
        case .text:
            report.promptHash = SHA256.hash(textPrompt.map(String.init).joined(separator: ",")).hex
            samples = sampler.sample(
                prefix: decoder.embed(textPrompt), count: count, decoder: decoder, stop: codec.stop
            ) { progress("sample", $0, count) }
        case .soft(let softVariant):
            if softVariant != .shared {
                guard contexts.count == targets.count else {
                    throw SoftPromptError("expected one context vector per target (\(targets.count)), found \(contexts.count)")
                }
            }
            let examples = targets.enumerated().map { index, text in
                SoftPromptExample(
                    tokens: Array(codec.encode(text).prefix(maxTargetTokens - 1)) + [codec.endToken],
                    context: index < contexts.count ? contexts[index] : [])
            }
            let state = try train(softVariant, examples: examples, textPrompt: textPrompt, report: &report, progress: progress)
            let encoded = try JSONEncoder.sorted.encode(state.prompt)
            report.promptHash = SHA256.hash(encoded).hex
            report.parameterCount = state.prompt.parameterCount
            samples = sampler.sample(
                state.prompt, contexts: contexts, count: count, decoder: decoder, stop: codec.stop
            ) { progress("sample", $0, count) }
        }
        return (records(samples, targets: targets, promptHash: report.promptHash), report)
    }

    private func train(
        _ softVariant: SoftPromptVariant, examples: [SoftPromptExample], textPrompt: [Int32], report: inout Report,
        progress: @Sendable (String, Int, Int) -> Void
    ) throws -> SoftPromptState {
        let trainer = SoftPromptTrainer(decoder: decoder, batchSize: batchSize, maxTokens: maxTargetTokens)
        let tail = (0..<promptTokens).map { textPrompt[(textPrompt.count - promptTokens % textPrompt.count + $0) % textPrompt.count] }
        let initial = SoftPrompt(
            variant: softVariant, initial: decoder.embed(tail), contextWidth: examples.first?.context.count ?? 0,
            components: components, hidden: hidden, seed: seed)
        let key = configurationKey(softVariant, examples: examples, textPrompt: textPrompt)
        let file = checkpoint?.appendingPathComponent("state.json")
        var state = SoftPromptState(prompt: initial, learningRate: learningRate, seed: seed)
        if let file, let data = try? Data(contentsOf: file),
            let saved = try? JSONDecoder().decode(Checkpoint.self, from: data), saved.key == key
        {
            state = saved.state
            report.resumedFrom = state.step
        }
        let evaluation = Array(examples.prefix(32))
        report.initialLoss = trainer.evaluate(initial, examples: evaluation)
        while state.step < steps {
            try trainer.step(&state, examples: examples)
            report.stepsRun += 1
            progress("train \(softVariant.rawValue)", state.step, steps)
            if let file, state.step % saveEvery == 0 || state.step == steps {
                try AtomicFile.write(JSONEncoder.sorted.encode(Checkpoint(key: key, state: state)), to: file)
            }
        }
        report.losses = state.losses
        report.finalLoss = trainer.evaluate(state.prompt, examples: evaluation)
        return state
    }

    /// SHA-256 over everything that determines the training run (a checkpoint with another key is ignored).
    func configurationKey(_ softVariant: SoftPromptVariant, examples: [SoftPromptExample], textPrompt: [Int32]) -> String {
        var hasher = SHA256()
        hasher.update("\(softVariant.rawValue)|\(promptTokens)|\(components)|\(hidden)|\(batchSize)|\(learningRate)|")
        hasher.update("\(maxTargetTokens)|\(seed)|\(modelName)|\(textPrompt)|")
        for example in examples {
            hasher.update("\(example.tokens)|")
            example.context.withUnsafeBytes { hasher.update($0) }
        }
        return hasher.finalize().hex
    }

    private func records(_ samples: [SoftPromptSample], targets: [String], promptHash: String) -> SyntheticSet {
        let normalize = { (text: String) in text.trimmingCharacters(in: .whitespacesAndNewlines).lowercased() }
        let targetSet = Set(targets.map(normalize))
        var seen: Set<String> = []
        var set = SyntheticSet(kind: "targeted")
        let template = variant == .text ? "text-prompt" : "softsrv-\(variant.name)"
        for (index, sample) in samples.enumerated() {
            let text = codec.decode(sample.tokens).trimmingCharacters(in: .whitespacesAndNewlines)
            var query = text
            var positives: [SyntheticPassage] = []
            var missingSeparator = false
            if let separator {
                if let range = text.range(of: separator, options: .caseInsensitive) {
                    query = String(text[..<range.lowerBound]).trimmingCharacters(in: .whitespacesAndNewlines)
                    let evidence = String(text[range.upperBound...]).trimmingCharacters(in: .whitespacesAndNewlines)
                    positives = [SyntheticPassage(text: evidence, origin: "synthetic")]
                } else {
                    missingSeparator = true
                }
            }
            var extra = ["variant": variant.name, "seed": String(sample.seed), "prompt_hash": promptHash, "text": text]
            if let source = sample.contextIndex { extra["context_source"] = String(source) }
            var record = SyntheticRecord(
                id: "t:\(variant.name):\(index)", kind: "targeted", query: query, positives: positives, extra: extra,
                provenance: [
                    RecordProvenance(
                        step: "synthesize targeted", template: template, templateHash: promptHash, model: modelName,
                        requestKeys: ["seed:\(sample.seed)"])
                ])
            if query.isEmpty {
                record.reject("empty text")
            } else if missingSeparator {
                record.reject("no \(separator!.trimmingCharacters(in: .whitespacesAndNewlines)) part")
            } else if positives.first?.text.isEmpty == true {
                record.reject("empty positive")
            } else if targetSet.contains(normalize(query)) || targetSet.contains(normalize(text)) {
                record.reject("copy of a target example")
            } else if !seen.insert(normalize(query)).inserted {
                record.reject("duplicate")
            }
            if let reason = record.rejection { set.counts.rejected[reason, default: 0] += 1 }
            set.counts.completionTokens += sample.tokens.count
            set.records.append(record)
        }
        set.steps = ["synthesize targeted: \(template)@\(promptHash.prefix(12)), model \(modelName) (local core)"]
        return set
    }
}

extension JSONEncoder {
    /// Sorted keys: byte-stable output for hashes and checkpoints.
    fileprivate static var sorted: JSONEncoder {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        return encoder
    }
}
