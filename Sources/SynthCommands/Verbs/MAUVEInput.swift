import SynthRetrieval
import SynthSynthesis
import SynthValues

/// One side of `evaluate mauve`: texts to embed, or feature vectors given directly.
enum MAUVEInput {
    case texts([String])
    case vectors([[Double]])

    /// How messages name the kind.
    var kind: String {
        switch self {
        case .texts: "texts"
        case .vectors: "feature vectors"
        }
    }

    /// The texts or vectors of argument `name`: a list of strings, a list of number lists, a synthetic set
    /// (accepted records' queries, else their texts) or a dataset (queries, or documents with
    /// `texts="corpus"`). Empty strings are dropped (as `mauve-text` does); at most `limit` items are kept.
    static func read(
        _ value: Value?, name: String, call: VerbCall, split: String?, corpus: Bool, limit: Int?
    ) throws -> MAUVEInput {
        let input: MAUVEInput
        switch value {
        case .list(let items)?:
            if items.contains(where: { if case .list = $0 { true } else { false } }) {
                input = .vectors(try vectors(items, name: name, call: call))
            } else {
                input = .texts(items.compactMap { if case .string(let s) = $0 { s } else { nil } })
            }
        case .object(let set as SyntheticSet)?:
            input = .texts(set.accepted.flatMap { $0.query.isEmpty ? $0.texts : [$0.query] })
        case .object(let dataset as BEIRDataset)?:
            if corpus {
                input = .texts(dataset.corpus.map { $0.title.isEmpty ? $0.text : $0.title + " " + $0.text })
            } else if let split {
                let chosen = try DatasetSplit.choose(split, in: dataset, call: call)
                input = .texts(try dataset.queries(split: chosen).map(\.text))
            } else {
                input = .texts(dataset.queries.map(\.text))
            }
        default:
            throw call.error("expected texts, a synthetic set, a dataset or feature vectors for `\(name)`")
        }
        switch input {
        case .texts(let texts):
            let kept = texts.filter { !$0.isEmpty }
            guard !kept.isEmpty else {
                throw call.error("expected at least one non-empty text in `\(name)`, found none")
            }
            return .texts(limit.map { Array(kept.prefix($0)) } ?? kept)
        case .vectors(let rows):
            return .vectors(limit.map { Array(rows.prefix($0)) } ?? rows)
        }
    }

    private static func vectors(_ items: [Value], name: String, call: VerbCall) throws -> [[Double]] {
        var rows: [[Double]] = []
        for (index, item) in items.enumerated() {
            guard case .list(let numbers) = item else {
                throw call.error("expected a list of numbers as item \(index + 1) of `\(name)`, found \(item.typeName)")
            }
            let row = numbers.compactMap(\.doubleValue)
            guard row.count == numbers.count, !row.isEmpty else {
                throw call.error("expected a non-empty list of numbers as item \(index + 1) of `\(name)`")
            }
            if let first = rows.first, first.count != row.count {
                throw call.error(
                    "expected \(first.count) numbers in every vector of `\(name)`, "
                        + "found \(row.count) in item \(index + 1)"
                )
            }
            rows.append(row)
        }
        return rows
    }
}
