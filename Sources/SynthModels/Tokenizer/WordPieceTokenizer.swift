import Foundation

/// BERT's WordPiece tokenizer, token-for-token identical to Hugging Face's `BertTokenizer(Fast)`.
///
/// Text goes through ``BasicTokenizer`` (cleaning, CJK isolation, accent stripping, lower-casing,
/// whitespace and punctuation splitting), then each word is cut greedily into the longest
/// vocabulary pieces from the left, continuation pieces carrying the `##` prefix. A word longer
/// than 100 scalars, or one that cannot be cut, becomes a single `[UNK]`. Literal special tokens
/// in the raw text (`[CLS]`, `[SEP]`, `[PAD]`, `[UNK]`, `[MASK]`) map to their ids unnormalised,
/// as the `tokenizers` library does for added tokens.
///
/// ```swift
/// let tokenizer = try WordPieceTokenizer(vocabURL: folder.appendingPathComponent("vocab.txt"))
/// tokenizer.tokenize("Unaffable!")          // ["una", "##ffa", "##ble", "!"]
/// tokenizer.encode("Hello", maxLength: 256) // [101, 7592, 102]
/// ```
package struct WordPieceTokenizer: Sendable {
    private let vocabulary: WordPieceVocabulary
    private let basic: BasicTokenizer
    /// Literal special tokens recognised in raw text, with their ids.
    private let specialTokens: [(text: [Unicode.Scalar], id: Int32)]

    /// Words longer than this many scalars become `[UNK]`.
    package let maxCharactersPerWord: Int
    /// Id of `[CLS]`, which starts every encoded sequence.
    package let clsId: Int32
    /// Id of `[SEP]`, which ends every encoded text.
    package let sepId: Int32
    /// Id of `[PAD]`, used to pad batches.
    package let padId: Int32
    /// Id of `[UNK]`.
    package let unkId: Int32
    /// The longest sequence the model behind this tokenizer can read (its `max_position_embeddings`):
    /// ``encode(_:maxLength:)`` and ``encodePair(_:_:maxLength:)`` never return more tokens, whatever
    /// `maxLength` asks. Unlimited for a tokenizer made from a vocabulary alone.
    package var positionLimit = Int.max

    /// Loads a `vocab.txt` (one token per line, the line number is the id).
    ///
    /// - Parameters:
    ///   - vocabURL: the vocabulary file.
    ///   - lowercase: lower-case text first (uncased models; `do_lower_case` in `tokenizer_config.json`).
    ///   - stripAccents: remove accents; `nil` follows `lowercase`, as BERT does.
    ///   - splitCJK: isolate CJK ideographs (`tokenize_chinese_chars`).
    /// - Throws: ``TokenizerError`` when the file cannot be read or lacks `[CLS]`, `[SEP]`, `[PAD]` or `[UNK]`.
    package init(vocabURL: URL, lowercase: Bool = true, stripAccents: Bool? = nil, splitCJK: Bool = true) throws {
        let text: String
        do {
            text = try String(contentsOf: vocabURL, encoding: .utf8)
        } catch {
            throw TokenizerError.unreadableVocabulary(path: vocabURL.path, reason: error.localizedDescription)
        }
        var tokens = text.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        if tokens.last == "" { tokens.removeLast() }
        try self.init(tokens: tokens, lowercase: lowercase, stripAccents: stripAccents, splitCJK: splitCJK,
                      source: vocabURL.path)
    }

    /// Builds a tokenizer from tokens in id order.
    ///
    /// - Throws: ``TokenizerError/missingSpecialToken(path:token:)`` when a required special token is absent.
    package init(
        tokens: [String], lowercase: Bool = true, stripAccents: Bool? = nil, splitCJK: Bool = true,
        source: String = "<vocabulary>"
    ) throws {
        let vocabulary = WordPieceVocabulary(tokens: tokens)
        func required(_ token: String) throws -> Int32 {
            guard let id = vocabulary.id(of: token) else {
                throw TokenizerError.missingSpecialToken(path: source, token: token)
            }
            return id
        }
        self.vocabulary = vocabulary
        basic = BasicTokenizer(lowercase: lowercase, stripAccents: stripAccents ?? lowercase, splitCJK: splitCJK)
        maxCharactersPerWord = 100
        clsId = try required("[CLS]")
        sepId = try required("[SEP]")
        padId = try required("[PAD]")
        unkId = try required("[UNK]")
        specialTokens = ["[CLS]", "[SEP]", "[PAD]", "[UNK]", "[MASK]"].compactMap { token in
            vocabulary.id(of: token).map { (Array(token.unicodeScalars), $0) }
        }
    }

    /// The number of tokens in the vocabulary.
    package var vocabularySize: Int { vocabulary.tokens.count }

    /// The token string of an id (`[UNK]` for an id out of range).
    package func token(for id: Int32) -> String {
        vocabulary.tokens.indices.contains(Int(id)) ? vocabulary.tokens[Int(id)] : vocabulary.tokens[Int(unkId)]
    }

    /// The id of an exact vocabulary token, or `nil`.
    package func id(of token: String) -> Int32? { vocabulary.id(of: token) }

    // MARK: - Tokenizing

    /// WordPiece ids of `text`, without `[CLS]`/`[SEP]` and without truncation.
    package func tokenIds(_ text: String) -> [Int32] {
        var ids: [Int32] = []
        var bytes: [UInt8] = []
        let scalars = Array(text.unicodeScalars)
        var segmentStart = 0
        var index = 0
        while index < scalars.count {
            if scalars[index] == "[", let special = specialToken(at: index, in: scalars) {
                appendWordPieces(scalars[segmentStart..<index], to: &ids, bytes: &bytes)
                ids.append(special.id)
                index += special.length
                segmentStart = index
            } else {
                index += 1
            }
        }
        appendWordPieces(scalars[segmentStart..<scalars.count], to: &ids, bytes: &bytes)
        return ids
    }

    /// WordPiece token strings of `text` (continuation pieces start with `##`).
    package func tokenize(_ text: String) -> [String] { tokenIds(text).map { token(for: $0) } }

    /// `[CLS]` + the pieces of `text` + `[SEP]`, truncated so the whole fits in `maxLength` and
    /// ``positionLimit`` (at least 2).
    package func encode(_ text: String, maxLength: Int = 512) -> [Int32] {
        let pieces = tokenIds(text)
        let keep = min(pieces.count, max(0, min(maxLength, positionLimit) - 2))
        return [clsId] + pieces[0..<keep] + [sepId]
    }

    /// `[CLS] a [SEP] b [SEP]` with segment ids, truncated longest-first to `maxLength` (and
    /// ``positionLimit``) as `tokenizers` does.
    ///
    /// When both texts must be cut, each keeps half of the room (the second gets the odd token);
    /// otherwise only the longer one is cut.
    package func encodePair(
        _ first: String, _ second: String, maxLength: Int = 512
    ) -> (ids: [Int32], typeIds: [Int32]) {
        var a = tokenIds(first)
        var b = tokenIds(second)
        let room = max(0, min(maxLength, positionLimit) - 3)
        if a.count + b.count > room {
            let swap = a.count > b.count
            var n1 = swap ? b.count : a.count
            var n2: Int
            n2 = n1 > room ? n1 : max(n1, room - n1)
            if n1 + n2 > room {
                n1 = room / 2
                n2 = n1 + room % 2
            }
            if swap { (n1, n2) = (n2, n1) }
            a = Array(a.prefix(n1))
            b = Array(b.prefix(n2))
        }
        let ids = [clsId] + a + [sepId] + b + [sepId]
        let typeIds = Array(repeating: Int32(0), count: a.count + 2) + Array(repeating: Int32(1), count: b.count + 1)
        return (ids, typeIds)
    }

    /// Encodes each text with ``encode(_:maxLength:)`` and pads them into one ``TokenBatch``.
    package func batch(_ texts: [String], maxLength: Int = 512) -> TokenBatch {
        TokenBatch(sequences: texts.map { encode($0, maxLength: maxLength) }, padId: padId)
    }

    /// Encodes pairs with ``encodePair(_:_:maxLength:)`` and pads them into one ``TokenBatch``.
    package func batch(pairs: [(String, String)], maxLength: Int = 512) -> TokenBatch {
        let encoded = pairs.map { encodePair($0.0, $0.1, maxLength: maxLength) }
        return TokenBatch(sequences: encoded.map(\.ids), typeIds: encoded.map(\.typeIds), padId: padId)
    }

    // MARK: - Internals

    private func specialToken(at index: Int, in scalars: [Unicode.Scalar]) -> (id: Int32, length: Int)? {
        for special in specialTokens where index + special.text.count <= scalars.count {
            var matches = true
            for offset in 0..<special.text.count where scalars[index + offset] != special.text[offset] {
                matches = false
                break
            }
            if matches { return (special.id, special.text.count) }
        }
        return nil
    }

    private func appendWordPieces(_ segment: ArraySlice<Unicode.Scalar>, to ids: inout [Int32], bytes: inout [UInt8]) {
        guard !segment.isEmpty else { return }
        bytes.removeAll(keepingCapacity: true)
        for word in basic.words(segment, into: &bytes) {
            if word.scalarCount > maxCharactersPerWord {
                ids.append(unkId)
                continue
            }
            let mark = ids.count
            var start = word.start
            while start < word.end {
                guard let match = vocabulary.longestMatch(bytes, from: start, to: word.end,
                                                          continuation: start > word.start)
                else {
                    ids.removeSubrange(mark...)
                    ids.append(unkId)
                    break
                }
                ids.append(match.id)
                start = match.end
            }
        }
    }
}
