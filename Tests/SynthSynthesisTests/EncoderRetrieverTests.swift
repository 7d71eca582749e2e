import Foundation
import SynthModels
import SynthRetrieval
import SynthTestSupport
import Testing

@testable import SynthSynthesis

/// Dense round trip with the real all-MiniLM-L6-v2 (4 documents, 2 queries; skipped without the model).
@Suite struct EncoderRetrieverTests {
    @Test(
        .enabled(
            if: FileManager.default.fileExists(
                atPath: TestPaths.synthlabHome.appendingPathComponent("models/all-MiniLM-L6-v2/config.json").path)))
    func denseRoundTrip() async throws {
        let encoder = try SentenceEncoder.load(
            folder: TestPaths.synthlabHome.appendingPathComponent("models/all-MiniLM-L6-v2"))
        let documents = [
            Document(id: "d1", text: "Aspirin inhibits platelet aggregation."),
            Document(id: "d2", text: "Glaciers retreat as summers warm."),
            Document(id: "d3", text: "Bats use echolocation to hunt at night."),
            Document(id: "d4", text: "Coffee keeps people awake."),
        ]
        let retriever = EncoderRetriever(encoder: encoder, documents: documents, name: "minilm")
        #expect(try await retriever.rank("how do bats find insects in the dark", topK: 1) == ["d3"])
        var set = SyntheticSet(kind: "queries")
        set.records = [
            SyntheticRecord(
                id: "a", kind: "query", query: "blood thinning drug",
                positives: [SyntheticPassage(id: "d1", text: documents[0].text, origin: "corpus")]),
            SyntheticRecord(
                id: "b", kind: "query", query: "ice melting mountains",
                positives: [SyntheticPassage(id: "d4", text: documents[3].text, origin: "corpus")]),
        ]
        let out = try await RoundTripFilter(retrievers: [retriever], topK: 1).run(set)
        #expect(out.records.map(\.accepted) == [true, false])
        #expect(out.records[1].rejection == "source not in minilm top-1")
    }
}
