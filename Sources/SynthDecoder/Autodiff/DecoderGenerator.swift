import Foundation
import SynthTensor

/// Batched sampling from a ``FrozenDecoder`` with a key/value cache, each sequence starting from its own
/// prefix of input embeddings (a soft prompt, or the embeddings of a text prompt).
///
/// All prefixes have the same length, so the sequences advance in lock step: every step runs one `[batch, width]`
/// row block through the layers (one matrix product per projection for the whole batch). A sequence stops at an
/// end-of-generation token or after `maxTokens`; finished sequences keep running (ignored) until all are done.
///
/// ```swift
/// let tokens = DecoderGenerator(model: decoder).generate(
///     prefixes: [prompt], maxTokens: 40, samplers: [Sampler(temperature: 0.8, topP: 0.95, seed: 1)], stop: [2])
/// ```
package struct DecoderGenerator {
    package let model: FrozenDecoder

    package init(model: FrozenDecoder) { self.model = model }

    /// Samples a continuation for each prefix (`[prefixLength, width]` each, equal lengths).
    ///
    /// - Parameters:
    ///   - prefixes: input embeddings each sequence starts from.
    ///   - maxTokens: the most tokens generated per sequence.
    ///   - samplers: one per sequence (seeded, so the result is reproducible).
    ///   - stop: end-of-generation token ids (not included in the result).
    /// - Returns: the generated token ids of each sequence.
    package func generate(
        prefixes: [FloatMatrix], maxTokens: Int, samplers: [Sampler], stop: Set<Int32>
    ) -> [[Int32]] {
        let batch = prefixes.count
        guard batch > 0, maxTokens > 0 else { return Array(repeating: [], count: batch) }
        precondition(samplers.count == batch, "expected \(batch) samplers, found \(samplers.count)")
        let prefixLength = prefixes[0].rows
        precondition(prefixes.allSatisfy { $0.rows == prefixLength && $0.columns == model.shape.width },
                     "prefixes must share one length and the model width")
        var samplers = samplers
        let shape = model.shape
        let capacity = prefixLength + maxTokens
        var cache = (0..<shape.layers).map { _ in
            (k: FloatMatrix(rows: batch * capacity, columns: shape.kvHeads * shape.headSize),
             v: FloatMatrix(rows: batch * capacity, columns: shape.kvHeads * shape.headSize))
        }
        var results = Array(repeating: [Int32](), count: batch)
        var finished = Array(repeating: false, count: batch)
        // Prefill one position at a time (prefixes are short); the last step's logits give the first token.
        var logits = FloatMatrix(rows: batch, columns: shape.vocabulary)
        for position in 0..<prefixLength {
            let x = FloatMatrix(rows: batch, columns: shape.width)
            for b in 0..<batch { x.row(b).update(from: prefixes[b].row(position), count: shape.width) }
            logits = step(x, position: position, capacity: capacity, cache: &cache)
        }
        for position in prefixLength..<capacity {
            var next = [Int32](repeating: 0, count: batch)
            for b in 0..<batch where !finished[b] {
                let token = withExtendedLifetime(logits) {
                    samplers[b].sample(UnsafeBufferPointer(start: logits.row(b), count: shape.vocabulary))
                }
                if stop.contains(token) {
                    finished[b] = true
                } else {
                    results[b].append(token)
                    next[b] = token
                    if results[b].count == maxTokens { finished[b] = true }
                }
            }
            if finished.allSatisfy({ $0 }) || position == capacity - 1 { break }
            logits = step(model.embed(next), position: position, capacity: capacity, cache: &cache)
        }
        return results
    }

    /// One position for every sequence: appends K/V to the cache and returns the next-token logits `[batch, V]`.
    private func step(
        _ input: FloatMatrix, position: Int, capacity: Int, cache: inout [(k: FloatMatrix, v: FloatMatrix)]
    ) -> FloatMatrix {
        let shape = model.shape
        let batch = input.rows, d = shape.headSize, H = shape.heads, KV = shape.kvHeads
        let group = H / KV, scale = 1 / Float(d).squareRoot(), length = position + 1
        var x = input
        for (index, layer) in model.layers.enumerated() {
            let (normed, _) = RMSNormOp.forward(x, weight: layer.attentionNorm, epsilon: shape.normEpsilon)
            let q = FrozenLinear.forward(normed, layer.query)
            let k = FrozenLinear.forward(normed, layer.key)
            let v = FrozenLinear.forward(normed, layer.value)
            RotaryOp.apply(q, heads: H, headSize: d, sequence: 1, offset: position, base: shape.ropeBase, pairing: shape.pairing)
            RotaryOp.apply(k, heads: KV, headSize: d, sequence: 1, offset: position, base: shape.ropeBase, pairing: shape.pairing)
            let keys = cache[index].k, values = cache[index].v
            for b in 0..<batch {
                keys.copyRows(1, from: k, row: b, to: b * capacity + position)
                values.copyRows(1, from: v, row: b, to: b * capacity + position)
            }
            let attention = FloatMatrix(rows: batch, columns: H * d)
            Parallel.forEach(batch * H, costPerItem: length * d * 2) { item in
                let b = item / H, h = item % H, g = h / group
                let qh = q.row(b) + h * d
                var scores = [Float](repeating: 0, count: length)
                var maximum = -Float.infinity
                for t in 0..<length {
                    let kt = keys.row(b * capacity + t) + g * d
                    var dot: Float = 0
                    for c in 0..<d { dot += qh[c] * kt[c] }
                    scores[t] = dot * scale
                    maximum = max(maximum, scores[t])
                }
                var total: Float = 0
                for t in 0..<length {
                    scores[t] = Foundation.exp(scores[t] - maximum)
                    total += scores[t]
                }
                let out = attention.row(b) + h * d
                for t in 0..<length {
                    let weight = scores[t] / total, vt = values.row(b * capacity + t) + g * d
                    for c in 0..<d { out[c] += weight * vt[c] }
                }
            }
            let residual = FrozenLinear.forward(attention, layer.output)
            residual.add(x)
            let (normed2, _) = RMSNormOp.forward(residual, weight: layer.ffnNorm, epsilon: shape.normEpsilon)
            let activated = SwiGLUOp.forward(
                gate: FrozenLinear.forward(normed2, layer.gate), up: FrozenLinear.forward(normed2, layer.up))
            let output = FrozenLinear.forward(activated, layer.down)
            output.add(residual)
            x = output
        }
        let (normed, _) = RMSNormOp.forward(x, weight: model.finalNorm, epsilon: shape.normEpsilon)
        return FrozenLinear.forward(normed, model.outputHead)
    }
}
