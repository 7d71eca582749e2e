import Foundation

/// MAUVE: how close two sets of texts are, from features of each text (Pillutla et al., NeurIPS 2021,
/// "MAUVE: Measuring the Gap Between Neural Text and Human Text using Divergence Frontiers").
///
/// As `mauve-text`'s `compute_mauve(p_features=…, q_features=…)`: the features of both sets (Q first) are
/// L2-normalised, reduced by PCA to the components explaining 90% of the variance, jointly quantised by
/// k-means into `clusters` bins (default n/10 of the smaller set, at least 2), and each set becomes a
/// histogram over the bins. MAUVE is the area under the divergence frontier of the two histograms
/// (``DivergenceFrontier``) with scaling constant c = 5; `mauveStar` uses Krichevsky–Trofimov smoothed
/// histograms (counts + ½, Pillutla et al., JMLR 2023). 1 means indistinguishable, values near 0 disjoint.
///
/// ```swift
/// let result = try MAUVE.compute(p: generated, q: human)
/// result.mauve          // 0.93
/// ```
package enum MAUVE {
    /// Settings of ``compute(p:q:options:)``, defaulting to `mauve-text`'s.
    package struct Options: Sendable, Equatable {
        /// Number of k-means clusters; `nil` = round(min(|P|, |Q|) / 10), at least 2.
        package var clusters: Int?
        /// The constant c in exp(−c · KL).
        package var scale: Double = 5
        /// Share of variance the PCA keeps before clustering.
        package var explainedVariance: Double = 0.9
        /// k-means restarts (the lowest objective wins).
        package var restarts: Int = 5
        package var maxIterations: Int = 500
        /// Number of mixture weights on the frontier.
        package var discretization: Int = 25
        /// `mauve-text`'s seed; k-means uses seed + 2 as it does.
        package var seed: Int = 25

        package init(
            clusters: Int? = nil, scale: Double = 5, explainedVariance: Double = 0.9, restarts: Int = 5,
            maxIterations: Int = 500, discretization: Int = 25, seed: Int = 25
        ) {
            self.clusters = clusters
            self.scale = scale
            self.explainedVariance = explainedVariance
            self.restarts = restarts
            self.maxIterations = maxIterations
            self.discretization = discretization
            self.seed = seed
        }
    }

    /// What ``compute(p:q:options:)`` found.
    package struct Result: Sendable, Equatable {
        package var mauve: Double
        /// Lower is closer (0 identical, 1 disjoint).
        package var frontierIntegral: Double
        /// MAUVE with smoothed histograms.
        package var mauveStar: Double
        package var frontierIntegralStar: Double
        /// The frontier points, extreme points included, in order of increasing mixture weight of P.
        package var frontierX: [Double]
        package var frontierY: [Double]
        package var pHistogram: [Double]
        package var qHistogram: [Double]
        package var clusters: Int
        /// PCA dimensions kept for clustering.
        package var dimensions: Int
    }

    /// Problems with the features given to ``compute(p:q:options:)``.
    package enum Failure: Error, Sendable, Equatable, CustomStringConvertible {
        case empty(set: String)
        case ragged(set: String, row: Int, expected: Int, found: Int)
        case nonFinite(set: String, row: Int, column: Int)
        case tooFewPoints(clusters: Int, points: Int)
        case badOption(String)

        package var description: String {
            switch self {
            case .empty(let set): "expected features for \(set), found none"
            case .ragged(let set, let row, let expected, let found):
                "expected \(expected) numbers per feature vector, found \(found) in \(set) row \(row + 1)"
            case .nonFinite(let set, let row, let column):
                "expected finite features, found NaN or infinity in \(set) row \(row + 1), column \(column + 1)"
            case .tooFewPoints(let clusters, let points):
                "expected at least as many texts as clusters (\(clusters)), found \(points)"
            case .badOption(let message): message
            }
        }
    }

    /// The default cluster count: round-half-to-even(min(|P|, |Q|) / 10), at least 2 (Python's `round`).
    package static func defaultClusters(_ pCount: Int, _ qCount: Int) -> Int {
        max(2, Int((Double(min(pCount, qCount)) / 10).rounded(.toNearestOrEven)))
    }

    /// MAUVE between feature sets `p` (for example generated texts) and `q` (reference texts).
    package static func compute(p: [[Float]], q: [[Float]], options: Options = Options()) throws(Failure) -> Result {
        try compute(p: p.map { $0.map(Double.init) }, q: q.map { $0.map(Double.init) }, options: options)
    }

    /// MAUVE between feature sets `p` and `q` given as `Double`s.
    package static func compute(p: [[Double]], q: [[Double]], options: Options = Options()) throws(Failure) -> Result {
        guard !p.isEmpty else { throw .empty(set: "p") }
        guard !q.isEmpty else { throw .empty(set: "q") }
        let d = q[0].count
        for (name, set) in [("q", q), ("p", p)] {
            if let row = set.firstIndex(where: { $0.count != d }) {
                throw .ragged(set: name, row: row, expected: d, found: set[row].count)
            }
            for (row, features) in set.enumerated() {
                if let column = features.firstIndex(where: { !$0.isFinite }) {
                    throw .nonFinite(set: name, row: row, column: column)
                }
            }
        }
        guard d > 0 else { throw .badOption("expected feature vectors with at least one number, found empty ones") }
        guard options.scale > 0 else { throw .badOption("expected a positive scale, found \(options.scale)") }
        guard options.explainedVariance > 0 && options.explainedVariance < 1 else {
            throw .badOption("expected explained variance in (0, 1), found \(options.explainedVariance)")
        }
        let k = options.clusters ?? defaultClusters(p.count, q.count)
        guard k >= 1 else { throw .badOption("expected at least one cluster, found \(k)") }
        let n = p.count + q.count
        guard k <= n else { throw .tooFewPoints(clusters: k, points: n) }

        // Q then P, each row L2-normalised (scikit-learn's `normalize` leaves zero rows as they are).
        var data = [Double](repeating: 0, count: n * d)
        for (r, row) in (q + p).enumerated() {
            let norm = row.reduce(0) { $0 + $1 * $1 }.squareRoot()
            let scale = norm > 0 ? 1 / norm : 1
            for c in 0..<d { data[r * d + c] = row[c] * scale }
        }
        let pca = PrincipalComponents(data: data, rows: n, columns: d, explainedVariance: options.explainedVariance)
        let kmeans = KMeans(
            data: pca.projected, rows: n, dimensions: pca.dimensions, clusters: k,
            maxIterations: options.maxIterations, restarts: options.restarts, seed: UInt64(max(0, options.seed + 2)))
        var qCounts = [Double](repeating: 0, count: k)
        var pCounts = [Double](repeating: 0, count: k)
        for (i, label) in kmeans.labels.enumerated() {
            if i < q.count { qCounts[label] += 1 } else { pCounts[label] += 1 }
        }
        let pHist = normalised(pCounts)
        let qHist = normalised(qCounts)
        let pSmooth = normalised(pCounts.map { $0 + 0.5 })
        let qSmooth = normalised(qCounts.map { $0 + 0.5 })
        let weights = DivergenceFrontier.mixtureWeights(count: options.discretization)
        let curve = DivergenceFrontier.curve(p: pHist, q: qHist, weights: weights, scale: options.scale)
        let smoothCurve = DivergenceFrontier.curve(p: pSmooth, q: qSmooth, weights: weights, scale: options.scale)
        return Result(
            mauve: DivergenceFrontier.area(curve),
            frontierIntegral: DivergenceFrontier.frontierIntegral(p: pHist, q: qHist),
            mauveStar: DivergenceFrontier.area(smoothCurve),
            frontierIntegralStar: DivergenceFrontier.frontierIntegral(p: pSmooth, q: qSmooth),
            frontierX: curve.map(\.x), frontierY: curve.map(\.y), pHistogram: pHist, qHistogram: qHist,
            clusters: k, dimensions: pca.dimensions)
    }

    private static func normalised(_ counts: [Double]) -> [Double] {
        let total = counts.reduce(0, +)
        return counts.map { $0 / total }
    }
}
