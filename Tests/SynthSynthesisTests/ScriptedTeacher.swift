import Foundation

@testable import SynthSynthesis

/// A teacher that answers from a script, for testing pipelines without a server.
struct ScriptedTeacher: Teacher {
    let model = "scripted"
    let log = RequestLog()
    let respond: @Sendable (TeacherRequest) -> TeacherReply

    init(_ respond: @escaping @Sendable (TeacherRequest) -> TeacherReply) { self.respond = respond }

    /// Answers with text only.
    init(text: @escaping @Sendable (TeacherRequest) -> String) {
        respond = { TeacherReply(text: text($0), promptTokens: 10, completionTokens: 5) }
    }

    func complete(_ request: TeacherRequest) async throws -> TeacherReply {
        let n = await log.append(request)
        var reply = respond(request)
        if reply.requestKey.isEmpty { reply.requestKey = "key\(n)" }
        return reply
    }
}

actor RequestLog {
    private(set) var requests: [TeacherRequest] = []
    func append(_ request: TeacherRequest) -> Int {
        requests.append(request)
        return requests.count
    }
}

/// The user message of a request.
func userText(_ request: TeacherRequest) -> String { request.messages.last?.content ?? "" }

/// A yes/no reply with top log-probabilities giving P(yes) = `p`.
func verdictReply(yes p: Double, text: String? = nil) -> TeacherReply {
    let word = p >= 0.5 ? "Yes" : "No"
    return TeacherReply(
        text: text ?? "\(word), because.",
        tokens: [
            TeacherToken(
                token: word, logprob: log(max(p, 1 - p)),
                alternatives: [.init(token: "Yes", logprob: log(p)), .init(token: "No", logprob: log(1 - p))])
        ], promptTokens: 20, completionTokens: 3)
}
