import Testing

// Tests for SynthMetrics arrive with its issue.
