// swift-tools-version:6.0
// SynthLab: a notebook-style research tool for training small retrieval and embedding
// models from LLM-generated synthetic data. Modules depend one way, top to bottom:
//
//   synthlab (CLI) → SynthNotebook → SynthLanguage → SynthCommands → core modules → SynthValues
//   core: SynthSynthesis → SynthLLM → SynthStore;  SynthModels → SynthTensor;  SynthRetrieval → SynthMetrics
//         SynthSynthesis → SynthDecoder (GGUF decoder LMs run in the core, soft prompts) → SynthTensor
//   SynthReport renders a finished RunRecord and depends on SynthValues only.
import PackageDescription

let swiftSettings: [SwiftSetting] = [.unsafeFlags(["-Ounchecked"], .when(configuration: .release))]
/// Numeric modules (kernels, models, indexes, metrics) are optimised in debug builds too, so that the test
/// suite can run real models and real datasets in reasonable time on two cores.
let numericSettings: [SwiftSetting] = [
    .unsafeFlags(["-O"], .when(configuration: .debug)),
    .unsafeFlags(["-Ounchecked"], .when(configuration: .release)),
]

let package = Package(
    name: "SynthLab",
    platforms: [.macOS(.v14)],
    products: [
        .executable(name: "synthlab", targets: ["synthlab"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.5.0"),
        .package(url: "https://github.com/jpsim/Yams", from: "6.0.0"),
        .package(url: "https://github.com/groue/GRDB.swift", from: "7.0.0"),
        .package(url: "https://github.com/apple/swift-collections", from: "1.1.0"),
        .package(url: "https://github.com/onevcat/Rainbow", from: "4.0.0"),
        .package(url: "https://github.com/weichsel/ZIPFoundation", from: "0.9.19"),
    ],
    targets: [
        // MARK: C libraries (each imported by exactly one Swift module)
        .systemLibrary(name: "COpenBLAS", providers: [.apt(["libopenblas-dev"])]),
        .systemLibrary(name: "CCmark", providers: [.apt(["libcmark-dev"])]),
        .systemLibrary(name: "CReadline", providers: [.apt(["libreadline-dev"])]),
        .systemLibrary(name: "CSynthZlib", providers: [.apt(["zlib1g-dev"])]),

        // MARK: Foundation layer
        .target(name: "SynthValues", swiftSettings: numericSettings),  // -O in debug too: SHA-256 of model files

        // MARK: Core
        .target(name: "SynthMetrics", dependencies: ["SynthValues"], swiftSettings: numericSettings),
        .target(name: "SynthTensor", dependencies: ["COpenBLAS", "SynthValues"], swiftSettings: numericSettings),
        .target(
            name: "SynthRetrieval",
            dependencies: [
                "SynthMetrics", "SynthTensor", "SynthValues", "CSynthZlib",
                .product(name: "ZIPFoundation", package: "ZIPFoundation"),
            ],
            swiftSettings: numericSettings),
        .target(
            name: "SynthModels", dependencies: ["SynthTensor", "SynthRetrieval", "SynthValues"],
            swiftSettings: numericSettings),
        .target(
            name: "SynthDecoder", dependencies: ["SynthTensor", "SynthValues"], swiftSettings: numericSettings),
        .target(
            name: "SynthStore", dependencies: ["SynthValues", .product(name: "GRDB", package: "GRDB.swift")],
            swiftSettings: swiftSettings),
        .target(name: "SynthLLM", dependencies: ["SynthStore", "SynthValues"], swiftSettings: swiftSettings),
        .target(
            name: "SynthSynthesis",
            dependencies: [
                "SynthLLM", "SynthRetrieval", "SynthModels", "SynthDecoder", "SynthValues",
                .product(name: "Yams", package: "Yams"),
            ],
            swiftSettings: swiftSettings),
        .target(name: "SynthReport", dependencies: ["SynthValues"], swiftSettings: swiftSettings),

        // MARK: Language and notebooks
        .target(
            name: "SynthCommands",
            dependencies: [
                "SynthValues", "SynthMetrics", "SynthRetrieval", "SynthTensor", "SynthModels", "SynthDecoder",
                "SynthStore", "SynthLLM", "SynthSynthesis", "SynthReport",
            ],
            swiftSettings: swiftSettings),
        .target(
            name: "SynthLanguage", dependencies: ["SynthCommands", "SynthValues"], swiftSettings: swiftSettings),
        .target(
            name: "SynthNotebook",
            dependencies: [
                "SynthLanguage", "SynthCommands", "SynthStore", "SynthReport", "SynthValues", "CCmark",
                .product(name: "Yams", package: "Yams"),
            ],
            swiftSettings: swiftSettings),

        // MARK: CLI
        .executableTarget(
            name: "synthlab",
            dependencies: [
                "SynthNotebook", "SynthLanguage", "SynthCommands", "SynthRetrieval", "SynthMetrics", "SynthModels",
                "SynthTensor", "SynthReport", "SynthValues", "CReadline",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "Rainbow", package: "Rainbow"),
            ],
            swiftSettings: swiftSettings),

        // MARK: Benchmarks (release-only programs; results in BENCHMARKS.md)
        .executableTarget(
            name: "TrainStepBench", dependencies: ["SynthModels", "SynthTensor"], path: "bench/train-step",
            exclude: ["pytorch_step.py", "run"], swiftSettings: swiftSettings),
        .executableTarget(
            name: "DecoderBench", dependencies: ["SynthDecoder"], path: "bench/decoder", exclude: ["run"],
            swiftSettings: swiftSettings),
        .executableTarget(
            name: "SoftSRVStepBench", dependencies: ["SynthDecoder", "SynthTensor"], path: "bench/softsrv-step",
            exclude: ["run"], swiftSettings: swiftSettings),

        // MARK: Tests (one target per module; shared helpers in SynthTestSupport)
        .target(name: "SynthTestSupport", dependencies: ["SynthValues"], path: "Tests/SynthTestSupport"),
        .testTarget(name: "SynthValuesTests", dependencies: ["SynthValues", "SynthTestSupport"]),
        .testTarget(name: "SynthMetricsTests", dependencies: ["SynthMetrics", "SynthTestSupport"]),
        .testTarget(name: "SynthRetrievalTests", dependencies: ["SynthRetrieval", "SynthTestSupport"]),
        .testTarget(name: "SynthTensorTests", dependencies: ["SynthTensor", "SynthTestSupport"]),
        .testTarget(name: "SynthModelsTests", dependencies: ["SynthModels", "SynthTestSupport"]),
        .testTarget(name: "SynthDecoderTests", dependencies: ["SynthDecoder", "SynthLLM", "SynthTestSupport"]),
        .testTarget(name: "SynthStoreTests", dependencies: ["SynthStore", "SynthTestSupport"]),
        .testTarget(name: "SynthLLMTests", dependencies: ["SynthLLM", "SynthTestSupport"]),
        .testTarget(name: "SynthSynthesisTests", dependencies: ["SynthSynthesis", "SynthTestSupport"]),
        .testTarget(name: "SynthReportTests", dependencies: ["SynthReport", "SynthTestSupport"]),
        .testTarget(name: "SynthLanguageTests", dependencies: ["SynthLanguage", "SynthCommands", "SynthTestSupport"]),
        .testTarget(name: "SynthNotebookTests", dependencies: ["SynthNotebook", "SynthTestSupport"]),
        .testTarget(name: "SynthCLITests", dependencies: ["SynthTestSupport"]),
        .testTarget(
            name: "SynthReliabilityTests",
            dependencies: [
                "SynthNotebook", "SynthLanguage", "SynthCommands", "SynthRetrieval", "SynthMetrics", "SynthModels",
                "SynthStore", "SynthReport", "SynthValues", "SynthTestSupport", "SynthDecoder",
            ]),
    ],
    swiftLanguageModes: [.v6]
)
