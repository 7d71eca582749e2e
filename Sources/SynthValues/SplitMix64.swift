/// SplitMix64 (Steele, Lea & Flood 2014): the project's one small seedable generator, for acceptance
/// draws and shuffles in synthesis, resampling in significance tests, k-means restarts, retry jitter
/// and the seeding of the tensor core's xoshiro generator.
///
/// The same seed gives the same stream on every platform, so Metropolis–Hastings chains, p-values and
/// shuffles are reproducible from the seed recorded in the report.
package struct SplitMix64: RandomNumberGenerator, Sendable, Equatable {
    private var state: UInt64

    package init(seed: UInt64) { state = seed }

    package mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }

    /// A uniform double in [0, 1) with 53 random bits.
    package mutating func nextUnit() -> Double {
        Double(next() >> 11) * (1.0 / 9_007_199_254_740_992.0)
    }

    /// A generator for item `index` of a run seeded with `seed`, independent of how many draws other
    /// items made (so results do not depend on concurrency or order).
    package static func stream(seed: UInt64, index: UInt64) -> SplitMix64 {
        var mixer = SplitMix64(seed: seed ^ (index &* 0xD134_2543_DE82_EF95))
        return SplitMix64(seed: mixer.next())
    }
}
