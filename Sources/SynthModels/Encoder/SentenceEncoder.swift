import Foundation
import SynthTensor
import SynthValues

/// A sentence-transformers bi-encoder loaded from its folder: tokenizer, BERT, pooling, normalisation.
///
/// `embed` tokenizes every text (truncating to `maxLength`, 256 for all-MiniLM-L6-v2 by its
/// `sentence_bert_config.json`), sorts the texts by token count so each batch holds texts of similar
/// length (little padding), runs the model batch by batch and returns vectors in input order. The
/// output matches `SentenceTransformer(folder).encode(texts)` (cosine ≥ 0.9999, identical token ids).
///
/// ```swift
/// let encoder = try SentenceEncoder.load(folder: home.appendingPathComponent("models/all-MiniLM-L6-v2"))
/// let vectors = encoder.embed(["a query", "a document"], batchSize: 32)   // 2 × 384, unit length
/// ```
package struct SentenceEncoder: Sendable {
    /// The folder the model was loaded from.
    package var folder: URL
    /// The WordPiece tokenizer of the transformer folder.
    package var tokenizer: WordPieceTokenizer
    /// BERT with pooling and normalisation.
    package var encoder: BiEncoder
    /// The pipeline settings read from the folder.
    package var layout: SentenceTransformerLayout

    /// Creates an encoder from parts (tests, freshly trained models).
    package init(folder: URL, tokenizer: WordPieceTokenizer, encoder: BiEncoder, layout: SentenceTransformerLayout) {
        self.folder = folder
        self.tokenizer = tokenizer
        self.encoder = encoder
        self.layout = layout
    }

    /// Loads a sentence-transformers folder (`modules.json`, `config.json`, `model.safetensors`, `vocab.txt`, …).
    ///
    /// - Throws: ``ModelError`` or ``TokenizerError`` naming the file at fault.
    package static func load(folder: URL) throws -> SentenceEncoder {
        let layout = try SentenceTransformerLayout.read(folder: folder)
        let tokenizer = try layout.wordPieceTokenizer()
        let loaded = try BertModel.load(folder: layout.transformerFolder)
        // Length-sorted batches have many distinct shapes, so an exact-size pool mostly holds idle buffers;
        // a smaller cap keeps peak memory well under 2 GiB without slowing the forward pass.
        let model = BertModel(config: loaded.config, parameters: loaded.parameters,
                              pool: BufferPool(capacityBytes: inferencePoolBytes))
        let encoder = BiEncoder(model: model, pooling: layout.pooling, normalize: layout.normalize)
        return SentenceEncoder(folder: folder, tokenizer: tokenizer, encoder: encoder, layout: layout)
    }

    /// Idle memory the inference buffer pool may keep between batches.
    package static let inferencePoolBytes = 384 << 20

    /// The default model folder, `$SYNTHLAB_HOME/models/all-MiniLM-L6-v2` (`SYNTHLAB_HOME` defaults to
    /// `~/.cache/synthlab`).
    package static func defaultFolder(environment: [String: String] = ProcessInfo.processInfo.environment) -> URL {
        let home = environment["SYNTHLAB_HOME"].map { URL(fileURLWithPath: $0) }
            ?? FileManager.default.homeDirectoryForCurrentUser.appendingPathComponent(".cache/synthlab")
        return home.appendingPathComponent("models/all-MiniLM-L6-v2")
    }

    /// The embedding width.
    package var dimension: Int { encoder.model.config.hiddenSize }

    /// The longest input in tokens the model accepts by its configuration.
    package var maxSeqLength: Int { layout.maxSeqLength }

    /// Token ids of `text` as the model sees them: `[CLS] … [SEP]`, truncated to `maxLength`
    /// (default ``maxSeqLength``, never more than the position table).
    package func tokenize(_ text: String, maxLength: Int? = nil) -> [Int32] {
        let input = layout.lowercaseInput ? text.lowercased() : text
        return tokenizer.encode(input, maxLength: effectiveMaxLength(maxLength))
    }

    /// Embeds `texts`, one vector per text in input order.
    ///
    /// - Parameters:
    ///   - texts: the texts; empty strings are fine (`[CLS] [SEP]`).
    ///   - batchSize: texts per forward pass (after sorting by length).
    ///   - maxLength: token limit including `[CLS]`/`[SEP]`; default ``maxSeqLength``.
    ///   - progress: called after each batch with (texts done, total).
    /// - Returns: `texts.count` vectors of ``dimension`` floats (unit length when the folder normalises).
    /// - Complexity: O(Σ length² · layers) attention plus O(Σ length) dense work; sorting keeps padding small.
    package func embed(
        _ texts: [String], batchSize: Int = 32, maxLength: Int? = nil,
        progress: (@Sendable (Int, Int) -> Void)? = nil
    ) -> [[Float]] {
        let limit = effectiveMaxLength(maxLength)
        return embed(tokenIds: texts.map { tokenize($0, maxLength: limit) }, batchSize: batchSize, progress: progress)
    }

    /// Embeds already tokenized inputs (each `[CLS] … [SEP]`), one vector per input in order.
    package func embed(
        tokenIds: [[Int32]], batchSize: Int = 32, progress: (@Sendable (Int, Int) -> Void)? = nil
    ) -> [[Float]] {
        let order = LengthBatches.order(tokenIds.map(\.count))
        var result = [[Float]](repeating: [], count: tokenIds.count)
        var done = 0
        for batch in LengthBatches.split(order, batchSize: max(1, batchSize)) {
            let padded = TokenBatch(sequences: batch.map { tokenIds[$0] }, padId: tokenizer.padId)
            let vectors = encoder.embed(inputIds: padded.inputIds, attentionMask: padded.attentionMask)
            for (index, vector) in zip(batch, vectors) { result[index] = vector }
            done += batch.count
            progress?(done, tokenIds.count)
        }
        return result
    }

    private func effectiveMaxLength(_ requested: Int?) -> Int {
        max(2, min(requested ?? layout.maxSeqLength, encoder.model.config.maxPositionEmbeddings))
    }
}

/// Batching by length: longest texts first, so each batch pads to nearly its own length.
package enum LengthBatches {
    /// Indices sorted by descending length (stable: ties keep input order).
    package static func order(_ lengths: [Int]) -> [Int] {
        lengths.indices.sorted { lengths[$0] != lengths[$1] ? lengths[$0] > lengths[$1] : $0 < $1 }
    }

    /// Consecutive chunks of `batchSize` indices.
    package static func split(_ order: [Int], batchSize: Int) -> [[Int]] {
        stride(from: 0, to: order.count, by: batchSize).map { Array(order[$0..<min($0 + batchSize, order.count)]) }
    }
}
