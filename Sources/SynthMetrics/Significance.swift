import Foundation
import SynthValues

/// Paired significance tests between two systems' per-query scores.
///
/// Both tests take the same queries in the same order (see ``Evaluation/paired(with:on:)``) and are
/// two-sided. Use the t-test for speed and comparability with published tables, the randomization
/// test when per-query differences are far from normal (Smucker, Allan and Carterette, "A Comparison
/// of Statistical Significance Tests for Information Retrieval Evaluation", CIKM 2007).
///
/// ```swift
/// let (_, a, b) = bm25.paired(with: dense, on: .ndcgCut(10))
/// let t = try Significance.pairedTTest(a, b)                        // t.pValue as scipy.stats.ttest_rel
/// let r = try Significance.randomization(a, b, trials: 10_000, seed: 1)
/// ```
package enum Significance {
    /// The outcome of a paired test.
    package struct Result: Sendable, Equatable, Codable {
        /// Number of pairs.
        package var count: Int
        /// Mean of `a[i] − b[i]`.
        package var meanDifference: Double
        /// The t statistic (t-test) or the observed mean difference (randomization).
        package var statistic: Double
        /// Two-sided p-value; `NaN` when it is undefined (fewer than two pairs, or all differences equal
        /// zero in the t-test, as in scipy).
        package var pValue: Double
    }

    /// Two-sided paired Student t-test, as `scipy.stats.ttest_rel(a, b)`.
    ///
    /// With d_i = a_i − b_i, t = mean(d) / (sd(d) / √n) using the n − 1 standard deviation, and
    /// p = P(|T_{n−1}| ≥ |t|) = I_{ν/(ν+t²)}(ν/2, 1/2) with ν = n − 1.
    ///
    /// - Throws: ``MetricsError/unpairedSamples(first:second:)`` when the lengths differ.
    package static func pairedTTest(_ a: [Double], _ b: [Double]) throws(MetricsError) -> Result {
        let differences = try pairedDifferences(a, b)
        let n = Double(differences.count)
        let mean = differences.reduce(0, +) / n
        guard differences.count >= 2 else {
            return Result(count: differences.count, meanDifference: differences.isEmpty ? .nan : mean,
                          statistic: .nan, pValue: .nan)
        }
        let variance = differences.reduce(0) { $0 + ($1 - mean) * ($1 - mean) } / (n - 1)
        let t = mean / (variance.squareRoot() / n.squareRoot())
        return Result(
            count: differences.count, meanDifference: mean, statistic: t,
            pValue: SpecialFunctions.studentTTwoSided(t, degrees: n - 1))
    }

    /// Two-sided paired randomization (sign-flip permutation) test.
    ///
    /// Under the null hypothesis each pair's labels are exchangeable, so each difference d_i keeps or
    /// flips its sign with probability ½. Over `trials` random sign assignments (a seeded generator,
    /// so results repeat), p = (1 + #{|mean(±d)| ≥ |mean(d)|}) / (1 + trials), the estimate that never
    /// reports 0 (Phipson and Smyth, 2010). Differences within 1e-12 relative of the observed one count
    /// as ties (≥).
    ///
    /// - Throws: ``MetricsError/unpairedSamples(first:second:)`` when the lengths differ.
    /// - Complexity: O(trials × n).
    package static func randomization(
        _ a: [Double], _ b: [Double], trials: Int = 10_000, seed: UInt64 = 0
    ) throws(MetricsError) -> Result {
        let differences = try pairedDifferences(a, b)
        guard !differences.isEmpty, trials > 0 else {
            return Result(count: differences.count, meanDifference: .nan, statistic: .nan, pValue: .nan)
        }
        let n = Double(differences.count)
        let observed = differences.reduce(0, +) / n
        let threshold = abs(observed) * (1 - 1e-12) - 1e-15
        var generator = SplitMix64(seed: seed)
        var atLeast = 0
        for _ in 0..<trials {
            var sum = 0.0
            var bits: UInt64 = 0
            for (index, difference) in differences.enumerated() {
                if index % 64 == 0 { bits = generator.next() }
                sum += (bits & 1) == 1 ? difference : -difference
                bits >>= 1
            }
            if abs(sum / n) >= threshold { atLeast += 1 }
        }
        return Result(
            count: differences.count, meanDifference: observed, statistic: observed,
            pValue: Double(atLeast + 1) / Double(trials + 1))
    }

    private static func pairedDifferences(_ a: [Double], _ b: [Double]) throws(MetricsError) -> [Double] {
        guard a.count == b.count else { throw .unpairedSamples(first: a.count, second: b.count) }
        return zip(a, b).map { $0 - $1 }
    }
}
