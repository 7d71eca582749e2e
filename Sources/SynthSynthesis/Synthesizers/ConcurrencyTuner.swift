/// Finds how many teacher calls to keep in flight: one more while aggregate completion tokens per
/// second keep rising, then the best level found.
///
/// A server with continuous batching (llama.cpp slots, vLLM) serves several requests faster than one
/// at a time until its compute is saturated; past that point more requests in flight only queue. The
/// tuner starts at one call, measures the completion tokens per second of the next
/// ``windowCalls(at:)`` answers, and raises the level by one while each level beats the best so far by
/// at least ``requiredGain``. The first level that does not settles the search at the best level. Only
/// new calls count (replayed answers cost nothing); the level never exceeds ``maximum``.
///
/// ```swift
/// var tuner = ConcurrencyTuner(maximum: 4)
/// tuner.record(completionTokens: 120, at: 3.1)   // after each new call, seconds since the run started
/// let inFlight = tuner.level
/// ```
package struct ConcurrencyTuner: Sendable, Equatable {
    /// One measured level: its calls in flight and their completion tokens per second.
    package struct Measurement: Sendable, Equatable {
        package var level: Int
        package var tokensPerSecond: Double
    }

    /// The largest level the tuner may choose (the teacher's concurrency).
    package let maximum: Int
    /// Calls to keep in flight now.
    package private(set) var level = 1
    /// True once the search has stopped.
    package private(set) var settled: Bool
    /// Every level measured so far, in order.
    package private(set) var measurements: [Measurement] = []

    /// A level must beat the best one by this factor to be worth its extra calls in flight.
    package static let requiredGain = 1.05

    /// Answers measured at `level` (after the first, whose start time opens the window): enough for
    /// every call in flight to finish about three times, so a level is measured at its steady state.
    package static func windowCalls(at level: Int) -> Int { 3 * max(1, level) }

    private var windowStart: Double?
    private var windowTokens = 0
    private var windowAnswers = 0

    package init(maximum: Int) {
        self.maximum = max(1, maximum)
        settled = self.maximum == 1
    }

    /// The best level measured so far (`nil` before the first window closes).
    package var best: Measurement? {
        measurements.reduce(nil) { best, next in
            guard let best else { return next }
            return next.tokensPerSecond >= best.tokensPerSecond * Self.requiredGain ? next : best
        }
    }

    /// Records one new call's answer: its completion tokens and when it finished (seconds since any
    /// fixed origin). Moves to the next level when the current level's window is complete.
    package mutating func record(completionTokens: Int, at time: Double) {
        guard !settled else { return }
        guard let start = windowStart else {
            windowStart = time  // the first answer at this level opens the window
            return
        }
        windowTokens += completionTokens
        windowAnswers += 1
        guard windowAnswers >= Self.windowCalls(at: level) else { return }
        let rate = Double(windowTokens) / max(time - start, 1e-9)
        let previousBest = best
        measurements.append(Measurement(level: level, tokensPerSecond: rate))
        windowStart = nil
        windowTokens = 0
        windowAnswers = 0
        if let previousBest, rate < previousBest.tokensPerSecond * Self.requiredGain {
            level = previousBest.level
            settled = true
        } else if level >= maximum {
            settled = true
        } else {
            level += 1
        }
    }

    /// `calls in flight tuned to 2 (completion tokens/s: 1 → 10.3, 2 → 13.9, 3 → 13.6)`.
    package var summary: String {
        let rates = measurements.map { "\($0.level) → \(String(format: "%.1f", $0.tokensPerSecond))" }
        let state = settled ? "tuned to \(level)" : "still tuning at \(level) of at most \(maximum)"
        return "calls in flight \(state)" + (rates.isEmpty ? "" : " (completion tokens/s: \(rates.joined(separator: ", ")))")
    }
}
