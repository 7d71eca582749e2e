import Foundation
import SynthTestSupport
import SynthValues
import Testing

@testable import SynthNotebook

/// A project folder holding one notebook, run again and again as it is edited.
private struct Project {
    let folder: URL
    var text: String

    init(_ text: String) throws {
        folder = try TestPaths.temporaryFolder()
        self.text = text
    }

    func run(params: [String] = [], useCache: Bool = true, refresh: Set<String> = []) async throws -> RunOutcome {
        let url = folder.appendingPathComponent("nb.md")
        try Data(text.utf8).write(to: url)
        let notebook = try NotebookParser.load(url, path: url.path)
        var settings = RunSettings(outputFolder: folder.appendingPathComponent("reports"))
        settings.useCache = useCache
        settings.refresh = refresh
        let runner = NotebookRunner(notebook: notebook, params: try ResolvedParams(notebook: notebook, overrides: params),
                                    settings: settings)
        return await runner.run()
    }

    mutating func replace(_ old: String, with new: String) {
        precondition(text.contains(old), "test edit target missing: \(old)")
        text = text.replacingOccurrences(of: old, with: new)
    }

    func remove() { try? FileManager.default.removeItem(at: folder) }
}

private let cacheNotebook = """
    ---
    title: cache test
    params:
      n: 3
      m: 5
    ---

    # Cache test

    Prose that does not matter to any cell.

    ```synth
    #| label: a
    a = [1, 2, params.n]
    ```

    ```synth
    #| label: b
    b = {x: 1}
    ```

    ```synth
    #| label: c
    c = [a, 10]
    print c
    ```

    ```synth
    #| label: d
    print b params.m
    ```

    ```synth
    #| label: e
    print c
    ```
    """

@Suite(.serialized) struct NotebookRunnerTests {
    @Test func rerunsOnlyChangedCellsAndTheirDependents() async throws {
        var project = try Project(cacheNotebook)
        defer { project.remove() }
        #expect(try await project.run().ranLabels == ["a", "b", "c", "d", "e"])
        let cached = try await project.run()
        #expect(cached.ranLabels == [])
        #expect(cached.record.blocks.compactMap { if case .cell(let c) = $0 { c.cached } else { nil } } == Array(repeating: true, count: 5))
        guard case .cell(let c) = cached.record.blocks[3] else { Issue.record("cell c"); return }
        #expect(c.outputs == [.text("[[1, 2, 3], 10]")])  // outputs restored from the cache

        // Editing prose recomputes nothing.
        project.replace("Prose that does not matter", with: "Edited prose, still irrelevant")
        #expect(try await project.run().ranLabels == [])
        // A comment or spacing change in a cell is not a change of its normalized source.
        project.replace("b = {x: 1}", with: "b = {x:   1}   # same value")
        #expect(try await project.run().ranLabels == [])
        // Editing cell a reruns a and the cells that read what a wrote (c, then e through c).
        project.replace("a = [1, 2, params.n]", with: "a = [1, 2, params.n, 4]")
        #expect(try await project.run().ranLabels == ["a", "c", "e"])
        #expect(try await project.run().ranLabels == [])
        // Editing b reruns only b and d.
        project.replace("b = {x:   1}", with: "b = {x: 2}")
        #expect(try await project.run().ranLabels == ["b", "d"])
    }

    @Test func paramChangesRerunOnlyTheirReaders() async throws {
        let project = try Project(cacheNotebook)
        defer { project.remove() }
        _ = try await project.run()
        #expect(try await project.run(params: ["m=6"]).ranLabels == ["d"])
        #expect(try await project.run(params: ["m=6", "n=4"]).ranLabels == ["a", "c", "e"])
        // Back to the defaults: those entries are still cached.
        let back = try await project.run()
        #expect(back.ranLabels == [])
        #expect(back.record.params.map(\.value) == ["3", "5"])
    }

    @Test func noCacheAndRefreshOverride() async throws {
        let project = try Project(cacheNotebook)
        defer { project.remove() }
        _ = try await project.run()
        #expect(try await project.run(useCache: false).ranLabels == ["a", "b", "c", "d", "e"])
        #expect(try await project.run(refresh: ["a"]).ranLabels == ["a", "c", "e"])
        #expect(try await project.run(refresh: ["d"]).ranLabels == ["d"])
        #expect(try await project.run().ranLabels == [])
    }

