/// One message of a chat conversation, as the OpenAI chat-completions API takes it.
///
/// ```swift
/// let messages: [ChatMessage] = [.system("You write search queries."), .user("Passage: …")]
/// ```
package struct ChatMessage: Sendable, Hashable, Codable {
    /// `system`, `user` or `assistant`.
    package var role: String
    package var content: String

    package init(role: String, content: String) {
        self.role = role
        self.content = content
    }

    /// A system message.
    package static func system(_ content: String) -> ChatMessage { ChatMessage(role: "system", content: content) }
    /// A user message.
    package static func user(_ content: String) -> ChatMessage { ChatMessage(role: "user", content: content) }
    /// An assistant message (for few-shot examples).
    package static func assistant(_ content: String) -> ChatMessage {
        ChatMessage(role: "assistant", content: content)
    }
}
