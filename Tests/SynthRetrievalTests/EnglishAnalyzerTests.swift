import Testing

@testable import SynthRetrieval

@Suite struct EnglishAnalyzerTests {
    let analyzer = EnglishAnalyzer()

    @Test func chainsPossessiveLowercaseStopAndPorter() {
        #expect(analyzer.analyze("The patient's cells were dividing rapidly")
            == ["patient", "cell", "were", "divid", "rapidli"])
        #expect(analyzer.analyze("It's THE Bacteria’s RESISTANCE to antibiotics")
            == ["bacteria", "resist", "antibiot"])
    }

    @Test func removesExactlyLucenesThirtyThreeStopWords() {
        #expect(EnglishAnalyzer.stopWords.count == 33)
        let text = EnglishAnalyzer.stopWords.sorted().joined(separator: " ")
        #expect(analyzer.analyze(text).isEmpty)
        #expect(analyzer.analyze("was were has have") == ["were", "ha", "have"])
    }

    @Test func keepsNumbersAndMixedTokens() {
        #expect(analyzer.analyze("0-dimensional biomaterials lack inductive properties.")
            == ["0", "dimension", "biomateri", "lack", "induct", "properti"])
        #expect(analyzer.analyze("1 in 5 million in UK have abnormal PrP positivity.")
            == ["1", "5", "million", "uk", "have", "abnorm", "prp", "posit"])
    }
}
