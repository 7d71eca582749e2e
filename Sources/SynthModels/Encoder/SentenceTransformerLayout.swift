import Foundation

/// What a sentence-transformers model folder says about its pipeline: where the transformer lives,
/// how tokens are pooled, whether vectors are normalised, and the tokenizer settings.
///
/// Reads `modules.json` (`Transformer → Pooling → Normalize`), `sentence_bert_config.json`
/// (`max_seq_length`, `do_lower_case`), the pooling module's `config.json` and `tokenizer_config.json`
/// (`do_lower_case`, `strip_accents`, `tokenize_chinese_chars`). A plain Hugging Face BERT folder without
/// `modules.json` is read as sentence-transformers does: mean pooling, no normalisation.
package struct SentenceTransformerLayout: Sendable, Equatable {
    /// The folder holding `config.json`, `model.safetensors` and `vocab.txt`.
    package var transformerFolder: URL
    /// Pooling of token vectors.
    package var pooling: Pooling
    /// Whether a `Normalize` module follows pooling.
    package var normalize: Bool
    /// Longest input in tokens, `[CLS]` and `[SEP]` included.
    package var maxSeqLength: Int
    /// sentence-transformers' own lower-casing before tokenization (`do_lower_case` of `sentence_bert_config.json`).
    package var lowercaseInput: Bool
    /// The tokenizer's lower-casing (`do_lower_case` of `tokenizer_config.json`, default true).
    package var tokenizerLowercase: Bool
    /// The tokenizer's accent stripping (`nil`: follows lower-casing).
    package var stripAccents: Bool?
    /// Whether CJK ideographs are isolated.
    package var splitCJK: Bool
    /// Rows of the model's word embeddings (`vocab_size` of `config.json`): the tokenizer may not name more.
    package var vocabSize: Int
    /// Rows of the model's position embeddings (`max_position_embeddings`): no input may be longer.
    package var positionLimit: Int

    /// Reads the layout of `folder`.
    ///
    /// - Throws: ``ModelError`` when the folder does not exist, a JSON file is malformed or the pooling
    ///   mode is not mean or CLS.
    package static func read(folder: URL) throws -> SentenceTransformerLayout {
        guard FileManager.default.fileExists(atPath: folder.path) else {
            throw ModelError.io(path: folder.path, reason: "no such model folder")
        }
        var transformerFolder = folder
        var pooling = Pooling.mean
        var normalize = false
        let modulesURL = folder.appendingPathComponent("modules.json")
        if FileManager.default.fileExists(atPath: modulesURL.path) {
            let modules = try decode([Module].self, from: modulesURL)
            for module in modules {
                let path = module.path.isEmpty ? folder : folder.appendingPathComponent(module.path)
                switch module.type.split(separator: ".").last.map(String.init) ?? module.type {
                case "Transformer":
                    transformerFolder = path
                case "Pooling":
                    pooling = try readPooling(path.appendingPathComponent("config.json"))
                case "Normalize":
                    normalize = true
                default:
                    throw ModelError.malformed(path: modulesURL.path,
                                               expected: "modules Transformer, Pooling or Normalize",
                                               found: module.type)
                }
            }
        }
        let bertConfig = try BertConfig.load(from: transformerFolder.appendingPathComponent("config.json"))
        let tokenizerConfig = try optional(TokenizerConfig.self, transformerFolder, "tokenizer_config.json")
        let sentenceConfig = try optional(SentenceBertConfig.self, transformerFolder, "sentence_bert_config.json")
        // The model reads no more tokens than it has position embeddings, whatever the files say
        // (`model_max_length` may be a huge float, so the bound is taken before converting to Int).
        let declared = sentenceConfig?.maxSeqLength.map(Double.init) ?? tokenizerConfig?.modelMaxLength
        let maxSeqLength = Int(min(declared ?? .infinity, Double(bertConfig.maxPositionEmbeddings)))
        return SentenceTransformerLayout(
            transformerFolder: transformerFolder, pooling: pooling, normalize: normalize,
            maxSeqLength: maxSeqLength,
            lowercaseInput: sentenceConfig?.doLowerCase ?? false,
            tokenizerLowercase: tokenizerConfig?.doLowerCase ?? true,
            stripAccents: tokenizerConfig?.stripAccents,
            splitCJK: tokenizerConfig?.tokenizeChineseChars ?? true, vocabSize: bertConfig.vocabSize,
            positionLimit: bertConfig.maxPositionEmbeddings)
    }

    /// The transformer folder's `vocab.txt` as a WordPiece tokenizer with this layout's settings, whose
    /// encodings never exceed the model's position embeddings.
    ///
    /// - Throws: ``TokenizerError`` naming the vocabulary file at fault, or ``ModelError`` when it holds more
    ///   tokens than the model has word embeddings.
    package func wordPieceTokenizer() throws -> WordPieceTokenizer {
        let vocabURL = transformerFolder.appendingPathComponent("vocab.txt")
        var tokenizer = try WordPieceTokenizer(
            vocabURL: vocabURL, lowercase: tokenizerLowercase, stripAccents: stripAccents, splitCJK: splitCJK)
        guard tokenizer.vocabularySize <= vocabSize else {
            throw ModelError.malformed(
                path: vocabURL.path, expected: "at most \(vocabSize) tokens (vocab_size of config.json)",
                found: "\(tokenizer.vocabularySize)")
        }
        tokenizer.positionLimit = positionLimit
        return tokenizer
    }

    // MARK: - Files

    private struct Module: Decodable {
        var path: String
        var type: String
    }

    private struct PoolingConfig: Decodable {
        var pooling_mode_cls_token: Bool?
        var pooling_mode_mean_tokens: Bool?
        var pooling_mode_max_tokens: Bool?
        var pooling_mode_mean_sqrt_len_tokens: Bool?
    }

    private struct TokenizerConfig: Decodable {
        var doLowerCase: Bool?
        var stripAccents: Bool?
        var tokenizeChineseChars: Bool?
        var modelMaxLength: Double?
        enum CodingKeys: String, CodingKey {
            case doLowerCase = "do_lower_case", stripAccents = "strip_accents"
            case tokenizeChineseChars = "tokenize_chinese_chars", modelMaxLength = "model_max_length"
        }
    }

    private struct SentenceBertConfig: Decodable {
        var maxSeqLength: Int?
        var doLowerCase: Bool?
        enum CodingKeys: String, CodingKey { case maxSeqLength = "max_seq_length", doLowerCase = "do_lower_case" }
    }

    private static func readPooling(_ url: URL) throws -> Pooling {
        let config = try decode(PoolingConfig.self, from: url)
        let modes = [
            ("mean", config.pooling_mode_mean_tokens), ("cls", config.pooling_mode_cls_token),
            ("max", config.pooling_mode_max_tokens), ("mean_sqrt_len", config.pooling_mode_mean_sqrt_len_tokens),
        ].filter { $0.1 == true }.map(\.0)
        switch modes {
        case ["mean"]: return .mean
        case ["cls"]: return .cls
        default:
            throw ModelError.malformed(path: url.path, expected: "exactly one pooling mode, mean or cls",
                                       found: modes.isEmpty ? "none" : modes.joined(separator: " + "))
        }
    }

    private static func optional<T: Decodable>(_ type: T.Type, _ folder: URL, _ name: String) throws -> T? {
        let url = folder.appendingPathComponent(name)
        guard FileManager.default.fileExists(atPath: url.path) else { return nil }
        return try decode(type, from: url)
    }

    private static func decode<T: Decodable>(_ type: T.Type, from url: URL) throws -> T {
        let data: Data
        do {
            data = try Data(contentsOf: url)
        } catch {
            throw ModelError.io(path: url.path, reason: "no such file or unreadable")
        }
        do {
            return try JSONDecoder().decode(type, from: data)
        } catch {
            throw ModelError.malformed(path: url.path, expected: "valid JSON for \(url.lastPathComponent)",
                                       found: String(describing: error).prefix(120).description)
        }
    }
}
