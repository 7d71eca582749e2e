/// A tensor value in a ``Tape`` computation, remembering which tape node (if any) produced it.
///
/// Variables are what operations take and return; `value` is the forward result. Constants and results
/// computed without any gradient-requiring input have no node.
package struct Variable {
    /// The forward value.
    package let value: Tensor
    /// Index of the producing node, or -1 for constants.
    let id: Int

    /// The value's shape.
    package var shape: [Int] { value.shape }

    /// Whether gradients flow back through this value.
    package var requiresGradient: Bool { id >= 0 }
}
