import Foundation
import SynthValues

extension CellCache {
    /// Converts a language value to storable form, saving domain objects into blob folders.
    ///
    /// - Parameter persistable: the object types that can save themselves (``PersistableObject``).
    /// - Returns: the stored form, or `nil` when the value holds an object that cannot be persisted
    ///   (the cell then recomputes on every run).
    package func storedValue(_ value: Value, persistable: [any PersistableObject.Type]) throws -> StoredValue? {
        switch value {
        case .null: return .null
        case .bool(let b): return .bool(b)
        case .int(let i): return .int(i)
        case .double(let d): return .double(d)
        case .string(let s): return .string(s)
        case .list(let items):
            var stored: [StoredValue] = []
            for item in items {
                guard let value = try storedValue(item, persistable: persistable) else { return nil }
                stored.append(value)
            }
            return .list(stored)
        case .record(let record):
            var fields: [StoredValue.Field] = []
            for (key, item) in record.pairs {
                guard let value = try storedValue(item, persistable: persistable) else { return nil }
                fields.append(.init(name: key, value: value))
            }
            return .record(fields)
        case .object(let lazy as LazyObject):
            return lazy.stored
        case .object(let object):
            guard let persistableObject = object as? any PersistableObject else { return nil }
            let typeName = type(of: persistableObject).persistedTypeName
            guard persistable.contains(where: { $0.persistedTypeName == typeName }) else { return nil }
            let staging = try blobs.temporaryFolder()
            do {
                try persistableObject.persist(into: staging)
            } catch {
                try? FileManager.default.removeItem(at: staging)
                throw error
            }
            return .object(type: typeName, blob: try blobs.putFolder(staging), typeName: persistableObject.typeName)
        }
    }

    /// Rebuilds a language value from its stored form.
    ///
    /// - Throws: a ``Diagnostic`` when an object type is unknown or its blob is missing.
    package func value(_ stored: StoredValue, persistable: [any PersistableObject.Type]) throws -> Value {
        switch stored {
        case .null: return .null
        case .bool(let b): return .bool(b)
        case .int(let i): return .int(i)
        case .double(let d): return .double(d)
        case .string(let s): return .string(s)
        case .list(let items): return .list(try items.map { try value($0, persistable: persistable) })
        case .record(let fields):
            var record = Record()
            for field in fields { record[field.name] = try value(field.value, persistable: persistable) }
            return .record(record)
        case .object(let typeName, let blob, _):
            guard let type = persistable.first(where: { $0.persistedTypeName == typeName }) else {
                throw Diagnostic(.error, "cached object of unknown type `\(typeName)`")
            }
            guard blobs.contains(blob) else { throw Diagnostic(.error, "cached blob \(blob.prefix(12)) is missing") }
            return .object(try type.restore(from: blobs.url(for: blob)))
        }
    }

    /// Like ``value(_:persistable:)`` but objects stay in their blobs as ``LazyObject``s until first used.
    ///
    /// A fully cached re-run then restores nothing large: plain data is rebuilt at once, objects only when a
    /// cell that actually runs needs them (see ``materialize(_:)``) or a field is read.
    package func lazyValue(_ stored: StoredValue, persistable: [any PersistableObject.Type]) -> Value {
        switch stored {
        case .list(let items): return .list(items.map { lazyValue($0, persistable: persistable) })
        case .record(let fields):
            var record = Record()
            for field in fields { record[field.name] = lazyValue(field.value, persistable: persistable) }
            return .record(record)
        case .object(_, _, let typeName):
            return .object(LazyObject(stored: stored, typeName: typeName) { [self] in
                guard case .object(let object) = try value(stored, persistable: persistable) else {
                    throw Diagnostic(.error, "cached value is not an object")
                }
                return object
            })
        default: return (try? value(stored, persistable: persistable)) ?? .null
        }
    }

    /// `value` with every ``LazyObject`` inside replaced by the restored object.
    package func materialize(_ value: Value) throws -> Value {
        switch value {
        case .object(let lazy as LazyObject): return .object(try lazy.object())
        case .list(let items): return .list(try items.map(materialize))
        case .record(let record):
            var copy = Record()
            for (key, item) in record.pairs { copy[key] = try materialize(item) }
            return .record(copy)
        default: return value
        }
    }

    /// Whether `value` holds a ``LazyObject`` anywhere.
    package static func containsLazy(_ value: Value) -> Bool {
        switch value {
        case .object(let object): object is LazyObject
        case .list(let items): items.contains(where: containsLazy)
        case .record(let record): record.pairs.contains { containsLazy($0.value) }
        default: false
        }
    }
}
