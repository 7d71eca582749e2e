import Foundation

/// Special functions behind the Student t distribution.
enum SpecialFunctions {
    /// The regularized incomplete beta function I_x(a, b).
    ///
    /// Evaluated by the continued fraction of Numerical Recipes (Press et al., 3rd ed., §6.4) with the
    /// modified Lentz method, using the symmetry I_x(a, b) = 1 − I_{1−x}(b, a) where the fraction
    /// converges slowly. Relative accuracy is near machine precision for the t-test's arguments.
    static func regularizedIncompleteBeta(_ x: Double, a: Double, b: Double) -> Double {
        if x <= 0 { return 0 }
        if x >= 1 { return 1 }
        let logFront = lgamma(a + b) - lgamma(a) - lgamma(b) + a * log(x) + b * log1p(-x)
        if x < (a + 1) / (a + b + 2) {
            return exp(logFront) * continuedFraction(x, a: a, b: b) / a
        }
        return 1 - exp(logFront) * continuedFraction(1 - x, a: b, b: a) / b
    }

    private static func continuedFraction(_ x: Double, a: Double, b: Double) -> Double {
        let tiny = 1e-300
        let epsilon = 1e-16
        var c = 1.0
        var d = 1 - (a + b) * x / (a + 1)
        if abs(d) < tiny { d = tiny }
        d = 1 / d
        var result = d
        for m in 1...10_000 {
            let m = Double(m)
            let m2 = 2 * m
            var numerator = m * (b - m) * x / ((a - 1 + m2) * (a + m2))
            d = 1 + numerator * d
            if abs(d) < tiny { d = tiny }
            c = 1 + numerator / c
            if abs(c) < tiny { c = tiny }
            d = 1 / d
            result *= d * c
            numerator = -(a + m) * (a + b + m) * x / ((a + m2) * (a + 1 + m2))
            d = 1 + numerator * d
            if abs(d) < tiny { d = tiny }
            c = 1 + numerator / c
            if abs(c) < tiny { c = tiny }
            d = 1 / d
            let delta = d * c
            result *= delta
            if abs(delta - 1) < epsilon { break }
        }
        return result
    }

    /// Two-sided tail probability P(|T| ≥ |t|) of Student's t with `degrees` degrees of freedom.
    static func studentTTwoSided(_ t: Double, degrees: Double) -> Double {
        if t.isNaN || degrees.isNaN { return .nan }
        if t.isInfinite { return 0 }
        return regularizedIncompleteBeta(degrees / (degrees + t * t), a: degrees / 2, b: 0.5)
    }
}
