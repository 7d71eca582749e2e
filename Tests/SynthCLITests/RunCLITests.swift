import Foundation
import SynthTestSupport
import Testing

/// Runs the built `synthlab` binary in a temporary project folder.
struct CLIProject {
    struct Result {
        var status: Int32
        var stdout: String
        var stderr: String
    }

    let folder: URL

    init() throws { folder = try TestPaths.temporaryFolder() }

    static var binary: URL {
        let beside = URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent()
            .appendingPathComponent("synthlab")
        if FileManager.default.isExecutableFile(atPath: beside.path) { return beside }
        return TestPaths.root.appendingPathComponent(".build/debug/synthlab")
    }

    func write(_ name: String, _ text: String) throws {
        let url = folder.appendingPathComponent(name)
        try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
        try Data(text.utf8).write(to: url)
    }

    func read(_ name: String) throws -> String {
        try String(contentsOf: folder.appendingPathComponent(name), encoding: .utf8)
    }

    func synthlab(_ arguments: [String], stdin: String? = nil, environment extra: [String: String] = [:]) throws -> Result {
        let process = Process()
        process.executableURL = Self.binary
        process.arguments = arguments
        var environment = ProcessInfo.processInfo.environment
        environment["NO_COLOR"] = "1"
        environment["HOME"] = folder.path
        for (key, value) in extra { environment[key] = value }
        process.environment = environment
        process.currentDirectoryURL = folder
        let out = folder.appendingPathComponent(".stdout"), err = folder.appendingPathComponent(".stderr")
        FileManager.default.createFile(atPath: out.path, contents: nil)
        FileManager.default.createFile(atPath: err.path, contents: nil)
        process.standardOutput = try FileHandle(forWritingTo: out)
        process.standardError = try FileHandle(forWritingTo: err)
        let input = Pipe()
        process.standardInput = stdin == nil ? FileHandle.nullDevice : input
        try process.run()
        if let stdin {
            input.fileHandleForWriting.write(Data(stdin.utf8))
            try input.fileHandleForWriting.close()
        }
        process.waitUntilExit()
        return Result(status: process.terminationStatus, stdout: try String(contentsOf: out, encoding: .utf8),
                      stderr: try String(contentsOf: err, encoding: .utf8))
    }

    func remove() { try? FileManager.default.removeItem(at: folder) }
}

/// Removes what legitimately differs between runs: the provenance block and timings.
func withoutProvenanceAndTimings(html: String) -> String {
    var text = html
    if let start = text.range(of: "<details class=\"provenance\""),
       let end = text.range(of: "</details>", range: start.upperBound..<text.endIndex)
    {
        text.removeSubrange(start.lowerBound..<end.upperBound)
    }
    while let start = text.range(of: "<span class=\"time\">"),
          let end = text.range(of: "</span>", range: start.upperBound..<text.endIndex)
    {
        text.removeSubrange(start.lowerBound..<end.upperBound)
    }
    return text
}

func withoutProvenanceAndTimings(json: String) throws -> String {
    var object = try #require(try JSONSerialization.jsonObject(with: Data(json.utf8)) as? [String: Any])
    object["provenance"] = nil
    if var cells = object["cells"] as? [[String: Any]] {
        for i in cells.indices { cells[i]["seconds"] = nil }
        object["cells"] = cells
    }
    let data = try JSONSerialization.data(withJSONObject: object, options: [.sortedKeys])
    return String(decoding: data, as: UTF8.self)
}

private let notebook = """
    ---
    title: CLI test
    params:
      n: 3
    ---

    # Numbers

    ```synth
    #| label: make
    xs = [1, 2, params.n]
    ```

    ```synth
    #| label: say
    print "xs:" xs
    ```

    ```synth
    #| label: data
    print "<script>alert(1)</script>"
    show [{id: "<img src=x onerror=alert(1)>", text: "a & b"}]
    ```
    """

