import ArgumentParser

/// The `synthlab` command line. Each subcommand lives in `Commands/<Name>.swift`.
struct SynthLab: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "synthlab",
        abstract: "Train small retrieval and embedding models from LLM-generated synthetic data.",
        subcommands: [
            // one line per subcommand, keep sorted
        ])
}

await SynthLab.main()
