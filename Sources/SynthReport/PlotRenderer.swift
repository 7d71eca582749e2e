import Foundation
import SynthValues

/// Draws ``Plot``s with the `gnuplot` binary as SVG for inlining into a report.
///
/// gnuplot runs as a subprocess with `-d` (ignores `~/.gnuplot`), stdin from the null device and a time
/// limit; success is judged by the exit status, never by an SVG existing. The SVG's ids and references are
/// prefixed per plot so several plots can share one page. When gnuplot is missing or fails, the result is a
/// note the report shows in the plot's place.
package struct PlotRenderer: Sendable {
    /// The outcome for one plot.
    package enum Outcome: Sendable, Equatable {
        case svg(String)
        case note(String)
    }

    /// The gnuplot executable, or `nil` when none is on `PATH`.
    package var gnuplot: URL?
    /// Seconds before gnuplot is killed.
    package var timeout: Double = 30
    /// When set, SVGs are kept here named by the SHA-256 of their gnuplot script (gnuplot's output is
    /// deterministic), so re-rendering an unchanged plot spawns no process. The runner uses `.synthlab/plots`.
    package var cacheFolder: URL?

    /// Finds gnuplot on `PATH` (or uses `$SYNTHLAB_GNUPLOT` when set, which may be empty to disable plots).
    package init(environment: [String: String] = ProcessInfo.processInfo.environment) {
        if let forced = environment["SYNTHLAB_GNUPLOT"] {
            gnuplot = forced.isEmpty ? nil : URL(fileURLWithPath: forced)
            return
        }
        gnuplot = nil
        for folder in (environment["PATH"] ?? "/usr/bin:/bin").split(separator: ":") {
            let candidate = URL(fileURLWithPath: String(folder)).appendingPathComponent("gnuplot")
            if FileManager.default.isExecutableFile(atPath: candidate.path) { gnuplot = candidate; break }
        }
    }

    /// Renders `plot`; `idPrefix` makes its SVG ids unique on the page.
    package func render(_ plot: Plot, idPrefix: String) -> Outcome {
        guard GnuplotScript.hasData(plot) else { return .note("no data to plot") }
        guard let gnuplot else { return .note("plot not drawn: gnuplot is not installed (apt-get install gnuplot-nox)") }
        let cacheKey = SHA256.hash(GnuplotScript.script(for: plot, output: "plot.svg") + gnuplot.path).hex
        let cached = cacheFolder?.appendingPathComponent(cacheKey + ".svg")
        if let cached, let svg = try? String(contentsOf: cached, encoding: .utf8) {
            return .svg(Self.inline(svg, idPrefix: idPrefix, title: plot.title))
        }
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("synthlab-plot-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: folder) }
        do {
            try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
            let svgURL = folder.appendingPathComponent("plot.svg")
            let scriptURL = folder.appendingPathComponent("plot.gp")
            try Data(GnuplotScript.script(for: plot, output: svgURL.path).utf8).write(to: scriptURL)
            let process = Process()
            process.executableURL = gnuplot
            process.arguments = ["-d", scriptURL.path]
            process.standardInput = FileHandle.nullDevice
            process.standardOutput = FileHandle.nullDevice
            let errors = Pipe()
            process.standardError = errors
            try process.run()
            let timer = DispatchWorkItem { [process] in if process.isRunning { process.terminate() } }
            DispatchQueue.global().asyncAfter(deadline: .now() + timeout, execute: timer)
            let stderr = errors.fileHandleForReading.readDataToEndOfFile()
            process.waitUntilExit()
            timer.cancel()
            guard process.terminationReason == .exit, process.terminationStatus == 0,
                  let svg = try? String(contentsOf: svgURL, encoding: .utf8)
            else {
                let message = String(decoding: stderr, as: UTF8.self).split(separator: "\n").last.map(String.init) ?? ""
                return .note("plot not drawn: gnuplot failed" + (message.isEmpty ? "" : " (\(message))"))
            }
            if let cached { try? AtomicFile.write(svg, to: cached) }
            return .svg(Self.inline(svg, idPrefix: idPrefix, title: plot.title))
        } catch {
            return .note("plot not drawn: cannot run gnuplot (\(error.localizedDescription))")
        }
    }

    /// Prepares gnuplot's SVG for inlining: drops the XML declaration, prefixes ids and references, and
    /// replaces the generic `<title>` with the plot's (escaped) title.
    package static func inline(_ svg: String, idPrefix: String, title: String) -> String {
        var text = svg
        if let declaration = text.range(of: "?>"), text.hasPrefix("<?xml") {
            text = String(text[declaration.upperBound...])
        }
        for quote in ["'", "\""] {
            text = text.replacingOccurrences(of: "id=\(quote)", with: "id=\(quote)\(idPrefix)")
            text = text.replacingOccurrences(of: "href=\(quote)#", with: "href=\(quote)#\(idPrefix)")
        }
        text = text.replacingOccurrences(of: "url(#", with: "url(#\(idPrefix)")
        text = text.replacingOccurrences(of: "<title>Gnuplot</title>", with: "<title>\(HTMLEscape.text(title))</title>")
        text = text.replacingOccurrences(of: "<desc>Produced by GNUPLOT", with: "<desc>Drawn by gnuplot")
        text = text.replacingOccurrences(of: "<svg \n", with: "<svg role=\"img\" \n")
        return text.trimmingCharacters(in: .whitespacesAndNewlines)
    }
}
