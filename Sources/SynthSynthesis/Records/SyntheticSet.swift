import Foundation
import SynthValues

/// A set of synthetic records with the counts of the steps that made and filtered it.
///
/// A language value (`synthetic_set`): its summary gives the counts, and fields expose `count`,
/// `accepted`, `rejected`, `samples`, `records`, `queries`, `counts`, `steps` and `critique` (the
/// ``CritiqueTrace`` of a `critique` step's chains as a record, `null` otherwise). Each step
/// (`synthesize`, `critique`, `distill`) returns a new set; rejected records stay in the set with their
/// reason, so reports can show what was filtered and why. ``trainingTriples`` gives what training
/// consumes; ``jsonl()`` what `export` writes.
package struct SyntheticSet: PersistableObject, Equatable, Codable {
    /// What the set holds (`queries`, `syntriever`, `ranked`, `pointwise`, …).
    package var kind: String
    package var records: [SyntheticRecord]
    /// Counts accumulated over every step that produced this set.
    package var counts: SynthesisCounts
    /// One line per step: `synthesize queries: template inpars-query@1a2b3c4d5e6f, model qwen…`.
    package var steps: [String]
    /// The chains of the last `critique` step that made this set (rewards, proposals, decisions), if any.
    package var critique: CritiqueTrace?

    package init(
        kind: String, records: [SyntheticRecord] = [], counts: SynthesisCounts = SynthesisCounts(),
        steps: [String] = []
    ) {
        self.kind = kind
        self.records = records
        self.counts = counts
        self.steps = steps
    }

    package static let persistedTypeName = "synthetic_set"
    package var typeName: String { Self.persistedTypeName }

    package var accepted: [SyntheticRecord] { records.filter(\.accepted) }
    package var rejectedCount: Int { records.count - accepted.count }

    /// One line with every count, for example `synthetic_set queries: 4 records, 2 accepted, 2 rejected
    /// (1 duplicate query, 1 query shorter than 3 words); 5 requests (0 replayed), 120 prompt + 40 completion
    /// tokens; 1 repaired, 2 retried, 1 failed`. Tokens are those of new requests; what replayed answers
    /// cost when they were first asked follows in parentheses.
    package var summary: String {
        let requests = counts.requestsNew + counts.requestsReplayed
        var text =
            "synthetic_set \(kind): \(records.count) records, \(accepted.count) accepted, \(rejectedCount) rejected"
        let reasons = Dictionary(grouping: records.compactMap(\.rejection), by: { $0 }).mapValues(\.count)
        if !reasons.isEmpty {
            let sorted = reasons.sorted { $0.value != $1.value ? $0.value > $1.value : $0.key < $1.key }
            text += " (" + sorted.map { "\($0.value) \($0.key)" }.joined(separator: ", ") + ")"
        }
        text += "; \(requests) requests (\(counts.requestsReplayed) replayed), \(counts.promptTokens) prompt + "
        text += "\(counts.completionTokens) completion tokens"
        if counts.replayedPromptTokens + counts.replayedCompletionTokens > 0 {
            text += " (replayed answers cost \(counts.replayedPromptTokens) prompt + "
            text += "\(counts.replayedCompletionTokens) completion tokens when first asked)"
        }
        text += "; \(counts.answersRepaired) repaired, "
        text += "\(counts.retried) retried, \(counts.failed) failed"
        return text
    }

    package var fieldNames: [String] {
        [
            "kind", "count", "accepted", "rejected", "acceptance_rate", "records", "samples", "queries", "counts",
            "steps", "critique",
        ]
    }

    package func field(_ name: String) -> Value? {
        switch name {
        case "kind": .string(kind)
        case "count": .int(records.count)
        case "accepted": .int(accepted.count)
        case "rejected": .int(rejectedCount)
        case "acceptance_rate": records.isEmpty ? .null : .double(Double(accepted.count) / Double(records.count))
        case "records": .list(records.map(\.value))
        case "samples": .list(records.prefix(5).map(\.value))
        case "queries": .list(records.map { .string($0.query) })
        case "counts": counts.value
        case "steps": .list(steps.map(Value.string))
        case "critique": critique?.value ?? .null
        default: nil
        }
    }

    /// Accepted records with a positive passage as (query, positive, hard negatives) for training.
    ///
    /// The positive is the record's first positive (the source or gold passage when known); Syntriever
    /// records' further synthetic positives are in ``SyntheticRecord/positives`` for multi-positive losses.
    package var trainingTriples: [(query: String, positive: String, negatives: [String])] {
        accepted.compactMap { record in
            guard let positive = record.positive, !record.query.isEmpty else { return nil }
            return (record.query, positive.text, record.negatives.map(\.text))
        }
    }

    // MARK: - JSONL

    /// One JSON object per record, keys sorted, so exports are byte-stable.
    package func jsonl() -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return records.map { String(decoding: (try? encoder.encode($0)) ?? Data(), as: UTF8.self) + "\n" }.joined()
    }

    /// Reads records written by ``jsonl()``.
    ///
    /// - Throws: a ``Diagnostic`` naming the file and line of the first malformed record.
    package static func records(fromJSONL text: String, file: String) throws -> [SyntheticRecord] {
        let decoder = JSONDecoder()
        var records: [SyntheticRecord] = []
        for (i, line) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated()
        where !line.trimmingCharacters(in: .whitespaces).isEmpty {
            do { records.append(try decoder.decode(SyntheticRecord.self, from: Data(line.utf8))) } catch {
                throw Diagnostic(
                    .error, "expected a synthetic record (JSON object), found malformed line",
                    at: SourceLocation(file: file, line: i + 1, column: 1))
            }
        }
        return records
    }

    // MARK: - PersistableObject

    package func persist(into folder: URL) throws {
        try AtomicFile.write(jsonl(), to: folder.appendingPathComponent("records.jsonl"))
        var meta = self
        meta.records = []
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .prettyPrinted]
        try AtomicFile.write(try encoder.encode(meta), to: folder.appendingPathComponent("set.json"))
    }

    package static func restore(from folder: URL) throws -> SyntheticSet {
        let metaURL = folder.appendingPathComponent("set.json")
        let recordsURL = folder.appendingPathComponent("records.jsonl")
        guard let metaData = try? Data(contentsOf: metaURL),
            var set = try? JSONDecoder().decode(Self.self, from: metaData)
        else {
            throw Diagnostic(.error, "expected a saved synthetic set", at: SourceLocation(file: metaURL.path))
        }
        let text = (try? String(contentsOf: recordsURL, encoding: .utf8)) ?? ""
        set.records = try records(fromJSONL: text, file: recordsURL.path)
        return set
    }
}

