import ArgumentParser

/// The `synthlab` command line. Each subcommand lives in `Commands/<Name>.swift`.
struct SynthLab: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "synthlab",
        abstract: "Train small retrieval and embedding models from LLM-generated synthetic data.",
        subcommands: [
            // one line per subcommand, keep sorted
            BM25.self,
            Check.self,
            Dense.self,
            Embed.self,
            New.self,
            Repl.self,
            Run.self,
            TrecEval.self,
        ])
}

await SynthLab.runMappingExitStatus()  // Terminal/ExitStatus.swift: usage errors exit 2, failures 1
