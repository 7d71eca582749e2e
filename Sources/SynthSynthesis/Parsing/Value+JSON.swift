import Foundation
import SynthValues

extension Value {
    /// The string payload, or `nil` for other kinds.
    package var stringValue: String? {
        if case .string(let s) = self { return s }
        return nil
    }

    /// The list payload, or `nil` for other kinds.
    package var listValue: [Value]? {
        if case .list(let items) = self { return items }
        return nil
    }
}
