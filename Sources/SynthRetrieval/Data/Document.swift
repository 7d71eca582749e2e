/// One document of a corpus: an identifier, an optional title and the body text.
///
/// BEIR stores documents as `{"_id", "title", "text"}` lines in `corpus.jsonl`. Retrieval
/// indexes ``indexedText`` (title and text as one field), as Pyserini's "flat" BEIR indexes do.
package struct Document: Sendable, Equatable, Hashable, Codable {
    package var id: String
    package var title: String
    package var text: String

    package init(id: String, title: String = "", text: String) {
        self.id = id
        self.title = title
        self.text = text
    }

    /// Title and text joined by a space, the single field BM25 indexes (`title + " " + text`).
    package var indexedText: String { title.isEmpty ? text : title + " " + text }
}

/// One query: an identifier and its text (`{"_id", "text"}` lines in BEIR's `queries.jsonl`).
package struct Query: Sendable, Equatable, Hashable, Codable {
    package var id: String
    package var text: String

    package init(id: String, text: String) {
        self.id = id
        self.text = text
    }
}
