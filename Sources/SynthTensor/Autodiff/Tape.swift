/// Reverse-mode automatic differentiation: records primitive operations, then runs them backwards.
///
/// Build a computation with the operation methods (`linear`, `gelu`, `layerNorm`, `softmax`, …) starting from
/// ``parameter(_:_:)``, ``input(_:)`` and ``constant(_:)``; call ``backward(from:)`` on a scalar, then read
/// ``gradient(of:)`` or ``parameterGradients()``.
///
/// A tape created with `recording: false` runs the same code for inference: nothing is kept for the backward
/// pass, so intermediate tensors go back to the ``BufferPool`` as soon as they are no longer referenced.
/// `training` turns dropout on. The tape owns the seeded generator that dropout draws from, so a run is
/// reproducible from its seed.
///
/// ```swift
/// let tape = Tape()
/// let w = tape.parameter("w", Tensor(shape: [1, 2], values: [0.5, -1]))
/// let y = tape.sum(tape.linear(tape.constant(x), weight: w, bias: nil))
/// tape.backward(from: y)
/// tape.parameterGradients()["w"]
/// ```
package final class Tape {
    /// Whether operations are recorded for a backward pass.
    package let isRecording: Bool
    /// Whether dropout is active.
    package let isTraining: Bool
    /// Where operation outputs borrow their memory.
    package let pool: BufferPool
    /// Source of dropout masks.
    package var generator: SeededGenerator

    struct Node {
        var op: Op
        var inputs: [Int]
        let shape: [Int]
    }

    var nodes: [Node] = []
    private var gradients: [Int: Tensor] = [:]
    private var parameterIDs: [(name: String, id: Int)] = []

    /// Creates a tape.
    ///
    /// - Parameters:
    ///   - recording: keep what the backward pass needs (false for inference).
    ///   - training: apply dropout.
    ///   - seed: seeds the dropout generator.
    ///   - pool: buffer pool for outputs (share one across steps to reuse memory).
    package init(recording: Bool = true, training: Bool = false, seed: UInt64 = 0, pool: BufferPool = BufferPool()) {
        self.isRecording = recording
        self.isTraining = training
        self.generator = SeededGenerator(seed: seed)
        self.pool = pool
    }

    // MARK: - Leaves

    /// A value that never receives a gradient.
    package func constant(_ value: Tensor) -> Variable { Variable(value: value, id: -1) }

    /// An input whose gradient is wanted (``gradient(of:)``), e.g. in gradient checks.
    package func input(_ value: Tensor) -> Variable {
        guard isRecording else { return constant(value) }
        return Variable(value: value, id: append(.leaf(name: nil), inputs: [], shape: value.shape))
    }

    /// A named trainable parameter; its gradient appears in ``parameterGradients()``.
    package func parameter(_ name: String, _ value: Tensor) -> Variable {
        guard isRecording else { return constant(value) }
        let id = append(.leaf(name: name), inputs: [], shape: value.shape)
        parameterIDs.append((name, id))
        return Variable(value: value, id: id)
    }

    // MARK: - Recording

    /// A fresh output tensor from this tape's pool.
    func output(_ shape: [Int]) -> Tensor { Tensor(uninitialized: shape, pool: pool) }

    /// Records `op` if any input requires a gradient; returns the variable wrapping `value`.
    func record(_ value: Tensor, _ op: @autoclosure () -> Op, inputs: [Variable]) -> Variable {
        guard isRecording, inputs.contains(where: \.requiresGradient) else { return Variable(value: value, id: -1) }
        return Variable(value: value, id: append(op(), inputs: inputs.map(\.id), shape: value.shape))
    }

    private func append(_ op: Op, inputs: [Int], shape: [Int]) -> Int {
        nodes.append(Node(op: op, inputs: inputs, shape: shape))
        return nodes.count - 1
    }

    // MARK: - Backward

    /// Propagates gradients from `output` back to every input and parameter.
    ///
    /// - Parameters:
    ///   - output: usually a scalar loss.
    ///   - seed: the gradient of the final objective with respect to `output` (default: ones).
    package func backward(from output: Variable, seed: Tensor? = nil) {
        guard output.id >= 0 else { return }
        let start = seed ?? Tensor(shape: output.shape, repeating: 1)
        precondition(start.shape == output.shape, "seed shape \(start.shape) differs from output \(output.shape)")
        var pending: [Tensor?] = Array(repeating: nil, count: nodes.count)
        pending[output.id] = start
        for id in stride(from: output.id, through: 0, by: -1) {
            guard let gradient = pending[id] else { continue }
            let node = nodes[id]
            if case .leaf = node.op {
                if let existing = gradients[id] {
                    gradients[id] = Elementwise.add(existing, gradient, pool: nil)
                } else {
                    gradients[id] = gradient
                }
                continue
            }
            pending[id] = nil
            let inputGradients = backwardRule(node, gradient: gradient)
            for (input, inputGradient) in zip(node.inputs, inputGradients) {
                guard input >= 0, let inputGradient else { continue }
                if let existing = pending[input] {
                    pending[input] = Elementwise.add(existing, inputGradient, pool: pool)
                } else {
                    pending[input] = inputGradient
                }
            }
            nodes[id].op = .sum  // release saved tensors early
        }
    }

    /// The accumulated gradient of an ``input(_:)`` or ``parameter(_:_:)`` after ``backward(from:seed:)``.
    package func gradient(of variable: Variable) -> Tensor? {
        variable.id >= 0 ? gradients[variable.id] : nil
    }

    /// Gradients of all named parameters used on this tape (summed when a name was used twice).
    package func parameterGradients() -> [String: Tensor] {
        var result: [String: Tensor] = [:]
        for (name, id) in parameterIDs {
            guard let gradient = gradients[id] else { continue }
            if let existing = result[name] {
                result[name] = Elementwise.add(existing, gradient, pool: nil)
            } else {
                result[name] = gradient
            }
        }
        return result
    }
}
