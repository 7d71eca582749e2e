import Foundation
import SynthTestSupport
import Testing

@testable import SynthModels

@Suite("Loss catalog and cross-encoder save")
struct LossCatalogTests {
    @Test("every catalog name builds a loss of that name; options are applied")
    func names() throws {
        for name in LossCatalog.names { #expect(try LossCatalog.make(name).name == name) }
        #expect(try LossCatalog.make("ranknet", options: ["weighted": 1]).name == "weighted-ranknet")
        let snn = try #require(
            try LossCatalog.make("snn", options: ["scale": 10, "positives": 2]) as? SoftNearestNeighborLoss)
        #expect(snn.scale == 10 && snn.positiveGroups == 2)
    }

    @Test("unknown loss and option names are errors with a suggestion")
    func errors() {
        #expect(throws: LossCatalogError.self) { try LossCatalog.make("rank-net") }
        do {
            _ = try LossCatalog.make("ranknett")
        } catch {
            #expect(error.suggestion == "ranknet")
            #expect(error.message.hasPrefix("expected a loss ("))
        }
        do {
            _ = try LossCatalog.make("listmle", options: ["omgea": 1])
        } catch {
            #expect(
                error.description
                    == "expected an option of listmle (temperature, omega), found \"omgea\" (did you mean \"omega\"?)")
        }
    }

    @Test("a saved cross-encoder loads back with identical scores")
    func saveRoundTrip() throws {
        let folder = try TestPaths.temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let model = CrossEncoderTrainerTests.model()
        let target = folder.appendingPathComponent("reranker")
        try model.save(to: target)
        try model.save(to: target)  // replaces an existing folder
        let loaded = try CrossEncoder.load(folder: target)
        let groups = CrossEncoderTrainerTests.groups(count: 1, seed: 9)
        let batch = TokenBatch(sequences: groups[0].pairs, typeIds: groups[0].typeIds, padId: 0)
        let a = model.score(
            inputIds: batch.inputIds, attentionMask: batch.attentionMask, tokenTypeIds: batch.tokenTypeIds)
        let b = loaded.score(
            inputIds: batch.inputIds, attentionMask: batch.attentionMask, tokenTypeIds: batch.tokenTypeIds)
        #expect(a == b)
    }
}
