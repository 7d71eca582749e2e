// SynthDecoder: decoder-only language models (GGUF, Llama architecture, BPE) run in the core, with
// gradients to input embeddings for soft prompts (SoftSRV). Filled by issue 7.
