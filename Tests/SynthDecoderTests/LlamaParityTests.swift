import Foundation
import Testing

@testable import SynthDecoder

/// Next-token parity with llama.cpp (llama-server, same GGUF, `--no-repack`, one thread, temperature 0).
///
/// llama-server greedily continues each prompt for 32 tokens and reports the top-10 log-probabilities at every
/// step; the core then runs one causal forward pass over prompt + continuation (teacher forcing along
/// llama.cpp's path) and compares every step. Both sides use the same Q4_1/Q8_0 weights, but llama.cpp
/// quantises activations to 8 bits before each quantised product and keeps keys/values in half precision,
/// while the core computes in Float32 from dequantised weights; on this 135M model that moves
/// log-probabilities by up to a few tenths (the same size as the shift between the core's own `.float32`
/// and `.llamaCpp` numerics), so near-ties can swap. Tolerances below are stated for that reason.
@Suite(.serialized, .enabled(if: DecoderFixtures.available))
struct LlamaParityTests {
    static let prompts = [
        "The capital of France is",
        "Once upon a time, in a small village,",
        "def fibonacci(n):",
        "Scientific claim: vitamin D supplements reduce the risk of",
        "<|im_start|>user\nWhat is the boiling point of water?<|im_end|>\n<|im_start|>assistant\n",
        "The three primary colours are",
        "<|im_start|>user\nName three fruits.<|im_end|>\n<|im_start|>assistant\n",
        "Water boils at",
    ]
    /// Largest allowed |Δ log p| over llama.cpp's top-10 tokens at any step (measured worst: 0.95).
    static let logProbabilityTolerance = 1.25
    /// Largest allowed mean |Δ log p| over all steps and top-10 tokens of one prompt.
    static let meanTolerance = 0.15
    /// Steps whose top-1/top-2 gap in llama.cpp is below this may pick a different argmax.
    static let tieMargin = 0.3

    struct Step {
        var top: [(id: Int32, logProbability: Double)]
    }

    static func reference(_ prompt: String) async throws -> (prompt: [Int32], continuation: [Int32], steps: [Step]) {
        let server = try await DecoderFixtures.server()
        defer { Task { await server.stop() } }
        let ids = try await DecoderFixtures.serverTokens(server, prompt)
        let answer = try await DecoderFixtures.post(
            server, "/completion",
            [
                "prompt": ids.map(Int.init), "n_predict": 32, "temperature": 0, "n_probs": 10, "cache_prompt": false,
                "return_tokens": true, "ignore_eos": true,
            ])
        let probabilities = answer["completion_probabilities"] as? [[String: Any]] ?? []
        let steps = probabilities.map { step in
            Step(
                top: (step["top_logprobs"] as? [[String: Any]] ?? []).map {
                    (Int32(($0["id"] as! NSNumber).intValue), ($0["logprob"] as! NSNumber).doubleValue)
                })
        }
        let continuation = probabilities.map { Int32(($0["id"] as! NSNumber).intValue) }
        await server.stop()
        return (ids, continuation, steps)
    }

    @Test(arguments: prompts)
    func nextTokenDistributionsMatchLlamaCpp(prompt: String) async throws {
        let model = DecoderFixtures.model
        let (ids, continuation, steps) = try await Self.reference(prompt)
        #expect(ids == model.tokenizer.encode(prompt, addSpecial: false))
        #expect(steps.count == 32)
        let sequence = ids + continuation
        let logits = model.logits(inputEmbeddings: model.embed(tokens: sequence))
        let v = model.config.vocabularySize
        var worst = 0.0, sameTop10 = 0, sameTop10Set = 0, sameArgmax = 0, total = 0.0, compared = 0, top1 = 0.0
        for (index, step) in steps.enumerated() {
            let row = ids.count - 1 + index
            let ours = DecoderFixtures.logSoftmax(Array(logits.scalars[row * v..<(row + 1) * v]))
            let ourTop = ours.indices.sorted { ours[$0] > ours[$1] }.prefix(10).map(Int32.init)
            if ourTop == step.top.map(\.id) { sameTop10 += 1 }
            if Set(ourTop) == Set(step.top.map(\.id)) { sameTop10Set += 1 }
            for (id, reference) in step.top {
                worst = max(worst, abs(ours[Int(id)] - reference))
                total += abs(ours[Int(id)] - reference)
                compared += 1
            }
            top1 = max(top1, abs(ours[Int(step.top[0].id)] - step.top[0].logProbability))
            // Every token clearly inside llama.cpp's top 10 is inside ours.
            let tenth = step.top.last!.logProbability
            for (id, reference) in step.top where reference > tenth + 1 {
                #expect(ourTop.contains(id), "step \(index): token \(id) (log p \(reference)) missing from our top 10")
            }
            let margin = step.top[0].logProbability - step.top[1].logProbability
            if ourTop[0] == step.top[0].id { sameArgmax += 1 }
            if margin > Self.tieMargin {
                #expect(ourTop[0] == step.top[0].id, "step \(index): argmax \(ourTop[0]) ≠ llama.cpp \(step.top[0].id)")
            }
        }
        let mean = total / Double(compared)
        #expect(worst <= Self.logProbabilityTolerance, "worst |Δ log p| \(worst)")
        #expect(mean <= Self.meanTolerance, "mean |Δ log p| \(mean)")
        print(
            "parity \(prompt.debugDescription): mean |Δ log p| \(String(format: "%.3f", mean)), worst "
                + "\(String(format: "%.3f", worst)), worst on top-1 \(String(format: "%.3f", top1)), same top-10 set "
                + "\(sameTop10Set)/32, same top-10 order \(sameTop10)/32, same argmax \(sameArgmax)/32")
    }

    @Test func greedyContinuationsMatchLlamaCppFor32Tokens() async throws {
        let model = DecoderFixtures.model
        // Prompts whose 32-token greedy path has no near-tie. Measured on others (not asserted): "What is
        // photosynthesis?" 30/32 equal tokens, "Water boils at" 20/32, "Name three fruits." 14/32, "The capital of
        // France is" 5/32, "Write a haiku about the sea." 1/32 — each divergence at a step where llama.cpp's own
        // top-1/top-2 log-probability gap is small, after which the texts go separate ways.
        let chosen = [
            "<|im_start|>user\nWhat is the boiling point of water?<|im_end|>\n<|im_start|>assistant\n",
            "The three primary colours are",
            "<|im_start|>user\nExplain what a neural network is.<|im_end|>\n<|im_start|>assistant\n",
        ]
        for prompt in chosen {
            let (ids, continuation, _) = try await Self.reference(prompt)
            let ours = model.generate(prompt: ids, maxTokens: 32, sampler: .greedy, stopAtEndOfGeneration: false)
            let agreed = zip(ours, continuation).prefix { $0 == $1 }.count
            print("greedy \(prompt.debugDescription): \(agreed)/32 tokens equal")
            #expect(ours == continuation, "\(prompt.debugDescription): ours \(ours) llama.cpp \(continuation)")
        }
    }
}
