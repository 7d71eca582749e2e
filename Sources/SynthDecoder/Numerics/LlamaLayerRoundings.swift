/// The ``ActivationRounding`` of each product of one transformer block (from its GGUF tensor types).
package struct LlamaLayerRoundings: Sendable {
    package var query: ActivationRounding = .none
    package var key: ActivationRounding = .none
    package var value: ActivationRounding = .none
    package var output: ActivationRounding = .none
    package var gate: ActivationRounding = .none
    package var up: ActivationRounding = .none
    package var down: ActivationRounding = .none

    /// Float32 for every product.
    package init() {}

    /// The roundings llama.cpp uses for block `layer` of `file`.
    init(file: GGUFFile, layer: Int) {
        func rounding(_ name: String) -> ActivationRounding { .forWeight(named: "blk.\(layer).\(name).weight", in: file) }
        query = rounding("attn_q")
        key = rounding("attn_k")
        value = rounding("attn_v")
        output = rounding("attn_output")
        gate = rounding("ffn_gate")
        up = rounding("ffn_up")
        down = rounding("ffn_down")
    }
}
