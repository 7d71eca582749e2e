import Foundation
import Testing

@testable import SynthSynthesis

@Suite struct YesNoJudgementTests {
    @Test func scoreComesFromTheVerdictPositionAlternatives() {
        let tokens = [
            TeacherToken(
                token: "No", logprob: log(0.5),
                alternatives: [
                    .init(token: "No", logprob: log(0.5)), .init(token: "Yes", logprob: log(0.3)),
                    .init(token: " yes", logprob: log(0.1)), .init(token: "The", logprob: log(0.05)),
                ]),
            TeacherToken(token: ",", logprob: -0.1),
        ]
        let judgement = YesNoJudgement(text: "No, the passage is about cats.", tokens: tokens)
        #expect(judgement.verdict == false)
        #expect(abs((judgement.score ?? -1) - 0.4 / 0.9) < 1e-12)
        #expect(judgement.fromLogprobs)
        #expect(judgement.reasoning == "the passage is about cats.")
    }

    @Test func strictWordsNotSubstrings() {
        #expect(YesNoJudgement(text: "Not really, I know nothing", tokens: []).verdict == nil)
        #expect(YesNoJudgement(text: "Not really, I know nothing", tokens: []).score == nil)
        #expect(YesNoJudgement(text: "Yes.", tokens: []).score == 1)
        #expect(YesNoJudgement(text: "\"no\"", tokens: []).score == 0)
        #expect(YesNoJudgement(text: #"{"relevant": "yes"}"#, tokens: []).verdict == true)
    }

    @Test func verdictLaterInTheAnswer() {
        let tokens = [
            TeacherToken(token: "Answer", logprob: -0.2),
            TeacherToken(token: ":", logprob: -0.1),
            TeacherToken(
                token: " yes", logprob: log(0.8),
                alternatives: [.init(token: " yes", logprob: log(0.8)), .init(token: " no", logprob: log(0.2))]),
        ]
        let judgement = YesNoJudgement(text: "Answer: yes", tokens: tokens)
        #expect(judgement.verdict == true)
        #expect(abs((judgement.score ?? 0) - 0.8) < 1e-12)
    }
}
