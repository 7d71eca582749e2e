import Foundation
import SynthRetrieval
import SynthStore
import SynthSynthesis
import SynthValues

/// `export`: writes a value to a file under the project or output folder (JSONL, JSON or a TREC run).
package enum ExportCommand: VerbCommand {
    package static let spec = VerbSpec(
        name: "export",
        summary: "write a value to a file as JSON Lines, JSON or a TREC run, inside the project",
        discussion: """
            The format follows the file extension unless `format` is given: `.jsonl` writes one line per item \
            (list items, dataset queries, run rows), `.json` the whole value, `.trec`/`.run` a TREC run \
            (`qid Q0 docid rank score tag`; runs only). Relative paths are inside the notebook folder; paths \
            that leave the project and output folders (`..`, absolute paths elsewhere) are refused unless the \
            run allows unsafe writes. A further `.gz` (`x.jsonl.gz`) compresses the file with gzip; a \
            `synthetic_set` exported that way becomes a portable archive: a header with its counts and steps, \
            its records with their provenance (teacher, template hash, request keys) and the stored teacher \
            answers of those requests, so `load synthetic` can bring it back on another machine and the \
            notebook that made it replays offline. A `synthetic_set`'s accepted records can also be written \
            for trainers elsewhere: `format="beir"` makes `path` a BEIR folder (`corpus.jsonl` with every \
            positive and hard negative, `queries.jsonl`, `qrels/train.tsv` with the positives), and \
            `format="sentence-transformers"` a JSONL of `anchor`/`positive`/`negative` rows (pointwise labels: \
            `sentence1`/`sentence2`/`score`) for sentence-transformers' losses. Files are written atomically. \
            Returns the absolute path written.
            """,
        positional: [ArgSpec("value", .any, doc: "the value to write")],
        keywords: [
            ArgSpec("path", .string, doc: "the file to write, relative to the notebook folder"),
            ArgSpec(
                "format", .choice(["auto", "jsonl", "json", "trec", "beir", "sentence-transformers"]),
                default: .string("auto"),
                doc: "the file format (`auto`: from the extension; `beir` and `sentence-transformers`: synthetic sets)"),
            ArgSpec("tag", .string, default: .string("synthlab"), doc: "the run tag column of TREC runs"),
        ],
        result: "string",
        example: "export [{id: \"q1\", text: \"a claim\"}] path=\"reports/queries.jsonl.gz\"")

    package static func run(_ call: VerbCall, context: ExecutionContext) async throws -> VerbOutcome {
        guard let path = call.string("path") else { throw call.error("expected a path") }
        let url = try PathPolicy.writableURL(path, in: context, call: call)
        var format = call.string("format") ?? "auto"
        let compressed = url.pathExtension.lowercased() == "gz"
        let named = compressed ? url.deletingPathExtension() : url
        if format == "auto" {
            switch named.pathExtension.lowercased() {
            case "jsonl", "ndjson": format = "jsonl"
            case "json": format = "json"
            case "trec", "run", "txt": format = "trec"
            default:
                throw call.error(
                    "expected a path ending in .jsonl, .json or .trec (optionally .gz), "
                        + "found \"\(url.lastPathComponent)\"",
                    notes: ["or give format=\"jsonl\", \"json\" or \"trec\""])
            }
        }
        let value = call["value"] ?? .null
        if format == "beir" || format == "sentence-transformers" {
            guard case .object(let set as SyntheticSet) = value else {
                throw call.error("expected a synthetic_set for format=\"\(format)\", found \(value.typeName)")
            }
            return try exportForTrainers(set, format: format, to: url, path: path)
        }
        if compressed, format == "jsonl", case .object(let set as SyntheticSet) = value {
            let store = try? ResponseStore(path: context.stateFolder.appendingPathComponent("llm.sqlite"))
            let archive = try await SyntheticSetArchive.collect(set, from: store)
            try AtomicFile.write(try archive.compressed(), to: url)
            return VerbOutcome(
                value: .string(url.path),
                outputs: [
                    .text(
                        "wrote \(path): \(set.records.count) records, "
                            + "\(archive.responses.count) stored teacher answers")
                ])
        }
        let text: String
        switch format {
        case "json": text = value.exportedJSONText + "\n"
        case "jsonl":
            let lines: [Value]
            switch value {
            case .list(let items): lines = items
            case .object(let object as any JSONExportable): lines = object.jsonLines
            default: lines = [value]
            }
            text = lines.map { $0.exportedJSONText + "\n" }.joined()
        default:
            guard case .object(let object as any TRECExportable) = value else {
                throw call.error("expected a run for a TREC file, found \(value.typeName)")
            }
            text = object.trecLines(tag: call.string("tag") ?? "synthlab")
        }
        if compressed {
            do { try AtomicFile.write(try Gzip.compress(Data(text.utf8)), to: url) } catch let error as GzipError {
                throw call.error("cannot compress \(path): \(error.message)")
            }
        } else {
            try AtomicFile.write(text, to: url)
        }
        return VerbOutcome(value: .string(url.path), outputs: [.text("wrote \(path)")])
    }
}

extension ExportCommand {
    /// A synthetic set as a BEIR folder or sentence-transformers rows.
    static func exportForTrainers(_ set: SyntheticSet, format: String, to url: URL, path: String) throws -> VerbOutcome {
        func lines(_ values: [Value]) -> String { values.map { $0.exportedJSONText + "\n" }.joined() }
        if format == "beir" {
            let beir = set.beirExport()
            try AtomicFile.write(lines(beir.corpus), to: url.appendingPathComponent("corpus.jsonl"))
            try AtomicFile.write(lines(beir.queries), to: url.appendingPathComponent("queries.jsonl"))
            try AtomicFile.write(beir.qrels, to: url.appendingPathComponent("qrels/train.tsv"))
            let text = "wrote \(path)/: \(beir.queries.count) queries, \(beir.corpus.count) passages (BEIR)"
            return VerbOutcome(value: .string(url.path), outputs: [.text(text)])
        }
        let rows = set.sentenceTransformerRows
        try AtomicFile.write(lines(rows), to: url)
        return VerbOutcome(
            value: .string(url.path), outputs: [.text("wrote \(path): \(rows.count) sentence-transformers rows")])
    }
}

/// A domain object that can be written as a TREC run file.
package protocol TRECExportable: DomainObject {
    /// The run as TREC lines (`qid Q0 docid rank score tag`), each ending in a newline.
    func trecLines(tag: String) -> String
}
