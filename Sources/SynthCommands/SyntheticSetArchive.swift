import Foundation
import SynthRetrieval
import SynthStore
import SynthSynthesis
import SynthValues

/// A portable synthetic set: the records with their provenance and the teacher's stored answers,
/// as gzip-compressed JSON Lines (`export set path="data/x.jsonl.gz"`, `load synthetic`).
///
/// The first line is a header (`{"type": "synthetic_set", "format": 1, "kind", "counts", "steps",
/// "records", "responses"}`); then each record as ``SyntheticSet/jsonl()`` writes it, each followed by
/// the response-store rows of its request keys not written yet (`{"type": "llm_response", "key",
/// "model", "request_json", "response_json", "prompt_tokens", "completion_tokens", "latency"}`).
/// Records of one passage sit next to the request that made them, so gzip stores the passage text
/// about once. Importing the rows into another project's `.synthlab/llm.sqlite` lets the notebook
/// that made the set replay it offline, without the teacher.
package struct SyntheticSetArchive: Sendable {
    package var set: SyntheticSet
    package var responses: [StoredResponse]

    package init(set: SyntheticSet, responses: [StoredResponse]) {
        self.set = set
        self.responses = responses
    }

    /// The archive for `set` with every stored response its records' provenance names (missing ones skipped).
    package static func collect(_ set: SyntheticSet, from store: ResponseStore?) async throws -> SyntheticSetArchive {
        var responses: [StoredResponse] = []
        var seen: Set<String> = []
        if let store {
            for record in set.records {
                for key in record.provenance.flatMap(\.requestKeys) where seen.insert(key).inserted {
                    if let row = try await store.response(forKey: key) { responses.append(row) }
                }
            }
        }
        return SyntheticSetArchive(set: set, responses: responses)
    }

    private struct Header: Codable {
        var type = "synthetic_set"
        var format = 1
        var kind: String
        var counts: SynthesisCounts
        var steps: [String]
        var records: Int
        var responses: Int
    }

    private struct ResponseLine: Codable {
        var type = "llm_response"
        var key: String
        var model: String
        var requestJSON: String
        var responseJSON: String
        var promptTokens: Int
        var completionTokens: Int
        var createdAt: Double
        var latency: Double

        enum CodingKeys: String, CodingKey {
            case type, key, model, latency
            case requestJSON = "request_json"
            case responseJSON = "response_json"
            case promptTokens = "prompt_tokens"
            case completionTokens = "completion_tokens"
            case createdAt = "created_at"
        }
    }

    /// The archive as JSON Lines (uncompressed), keys sorted so equal sets give equal bytes.
    package func jsonl() -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        func line(_ value: some Encodable) -> String {
            String(decoding: (try? encoder.encode(value)) ?? Data(), as: UTF8.self) + "\n"
        }
        var text = line(
            Header(
                kind: set.kind, counts: set.counts, steps: set.steps, records: set.records.count,
                responses: responses.count))
        var pending = Dictionary(responses.map { ($0.key, $0) }, uniquingKeysWith: { first, _ in first })
        for record in set.records {
            text += line(record)
            for key in record.provenance.flatMap(\.requestKeys) {
                guard let row = pending.removeValue(forKey: key) else { continue }
                text += line(
                    ResponseLine(
                        key: row.key, model: row.model, requestJSON: row.requestJSON, responseJSON: row.responseJSON,
                        promptTokens: row.promptTokens, completionTokens: row.completionTokens,
                        createdAt: row.createdAt.timeIntervalSince1970, latency: row.latency))
            }
        }
        return text
    }

    /// The gzip-compressed archive.
    package func compressed() throws -> Data {
        do { return try Gzip.compress(Data(jsonl().utf8)) } catch {
            throw Diagnostic(.error, "cannot compress the synthetic set: \(error.message)")
        }
    }

    /// Reads an archive (gzip-compressed or plain JSON Lines).
    ///
    /// - Throws: a ``Diagnostic`` at `file`:line for a missing header or a malformed line.
    package static func read(_ data: Data, file: String) throws -> SyntheticSetArchive {
        let bytes: Data
        if Gzip.isGzip(data) {
            do { bytes = try Gzip.decompress(data) } catch {
                throw Diagnostic(.error, "cannot read \(file): \(error.message)", at: SourceLocation(file: file))
            }
        } else {
            bytes = data
        }
        let decoder = JSONDecoder()
        var header: Header?
        var records: [SyntheticRecord] = []
        var responses: [StoredResponse] = []
        let text = String(decoding: bytes, as: UTF8.self)
        for (index, line) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated()
        where !line.trimmingCharacters(in: .whitespaces).isEmpty {
            let data = Data(line.utf8)
            let at = SourceLocation(file: file, line: index + 1, column: 1)
            if header == nil {
                guard let parsed = try? decoder.decode(Header.self, from: data), parsed.type == "synthetic_set" else {
                    throw Diagnostic(
                        .error, "expected a synthetic set header (an export of a synthetic_set), found another line",
                        at: at)
                }
                header = parsed
            } else if let row = try? decoder.decode(ResponseLine.self, from: data), row.type == "llm_response" {
                responses.append(
                    StoredResponse(
                        key: row.key, model: row.model, requestJSON: row.requestJSON, responseJSON: row.responseJSON,
                        promptTokens: row.promptTokens, completionTokens: row.completionTokens,
                        createdAt: Date(timeIntervalSince1970: row.createdAt), latency: row.latency))
            } else if let record = try? decoder.decode(SyntheticRecord.self, from: data) {
                records.append(record)
            } else {
                throw Diagnostic(.error, "expected a synthetic record or stored response, found malformed line", at: at)
            }
        }
        guard let header else {
            throw Diagnostic(
                .error, "expected a synthetic set header, found an empty file", at: SourceLocation(file: file))
        }
        guard header.records == records.count else {
            throw Diagnostic(
                .error, "expected \(header.records) records, found \(records.count) (truncated file?)",
                at: SourceLocation(file: file))
        }
        let set = SyntheticSet(kind: header.kind, records: records, counts: header.counts, steps: header.steps)
        return SyntheticSetArchive(set: set, responses: responses)
    }
}
