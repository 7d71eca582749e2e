import SynthCommands
import SynthValues

/// What running one cell produced: outputs, the files it read, evaluation results and LLM usage.
package struct CellResult: Sendable {
    /// Text, tables, plots and errors to show under the cell, in order.
    package var outputs: [CellOutput]
    /// Files read: path → SHA-256 of the content (for cache invalidation).
    package var filesRead: [String: String]
    /// Evaluation results: label → system → measure → mean.
    package var results: [String: [String: [String: Double]]]
    package var llm: LLMUsage

    package init(
        outputs: [CellOutput] = [], filesRead: [String: String] = [:],
        results: [String: [String: [String: Double]]] = [:], llm: LLMUsage = LLMUsage()
    ) {
        self.outputs = outputs
        self.filesRead = filesRead
        self.results = results
        self.llm = llm
    }

    /// Adds a verb's effects.
    mutating func absorb(_ outcome: VerbOutcome) {
        outputs += outcome.outputs
        filesRead.merge(outcome.filesRead) { _, new in new }
        for (label, systems) in outcome.results {
            for (system, measures) in systems {
                results[label, default: [:]][system, default: [:]].merge(measures) { _, new in new }
            }
        }
        llm.requestsNew += outcome.llm.requestsNew
        llm.requestsReplayed += outcome.llm.requestsReplayed
        llm.promptTokens += outcome.llm.promptTokens
        llm.completionTokens += outcome.llm.completionTokens
        for endpoint in outcome.llm.endpoints where !llm.endpoints.contains(endpoint) { llm.endpoints.append(endpoint) }
    }
}
