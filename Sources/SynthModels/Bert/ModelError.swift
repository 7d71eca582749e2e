import Foundation
import SynthValues

/// Why a model, its configuration or a checkpoint could not be read or written.
package enum ModelError: Error, Sendable, Equatable, CustomStringConvertible, DiagnosticConvertible {
    /// A file could not be read or written.
    case io(path: String, reason: String)
    /// A file's content does not have the expected structure.
    case malformed(path: String, expected: String, found: String)
    /// A tensor the model needs is absent.
    case missingTensor(path: String, name: String)
    /// A tensor has the wrong shape for the configuration.
    case shapeMismatch(path: String, name: String, expected: [Int], found: [Int])
    /// A safetensors dtype this reader does not convert.
    case unsupportedDType(path: String, name: String, dtype: String)

    package var diagnostic: Diagnostic {
        switch self {
        case .io(let path, let reason):
            return Diagnostic(.error, "cannot access model file: \(reason)", at: SourceLocation(file: path))
        case .malformed(let path, let expected, let found):
            return Diagnostic(.error, "expected \(expected), found \(found)", at: SourceLocation(file: path))
        case .missingTensor(let path, let name):
            return Diagnostic(.error, "expected tensor \(name), found none", at: SourceLocation(file: path))
        case .shapeMismatch(let path, let name, let expected, let found):
            return Diagnostic(.error, "expected tensor \(name) of shape \(expected), found \(found)",
                              at: SourceLocation(file: path))
        case .unsupportedDType(let path, let name, let dtype):
            return Diagnostic(.error, "expected dtype F32, F16, BF16, F64, I64 or I32 for \(name), found \(dtype)",
                              at: SourceLocation(file: path))
        }
    }

    package var description: String { diagnostic.description }
}
