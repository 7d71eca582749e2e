import Foundation
import SynthCommands
import SynthTestSupport
import SynthValues
import Testing

@testable import SynthLanguage

@Suite struct FunctionTests {
    @Test func defaultsKeywordsReturnAndLocals() async throws {
        let interpreter = try makeInterpreter()
        let result = try await runCell(
            interpreter,
            """
            def pair(a, b=2)
              inner = [a, b]
              return inner
            end
            x = pair 1
            y = pair 1 b=5
            z = pair b=7 a=0
            print x y z
            """)
        #expect(result.outputs == [.text("[1, 2] [1, 5] [0, 7]")])
        #expect(interpreter.variables["inner"] == nil)
        #expect(interpreter.variables["pair"]?.typeName == "function")
    }

    @Test func functionsPersistAcrossCellsAndReadWhatTheyCall() async throws {
        let interpreter = try makeInterpreter()
        let first = try interpreter.prepare("def last(xs)\n  show xs n=1\nend", at: SourceLocation(file: "c", line: 1))
        #expect(first.writes == ["last"])
        _ = try await interpreter.run(first)
        let second = try interpreter.prepare("last [3, 4]", at: SourceLocation(file: "c", line: 5))
        #expect(second.reads == ["last"])
        let result = try await interpreter.run(second)
        #expect(result.outputs == [.text("list of 2 items\n  [0] 3\n  … 1 more")])
    }

    @Test func importFromTheNotebookFolder() async throws {
        let project = try TestPaths.temporaryFolder()
        defer { try? FileManager.default.removeItem(at: project) }
        try "# helpers\ngreeting = \"hello\"\ndef greet(name)\n  print greeting name\nend\n"
            .write(to: project.appendingPathComponent("helpers.synth"), atomically: true, encoding: .utf8)
        let interpreter = try makeInterpreter(project: project)
        let cell = try interpreter.prepare(
            "import \"helpers\"\ngreet \"world\"", at: SourceLocation(file: "c", line: 1))
        #expect(cell.writes == ["greeting", "greet"])
        let result = try await interpreter.run(cell)
        #expect(result.outputs == [.text("hello world")])
        let hashed = try #require(result.filesRead[project.appendingPathComponent("helpers.synth").path])
        #expect(hashed.count == 64)
    }

    @Test func errorsInImportedFilesNameThatFile() async throws {
        let project = try TestPaths.temporaryFolder()
        defer { try? FileManager.default.removeItem(at: project) }
        try "def f(x)\n  shwo x\nend\n"
            .write(to: project.appendingPathComponent("broken.synth"), atomically: true, encoding: .utf8)
        let interpreter = try makeInterpreter(project: project)
        do {
            _ = try interpreter.prepare("import \"broken\"", at: SourceLocation(file: "c", line: 1))
            Issue.record("expected an error")
        } catch {
            #expect(
                error.location == SourceLocation(file: project.lastPathComponent + "/broken.synth", line: 2, column: 3))
            #expect(error.message == "unknown verb `shwo`")
            #expect(error.notes == ["did you mean `show`?"])
        }
    }

    @Test func importCycleIsAnError() async throws {
        let project = try TestPaths.temporaryFolder()
        defer { try? FileManager.default.removeItem(at: project) }
        try "import \"b\"\n".write(to: project.appendingPathComponent("a.synth"), atomically: true, encoding: .utf8)
        try "import \"a\"\n".write(to: project.appendingPathComponent("b.synth"), atomically: true, encoding: .utf8)
        let interpreter = try makeInterpreter(project: project)
        do {
            _ = try interpreter.prepare("import \"a\"", at: SourceLocation(file: "c", line: 1))
            Issue.record("expected an error")
        } catch {
            #expect(error.message == "import cycle: \"a\" imports itself")
            #expect(error.location?.file == project.lastPathComponent + "/b.synth")
        }
    }

    @Test func preludeBaselineRunsOnTinyData() async throws {
        let project = try TinyBEIR.write(into: TestPaths.temporaryFolder())
        defer { try? FileManager.default.removeItem(at: project) }
        let interpreter = try makeInterpreter(project: project)
        let result = try await runCell(
            interpreter,
            """
            import "prelude"
            data = load "./tiny"
            scores = baseline data
            print scores.ndcg_cut_10
            """)
        let recorded = try #require(result.results["bm25"]?["bm25"]?["ndcg_cut.10"])
        #expect(result.outputs.last == .text(formatNumber(recorded)))
        #expect(result.filesRead.keys.contains { $0.hasSuffix("stdlib/prelude.synth") })
    }

    @Test func bareWordSlotsUseVariablesInScope() async throws {
        let project = try TinyBEIR.write(into: TestPaths.temporaryFolder())
        defer { try? FileManager.default.removeItem(at: project) }
        let interpreter = try makeInterpreter(project: project)
        let result = try await runCell(
            interpreter,
            """
            def open(name)
              return load name
            end
            d = open "./tiny"
            print d.docs
            """)
        #expect(result.outputs == [.text("6")])
        let cell = try interpreter.prepare(
            "import \"prelude\"\nx = dense_baseline d", at: SourceLocation(file: "c", line: 1))
        #expect(cell.reads == ["d"])
    }

    @Test func cancellationStopsTheCell() async throws {
        let interpreter = try makeInterpreter()
        let cell = try interpreter.prepare("x = 1\nprint x", at: SourceLocation(file: "c", line: 1))
        let task = Task { try await interpreter.run(cell) }
        task.cancel()
        await #expect(throws: CancellationError.self) { try await task.value }
    }
}
