import Foundation
import SynthTestSupport
import SynthValues
import Testing

@testable import SynthNotebook

@Suite struct ReportPathsTests {
    let paths = ReportPaths(
        projectFolder: URL(fileURLWithPath: "/work/main/notebooks"),
        environment: ["HOME": "/root", "SYNTHLAB_HOME": "/root/.cache/synthlab"])

    @Test func pathsBecomeProjectRelative() {
        #expect(paths.display("/work/main/notebooks/mini/corpus.jsonl") == "mini/corpus.jsonl")
        #expect(paths.display("/work/main/notebooks") == ".")
        #expect(paths.display("/work/main/notebooks/") == ".")
        #expect(paths.display("/work/main/stdlib/prompts/claim-query.md") == "../stdlib/prompts/claim-query.md")
        #expect(paths.display("/work/shared/data/scifact/corpus.jsonl.gz") == "../../shared/data/scifact/corpus.jsonl.gz")
        #expect(paths.display("/root/.cache/synthlab/models/all-MiniLM-L6-v2/vocab.txt")
                == "$SYNTHLAB_HOME/models/all-MiniLM-L6-v2/vocab.txt")
        #expect(paths.display("/root/notes/x.md") == "~/notes/x.md")
        #expect(paths.display("/opt/data/x.tsv") == "/opt/data/x.tsv")  // no shared root: left alone
        #expect(paths.display("nb.md") == "nb.md")
        #expect(paths.display("<repl>") == "<repl>")
    }

    @Test func synthlabHomeDefaultsToTheUserCache() {
        let defaulted = ReportPaths(projectFolder: URL(fileURLWithPath: "/home/ada/exp"), environment: ["HOME": "/home/ada"])
        #expect(defaulted.display("/home/ada/.cache/synthlab/models/m/config.json") == "$SYNTHLAB_HOME/models/m/config.json")
        #expect(defaulted.display("/home/ada/exp/nb.md") == "nb.md")
        #expect(defaulted.display("/home/ada/other/nb.md") == "../other/nb.md")
    }

    @Test func scrubRewritesPathsInsideTextOnly() {
        #expect(paths.scrub("train t: 9 examples; saved to /work/main/notebooks/.synthlab/models/t/checkpoint-6")
                == "train t: 9 examples; saved to .synthlab/models/t/checkpoint-6")
        #expect(paths.scrub("warning: /work/shared/data/mini/qrels/test.tsv:3: qrels rows name unknown ids")
                == "warning: ../../shared/data/mini/qrels/test.tsv:3: qrels rows name unknown ids")
        #expect(paths.scrub("model \"/root/.cache/synthlab/models/m\" (in /work/main/notebooks)")
                == "model \"$SYNTHLAB_HOME/models/m\" (in .)")
        // URLs, relative paths and look-alike prefixes are not paths under a known root.
        #expect(paths.scrub("http://127.0.0.1:8080/work/main/x") == "http://127.0.0.1:8080/work/main/x")
        #expect(paths.scrub("file:/work/main/x") == "file:/work/main/x")
        #expect(paths.scrub("a/work/main/x and ./work/main/y") == "a/work/main/x and ./work/main/y")
        #expect(paths.scrub("/workshop/x /work/mainline/y") == "/workshop/x ../../mainline/y")
        #expect(paths.scrub("no paths here") == "no paths here")
    }

    @Test func recordOutputsLocationsAndInputsAreRewritten() {
        let cell = CellRecord(
            index: 0, label: "c", source: "d = load \"/work/shared/data/mini\"",
            location: SourceLocation(file: "/work/main/notebooks/nb.md", line: 3, column: 1), status: .failed,
            outputs: [
                .text("loaded /work/shared/data/mini"),
                .table(Table(caption: "from /work/main/notebooks/runs", columns: ["path"],
                             rows: [.init(label: "/root/x", cells: [Table.Cell(text: "/work/main/notebooks/a.trec")])])),
                .error(Diagnostic(.error, "cannot read /work/main/stdlib/lib.synth",
                                  at: SourceLocation(file: "/work/main/stdlib/lib.synth", line: 2, column: 5),
                                  notes: ["searched /work/main/notebooks/"])),
            ])
        var provenance = Provenance()
        provenance.inputs = ["/work/shared/data/mini/corpus.jsonl": "h1", "mini/queries.jsonl": "h2"]
        provenance.command = "synthlab run /work/main/notebooks/nb.md"
        let record = RunRecord(
            title: "t", notebook: "/work/main/notebooks/nb.md", blocks: [.prose(html: "<p>/work/main</p>"), .cell(cell)],
            provenance: provenance)
        let shown = paths.apply(to: record)
        #expect(shown.notebook == "nb.md")
        #expect(shown.provenance.inputs == ["../../shared/data/mini/corpus.jsonl": "h1", "mini/queries.jsonl": "h2"])
        #expect(shown.provenance.command == provenance.command)  // provenance keeps the command as typed
        #expect(shown.blocks[0] == record.blocks[0])  // prose is the author's text
        guard case .cell(let out) = shown.blocks[1] else { Issue.record("cell"); return }
        #expect(out.source == cell.source)  // so is the cell source
        #expect(out.location == SourceLocation(file: "nb.md", line: 3, column: 1))
        #expect(out.outputs[0] == .text("loaded ../../shared/data/mini"))
        guard case .table(let table) = out.outputs[1], case .error(let error) = out.outputs[2] else {
            Issue.record("outputs"); return
        }
        #expect(table.caption == "from runs")
        #expect(table.rows[0].label == "~/x")
        #expect(table.rows[0].cells[0].text == "a.trec")
        #expect(error.rendered(caret: false)
                == "../stdlib/lib.synth:2:5: error: cannot read ../stdlib/lib.synth\n  note: searched ./")
    }
}
