import Testing

@testable import SynthRetrieval

/// Word/stem pairs from Martin Porter's reference vocabulary (voc.txt / output.txt on tartarus.org)
/// and the examples of the 1980 paper.
@Suite struct PorterStemmerTests {
    static let paperExamples: [(String, String)] = [
        ("caresses", "caress"), ("ponies", "poni"), ("ties", "ti"), ("caress", "caress"), ("cats", "cat"),
        ("feed", "feed"), ("agreed", "agre"), ("plastered", "plaster"), ("bled", "bled"), ("motoring", "motor"),
        ("sing", "sing"), ("conflated", "conflat"), ("troubled", "troubl"), ("sized", "size"), ("hopping", "hop"),
        ("tanned", "tan"), ("falling", "fall"), ("hissing", "hiss"), ("fizzed", "fizz"), ("failing", "fail"),
        ("filing", "file"), ("happy", "happi"), ("sky", "sky"), ("relational", "relat"),
        ("conditional", "condit"), ("rational", "ration"), ("valenci", "valenc"), ("hesitanci", "hesit"),
        ("digitizer", "digit"), ("conformabli", "conform"), ("radicalli", "radic"), ("differentli", "differ"),
        ("vileli", "vile"), ("analogousli", "analog"), ("vietnamization", "vietnam"), ("predication", "predic"),
        ("operator", "oper"), ("feudalism", "feudal"), ("decisiveness", "decis"), ("hopefulness", "hope"),
        ("callousness", "callous"), ("formaliti", "formal"), ("sensitiviti", "sensit"),
        ("sensibiliti", "sensibl"), ("triplicate", "triplic"), ("formative", "form"), ("formalize", "formal"),
        ("electriciti", "electr"), ("electrical", "electr"), ("hopeful", "hope"), ("goodness", "good"),
        ("revival", "reviv"), ("allowance", "allow"), ("inference", "infer"), ("airliner", "airlin"),
        ("gyroscopic", "gyroscop"), ("adjustable", "adjust"), ("defensible", "defens"), ("irritant", "irrit"),
        ("replacement", "replac"), ("adjustment", "adjust"), ("dependent", "depend"), ("adoption", "adopt"),
        ("homologou", "homolog"), ("communism", "commun"), ("activate", "activ"), ("angulariti", "angular"),
        ("homologous", "homolog"), ("effective", "effect"), ("bowdlerize", "bowdler"), ("probate", "probat"),
        ("rate", "rate"), ("cease", "ceas"), ("controll", "control"), ("roll", "roll"),
        ("generalizations", "gener"), ("oscillators", "oscil"),
    ]

    static let vocabulary: [(String, String)] = [
        ("consign", "consign"), ("consigned", "consign"), ("consigning", "consign"), ("consignment", "consign"),
        ("consist", "consist"), ("consisted", "consist"), ("consistency", "consist"), ("consistent", "consist"),
        ("consistently", "consist"), ("consisting", "consist"), ("consists", "consist"),
        ("consolation", "consol"), ("consolations", "consol"), ("consolatory", "consolatori"),
        ("console", "consol"), ("consoled", "consol"), ("consoles", "consol"), ("consolidate", "consolid"),
        ("consolidated", "consolid"), ("consolidating", "consolid"), ("consoling", "consol"),
        ("consolingly", "consolingli"), ("consols", "consol"), ("consonant", "conson"), ("consort", "consort"),
        ("consorted", "consort"), ("consorting", "consort"), ("conspicuous", "conspicu"),
        ("conspicuously", "conspicu"), ("conspiracy", "conspiraci"), ("conspirator", "conspir"),
        ("conspirators", "conspir"), ("conspire", "conspir"), ("conspired", "conspir"), ("conspiring", "conspir"),
        ("constable", "constabl"), ("constables", "constabl"), ("constance", "constanc"),
        ("constancy", "constanc"), ("constant", "constant"), ("knack", "knack"), ("knackeries", "knackeri"),
        ("knacks", "knack"), ("knag", "knag"), ("knave", "knave"), ("knaves", "knave"), ("knavish", "knavish"),
        ("kneaded", "knead"), ("kneading", "knead"), ("knee", "knee"), ("kneel", "kneel"), ("kneeled", "kneel"),
        ("kneeling", "kneel"), ("kneels", "kneel"), ("knees", "knee"), ("knell", "knell"), ("knelt", "knelt"),
        ("knew", "knew"), ("knick", "knick"), ("knif", "knif"), ("knife", "knife"), ("knight", "knight"),
        ("knightly", "knightli"), ("knights", "knight"), ("knit", "knit"), ("knits", "knit"), ("knitted", "knit"),
        ("knitting", "knit"), ("knives", "knive"), ("knob", "knob"), ("knobs", "knob"), ("knock", "knock"),
        ("knocked", "knock"), ("knocker", "knocker"), ("knockers", "knocker"), ("knocking", "knock"),
        ("knocks", "knock"), ("knopp", "knopp"), ("knot", "knot"), ("knots", "knot"),
    ]

    @Test func paperExamples() {
        for (word, stem) in Self.paperExamples { #expect(PorterStemmer.stem(word) == stem, "\(word)") }
    }

    @Test func referenceVocabulary() {
        for (word, stem) in Self.vocabulary { #expect(PorterStemmer.stem(word) == stem, "\(word)") }
    }

    @Test func referenceDeparturesLuceneKeeps() {
        #expect(PorterStemmer.stem("archaeologi") == "archaeolog")  // -logi → -log
        #expect(PorterStemmer.stem("biology") == "biologi")
        #expect(PorterStemmer.stem("sensibly") == "sensibl")  // -bli → -ble, then -e
    }

    @Test func shortAndNonASCIIWordsAreSafe() {
        #expect(PorterStemmer.stem("is") == "is")
        #expect(PorterStemmer.stem("as") == "as")
        #expect(PorterStemmer.stem("ies") == "i")
        #expect(PorterStemmer.stem("") == "")
        #expect(PorterStemmer.stem("naïvely") == "naïv")
        #expect(PorterStemmer.stem("αβγδ") == "αβγδ")
    }
}
