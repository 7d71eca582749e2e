import SynthValues

/// Lloyd's k-means as faiss's `Kmeans` runs it, seeded and deterministic.
///
/// Each of `restarts` runs starts from k distinct data points drawn by a seeded permutation, then
/// alternates nearest-centroid assignment and centroid means for at most `maxIterations` rounds; a cluster
/// left empty is refilled by splitting a populated one chosen with probability ∝ (size − 1), both copies
/// nudged by ±1/1024 per coordinate (faiss `split_clusters`). The run with the lowest objective (sum of
/// squared distances at its last assignment) wins, and every point gets the label of its nearest final
/// centroid. A run stops early once assignments no longer change, which is where faiss's fixed number of
/// iterations ends up too. The random streams differ from faiss's, so labels agree with faiss only up to
/// the usual k-means run-to-run variation.
///
/// - Complexity: O(restarts · iterations · n · k · d).
package struct KMeans: Sendable {
    /// Final centroids, row-major `clusters × dimensions`.
    package var centroids: [Double]
    /// The nearest final centroid of every point.
    package var labels: [Int]
    /// The best run's objective: the sum of squared distances of points to their assigned centroids.
    package var objective: Double
    package var clusters: Int
    package var dimensions: Int

    /// Clusters the rows of `data` (row-major `rows × dimensions`) into `clusters` groups.
    ///
    /// - Precondition: `1 ≤ clusters ≤ rows`.
    package init(
        data: [Double], rows n: Int, dimensions d: Int, clusters k: Int, maxIterations: Int = 500,
        restarts: Int = 5, seed: UInt64 = 27
    ) {
        precondition(k >= 1 && k <= n, "expected 1 ≤ clusters ≤ \(n), found \(k)")
        precondition(data.count == n * d, "expected \(n * d) values, found \(data.count)")
        clusters = k
        dimensions = d
        var best: [Double] = []
        var bestObjective = Double.infinity
        var labels = [Int](repeating: 0, count: n)
        for restart in 0..<max(1, restarts) {
            var generator = SplitMix64(seed: seed &+ 1 &+ UInt64(restart) &* 15_486_557)
            var permutation = Array(0..<n)
            permutation.shuffle(using: &generator)
            var centroids = [Double](repeating: 0, count: k * d)
            for c in 0..<k {
                for j in 0..<d { centroids[c * d + j] = data[permutation[c] * d + j] }
            }
            if k == n {  // faiss copies the points and skips training
                best = centroids
                bestObjective = 0
                break
            }
            var previous: [Int] = []
            var objective = Double.infinity
            for _ in 0..<max(1, maxIterations) {
                objective = Self.assign(data, n, d, centroids, k, into: &labels)
                var counts = [Int](repeating: 0, count: k)
                centroids = Self.means(data, n, d, labels, k, counts: &counts)
                let splits = Self.splitEmpty(&centroids, counts: &counts, d: d, n: n)
                if splits == 0 && labels == previous { break }
                previous = labels
            }
            if objective < bestObjective {
                bestObjective = objective
                best = centroids
            }
        }
        centroids = best
        objective = bestObjective
        _ = Self.assign(data, n, d, best, k, into: &labels)
        self.labels = labels
    }

    /// Nearest-centroid labels (ties to the lower index); returns the sum of squared distances.
    private static func assign(
        _ data: [Double], _ n: Int, _ d: Int, _ centroids: [Double], _ k: Int, into labels: inout [Int]
    ) -> Double {
        var total = 0.0
        data.withUnsafeBufferPointer { x in
            centroids.withUnsafeBufferPointer { c in
                for i in 0..<n {
                    let point = x.baseAddress! + i * d
                    var bestDistance = Double.infinity
                    var bestIndex = 0
                    for j in 0..<k {
                        let centre = c.baseAddress! + j * d
                        var distance = 0.0
                        for t in 0..<d {
                            let diff = point[t] - centre[t]
                            distance += diff * diff
                        }
                        if distance < bestDistance {
                            bestDistance = distance
                            bestIndex = j
                        }
                    }
                    labels[i] = bestIndex
                    total += bestDistance
                }
            }
        }
        return total
    }

    /// The mean of each cluster's points (zero for an empty cluster); `counts` receives the cluster sizes.
    private static func means(
        _ data: [Double], _ n: Int, _ d: Int, _ labels: [Int], _ k: Int, counts: inout [Int]
    ) -> [Double] {
        var sums = [Double](repeating: 0, count: k * d)
        for i in 0..<n {
            let c = labels[i]
            counts[c] += 1
            for t in 0..<d { sums[c * d + t] += data[i * d + t] }
        }
        for c in 0..<k where counts[c] > 0 {
            let scale = 1 / Double(counts[c])
            for t in 0..<d { sums[c * d + t] *= scale }
        }
        return sums
    }

    /// faiss's `split_clusters`: refills each empty cluster from a populated one; returns how many it split.
    private static func splitEmpty(_ centroids: inout [Double], counts: inout [Int], d: Int, n: Int) -> Int {
        let k = counts.count
        guard counts.contains(0), n > k else { return 0 }
        var generator = SplitMix64(seed: 1234)
        let epsilon = 1.0 / 1024
        var weights = counts.map(Double.init)
        var splits = 0
        for ci in 0..<k where weights[ci] == 0 {
            var cj = 0
            while true {
                let p = (weights[cj] - 1) / Double(n - k)
                if Double.random(in: 0..<1, using: &generator) < p { break }
                cj = (cj + 1) % k
            }
            for t in 0..<d {
                let up = centroids[cj * d + t] * (1 + epsilon)
                let down = centroids[cj * d + t] * (1 - epsilon)
                centroids[ci * d + t] = t % 2 == 0 ? up : down
                centroids[cj * d + t] = t % 2 == 0 ? down : up
            }
            weights[ci] = weights[cj] / 2
            weights[cj] -= weights[ci]
            splits += 1
        }
        for c in 0..<k { counts[c] = Int(weights[c].rounded()) }
        return splits
    }
}
