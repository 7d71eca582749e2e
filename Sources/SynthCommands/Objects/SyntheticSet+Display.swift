import SynthSynthesis
import SynthValues

/// `show` and `export` for synthetic sets: sample records with their provenance, and JSON Lines.
extension SyntheticSet: Previewable, JSONExportable {
    /// The summary and steps, then up to `limit` records: texts, score, status and provenance
    /// (step, template@hash, model, request keys).
    package func preview(limit: Int) -> String {
        var lines = [summary]
        for step in steps { lines.append("  step: \(step)") }
        for record in records.prefix(limit) {
            let status = record.accepted ? "accepted" : "rejected: \(record.rejection ?? "")"
            lines.append(
                "- \(record.id) [\(status)]" + (record.score.map { " score \(formatFixed($0, digits: 3))" } ?? ""))
            if !record.query.isEmpty { lines.append("    query: \(clip(record.query))") }
            for passage in record.positives {
                lines.append(
                    "    positive (\(passage.origin)\(passage.id.map { " \($0)" } ?? "")): \(clip(passage.text))")
            }
            for passage in record.negatives { lines.append("    negative (\(passage.origin)): \(clip(passage.text))") }
            for (i, candidate) in record.candidates.enumerated() {
                let score = i < record.scores.count ? formatFixed(record.scores[i], digits: 3) : "–"
                lines.append("    candidate \(candidate.id ?? "?") (\(score)): \(clip(candidate.text, 80))")
            }
            for (i, text) in record.texts.enumerated() { lines.append("    [\(i)] \(clip(text))") }
            for key in record.extra.keys.sorted() { lines.append("    \(key): \(clip(record.extra[key]!))") }
            for p in record.provenance {
                let template = p.template.isEmpty ? "" : " \(p.template)@\(p.templateHash.prefix(12))"
                let keys = p.requestKeys.map { String($0.prefix(12)) }.joined(separator: ", ")
                lines.append(
                    "    provenance: \(p.step)\(template), \(p.model)" + (keys.isEmpty ? "" : ", requests \(keys)"))
            }
        }
        if records.count > limit { lines.append("… \(records.count - limit) more records") }
        return lines.joined(separator: "\n")
    }

    /// One record per JSONL line (`export set path="synthetic.jsonl"`), provenance included.
    package var jsonValue: Value { .list(records.map(\.value)) }
}

/// The text on one line, cut to `limit` characters.
private func clip(_ text: String, _ limit: Int = 160) -> String {
    let flat = text.split(whereSeparator: { $0.isNewline }).joined(separator: " ")
    return flat.count > limit ? String(flat.prefix(limit)) + "…" : flat
}
