import Foundation
import SynthValues

/// An evaluation measure, named as trec_eval names it.
///
/// `description` is trec_eval's command-line spelling (`ndcg_cut.10`, `P.10`, `map`) and
/// ``trecName`` its output spelling (`ndcg_cut_10`, `P_10`), which is also pytrec_eval's key.
/// With `R` the relevant documents of a query (grade ≥ 1), `rel_i` the grade at rank `i`, and
/// `k` the cutoff:
///
/// - `ndcg_cut.k`: DCG@k / IDCG@k with DCG@k = Σ_{i≤k, rel_i>0} rel_i / log2(i+1) and IDCG@k the same
///   over the judged grades sorted descending (Järvelin and Kekäläinen, ACM TOIS 20(4), 2002); 0 when
///   no grade is positive. `ndcg` is the same without a cutoff.
/// - `recall.k`: |relevant in top k| / |R| (0 when |R| = 0).
/// - `P.k`: |relevant in top k| / k (k is the divisor even when fewer documents were retrieved).
/// - `recip_rank`: 1 / rank of the first relevant document (0 if none). `recip_rank.k` (MRR@k, not a
///   trec_eval measure) is `recip_rank` of the run cut to its top k.
/// - `map`: Σ_{i: rel_i ≥ 1} P@i / |R|; `map_cut.k` sums only ranks i ≤ k.
///
/// ```swift
/// let measures = try Measure.parseList("ndcg_cut.10,100")   // [.ndcgCut(10), .ndcgCut(100)]
/// Measure.ndcgCut(10).description                             // "ndcg_cut.10"
/// ```
package enum Measure: Sendable, Hashable, Codable, CustomStringConvertible {
    case ndcg
    case ndcgCut(Int)
    case recall(Int)
    case precision(Int)
    case recipRank(cutoff: Int?)
    case map
    case mapCut(Int)

    /// Family names as trec_eval spells them, for messages and "did you mean" hints.
    package static let familyNames = ["ndcg", "ndcg_cut", "recall", "P", "recip_rank", "map", "map_cut"]

    /// Parses one measure such as `ndcg_cut.10`, `P.5`, `map` or `recip_rank`.
    ///
    /// - Throws: ``MetricsError/unknownMeasure(_:suggestion:)``, ``MetricsError/badMeasureCutoff(_:)``, or
    ///   ``MetricsError/multipleMeasures(_:count:)`` for a family of several (use ``parseList(_:)``).
    package init(parsing text: String) throws(MetricsError) {
        let list = try Measure.parseList(text)
        guard list.count == 1 else { throw MetricsError.multipleMeasures(text, count: list.count) }
        self = list[0]
    }

    /// Parses trec_eval's family form: a name, optionally `.` and comma-separated cutoffs
    /// (`ndcg_cut.10,100` is two measures). Cutoff families without cutoffs use trec_eval's defaults.
    ///
    /// - Throws: ``MetricsError`` naming the measure when the family or a cutoff is not valid.
    package static func parseList(_ text: String) throws(MetricsError) -> [Measure] {
        let trimmed = text.trimmingCharacters(in: .whitespaces)
        let family: String
        let parameterText: String?
        if let dot = trimmed.firstIndex(of: ".") {
            family = String(trimmed[..<dot])
            parameterText = String(trimmed[trimmed.index(after: dot)...])
        } else {
            family = trimmed
            parameterText = nil
        }
        guard familyNames.contains(family) else {
            throw MetricsError.unknownMeasure(text, suggestion: suggestedMeasure(for: trimmed, family: family))
        }
        var cutoffs: [Int] = []
        if let parameterText {
            for part in parameterText.split(separator: ",", omittingEmptySubsequences: false) {
                guard let value = Int(part), value > 0 else { throw MetricsError.badMeasureCutoff(text) }
                if !cutoffs.contains(value) { cutoffs.append(value) }
            }
        }
        switch family {
        case "ndcg", "map":
            guard parameterText == nil else { throw MetricsError.badMeasureCutoff(text) }
            return [family == "map" ? .map : .ndcg]
        case "recip_rank":
            return parameterText == nil ? [.recipRank(cutoff: nil)] : cutoffs.map { .recipRank(cutoff: $0) }
        case "ndcg_cut":
            return (parameterText == nil ? [5, 10, 15, 20, 30, 100, 200, 500, 1000] : cutoffs).map { .ndcgCut($0) }
        case "recall":
            return (parameterText == nil ? [5, 10, 15, 20, 30, 100, 200, 500, 1000] : cutoffs).map { .recall($0) }
        case "P":
            return (parameterText == nil ? [5, 10, 15, 20, 30, 100, 200, 500, 1000] : cutoffs).map { .precision($0) }
        default:  // map_cut
            return (parameterText == nil ? [5, 10, 15, 20, 30, 100, 200, 500, 1000] : cutoffs).map { .mapCut($0) }
        }
    }

    /// trec_eval's command-line spelling: `ndcg_cut.10`, `recall.100`, `P.10`, `recip_rank`, `map`.
    package var description: String {
        switch self {
        case .ndcg: "ndcg"
        case .ndcgCut(let k): "ndcg_cut.\(k)"
        case .recall(let k): "recall.\(k)"
        case .precision(let k): "P.\(k)"
        case .recipRank(let k): k.map { "recip_rank.\($0)" } ?? "recip_rank"
        case .map: "map"
        case .mapCut(let k): "map_cut.\(k)"
        }
    }

    /// trec_eval's output spelling and pytrec_eval's result key: `ndcg_cut_10`, `P_10`, `map`.
    package var trecName: String { description.replacingOccurrences(of: ".", with: "_") }

    /// The cutoff, when the measure has one.
    package var cutoff: Int? {
        switch self {
        case .ndcg, .map: nil
        case .ndcgCut(let k), .recall(let k), .precision(let k), .mapCut(let k): k
        case .recipRank(let k): k
        }
    }

    package init(from decoder: any Decoder) throws {
        let text = try decoder.singleValueContainer().decode(String.self)
        do { self = try Measure(parsing: text) } catch {
            throw DecodingError.dataCorrupted(
                .init(codingPath: decoder.codingPath, debugDescription: error.description))
        }
    }

    package func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(description)
    }
}

/// A trec_eval spelling for a common alias (`ndcg@10` → `ndcg_cut.10`, `mrr@10` → `recip_rank.10`),
/// else the nearest family by edit distance.
private func suggestedMeasure(for text: String, family: String) -> String? {
    let parts = text.lowercased().split(separator: "@", maxSplits: 1).map(String.init)
    let aliases = [
        "ndcg": "ndcg_cut", "recall": "recall", "r": "recall", "p": "P", "precision": "P", "mrr": "recip_rank",
        "rr": "recip_rank", "map": "map_cut",
    ]
    if parts.count == 2, let mapped = aliases[parts[0]], let cutoff = Int(parts[1]), cutoff > 0 {
        return "\(mapped).\(cutoff)"
    }
    if parts.count == 1, parts[0] == "mrr" { return "recip_rank" }
    let examples = ["ndcg", "ndcg_cut.10", "recall.100", "P.10", "recip_rank", "map", "map_cut.100"]
    guard let nearest = nearestName(to: family, in: Measure.familyNames) else { return nil }
    if text.contains("."), let dot = text.firstIndex(of: ".") { return nearest + text[dot...] }
    return examples.first { $0 == nearest || $0.hasPrefix(nearest + ".") }
}
