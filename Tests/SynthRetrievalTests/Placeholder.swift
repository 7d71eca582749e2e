import Testing

// Tests for SynthRetrieval arrive with its issue.
