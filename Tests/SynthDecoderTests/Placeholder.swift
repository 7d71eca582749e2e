import Testing

@Suite struct SynthDecoderPlaceholder {}
