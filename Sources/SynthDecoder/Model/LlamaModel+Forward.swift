import SynthTensor

extension LlamaModel {
    /// Runs the blocks over `input` `[rows, d]` at the positions after those already in `cache`, appending
    /// their keys and values; returns the final-RMSNorm hidden states `[rows, d]`.
    package func forward(_ input: Tensor, cache: inout KVCache) -> Tensor {
        let rows = input.shape[0], d = config.hiddenSize, start = cache.count
        precondition(input.shape == [rows, d], "expected input [rows, \(d)], found \(input.shape)")
        precondition(start + rows <= cache.capacity, "KV cache holds \(cache.capacity) positions, needs \(start + rows)")
        let qWidth = config.headCount * config.headDimension, kvWidth = config.kvWidth, ff = config.intermediateSize
        let rope = RotaryEmbedding(start: start, count: rows, dimension: config.ropeDimension, base: config.ropeBase)
        var x = input.scalars
        var normed = [Float](repeating: 0, count: rows * d), delta = normed
        var q = [Float](repeating: 0, count: rows * qWidth), attended = q
        var k = [Float](repeating: 0, count: rows * kvWidth), v = k
        var gate = [Float](repeating: 0, count: rows * ff), up = gate
        for (index, layer) in layers.enumerated() {
            DecoderKernels.rmsNorm(x, weight: layer.attentionNorm, rows: rows, width: d, epsilon: config.rmsEpsilon, into: &normed)
            DecoderKernels.linear(normed, rows: rows, weight: layer.query, into: &q)
            DecoderKernels.linear(normed, rows: rows, weight: layer.key, into: &k)
            DecoderKernels.linear(normed, rows: rows, weight: layer.value, into: &v)
            q.withUnsafeMutableBufferPointer {
                rope.apply($0.baseAddress!, rows: rows, heads: config.headCount, headDimension: config.headDimension)
            }
            k.withUnsafeMutableBufferPointer {
                rope.apply($0.baseAddress!, rows: rows, heads: config.kvHeadCount, headDimension: config.headDimension)
            }
            cache.keys[index].withUnsafeMutableBufferPointer { $0.baseAddress!.advanced(by: start * kvWidth).update(from: k, count: rows * kvWidth) }
            cache.values[index].withUnsafeMutableBufferPointer { $0.baseAddress!.advanced(by: start * kvWidth).update(from: v, count: rows * kvWidth) }
            cache.keys[index].withUnsafeBufferPointer { keys in
                cache.values[index].withUnsafeBufferPointer { values in
                    DecoderKernels.attention(
                        queries: q, keys: keys.baseAddress!, values: values.baseAddress!, rows: rows, start: start,
                        config: config, into: &attended)
                }
            }
            DecoderKernels.linear(attended, rows: rows, weight: layer.output, into: &delta)
            for i in 0..<(rows * d) { x[i] += delta[i] }
            DecoderKernels.rmsNorm(x, weight: layer.feedForwardNorm, rows: rows, width: d, epsilon: config.rmsEpsilon, into: &normed)
            DecoderKernels.linear(normed, rows: rows, weight: layer.gate, into: &gate)
            DecoderKernels.linear(normed, rows: rows, weight: layer.up, into: &up)
            gate.withUnsafeMutableBufferPointer { DecoderKernels.swiGLU($0.baseAddress!, up, count: rows * ff) }
            DecoderKernels.linear(gate, rows: rows, weight: layer.down, into: &delta)
            for i in 0..<(rows * d) { x[i] += delta[i] }
        }
        cache.count = start + rows
        DecoderKernels.rmsNorm(x, weight: outputNorm, rows: rows, width: d, epsilon: config.rmsEpsilon, into: &normed)
        return Tensor(shape: [rows, d], values: normed)
    }

    /// Logits `[rows, vocabularySize]` of final hidden states (or `[1, vocabularySize]` for the last row only).
    package func outputLogits(_ hidden: Tensor, lastRowOnly: Bool = false) -> Tensor {
        let rows = hidden.shape[0], d = config.hiddenSize
        let used = lastRowOnly ? 1 : rows
        var result = Tensor(shape: [used, config.vocabularySize])
        hidden.withUnsafeBufferPointer { h in
            result.withUnsafeMutableBufferPointer { out in
                DecoderKernels.linear(
                    h.baseAddress! + (rows - used) * d, rows: used, weight: outputWeight, into: out.baseAddress!)
            }
        }
        return result
    }
}
