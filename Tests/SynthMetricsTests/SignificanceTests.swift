import Foundation
import SynthValues
import Testing

@testable import SynthMetrics

@Suite("Significance and correlation")
struct SignificanceTests {
    static func sample(_ count: Int, seed: UInt64, shift: Double) -> ([Double], [Double]) {
        var rng = SplitMix64(seed: seed)
        let a = (0..<count).map { _ in Double.random(in: 0...1, using: &rng) }
        let b = a.map { max(0, min(1, $0 + shift + Double.random(in: -0.3...0.3, using: &rng))) }
        return (a, b)
    }

    @Test func pairedTTestMatchesScipy() throws {
        let pairs = [(5, 1, 0.05), (30, 2, 0.02), (300, 3, 0.01), (12, 4, 0.3), (50, 5, 0)].map {
            Self.sample($0.0, seed: UInt64($0.1), shift: $0.2)
        } + [([0.1, 0.2, 0.3], [0.1, 0.25, 0.3]), ([1, 2, 3, 4], [1.5, 2.5, 3.5, 4.5 + 1e-3])]
        let response = try ReferencePython.run(["ttest": pairs.map { [$0.0, $0.1] }])
        let reference = try #require(response["ttest"] as? [[String: Double]])
        for (pair, expected) in zip(pairs, reference) {
            let result = try Significance.pairedTTest(pair.0, pair.1)
            #expect(abs(result.statistic - expected["statistic"]!) <= 1e-9 * max(1, abs(expected["statistic"]!)))
            #expect(abs(result.pValue - expected["pvalue"]!) <= 1e-9, "\(result.pValue) vs \(expected["pvalue"]!)")
        }
    }

    @Test func degenerateSamples() throws {
        #expect(try Significance.pairedTTest([1, 2], [1, 2]).pValue.isNaN)
        #expect(try Significance.pairedTTest([1], [2]).pValue.isNaN)
        #expect(throws: MetricsError.unpairedSamples(first: 2, second: 1)) {
            try Significance.pairedTTest([1, 2], [1])
        }
        #expect(try Significance.randomization([1, 2], [1, 2], trials: 100).pValue == 1)
    }

    /// The exact two-sided sign-flip p-value over all 2^n assignments.
    static func exactPermutationP(_ a: [Double], _ b: [Double]) -> Double {
        let d = zip(a, b).map { $0 - $1 }
        let observed = abs(d.reduce(0, +))
        var atLeast = 0
        for mask in 0..<(1 << d.count) {
            var sum = 0.0
            for (i, value) in d.enumerated() { sum += (mask >> i) & 1 == 1 ? value : -value }
            if abs(sum) >= observed * (1 - 1e-12) - 1e-15 { atLeast += 1 }
        }
        return Double(atLeast) / Double(1 << d.count)
    }

    @Test(arguments: [(10, UInt64(7), 0.1), (12, 8, 0.05), (14, 9, 0.0)])
    func randomizationAgreesWithExactPermutation(count: Int, seed: UInt64, shift: Double) throws {
        let (a, b) = Self.sample(count, seed: seed, shift: shift)
        let exact = Self.exactPermutationP(a, b)
        let trials = 20_000
        let result = try Significance.randomization(a, b, trials: trials, seed: 3)
        let standardError = (exact * (1 - exact) / Double(trials)).squareRoot()
        #expect(abs(result.pValue - exact) <= 4 * standardError + 2 / Double(trials), "\(result.pValue) vs \(exact)")
        #expect(try Significance.randomization(a, b, trials: trials, seed: 3) == result)
    }

    @Test func correlationsMatchScipy() throws {
        var rng = SplitMix64(seed: 11)
        var pairs: [([Double], [Double])] = [([1, 2, 2, 5], [1, 3, 2, 4]), ([1, 2, 3], [3, 2, 1])]
        for count in [5, 50, 500] {
            let x = (0..<count).map { _ in (Double.random(in: 0...5, using: &rng) * 2).rounded() / 2 }
            pairs.append((x, x.map { $0 + Double.random(in: -2...2, using: &rng) }))
        }
        let response = try ReferencePython.run(["correlation": pairs.map { [$0.0, $0.1] }])
        let spearmanReference = try #require(response["spearman"] as? [Double])
        let pearsonReference = try #require(response["pearson"] as? [Double])
        for (index, pair) in pairs.enumerated() {
            #expect(abs(spearman(pair.0, pair.1) - spearmanReference[index]) <= 1e-12)
            #expect(abs(pearson(pair.0, pair.1) - pearsonReference[index]) <= 1e-12)
        }
        #expect(pearson([1, 1, 1], [1, 2, 3]).isNaN)
        #expect(averageRanks([3, 1, 3, 2]) == [3.5, 1, 3.5, 2])
    }
}
