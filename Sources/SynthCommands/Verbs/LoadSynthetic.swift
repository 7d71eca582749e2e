import Foundation
import SynthStore
import SynthSynthesis
import SynthValues

/// `load synthetic`: a synthetic set exported with `export set path="….jsonl.gz"`, back in the notebook and store.
package enum LoadSyntheticCommand: VerbCommand {
    package static let spec = VerbSpec(
        name: "load", subcommand: "synthetic",
        summary: "load an exported synthetic set (.jsonl.gz) and import its stored teacher answers",
        discussion: """
            Reads a portable archive written by `export` (a `synthetic_set` to a `.jsonl.gz` path, or the same \
            file uncompressed), relative to the notebook folder. The result is the set as exported: records with \
            their provenance, counts and steps. The teacher answers it carries are added to the project's \
            response store (`.synthlab/llm.sqlite`; rows already there are kept), so the cells that made the set \
            replay on this machine without the teacher, even with `--offline`. The file's hash is recorded for \
            the cache.
            """,
        keywords: [
            ArgSpec("path", .string, doc: "the archive, relative to the notebook folder"),
            ArgSpec("store", .bool, default: .bool(true), doc: "import the teacher answers into the response store"),
        ],
        result: "synthetic_set",
        example: "queries = load synthetic path=\"data/scifact-queries.jsonl.gz\"")

    package static func run(_ call: VerbCall, context: ExecutionContext) async throws -> VerbOutcome {
        guard let path = call.string("path") else { throw call.error("expected a path") }
        let url = try PathPolicy.readableURL(path, in: context, call: call)
        let data: Data
        do { data = try Data(contentsOf: url) } catch {
            throw call.error("cannot read \(path): no such file")
        }
        let archive = try SyntheticSetArchive.read(data, file: url.path)
        var imported = 0
        if call.bool("store") ?? true, !archive.responses.isEmpty {
            let store = try ResponseStore(path: context.stateFolder.appendingPathComponent("llm.sqlite"))
            for row in archive.responses where try await store.save(row) { imported += 1 }
        }
        let set = archive.set
        let passages = Set(set.records.compactMap { $0.positive?.id }).count
        let text =
            "loaded \(path): \(set.records.count) records (\(set.accepted.count) accepted) for \(passages) passages, "
            + "\(archive.responses.count) teacher answers (\(imported) new in the response store)"
        return VerbOutcome(
            value: .object(set), outputs: [.text(text), .text(cost(archive.responses))],
            filesRead: PathPolicy.hashes(of: [url]))
    }

    /// The teacher cost the archive records: calls, tokens, summed call time and the wall-clock span.
    static func cost(_ responses: [StoredResponse]) -> String {
        guard let first = responses.map(\.createdAt).min(), let last = responses.map(\.createdAt).max() else {
            return "synthesis cost: no teacher answers in the archive"
        }
        let prompt = responses.reduce(0) { $0 + $1.promptTokens }
        let completion = responses.reduce(0) { $0 + $1.completionTokens }
        let seconds = responses.reduce(0) { $0 + $1.latency }
        let span = last.timeIntervalSince(first)
        return String(
            format: "synthesis cost: %d calls, %d prompt + %d completion tokens, %.2f h of summed call time, "
                + "%.2f h from first to last answer (interruptions included)",
            responses.count, prompt, completion, seconds / 3600, span / 3600)
    }
}
