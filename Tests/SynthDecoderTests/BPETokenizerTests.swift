import Foundation
import Testing

@testable import SynthDecoder

/// Token ids equal llama-server's `/tokenize` on the same GGUF, and decoding round-trips.
@Suite(.serialized, .enabled(if: DecoderFixtures.available))
struct BPETokenizerTests {
    static let texts = [
        "Hello world 123", "Hello world 123 <|im_start|>user\n  foo\n\nbar", "", " ", "   leading spaces",
        "trailing spaces   ", "tabs\tand\r\nwindows lines", "It's, we're, they'll, I'd, you've, I'm — don't!",
        "Numbers: 3.14159, 1,000,000 and 2026-12-01T02:20Z", "naïve café résumé Ünïcödé", "日本語のテキストと中文",
        "emoji 👩‍💻🚀 and symbols ©®™ ≤≥ ∑∫", "def f(x):\n    return x ** 2  # square\n",
        "<|im_start|>system\nYou are helpful<|im_end|>\n<|im_start|>user\nhi<|im_end|>\n<|im_start|>assistant\n",
        "<|endoftext|>text after end", "MixedCASE wordsWithCamelCase and UPPER", "a\n\n\nb", "x  \n  y", "'''quotes'''",
        "Scientific claim: 0-dimensional biomaterials show inductive properties.",
        "https://example.org/path?q=1&r=two#frag", "١٢٣ Arabic digits and Ⅻ roman numeral", "\u{00A0}nbsp and\u{2003}em space",
    ]

    @Test func encodingMatchesLlamaServer() async throws {
        let tokenizer = DecoderFixtures.model.tokenizer
        let server = try await DecoderFixtures.server()
        var mismatches: [String] = []
        for text in Self.texts {
            let expected = try await DecoderFixtures.serverTokens(server, text)
            let ours = tokenizer.encode(text, addSpecial: false)
            if ours != expected { mismatches.append("\(text.debugDescription): ours \(ours), llama.cpp \(expected)") }
        }
        await server.stop()
        #expect(mismatches.isEmpty, "\(mismatches.joined(separator: "\n"))")
    }

    @Test func decodingRoundTrips() {
        let tokenizer = DecoderFixtures.model.tokenizer
        for text in Self.texts { #expect(tokenizer.decode(tokenizer.encode(text, addSpecial: false)) == text) }
        #expect(tokenizer.decode([1, 4093], special: false) == "user")
    }

    @Test func knownIdsAndSpecialTokens() {
        let tokenizer = DecoderFixtures.model.tokenizer
        #expect(tokenizer.encode("Hello world 123", addSpecial: true) == [19556, 905, 216, 33, 34, 35])
        #expect(tokenizer.encode("<|im_start|>", addSpecial: false) == [1])
        #expect(tokenizer.encode("<|im_start|>", addSpecial: false, parseSpecial: false).count > 1)
        #expect(tokenizer.endOfGeneration == [0, 2])
    }

    @Test func chatPromptMatchesLlamaServerTemplate() async throws {
        let tokenizer = DecoderFixtures.model.tokenizer
        let server = try await DecoderFixtures.server()
        let messages: [[String: String]] = [["role": "user", "content": "hi"]]
        let answer = try await DecoderFixtures.post(server, "/apply-template", ["messages": messages])
        let withSystem = try await DecoderFixtures.post(
            server, "/apply-template",
            ["messages": [["role": "system", "content": "Be brief."], ["role": "user", "content": "hi"]]])
        await server.stop()
        #expect(tokenizer.chatPrompt([.init(role: "user", content: "hi")]) == answer["prompt"] as? String)
        #expect(
            tokenizer.chatPrompt([.init(role: "system", content: "Be brief."), .init(role: "user", content: "hi")])
                == withSystem["prompt"] as? String)
    }
}
