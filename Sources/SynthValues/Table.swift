/// A table of results, rendered in reports with the best value per column in bold and the
/// second best underlined, and significance markers explained in a legend.
public struct Table: Sendable, Codable, Equatable {
    public var caption: String
    public var columns: [String]
    public var rows: [Row]
    /// For each column, whether higher is better (`true`), lower is better (`false`) or neither (`nil`),
    /// which decides the bold/underline highlighting.
    public var higherIsBetter: [Bool?]
    /// Explains markers used in cells (for example "† p < 0.05, paired t-test against bm25").
    public var legend: [String]

    public init(caption: String, columns: [String], rows: [Row] = [], higherIsBetter: [Bool?]? = nil,
                legend: [String] = []) {
        self.caption = caption
        self.columns = columns
        self.rows = rows
        self.higherIsBetter = higherIsBetter ?? Array(repeating: nil, count: columns.count)
        self.legend = legend
    }

    public struct Row: Sendable, Codable, Equatable {
        public var label: String
        public var cells: [Cell]
        public init(label: String, cells: [Cell]) {
            self.label = label
            self.cells = cells
        }
    }

    public struct Cell: Sendable, Codable, Equatable {
        public var text: String
        /// The number behind the text, used to find the best per column.
        public var number: Double?
        /// A marker appended to the text, such as "†" for a significant difference.
        public var marker: String
        public init(text: String, number: Double? = nil, marker: String = "") {
            self.text = text
            self.number = number
            self.marker = marker
        }
        public static func number(_ value: Double, digits: Int = 4, marker: String = "") -> Cell {
            Cell(text: formatFixed(value, digits: digits), number: value, marker: marker)
        }
    }
}

/// Formats with a fixed number of decimals, stable across platforms.
public func formatFixed(_ value: Double, digits: Int) -> String {
    if value.isNaN { return "nan" }
    var scale = 1.0
    for _ in 0..<digits { scale *= 10 }
    let rounded = (abs(value) * scale).rounded() / scale
    var integer = Int(rounded)
    var fraction = Int(((rounded - Double(integer)) * scale).rounded())
    if fraction >= Int(scale) { integer += 1; fraction -= Int(scale) }
    let sign = value < 0 && rounded != 0 ? "-" : ""
    if digits == 0 { return sign + String(integer) }
    var fractionText = String(fraction)
    while fractionText.count < digits { fractionText = "0" + fractionText }
    return sign + String(integer) + "." + fractionText
}

/// A plot for the report, drawn by gnuplot as inline SVG.
public struct Plot: Sendable, Codable, Equatable {
    public enum Kind: String, Sendable, Codable { case line, bar, histogram, scatter }
    public var kind: Kind
    public var title: String
    public var xLabel: String
    public var yLabel: String
    public var series: [Series]
    /// Histograms: the number of equal-width bins (default 20).
    public var bins: Int?
    /// Histograms: the binned range (default: the smallest to the largest value).
    public var range: [Double]?
    /// Logarithmic axes: `x`, `y` or `xy` (`nil` for linear).
    public var log: String?
    public init(
        kind: Kind, title: String, xLabel: String = "", yLabel: String = "", series: [Series], bins: Int? = nil,
        range: [Double]? = nil, log: String? = nil
    ) {
        self.kind = kind
        self.title = title
        self.xLabel = xLabel
        self.yLabel = yLabel
        self.series = series
        self.bins = bins
        self.range = range
        self.log = log
    }
}

/// A named sequence of points. Bar plots use `labels` for categories.
public struct Series: Sendable, Codable, Equatable {
    public var name: String
    public var x: [Double]
    public var y: [Double]
    public var labels: [String]?
    public init(name: String, x: [Double], y: [Double], labels: [String]? = nil) {
        self.name = name
        self.x = x
        self.y = y
        self.labels = labels
    }
}
