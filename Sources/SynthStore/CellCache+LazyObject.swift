import Foundation
import SynthValues

/// A cached domain object that is restored from its blob folder only when first needed.
///
/// It answers ``typeName`` without restoring (so cells can be checked against it); ``summary``,
/// ``fieldNames`` and ``field(_:)`` restore it once. Verbs never see one: the notebook runner calls
/// ``CellCache/materialize(_:)`` before running a cell.
package final class LazyObject: DomainObject, @unchecked Sendable {  // `lock` guards `restored`
    /// The stored form, reused when a cell stores the same value again.
    package let stored: StoredValue
    package let typeName: String
    private let load: @Sendable () throws -> any DomainObject
    private let lock = NSLock()
    private var restored: (any DomainObject)?

    package init(stored: StoredValue, typeName: String, load: @escaping @Sendable () throws -> any DomainObject) {
        self.stored = stored
        self.typeName = typeName
        self.load = load
    }

    /// The restored object (restored on the first call).
    package func object() throws -> any DomainObject {
        try lock.withLock {
            if let restored { return restored }
            let object = try load()
            restored = object
            return object
        }
    }

    package var summary: String { (try? object())?.summary ?? "\(typeName) (cached, cannot be restored)" }
    package var fieldNames: [String] { (try? object())?.fieldNames ?? [] }
    package func field(_ name: String) -> Value? { (try? object())?.field(name) }
}
