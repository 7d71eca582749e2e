import Foundation
import SynthValues
import Testing

@testable import SynthSynthesis

@Suite struct AcceptanceRuleTests {
    @Test func probabilitiesFollowTheFormula() {
        let mh = AcceptanceRule.metropolis(temperature: 1)
        #expect(mh.acceptanceProbability(current: 0.2, proposed: 0.5) == 1)
        #expect(abs(mh.acceptanceProbability(current: 0.2, proposed: 0.0) - exp(-0.2)) < 1e-12)
        #expect(abs(mh.acceptanceProbability(current: -1, proposed: -3) - exp(-2)) < 1e-12)
        let cold = AcceptanceRule.metropolis(temperature: 0.5)
        #expect(abs(cold.acceptanceProbability(current: 0, proposed: -1) - exp(-2)) < 1e-12)
        #expect(AcceptanceRule.strictImprovement.acceptanceProbability(current: 1, proposed: 1) == 0)
        #expect(AcceptanceRule.strictImprovement.acceptanceProbability(current: 1, proposed: 1.01) == 1)
        #expect(AcceptanceRule.always.acceptanceProbability(current: 1, proposed: -9) == 1)
        #expect(mh.acceptanceProbability(current: 0, proposed: .nan) == 0)
    }

    /// The empirical acceptance rate matches min(1, exp(Δ)) within 4 standard errors, for several Δ.
    @Test(arguments: [-0.1, -0.5, -1.0, -2.0, -4.0])
    func seededAcceptanceRateMatchesTheFormula(delta: Double) {
        let rule = AcceptanceRule.metropolis(temperature: 1)
        var generator = SplitMix64(seed: 42)
        let trials = 20_000
        var accepted = 0
        for _ in 0..<trials where rule.accept(current: 1, proposed: 1 + delta, using: &generator) { accepted += 1 }
        let expected = exp(delta)
        let rate = Double(accepted) / Double(trials)
        let standardError = (expected * (1 - expected) / Double(trials)).squareRoot()
        #expect(abs(rate - expected) < 4 * standardError, "rate \(rate) vs exp(\(delta)) = \(expected)")
    }

    @Test func sameSeedSameDecisions() {
        func decisions(seed: UInt64) -> [Bool] {
            var generator = SplitMix64.stream(seed: seed, index: 3)
            return (0..<64).map { _ in
                AcceptanceRule.metropolis(temperature: 1).accept(current: 0, proposed: -0.7, using: &generator)
            }
        }
        #expect(decisions(seed: 7) == decisions(seed: 7))
        #expect(decisions(seed: 7) != decisions(seed: 8))
    }

    @Test func uniformsAreInTheUnitInterval() {
        var generator = SplitMix64(seed: 1)
        var sum = 0.0
        for _ in 0..<10_000 {
            let u = generator.nextUnit()
            #expect(u >= 0 && u < 1)
            sum += u
        }
        #expect(abs(sum / 10_000 - 0.5) < 0.02)
    }

    @Test func parsing() {
        #expect(AcceptanceRule(parsing: "metropolis") == .metropolis(temperature: 1))
        #expect(AcceptanceRule(parsing: "mh:0.5") == .metropolis(temperature: 0.5))
        #expect(AcceptanceRule(parsing: "strict") == .strictImprovement)
        #expect(AcceptanceRule(parsing: "always") == .always)
        #expect(AcceptanceRule(parsing: "greedy") == nil)
        #expect(AcceptanceRule(parsing: "metropolis:-1") == nil)
    }
}
