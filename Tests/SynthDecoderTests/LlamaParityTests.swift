import Foundation
import Testing

@testable import SynthDecoder

/// Next-token parity with llama.cpp (llama-server started by the test on the same GGUF, `--no-repack`, one
/// thread, temperature 0, default F16 KV cache and flash attention).
///
/// llama-server greedily continues each prompt for 32 tokens and reports the top-10 log-probabilities at every
/// step. The core then (1) runs one causal forward pass over prompt + llama.cpp's continuation (teacher
/// forcing) and compares every step's top-10 ids and log-probabilities, and (2) continues the prompt greedily
/// itself with its KV cache and compares the tokens. Both run with ``DecoderNumerics/llamaCpp``, which rounds
/// activations, keys/values and the attention accumulator as ggml's CPU kernels do; the Float32 numerics are
/// measured alongside (printed, not asserted) to show what the emulation changes.
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
    /// Largest allowed |Δ log p| over llama.cpp's top-10 tokens at the first generated step. The emulation
    /// reproduces ggml's intermediate values bit for bit (checked against `llama-eval-callback`'s tensor sums);
    /// what remains is the Q8_0 output head's Float32 summation order and the server's own softmax (measured
    /// ≤ 3·10⁻⁴). Float32 numerics are off by up to 0.2 at the first step.
    static let firstStepTolerance = 2e-3
    /// Largest allowed |Δ log p| over llama.cpp's top-10 tokens at any of the 32 steps.
    static let logProbabilityTolerance = 2e-3

    struct Step {
        var top: [(id: Int32, logProbability: Double)]
    }

    struct Reference {
        var prompt: [Int32]
        var continuation: [Int32]
        var steps: [Step]
    }

    /// llama-server's greedy 32-token continuation of every prompt, with top-10 log-probabilities (one server).
    static func references() async throws -> [Reference] {
        let server = try await DecoderFixtures.server()
        do {
            var result: [Reference] = []
            for prompt in prompts {
                let ids = try await DecoderFixtures.serverTokens(server, prompt)
                let answer = try await DecoderFixtures.post(
                    server, "/completion",
                    [
                        "prompt": ids.map(Int.init), "n_predict": 32, "temperature": 0, "n_probs": 10,
                        "cache_prompt": false, "return_tokens": true, "ignore_eos": true,
                    ])
                let probabilities = answer["completion_probabilities"] as? [[String: Any]] ?? []
                let steps = probabilities.map { step in
                    Step(
                        top: (step["top_logprobs"] as? [[String: Any]] ?? []).map {
                            (Int32(($0["id"] as! NSNumber).intValue), ($0["logprob"] as! NSNumber).doubleValue)
                        })
                }
                result.append(
                    Reference(
                        prompt: ids, continuation: probabilities.map { Int32(($0["id"] as! NSNumber).intValue) },
                        steps: steps))
            }
            await server.stop()
            return result
        } catch {
            await server.stop()
            throw error
        }
    }

    struct Comparison {
        var sameTopSet = 0, sameTopOrder = 0, sameArgmax = 0
        var worst = 0.0, worstFirst = 0.0, firstSetEqual = false
    }

    static func compare(_ model: LlamaModel, _ reference: Reference, numerics: DecoderNumerics) -> Comparison {
        let sequence = reference.prompt + reference.continuation
        let logits = model.logits(inputEmbeddings: model.embed(tokens: sequence), numerics: numerics)
        let v = model.config.vocabularySize
        var result = Comparison()
        for (index, step) in reference.steps.enumerated() {
            let row = reference.prompt.count - 1 + index
            let ours = DecoderFixtures.logSoftmax(Array(logits.scalars[row * v..<(row + 1) * v]))
            let ourTop = ours.indices.sorted { ours[$0] > ours[$1] }.prefix(10).map(Int32.init)
            let theirs = step.top.map(\.id)
            if ourTop == theirs { result.sameTopOrder += 1 }
            if Set(ourTop) == Set(theirs) { result.sameTopSet += 1 }
            if ourTop[0] == theirs[0] { result.sameArgmax += 1 }
            let difference = step.top.map { abs(ours[Int($0.id)] - $0.logProbability) }.max() ?? .infinity
            result.worst = max(result.worst, difference)
            if index == 0 {
                result.worstFirst = difference
                result.firstSetEqual = Set(ourTop) == Set(theirs)
            }
        }
        return result
    }

    /// Greedy decoding with the KV cache as llama-server's `ignore_eos` does it: end-of-generation tokens get a
    /// −∞ bias (so the server's reported top log-probabilities, taken before the bias, may still list them).
    static func greedyIgnoringEndOfGeneration(
        _ model: LlamaModel, _ prompt: [Int32], count: Int = 32, numerics: DecoderNumerics
    ) -> [Int32] {
        var cache = KVCache(config: model.config, capacity: prompt.count + count)
        var hidden = model.forward(model.embed(tokens: prompt), cache: &cache, numerics: numerics)
        var tokens: [Int32] = []
        while tokens.count < count {
            let logits = model.outputLogits(hidden, lastRowOnly: true, numerics: numerics).scalars
            var best = -1
            for i in logits.indices where !model.tokenizer.endOfGeneration.contains(Int32(i)) {
                if best < 0 || logits[i] > logits[best] { best = i }
            }
            tokens.append(Int32(best))
            hidden = model.forward(model.embed(tokens: [Int32(best)]), cache: &cache, numerics: numerics)
        }
        return tokens
    }

    @Test func logitsAndGreedyContinuationsMatchLlamaCpp() async throws {
        let model = DecoderFixtures.model
        let references = try await Self.references()
        #expect(references.count == Self.prompts.count)
        for (prompt, reference) in zip(Self.prompts, references) {
            let name = prompt.debugDescription
            #expect(reference.prompt == model.tokenizer.encode(prompt, addSpecial: false))
            try #require(reference.steps.count == 32 && reference.steps.allSatisfy { $0.top.count == 10 })
            let emulated = Self.compare(model, reference, numerics: .llamaCpp)
            let plain = Self.compare(model, reference, numerics: .float32)
            let ours = Self.greedyIgnoringEndOfGeneration(model, reference.prompt, numerics: .llamaCpp)
            let plainGreedy = Self.greedyIgnoringEndOfGeneration(model, reference.prompt, numerics: .float32)
            let agreed = zip(ours, reference.continuation).prefix { $0 == $1 }.count
            let plainAgreed = zip(plainGreedy, reference.continuation).prefix { $0 == $1 }.count
            print(
                "parity \(name): llamaCpp numerics greedy \(agreed)/32, top-10 set \(emulated.sameTopSet)/32, "
                    + "order \(emulated.sameTopOrder)/32, argmax \(emulated.sameArgmax)/32, max |Δ log p| first step "
                    + String(format: "%.4f", emulated.worstFirst) + ", all steps " + String(format: "%.4f", emulated.worst)
                    + " | float32 greedy \(plainAgreed)/32, top-10 set \(plain.sameTopSet)/32, max |Δ log p| "
                    + String(format: "%.4f", plain.worst))
            #expect(emulated.firstSetEqual, "\(name): first-step top-10 ids differ")
            #expect(emulated.worstFirst <= Self.firstStepTolerance, "\(name): first step |Δ log p| \(emulated.worstFirst)")
            #expect(emulated.worst <= Self.logProbabilityTolerance, "\(name): worst |Δ log p| \(emulated.worst)")
            #expect(ours == reference.continuation, "\(name): ours \(ours) llama.cpp \(reference.continuation)")
        }
    }
}
