import Foundation
import SynthTensor

/// How a SoftSRV soft prompt is parameterised (DeSalvo et al. 2024, "SoftSRV", arXiv 2410.16534).
package enum SoftPromptVariant: String, Sendable, Equatable, Codable, CaseIterable {
    /// One learned `P × d` prompt shared by every example (classic prompt tuning; the paper's SS_NSP).
    case shared
    /// `k` learned prompts mixed by `softmax(A z + a)` of the example's context embedding `z` (SS_MPk).
    case mixture
    /// An MLP maps the context embedding to the whole prompt: `P(z) = W₂ GELU(W₁ z + b₁) + b₂` (SS_MC).
    case mlp
}

/// A trainable soft prompt: the parameters of one ``SoftPromptVariant`` and how to build prompts from contexts.
///
/// Parameters (all trained; the LM is frozen):
/// - `shared`: `prompt [P, d]`.
/// - `mixture`: `components [k, P·d]`, `mix.weight [k, c]`, `mix.bias [k]`;
///   `P(z) = Σⱼ softmax(W z + b)ⱼ · componentⱼ`.
/// - `mlp`: `mlp.0.weight [h, c]`, `mlp.0.bias [h]`, `mlp.1.weight [P·d, h]`, `mlp.1.bias [P·d]`.
///
/// Every variant starts from an initial prompt (for example the embeddings of a short instruction), so the
/// untrained prompt already reads like text to the LM: the mixture's components are that prompt plus small
/// noise, and the MLP's output bias is that prompt with near-zero output weights.
package struct SoftPrompt: Sendable, Equatable, Codable {
    package var variant: SoftPromptVariant
    /// Virtual tokens P.
    package var length: Int
    /// Model width d.
    package var width: Int
    /// Context embedding size c (0 for `shared`).
    package var contextWidth: Int
    /// Named parameters (`Tensor`), stored as shape + little-endian Float32 bytes.
    package var parameters: [String: Tensor]

    /// Initialises a variant around `initial` (`[P, d]`).
    ///
    /// - Parameters:
    ///   - components: k for `mixture`.
    ///   - hidden: MLP hidden size h for `mlp`.
    package init(
        variant: SoftPromptVariant, initial: FloatMatrix, contextWidth: Int, components: Int = 4, hidden: Int = 64,
        seed: UInt64 = 0
    ) {
        self.variant = variant
        length = initial.rows
        width = initial.columns
        self.contextWidth = variant == .shared ? 0 : contextWidth
        var generator = SeededGenerator(seed: seed)
        let flat = initial.values
        let scale = (flat.map { $0 * $0 }.reduce(0, +) / Float(max(flat.count, 1))).squareRoot()
        switch variant {
        case .shared:
            parameters = ["prompt": Tensor(shape: [length, width], values: flat)]
        case .mixture:
            var values: [Float] = []
            for _ in 0..<components { values += flat.map { $0 + 0.1 * scale * generator.nextNormal() } }
            parameters = [
                "components": Tensor(shape: [components, length * width], values: values),
                "mix.weight": Tensor(
                    randomNormal: [components, contextWidth], standardDeviation: 1 / Float(contextWidth).squareRoot(),
                    generator: &generator),
                "mix.bias": Tensor(shape: [components], repeating: 0),
            ]
        case .mlp:
            parameters = [
                "mlp.0.weight": Tensor(
                    randomNormal: [hidden, contextWidth], standardDeviation: 1 / Float(contextWidth).squareRoot(),
                    generator: &generator),
                "mlp.0.bias": Tensor(shape: [hidden], repeating: 0),
                "mlp.1.weight": Tensor(
                    randomNormal: [length * width, hidden], standardDeviation: 0.1 * scale / Float(hidden).squareRoot(),
                    generator: &generator),
                "mlp.1.bias": Tensor(shape: [length * width], values: flat),
            ]
        }
    }

    /// Number of trained scalars.
    package var parameterCount: Int { parameters.values.reduce(0) { $0 + $1.count } }

    /// The prompts for `contexts` (one per example) as one `[B·P, d]` variable on `tape`.
    ///
    /// - Parameter contexts: `B` context embeddings of size ``contextWidth`` (ignored by `shared`, which
    ///   repeats its prompt `B` times; gradients of the repeats add up).
    package func prompts(on tape: Tape, contexts: [[Float]]) -> Variable {
        let batch = contexts.count
        func parameter(_ name: String) -> Variable { tape.parameter(name, parameters[name]!) }
        switch variant {
        case .shared:
            let prompt = parameter("prompt")
            return batch == 1 ? prompt : tape.concatRows(Array(repeating: prompt, count: batch))
        case .mixture, .mlp:
            precondition(contexts.allSatisfy { $0.count == contextWidth },
                         "expected context vectors of size \(contextWidth)")
            let z = tape.constant(Tensor(shape: [batch, contextWidth], values: contexts.flatMap { $0 }))
            let flat: Variable
            if variant == .mixture {
                let mix = tape.softmax(tape.linear(z, weight: parameter("mix.weight"), bias: parameter("mix.bias")))
                flat = tape.matmul(mix, parameter("components"))
            } else {
                let hidden = tape.gelu(tape.linear(z, weight: parameter("mlp.0.weight"), bias: parameter("mlp.0.bias")))
                flat = tape.linear(hidden, weight: parameter("mlp.1.weight"), bias: parameter("mlp.1.bias"))
            }
            return tape.reshape(flat, [batch * length, width])
        }
    }

    /// The prompt for one context, `[P, d]`, computed without recording.
    package func prompt(for context: [Float]) -> FloatMatrix {
        let tape = Tape(recording: false)
        return FloatMatrix(prompts(on: tape, contexts: [context]).value, columns: width)
    }

    // MARK: - Codable (parameters as base64 Float32)

    private struct Stored: Codable, Equatable {
        var shape: [Int]
        var data: Data
    }

    enum CodingKeys: String, CodingKey { case variant, length, width, contextWidth = "context_width", parameters }

    package init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        variant = try container.decode(SoftPromptVariant.self, forKey: .variant)
        length = try container.decode(Int.self, forKey: .length)
        width = try container.decode(Int.self, forKey: .width)
        contextWidth = try container.decode(Int.self, forKey: .contextWidth)
        parameters = try Self.decodeTensors(container.decode([String: Stored].self, forKey: .parameters))
    }

    package func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(variant, forKey: .variant)
        try container.encode(length, forKey: .length)
        try container.encode(width, forKey: .width)
        try container.encode(contextWidth, forKey: .contextWidth)
        try container.encode(Self.encodeTensors(parameters), forKey: .parameters)
    }

    static func encodeTensors(_ tensors: [String: Tensor]) -> [String: TensorData] {
        tensors.mapValues { TensorData($0) }
    }

    private static func decodeTensors(_ stored: [String: Stored]) throws -> [String: Tensor] {
        try stored.mapValues { try TensorData(shape: $0.shape, data: $0.data).tensor() }
    }
}

/// A tensor as shape + little-endian Float32 bytes (base64 in JSON): compact checkpoints.
struct TensorData: Codable, Equatable {
    var shape: [Int]
    var data: Data

    init(shape: [Int], data: Data) {
        self.shape = shape
        self.data = data
    }

    init(_ tensor: Tensor) {
        shape = tensor.shape
        data = tensor.withUnsafeBufferPointer { Data(buffer: $0) }
    }

    func tensor() throws -> Tensor {
        let count = shape.reduce(1, *)
        guard data.count == count * 4 else {
            throw SoftPromptError("checkpoint tensor of shape \(shape) has \(data.count) bytes, expected \(count * 4)")
        }
        let values = data.withUnsafeBytes { Array($0.bindMemory(to: Float.self)) }
        return Tensor(shape: shape, values: values)
    }
}

/// A soft-prompt checkpoint or configuration problem (message lowercase, names what was expected).
package struct SoftPromptError: Error, Sendable, Equatable, CustomStringConvertible {
    package var description: String
    package init(_ description: String) { self.description = description }
}
