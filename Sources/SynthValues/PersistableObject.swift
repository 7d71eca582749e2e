import Foundation

/// A ``DomainObject`` that can be saved into a folder and restored from it.
///
/// The notebook cache stores the values a cell assigns so that a cached re-run can restore them
/// without recomputing. Plain data is stored directly; objects that conform here (datasets, indexes,
/// models, runs) save themselves into a folder the cache gives them. Objects that do not conform make
/// their cell recompute on every run. `persistedTypeName` must be stable across versions.
public protocol PersistableObject: DomainObject {
    /// A stable name identifying the type in the cache (for example `bm25_index`).
    static var persistedTypeName: String { get }
    /// Writes the object into `folder` (which exists and is empty).
    func persist(into folder: URL) throws
    /// Reads an object written by ``persist(into:)``.
    static func restore(from folder: URL) throws -> Self
}
