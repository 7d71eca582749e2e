import Testing

// Tests for SynthLanguage arrive with its issue.
