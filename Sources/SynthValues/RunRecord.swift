/// Everything a finished notebook run produced: what the report renders and the sidecar JSON holds.
///
/// The interpreter fills it; ``SynthReport`` renders it. It is plain data, so the report never
/// needs the interpreter, and it is `Codable`, so the sidecar JSON is this record's encoding.
public struct RunRecord: Sendable, Codable, Equatable {
    public var title: String
    public var author: String?
    /// The notebook path as given on the command line.
    public var notebook: String
    /// Parameters in front-matter order with the values used.
    public var params: [Param]
    /// Prose and cells in document order.
    public var blocks: [Block]
    /// `results[label][system][measure] = mean`, measures spelt as trec_eval spells them.
    public var results: [String: [String: [String: Double]]]
    public var llm: LLMUsage
    public var provenance: Provenance

    public init(
        title: String, author: String? = nil, notebook: String, params: [Param] = [], blocks: [Block] = [],
        results: [String: [String: [String: Double]]] = [:], llm: LLMUsage = LLMUsage(),
        provenance: Provenance = Provenance()
    ) {
        self.title = title
        self.author = author
        self.notebook = notebook
        self.params = params
        self.blocks = blocks
        self.results = results
        self.llm = llm
        self.provenance = provenance
    }

    /// The first cell that failed, if any (the report links to it from a banner).
    public var firstFailure: CellRecord? {
        for case .cell(let cell) in blocks where cell.status == .failed { return cell }
        return nil
    }

    public struct Param: Sendable, Codable, Equatable {
        public var name: String
        public var value: String
        public var type: String
        /// True when `--param` replaced the front-matter default.
        public var overridden: Bool
        public init(name: String, value: String, type: String, overridden: Bool) {
            self.name = name
            self.value = value
            self.type = type
            self.overridden = overridden
        }
    }

    public enum Block: Sendable, Codable, Equatable {
        /// Prose already rendered to HTML by cmark (raw HTML in the Markdown is not passed through).
        case prose(html: String)
        case cell(CellRecord)
    }
}

/// One executed (or skipped) cell.
public struct CellRecord: Sendable, Codable, Equatable {
    public enum Status: String, Sendable, Codable { case ok, failed, skipped, cached }

    public var index: Int
    public var label: String
    public var source: String
    /// Where the cell's first source line sits in the notebook.
    public var location: SourceLocation
    public var status: Status
    public var cached: Bool
    public var seconds: Double
    public var echo: Bool
    public var outputs: [CellOutput]

    public init(
        index: Int, label: String, source: String, location: SourceLocation, status: Status, cached: Bool = false,
        seconds: Double = 0, echo: Bool = true, outputs: [CellOutput] = []
    ) {
        self.index = index
        self.label = label
        self.source = source
        self.location = location
        self.status = status
        self.cached = cached
        self.seconds = seconds
        self.echo = echo
        self.outputs = outputs
    }
}

/// What a cell shows: text, a table, a plot, sample records, or an error.
public enum CellOutput: Sendable, Codable, Equatable {
    case text(String)
    case table(Table)
    case plot(Plot)
    case error(Diagnostic)
}

/// Token and request counts of the LLM calls a run made or replayed.
public struct LLMUsage: Sendable, Codable, Equatable {
    public var requestsNew = 0
    public var requestsReplayed = 0
    public var promptTokens = 0
    public var completionTokens = 0
    public var endpoints: [String] = []
    public init() {}

    enum CodingKeys: String, CodingKey {
        case requestsNew = "requests_new", requestsReplayed = "requests_replayed"
        case promptTokens = "prompt_tokens", completionTokens = "completion_tokens", endpoints
    }
}

/// How to reproduce a report: versions, hashes, seeds, the machine, the command.
public struct Provenance: Sendable, Codable, Equatable {
    public var toolVersion = ""
    public var gitCommit: String?
    public var gitDirty: Bool?
    public var notebookHash = ""
    public var command = ""
    public var machine = ""
    public var startedAt = ""
    public var seconds = 0.0
    /// Content hashes of datasets and models the run read, by name.
    public var inputs: [String: String] = [:]
    public var seeds: [String: Int] = [:]
    public init() {}
}
