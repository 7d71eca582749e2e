/// A WordPiece vocabulary: token strings by id, and a byte trie for longest-prefix lookups.
///
/// Tokens are compared as UTF-8 bytes, not as Swift `String`s, because `String` equality is
/// canonical equivalence ("é" equals "e\u{301}") while WordPiece matches exact code points.
/// When a token appears twice, the later id wins, as in Hugging Face's `load_vocab`.
///
/// - Complexity: building is O(total bytes); ``longestMatch(_:from:to:continuation:)`` is O(match length).
struct WordPieceVocabulary: Sendable {
    /// Token strings, indexed by id.
    let tokens: [String]
    /// Child node of (node << 8 | byte).
    private var children: [Int: Int32] = [:]
    /// Token id ending at each node, or -1.
    private var terminal: [Int32] = [-1]
    /// The node reached by the continuation prefix (`##`), if any token starts with it.
    private(set) var continuationRoot: Int32? = nil

    /// Builds the trie over `tokens`; `continuingPrefix` marks word-internal pieces.
    init(tokens: [String], continuingPrefix: String = "##") {
        self.tokens = tokens
        for (id, token) in tokens.enumerated() {
            var node: Int32 = 0
            for byte in token.utf8 { node = child(of: node, byte, create: true) }
            terminal[Int(node)] = Int32(id)
        }
        var node: Int32? = 0
        for byte in continuingPrefix.utf8 {
            if let current = node { node = children[Int(current) << 8 | Int(byte)] }
        }
        continuationRoot = node
    }

    private mutating func child(of node: Int32, _ byte: UInt8, create: Bool) -> Int32 {
        let key = Int(node) << 8 | Int(byte)
        if let next = children[key] { return next }
        let next = Int32(terminal.count)
        terminal.append(-1)
        children[key] = next
        return next
    }

    /// The id of an exact token, or `nil`.
    func id(of token: String) -> Int32? {
        var node: Int32 = 0
        for byte in token.utf8 {
            guard let next = children[Int(node) << 8 | Int(byte)] else { return nil }
            node = next
        }
        let id = terminal[Int(node)]
        return id >= 0 ? id : nil
    }

    /// The longest token that is a prefix of `bytes[start..<end]`, searched from the word root or,
    /// when `continuation` is true, after the `##` prefix.
    ///
    /// - Returns: the token id and the end offset of the match, or `nil` when no token matches.
    func longestMatch(_ bytes: [UInt8], from start: Int, to end: Int, continuation: Bool) -> (id: Int32, end: Int)? {
        var node: Int32
        if continuation {
            guard let root = continuationRoot else { return nil }
            node = root
        } else {
            node = 0
        }
        var best: (id: Int32, end: Int)? = nil
        var position = start
        while position < end {
            guard let next = children[Int(node) << 8 | Int(bytes[position])] else { break }
            node = next
            position += 1
            let id = terminal[Int(node)]
            if id >= 0 { best = (id, position) }
        }
        return best
    }
}
