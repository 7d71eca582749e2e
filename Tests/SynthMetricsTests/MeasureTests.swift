import Foundation
import Testing

@testable import SynthMetrics

@Suite("Measure")
struct MeasureTests {
    @Test(arguments: [
        ("ndcg_cut.10", Measure.ndcgCut(10), "ndcg_cut_10"), ("recall.100", .recall(100), "recall_100"),
        ("P.10", .precision(10), "P_10"), ("recip_rank", .recipRank(cutoff: nil), "recip_rank"),
        ("recip_rank.10", .recipRank(cutoff: 10), "recip_rank_10"), ("map", .map, "map"),
        ("map_cut.100", .mapCut(100), "map_cut_100"), ("ndcg", .ndcg, "ndcg"),
    ])
    func parsesAndSpellsAsTrecEval(text: String, measure: Measure, trecName: String) throws {
        #expect(try Measure(parsing: text) == measure)
        #expect(measure.description == text)
        #expect(measure.trecName == trecName)
    }

    @Test func parsesFamilies() throws {
        #expect(try Measure.parseList("ndcg_cut.10,100") == [.ndcgCut(10), .ndcgCut(100)])
        #expect(try Measure.parseList("P.5,5,10") == [.precision(5), .precision(10)])
        #expect(try Measure.parseList("recall").count == 9)
    }

    @Test func rejectsUnknownNamesWithAHint() {
        #expect(throws: MetricsError.unknownMeasure("ndcg_cutt.10", suggestion: "ndcg_cut.10")) {
            try Measure(parsing: "ndcg_cutt.10")
        }
        #expect(throws: MetricsError.unknownMeasure("bleu", suggestion: nil)) { try Measure(parsing: "bleu") }
        #expect(throws: MetricsError.badMeasureCutoff("P.0")) { try Measure(parsing: "P.0") }
        #expect(throws: MetricsError.badMeasureCutoff("map.5")) { try Measure(parsing: "map.5") }
        #expect(throws: MetricsError.multipleMeasures("P.5,10", count: 2)) { try Measure(parsing: "P.5,10") }
        #expect(throws: MetricsError.multipleMeasures("recall", count: 9)) { try Measure(parsing: "recall") }
        #expect(throws: MetricsError.badMeasureCutoff("P.")) { try Measure(parsing: "P.") }
    }

    @Test func codesAsItsName() throws {
        let data = try JSONEncoder().encode([Measure.ndcgCut(10), .map])
        #expect(String(decoding: data, as: UTF8.self) == #"["ndcg_cut.10","map"]"#)
        #expect(try JSONDecoder().decode([Measure].self, from: data) == [.ndcgCut(10), .map])
    }
}

@Suite("Measure messages")
struct MeasureMessageTests {
    @Test func cutoffOnAFamilyWithoutCutoffsSuggestsTheCutFamily() {
        #expect(
            MetricsError.badMeasureCutoff("map.100").diagnostic.rendered()
                == "error: expected positive integer cutoffs such as 'ndcg_cut.10' or 'P.5,10', found 'map.100'\n"
                + "  note: 'map' takes no cutoff; did you mean 'map_cut.100'?")
        #expect(MetricsError.multipleMeasures("P.5,10", count: 2).diagnostic.message
            == "expected one measure, found 'P.5,10' (2 measures)")
    }
}
