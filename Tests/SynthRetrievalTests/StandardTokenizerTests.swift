import Testing

@testable import SynthRetrieval

@Suite struct StandardTokenizerTests {
    @Test(arguments: [
        ("The p53 gene's 3.5-fold rise, e.g. in vitro", ["The", "p53", "gene's", "3.5", "fold", "rise", "e.g", "in", "vitro"]),
        ("don't stop 1,000,000 times; 10.5.3", ["don't", "stop", "1,000,000", "times", "10.5.3"]),
        ("foo_bar __init__ a-b c/d", ["foo_bar", "__init__", "a", "b", "c", "d"]),
        ("IL-6 (interleukin-6) TNF-α", ["IL", "6", "interleukin", "6", "TNF", "α"]),
        ("end. Next.", ["end", "Next"]),
        ("user@example.com http://x.org/a", ["user", "example.com", "http", "x.org", "a"]),
        ("a:b ratio 3:1", ["a:b", "ratio", "3", "1"]),
        ("café naïve Ελληνικά", ["café", "naïve", "Ελληνικά"]),
        ("日本語テキストです", ["日", "本", "語", "テキスト", "で", "す"]),
        ("it’s O’Neil's", ["it’s", "O’Neil's"]),
        ("", []),
        ("  ,.;!  ", []),
        ("x'", ["x"]),
    ])
    func tokens(_ text: String, _ expected: [String]) {
        #expect(StandardTokenizer.tokens(text) == expected)
    }

    @Test func combiningMarksStayAttached() {
        #expect(StandardTokenizer.tokens("cafe\u{301} ok") == ["cafe\u{301}", "ok"])
    }

    @Test func longTokensAreCutAt255Characters() {
        let long = String(repeating: "a", count: 600)
        #expect(StandardTokenizer.tokens(long).map(\.count) == [255, 255, 90])
    }
}
