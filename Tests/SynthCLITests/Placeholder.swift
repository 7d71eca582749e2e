import Testing

// Tests for SynthCLI arrive with its issue.
