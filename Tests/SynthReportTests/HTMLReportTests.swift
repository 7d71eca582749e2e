import Foundation
import SynthTestSupport
import SynthValues
import Testing

@testable import SynthReport

/// A record with everything a report shows, including hostile text from "data" and an "LLM".
func sampleRecord(failed: Bool = false, seconds: Double = 1.5, startedAt: String = "2026-01-01T00:00:00Z") -> RunRecord {
    let evil = "<script>alert('x')</script> & \"quotes\""
    var table = Table(caption: "Retrieval on <SciFact>", columns: ["system", "nDCG@10", "R@100", "latency"],
                      higherIsBetter: [nil, true, true, false], legend: ["† p < 0.05, paired t-test against bm25"])
    table.rows = [
        .init(label: "bm25", cells: [.number(0.6650), .number(0.9076), .number(12)]),
        .init(label: evil, cells: [.number(0.7000, marker: "†"), .number(0.9076), .number(30)]),
        .init(label: "dense", cells: [.number(0.6000), .number(0.8000), .number(20)]),
    ]
    let plot = Plot(kind: .line, title: "loss_{train}^2 @x 'q'", xLabel: "step", yLabel: "loss",
                    series: [Series(name: "train_loss", x: [1, 2, 3], y: [0.9, 0.5, 0.3])])
    var provenance = Provenance()
    provenance.toolVersion = "0.1.0"
    provenance.startedAt = startedAt
    provenance.seconds = seconds
    provenance.command = "synthlab run nb.md"
    var cells: [RunRecord.Block] = [
        .prose(html: "<h1 id=\"sec-1\">Intro</h1>\n<p>text</p>\n"),
        .cell(CellRecord(index: 0, label: "load", source: "data = load \"\(evil)\"\n",
                         location: SourceLocation(file: "nb.md", line: 5, column: 1), status: .ok, cached: true,
                         seconds: seconds, outputs: [.text(evil), .table(table)])),
        .prose(html: "<h2 id=\"sec-2\">Plots</h2>\n"),
        .cell(CellRecord(index: 1, label: "plot", source: "plot …\n", location: SourceLocation(file: "nb.md", line: 9),
                         status: failed ? .failed : .ok, seconds: seconds,
                         outputs: failed ? [.error(Diagnostic(.error, "unknown verb `plto` \(evil)",
                                                               at: SourceLocation(file: "nb.md", line: 9, column: 1),
                                                               sourceLine: "plto x"))] : [.plot(plot)])),
    ]
    if failed {
        cells.append(.cell(CellRecord(index: 2, label: "after", source: "print 1\n",
                                      location: SourceLocation(file: "nb.md", line: 13), status: .skipped)))
    }
    var llm = LLMUsage()
    llm.requestsNew = 3
    llm.promptTokens = 120
    return RunRecord(title: "Report <T>", author: evil, notebook: "nb.md",
                     params: [.init(name: "k", value: evil, type: "string", overridden: true)], blocks: cells,
                     results: ["eval": ["bm25": ["ndcg_cut.10": 0.665]]], llm: llm, provenance: provenance)
}

/// The report with the parts that legitimately vary (provenance block, timings) removed.
func normalized(_ html: String) -> String {
    var text = html
    if let start = text.range(of: "<details class=\"provenance\""), let end = text.range(of: "</details>", range: start.upperBound..<text.endIndex) {
        text.removeSubrange(start.lowerBound..<end.upperBound)
    }
    while let start = text.range(of: "<span class=\"time\">"), let end = text.range(of: "</span>", range: start.upperBound..<text.endIndex) {
        text.removeSubrange(start.lowerBound..<end.upperBound)
    }
    return text
}

@Suite struct HTMLReportTests {
    var noPlots: ReportOptions {
        var options = ReportOptions()
        options.plots = PlotRenderer(environment: ["SYNTHLAB_GNUPLOT": ""])
        return options
    }

