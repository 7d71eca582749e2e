import ArgumentParser
import Foundation
import SynthCommands
import SynthNotebook
import SynthReport
import SynthValues

/// `synthlab run NOTEBOOK`: runs a notebook top to bottom and writes its HTML report and sidecar JSON.
struct Run: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Run a notebook and write reports/<name>.html and .json.",
        discussion: """
            Cells run top to bottom in one environment. Cached cells whose source, options, params read, \
            upstream cells and input files are unchanged are restored instead of re-run (cache in \
            .synthlab/ beside the notebook). A failing cell stops the run (unless it has `#| error: true`); \
            the report is still written with a banner linking to it, and the exit status is 1.

            Examples:
              synthlab run notebooks/bm25-scifact.md
              synthlab run nb.md --param top_k=10 --refresh bm25 --out /tmp/reports
            """)

    @Argument(help: "The notebook (.md) to run.")
    var notebook: String

    @Option(name: .customLong("param"), help: ArgumentHelp("Override a front-matter param (repeatable).", valueName: "name=value"))
    var params: [String] = []

    @Flag(name: .customLong("no-cache"), help: "Neither read nor write the cell cache.")
    var noCache = false

    @Option(name: .customLong("refresh"), help: ArgumentHelp("Recompute this cell and its readers even if cached (repeatable).", valueName: "label"))
    var refresh: [String] = []

    @Option(name: .customLong("out"), help: ArgumentHelp("Folder for the report files.", valueName: "dir"))
    var out: String = "reports"

    @Flag(help: "LLM requests must be replayed from the response store; missing ones are errors.")
    var offline = false

    @Flag(name: .customLong("allow-unsafe"), help: "Allow verbs to read and write outside the project, output and data folders.")
    var allowUnsafe = false

    @Flag(name: .shortAndLong, help: "No progress lines on stderr.")
    var quiet = false

    func run() async throws {
        let notebook: Notebook
        let resolved: ResolvedParams
        do {
            notebook = try NotebookParser.load(URL(fileURLWithPath: self.notebook), path: self.notebook)
            resolved = try ResolvedParams(notebook: notebook, overrides: params)
            let labels = Set(notebook.cells.map(\.label))
            for label in refresh where !labels.contains(label) {
                let near = nearestName(to: label, in: labels)
                throw Diagnostic(.error, "--refresh: no cell labelled `\(label)` in \(self.notebook)",
                                 notes: near.map { ["did you mean `\($0)`?"] } ?? [])
            }
        } catch {
            throw ReportedFailure(status: error.reportAsDiagnostic())
        }
        var settings = RunSettings(outputFolder: URL(fileURLWithPath: out).standardizedFileURL)
        settings.useCache = !noCache
        settings.refresh = Set(refresh)
        settings.offline = offline
        settings.allowUnsafe = allowUnsafe
        settings.command = reproduceCommand(resolved)
        settings.importPaths = StdlibLocator.find().map { [$0] } ?? []
        let progress = ProgressRenderer(quiet: quiet)
        let runner = NotebookRunner(notebook: notebook, params: resolved, settings: settings) { progress.handle($0) }
        let interrupts = InterruptHandler.install()  // Ctrl-C stops the local LLM servers, then exits 130
        let outcome = await runner.run()
        await LocalTeacherServers.stopAll()
        withExtendedLifetime(interrupts) {}
        progress.finish()

        let name = URL(fileURLWithPath: self.notebook).deletingPathExtension().lastPathComponent
        let files: (html: URL, json: URL)
        do {
            var options = ReportOptions()
            if settings.useCache { options.plots.cacheFolder = runner.projectFolder.appendingPathComponent(".synthlab/plots") }
            files = try ReportWriter.write(outcome.record, name: name, to: settings.outputFolder, options: options)
        } catch {
            throw ReportedFailure(status: error.reportAsDiagnostic())
        }
        if let failed = outcome.record.firstFailure {
            for case .error(let diagnostic) in failed.outputs { DiagnosticPrinter.print(diagnostic) }
        }
        if !quiet { StandardError.line("report: \(relative(files.html.path)) (+ .json)") }
        if outcome.failed { throw ReportedFailure(status: ExitStatus.failure) }
    }

    /// The command line that reproduces this report, with every param spelt out.
    private func reproduceCommand(_ resolved: ResolvedParams) -> String {
        // An absolute notebook path inside the current folder is written relative to it (reports are shared).
        var parts = ["synthlab", "run", shellQuote(relative(URL(fileURLWithPath: notebook).standardizedFileURL.path))]
        for entry in resolved.values { parts += ["--param", shellQuote("\(entry.spec.name)=\(entry.value)")] }
        if out != "reports" { parts += ["--out", shellQuote(relative(URL(fileURLWithPath: out).standardizedFileURL.path))] }
        if offline { parts.append("--offline") }
        return parts.joined(separator: " ")
    }

    private func relative(_ path: String) -> String {
        let cwd = FileManager.default.currentDirectoryPath + "/"
        return path.hasPrefix(cwd) ? String(path.dropFirst(cwd.count)) : path
    }
}

/// Quotes a word for a POSIX shell when it needs quoting.
func shellQuote(_ word: String) -> String {
    let safe = word.allSatisfy { $0.isLetter || $0.isNumber || "-_./=:,+@%".contains($0) }
    return safe && !word.isEmpty ? word : "'" + word.replacingOccurrences(of: "'", with: "'\\''") + "'"
}
