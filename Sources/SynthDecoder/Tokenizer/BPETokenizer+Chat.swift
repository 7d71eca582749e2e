extension BPETokenizer {
    /// One chat message for ``chatPrompt(_:addGenerationPrompt:)``.
    package struct ChatTurn: Sendable, Equatable {
        package var role: String
        package var content: String
        package init(role: String, content: String) {
            self.role = role
            self.content = content
        }
    }

    /// The prompt text for `messages` under the file's chat template, as llama-server renders it.
    ///
    /// Supports ChatML templates (`<|im_start|>role\ncontent<|im_end|>\n`, SmolLM2 and Qwen), including a
    /// default system message that the template inserts when the first message is not a system message
    /// (SmolLM2: "You are a helpful AI assistant named SmolLM, trained by Hugging Face"). Encode the result
    /// with `parseSpecial: true`.
    ///
    /// - Returns: nil when the file has no template or it is not ChatML.
    package func chatPrompt(_ messages: [ChatTurn], addGenerationPrompt: Bool = true) -> String? {
        guard let template = chatTemplate, template.contains("<|im_start|>") else { return nil }
        var text = ""
        if messages.first?.role != "system", let system = Self.defaultSystemMessage(in: template) {
            text += "<|im_start|>system\n" + system + "<|im_end|>\n"
        }
        for message in messages { text += "<|im_start|>" + message.role + "\n" + message.content + "<|im_end|>\n" }
        if addGenerationPrompt { text += "<|im_start|>assistant\n" }
        return text
    }

    /// The literal default system message of a ChatML template (`'<|im_start|>system\n…<|im_end|>`).
    static func defaultSystemMessage(in template: String) -> String? {
        guard template.contains("!= 'system'") || template.contains("!= \"system\""),
            let start = template.range(of: "<|im_start|>system\n"),
            let end = template.range(of: "<|im_end|>", range: start.upperBound..<template.endIndex)
        else { return nil }
        let message = template[start.upperBound..<end.lowerBound]
        return message.contains("{{") || message.contains("'") ? nil : String(message)
    }
}
