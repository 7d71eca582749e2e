// One SoftSRV training step on SmolLM2-135M (frozen, Float32 from the GGUF): forward with block
// checkpointing, backward to the input embeddings only, back through the soft-prompt parameterisation,
// AdamW. Prints one JSON line per variant: median step seconds, tokens/step, peak RSS.
//   SoftSRVStepBench GGUF [BATCH] [TOKENS] [PROMPT] [STEPS]
import Foundation
import SynthDecoder
import SynthTensor

func peakRSSMegabytes() -> Double {
    let status = (try? String(contentsOfFile: "/proc/self/status", encoding: .utf8)) ?? ""
    let line = status.split(separator: "\n").first { $0.hasPrefix("VmHWM:") } ?? "VmHWM: 0 kB"
    return Double(line.split(separator: " ").dropFirst().first.flatMap { Double($0) } ?? 0) / 1024
}

let arguments = CommandLine.arguments
guard arguments.count >= 2 else {
    FileHandle.standardError.write(Data("usage: SoftSRVStepBench GGUF [BATCH] [TOKENS] [PROMPT] [STEPS]\n".utf8))
    exit(2)
}
let batch = arguments.count > 2 ? Int(arguments[2])! : 8
let tokens = arguments.count > 3 ? Int(arguments[3])! : 32
let promptLength = arguments.count > 4 ? Int(arguments[4])! : 8
let steps = arguments.count > 5 ? Int(arguments[5])! : 3

let loadStart = Date()
let model = try LlamaModel.load(gguf: URL(fileURLWithPath: arguments[1]))
let decoder = FrozenDecoder(model: model)
let loadSeconds = Date().timeIntervalSince(loadStart)
let rssAfterLoad = peakRSSMegabytes()

// Realistic targets: claim-like sentences, cut/padded to `tokens` tokens, with 384-d unit contexts.
let sentences = [
    "Vitamin D supplementation reduces the risk of respiratory infections in adults.",
    "Statins lower LDL cholesterol but do not change all-cause mortality in the elderly.",
    "Aspirin use is associated with a lower incidence of colorectal cancer.",
    "Smoking cessation improves lung function within one year.",
]
var generator = SeededGenerator(seed: 1)
let examples = (0..<32).map { i -> SoftPromptExample in
    var ids = model.tokenizer.encode(sentences[i % sentences.count], addSpecial: false)
    while ids.count < tokens { ids += ids }
    var context = (0..<384).map { _ in generator.nextNormal() }
    let norm = context.map { $0 * $0 }.reduce(0, +).squareRoot()
    context = context.map { $0 / norm }
    return SoftPromptExample(tokens: Array(ids.prefix(tokens)), context: context)
}
let initial = decoder.embed(model.tokenizer.encode("Write a scientific claim:", addSpecial: false))
let trainer = SoftPromptTrainer(decoder: decoder, batchSize: batch, maxTokens: tokens)
for variant in SoftPromptVariant.allCases {
    let prompt = SoftPrompt(
        variant: variant, initial: FloatMatrix(rows: promptLength, columns: decoder.shape.width,
            values: (0..<promptLength).flatMap { Array(UnsafeBufferPointer(start: initial.row($0 % initial.rows), count: decoder.shape.width)) }),
        contextWidth: 384, components: 4, hidden: 64, seed: 1)
    var state = SoftPromptState(prompt: prompt, learningRate: 1e-3, seed: 2)
    var times: [Double] = []
    var losses: [Double] = []
    for _ in 0..<steps {
        let start = Date()
        losses.append(try trainer.step(&state, examples: examples))
        times.append(Date().timeIntervalSince(start))
    }
    let median = times.sorted()[times.count / 2]
    let line: [String: Any] = [
        "variant": variant.rawValue, "batch": batch, "target_tokens": tokens, "prompt_tokens": promptLength,
        "sequence": tokens + promptLength, "steps": steps, "median_step_s": (median * 100).rounded() / 100,
        "first_step_s": (times[0] * 100).rounded() / 100, "loss_first": losses.first!, "loss_last": losses.last!,
        "trained_parameters": prompt.parameterCount, "load_s": (loadSeconds * 10).rounded() / 10,
        "rss_after_load_mb": rssAfterLoad.rounded(), "peak_rss_mb": peakRSSMegabytes().rounded(),
        "threads": Parallel.workers,
    ]
    let data = try JSONSerialization.data(withJSONObject: line, options: [.sortedKeys])
    print(String(decoding: data, as: UTF8.self))
}
