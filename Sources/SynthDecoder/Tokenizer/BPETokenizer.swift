/// Byte-level BPE tokenizer read from GGUF metadata (`tokenizer.ggml.model = gpt2`), matching llama.cpp.
///
/// Encoding: split out special tokens (control and user-defined tokens, longest first), pre-tokenize the
/// rest (``PreTokenizer``), map each piece's UTF-8 bytes to GPT-2's byte alphabet (``ByteLevel``), then merge
/// adjacent symbols by the rank of `tokenizer.ggml.merges` (lowest rank first, leftmost on ties).
///
/// ```swift
/// let tokenizer = try BPETokenizer(gguf: file)
/// tokenizer.encode("Hello world 123", addSpecial: false)   // [19556, 905, 216, 33, 34, 35]
/// tokenizer.decode([19556, 905])                         // "Hello world"
/// ```
package struct BPETokenizer: Sendable {
    /// Token texts in the byte alphabet, by id.
    package let tokens: [String]
    /// `tokenizer.ggml.token_type` by id (1 normal, 2 unknown, 3 control, 4 user-defined, 5 unused, 6 byte).
    package let tokenTypes: [Int32]
    /// Beginning-of-sequence id.
    package let bosTokenID: Int32?
    /// End-of-sequence id.
    package let eosTokenID: Int32?
    /// Whether ``encode(_:addSpecial:parseSpecial:)`` prepends BOS when `addSpecial` is true.
    package let addsBOS: Bool
    /// Whether it appends EOS when `addSpecial` is true.
    package let addsEOS: Bool
    /// Ids that end generation (EOS, `<|endoftext|>`, `<|im_end|>`, `<|eot_id|>`, `<|end|>` when present).
    package let endOfGeneration: Set<Int32>
    /// The pre-tokenizer named by `tokenizer.ggml.pre`.
    package let preTokenizer: PreTokenizer
    /// The Jinja chat template, if the file has one (see ``chatPrompt(_:addGenerationPrompt:)``).
    package let chatTemplate: String?
    private let ids: [String: Int32]
    private let ranks: [String: Int]
    /// Special-token texts, longest first, with their ids.
    private let specials: [(text: String, id: Int32)]

    /// Reads the tokenizer of a GGUF file.
    ///
    /// - Throws: ``GGUFError`` when the tokenizer model is not `gpt2` (byte-level BPE), the pre-tokenizer is
    ///   unknown, or the token/merge arrays are missing.
    package init(gguf: GGUFFile) throws {
        func fail(_ message: String) -> GGUFError { GGUFError(file: gguf.fileName, offset: 0, message) }
        let model = gguf.metadata["tokenizer.ggml.model"]?.string ?? "<none>"
        guard model == "gpt2" else { throw fail("expected tokenizer model \"gpt2\" (byte-level BPE), found \"\(model)\"") }
        let pre = gguf.metadata["tokenizer.ggml.pre"]?.string ?? "default"
        guard let preTokenizer = PreTokenizer(ggufName: pre) else { throw fail("unsupported pre-tokenizer \"\(pre)\"") }
        guard let tokenValues = gguf.metadata["tokenizer.ggml.tokens"]?.array else {
            throw fail("missing metadata \"tokenizer.ggml.tokens\"")
        }
        guard let mergeValues = gguf.metadata["tokenizer.ggml.merges"]?.array else {
            throw fail("missing metadata \"tokenizer.ggml.merges\"")
        }
        let tokens = tokenValues.map { $0.string ?? "" }
        let types = gguf.metadata["tokenizer.ggml.token_type"]?.array?.map { Int32($0.int ?? 1) }
        func id(_ key: String) -> Int32? { gguf.metadata["tokenizer.ggml.\(key)"]?.int.map(Int32.init) }
        try self.init(
            tokens: tokens, tokenTypes: types ?? Array(repeating: 1, count: tokens.count),
            merges: mergeValues.map { $0.string ?? "" }, preTokenizer: preTokenizer, bosTokenID: id("bos_token_id"),
            eosTokenID: id("eos_token_id"), addsBOS: gguf.metadata["tokenizer.ggml.add_bos_token"]?.bool ?? false,
            addsEOS: gguf.metadata["tokenizer.ggml.add_eos_token"]?.bool ?? false,
            chatTemplate: gguf.metadata["tokenizer.chat_template"]?.string)
    }

    /// A tokenizer from its parts (tests, other file formats).
    package init(
        tokens: [String], tokenTypes: [Int32], merges: [String], preTokenizer: PreTokenizer, bosTokenID: Int32?,
        eosTokenID: Int32?, addsBOS: Bool, addsEOS: Bool, chatTemplate: String? = nil
    ) throws {
        self.tokens = tokens
        self.tokenTypes = tokenTypes
        self.preTokenizer = preTokenizer
        self.bosTokenID = bosTokenID
        self.eosTokenID = eosTokenID
        self.addsBOS = addsBOS
        self.addsEOS = addsEOS
        self.chatTemplate = chatTemplate
        var ids: [String: Int32] = [:]
        ids.reserveCapacity(tokens.count)
        for (index, token) in tokens.enumerated() where ids[token] == nil { ids[token] = Int32(index) }
        self.ids = ids
        var ranks: [String: Int] = [:]
        ranks.reserveCapacity(merges.count)
        for (rank, merge) in merges.enumerated() where ranks[merge] == nil { ranks[merge] = rank }
        self.ranks = ranks
        specials = tokens.indices
            .filter { [2, 3, 4].contains(tokenTypes[$0]) && !tokens[$0].isEmpty }
            .map { (tokens[$0], Int32($0)) }
            .sorted { $0.text.utf8.count > $1.text.utf8.count || ($0.text.utf8.count == $1.text.utf8.count && $0.id < $1.id) }
        var stops = Set<Int32>()
        if let eosTokenID { stops.insert(eosTokenID) }
        for text in ["<|endoftext|>", "<|im_end|>", "<|eot_id|>", "<|end|>", "<end_of_turn>"] {
            if let id = ids[text], tokenTypes[Int(id)] == 3 { stops.insert(id) }
        }
        endOfGeneration = stops
    }

    /// Number of tokens.
    package var vocabularySize: Int { tokens.count }

    /// The id of a token text (in the byte alphabet, e.g. `"Ġworld"`), if it exists.
    package func id(of token: String) -> Int32? { ids[token] }

    /// Token ids of `text`, as llama.cpp's `llama_tokenize` (llama-server's `/tokenize`).
    ///
    /// - Parameters:
    ///   - addSpecial: prepend BOS / append EOS as the file's `add_bos_token` / `add_eos_token` say.
    ///   - parseSpecial: recognise special-token texts (`<|im_start|>`) in `text` as single tokens.
    package func encode(_ text: String, addSpecial: Bool, parseSpecial: Bool = true) -> [Int32] {
        var output: [Int32] = []
        if addSpecial, addsBOS, let bosTokenID { output.append(bosTokenID) }
        var fragments: [(text: Substring, special: Int32?)] = [(Substring(text), nil)]
        if parseSpecial {
            for special in specials {
                var next: [(text: Substring, special: Int32?)] = []
                for fragment in fragments {
                    guard fragment.special == nil else {
                        next.append(fragment)
                        continue
                    }
                    var rest = fragment.text
                    while let found = rest.range(of: special.text) {
                        if found.lowerBound > rest.startIndex { next.append((rest[..<found.lowerBound], nil)) }
                        next.append((rest[found], special.id))
                        rest = rest[found.upperBound...]
                    }
                    if !rest.isEmpty { next.append((rest, nil)) }
                }
                fragments = next
            }
        }
        for fragment in fragments {
            if let id = fragment.special {
                output.append(id)
                continue
            }
            for piece in preTokenizer.split(String(fragment.text)) { encodePiece(piece, into: &output) }
        }
        if addSpecial, addsEOS, let eosTokenID { output.append(eosTokenID) }
        return output
    }

    private func encodePiece(_ piece: Substring, into output: inout [Int32]) {
        var symbols = piece.utf8.map { String(Character(ByteLevel.encoder[Int($0)])) }
        if symbols.count > 1 {
            while true {
                var best = Int.max, bestIndex = -1
                for index in 0..<(symbols.count - 1) {
                    if let rank = ranks[symbols[index] + " " + symbols[index + 1]], rank < best {
                        best = rank
                        bestIndex = index
                    }
                }
                if bestIndex < 0 { break }
                symbols[bestIndex] += symbols[bestIndex + 1]
                symbols.remove(at: bestIndex + 1)
                if symbols.count == 1 { break }
            }
        }
        for symbol in symbols {
            if let id = ids[symbol] {
                output.append(id)
            } else {
                for scalar in symbol.unicodeScalars { if let id = ids[String(scalar)] { output.append(id) } }
            }
        }
    }

    /// The text of `tokens`; control tokens are written out when `special` is true and skipped otherwise.
    package func decode(_ tokens: [Int32], special: Bool = true) -> String {
        var bytes: [UInt8] = []
        for token in tokens where token >= 0 && Int(token) < self.tokens.count {
            let text = self.tokens[Int(token)]
            switch tokenTypes[Int(token)] {
            case 3: if special { bytes += Array(text.utf8) }
            case 4: bytes += Array(text.utf8)
            default:
                for scalar in text.unicodeScalars {
                    if let byte = ByteLevel.decoder[scalar.value] {
                        bytes.append(byte)
                    } else {
                        bytes += Array(String(scalar).utf8)
                    }
                }
            }
        }
        return String(decoding: bytes, as: UTF8.self)
    }
}
