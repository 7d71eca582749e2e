import SynthValues
import Testing

@testable import SynthNotebook

@Suite struct NotebookParserTests {
    static let sample = """
        ---
        title: "BM25 <baseline>"
        author: Ada
        params:
          k1: 0.9
          top_k: 100
          name: scifact
          fast: true
          seed: {type: int, default: 13}
        ---

        # Intro

        Some *prose* and <script>alert(1)</script> raw HTML.

        ```synth
        #| label: load
        #| cache: false
        data = load scifact
        ```

        ## Results

        ```python
        not a cell
        ```

        ```synth
        print 1
        ```
        """

    @Test func readsFrontMatterCellsAndProse() throws {
        let notebook = try NotebookParser.parse(Self.sample, path: "nb.md")
        #expect(notebook.title == "BM25 <baseline>")
        #expect(notebook.author == "Ada")
        #expect(notebook.params.map(\.name) == ["k1", "top_k", "name", "fast", "seed"])
        #expect(notebook.params.map(\.kind) == [.number, .int, .string, .bool, .int])
        #expect(notebook.params.map(\.defaultValue) == [.number(0.9), .int(100), .string("scifact"), .bool(true), .int(13)])
        #expect(notebook.params[1].location == SourceLocation(file: "nb.md", line: 6, column: 3))
        let cells = notebook.cells
        #expect(cells.count == 2)
        #expect(cells[0].label == "load")
        #expect(cells[0].options.cache == false)
        #expect(cells[0].source == "data = load scifact\n")
        #expect(cells[0].fenceLine == 16)
        #expect(cells[0].location == SourceLocation(file: "nb.md", line: 19, column: 1))
        #expect(cells[1].label == "cell-2")
        #expect(cells[1].location.line == 29)
        guard case .prose(let intro) = notebook.blocks[0], case .prose(let results) = notebook.blocks[2] else {
            Issue.record("expected prose around the first cell"); return
        }
        #expect(intro.contains("<h1 id=\"sec-1\">Intro</h1>"))
        #expect(intro.contains("<!-- raw HTML omitted -->alert(1)<!-- raw HTML omitted -->"))
        #expect(!intro.contains("<script>"))
        #expect(results.contains("<h2 id=\"sec-2\">Results</h2>"))
        #expect(results.contains("<code class=\"language-python\">not a cell"))
        #expect(notebook.hash.count == 64)
    }

    @Test func titleFallsBackToFirstHeadingThenFileName() throws {
        #expect(try NotebookParser.parse("# Hello *there*\n", path: "a/b.md").title == "Hello there")
        #expect(try NotebookParser.parse("text\n", path: "a/b-c.md").title == "b-c")
    }

    @Test func unclosedFenceIsAnErrorAtItsLine() {
        let text = "# T\n\n```synth\nx = 1\n\nmore prose\n"
        let error = #expect(throws: Diagnostic.self) { try NotebookParser.parse(text, path: "nb.md") }
        #expect(error?.location == SourceLocation(file: "nb.md", line: 3, column: 1))
        #expect(error?.message == "unclosed code fence: expected a closing ``` line")
        #expect(error?.sourceLine == "```synth")
    }

    @Test func unclosedOtherFenceIsAlsoAnError() {
        let error = #expect(throws: Diagnostic.self) {
            try NotebookParser.parse("```synth\nx = 1\n```\n\n~~~~text\nabc\n", path: "nb.md")
        }
        #expect(error?.location?.line == 5)
        #expect(error?.message == "unclosed code fence: expected a closing ~~~~ line")
    }

    @Test func longerClosingFenceCloses() throws {
        let notebook = try NotebookParser.parse("````synth\nprint \"```\"\n``````\n", path: "nb.md")
        #expect(notebook.cells.first?.source == "print \"```\"\n")
    }

    @Test func cellOptionErrorsPointAtTheOption() {
        let text = "```synth\n#| label: a\n#| cahce: true\nx = 1\n```\n"
        let error = #expect(throws: Diagnostic.self) { try NotebookParser.parse(text, path: "nb.md") }
        #expect(error?.message == "unknown cell option `cahce`")
        #expect(error?.location == SourceLocation(file: "nb.md", line: 3, column: 4))
        #expect(error?.notes.first == "did you mean `cache`?")
        let bad = #expect(throws: Diagnostic.self) {
            try NotebookParser.parse("```synth\n#| echo: maybe\n```\n", path: "nb.md")
        }
        #expect(bad?.message == "expected true or false for `echo`, found \"maybe\"")
        #expect(bad?.location == SourceLocation(file: "nb.md", line: 2, column: 10))
        let timeout = #expect(throws: Diagnostic.self) {
            try NotebookParser.parse("```synth\n#| timeout: -1\n```\n", path: "nb.md")
        }
        #expect(timeout?.message == "expected a positive number of seconds for `timeout`, found \"-1\"")
    }

    @Test func duplicateLabelsAreRejected() {
        let text = "```synth\n#| label: a\n```\n\n```synth\n#| label: a\n```\n"
        let error = #expect(throws: Diagnostic.self) { try NotebookParser.parse(text, path: "nb.md") }
        #expect(error?.message == "duplicate cell label `a`")
        #expect(error?.location?.line == 6)
        #expect(error?.notes == ["first used at nb.md:2"])
    }

    @Test func frontMatterErrors() {
        let unknown = #expect(throws: Diagnostic.self) {
            try NotebookParser.parse("---\ntitel: x\n---\n", path: "nb.md")
        }
        #expect(unknown?.message == "unknown front matter key `titel`")
        #expect(unknown?.location == SourceLocation(file: "nb.md", line: 2, column: 1))
        #expect(unknown?.notes.first == "did you mean `title`?")
        let unclosed = #expect(throws: Diagnostic.self) { try NotebookParser.parse("---\ntitle: x\n", path: "nb.md") }
        #expect(unclosed?.message == "front matter opened here is never closed with `---`")
        let yaml = #expect(throws: Diagnostic.self) {
            try NotebookParser.parse("---\ntitle: [x\n---\n", path: "nb.md")
        }
        #expect(yaml?.message.hasPrefix("invalid front matter") == true)
        let empty = #expect(throws: Diagnostic.self) {
            try NotebookParser.parse("---\nparams:\n  k:\n---\n", path: "nb.md")
        }
        #expect(empty?.message == "expected a default value for param `k`, found nothing")
        #expect(empty?.location?.line == 3)
        let typed = #expect(throws: Diagnostic.self) {
            try NotebookParser.parse("---\nparams:\n  k: {type: int, default: abc}\n---\n", path: "nb.md")
        }
        #expect(typed?.message == "expected a `default` of type int for param `k`")
    }
}