// MARK: - Values for the language

extension SyntheticRecord {
    /// The record as a language value (for `show`, dotted access and tables).
    package var value: Value {
        var r = Record()
        r["id"] = .string(id)
        r["kind"] = .string(kind)
        if !query.isEmpty { r["query"] = .string(query) }
        if let queryID { r["query_id"] = .string(queryID) }
        if let positive { r["positive"] = .string(positive.text) }
        if let id = positive?.id { r["positive_id"] = .string(id) }
        if positives.count > 1 { r["positives"] = .list(positives.map(\.value)) }
        if !negatives.isEmpty { r["negatives"] = .list(negatives.map(\.value)) }
        if !candidates.isEmpty { r["candidates"] = .list(candidates.map(\.value)) }
        for key in extra.keys.sorted() { r[key] = .string(extra[key]!) }
        if !texts.isEmpty { r["texts"] = .list(texts.map(Value.string)) }
        if !scores.isEmpty { r["scores"] = .list(scores.map(Value.double)) }
        if let score { r["score"] = .double(score) }
        r["accepted"] = .bool(accepted)
        if let rejection { r["rejection"] = .string(rejection) }
        r["provenance"] = .list(provenance.map(\.value))
        return .record(r)
    }
}

extension SyntheticPassage {
    package var value: Value {
        var r = Record()
        if let id { r["id"] = .string(id) }
        r["origin"] = .string(origin)
        r["text"] = .string(text)
        return .record(r)
    }
}

extension RecordProvenance {
    package var value: Value {
        .record(
            Record([
                ("step", .string(step)), ("template", .string(template)), ("template_hash", .string(templateHash)),
                ("model", .string(model)), ("request_keys", .list(requestKeys.map(Value.string))),
            ]))
    }
}

extension SynthesisCounts {
    package var value: Value {
        var r = Record()
        r["requests_new"] = .int(requestsNew)
        r["requests_replayed"] = .int(requestsReplayed)
        r["prompt_tokens"] = .int(promptTokens)
        r["completion_tokens"] = .int(completionTokens)
        r["replayed_prompt_tokens"] = .int(replayedPromptTokens)
        r["replayed_completion_tokens"] = .int(replayedCompletionTokens)
        r["answers_repaired"] = .int(answersRepaired)
        r["retried"] = .int(retried)
        r["failed"] = .int(failed)
        var rejectedRecord = Record()
        for key in rejected.keys.sorted() { rejectedRecord[key] = .int(rejected[key]!) }
        r["rejected"] = .record(rejectedRecord)
        var repairedRecord = Record()
        for key in repaired.keys.sorted() { repairedRecord[key] = .int(repaired[key]!) }
        r["repaired"] = .record(repairedRecord)
        return .record(r)
    }
}