    @Test func changedInputFileRerunsItsReaders() async throws {
        var project = try Project("""
            ```synth
            #| label: load
            data = load "./mini" split="test"
            ```

            ```synth
            #| label: count
            n = data.docs
            print n
            ```

            ```synth
            #| label: other
            z = 1
            ```
            """)
        defer { project.remove() }
        let mini = project.folder.appendingPathComponent("mini")
        try FileManager.default.createDirectory(at: mini.appendingPathComponent("qrels"), withIntermediateDirectories: true)
        let corpus = mini.appendingPathComponent("corpus.jsonl")
        try Data("{\"_id\": \"d1\", \"title\": \"\", \"text\": \"alpha\"}\n".utf8).write(to: corpus)
        try Data("{\"_id\": \"q1\", \"text\": \"alpha?\"}\n".utf8).write(to: mini.appendingPathComponent("queries.jsonl"))
        try Data("query-id\tcorpus-id\tscore\nq1\td1\t1\n".utf8).write(to: mini.appendingPathComponent("qrels/test.tsv"))
        let first = try await project.run()
        #expect(first.failed == false)
        #expect(first.ranLabels.contains("count"))
        // Unchanged files: the reader is restored (the loader itself reruns only if its dataset cannot be cached).
        let second = try await project.run()
        #expect(!second.ranLabels.contains("count"))
        #expect(!second.ranLabels.contains("other"))
        #expect(second.record.provenance.inputs.keys.contains("mini/corpus.jsonl"))
        // Same bytes rewritten: nothing changes.
        try Data("{\"_id\": \"d1\", \"title\": \"\", \"text\": \"alpha\"}\n".utf8).write(to: corpus)
        #expect(!(try await project.run()).ranLabels.contains("count"))
        // New content: the loader and its reader rerun, the unrelated cell does not.
        try Data("{\"_id\": \"d1\", \"title\": \"\", \"text\": \"alpha\"}\n{\"_id\": \"d2\", \"title\": \"\", \"text\": \"beta\"}\n".utf8)
            .write(to: corpus)
        let changed = try await project.run()
        #expect(changed.ranLabels.contains("load"))
        #expect(changed.ranLabels.contains("count"))
        #expect(!changed.ranLabels.contains("other"))
        guard case .cell(let count) = changed.record.blocks[1] else { Issue.record("count cell"); return }
        #expect(count.outputs == [.text("2")])
        // Editing only the reader reruns it on the cached dataset (restored from its blob when first needed).
        project.replace("print n", with: "print n \"docs\"")
        let reader = try await project.run()
        #expect(reader.ranLabels == ["count"])
        guard case .cell(let edited) = reader.record.blocks[1] else { Issue.record("count cell"); return }
        #expect(edited.outputs == [.text("2 docs")])
        project.replace("z = 1", with: "z = 2")
        #expect(try await project.run().ranLabels.contains("other"))
    }

    /// A cell failing while it runs stops the run: what it printed before the error is kept, its error names
    /// the notebook line and column, later cells are skipped, and an `error: true` cell does not stop it.
    @Test func failingCellStopsTheRunAndSkipsLaterCells() async throws {
        let project = try Project("""
            ```synth
            #| label: fine
            x = 1
            ```

            ```synth
            #| label: allowed
            #| error: true
            print nope
            ```

            ```synth
            #| label: broken
            print x
            def pick(r)
              return r.scor
            end
            y = pick {score: 1}
            ```

            ```synth
            #| label: after
            print x
            ```
            """)
        defer { project.remove() }
        let outcome = try await project.run()
        #expect(outcome.failed)
        #expect(outcome.ranLabels == ["fine", "allowed", "broken"])
        let cells = outcome.record.blocks.compactMap { if case .cell(let c) = $0 { c } else { nil } }
        #expect(cells.map(\.status) == [.ok, .ok, .failed, .skipped])
        #expect(outcome.record.firstFailure?.label == "broken")
        guard case .error(let allowed)? = cells[1].outputs.last, case .error(let error)? = cells[2].outputs.last else {
            Issue.record("expected errors"); return
        }
        #expect(allowed.message == "unknown variable `nope`")
        // The notebook was named by its absolute path; the record shows it relative to the project.
        #expect(error.location == SourceLocation(file: "nb.md", line: 16, column: 12))
        #expect(error.message == "no field `scor` in record")
        #expect(error.notes == ["did you mean `score`?"])
        #expect(error.sourceLine == "  return r.scor")
        #expect(outcome.record.notebook == "nb.md")
        #expect(cells[2].outputs.first == .text("1"))  // printed before the failure
        #expect(cells[3].outputs.isEmpty)
    }

