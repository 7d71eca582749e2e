import SynthValues

/// Sends rendered prompts to a teacher, repairs or retries malformed answers, and counts everything.
///
/// Every answer that should be JSON goes through ``JSONRepair``; if it still cannot be used (no JSON,
/// or ``askJSON(_:seed:maxTokens:extract:)``'s `extract` returns `nil`), the request is sent again with
/// the next seed (and temperature at least 0.7, so a greedy teacher does not repeat itself) up to
/// ``attempts`` times; after that the item is counted as failed and skipped. Teacher errors (network,
/// offline replay misses) are not malformed output and propagate.
package struct TeacherSession: Sendable {
    package var teacher: any Teacher
    /// Total tries per item (1 = no retry).
    package var attempts: Int

    package init(teacher: any Teacher, attempts: Int = 3) {
        self.teacher = teacher
        self.attempts = max(1, attempts)
    }

    /// The result of one structured request: the extracted value and the keys of every request made.
    package struct Answer<T: Sendable>: Sendable {
        package var value: T
        package var requestKeys: [String]
        package var reply: TeacherReply
    }

    /// Asks for JSON and extracts a `T` from it; `nil` after `attempts` unusable answers.
    package func askJSON<T: Sendable>(
        _ prompt: RenderedPrompt, seed: Int, maxTokens: Int? = nil, temperature: Double? = nil,
        counts: inout SynthesisCounts, extract: (Value) -> T?
    ) async throws -> Answer<T>? {
        var keys: [String] = []
        for attempt in 0..<attempts {
            var request = TeacherRequest(prompt, maxTokens: maxTokens, temperature: temperature, seed: seed + attempt)
            if attempt > 0 {
                request.temperature = max(request.temperature, 0.7)
                counts.retried += 1
            }
            let reply = try await teacher.complete(request)
            counts.add(reply)
            keys.append(reply.requestKey)
            guard let parsed = try? JSONRepair.parse(reply.text) else { continue }
            guard let value = extract(parsed.value) else { continue }
            counts.add(repairs: parsed.repairs)
            return Answer(value: value, requestKeys: keys, reply: reply)
        }
        counts.failed += 1
        return nil
    }

    /// Asks for free text; `accept` decides whether the answer is usable (else retry with the next seed).
    package func askText<T: Sendable>(
        _ prompt: RenderedPrompt, seed: Int, maxTokens: Int? = nil, temperature: Double? = nil, topLogprobs: Int = 0,
        counts: inout SynthesisCounts, accept: (TeacherReply) -> T?
    ) async throws -> Answer<T>? {
        var keys: [String] = []
        for attempt in 0..<attempts {
            var request = TeacherRequest(
                prompt, maxTokens: maxTokens, temperature: temperature, seed: seed + attempt, topLogprobs: topLogprobs,
                constrained: false)
            if attempt > 0 {
                request.temperature = max(request.temperature, 0.7)
                counts.retried += 1
            }
            let reply = try await teacher.complete(request)
            counts.add(reply)
            keys.append(reply.requestKey)
            if let value = accept(reply) { return Answer(value: value, requestKeys: keys, reply: reply) }
        }
        counts.failed += 1
        return nil
    }

    /// A provenance entry for an answer made with `prompt`.
    package func provenance(step: String, prompt: RenderedPrompt, keys: [String]) -> RecordProvenance {
        RecordProvenance(
            step: step, template: prompt.templateName, templateHash: prompt.templateHash, model: teacher.model,
            requestKeys: keys)
    }
}

/// Cuts a passage to about `limit` characters at a word boundary (≈ 256 word-pieces at 1,000 characters),
/// so prompts stay short and the shared prompt prefix dominates.
package func truncatePassage(_ text: String, limit: Int = 1000) -> String {
    let clean = text.split(whereSeparator: { $0.isWhitespace }).joined(separator: " ")
    guard clean.count > limit else { return clean }
    let cut = clean.prefix(limit)
    if let space = cut.lastIndex(of: " ") { return String(cut[..<space]) + " …" }
    return String(cut) + " …"
}

/// Maps `items` with at most `limit` operations in flight, keeping the input order in the result.
package func orderedConcurrentMap<T: Sendable, R: Sendable>(
    _ items: [T], limit: Int, _ transform: @escaping @Sendable (Int, T) async throws -> R
) async throws -> [R] {
    var results = [R?](repeating: nil, count: items.count)
    try await withThrowingTaskGroup(of: (Int, R).self) { group in
        var next = 0
        for _ in 0..<min(max(1, limit), items.count) {
            let index = next
            group.addTask { (index, try await transform(index, items[index])) }
            next += 1
        }
        while let (index, result) = try await group.next() {
            results[index] = result
            try Task.checkCancellation()
            if next < items.count {
                let index = next
                group.addTask { (index, try await transform(index, items[index])) }
                next += 1
            }
        }
    }
    return results.map { $0! }
}
