import Foundation
import Testing

@testable import SynthModels

/// Unit tests of WordPiece on a small hand-made vocabulary (the BERT paper's example and edge cases).
@Suite struct TokenizerTests {
    static let vocabulary = [
        "[PAD]", "[UNK]", "[CLS]", "[SEP]", "[MASK]", "un", "##aff", "##able", "una", "##ff", "hello", "world",
        ",", "!", "世", "界", "cafe", "a", "##a", "$", "+", "jose", "x", "##y", "##yz", "e", "##s",
    ]

    func tokenizer(lowercase: Bool = true) throws -> WordPieceTokenizer {
        try WordPieceTokenizer(tokens: Self.vocabulary, lowercase: lowercase)
    }

    @Test func greedyLongestMatchFirst() throws {
        let tokenizer = try tokenizer()
        // "una" is longer than "un", so it wins at the start although "un ##aff ##able" also covers the word.
        #expect(tokenizer.tokenize("unaffable") == ["una", "##ff", "##able"])
        // greedy does not backtrack: after "una" nothing matches "ffz", so the whole word is unknown.
        #expect(tokenizer.tokenize("unaffz") == ["[UNK]"])
        #expect(tokenizer.tokenize("unaff") == ["una", "##ff"])
        #expect(tokenizer.tokenize("xyz xy x") == ["x", "##yz", "x", "##y", "x"])
    }

    @Test func wordThatCannotBeCutIsOneUnknown() throws {
        let tokenizer = try tokenizer()
        #expect(tokenizer.tokenize("hello qqq world") == ["hello", "[UNK]", "world"])
        #expect(tokenizer.tokenize("xq") == ["[UNK]"])
    }

    @Test func wordsOverOneHundredScalarsAreUnknown() throws {
        let tokenizer = try tokenizer()
        #expect(tokenizer.tokenize(String(repeating: "a", count: 100)) == ["a"] + Array(repeating: "##a", count: 99))
        #expect(tokenizer.tokenize(String(repeating: "a", count: 101)) == ["[UNK]"])
    }

    @Test func punctuationAndAsciiSymbolsAreSplit() throws {
        let tokenizer = try tokenizer()
        #expect(tokenizer.tokenize("Hello,world!") == ["hello", ",", "world", "!"])
        #expect(tokenizer.tokenize("$x+x") == ["$", "x", "+", "x"])
    }

    @Test func accentsCaseAndCJK() throws {
        let tokenizer = try tokenizer()
        #expect(tokenizer.tokenize("CAFÉ José") == ["cafe", "jose"])
        #expect(tokenizer.tokenize("Cafe\u{301}") == ["cafe"])
        #expect(tokenizer.tokenize("hello世界world") == ["hello", "世", "界", "world"])
        let cased = try self.tokenizer(lowercase: false)
        #expect(cased.tokenize("Hello hello") == ["[UNK]", "hello"])
    }

    @Test func controlCharactersDroppedAndWhitespaceNormalised() throws {
        let tokenizer = try tokenizer()
        #expect(tokenizer.tokenize("hel\u{0}lo\u{7}\tworld\u{200B}\r\n\u{A0}!") == ["hello", "world", "!"])
        #expect(tokenizer.tokenize("") == [])
        #expect(tokenizer.tokenize(" \t\n ") == [])
    }

    @Test func literalSpecialTokensKeepTheirIds() throws {
        let tokenizer = try tokenizer()
        #expect(tokenizer.tokenize("hello[SEP]world [MASK]") == ["hello", "[SEP]", "world", "[MASK]"])
        #expect(tokenizer.tokenize("[sep]") == ["[UNK]", "[UNK]", "[UNK]"])
    }

    @Test func encodeAddsSpecialTokensAndTruncates() throws {
        let tokenizer = try tokenizer()
        #expect(tokenizer.encode("hello world") == [2, 10, 11, 3])
        #expect(tokenizer.encode("hello world !", maxLength: 3) == [2, 10, 3])
        #expect(tokenizer.encode("", maxLength: 8) == [2, 3])
    }

    @Test func pairsTruncateLongestFirst() throws {
        let tokenizer = try tokenizer()
        // room for 4 pieces: the longer text (5 pieces) is cut to 4 - 1 = 3.
        let (ids, types) = tokenizer.encodePair("hello", "x x x x x", maxLength: 7)
        #expect(ids == [2, 10, 3, 22, 22, 22, 3])
        #expect(types == [0, 0, 0, 1, 1, 1, 1])
        // both too long: each keeps half, the second the odd one.
        let both = tokenizer.encodePair("a a a a", "x x x x", maxLength: 8)
        #expect(both.ids == [2, 17, 17, 3, 22, 22, 22, 3])
    }

    @Test func batchPadsAndMasks() throws {
        let tokenizer = try tokenizer()
        let batch = tokenizer.batch(["hello world", ""])
        #expect(batch.inputIds == [[2, 10, 11, 3], [2, 3, 0, 0]])
        #expect(batch.attentionMask == [[1, 1, 1, 1], [1, 1, 0, 0]])
        #expect(batch.lengths == [4, 2])
    }

    @Test func missingSpecialTokenIsAnError() throws {
        #expect(throws: TokenizerError.missingSpecialToken(path: "v.txt", token: "[CLS]")) {
            try WordPieceTokenizer(tokens: ["[PAD]", "[UNK]", "[SEP]"], source: "v.txt")
        }
        let error = TokenizerError.missingSpecialToken(path: "v.txt", token: "[CLS]")
        #expect(error.description == "v.txt: error: expected the special token [CLS] in the vocabulary, found none")
    }

    @Test func duplicateTokensKeepTheLaterId() throws {
        let tokenizer = try WordPieceTokenizer(tokens: Self.vocabulary + ["hello"])
        #expect(tokenizer.id(of: "hello") == Int32(Self.vocabulary.count))
    }
}
