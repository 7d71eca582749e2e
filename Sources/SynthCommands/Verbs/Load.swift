import Foundation
import SynthMetrics
import SynthRetrieval
import SynthValues

/// `load`: a BEIR dataset by name (`scifact`) or folder path.
package enum LoadCommand: VerbCommand {
    package static let spec = VerbSpec(
        name: "load",
        summary: "load a BEIR retrieval dataset (corpus, queries, qrels) by name or folder path",
        discussion: """
            A name such as `scifact` is looked up in `$SYNTHLAB_DATA`, then in `../shared/data` beside the \
            project, then downloaded from BEIR with its checksum verified. A path (containing `/`) is relative to \
            the notebook folder and must stay inside the project's git work tree or a data folder \
            (`$SYNTHLAB_DATA`, `$SYNTHLAB_HOME`); anything else needs `--allow-unsafe`. `split` limits the judgements read; `queries` and `docs` cut the dataset down for \
            quick runs (the documents judged for the kept queries are always kept). The result's fields: `name`, \
            `docs`, `queries`, `splits`, `judged`, `warnings`. The files' SHA-256 hashes are recorded for the cache.
            """,
        paper: "Thakur et al. 2021, BEIR (NeurIPS Datasets and Benchmarks)",
        positional: [ArgSpec("dataset", .word, doc: "a BEIR dataset name (`scifact`) or a folder path")],
        keywords: [
            ArgSpec("split", .string, optional: true, doc: "read only this split's qrels (default: every split)"),
            ArgSpec("queries", .int, optional: true, doc: "keep only the first n judged queries of each split"),
            ArgSpec(
                "docs", .int, optional: true,
                doc: "keep only the first n documents plus those judged for the kept queries"),
        ],
        result: "dataset",
        example: "data = load scifact split=\"test\"")

    package static func run(_ call: VerbCall, context: ExecutionContext) async throws -> VerbOutcome {
        guard let argument = call.string("dataset") else { throw call.error("expected a dataset name or path") }
        let resolver = DatasetResolver(projectFolder: context.projectFolder)
        let target =
            DatasetResolver.isPath(argument)
            ? try PathPolicy.readableURL(argument, in: context, call: call).path : argument
        let splits = call.string("split").map { [$0] }
        context.progress(ProgressEvent(label: "load \(argument)", count: 0, total: nil))
        var dataset = try await resolver.load(target, splits: splits)
        if DatasetResolver.isPath(argument) { dataset.name = URL(fileURLWithPath: target).lastPathComponent }
        let files = dataFiles(of: dataset, splits: splits ?? dataset.splits)
        if let limit = call.int("queries") { dataset = keepQueries(dataset, limit: limit) }
        if let limit = call.int("docs") { dataset = keepDocuments(dataset, limit: limit) }
        context.progress(ProgressEvent(label: "load \(argument)", count: 1, total: 1))
        var outputs: [CellOutput] = []
        for warning in dataset.warnings { outputs.append(.text("warning: " + warning.rendered(caret: false))) }
        return VerbOutcome(value: .object(dataset), outputs: outputs, filesRead: PathPolicy.hashes(of: files))
    }

    /// The files a dataset was read from: corpus, queries and the qrels of `splits`.
    static func dataFiles(of dataset: BEIRDataset, splits: [String]) -> [URL] {
        var files: [URL] = []
        for name in ["corpus.jsonl", "corpus.jsonl.gz", "queries.jsonl", "queries.jsonl.gz"] {
            files.append(dataset.folder.appendingPathComponent(name))
        }
        for split in splits { files.append(dataset.folder.appendingPathComponent("qrels/\(split).tsv")) }
        return files
    }

    /// Keeps the first `limit` judged queries of every split (and only their judgements).
    static func keepQueries(_ dataset: BEIRDataset, limit: Int) -> BEIRDataset {
        var copy = dataset
        var keep: Set<String> = []
        for (split, table) in dataset.qrels {
            let ids = Set(dataset.queries.map(\.id).filter { table[$0] != nil }.prefix(max(0, limit)))
            keep.formUnion(ids)
            copy.qrels[split] = Qrels(table.judgements.filter { ids.contains($0.key) })
        }
        copy.queries = dataset.queries.filter { keep.contains($0.id) }
        return copy
    }

    /// Keeps the first `limit` documents plus every document judged in the remaining qrels.
    static func keepDocuments(_ dataset: BEIRDataset, limit: Int) -> BEIRDataset {
        var judged: Set<String> = []
        for table in dataset.qrels.values { for docs in table.judgements.values { judged.formUnion(docs.keys) } }
        var copy = dataset
        copy.corpus = dataset.corpus.enumerated().filter { $0.offset < limit || judged.contains($0.element.id) }
            .map(\.element)
        return copy
    }
}
