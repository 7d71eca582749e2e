import ArgumentParser

/// The `synthlab` command line.
struct SynthLab: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "synthlab",
        abstract: "Train small retrieval and embedding models from LLM-generated synthetic data.",
        subcommands: [])
}

SynthLab.main()
