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
        let url = PathPolicy.resolve(path, in: context)
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
        let text =
            "loaded \(path): \(set.records.count) records (\(set.accepted.count) accepted), "
            + "\(archive.responses.count) teacher answers (\(imported) new in the response store)"
        return VerbOutcome(value: .object(set), outputs: [.text(text)], filesRead: PathPolicy.hashes(of: [url]))
    }
}
