// SynthSynthesis: prompt templates, synthetic data generation, self-verification, critique → revise and
// distillation labels. See the module map in Package.swift.
