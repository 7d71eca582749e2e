import SynthValues

/// Losses by the names notebooks use, with their numeric options, for the `train` verb.
///
/// ```swift
/// let loss = try LossCatalog.make("ranknet", options: ["weighted": 1])
/// ```
package enum LossCatalog {
    /// Every loss name, with the option names it accepts.
    package static let options: [String: [String]] = [
        "mnrl": ["scale"],
        "snn": ["scale", "positives"],
        "snn-released-code": ["scale", "positives"],
        "partial-plackett-luce": ["scale", "regularizer"],
        "listmle": ["temperature", "omega"],
        "margin-mse": ["cosine"],
        "listwise-kl": ["teacher_temperature", "student_temperature", "cosine"],
        "bce": ["positive_weight"],
        "lce": [],
        "ranknet": ["weighted"],
    ]

    /// Loss names in alphabetical order.
    package static var names: [String] { options.keys.sorted() }

    /// The loss called `name`, configured from `options` (unset options keep the paper defaults).
    ///
    /// - Throws: ``LossCatalogError`` for an unknown loss or option (with a "did you mean" hint).
    package static func make(_ name: String, options values: [String: Double] = [:]) throws(LossCatalogError)
        -> any Loss
    {
        guard let accepted = options[name] else {
            throw LossCatalogError(
                message: "expected a loss (\(names.joined(separator: ", "))), found \"\(name)\"",
                suggestion: nearestName(to: name, in: names))
        }
        for key in values.keys.sorted() where !accepted.contains(key) {
            throw LossCatalogError(
                message: "expected an option of \(name) (\(accepted.joined(separator: ", "))), found \"\(key)\"",
                suggestion: nearestName(to: key, in: accepted))
        }
        func value(_ key: String, _ fallback: Float) -> Float { values[key].map { Float($0) } ?? fallback }
        let cosine: LossOps.Similarity = (values["cosine"] ?? 0) != 0 ? .cosine : .dot
        switch name {
        case "mnrl": return MultipleNegativesRankingLoss(scale: value("scale", 20))
        case "snn", "snn-released-code":
            return SoftNearestNeighborLoss(
                scale: value("scale", 20), positiveGroups: Int(value("positives", 3)),
                variant: name == "snn" ? .paper : .releasedCode)
        case "partial-plackett-luce":
            return PartialPlackettLuceLoss(scale: value("scale", 20), regularizerWeight: value("regularizer", 1))
        case "listmle": return ListMLELoss(temperature: value("temperature", 0.05), orderWeight: value("omega", 0.5))
        case "margin-mse": return MarginMSELoss(similarity: cosine)
        case "listwise-kl":
            return ListwiseKLLoss(
                teacherTemperature: value("teacher_temperature", 1),
                studentTemperature: value("student_temperature", 1),
                similarity: (values["cosine"] ?? 1) != 0 ? .cosine : .dot)
        case "bce": return PointwiseBCELoss(positiveWeight: value("positive_weight", 1))
        case "lce": return LocalizedContrastiveLoss()
        default: return RankNetLoss(weighting: (values["weighted"] ?? 0) != 0 ? .inverseRankSum : .none)
        }
    }
}

/// An unknown loss or loss option.
package struct LossCatalogError: Error, Sendable, Equatable, CustomStringConvertible {
    /// Lowercase message, "expected X, found Y".
    package var message: String
    /// The closest valid name, if any.
    package var suggestion: String?

    package var description: String { message + (suggestion.map { " (did you mean \"\($0)\"?)" } ?? "") }
}
