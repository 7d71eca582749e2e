/// Compares the tape's gradients with central finite differences, for testing backward rules.
///
/// The function under test maps input tensors to any tensor; it is reduced to a scalar with fixed random
/// weights (`Σ wᵢ yᵢ`, accumulated in Float64), so every output element's gradient path is exercised.
///
/// ```swift
/// let report = GradientCheck.run(inputs: [x]) { tape, v in tape.gelu(v[0]) }
/// #expect(report.maxRelativeError < 1e-2)
/// ```
package enum GradientCheck {
    /// The worst disagreement found.
    package struct Report: Sendable, CustomStringConvertible {
        /// Largest `|analytic - numeric| / max(1, |analytic|, |numeric|)` over all checked elements.
        package var maxError: Double
        /// Where it occurred: input index and element index.
        package var worstInput: Int
        package var worstElement: Int
        package var analytic: Double
        package var numeric: Double

        package var description: String {
            "max error \(maxError) at input \(worstInput)[\(worstElement)]: analytic \(analytic), numeric \(numeric)"
        }
    }

    /// Checks the gradients of `function` with respect to every element of every input.
    ///
    /// - Parameters:
    ///   - inputs: points at which to check (keep them small: float32 limits finite-difference accuracy).
    ///   - step: the finite-difference step.
    ///   - seed: seeds the reduction weights.
    ///   - function: the computation; receives the tape and one variable per input.
    /// - Returns: the worst error `|a - n| / max(1, |a|, |n|)` over all elements (a: analytic, n: numeric).
    package static func run(
        inputs: [Tensor], step: Float = 1e-2, seed: UInt64 = 7,
        _ function: (Tape, [Variable]) -> Variable
    ) -> Report {
        // Reduction weights, fixed by the output shape of a first evaluation.
        let probe = function(Tape(recording: false), inputs.map { Tape(recording: false).constant($0) })
        var generator = SeededGenerator(seed: seed)
        let weights = (0..<probe.value.count).map { _ in Double(generator.nextUniform() * 2 - 1) }

        func objective(_ values: [Tensor]) -> Double {
            let tape = Tape(recording: false)
            let output = function(tape, values.map { tape.constant($0) })
            return output.value.withUnsafeBufferPointer { buffer in
                zip(buffer, weights).reduce(0.0) { $0 + Double($1.0) * $1.1 }
            }
        }

        let tape = Tape()
        let variables = inputs.map { tape.input($0) }
        let output = function(tape, variables)
        tape.backward(from: output, seed: Tensor(shape: output.shape, values: weights.map { Float($0) }))

        var report = Report(maxError: 0, worstInput: -1, worstElement: -1, analytic: 0, numeric: 0)
        for (inputIndex, input) in inputs.enumerated() {
            let analytic = tape.gradient(of: variables[inputIndex])?.scalars ?? Array(repeating: 0, count: input.count)
            for element in 0..<input.count {
                var plus = inputs, minus = inputs
                plus[inputIndex].withUnsafeMutableBufferPointer { $0[element] += step }
                minus[inputIndex].withUnsafeMutableBufferPointer { $0[element] -= step }
                let numeric = (objective(plus) - objective(minus)) / (2 * Double(step))
                let a = Double(analytic[element])
                let error = abs(a - numeric) / max(1, abs(a), abs(numeric))
                if error > report.maxError || report.worstInput < 0 {
                    report = Report(maxError: error, worstInput: inputIndex, worstElement: element, analytic: a, numeric: numeric)
                }
            }
        }
        return report
    }
}
