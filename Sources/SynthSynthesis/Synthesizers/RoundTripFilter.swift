import SynthValues

/// `critique roundtrip`: keep a generated query only if its source passage comes back in the top k.
///
/// Promptagator's consistency filter (Dai et al. 2023, ICLR): a query (q, d) is kept when a retriever
/// ranks d in its top K for q (K = 1 in the paper, chosen on MS MARCO dev; it hurt the two smallest BEIR
/// sets, so K is a parameter here). Every given retriever must pass. The record's score becomes the
/// reciprocal rank under the first retriever, and `extra["rr_<name>"]` keeps each retriever's.
///
/// Records without a source passage id (purely synthetic passages) pass through unchanged.
package struct RoundTripFilter: Sendable {
    package var retrievers: [any PassageRetriever]
    package var topK: Int

    package init(retrievers: [any PassageRetriever], topK: Int = 3) {
        self.retrievers = retrievers
        self.topK = max(1, topK)
    }

    package func run(_ set: SyntheticSet, progress: @escaping @Sendable (Int, Int) -> Void = { _, _ in })
        async throws -> SyntheticSet
    {
        var out = set
        for index in out.records.indices {
            var record = out.records[index]
            defer {
                out.records[index] = record
                progress(index + 1, out.records.count)
            }
            guard record.accepted, !record.query.isEmpty, let source = record.positive?.id else { continue }
            var first: Double?
            for retriever in retrievers {
                let rr = try await retriever.reciprocalRank(of: source, for: record.query, topK: topK)
                record.extra["rr_\(retriever.name)"] = formatNumber(rr)
                if first == nil { first = rr }
                if rr == 0 {
                    let reason = "source not in \(retriever.name) top-\(topK)"
                    if record.accepted { out.counts.reject(reason) }
                    record.reject(reason)
                }
            }
            record.score = first
        }
        out.steps.append(
            "critique roundtrip: " + retrievers.map(\.name).joined(separator: ", ") + " top-\(topK)")
        return out
    }
}
