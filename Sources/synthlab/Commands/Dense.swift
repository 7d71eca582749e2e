import ArgumentParser
import Foundation
import SynthMetrics
import SynthModels
import SynthRetrieval
import SynthValues

/// `synthlab dense`: dense retrieval with a sentence-transformers model over a BEIR dataset.
struct Dense: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "dense",
        abstract: "Retrieve with a sentence embedding model (exact inner product) and write a TREC run.",
        discussion: """
            DATA_DIR is a BEIR folder or a dataset name such as scifact (resolved as for `synthlab bm25`). \
            Documents are embedded as BEIR does for sentence-transformers (title + " " + text, at most the \
            model's max_seq_length tokens, 256 for all-MiniLM-L6-v2), sorted by length into batches. \
            Corpus embeddings are cached under --cache, keyed by the SHA-256 of the model files and of the \
            corpus, so a second run only embeds the queries. The queries judged in the split are searched; \
            the run is written atomically and a one-line summary (nDCG@10, R@100) goes to stderr.
            The default model is $SYNTHLAB_HOME/models/all-MiniLM-L6-v2.
            """)

    @Argument(help: "A BEIR folder or a BEIR dataset name (e.g. scifact).")
    var dataDir: String

    @Option(help: "A sentence-transformers model folder.")
    var model: String?

    @Option(help: "The qrels split whose queries are searched.")
    var split = "test"

    @Option(help: "Documents to retrieve per query.")
    var top = 1000

    @Option(help: "Texts per forward pass.")
    var batchSize = 32

    @Option(help: "Folder of cached corpus embeddings (default $SYNTHLAB_HOME/cache/dense).")
    var cache: String?

    @Flag(help: "Neither read nor write cached corpus embeddings.")
    var noCache = false

    @Option(help: "The TREC run file to write.")
    var out: String

    func validate() throws {
        guard top > 0 else { throw ValidationError("--top must be positive, found \(top)") }
        guard batchSize > 0 else { throw ValidationError("--batch-size must be positive, found \(batchSize)") }
    }

    func run() async throws {
        let clock = ContinuousClock()
        let start = clock.now
        let folder = model.map { URL(fileURLWithPath: $0) } ?? SentenceEncoder.defaultFolder()
        let encoder = try SentenceEncoder.load(folder: folder)
        let dataset = try await DatasetResolver().load(dataDir, splits: [split])
        for warning in dataset.warnings { StandardError.line(warning.rendered(caret: false)) }
        let queries = try dataset.queries(split: split)
        let loaded = clock.now
        let cacheStore = noCache ? nil : DenseEmbeddingCache(folder: cacheFolder())
        let showProgress = StandardError.isTerminal
        let retriever = try DenseRetriever.build(
            encoder: encoder, documents: dataset.corpus, batchSize: batchSize, cache: cacheStore,
            progress: { done, total in
                if showProgress { StandardError.write("\rembedding documents \(done)/\(total)") }
            })
        if showProgress { StandardError.write("\r\u{1B}[K") }
        let built = clock.now
        let run = retriever.search(queries, topK: top)
        let searched = clock.now
        try AtomicFile.write(BM25.trecText(run, queries: queries), to: URL(fileURLWithPath: out))
        let judged = dataset.qrels[split] ?? Qrels()
        let scores = evaluate(qrels: judged, run: run, measures: [.ndcgCut(10), .recall(100)]).mean
        let seconds = { (d: Duration) in
            formatFixed(Double(d.components.seconds) + Double(d.components.attoseconds) / 1e18, digits: 2)
        }
        StandardError.line(
            "dense \(dataset.name) \(split): \(dataset.corpus.count) docs, \(queries.count) queries, top \(top), "
                + "model \(folder.lastPathComponent) → \(out) (load \(seconds(loaded - start)) s, "
                + "documents \(seconds(built - loaded)) s, search \(seconds(searched - built)) s); "
                + "nDCG@10 \(formatFixed(scores[.ndcgCut(10)] ?? 0, digits: 4)), "
                + "R@100 \(formatFixed(scores[.recall(100)] ?? 0, digits: 4))")
    }

    private func cacheFolder() -> URL {
        if let cache { return URL(fileURLWithPath: cache) }
        let environment = ProcessInfo.processInfo.environment
        let home = environment["SYNTHLAB_HOME"].map { URL(fileURLWithPath: $0) }
            ?? FileManager.default.homeDirectoryForCurrentUser.appendingPathComponent(".cache/synthlab")
        return home.appendingPathComponent("cache/dense")
    }
}
