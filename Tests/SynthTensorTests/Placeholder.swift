import Testing

// Tests for SynthTensor arrive with its issue.
