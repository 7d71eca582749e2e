import ArgumentParser
import Foundation
import SynthMetrics
import SynthRetrieval
import SynthValues

/// `synthlab bm25`: BM25 retrieval over a BEIR dataset, written as a TREC run file.
struct BM25: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "bm25",
        abstract: "Retrieve with BM25 (Lucene/Pyserini scoring) over a BEIR dataset and write a TREC run.",
        discussion: """
            DATA_DIR is a BEIR folder (corpus.jsonl[.gz], queries.jsonl, qrels/<split>.tsv) or a dataset \
            name such as scifact, looked up in $SYNTHLAB_DATA (default $SYNTHLAB_HOME/data), then in \
            ../shared/data beside the project, then downloaded from BEIR with its md5 checked.
            Title and text are indexed as one field with Lucene's English analyzer. The queries judged in \
            the split are searched; the run file is written atomically and a one-line summary goes to stderr.
            """)

    @Argument(help: "A BEIR folder or a BEIR dataset name (e.g. scifact).")
    var dataDir: String

    @Option(help: "The qrels split whose queries are searched.")
    var split = "test"

    @Option(help: "Documents to retrieve per query.")
    var top = 1000

    @Option(help: "BM25 term-frequency saturation.")
    var k1: Float = 0.9

    @Option(help: "BM25 length normalisation.")
    var b: Float = 0.4

    @Option(help: "The TREC run file to write.")
    var out: String

    @Option(help: "Also save the index to this file (binary, reload with BM25Index.load).")
    var saveIndex: String?

    func validate() throws {
        guard top > 0 else { throw ValidationError("--top must be positive, found \(top)") }
        guard k1 >= 0 else { throw ValidationError("--k1 must not be negative, found \(k1)") }
        guard (0...1).contains(b) else { throw ValidationError("--b must be between 0 and 1, found \(b)") }
    }

    func run() async throws {
        let clock = ContinuousClock()
        let start = clock.now
        let dataset = try await DatasetResolver().load(dataDir, splits: [split])
        for warning in dataset.warnings {
            FileHandle.standardError.write(Data((warning.rendered(caret: false) + "\n").utf8))
        }
        let queries = try dataset.queries(split: split)
        let loaded = clock.now
        let index = BM25Index.build(documents: dataset.corpus, k1: k1, b: b)
        let built = clock.now
        let run = index.search(queries, topK: top)
        let searched = clock.now
        try AtomicFile.write(BM25.trecText(run, queries: queries), to: URL(fileURLWithPath: out))
        if let saveIndex { try index.save(to: URL(fileURLWithPath: saveIndex)) }
        let judged = dataset.qrels[split] ?? Qrels()
        let scores = evaluate(qrels: judged, run: run, measures: [.ndcgCut(10), .recall(100)]).mean
        let seconds = { (d: Duration) in formatFixed(Double(d.components.seconds) + Double(d.components.attoseconds) / 1e18, digits: 2) }
        let summary = "bm25 \(dataset.name) \(split): \(index.documentCount) docs, \(queries.count) queries, "
            + "top \(top), k1 \(k1), b \(b) → \(out) "
            + "(load \(seconds(loaded - start)) s, index \(seconds(built - loaded)) s, "
            + "search \(seconds(searched - built)) s); "
            + "nDCG@10 \(formatFixed(scores[.ndcgCut(10)] ?? 0, digits: 4)), R@100 \(formatFixed(scores[.recall(100)] ?? 0, digits: 4))"
        FileHandle.standardError.write(Data((summary + "\n").utf8))
    }

    /// `qid Q0 docid rank score bm25` lines, queries in split order, documents best first.
    static func trecText(_ run: SynthMetrics.Run, queries: [Query]) -> Data {
        var bytes: [UInt8] = []
        bytes.reserveCapacity(run.entryCount * 40)
        let tag = Array(run.name.utf8)
        for query in queries {
            let qid = Array(query.id.utf8)
            for (rank, entry) in (run[query.id] ?? []).enumerated() {
                bytes += qid
                bytes += [0x20, 0x51, 0x30, 0x20]  // " Q0 "
                bytes += entry.docID.utf8
                bytes.append(0x20)
                bytes += String(rank + 1).utf8
                bytes.append(0x20)
                appendScore(entry.score, to: &bytes)
                bytes.append(0x20)
                bytes += tag
                bytes.append(0x0A)
            }
        }
        return Data(bytes)
    }

    /// Appends a score with 6 decimals, as Pyserini writes them (`%.6f`), without `String(format:)`.
    static func appendScore(_ score: Double, to bytes: inout [UInt8]) {
        guard score.isFinite, abs(score) < 1e12 else {
            bytes += String(format: "%.6f", score).utf8
            return
        }
        let scaled = Int64((abs(score) * 1_000_000).rounded())
        if score < 0 && scaled != 0 { bytes.append(0x2D) }
        bytes += String(scaled / 1_000_000).utf8
        bytes.append(0x2E)
        let fraction = String(scaled % 1_000_000)
        bytes += repeatElement(UInt8(0x30), count: 6 - fraction.utf8.count)
        bytes += fraction.utf8
    }
}