    /// Every cell is checked before the first runs: a misspelt name in the last cell means nothing runs,
    /// the failing cell carries the check error, cells before it are "not run" and after it skipped.
    @Test func checkErrorAnywhereMeansNothingRuns() async throws {
        let project = try Project("""
            ```synth
            #| label: first
            x = 1
            print x
            ```

            ```synth
            #| label: typo
            print x
            shwo x
            ```

            ```synth
            #| label: last
            print x
            ```
            """)
        defer { project.remove() }
        let outcome = try await project.run()
        #expect(outcome.failed)
        #expect(outcome.ranLabels.isEmpty)
        let cells = outcome.record.blocks.compactMap { if case .cell(let c) = $0 { c } else { nil } }
        #expect(cells.map(\.status) == [.skipped, .failed, .skipped])
        #expect(cells[0].outputs.isEmpty)
        guard case .error(let error)? = cells[1].outputs.only else { Issue.record("expected one error"); return }
        #expect(error.rendered() == """
            nb.md:10:1: error: unknown verb `shwo`
                shwo x
                ^
              note: did you mean `show`?
            """)
        // Fixing the typo runs everything.
        var fixed = project
        fixed.replace("shwo x", with: "show x")
        #expect(try await fixed.run().ranLabels == ["first", "typo", "last"])
    }

    /// `#| timeout:` stops a cell that runs too long: it fails with a message naming the limit, and later
    /// cells are skipped. (A chain of functions fanning out 10-fold seven times makes ten million calls,
    /// far beyond 0.2 s on any machine; the interpreter checks for cancellation at every call.)
    @Test func timeoutStopsALongCell() async throws {
        var fanOut = "def f0(x)\n  return x\nend\n"
        for level in 1...7 {
            fanOut += "def f\(level)(x)\n" + (1...10).map { "  y\($0) = f\(level - 1) x\n" }.joined() + "  return x\nend\n"
        }
        let project = try Project("""
            ```synth
            #| label: defs
            \(fanOut)```

            ```synth
            #| label: slow
            #| timeout: 0.2
            z = f7 1
            ```

            ```synth
            #| label: after
            print 1
            ```
            """)
        defer { project.remove() }
        let outcome = try await project.run()
        #expect(outcome.failed)
        let cells = outcome.record.blocks.compactMap { if case .cell(let c) = $0 { c } else { nil } }
        #expect(cells.map(\.status) == [.ok, .failed, .skipped])
        guard case .error(let error)? = cells[1].outputs.last else { Issue.record("expected an error"); return }
        #expect(error.message == "cell `slow` timed out after 0.2 s")
        #expect(error.notes == ["raise `#| timeout:` or remove it for no limit"])
        #expect(error.location == cells[1].location)
    }

    /// `#| cache: false` reruns a cell every time (its readers still hit the cache when its value is the
    /// same); `#| echo: false` keeps the source out of the record's display.
    @Test func cacheFalseAndEchoFalse() async throws {
        let project = try Project("""
            ```synth
            #| label: fresh
            #| cache: false
            a = [1, 2]
            ```

            ```synth
            #| label: reader
            #| echo: false
            print a
            ```

            ```synth
            #| label: other
            b = 3
            ```
            """)
        defer { project.remove() }
        #expect(try await project.run().ranLabels == ["fresh", "reader", "other"])
        let second = try await project.run()
        #expect(second.ranLabels == ["fresh"])
        let cells = second.record.blocks.compactMap { if case .cell(let c) = $0 { c } else { nil } }
        #expect(cells.map(\.cached) == [false, true, true])
        #expect(cells.map(\.echo) == [true, false, true])
        #expect(cells[1].outputs == [.text("[1, 2]")])
    }
}

extension Array {
    /// The single element, or `nil` when there are none or several.
    fileprivate var only: Element? { count == 1 ? first : nil }
}
