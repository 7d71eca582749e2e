/// Branch-free float approximations that the compiler can vectorise (unlike calls to libm).
package enum FastMath {
    /// `e^x` with relative error below 2e-7 over the float range (range reduction by ln 2, degree-6 polynomial).
    @inline(__always)
    package static func exp(_ x: Float) -> Float {
        let clamped = Swift.min(Swift.max(x, -87.3), 88.3)
        let shifter: Float = 12_582_912  // 1.5 * 2^23: adding it rounds to the nearest integer
        let n = (clamped * 1.442_695_04 + shifter) - shifter
        let r = (clamped - n * 0.693_145_75) - n * 1.428_606_8e-6
        var p: Float = 1.0 / 720
        p = p * r + 1.0 / 120
        p = p * r + 1.0 / 24
        p = p * r + 1.0 / 6
        p = p * r + 0.5
        p = p * r + 1
        p = p * r + 1
        let scale = Float(bitPattern: UInt32(bitPattern: (Int32(n) + 127) << 23))
        return p * scale
    }

    /// The error function (Abramowitz & Stegun 7.1.26, absolute error below 1.5e-7).
    @inline(__always)
    package static func erf(_ x: Float) -> Float {
        let a = Swift.abs(x)
        let t = 1 / (1 + 0.327_591_1 * a)
        var p: Float = 1.061_405_429
        p = p * t - 1.453_152_027
        p = p * t + 1.421_413_741
        p = p * t - 0.284_496_736
        p = p * t + 0.254_829_592
        let y = 1 - p * t * exp(-a * a)
        return x < 0 ? -y : y
    }
}
