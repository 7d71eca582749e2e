import CReadline
import Foundation
import SynthCommands
import SynthLanguage
import SynthNotebook
import SynthReport
import SynthValues

/// One interactive session: reads inputs, runs them in one interpreter, and handles `:` commands.
///
/// Every input that ran without error is kept, so `:save FILE.md` writes a notebook that `synthlab run`
/// reproduces and `:report FILE.html` renders the session. Ctrl-C while a command runs cancels it and
/// returns to the prompt.
final class ReplSession {
    private struct Entry {
        var source: String
        var location: SourceLocation
        var outputs: [CellOutput]
        var seconds: Double
        var result: CellResult
    }

    private let interpreter: Interpreter
    private let reader: LineReader
    private let progress: ProgressRenderer
    private var entries: [Entry] = []
    private var nextLine = 1
    private var failures = 0

    init(interpreter: Interpreter, reader: LineReader, progress: ProgressRenderer) {
        self.interpreter = interpreter
        self.progress = progress
        self.reader = reader
    }

    /// Runs until `:quit` or end of input; returns the exit status (1 when a scripted session had errors).
    func loop() async -> Int32 {
        synth_install_interrupt_handler()
        if reader.interactive {
            StandardError.line("synthlab \(ToolVersion.current) REPL. :help for commands, :quit or Ctrl-D to leave.")
        }
        var buffer = InputBuffer()
        while true {
            activeCompleter = Completer(verbs: VerbRegistry.all, variables: interpreter.variables)
            guard let line = reader.readLine(prompt: buffer.isEmpty ? "synth> " : "  ...> ") else { break }
            _ = synth_take_interrupts()
            if buffer.isEmpty, line.trimmingCharacters(in: .whitespaces).hasPrefix(":") {
                reader.remember(line)
                if await meta(line.trimmingCharacters(in: .whitespaces)) { break }
                continue
            }
            buffer.append(line)
            if buffer.needsMore { continue }
            let source = buffer.text
            let lineCount = buffer.lines.count
            reader.remember(buffer.lines.joined(separator: "\n"))
            buffer.clear()
            let location = SourceLocation(file: "<repl>", line: nextLine, column: 1)
            nextLine += lineCount
            if source.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty { continue }
            if let entry = await execute(source, at: location) { entries.append(entry) }
        }
        if !buffer.isEmpty {
            DiagnosticPrinter.print(Diagnostic(.error, "input ended inside an unfinished statement (open `def` or bracket)",
                                               at: SourceLocation(file: "<repl>", line: nextLine)))
            failures += 1
        }
        reader.saveHistory()
        return !reader.interactive && failures > 0 ? ExitStatus.failure : ExitStatus.success
    }

    // MARK: - Running code

    /// Parses, checks and runs one input; prints its outputs. Returns the entry when it succeeded.
    private func execute(_ source: String, at location: SourceLocation, record: Bool = true) async -> Entry? {
        let start = ContinuousClock.now
        let checked: CheckedCell
        do {
            checked = try interpreter.check(try interpreter.parse(source, at: location))
        } catch {
            DiagnosticPrinter.print(error.asDiagnostic)
            failures += 1
            return nil
        }
        let interpreter = self.interpreter
        let task = Task { try await interpreter.run(checked) }
        let watcher = Task {
            while !Task.isCancelled {
                try? await Task.sleep(for: .milliseconds(50))
                if synth_take_interrupts() > 0 { task.cancel() }
            }
        }
        let outcome = await task.result
        watcher.cancel()
        progress.finish()
        switch outcome {
        case .success(let result):
            OutputPrinter.print(result.outputs)
            return Entry(source: source, location: location, outputs: result.outputs,
                         seconds: (ContinuousClock.now - start).seconds, result: result)
        case .failure(let error):
            OutputPrinter.print(interpreter.partialResult.outputs)
            if error is CancellationError {
                StandardError.line("cancelled")
            } else {
                DiagnosticPrinter.print(error.asDiagnostic)
            }
            failures += 1
            return nil
        }
    }

    // MARK: - Meta commands

    /// Handles a `:` command; returns true to quit.
    private func meta(_ line: String) async -> Bool {
        let parts = line.split(separator: " ", maxSplits: 1).map(String.init)
        let argument = parts.count > 1 ? parts[1].trimmingCharacters(in: .whitespaces) : ""
        switch parts[0] {
        case ":quit", ":q", ":exit": return true
        case ":help", ":h": help(argument)
        case ":vars": vars()
        case ":show":
            guard !argument.isEmpty else { return usage(":show NAME") }
            _ = await execute("show \(argument)\n", at: SourceLocation(file: "<repl>", line: nextLine, column: 1))
        case ":save":
            guard !argument.isEmpty else { return usage(":save FILE.md") }
            save(argument)
        case ":report":
            guard !argument.isEmpty else { return usage(":report FILE.html") }
            report(argument)
        default:
            let names = ReplSession.commands.map(\.name)
            let near = nearestName(to: parts[0], in: names)
            DiagnosticPrinter.print(Diagnostic(.error, "unknown REPL command `\(parts[0])`",
                                               notes: (near.map { ["did you mean `\($0)`?"] } ?? []) + ["type :help for the list"]))
            failures += 1
        }
        return false
    }

    private func usage(_ text: String) -> Bool {
        DiagnosticPrinter.print(Diagnostic(.error, "expected \(text)"))
        failures += 1
        return false
    }

