import ArgumentParser
import Foundation
import SynthCommands
import SynthLanguage
import SynthNotebook

/// `synthlab repl`: an interactive session on GNU readline.
struct Repl: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Start an interactive session (readline, history, tab completion).",
        discussion: """
            Type statements as in a notebook cell; a `def` or an open bracket continues on the next line. \
            Commands: :help [verb], :vars, :show NAME, :save FILE.md, :report FILE.html, :quit. Tab completes \
            verbs, argument names, variables, fields and paths (inside quotes). Ctrl-C cancels a running \
            command, Ctrl-D leaves. History is kept in ~/.synthlab_history (or --history). When stdin is not \
            a terminal, lines are read plainly, so sessions can be scripted: \
            printf 'x = 1\\nprint x\\n' | synthlab repl

            Relative paths resolve against the current folder.
            """)

    @Option(help: ArgumentHelp("History file.", valueName: "file"))
    var history: String?

    @Flag(help: "LLM requests must be replayed from the response store.")
    var offline = false

    @Flag(name: .customLong("allow-unsafe"), help: "Allow verbs to read and write outside the project, output and data folders.")
    var allowUnsafe = false

    func run() async throws {
        let folder = URL(fileURLWithPath: FileManager.default.currentDirectoryPath)
        let historyFile = history
            ?? FileManager.default.homeDirectoryForCurrentUser.appendingPathComponent(".synthlab_history").path
        let progress = ProgressRenderer(interactive: StandardError.isTerminal)
        let context = ExecutionContext(
            projectFolder: folder, offline: offline, allowUnsafe: allowUnsafe,
            progress: { progress.handle(.progress($0)) })
        let interpreter = Interpreter(context: context, importPaths: [folder] + (StdlibLocator.find().map { [$0] } ?? []))
        let session = ReplSession(interpreter: interpreter, reader: LineReader(historyFile: historyFile), progress: progress)
        let status = await session.loop()
        if status != ExitStatus.success { throw ReportedFailure(status: status) }
    }
}
