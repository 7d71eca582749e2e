/// Draft-free speculative decoding for ``LocalLLMServer``: llama-server drafts tokens by looking up
/// the last few generated tokens in the request's own token history (prompt and answer so far) and
/// verifies the draft in one batch.
///
/// Synthetic queries and claims copy many words from the passage in the prompt, and the answers of
/// several queries per call repeat their own phrases, so such lookups are often right. llama.cpp keeps
/// a drafted token only where the target model's own sampler (same temperature, same seed stream)
/// picks it, so every emitted token is drawn from the target model's distribution and greedy answers
/// equal those without speculation up to the small logit differences of a batched evaluation (the same
/// kind of difference another thread count or slot count makes). That is why the setting is not part
/// of the response store's request key; it is recorded with the server flags in the report instead.
///
/// ```swift
/// let server = try await LocalLLMServer.start(model: "qwen", speculative: .ngramSimple)
/// let flags = SpeculativeDecoding(parsing: "none")?.serverArguments   // []
/// ```
package struct SpeculativeDecoding: Sendable, Hashable, CustomStringConvertible {
    /// llama-server's `--spec-type` values that need no draft model.
    package enum Kind: String, Sendable, Hashable, CaseIterable {
        /// No speculation.
        case none
        /// The last match of the current n-gram in the history; its following tokens are the draft.
        case ngramSimple = "ngram-simple"
        /// Like `ngramSimple`, but a key n-gram must have been followed by the same tokens `minHits` times.
        case ngramMapK = "ngram-map-k"
        /// A rolling-hash table of n-grams shared by all slots; drafts of variable length.
        case ngramMod = "ngram-mod"
    }

    /// The lookup method.
    package var kind: Kind
    /// Tokens of the current context looked up in the history (`--spec-ngram-*-size-n`,
    /// `--spec-ngram-mod-n-match`).
    package var lookup: Int
    /// The most tokens drafted at once (`--spec-draft-n-max`; also `--spec-ngram-*-size-m` and
    /// `--spec-ngram-mod-n-max`). On a CPU a verification batch costs more than one decode step, so
    /// long drafts that are only partly accepted are slower than none.
    package var draft: Int
    /// `ngram-map-k` only: how often a key must have been followed by the draft (`--spec-ngram-map-k-min-hits`).
    package var minHits: Int

    package init(_ kind: Kind, lookup: Int = 3, draft: Int = 3, minHits: Int = 1) {
        self.kind = kind
        self.lookup = max(1, lookup)
        self.draft = max(1, draft)
        self.minHits = max(1, minHits)
    }

    /// No speculative decoding.
    package static let none = SpeculativeDecoding(.none)
    /// `ngram-simple` with a 4-token lookup and drafts of up to 6 tokens (the best of the sizes
    /// bench/query-cost/spec_probe.py tried: 3/3, 4/6, 3/8, 4/12).
    package static let ngramSimple = SpeculativeDecoding(.ngramSimple, lookup: 4, draft: 6)
    /// `ngram-map-k` with a 4-token key and drafts of up to 6 tokens, seen at least twice.
    package static let ngramMapK = SpeculativeDecoding(.ngramMapK, lookup: 4, draft: 6, minHits: 2)
    /// `ngram-mod` with a 4-token hash window and drafts of 1–4 tokens.
    package static let ngramMod = SpeculativeDecoding(.ngramMod, lookup: 4, draft: 4)

    /// The setting ``LocalLLMServer/start(model:parallel:contextSize:threads:speculative:startupTimeout:)``
    /// uses when none is given. Still `none`: bench/query-cost/results.txt measured ngram-simple at
    /// 1.07–1.19× decoding speed with one slot (greedy answers identical) but no gain with two busy
    /// slots, under a load of 4–9 on 2 cores; turning it on by default awaits a measurement at low load.
    package static let standard = SpeculativeDecoding.none

    /// The preset for a language value: `none`, `ngram-simple`, `ngram-map-k` or `ngram-mod`; nil otherwise.
    package init?(parsing name: String) {
        switch Kind(rawValue: name) {
        case .none?: self = .none
        case .ngramSimple?: self = .ngramSimple
        case .ngramMapK?: self = .ngramMapK
        case .ngramMod?: self = .ngramMod
        case nil: return nil
        }
    }

    /// The names ``init(parsing:)`` accepts.
    package static var names: [String] { Kind.allCases.map(\.rawValue) }

    /// The llama-server flags (empty for `none`).
    package var serverArguments: [String] {
        switch kind {
        case .none:
            return []
        case .ngramSimple:
            return [
                "--spec-type", kind.rawValue, "--spec-ngram-simple-size-n", "\(lookup)",
                "--spec-ngram-simple-size-m", "\(draft)", "--spec-draft-n-max", "\(draft)",
            ]
        case .ngramMapK:
            return [
                "--spec-type", kind.rawValue, "--spec-ngram-map-k-size-n", "\(lookup)",
                "--spec-ngram-map-k-size-m", "\(draft)", "--spec-ngram-map-k-min-hits", "\(minHits)",
                "--spec-draft-n-max", "\(draft)",
            ]
        case .ngramMod:
            return [
                "--spec-type", kind.rawValue, "--spec-ngram-mod-n-match", "\(lookup)",
                "--spec-ngram-mod-n-min", "1", "--spec-ngram-mod-n-max", "\(draft)", "--spec-draft-n-max", "\(draft)",
            ]
        }
    }

    /// `none`, or the kind with its sizes (`ngram-simple n=4 draft=6`).
    package var description: String {
        switch kind {
        case .none: "none"
        case .ngramMapK: "\(kind.rawValue) n=\(lookup) draft=\(draft) hits=\(minHits)"
        default: "\(kind.rawValue) n=\(lookup) draft=\(draft)"
        }
    }
}
