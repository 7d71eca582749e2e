import Foundation
import SynthTestSupport
import SynthValues
import Testing

@testable import SynthSynthesis

@Suite struct PromptTemplateTests {
    static let stdlib = TestPaths.root.appendingPathComponent("stdlib/prompts")

    static let sample = """
        ---
        name: demo
        summary: a demo
        variables: [passage, count]
        system: You are {{count}} helpers.
        max_tokens: 50
        temperature: 0.5
        output_schema:
          type: object
          properties:
            queries: {type: array, maxItems: "{{count}}"}
        examples:
          - passage: first
            output: '{"queries": ["a"]}'
          - passage: second
            output: '{"queries": ["b"]}'
        ---
        Write {{count}} queries.
        {{#examples}}
        {{@number}}. Passage: {{passage}} -> {{output}}
        {{/examples}}
        Passage: {{passage}}
        """

    @Test func rendersVariablesSectionsAndSchema() throws {
        let template = try PromptTemplate(parsing: Self.sample, file: "demo.md")
        let prompt = try template.render(["passage": .string("rain falls"), "count": .int(2)])
        #expect(prompt.system == "You are 2 helpers.")
        #expect(
            prompt.user == """
                Write 2 queries.
                1. Passage: first -> {"queries": ["a"]}
                2. Passage: second -> {"queries": ["b"]}
                Passage: rain falls
                """)
        #expect(prompt.schema == #"{"type":"object","properties":{"queries":{"type":"array","maxItems":2}}}"#)
        #expect(prompt.maxTokens == 50)
        #expect(prompt.temperature == 0.5)
        #expect(prompt.templateHash == SHA256.hash(Self.sample).hex)
        #expect(template.reference == "demo@" + String(SHA256.hash(Self.sample).hex.prefix(12)))
    }

    @Test func listOfStringsAndNesting() throws {
        let text = "---\nname: t\nvariables: [items, q]\n---\n{{#items}}[{{@number}}] {{.}} ({{q}})\n{{/items}}end"
        let template = try PromptTemplate(parsing: text, file: "t.md")
        let prompt = try template.render(["items": .list([.string("x"), .string("y")]), "q": .string("Q")])
        #expect(prompt.user == "[1] x (Q)\n[2] y (Q)\nend")
    }

    @Test func missingValueNamesThePlaceholderPosition() throws {
        let template = try PromptTemplate(parsing: Self.sample, file: "demo.md")
        #expect(throws: TemplateError.missingValue("passage", SourceLocation(file: "demo.md", line: 22, column: 10))) {
            try template.render(["count": .int(1)])
        }
    }

    @Test func undeclaredVariableSuggestsTheNearestName() {
        let text = "---\nname: t\nvariables: [passage]\n---\nfirst line\nPassage: {{pasage}}"
        #expect(
            throws: TemplateError.undeclaredVariable(
                "pasage", suggestion: "passage", SourceLocation(file: "t.md", line: 6, column: 10))
        ) { try PromptTemplate(parsing: text, file: "t.md") }
        let error = TemplateError.undeclaredVariable(
            "pasage", suggestion: "passage", SourceLocation(file: "t.md", line: 6, column: 10))
        #expect(
            error.diagnostic.rendered()
                == "t.md:6:10: error: undeclared template variable `pasage`\n  note: did you mean `passage`?")
    }

    @Test func structuralErrors() {
        #expect(throws: TemplateError.missingFrontMatter(SourceLocation(file: "a.md", line: 1, column: 1))) {
            try PromptTemplate(parsing: "no front matter", file: "a.md")
        }
        #expect(throws: TemplateError.unclosedSection("xs", SourceLocation(file: "a.md", line: 5, column: 1))) {
            try PromptTemplate(parsing: "---\nname: a\nvariables: [xs]\n---\n{{#xs}} open", file: "a.md")
        }
        #expect(
            throws: TemplateError.unexpectedClose(
                expected: "xs", found: "ys", SourceLocation(file: "a.md", line: 5, column: 8))
        ) { try PromptTemplate(parsing: "---\nname: a\nvariables: [xs, ys]\n---\n{{#xs}}{{/ys}}", file: "a.md") }
        #expect(throws: TemplateError.unclosedPlaceholder(SourceLocation(file: "a.md", line: 5, column: 3))) {
            try PromptTemplate(parsing: "---\nname: a\n---\nok\nx {{oops", file: "a.md")
        }
        #expect(
            throws: TemplateError.nameMismatch(
                fileName: "b", name: "a", SourceLocation(file: "b.md", line: 2, column: 1))
        ) { try PromptTemplate(parsing: "---\nname: a\n---\nbody", file: "b.md", expectedName: "b") }
        #expect(
            throws: TemplateError.wrongType(
                field: "max_tokens", expected: "int", found: "string", SourceLocation(file: "a.md", line: 3, column: 1))
        ) { try PromptTemplate(parsing: "---\nname: a\nmax_tokens: lots\n---\nbody", file: "a.md") }
        #expect(throws: TemplateError.missingField("name", SourceLocation(file: "a.md", line: 1, column: 1))) {
            try PromptTemplate(parsing: "---\nsummary: x\n---\nbody", file: "a.md")
        }
    }

    @Test func invalidYAMLPointsIntoTheFile() {
        do {
            _ = try PromptTemplate(parsing: "---\nname: a\nvariables: [x\n---\nbody", file: "a.md")
            Issue.record("expected an error")
        } catch {
            guard case .invalidYAML(_, let location) = error else {
                Issue.record("expected invalidYAML, found \(error)")
                return
            }
            #expect(location.file == "a.md")
            #expect((location.line ?? 0) >= 3)
        }
    }

    @Test func everyStandardTemplateLoadsAndRenders() throws {
        let library = TemplateLibrary(libraryFolders: [Self.stdlib])
        let names = library.availableNames()
        #expect(names.contains("inpars-query"))
        #expect(names.contains("verify-relevance"))
        #expect(names.count >= 10)
        for name in names {
            let template = try library.template(named: name)
            #expect(template.name == name)
            #expect(!template.summary.isEmpty)
            #expect(template.paper != nil)
            var values: [String: Value] = [:]
            for variable in template.variables {
                values[variable] = variable == "passages" ? .list([.string("p1"), .string("p2")]) : .string("v")
            }
            if template.variables.contains("count") { values["count"] = .int(2) }
            let prompt = try template.render(values)
            #expect(!prompt.user.contains("{{"), "unrendered placeholder in \(name)")
            if let schema = prompt.schema {
                #expect(!schema.contains("{{"), "unrendered schema placeholder in \(name)")
            }
        }
    }

    @Test func notebookFolderOverridesTheLibrary() throws {
        let folder = try TestPaths.temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let library = TemplateLibrary(overrideFolders: [folder], libraryFolders: [Self.stdlib])
        let shipped = try library.template(named: "verify-relevance")
        #expect(shipped.file.hasPrefix(Self.stdlib.path))
        let custom = "---\nname: verify-relevance\nvariables: [query, passage]\n---\nRelevant? {{query}} / {{passage}}"
        try AtomicFile.write(custom, to: folder.appendingPathComponent("prompts/verify-relevance.md"))
        let overridden = try library.template(named: "verify-relevance")
        #expect(overridden.file == folder.appendingPathComponent("prompts/verify-relevance.md").path)
        #expect(overridden.hash == SHA256.hash(custom).hex)
        #expect(overridden.hash != shipped.hash)
        // A file directly beside the notebook wins over prompts/.
        try AtomicFile.write(custom + "!", to: folder.appendingPathComponent("verify-relevance.md"))
        #expect(try library.template(named: "verify-relevance").hash == SHA256.hash(custom + "!").hex)
    }

    @Test func unknownTemplateSuggestsANameAndListsFolders() {
        let library = TemplateLibrary(libraryFolders: [Self.stdlib])
        #expect(
            throws: TemplateError.notFound(
                "verify-relevanse", searched: [Self.stdlib.path], suggestion: "verify-relevance")
        ) { try library.template(named: "verify-relevanse") }
    }
}
