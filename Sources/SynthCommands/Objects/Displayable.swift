import SynthValues

/// A domain object that knows how to show itself under a cell (a table, a plot, a text preview).
///
/// The interpreter displays the value of a statement that is not assigned; objects that do not
/// conform are shown by their one-line ``DomainObject/summary``.
package protocol Displayable: DomainObject {
    /// The outputs that present this object.
    var display: [CellOutput] { get }
}

/// The outputs that present any value: its own display for ``Displayable`` objects, else text.
package func displayOutputs(of value: Value) -> [CellOutput] {
    switch value {
    case .null: []
    case .object(let object as any Displayable): object.display
    default: [.text(value.description)]
    }
}

/// A domain object that can show a few of its records (documents, queries, ranked lists) as text.
package protocol Previewable: DomainObject {
    /// A multi-line preview showing at most `limit` records.
    func preview(limit: Int) -> String
}
