import Foundation
import SynthCommands
import SynthTestSupport
import SynthValues
import Testing

@testable import SynthLanguage

/// A session rooted in a fresh temporary project, with stdlib/ importable.
func makeInterpreter(params: [String: Value] = [:], project: URL? = nil) throws -> Interpreter {
    let folder = try project ?? TestPaths.temporaryFolder()
    let context = ExecutionContext(projectFolder: folder, params: params)
    return Interpreter(context: context, importPaths: [TestPaths.root.appendingPathComponent("stdlib"), folder])
}

/// Parses, checks and runs `source` as one cell of `cell.synth`.
@discardableResult
func runCell(_ interpreter: Interpreter, _ source: String) async throws -> CellResult {
    try await interpreter.run(
        try interpreter.prepare(source, at: SourceLocation(file: "cell.synth", line: 1, column: 1)))
}

@Suite struct InterpreterTests {
    @Test func assignsValuesAndPrints() async throws {
        let interpreter = try makeInterpreter(params: ["k": .int(10)])
        let result = try await runCell(
            interpreter,
            """
            # a comment
            x = 3
            names = ["a", "b"]   # trailing comment
            r = {score: 0.5, name: "bm25"}
            print "k =" params.k r.name \\
                x
            """)
        #expect(result.outputs == [.text("k = 10 bm25 3")])
        #expect(interpreter.variables["x"]?.description == "3")
        #expect(interpreter.variables["r"]?.description == "{score: 0.5000, name: \"bm25\"}")
    }

    @Test func readsAndWritesAreReported() throws {
        let interpreter = try makeInterpreter(params: ["k": .int(10)])
        interpreter.restore("data", .list([.int(1)]))
        let cell = try interpreter.prepare("a = data\nb = a\nprint params.k  b", at: SourceLocation(file: "c", line: 1))
        #expect(cell.reads == ["data"])
        #expect(cell.writes == ["a", "b"])
        #expect(cell.paramsRead == ["k"])
        #expect(cell.normalizedSource == "a = data\nb = a\nprint params . k b")
    }
}
