import Foundation

/// Pearson's product-moment correlation of two equally long samples, as `scipy.stats.pearsonr`.
///
/// r = Σ (x_i − x̄)(y_i − ȳ) / √(Σ (x_i − x̄)² · Σ (y_i − ȳ)²). Returns `NaN` when the lengths differ,
/// there are fewer than two values, or either sample is constant (scipy also returns `nan` there).
///
/// ```swift
/// pearson([1, 2, 3], [2, 4, 7])   // 0.9933
/// ```
package func pearson(_ x: [Double], _ y: [Double]) -> Double {
    guard x.count == y.count, x.count >= 2 else { return .nan }
    let n = Double(x.count)
    let meanX = x.reduce(0, +) / n
    let meanY = y.reduce(0, +) / n
    var sxy = 0.0
    var sxx = 0.0
    var syy = 0.0
    for (a, b) in zip(x, y) {
        let dx = a - meanX
        let dy = b - meanY
        sxy += dx * dy
        sxx += dx * dx
        syy += dy * dy
    }
    guard sxx > 0, syy > 0 else { return .nan }
    return max(-1, min(1, sxy / (sxx.squareRoot() * syy.squareRoot())))
}

/// Spearman's rank correlation, as `scipy.stats.spearmanr`: Pearson's r of the ranks, tied values
/// sharing their average rank. The usual measure for STS benchmarks (STS-B, SICK-R).
///
/// ```swift
/// spearman([1, 2, 2, 5], [1, 3, 2, 4])   // 0.9487
/// ```
package func spearman(_ x: [Double], _ y: [Double]) -> Double {
    guard x.count == y.count else { return .nan }
    return pearson(averageRanks(x), averageRanks(y))
}

/// 1-based ranks with ties given the mean of the ranks they span (`scipy.stats.rankdata`'s "average").
package func averageRanks(_ values: [Double]) -> [Double] {
    let order = values.indices.sorted { values[$0] < values[$1] }
    var ranks = [Double](repeating: 0, count: values.count)
    var start = 0
    while start < order.count {
        var end = start
        while end + 1 < order.count, values[order[end + 1]] == values[order[start]] { end += 1 }
        let rank = Double(start + end) / 2 + 1
        for position in start...end { ranks[order[position]] = rank }
        start = end + 1
    }
    return ranks
}
