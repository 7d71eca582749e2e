import Foundation
import SynthMetrics
import SynthValues

/// The result of `evaluate` (type `evaluation`): one or more systems' per-query and mean measures.
///
/// Fields: `label`, `split`, `systems` (names), `measures` (trec_eval spellings), `queries` (count);
/// each measure with `_` for `.` (`ndcg_cut_10`) is the first system's mean; each system name is a record
/// of its means (`results.bm25.ndcg_cut_10`).
package struct EvaluationObject: Displayable, JSONExportable, PersistableObject {
    /// One evaluated system.
    package struct System: Sendable, Equatable {
        package var name: String
        package var evaluation: Evaluation
        package init(name: String, evaluation: Evaluation) {
            self.name = name
            self.evaluation = evaluation
        }
    }

    package var label: String
    package var split: String
    package var measures: [Measure]
    package var systems: [System]

    package init(label: String, split: String, measures: [Measure], systems: [System]) {
        self.label = label
        self.split = split
        self.measures = measures
        self.systems = systems
    }

    package var typeName: String { "evaluation" }

    package var summary: String {
        let first =
            systems.first.map { system in
                measures.prefix(3).map { "\($0) \(formatFixed(system.evaluation.mean[$0] ?? 0, digits: 4))" }
                    .joined(separator: ", ")
            } ?? ""
        return "evaluation \(label) (\(split)): \(systems.map(\.name).joined(separator: ", "))"
            + (systems.count == 1 ? ": \(first)" : "")
    }

    package var fieldNames: [String] {
        ["label", "split", "systems", "measures", "queries"] + measures.map(\.trecName) + systems.map(\.name)
    }

    package func field(_ name: String) -> Value? {
        switch name {
        case "label": return .string(label)
        case "split": return .string(split)
        case "systems": return .list(systems.map { .string($0.name) })
        case "measures": return .list(measures.map { .string($0.description) })
        case "queries": return .int(systems.first?.evaluation.perQuery.count ?? 0)
        default: break
        }
        if let measure = measures.first(where: { $0.trecName == name }), let first = systems.first {
            return .double(first.evaluation.mean[measure] ?? 0)
        }
        if let system = systems.first(where: { $0.name == name }) { return .record(means(of: system)) }
        return nil
    }

    /// A system's means as a record keyed by field spelling (`ndcg_cut_10`).
    func means(of system: System) -> Record {
        Record(measures.map { ($0.trecName, .double(system.evaluation.mean[$0] ?? 0)) })
    }

    /// `system → measure (trec_eval spelling) → mean`, as ``CellResult`` records it.
    package var results: [String: [String: Double]] {
        var table: [String: [String: Double]] = [:]
        for system in systems { table[system.name] = system.evaluation.meanByName }
        return table
    }

    /// The system called `name`.
    package func system(_ name: String) -> System? { systems.first { $0.name == name } }

    package var display: [CellOutput] {
        [
            .table(
                (try? ResultTable.make(from: [self], caption: nil, significance: nil))
                    ?? Table(caption: label, columns: []))
        ]
    }

    package var jsonValue: Value {
        .record(
            Record([
                ("label", .string(label)), ("split", .string(split)),
                ("systems", .record(Record(systems.map { ($0.name, .record(meansBySpelling($0))) }))),
            ]))
    }

    private func meansBySpelling(_ system: System) -> Record {
        Record(measures.map { ($0.description, .double(system.evaluation.mean[$0] ?? 0)) })
    }

    // MARK: - Persistence

    package static var persistedTypeName: String { "evaluation" }

    private struct Stored: Codable {
        var label: String
        var split: String
        var measures: [String]
        var systems: [StoredSystem]
    }

    private struct StoredSystem: Codable {
        var name: String
        var perQuery: [String: [String: Double]]
        var mean: [String: Double]
    }

    package func persist(into folder: URL) throws {
        let stored = Stored(
            label: label, split: split, measures: measures.map(\.description),
            systems: systems.map { system in
                StoredSystem(
                    name: system.name,
                    perQuery: system.evaluation.perQuery.mapValues { values in
                        Dictionary(uniqueKeysWithValues: values.map { ($0.key.description, $0.value) })
                    },
                    mean: system.evaluation.meanByName)
            })
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        try AtomicFile.write(try encoder.encode(stored), to: folder.appendingPathComponent("evaluation.json"))
    }

    package static func restore(from folder: URL) throws -> EvaluationObject {
        let data = try Data(contentsOf: folder.appendingPathComponent("evaluation.json"))
        let stored = try JSONDecoder().decode(Stored.self, from: data)
        var parsed: [String: Measure] = [:]
        for name in stored.measures { parsed[name] = try Measure(parsing: name) }
        let measures = stored.measures.compactMap { parsed[$0] }
        func keyed(_ values: [String: Double]) -> [Measure: Double] {
            var result: [Measure: Double] = [:]
            for (name, value) in values { if let measure = parsed[name] { result[measure] = value } }
            return result
        }
        let systems = stored.systems.map { system in
            System(
                name: system.name,
                evaluation: Evaluation(
                    measures: measures, perQuery: system.perQuery.mapValues(keyed), mean: keyed(system.mean)))
        }
        return EvaluationObject(label: stored.label, split: stored.split, measures: measures, systems: systems)
    }
}
