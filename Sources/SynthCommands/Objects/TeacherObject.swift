import SynthSynthesis
import SynthValues

/// An LLM teacher as a language value (type `teacher`), made by `llm` and passed as `teacher=`.
package struct TeacherObject: DomainObject {
    package var teacher: any Teacher
    /// Tries per item when answers are malformed.
    package var attempts: Int
    /// Requests in flight at once.
    package var concurrency: Int
    /// Where answers come from, for the summary (`local qwen`, an endpoint URL).
    package var source: String

    package init(teacher: any Teacher, attempts: Int = 3, concurrency: Int = 2, source: String) {
        self.teacher = teacher
        self.attempts = attempts
        self.concurrency = concurrency
        self.source = source
    }

    package var session: TeacherSession { TeacherSession(teacher: teacher, attempts: attempts) }

    package var typeName: String { "teacher" }
    package var summary: String {
        "teacher \(teacher.model) (\(source)), \(attempts) attempts, \(concurrency) in flight"
    }
    package var fieldNames: [String] { ["model", "attempts", "concurrency"] }
    package func field(_ name: String) -> Value? {
        switch name {
        case "model": .string(teacher.model)
        case "attempts": .int(attempts)
        case "concurrency": .int(concurrency)
        default: nil
        }
    }
}
