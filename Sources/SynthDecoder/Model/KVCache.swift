/// Keys and values of past positions, per layer, for incremental decoding.
///
/// Rows are positions; each row holds `kvHeadCount · headDimension` floats (keys after RoPE).
package struct KVCache: Sendable {
    /// Per layer: `[capacity, kvWidth]` keys and values.
    var keys: [[Float]], values: [[Float]]
    /// Maximum number of positions.
    package let capacity: Int
    /// Positions filled so far (the next token's position).
    package internal(set) var count = 0
    let width: Int

    /// An empty cache for up to `capacity` positions.
    package init(config: LlamaConfig, capacity: Int) {
        self.capacity = capacity
        width = config.kvWidth
        keys = Array(repeating: [Float](repeating: 0, count: capacity * config.kvWidth), count: config.layerCount)
        values = keys
    }
}
