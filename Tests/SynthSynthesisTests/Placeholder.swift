import Testing

@Suite struct SynthSynthesisPlaceholder {
    @Test func placeholder() {}
}
