import Foundation
import SynthTestSupport
import SynthValues
import Testing

@testable import SynthReport

/// A rendered report opened in a real browser (headless Chromium, installed by `scripts/setup`): the layout
/// probe `scripts/report-layout.js` (shared with `scripts/screenshot-reports`) runs in a copy of the page
/// and reports where Chromium laid out each table and plot and whether each is the topmost element at its
/// own centre.
@Suite struct BrowserRenderTests {
    struct Layout: Decodable {
        struct Box: Decodable { var x, y, width, height: Double }
        struct TableInfo: Decodable {
            var box: Box
            /// The `.table-scroll` box around a metrics table (the table itself for plain tables).
            var frame: Box
            /// Wider than its frame: cut at the frame's edge, scrolling sideways inside it.
            var clipped: Bool
            var rows: Int
            var laidOutCells: Int
            var visible: Bool
            var collapsed: Bool
            var caption: String
        }
        struct PlotInfo: Decodable {
            var box: Box
            var marks: Int
            var texts: Int
            var visible: Bool
            var title: String
        }
        var title: String
        var width: Double
        var height: Double
        var viewportWidth: Double
        var tables: [TableInfo]
        var plots: [PlotInfo]
    }

    static let chromium: URL? = ["/usr/bin/chromium", "/usr/bin/chromium-browser", "/usr/bin/google-chrome"]
        .map { URL(fileURLWithPath: $0) }.first { FileManager.default.isExecutableFile(atPath: $0.path) }

    /// Runs headless Chromium on `page` with `arguments`; returns its standard output.
    static func browser(_ arguments: [String], page: URL, profile: URL) throws -> Data {
        let chromium = try #require(Self.chromium, "chromium is not installed (scripts/setup installs it)")
        let process = Process()
        process.executableURL = chromium
        process.arguments =
            [
                "--headless", "--no-sandbox", "--disable-gpu", "--hide-scrollbars", "--no-first-run", "--mute-audio",
                "--user-data-dir=\(profile.path)", "--window-size=1000,1400",
            ] + arguments + [page.absoluteString]
        let output = folderFile(profile.deletingLastPathComponent(), "stdout-\(UUID().uuidString)")
        _ = FileManager.default.createFile(atPath: output.path, contents: nil)
        process.standardOutput = try FileHandle(forWritingTo: output)
        process.standardError = FileHandle.nullDevice
        try process.run()
        process.waitUntilExit()
        return try Data(contentsOf: output)
    }

    static func folderFile(_ folder: URL, _ name: String) -> URL { folder.appendingPathComponent(name) }

    /// The page with the layout probe appended to its body.
    static func probeCopy(of html: String, in folder: URL) throws -> URL {
        let probe = try String(
            contentsOf: TestPaths.root.appendingPathComponent("scripts/report-layout.js"), encoding: .utf8)
        let at = html.range(of: "</body>", options: .backwards)?.lowerBound ?? html.endIndex
        let page = String(html[..<at]) + "<script>\n" + probe + "\n</script>\n" + String(html[at...])
        let url = folder.appendingPathComponent("report.html")
        try page.write(to: url, atomically: true, encoding: .utf8)
        return url
    }

    /// The probe's measurements from `--dump-dom` (one retry: a fresh profile's first start may print nothing).
    static func layout(of page: URL, profile: URL) throws -> Layout {
        for _ in 0..<2 {
            let dom = String(decoding: try browser(["--dump-dom"], page: page, profile: profile), as: UTF8.self)
            guard let start = dom.range(of: "<pre id=\"synthlab-layout\"", options: .backwards),
                let open = dom.range(of: ">", range: start.upperBound..<dom.endIndex),
                let close = dom.range(of: "</pre>", range: open.upperBound..<dom.endIndex)
            else { continue }
            let json = String(dom[open.upperBound..<close.lowerBound])
                .replacingOccurrences(of: "&lt;", with: "<").replacingOccurrences(of: "&gt;", with: ">")
                .replacingOccurrences(of: "&quot;", with: "\"").replacingOccurrences(of: "&amp;", with: "&")
            return try JSONDecoder().decode(Layout.self, from: Data(json.utf8))
        }
        throw BrowserFailure(description: "chromium printed no layout for \(page.path)")
    }

    struct BrowserFailure: Error, CustomStringConvertible { var description: String }

    /// The width and height in a PNG's IHDR chunk.
    static func pngSize(_ data: Data) -> (width: Int, height: Int)? {
        let bytes = [UInt8](data.prefix(24))
        guard bytes.count == 24, bytes[0..<8] == [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A] else { return nil }
        func int(_ at: Int) -> Int { bytes[at..<at + 4].reduce(0) { $0 << 8 | Int($1) } }
        return (int(16), int(20))
    }

