import Foundation

/// A malformed or unsupported GGUF file: what was expected, what was found, and the byte offset.
///
/// ```swift
/// do { _ = try GGUFFile(data: Data("GGUX".utf8)) } catch let error as GGUFError { print(error) }
/// // model.gguf: byte 0: expected magic "GGUF", found "GGUX"
/// ```
package struct GGUFError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The file name (or `<memory>`).
    package var file: String
    /// Byte offset in the file where the problem was found.
    package var offset: Int
    /// Lowercase message, "expected X, found Y" where possible.
    package var message: String

    package init(file: String, offset: Int, _ message: String) {
        self.file = file
        self.offset = offset
        self.message = message
    }

    package var description: String { "\(file): byte \(offset): \(message)" }
}
