import Foundation
import SynthDecoder

// Decoder generation speed: prints one JSON line with the core's prompt and generation tokens/s.
//   DecoderBench <model.gguf> <prompt-token-ids comma-separated> <new tokens> <rounds>
let arguments = CommandLine.arguments
guard arguments.count == 5, let tokens = Int(arguments[3]), let rounds = Int(arguments[4]) else {
    FileHandle.standardError.write(Data("usage: DecoderBench MODEL.gguf IDS NEW_TOKENS ROUNDS\n".utf8))
    exit(2)
}
let loadStart = Date()
let model = try LlamaModel.load(gguf: URL(fileURLWithPath: arguments[1]))
let loadSeconds = Date().timeIntervalSince(loadStart)
let prompt = arguments[2].split(separator: ",").compactMap { Int32($0) }
var promptRates: [Double] = [], generationRates: [Double] = []
var generated: [Int32] = []
for _ in 0..<rounds {
    var cache = KVCache(config: model.config, capacity: prompt.count + tokens)
    let start = Date()
    var hidden = model.forward(model.embed(tokens: prompt), cache: &cache)
    let promptSeconds = Date().timeIntervalSince(start)
    generated = []
    var sampler = Sampler.greedy
    let generationStart = Date()
    for _ in 0..<tokens {
        let logits = model.outputLogits(hidden, lastRowOnly: true)
        let token = logits.withUnsafeBufferPointer { sampler.sample($0) }
        generated.append(token)
        hidden = model.forward(model.embed(tokens: [token]), cache: &cache)
    }
    let generationSeconds = Date().timeIntervalSince(generationStart)
    promptRates.append(Double(prompt.count) / promptSeconds)
    generationRates.append(Double(tokens) / generationSeconds)
}
let median = { (values: [Double]) in values.sorted()[values.count / 2] }
let json: [String: Any] = [
    "load_seconds": loadSeconds, "prompt_tokens": prompt.count, "new_tokens": tokens,
    "prompt_tokens_per_second": median(promptRates), "generation_tokens_per_second": median(generationRates),
    "generated": generated.map(Int.init),
]
let data = try JSONSerialization.data(withJSONObject: json, options: [.sortedKeys])
print(String(decoding: data, as: UTF8.self))
