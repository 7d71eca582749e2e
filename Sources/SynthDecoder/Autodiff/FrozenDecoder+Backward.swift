import SynthTensor

/// A batch of sequences given by their input embeddings, with the token each position should predict.
package struct DecoderBatch: Sendable {
    /// `[batch · sequence, width]`: sequence `b` occupies rows `b·T ..< (b+1)·T` (right-padded).
    package var embeddings: FloatMatrix
    package var batch: Int
    package var sequence: Int
    /// One per row: the next token row `r` should predict, or −1 (soft-prompt positions, last token, padding).
    package var labels: [Int32]

    package init(embeddings: FloatMatrix, batch: Int, sequence: Int, labels: [Int32]) {
        precondition(embeddings.rows == batch * sequence && labels.count == embeddings.rows,
                     "batch of \(batch)×\(sequence) needs that many embedding rows and labels")
        self.embeddings = embeddings
        self.batch = batch
        self.sequence = sequence
        self.labels = labels
    }
}

/// What the frozen backward pass returns.
package struct DecoderLossResult: Sendable {
    /// Mean next-token negative log-likelihood over the labelled positions (nats per token).
    package var loss: Double
    /// Number of labelled positions.
    package var tokens: Int
    /// `∂loss/∂embeddings`, `[batch · sequence, width]` (nil for a forward-only evaluation).
    package var inputGradient: FloatMatrix?
}

/// Everything one block's backward step needs (recomputed from the block input when checkpointing).
struct BlockActivations {
    var input: FloatMatrix
    var inverseRMS1: [Float]
    var normed1: FloatMatrix
    var q: FloatMatrix, k: FloatMatrix, v: FloatMatrix
    var probabilities: FloatMatrix
    var attention: FloatMatrix
    var residual: FloatMatrix
    var inverseRMS2: [Float]
    var normed2: FloatMatrix
    var gate: FloatMatrix, up: FloatMatrix, activated: FloatMatrix
}

extension FrozenDecoder {
    /// Mean next-token loss of `batch` and its gradient with respect to the input embeddings only.
    ///
    /// The weights are constants: no weight gradients are formed. With `checkpointing` (the default) only the
    /// input of each block is kept during the forward pass and the block is recomputed before its backward
    /// step, so activation memory is `layers × rows × width` plus one block's internals.
    ///
    /// - Complexity: about 3× a forward pass with checkpointing (2× without).
    package func lossAndInputGradient(_ batch: DecoderBatch, checkpointing: Bool = true) -> DecoderLossResult {
        var inputs: [FloatMatrix] = []
        var saved: [BlockActivations] = []
        var x = batch.embeddings
        for layer in layers {
            let activations = blockForward(layer, x, batch: batch.batch, sequence: batch.sequence)
            if checkpointing { inputs.append(x) } else { saved.append(activations.saved) }
            x = activations.output
        }
        let (normed, inverseRMS) = RMSNormOp.forward(x, weight: finalNorm, epsilon: shape.normEpsilon)
        let result = NextTokenLoss.evaluate(hidden: normed, labels: batch.labels, head: outputHead)
        let loss = result.lossSum / Double(max(result.count, 1))
        guard var gradient = result.gradient else { return DecoderLossResult(loss: loss, tokens: result.count) }
        gradient = RMSNormOp.backward(gradient, x: x, inverseRMS: inverseRMS, weight: finalNorm)
        for index in stride(from: layers.count - 1, through: 0, by: -1) {
            let activations: BlockActivations
            if checkpointing {
                activations = blockForward(layers[index], inputs[index], batch: batch.batch, sequence: batch.sequence).saved
                inputs.removeLast()
            } else {
                activations = saved.removeLast()
            }
            gradient = blockBackward(layers[index], activations, gradient: gradient, batch: batch.batch, sequence: batch.sequence)
        }
        return DecoderLossResult(loss: loss, tokens: result.count, inputGradient: gradient)
    }

    /// Mean next-token loss without a backward pass.
    package func loss(_ batch: DecoderBatch) -> DecoderLossResult {
        var x = batch.embeddings
        for layer in layers { x = blockForward(layer, x, batch: batch.batch, sequence: batch.sequence).output }
        let (normed, _) = RMSNormOp.forward(x, weight: finalNorm, epsilon: shape.normEpsilon)
        let result = NextTokenLoss.evaluate(hidden: normed, labels: batch.labels, head: outputHead, gradient: false)
        return DecoderLossResult(loss: result.lossSum / Double(max(result.count, 1)), tokens: result.count)
    }

