import Foundation
import SynthValues

/// What determines a training run's result, as named SHA-256 digests: the examples, every option that
/// changes the weights (loss, learning rate, batch, epochs, seed, token limit, …) and the starting model.
///
/// Two runs with equal fingerprints produce the same model, so a run may continue from the other's
/// checkpoints (``TrainingRunFolder/prepare(fingerprint:totalSteps:)``); options that do not change the result (how often
/// checkpoints are written, the model's folder name) stay out. Parts are kept apart so that a mismatch can
/// say what changed.
///
/// ```swift
/// var fingerprint = TrainingFingerprint()
/// try fingerprint.add("examples", json: examples)
/// fingerprint.add("loss", "mnrl τ 0.05")
/// fingerprint.changedParts(since: stored)   // ["loss"]
/// ```
package struct TrainingFingerprint: Sendable, Equatable, Codable {
    /// SHA-256 (hex) of each named part.
    package private(set) var parts: [String: String] = [:]

    /// An empty fingerprint.
    package init() {}

    /// Adds (or replaces) a part given as text.
    package mutating func add(_ name: String, _ text: String) {
        var hasher = SHA256()
        hasher.update(text)
        parts[name] = hasher.finalize().hex
    }

    /// Adds a part given as bytes.
    package mutating func add(_ name: String, bytes: Data) {
        var hasher = SHA256()
        hasher.update(bytes)
        parts[name] = hasher.finalize().hex
    }

    /// Adds a part as its JSON encoding with sorted keys (stable across runs).
    ///
    /// - Throws: an `EncodingError` when the value cannot be encoded (e.g. a NaN).
    package mutating func add(_ name: String, json value: some Encodable) throws {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        add(name, bytes: try encoder.encode(value))
    }

    /// Adds one part per option of `options` (`options.epochs`, `options.learningRate`, …), leaving out
    /// ``TrainingOptions/checkpointEvery``, which does not change the result.
    ///
    /// - Throws: an `EncodingError` when an option cannot be encoded.
    package mutating func add(options: TrainingOptions) throws {
        var options = options
        options.checkpointEvery = nil
        let data = try JSONEncoder().encode(options)
        let fields = (try JSONSerialization.jsonObject(with: data) as? [String: Any]) ?? [:]
        // Options that are nil are absent from the JSON, and so from the parts (a change shows as added/removed).
        for key in fields.keys.sorted() { add("options.\(key)", "\(fields[key]!)") }
    }

    /// One digest of every part (names and digests in name order).
    package var digest: String {
        var hasher = SHA256()
        for name in parts.keys.sorted() { hasher.update("\(name)=\(parts[name]!)\n") }
        return hasher.finalize().hex
    }

    /// The names of the parts that differ from `other` (added, removed or changed), sorted.
    package func changedParts(since other: TrainingFingerprint) -> [String] {
        Set(parts.keys).union(other.parts.keys).filter { parts[$0] != other.parts[$0] }.sorted()
    }
}