@Suite(.serialized) struct RunCLITests {
    @Test func runWritesReportsAndUsesTheCacheOnRerun() throws {
        let project = try CLIProject()
        defer { project.remove() }
        try project.write("nb.md", notebook)
        let first = try project.synthlab(["run", "nb.md"])
        #expect(first.status == 0)
        #expect(first.stdout == "")
        let lines = first.stderr.split(separator: "\n").map(String.init)
        #expect(lines.count == 4)
        #expect(lines[0].hasPrefix("[1/3] make … done in "))
        #expect(lines[2].hasPrefix("[3/3] data … done in "))
        #expect(lines[3] == "report: reports/nb.html (+ .json)")
        #expect(FileManager.default.fileExists(atPath: project.folder.appendingPathComponent(".synthlab/cells.sqlite").path))
        let second = try project.synthlab(["run", "nb.md"])
        #expect(second.status == 0)
        #expect(second.stderr.split(separator: "\n").prefix(3) == ["[1/3] make … cached", "[2/3] say … cached", "[3/3] data … cached"])
        let json = try project.read("reports/nb.json")
        #expect(json.contains("\"cached\": true"))
        let param = try project.synthlab(["run", "nb.md", "--param", "n=4", "--out", "other"])
        #expect(param.stderr.split(separator: "\n").prefix(3).map { $0.hasSuffix("cached") } == [false, false, true])
        #expect(try project.read("other/nb.json").contains("\"params\": {\n    \"n\": 4\n  }"))
        #expect(try project.read("other/nb.html").contains("<td><code>4</code></td><td>int</td><td>--param</td>"))
    }

    @Test func dataArrivesEscaped() throws {
        let project = try CLIProject()
        defer { project.remove() }
        try project.write("nb.md", notebook + "\n\nRaw <script>alert(2)</script> in prose.\n")
        #expect(try project.synthlab(["run", "nb.md"]).status == 0)
        let html = try project.read("reports/nb.html")
        #expect(!html.lowercased().contains("<script"))
        #expect(!html.contains("<img"))
        #expect(html.contains("&lt;script&gt;alert(1)&lt;/script&gt;"))
        #expect(html.contains("&lt;img src=x onerror=alert(1)&gt;"))
        #expect(html.contains("<!-- raw HTML omitted -->alert(2)<!-- raw HTML omitted -->"))
    }

