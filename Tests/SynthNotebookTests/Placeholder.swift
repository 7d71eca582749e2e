import Testing

// Tests for SynthNotebook arrive with its issue.