    static let commands: [(name: String, text: String)] = [
        (":help [verb]", "list verbs and commands, or explain one verb"),
        (":vars", "list variables with their types"),
        (":show NAME", "show a variable in full"),
        (":save FILE.md", "write the session as a notebook that `synthlab run` reproduces"),
        (":report FILE.html", "write the session as an HTML report (+ .json)"),
        (":quit", "leave (Ctrl-D works too); Ctrl-C cancels a running command"),
    ]

    private func help(_ verb: String) {
        var text = ""
        if verb.isEmpty {
            text += "Verbs (:help VERB for details):\n"
            let specs = VerbRegistry.all
            let width = specs.map(\.fullName.count).max() ?? 8
            for spec in specs {
                text += "  " + spec.fullName.padding(toLength: width + 2, withPad: " ", startingAt: 0) + spec.summary + "\n"
            }
            text += "\nCommands:\n"
            for command in ReplSession.commands {
                text += "  " + command.name.padding(toLength: 20, withPad: " ", startingAt: 0) + command.text + "\n"
            }
            text += "\nStatements: `name = verb args key=value`, `def name(args) … end`, `import \"file\"`.\n"
        } else {
            let forms = VerbRegistry.all.filter { $0.name == verb || $0.fullName == verb }
            guard !forms.isEmpty else {
                let near = nearestName(to: verb, in: Set(VerbRegistry.all.map(\.name)))
                DiagnosticPrinter.print(Diagnostic(.error, "unknown verb `\(verb)`", notes: near.map { ["did you mean `\($0)`?"] } ?? []))
                failures += 1
                return
            }
            for spec in forms {
                text += spec.synopsis + "\n  " + spec.summary + "\n"
                if !spec.discussion.isEmpty { text += "\n  " + spec.discussion.replacingOccurrences(of: "\n", with: "\n  ") + "\n" }
                if !spec.arguments.isEmpty { text += "\n  arguments:\n" }
                for arg in spec.arguments {
                    var line = "    \(arg.name): \(arg.type.description)"
                    if let value = arg.defaultValue { line += " = \(value.literal)" }
                    if !arg.doc.isEmpty { line += " — \(arg.doc)" }
                    text += line + "\n"
                }
                if let paper = spec.paper { text += "  paper: \(paper)\n" }
                text += "  example: \(spec.example)\n\n"
            }
        }
        FileHandle.standardOutput.write(Data(text.utf8))
    }

    private func vars() {
        let variables = interpreter.variables
        guard !variables.isEmpty else {
            FileHandle.standardOutput.write(Data("(no variables yet)\n".utf8))
            return
        }
        let width = variables.keys.map(\.count).max() ?? 4
        var text = ""
        for name in variables.keys.sorted() {
            let value = variables[name]!
            var summary = value.description.replacingOccurrences(of: "\n", with: " ")
            if summary.count > 70 { summary = String(summary.prefix(67)) + "…" }
            text += name.padding(toLength: width + 2, withPad: " ", startingAt: 0)
                + value.typeName.padding(toLength: 12, withPad: " ", startingAt: 0) + summary + "\n"
        }
        FileHandle.standardOutput.write(Data(text.utf8))
    }

    private func save(_ path: String) {
        let url = URL(fileURLWithPath: (path as NSString).expandingTildeInPath)
        let title = url.deletingPathExtension().lastPathComponent
        let text = NotebookWriter.text(
            title: title, cells: entries.map(\.source),
            note: "Saved from a `synthlab repl` session; `synthlab run` reproduces it.")
        do {
            try AtomicFile.write(text, to: url)
            StandardError.line("saved \(entries.count) cell\(entries.count == 1 ? "" : "s") to \(path)")
        } catch {
            DiagnosticPrinter.print(error.asDiagnostic)
            failures += 1
        }
    }

    private func report(_ path: String) {
        let url = URL(fileURLWithPath: (path as NSString).expandingTildeInPath)
        var results: [String: [String: [String: Double]]] = [:]
        var llm = LLMUsage()
        var blocks: [RunRecord.Block] = []
        for (i, entry) in entries.enumerated() {
            blocks.append(.cell(CellRecord(index: i, label: "cell-\(i + 1)", source: entry.source, location: entry.location,
                                           status: .ok, seconds: entry.seconds, outputs: entry.outputs)))
            for (label, systems) in entry.result.results {
                for (system, measures) in systems { results[label, default: [:]][system, default: [:]].merge(measures) { _, b in b } }
            }
            llm.requestsNew += entry.result.llm.requestsNew
            llm.requestsReplayed += entry.result.llm.requestsReplayed
            llm.promptTokens += entry.result.llm.promptTokens
            llm.completionTokens += entry.result.llm.completionTokens
        }
        var provenance = Provenance()
        provenance.toolVersion = ToolVersion.current
        provenance.machine = ProvenanceCollector.machine()
        provenance.command = "synthlab repl (save the session with :save FILE.md, then synthlab run FILE.md)"
        let record = ReportPaths(projectFolder: interpreter.context.projectFolder).apply(to: RunRecord(
            title: url.deletingPathExtension().lastPathComponent, notebook: "<repl>", blocks: blocks, results: results,
            llm: llm, provenance: provenance))
        do {
            try AtomicFile.write(HTMLReport.render(record), to: url)
            try AtomicFile.write(ReportJSON.render(record), to: url.deletingPathExtension().appendingPathExtension("json"))
            StandardError.line("wrote \(path) (+ .json)")
        } catch {
            DiagnosticPrinter.print(error.asDiagnostic)
            failures += 1
        }
    }
}
