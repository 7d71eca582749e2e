import Foundation

/// The divergence frontier of two histograms and the area under it (Pillutla et al., NeurIPS 2021, §2).
///
/// For mixtures R_λ = λP + (1 − λ)Q the frontier is the curve of points
/// (exp(−c · KL(Q ‖ R_λ)), exp(−c · KL(P ‖ R_λ))), λ ∈ (0, 1), closed by the extreme points (1, 0) and (0, 1);
/// MAUVE is its area. As `mauve-text`: λ takes `discretization` evenly spaced values in [10⁻⁶, 1 − 10⁻⁶],
/// the area is the mean of the trapezoidal areas with the points sorted by x and by y, and the frontier
/// integral is that of Pillutla et al. (JMLR 2023), twice the integral of the "Hellinger-like" f-divergence.
package enum DivergenceFrontier {
    /// `mauve-text`'s `kl_multinomial`: Σ p_i log(p_i / q_i) over bins where both are positive; +∞ when p has
    /// mass where q has none.
    package static func kl(_ p: [Double], _ q: [Double]) -> Double {
        precondition(p.count == q.count, "expected histograms of equal size, found \(p.count) and \(q.count)")
        var sum = 0.0
        for (a, b) in zip(p, q) {
            if a != 0 && b == 0 { return .infinity }
            if a != 0 && b != 0 { sum += a * log(a / b) }
        }
        return sum
    }

    /// numpy's `linspace(start, stop, count)`: start + i · step, the last value exactly `stop`.
    package static func mixtureWeights(count: Int, start: Double = 1e-6, stop: Double = 1 - 1e-6) -> [Double] {
        guard count > 1 else { return count == 1 ? [start] : [] }
        let step = (stop - start) / Double(count - 1)
        var weights = (0..<count).map { start + Double($0) * step }
        weights[count - 1] = stop
        return weights
    }

    /// The frontier points for `weights` (sorted ascending), between the extreme points (1, 0) and (0, 1),
    /// as `get_divergence_curve_for_multinomials`.
    ///
    /// - Parameter scale: the constant c (5 in the paper).
    package static func curve(p: [Double], q: [Double], weights: [Double], scale: Double) -> [(x: Double, y: Double)] {
        var points: [(x: Double, y: Double)] = [(1, 0)]  // exp(−c · (0, ∞))
        for w in weights.sorted() {
            let r = zip(p, q).map { w * $0 + (1 - w) * $1 }
            points.append((exp(-scale * kl(q, r)), exp(-scale * kl(p, r))))
        }
        points.append((0, 1))
        return points
    }

    /// The trapezoidal area under y(x) after sorting by x, plus that under x(y) after sorting by y, halved.
    ///
    /// Points with equal x are ordered by decreasing y (and equal y by decreasing x): the frontier's own
    /// order, which is what numpy's `argsort` gives `mauve-text` when P = Q (MAUVE 1).
    package static func area(_ points: [(x: Double, y: Double)]) -> Double {
        let byX = points.sorted { $0.x != $1.x ? $0.x < $1.x : $0.y > $1.y }
        let byY = points.sorted { $0.y != $1.y ? $0.y < $1.y : $0.x > $1.x }
        return 0.5 * (trapezoid(byX.map(\.x), byX.map(\.y)) + trapezoid(byY.map(\.y), byY.map(\.x)))
    }

    /// MAUVE of two histograms: the area under their divergence frontier.
    package static func mauve(p: [Double], q: [Double], scale: Double = 5, discretization: Int = 25) -> Double {
        area(curve(p: p, q: q, weights: mixtureWeights(count: discretization), scale: scale))
    }

    /// `mauve-text`'s `get_fronter_integral` (scaling 2): Σ_i ¼(p_i + q_i) − ½ p_i q_i (log p_i − log q_i)/(p_i − q_i),
    /// a bin with only one side counting ¼ of its mass; 0 for identical histograms, 1 for disjoint ones.
    package static func frontierIntegral(p: [Double], q: [Double]) -> Double {
        var total = 0.0
        for (a, b) in zip(p, q) {
            if a == 0 && b == 0 { continue }
            if a == 0 {
                total += b / 4
            } else if b == 0 {
                total += a / 4
            } else if abs(a - b) > 1e-8 {
                total += 0.25 * (a + b) - 0.5 * (a * b * (log(a) - log(b)) / (a - b))
            }
        }
        return total * 2
    }

    /// `numpy.trapz(y, x)`: Σ (x_{i+1} − x_i)(y_{i+1} + y_i)/2.
    static func trapezoid(_ x: [Double], _ y: [Double]) -> Double {
        var sum = 0.0
        for i in 0..<max(0, x.count - 1) { sum += (x[i + 1] - x[i]) * (y[i + 1] + y[i]) / 2 }
        return sum
    }
}
