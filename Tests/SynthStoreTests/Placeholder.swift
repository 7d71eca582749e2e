import Testing

// Tests for SynthStore arrive with its issue.
