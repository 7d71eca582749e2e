import Testing
import SynthValues

@Suite struct NearestNameTests {
    @Test func suggestsCloseNames() {
        #expect(nearestName(to: "evalute", in: ["evaluate", "train", "load"]) == "evaluate")
        #expect(nearestName(to: "trian", in: ["evaluate", "train", "load"]) == "train")
    }

    @Test func suggestsNothingForUnrelatedNames() {
        #expect(nearestName(to: "xyz", in: ["evaluate", "train"]) == nil)
    }

    @Test func editDistanceMatchesDefinition() {
        #expect(editDistance("kitten", "sitting") == 3)
        #expect(editDistance("", "abc") == 3)
        #expect(editDistance("abc", "abc") == 0)
    }

    @Test func diagnosticRendersCaretUnderColumn() {
        let d = Diagnostic(.error, "unknown command `evalute`", at: SourceLocation(file: "nb.md", line: 12, column: 5),
                           notes: ["did you mean `evaluate`?"], sourceLine: "r = evalute x")
        #expect(d.rendered() == "nb.md:12:5: error: unknown command `evalute`\n    r = evalute x\n        ^\n  note: did you mean `evaluate`?")
    }

    @Test func fixedFormattingRounds() {
        #expect(formatFixed(0.67891, digits: 4) == "0.6789")
        #expect(formatFixed(0.99996, digits: 4) == "1.0000")
        #expect(formatFixed(-0.5, digits: 2) == "-0.50")
    }
}
