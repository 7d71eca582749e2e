import SynthTensor

extension LlamaModel {
    /// Runs the blocks over `input` `[rows, d]` at the positions after those already in `cache`, appending
    /// their keys and values; returns the final-RMSNorm hidden states `[rows, d]`.
    ///
    /// With `numerics: .llamaCpp` every step rounds as llama.cpp's CPU backend does (``DecoderNumerics``);
    /// a cache must be used with one numerics mode throughout.
    package func forward(_ input: Tensor, cache: inout KVCache, numerics: DecoderNumerics = .float32) -> Tensor {
        let rows = input.shape[0], d = config.hiddenSize, start = cache.count
        precondition(input.shape == [rows, d], "expected input [rows, \(d)], found \(input.shape)")
        precondition(start + rows <= cache.capacity, "KV cache holds \(cache.capacity) positions, needs \(start + rows)")
        let qWidth = config.headCount * config.headDimension, kvWidth = config.kvWidth, ff = config.intermediateSize
        let llama = numerics == .llamaCpp
        let rope =
            llama
            ? LlamaCppKernels.rotaryTable(start: start, count: rows, dimension: config.ropeDimension, base: config.ropeBase)
            : RotaryEmbedding(start: start, count: rows, dimension: config.ropeDimension, base: config.ropeBase)
        func norm(_ x: [Float], _ weight: Tensor, into y: inout [Float]) {
            if llama {
                LlamaCppKernels.rmsNorm(x, weight: weight, rows: rows, width: d, epsilon: config.rmsEpsilon, into: &y)
            } else {
                DecoderKernels.rmsNorm(x, weight: weight, rows: rows, width: d, epsilon: config.rmsEpsilon, into: &y)
            }
        }
        func linear(_ x: [Float], _ weight: Tensor, _ rounding: ActivationRounding, into y: inout [Float]) {
            if llama {
                rounding.linear(x, rows: rows, weight: weight, into: &y)
            } else {
                DecoderKernels.linear(x, rows: rows, weight: weight, into: &y)
            }
        }
        var x = input.scalars
        var normed = [Float](repeating: 0, count: rows * d), delta = normed
        var q = [Float](repeating: 0, count: rows * qWidth), attended = q
        var k = [Float](repeating: 0, count: rows * kvWidth), v = k
        var gate = [Float](repeating: 0, count: rows * ff), up = gate
        for (index, layer) in layers.enumerated() {
            let rounding = activationRoundings[index]
            norm(x, layer.attentionNorm, into: &normed)
            linear(normed, layer.query, rounding.query, into: &q)
            linear(normed, layer.key, rounding.key, into: &k)
            linear(normed, layer.value, rounding.value, into: &v)
            q.withUnsafeMutableBufferPointer {
                rope.apply($0.baseAddress!, rows: rows, heads: config.headCount, headDimension: config.headDimension)
            }
            k.withUnsafeMutableBufferPointer {
                rope.apply($0.baseAddress!, rows: rows, heads: config.kvHeadCount, headDimension: config.headDimension)
            }
            if llama {
                // llama-server's default KV cache type is F16.
                for i in 0..<(rows * kvWidth) {
                    k[i] = Float(Float16(k[i]))
                    v[i] = Float(Float16(v[i]))
                }
            }
            cache.keys[index].withUnsafeMutableBufferPointer { $0.baseAddress!.advanced(by: start * kvWidth).update(from: k, count: rows * kvWidth) }
            cache.values[index].withUnsafeMutableBufferPointer { $0.baseAddress!.advanced(by: start * kvWidth).update(from: v, count: rows * kvWidth) }
            cache.keys[index].withUnsafeBufferPointer { keys in
                cache.values[index].withUnsafeBufferPointer { values in
                    if llama && rows < LlamaCppKernels.tiledAttentionRows {
                        LlamaCppKernels.attention(
                            queries: q, keys: keys.baseAddress!, values: values.baseAddress!, rows: rows, start: start,
                            config: config, into: &attended)
                    } else {
                        DecoderKernels.attention(
                            queries: q, keys: keys.baseAddress!, values: values.baseAddress!, rows: rows, start: start,
                            config: config, into: &attended)
                    }
                }
            }
            linear(attended, layer.output, rounding.output, into: &delta)
            for i in 0..<(rows * d) { x[i] += delta[i] }
            norm(x, layer.feedForwardNorm, into: &normed)
            linear(normed, layer.gate, rounding.gate, into: &gate)
            linear(normed, layer.up, rounding.up, into: &up)
            gate.withUnsafeMutableBufferPointer {
                if llama {
                    LlamaCppKernels.swiGLU($0.baseAddress!, up, count: rows * ff)
                } else {
                    DecoderKernels.swiGLU($0.baseAddress!, up, count: rows * ff)
                }
            }
            linear(gate, layer.down, rounding.down, into: &delta)
            for i in 0..<(rows * d) { x[i] += delta[i] }
        }
        cache.count = start + rows
        norm(x, outputNorm, into: &normed)
        return Tensor(shape: [rows, d], values: normed)
    }

    /// Logits `[rows, vocabularySize]` of final hidden states (or `[1, vocabularySize]` for the last row only).
    package func outputLogits(_ hidden: Tensor, lastRowOnly: Bool = false, numerics: DecoderNumerics = .float32) -> Tensor {
        let rows = hidden.shape[0], d = config.hiddenSize
        let used = lastRowOnly ? 1 : rows
        var result = Tensor(shape: [used, config.vocabularySize])
        let rounding = numerics == .llamaCpp ? outputRounding : .none
        hidden.withUnsafeBufferPointer { h in
            result.withUnsafeMutableBufferPointer { out in
                rounding.linear(h.baseAddress! + (rows - used) * d, rows: used, weight: outputWeight, into: out.baseAddress!)
            }
        }
        return result
    }
}