    @Test func tablesAndPlotsAreLaidOutAndVisibleInChromium() throws {
        let folder = try TestPaths.temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let profile = folder.appendingPathComponent("profile")
        let record = sampleRecord()
        let html = HTMLReport.render(record)
        #expect(html.contains("<svg"), "gnuplot (scripts/setup) must draw the plot for this test")
        let page = try Self.probeCopy(of: html, in: folder)
        let layout = try Self.layout(of: page, profile: profile)

        #expect(layout.title == "Report <T>")
        #expect(layout.width <= layout.viewportWidth, "the page overflows: \(layout.width) px")

        let table = try #require(layout.tables.first { $0.caption.hasPrefix("Table 1: Retrieval on <SciFact>") })
        #expect(table.visible && !table.collapsed)
        #expect(table.rows == 4)  // header + bm25, the hostile label, dense
        #expect(table.laidOutCells >= 15, "only \(table.laidOutCells) table cells have a box and text")
        #expect(table.box.width > 200 && table.box.height > 60)

        #expect(layout.plots.count == 1)
        let plot = try #require(layout.plots.first)
        #expect(plot.visible)
        #expect(plot.box.width >= 400 && plot.box.height >= 250, "plot box \(plot.box)")
        #expect(plot.box.x + plot.box.width <= layout.width)
        #expect(plot.marks >= 5, "only \(plot.marks) drawn marks (axes, ticks, the curve)")
        #expect(plot.texts >= 4, "only \(plot.texts) laid-out labels (title, axis labels, ticks)")
        #expect(
            plot.title
                == record.blocks.compactMap { block -> String? in
                    if case .cell(let cell) = block, case .plot(let p)? = cell.outputs.first { return p.title }
                    return nil
                }.first)
        // The plot is below the table on the page, as in the record.
        #expect(plot.box.y > table.box.y + table.box.height)

        // A screenshot of the same page: the window's size, and far more ink than a blank page.
        let shot = folder.appendingPathComponent("report.png")
        _ = try Self.browser(["--screenshot=\(shot.path)"], page: page, profile: profile)
        let blankPage = folder.appendingPathComponent("blank.html")
        try "<!doctype html><html><body></body></html>".write(to: blankPage, atomically: true, encoding: .utf8)
        let blank = folder.appendingPathComponent("blank.png")
        _ = try Self.browser(["--screenshot=\(blank.path)"], page: blankPage, profile: profile)
        let png = try Data(contentsOf: shot)
        let size = try #require(Self.pngSize(png), "not a PNG")
        #expect(size.width == 1000 && size.height == 1400)
        let blankBytes = try Data(contentsOf: blank).count
        #expect(png.count > 5 * blankBytes, "screenshot \(png.count) bytes vs blank page \(blankBytes)")
    }

    /// A table of nine trec_eval measures (the walkthrough's) fits a 1000 px window: its header names wrap
    /// after `.`, so every column is on the page. A 30-column table cannot fit: it scrolls inside its own
    /// box, and the page itself never becomes wider than the window.
    @Test func wideTablesFitOrScrollInsideTheirBox() throws {
        let folder = try TestPaths.temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let measures = ["ndcg_cut.10"] + [1, 3, 5, 10, 20, 50, 100].map { "recall.\($0)" } + ["map_cut.100"]
        var nine = Table(caption: "BM25 vs MiniLM", columns: measures, higherIsBetter: measures.map { _ in true })
        nine.rows = [
            .init(label: "bm25", cells: measures.indices.map { .number(0.8979 + Double($0) / 100) }),
            .init(label: "minilm", cells: measures.indices.map { .number(0.9035 - Double($0) / 100, marker: "†") }),
        ]
        let names = (1...30).map { "measure_number.\($0)" }
        var thirty = Table(caption: "Thirty", columns: names, higherIsBetter: names.map { _ in true })
        thirty.rows = [.init(label: "bm25", cells: names.indices.map { .number(Double($0) * 1000.5) })]
        let record = RunRecord(
            title: "Wide", notebook: "nb.md",
            blocks: [
                .cell(CellRecord(index: 0, label: "tables", source: "table e\n",
                                 location: SourceLocation(file: "nb.md", line: 3), status: .ok,
                                 outputs: [.table(nine), .table(thirty)]))
            ])
        let html = HTMLReport.render(record)
        #expect(html.contains("<th scope=\"col\">recall.<wbr>100&nbsp;↑</th>"))
        let layout = try Self.layout(of: try Self.probeCopy(of: html, in: folder),
                                     profile: folder.appendingPathComponent("profile"))
        #expect(layout.viewportWidth == 1000)
        #expect(layout.width <= layout.viewportWidth, "the page overflows: \(layout.width) px")

        let fits = try #require(layout.tables.first { $0.caption.hasPrefix("Table 1: BM25 vs MiniLM") })
        #expect(!fits.clipped, "the nine-measure table is cut at \(fits.frame)")
        #expect(fits.box.x + fits.box.width <= fits.frame.x + fits.frame.width + 1)
        #expect(fits.frame.x + fits.frame.width <= layout.viewportWidth - 30, "frame \(fits.frame)")
        #expect(fits.laidOutCells == 9 + 2 * 10)  // header names (the corner is empty) and both rows
        #expect(fits.visible)

        let scrolls = try #require(layout.tables.first { $0.caption.hasPrefix("Table 2: Thirty") })
        #expect(scrolls.clipped)
        #expect(scrolls.box.width > scrolls.frame.width)
        #expect(scrolls.frame.x + scrolls.frame.width <= layout.viewportWidth - 30, "frame \(scrolls.frame)")
        #expect(scrolls.visible)
    }

    @Test func hiddenPlotsAndCoveredTablesAreCaught() throws {
        let folder = try TestPaths.temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let broken = HTMLReport.render(sampleRecord()).replacingOccurrences(
            of: "</head>",
            with:
                "<style>figure.plot svg{visibility:hidden} "
                + "figure.table table{position:relative;z-index:-9}</style></head>"
        )
        let layout = try Self.layout(
            of: try Self.probeCopy(of: broken, in: folder), profile: folder.appendingPathComponent("profile"))
        #expect(layout.plots.allSatisfy { !$0.visible })
        #expect(layout.tables.filter { $0.caption.hasPrefix("Table 1") }.allSatisfy { !$0.visible })
    }
}
