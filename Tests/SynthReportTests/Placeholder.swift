import Testing

// Tests for SynthReport arrive with its issue.
