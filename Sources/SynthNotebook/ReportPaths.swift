import Foundation
import SynthValues

/// Rewrites absolute paths in a run record so that reports read the same on every machine and clone.
///
/// Reports are shared, so they must not carry `/work/…`, `/home/someone/…` or temporary folders. Paths are
/// shown the way ``SynthCommands/ExecutionContext/displayPath(_:)`` shows them, extended to files outside
/// the project:
///
/// | absolute path | shown as |
/// |---|---|
/// | inside the notebook folder | relative to it: `mini/corpus.jsonl` (the folder itself: `.`) |
/// | inside `$SYNTHLAB_HOME` (default `~/.cache/synthlab`) | `$SYNTHLAB_HOME/models/all-MiniLM-L6-v2/vocab.txt` |
/// | beside the notebook folder (a common ancestor other than `/`) | relative with `..`: `../stdlib/prelude.synth` |
/// | elsewhere in the user's home | `~/…` |
///
/// Anything else (and every relative path) is left alone. ``scrub(_:)`` applies the same rewriting to
/// free text, such as a verb's output line `saved to /work/main/notebooks/.synthlab/models/x` or a
/// data-file warning, which also fixes outputs restored from a cache written by an older version.
package struct ReportPaths: Sendable {
    /// Absolute prefixes (each ending in `/`) and what replaces them, longest first.
    private let rules: [(prefix: String, replacement: String)]
    /// The notebook folder without a trailing slash.
    private let project: String

    /// - Parameters:
    ///   - projectFolder: the notebook folder.
    ///   - environment: reads `SYNTHLAB_HOME` and `HOME`.
    package init(projectFolder: URL, environment: [String: String] = ProcessInfo.processInfo.environment) {
        project = Self.trimmed(projectFolder.standardizedFileURL.path)
        var rules: [(String, String)] = [(project + "/", "")]
        let home = environment["HOME"].flatMap { $0.isEmpty ? nil : Self.trimmed($0) }
        if let synthlab = environment["SYNTHLAB_HOME"].flatMap({ $0.isEmpty ? nil : $0 }) {
            rules.append((Self.trimmed(URL(fileURLWithPath: synthlab).standardizedFileURL.path) + "/", "$SYNTHLAB_HOME/"))
        } else if let home {
            rules.append((home + "/.cache/synthlab/", "$SYNTHLAB_HOME/"))
        }
        var ancestor = URL(fileURLWithPath: project)
        var ups = "../"
        while true {
            ancestor = ancestor.deletingLastPathComponent()
            let path = Self.trimmed(ancestor.path)
            if path.isEmpty || path == "/" { break }
            rules.append((path + "/", ups))
            ups += "../"
        }
        if let home, home != "/" { rules.append((home + "/", "~/")) }
        // Longest prefix first; on equal prefixes the first rule above wins.
        var seen = Set<String>()
        self.rules = rules.filter { seen.insert($0.0).inserted }.sorted { $0.0.count > $1.0.count }
    }

    /// `path` as a report shows it (see the type's table).
    package func display(_ path: String) -> String {
        guard path.hasPrefix("/") else { return path }
        let standard = Self.trimmed(URL(fileURLWithPath: path).standardizedFileURL.path)
        if standard == project { return "." }
        for rule in rules where standard.hasPrefix(rule.prefix) {
            return rule.replacement + standard.dropFirst(rule.prefix.count)
        }
        return path
    }

    /// `text` with every absolute path that starts at a word boundary under a known root rewritten.
    package func scrub(_ text: String) -> String {
        // Most outputs name no path under a known root: skip the character walk for them.
        guard text.contains("/"), text.contains(project) || rules.contains(where: { text.contains($0.prefix) }) else {
            return text
        }
        var result = ""
        var rest = Substring(text)
        var previous: Character? = nil
        outer: while let first = rest.first {
            if first == "/", previous.map(Self.isBoundary) ?? true {
                if rest.hasPrefix(project), rest.dropFirst(project.count).first.map({ !Self.isPathCharacter($0) }) ?? true {
                    result += "."
                    rest = rest.dropFirst(project.count)
                    previous = "."
                    continue outer
                }
                for rule in rules where rest.hasPrefix(rule.prefix) {
                    rest = rest.dropFirst(rule.prefix.count)
                    // The project folder itself, written with a trailing slash, is `./`.
                    let bare = rule.replacement.isEmpty && !(rest.first.map(Self.isPathCharacter) ?? false)
                    result += bare ? "./" : rule.replacement
                    previous = "/"
                    continue outer
                }
            }
            result.append(first)
            previous = first
            rest = rest.dropFirst()
        }
        return result
    }

    /// `record` with the notebook path, cell locations, outputs and provenance inputs rewritten. Prose,
    /// cell sources, params and the reproduce command are the user's own text and stay as they are.
    package func apply(to record: RunRecord) -> RunRecord {
        var record = record
        record.notebook = display(record.notebook)
        record.blocks = record.blocks.map { block in
            guard case .cell(var cell) = block else { return block }
            cell.location.file = display(cell.location.file)
            cell.outputs = cell.outputs.map { apply(to: $0) }
            return .cell(cell)
        }
        var inputs: [String: String] = [:]
        for (path, hash) in record.provenance.inputs { inputs[display(path)] = hash }
        record.provenance.inputs = inputs
        return record
    }

    /// One output with its paths rewritten.
    package func apply(to output: CellOutput) -> CellOutput {
        switch output {
        case .text(let text): return .text(scrub(text))
        case .table(var table):
            table.caption = scrub(table.caption)
            table.legend = table.legend.map(scrub)
            table.columns = table.columns.map(scrub)
            table.rows = table.rows.map { row in
                var row = row
                row.label = scrub(row.label)
                row.cells = row.cells.map { cell in
                    var cell = cell
                    cell.text = scrub(cell.text)
                    return cell
                }
                return row
            }
            return .table(table)
        case .plot(var plot):
            plot.title = scrub(plot.title)
            plot.xLabel = scrub(plot.xLabel)
            plot.yLabel = scrub(plot.yLabel)
            plot.series = plot.series.map { series in
                var series = series
                series.name = scrub(series.name)
                series.labels = series.labels?.map(scrub)
                return series
            }
            return .plot(plot)
        case .error(var diagnostic):
            diagnostic.message = scrub(diagnostic.message)
            diagnostic.notes = diagnostic.notes.map(scrub)
            if let location = diagnostic.location { diagnostic.location?.file = display(location.file) }
            return .error(diagnostic)
        }
    }

    /// A character after which an absolute path may start (not inside a word, a relative path or a URL).
    private static func isBoundary(_ c: Character) -> Bool { !isPathCharacter(c) && c != ":" }

    private static func isPathCharacter(_ c: Character) -> Bool {
        c.isLetter || c.isNumber || "._-~$/+@%".contains(c)
    }

    private static func trimmed(_ path: String) -> String {
        path.count > 1 && path.hasSuffix("/") ? String(path.dropLast()) : path
    }
}
