import Testing

// Tests for SynthLLM arrive with its issue.