    func layout(batch: Int, sequence: Int) -> CausalAttentionOp.Layout {
        CausalAttentionOp.Layout(
            batch: batch, sequence: sequence, heads: shape.heads, kvHeads: shape.kvHeads, headSize: shape.headSize)
    }

    /// One pre-norm Llama block: `x + Attn(RMSNorm(x))`, then `+ MLP(RMSNorm(·))`.
    func blockForward(
        _ layer: FrozenDecoderLayer, _ x: FloatMatrix, batch: Int, sequence: Int
    ) -> (output: FloatMatrix, saved: BlockActivations) {
        let (normed1, inverse1) = RMSNormOp.forward(x, weight: layer.attentionNorm, epsilon: shape.normEpsilon)
        let q = FrozenLinear.forward(normed1, layer.query)
        let k = FrozenLinear.forward(normed1, layer.key)
        let v = FrozenLinear.forward(normed1, layer.value)
        RotaryOp.apply(q, heads: shape.heads, headSize: shape.headSize, sequence: sequence, base: shape.ropeBase, pairing: shape.pairing)
        RotaryOp.apply(k, heads: shape.kvHeads, headSize: shape.headSize, sequence: sequence, base: shape.ropeBase, pairing: shape.pairing)
        let (attention, probabilities) = CausalAttentionOp.forward(q: q, k: k, v: v, layout: layout(batch: batch, sequence: sequence))
        let residual = FrozenLinear.forward(attention, layer.output)
        residual.add(x)
        let (normed2, inverse2) = RMSNormOp.forward(residual, weight: layer.ffnNorm, epsilon: shape.normEpsilon)
        let gate = FrozenLinear.forward(normed2, layer.gate)
        let up = FrozenLinear.forward(normed2, layer.up)
        let activated = SwiGLUOp.forward(gate: gate, up: up)
        let output = FrozenLinear.forward(activated, layer.down)
        output.add(residual)
        let saved = BlockActivations(
            input: x, inverseRMS1: inverse1, normed1: normed1, q: q, k: k, v: v, probabilities: probabilities,
            attention: attention, residual: residual, inverseRMS2: inverse2, normed2: normed2, gate: gate, up: up,
            activated: activated)
        return (output, saved)
    }

    /// The gradient with respect to a block's input given the gradient of its output.
    func blockBackward(
        _ layer: FrozenDecoderLayer, _ a: BlockActivations, gradient: FloatMatrix, batch: Int, sequence: Int
    ) -> FloatMatrix {
        // MLP branch.
        let dActivated = FrozenLinear.backward(gradient, layer.down)
        let (dGate, dUp) = SwiGLUOp.backward(dActivated, gate: a.gate, up: a.up)
        let dNormed2 = FrozenLinear.backward(dGate, layer.gate)
        FrozenLinear.backward(dUp, layer.up, into: dNormed2)
        let dResidual = RMSNormOp.backward(dNormed2, x: a.residual, inverseRMS: a.inverseRMS2, weight: layer.ffnNorm)
        dResidual.add(gradient)
        // Attention branch.
        let dAttention = FrozenLinear.backward(dResidual, layer.output)
        let (dq, dk, dv) = CausalAttentionOp.backward(
            dAttention, q: a.q, k: a.k, v: a.v, probabilities: a.probabilities, layout: layout(batch: batch, sequence: sequence))
        RotaryOp.apply(dq, heads: shape.heads, headSize: shape.headSize, sequence: sequence, base: shape.ropeBase, pairing: shape.pairing, inverse: true)
        RotaryOp.apply(dk, heads: shape.kvHeads, headSize: shape.headSize, sequence: sequence, base: shape.ropeBase, pairing: shape.pairing, inverse: true)
        let dNormed1 = FrozenLinear.backward(dq, layer.query)
        FrozenLinear.backward(dk, layer.key, into: dNormed1)
        FrozenLinear.backward(dv, layer.value, into: dNormed1)
        let dx = RMSNormOp.backward(dNormed1, x: a.input, inverseRMS: a.inverseRMS1, weight: layer.attentionNorm)
        dx.add(dResidual)
        return dx
    }
}

extension FrozenDecoder {
    /// Next-token logits `[rows, vocabulary]` of one sequence given its input embeddings (no cache; for checks).
    package func logits(_ embeddings: FloatMatrix) -> FloatMatrix {
        var x = embeddings
        for layer in layers { x = blockForward(layer, x, batch: 1, sequence: embeddings.rows).output }
        let (normed, _) = RMSNormOp.forward(x, weight: finalNorm, epsilon: shape.normEpsilon)
        return FrozenLinear.forward(normed, outputHead)
    }
}