    @Test func dataAndLLMTextIsEscapedEverywhere() {
        let html = HTMLReport.render(sampleRecord(failed: true), options: noPlots)
        #expect(!html.contains("<script"))
        #expect(html.contains("&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt; &amp; &quot;quotes&quot;"))
        #expect(html.contains("<title>Report &lt;T&gt;</title>"))
        #expect(html.contains("Table 1: Retrieval on &lt;SciFact&gt;"))
        #expect(!html.contains("http://") && !html.contains("https://"))  // no network references
    }

    @Test func metricTableMarksBestAndSecondPerColumn() {
        let html = TableHTML.render(sampleRecord().blocks.compactMap {
            if case .cell(let c) = $0, case .table(let t)? = c.outputs.last { t } else { nil }
        }[0], number: 2)
        #expect(html.contains("<figcaption>Table 2: Retrieval on &lt;SciFact&gt;</figcaption>"))
        #expect(html.contains("<th scope=\"col\">nDCG@10&nbsp;↑</th>") && html.contains("<th scope=\"col\">latency&nbsp;↓</th>"))
        #expect(html.contains("<td class=\"num\"><strong>0.7000</strong><sup class=\"marker\">†</sup></td>"))
        #expect(html.contains("<td class=\"num\"><u>0.6650</u></td>"))
        #expect(html.contains("<td class=\"num\">0.6000</td>"))
        // Ties share the bold; no second place when only two distinct values exist.
        #expect(html.components(separatedBy: "<strong>0.9076</strong>").count == 3)
        #expect(!html.contains("<u>0.8000</u>"))
        // Lower is better for latency.
        #expect(html.contains("<strong>12.0000</strong>") && html.contains("<u>20.0000</u>"))
        #expect(html.contains("† p &lt; 0.05, paired t-test against bm25"))
    }

    @Test func failedRunHasBannerLinkingToTheCell() {
        let html = HTMLReport.render(sampleRecord(failed: true), options: noPlots)
        #expect(html.contains("<div class=\"banner\" role=\"alert\"><strong>✗ Run stopped:</strong> cell <a href=\"#cell-plot\">plot</a> failed at <code>nb.md:9:1</code>: unknown verb `plto` &lt;script&gt;"))
        #expect(html.contains("1 later cell was skipped."))
        #expect(html.contains("<section class=\"cell status-failed\" id=\"cell-plot\">"))
        #expect(html.contains("⏭ skipped (upstream failed)"))
        #expect(html.contains("nb.md:9:1: error: unknown verb `plto`"))
        #expect(!HTMLReport.render(sampleRecord(), options: noPlots).contains("class=\"banner\""))
    }

    @Test func structureTocSourcesAndProvenance() {
        let html = HTMLReport.render(sampleRecord(), options: noPlots)
        #expect(html.hasPrefix("<!DOCTYPE html>"))
        #expect(html.contains("<nav class=\"toc\" aria-label=\"Contents\">"))
        #expect(html.contains("<li><a href=\"#sec-1\">Intro</a></li>"))
        #expect(html.contains("<li>&nbsp;&nbsp;<a href=\"#sec-2\">Plots</a></li>"))
        #expect(html.contains("<details class=\"source\"><summary>source</summary>"))
        #expect(html.contains("<span class=\"badge cached\">⟳ cached</span>"))
        #expect(html.contains("<details class=\"provenance\" id=\"provenance\">"))
        #expect(html.contains("<dt>reproduce</dt><dd><code>synthlab run nb.md</code></dd>"))
        #expect(html.contains("<dt>LLM requests</dt><dd><code>3 new, 0 replayed</code></dd>"))
        #expect(html.contains("<p class=\"note\">plot not drawn: gnuplot is not installed (apt-get install gnuplot-nox)</p>"))
        #expect(html.contains("<figcaption>Figure 1: loss_{train}^2 @x &#39;q&#39;</figcaption>"))
        #expect(!html.contains("<script"))
    }

