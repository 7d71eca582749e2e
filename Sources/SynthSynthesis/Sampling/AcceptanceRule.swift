import Foundation
import SynthValues

/// How a critique → revise step decides whether to keep the revision.
///
/// Distilled self-critique (Gallego 2023, arXiv 2312.01957) samples from p(x | c, r) ∝ p(x | c)·exp(r(x))
/// with a Gibbs chain of critique z ~ p(z | c, x) and revision x′ ~ p(x | c, x, z), accepting x′ with the
/// Metropolis–Hastings probability
///
///     α = min(1, exp((r(x′) − r(x)) / T))
///
/// (T = 1 in the paper; a temperature T < 1 makes the rule greedier). The authors' released code
/// simplifies this to keeping strict improvements only, r(x′) > r(x): that is ``strictImprovement``.
package enum AcceptanceRule: Sendable, Equatable, CustomStringConvertible {
    case metropolis(temperature: Double)
    case strictImprovement
    /// Always take the revision (no reward filter), for ablations.
    case always

    /// The probability of accepting a move from reward `current` to reward `proposed`.
    ///
    /// For example `metropolis(temperature: 1)` with rewards 0.2 → 0.0 gives exp(−0.2) ≈ 0.819.
    package func acceptanceProbability(current: Double, proposed: Double) -> Double {
        switch self {
        case .always: return 1
        case .strictImprovement: return proposed > current ? 1 : 0
        case .metropolis(let temperature):
            if proposed.isNaN { return 0 }
            if current.isNaN { return 1 }
            let delta = (proposed - current) / max(temperature, 1e-12)
            return delta >= 0 ? 1 : exp(delta)
        }
    }

    /// Draws the decision with `generator`: accept when u < α for u uniform in [0, 1).
    ///
    /// Exactly one uniform is drawn per call for every rule, so a chain's random stream does not depend
    /// on which rule is used.
    package func accept(current: Double, proposed: Double, using generator: inout SplitMix64) -> Bool {
        let u = generator.nextUnit()
        return u < acceptanceProbability(current: current, proposed: proposed)
    }

    /// Parses `metropolis`, `metropolis:0.5` (temperature), `strict` / `strict-improvement`, `always`.
    package init?(parsing text: String) {
        let parts = text.lowercased().split(separator: ":", maxSplits: 1).map(String.init)
        switch parts.first {
        case "metropolis", "mh":
            let t = parts.count > 1 ? Double(parts[1]) : 1
            guard let t, t > 0 else { return nil }
            self = .metropolis(temperature: t)
        case "strict", "strict-improvement": self = .strictImprovement
        case "always": self = .always
        default: return nil
        }
    }

    package var description: String {
        switch self {
        case .metropolis(let t): t == 1 ? "metropolis" : "metropolis:\(t)"
        case .strictImprovement: "strict-improvement"
        case .always: "always"
        }
    }
}
