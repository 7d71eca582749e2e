import Foundation
import SynthDecoder
import SynthModels
import SynthTensor
import SynthValues

/// Turns texts into the feature vectors `evaluate mauve` quantises.
enum MAUVEFeatures {
    /// A sentence encoder (mean-pooled, as the model folder says) or a decoder LM's hidden states.
    enum Featurizer {
        case encoder(SentenceEncoder)
        case decoder(LlamaModel)
    }

    /// The SmolLM2 GGUF that `scripts/setup` installs.
    static func smolLM2File() -> URL {
        let environment = ProcessInfo.processInfo.environment
        let home =
            environment["SYNTHLAB_HOME"].map { URL(fileURLWithPath: $0) }
            ?? FileManager.default.homeDirectoryForCurrentUser.appendingPathComponent(".cache/synthlab")
        return home.appendingPathComponent("models/smollm2-135m-instruct-q4_1.gguf")
    }

    /// The featuriser named by the `encoder` argument, with the hashes of the files it read (for the cache).
    static func featurizer(_ call: VerbCall, context: ExecutionContext) throws -> (Featurizer, [String: String]) {
        if let object = call.object("encoder", as: EncoderObject.self) { return (.encoder(object.encoder), [:]) }
        if call.string("encoder") == "smollm2" {
            let file = smolLM2File()
            guard FileManager.default.fileExists(atPath: file.path) else {
                throw call.error("cannot find the SmolLM2 model \(file.path)", notes: ["run scripts/setup"])
            }
            context.progress(ProgressEvent(label: "load smollm2", count: 0, total: nil))
            return (.decoder(try LlamaModel.load(gguf: file)), PathPolicy.hashes(of: [file]))
        }
        context.progress(ProgressEvent(label: "load encoder minilm", count: 0, total: nil))
        let encoder = try SentenceEncoder.load(folder: SentenceEncoder.defaultFolder())
        let files = ["config.json", "model.safetensors", "vocab.txt"].map {
            encoder.layout.transformerFolder.appendingPathComponent($0)
        }
        return (.encoder(encoder), PathPolicy.hashes(of: files))
    }

    /// One vector per text: the encoder's sentence embedding, or, for a decoder, the final (normalised)
    /// hidden state at the last token of the text (BOS first, at most `maxTokens` tokens), as `mauve-text`
    /// featurises with GPT-2.
    static func embed(
        _ texts: [String], with featurizer: Featurizer, set: String, batch: Int, maxTokens: Int = 512,
        context: ExecutionContext
    ) throws -> [[Double]] {
        let sink = context.progress
        switch featurizer {
        case .encoder(let encoder):
            return encoder.embed(texts, batchSize: max(1, batch)) { done, total in
                sink(ProgressEvent(label: "mauve: embed \(set)", count: done, total: total))
            }.map { $0.map(Double.init) }
        case .decoder(let model):
            var vectors: [[Double]] = []
            for (index, text) in texts.enumerated() {
                try Task.checkCancellation()
                let tokens = Array(model.tokenizer.encode(text, addSpecial: true).prefix(maxTokens))
                guard !tokens.isEmpty else { continue }
                var cache = KVCache(config: model.config, capacity: tokens.count)
                let hidden = model.forward(model.embed(tokens: tokens), cache: &cache).scalars
                let d = model.config.hiddenSize
                vectors.append(hidden[(tokens.count - 1) * d..<tokens.count * d].map(Double.init))
                sink(ProgressEvent(label: "mauve: smollm2 \(set)", count: index + 1, total: texts.count))
            }
            return vectors
        }
    }
}
