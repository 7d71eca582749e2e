import SynthValues

/// Every verb of the language, listed once; docs, completion and the checker read it.
package enum VerbRegistry {
    /// The verb implementations, in the order the reference documents them.
    package static let commands: [any VerbCommand.Type] = [
        LoadCommand.self,
        LoadPairsCommand.self,
        LoadSyntheticCommand.self,
        BM25Command.self,
        SearchCommand.self,
        EncoderCommand.self,
        EncodeCommand.self,
        DenseCommand.self,
        TrainCommand.self,
        TrainDistilledCommand.self,
        AlignCommand.self,
        AlignPairsCommand.self,
        CrossEncoderCommand.self,
        TrainCrossCommand.self,
        RerankCommand.self,
        PostTrainCommand.self,
        EvaluateCommand.self,
        EvaluateMAUVECommand.self,
        CompareCommand.self,
        SimilarityCommand.self,
        BootstrapCommand.self,
        TableCommand.self,
        LLMCommand.self,
        LLMLocalCommand.self,
        LLMOpenAICommand.self,
        SynthesizeQueriesCommand.self,
        SynthesizeSyntrieverCommand.self,
        SynthesizeRankedCommand.self,
        SynthesizeTargetedCommand.self,
        VerifyCommand.self,
        FilterCommand.self,
        LabelCommand.self,
        CritiqueCommand.self,
        CritiqueVerifyCommand.self,
        CritiqueRoundtripCommand.self,
        CritiqueReviseCommand.self,
        DistillCommand.self,
        PrintCommand.self,
        ShowCommand.self,
        PlotCommand.self,
        ExportCommand.self,
    ]

    /// The specs of all verbs and subcommand forms.
    package static let all: [VerbSpec] = commands.map { $0.spec }

    /// The command whose ``VerbSpec/fullName`` is `fullName` (`load` or `load sts`).
    package static func command(_ fullName: String) -> (any VerbCommand.Type)? {
        commands.first { $0.spec.fullName == fullName }
    }

    /// The distinct verb names (first words).
    package static var verbNames: [String] {
        var seen: Set<String> = []
        return all.map(\.name).filter { seen.insert($0).inserted }
    }

    /// The subcommand words of `verb` (empty when it has none).
    package static func subcommands(of verb: String) -> [String] {
        all.filter { $0.name == verb }.compactMap(\.subcommand)
    }
}