    @Test func identicalApartFromProvenanceAndTimings() {
        let a = HTMLReport.render(sampleRecord(seconds: 1.5, startedAt: "2026-01-01T00:00:00Z"), options: noPlots)
        let b = HTMLReport.render(sampleRecord(seconds: 7.25, startedAt: "2026-02-02T00:00:00Z"), options: noPlots)
        #expect(a != b)
        #expect(normalized(a) == normalized(b))
        #expect(HTMLReport.render(sampleRecord(), options: noPlots) == HTMLReport.render(sampleRecord(), options: noPlots))
    }

    @Test func longOutputsAreTruncatedWithANote() {
        var options = noPlots
        options.maxOutputLines = 10
        options.headLines = 4
        options.tailLines = 2
        let long = (1...50).map { "line \($0)" }.joined(separator: "\n")
        let record = RunRecord(title: "t", notebook: "nb.md", blocks: [
            .cell(CellRecord(index: 0, label: "a", source: "", location: SourceLocation(file: "nb.md", line: 1),
                             status: .ok, outputs: [.text(long)])),
        ])
        let html = HTMLReport.render(record, options: options)
        #expect(html.contains("line 4\n… 44 lines omitted …\nline 49\nline 50</pre>"))
        #expect(!html.contains("line 5\n"))
        #expect(html.contains("output truncated: showing the first 4 and last 2 of 50 lines"))
    }

    @Test(.enabled(if: PlotRenderer().gnuplot != nil, "gnuplot not installed"))
    func plotsAreInlineSVGWithUniqueIdsAndLiteralText() throws {
        var record = sampleRecord()
        record.blocks.append(record.blocks[3])  // the same plot twice
        let html = HTMLReport.render(record)
        #expect(html.components(separatedBy: "<svg").count == 3)
        #expect(!html.contains("<?xml"))
        #expect(html.contains("id=\"fig1-gnuplot_canvas\"") && html.contains("id=\"fig2-gnuplot_canvas\""))
        #expect(!html.contains("id=\"gnuplot_canvas\"") && !html.contains("href='#gpPt"))
        #expect(html.contains("<title>loss_{train}^2 @x &#39;q&#39;</title>"))
        // noenhanced: gnuplot prints the title text literally (no sub/superscripts).
        #expect(html.contains("loss_{train}^2 @x 'q'</text>"))
        #expect(html.contains("train_loss</text>"))
    }

    @Test func gnuplotScriptQuotesUserText() {
        let plot = Plot(kind: .bar, title: "it's\n@evil", series: [
            Series(name: "a'b", x: [], y: [0.5, .nan], labels: ["x'y", "z"]),
        ])
        let script = GnuplotScript.script(for: plot, output: "/tmp/o.svg")
        #expect(script.contains("set title 'it''s @evil' noenhanced"))
        #expect(script.contains("set xtics ('x''y' 0, 'z' 1) noenhanced"))
        #expect(script.contains("title 'a''b' noenhanced"))
        #expect(script.contains("1 NaN"))
        #expect(GnuplotScript.hasData(Plot(kind: .line, title: "", series: [Series(name: "e", x: [], y: [])])) == false)
        let noData = PlotRenderer().render(Plot(kind: .line, title: "", series: []), idPrefix: "p")
        #expect(noData == .note("no data to plot"))
    }

    /// A cell with `echo: false` shows its outputs but not its source.
    @Test func echoFalseHidesTheSource() {
        let cells: [RunRecord.Block] = [
            .cell(CellRecord(index: 0, label: "shown", source: "print 1\n", location: SourceLocation(file: "nb.md", line: 3),
                             status: .ok, outputs: [.text("1")])),
            .cell(CellRecord(index: 1, label: "quiet", source: "print 2\n", location: SourceLocation(file: "nb.md", line: 8),
                             status: .ok, echo: false, outputs: [.text("2")])),
        ]
        let html = HTMLReport.render(RunRecord(title: "t", notebook: "nb.md", blocks: cells), options: noPlots)
        #expect(html.contains("<summary>source</summary><pre><code class=\"language-synth\">print 1\n</code></pre>"))
        #expect(!html.contains("print 2"))
        #expect(html.contains("<pre class=\"output\">2</pre>"))
    }
}
