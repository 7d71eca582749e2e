import SynthRetrieval
import SynthValues

/// `show data`: the summary, then sample documents and judged queries.
extension BEIRDataset: Previewable {
    package func preview(limit: Int) -> String {
        var lines = [summary]
        for warning in warnings { lines.append("  warning: " + warning.message) }
        lines.append("documents:")
        for document in corpus.prefix(limit) {
            let title = document.title.isEmpty ? "" : document.title + " — "
            lines.append("  \(document.id): " + clip(title + document.text))
        }
        for split in splits {
            lines.append("queries (\(split)):")
            let judged = (try? queries(split: split)) ?? []
            for query in judged.prefix(limit) {
                let relevant = (qrels[split]?[query.id] ?? [:]).filter { $0.value > 0 }.keys.sorted()
                lines.append(
                    "  \(query.id): \(clip(query.text)) → " + relevant.prefix(3).joined(separator: ", ")
                        + (relevant.count > 3 ? ", …" : ""))
            }
        }
        return lines.joined(separator: "\n")
    }
}

/// The text on one line, cut to `limit` characters.
private func clip(_ text: String, _ limit: Int = 120) -> String {
    let flat = text.split(whereSeparator: { $0.isNewline }).joined(separator: " ")
    return flat.count > limit ? String(flat.prefix(limit)) + "…" : flat
}
