import SynthValues
import Testing

@testable import SynthNotebook

@Suite struct ParamSpecTests {
    let notebook = try! NotebookParser.parse(
        "---\nparams:\n  top_k: 10\n  k1: 0.9\n  name: scifact\n  fast: false\n---\n", path: "nb.md")

    @Test func overridesAreTypedAndRecorded() throws {
        let params = try ResolvedParams(notebook: notebook, overrides: ["top_k=20", "k1=1", "fast=yes", "name=a=b"])
        #expect(params["top_k"] == .int(20))
        #expect(params["k1"] == .number(1))
        #expect(params["fast"] == .bool(true))
        #expect(params["name"] == .string("a=b"))
        #expect(params.records.map(\.overridden) == [true, true, true, true])
        #expect(params.records.map(\.value) == ["20", "1", "a=b", "true"])
        let defaults = try ResolvedParams(notebook: notebook, overrides: [])
        #expect(defaults.records.map(\.overridden) == [false, false, false, false])
        #expect(defaults.languageValues["k1"]?.description == "0.9000")
    }

    @Test func typeErrorsNameTheDeclaration() {
        let error = #expect(throws: Diagnostic.self) { try ResolvedParams(notebook: notebook, overrides: ["top_k=ten"]) }
        #expect(error?.message == "--param top_k: expected int, found \"ten\"")
        #expect(error?.notes == ["`top_k` is declared at nb.md:3:3 with default 10"])
        let bool = #expect(throws: Diagnostic.self) { try ResolvedParams(notebook: notebook, overrides: ["fast=2"]) }
        #expect(bool?.message == "--param fast: expected bool, found \"2\"")
        let number = #expect(throws: Diagnostic.self) { try ResolvedParams(notebook: notebook, overrides: ["k1=inf"]) }
        #expect(number?.message == "--param k1: expected number, found \"inf\"")
    }

    @Test func unknownAndMalformedOverrides() {
        let unknown = #expect(throws: Diagnostic.self) { try ResolvedParams(notebook: notebook, overrides: ["topk=3"]) }
        #expect(unknown?.message == "unknown param `topk` in --param")
        #expect(unknown?.notes == ["did you mean `top_k`?", "declared params: top_k, k1, name, fast"])
        let malformed = #expect(throws: Diagnostic.self) { try ResolvedParams(notebook: notebook, overrides: ["top_k"]) }
        #expect(malformed?.message == "expected --param NAME=VALUE, found \"top_k\"")
    }
}
