import Testing

// Tests for SynthModels arrive with its issue.