    @Test func twoRunsGiveIdenticalReportsOutsideProvenanceAndTimings() throws {
        let project = try CLIProject()
        defer { project.remove() }
        try project.write("nb.md", notebook)
        #expect(try project.synthlab(["run", "nb.md", "--no-cache", "--out", "a"]).status == 0)
        #expect(try project.synthlab(["run", "nb.md", "--no-cache", "--out", "b"]).status == 0)
        let a = try project.read("a/nb.html"), b = try project.read("b/nb.html")
        #expect(withoutProvenanceAndTimings(html: a) == withoutProvenanceAndTimings(html: b))
        #expect(try withoutProvenanceAndTimings(json: project.read("a/nb.json"))
                == withoutProvenanceAndTimings(json: project.read("b/nb.json")))
        // No cache was written with --no-cache.
        #expect(!FileManager.default.fileExists(atPath: project.folder.appendingPathComponent(".synthlab/cells.sqlite").path))
    }

    /// A cell failing at run time: the run stops with status 1, later cells are skipped, the error names
    /// notebook file:line:column with a caret, and the report is written with a banner linking to the cell.
    @Test func failingCellWritesReportWithBannerAndExitsOne() throws {
        let project = try CLIProject()
        defer { project.remove() }
        try project.write("nb.md", """
            ```synth
            #| label: ok
            x = {score: 1}
            ```

            ```synth
            #| label: bad
            def pick(r)
              return r.scor
            end
            y = pick x
            ```

            ```synth
            #| label: later
            print x
            ```
            """)
        let result = try project.synthlab(["run", "nb.md"])
        #expect(result.status == 1)
        let lines = result.stderr.split(separator: "\n").map(String.init)
        #expect(result.stderr == """
            [1/3] ok … done in \(lines[0].split(separator: " ").suffix(2).joined(separator: " "))
            [2/3] bad … FAILED after \(lines[1].split(separator: " ").suffix(2).joined(separator: " "))
            [3/3] later … skipped (upstream failed)
            nb.md:9:12: error: no field `scor` in record
                  return r.scor
                           ^
              note: did you mean `score`?
            report: reports/nb.html (+ .json)

            """)
        let html = try project.read("reports/nb.html")
        #expect(html.contains("<div class=\"banner\" role=\"alert\"><strong>✗ Run stopped:</strong> cell <a href=\"#cell-bad\">bad</a> failed at <code>nb.md:9:12</code>: no field `scor` in record. 1 later cell was skipped.</div>"))
        #expect(html.contains("<section class=\"cell status-failed\" id=\"cell-bad\">"))
        #expect(html.contains("<section class=\"cell status-skipped\" id=\"cell-later\">"))
        #expect(html.contains("<span class=\"badge skipped\">⏭ skipped (upstream failed)</span>"))
        let json = try project.read("reports/nb.json")
        #expect(json.contains("\"failed_cell\": \"bad\""))
        #expect(json.contains("\"status\": \"skipped\""))
    }

    /// A check error anywhere (here a misspelt argument in the last cell) means nothing runs: the run
    /// fails at once with the check error and still writes its report.
    @Test func checkErrorStopsTheRunBeforeAnythingRuns() throws {
        let project = try CLIProject()
        defer { project.remove() }
        try project.write("nb.md", """
            ```synth
            #| label: first
            print "ran"
            ```

            ```synth
            #| label: last
            show [1, 2] m=1
            ```
            """)
        let result = try project.synthlab(["run", "nb.md"])
        #expect(result.status == 1)
        #expect(result.stderr == """
            [1/2] first … not run (a cell failed its check)
            [2/2] last … FAILED after 0.0 s
            nb.md:8:13: error: unknown argument `m` for `show`
                show [1, 2] m=1
                            ^
              note: did you mean `n`?
            report: reports/nb.html (+ .json)

            """)
        let html = try project.read("reports/nb.html")
        #expect(html.contains("cell <a href=\"#cell-last\">last</a> failed at <code>nb.md:8:13</code>: unknown argument `m` for `show`. Nothing ran: every cell is checked before the first one runs.</div>"))
        #expect(html.contains("<span class=\"badge skipped\">⏭ not run (a later cell failed its check)</span>"))
        #expect(!html.contains("<pre class=\"output\">ran</pre>"))
    }

    @Test func paramErrorsAndUsageErrors() throws {
        let project = try CLIProject()
        defer { project.remove() }
        try project.write("nb.md", notebook)
        let typed = try project.synthlab(["run", "nb.md", "--param", "n=three"])
        #expect(typed.status == 1)
        #expect(typed.stderr == "error: --param n: expected int, found \"three\"\n  note: `n` is declared at nb.md:4:3 with default 3\n")
        let unknown = try project.synthlab(["run", "nb.md", "--param", "m=1"])
        #expect(unknown.status == 1)
        #expect(unknown.stderr.hasPrefix("error: unknown param `m` in --param\n"))
        let refresh = try project.synthlab(["run", "nb.md", "--refresh", "mkae"])
        #expect(refresh.stderr == "error: --refresh: no cell labelled `mkae` in nb.md\n  note: did you mean `make`?\n")
        let usage = try project.synthlab(["run", "nb.md", "--bogus"])
        #expect(usage.status == 2)
        #expect(usage.stderr.contains("Unknown option '--bogus'"))
        #expect(try project.synthlab(["run"]).status == 2)
        let missing = try project.synthlab(["run", "absent.md"])
        #expect(missing.status == 1)
        #expect(missing.stderr == "absent.md: error: cannot read notebook\n")
        try project.write("open.md", "# x\n\n```synth\nx = 1\n")
        let unclosed = try project.synthlab(["run", "open.md"])
        #expect(unclosed.status == 1)
        #expect(unclosed.stderr == "open.md:3:1: error: unclosed code fence: expected a closing ``` line\n    ```synth\n    ^\n  note: the fence opened here runs to the end of the notebook\n")
    }

    @Test func checkAndNew() throws {
        let project = try CLIProject()
        defer { project.remove() }
        let created = try project.synthlab(["new", "exp"])
        #expect(created.status == 0)
        #expect(created.stderr == "wrote exp.md; run it with: synthlab run exp.md\n")
        let checked = try project.synthlab(["check", "exp.md"])
        #expect(checked.status == 0)
        #expect(checked.stderr == "exp.md: ok (3 cells, 2 params)\n")
        let again = try project.synthlab(["new", "exp"])
        #expect(again.status == 1)
        #expect(again.stderr == "exp.md: error: exp.md already exists\n  note: pass --force to overwrite it\n")
        try project.write("bad.md", "```synth\nx = 1\nprnt x\n```\n")
        let bad = try project.synthlab(["check", "bad.md"])
        #expect(bad.status == 1)
        #expect(bad.stderr.hasPrefix("bad.md:3:1: error: "))
        #expect(bad.stderr.contains("did you mean `print`?"))
        #expect(!FileManager.default.fileExists(atPath: project.folder.appendingPathComponent("reports").path))
    }
}

/// Reports are shared, so they carry no absolute paths of the machine that made them.
@Suite(.serialized) struct ReportPathCLITests {
    @Test func reportsNameFilesRelativeToTheProject() throws {
        let project = try CLIProject()
        defer { project.remove() }
        // A research repository: notebooks in proj/, data and helpers beside it (reads may leave the
        // notebook folder but not the work tree, see SecurityTests).
        try FileManager.default.createDirectory(
            at: project.folder.appendingPathComponent(".git"), withIntermediateDirectories: true)
        try project.write("data/mini/corpus.jsonl", "{\"_id\": \"d1\", \"title\": \"\", \"text\": \"alpha\"}\n")
        try project.write("data/mini/queries.jsonl", "{\"_id\": \"q1\", \"text\": \"alpha?\"}\n")
        // d9 is not in the corpus: the loader warns, naming the qrels file.
        try project.write("data/mini/qrels/test.tsv", "query-id\tcorpus-id\tscore\nq1\td1\t1\nq1\td9\t1\n")
        try project.write("lib/helpers.synth", "def twice(x)\n  return [x, x]\nend\n")
        try project.write("proj/nb.md", """
            # Paths

            ```synth
            #| label: load
            d = load "../data/mini" split="test"
            ```

            ```synth
            #| label: lib
            import "../lib/helpers"
            print (twice d.docs)
            ```

            ```synth
            #| label: broken
            #| error: true
            e = load "../data/absent"
            ```
            """)
        let notebook = project.folder.appendingPathComponent("proj/nb.md").path
        let result = try project.synthlab(["run", notebook, "--out", project.folder.appendingPathComponent("proj/reports").path])
        #expect(result.status == 0, "\(result.stderr)")
        let html = try project.read("proj/reports/nb.html")
        let json = try project.read("proj/reports/nb.json")
        let root = project.folder.standardizedFileURL.path
        #expect(!html.contains(root), "the HTML names \(root)")
        #expect(!json.contains(root), "the JSON names \(root)")
        #expect(html.contains("notebook <code>nb.md</code>"))
        #expect(html.contains("<span class=\"loc\">nb.md:5:1</span>"))
        let object = try #require(try JSONSerialization.jsonObject(with: Data(json.utf8)) as? [String: Any])
        let provenance = try #require(object["provenance"] as? [String: Any])
        let inputs = try #require(provenance["inputs"] as? [String: String])
        #expect(inputs.keys.sorted() == [
            "../data/mini/corpus.jsonl", "../data/mini/qrels/test.tsv", "../data/mini/queries.jsonl",
            "../lib/helpers.synth",
        ])
        #expect(provenance["command"] as? String == "synthlab run proj/nb.md --out proj/reports")
        // The machine (host, kernel, cores) is provenance only.
        let machine = try #require(provenance["machine"] as? String)
        #expect(html.components(separatedBy: machine).count == 2)
        #expect(!withoutProvenanceAndTimings(html: html).contains(machine))
        let cells = try #require(object["cells"] as? [[String: Any]])
        let texts = cells.flatMap { ($0["outputs"] as? [[String: Any]] ?? []).compactMap { $0["text"] as? String } }
        #expect(texts.contains { $0.hasPrefix("warning: ../data/mini/qrels/test.tsv") }, "\(texts)")
        let errors = cells.flatMap { ($0["outputs"] as? [[String: Any]] ?? []).compactMap { $0["rendered"] as? String } }
        #expect(errors == [
            "../data/absent: error: missing file: expected a BEIR dataset folder\n  note: while running `load` at nb.md:17:5"
        ])
    }
}

