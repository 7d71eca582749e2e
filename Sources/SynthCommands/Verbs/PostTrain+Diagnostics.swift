import SynthMetrics
import SynthModels
import SynthValues

extension PostTrainCommand {
    /// How well the teacher encoder agrees that the chains drift: the mean teacher cosine between the anchor and
    /// the sentence at each chain position, and the mean Spearman correlation between position and that cosine
    /// (−1 when every chain moves steadily away from its anchor, 0 when position says nothing about similarity).
    ///
    /// This is the signal the ranking loss relies on; with ω = 0 the targets are the teacher's order alone, with
    /// ω > 0 generation order corrects it where the two disagree (He et al. 2025, section 3.2).
    static func chainDiagnostics(_ lists: [SentenceListExample]) -> (table: Table, meanSpearman: Double) {
        let longest = lists.map(\.teacher.count).max() ?? 0
        var rows: [Table.Row] = []
        for position in 1..<max(1, longest) {
            let values = lists.filter { $0.teacher.count > position }.map { Double($0.teacher[0][position]) }
            guard !values.isEmpty else { continue }
            let mean = values.reduce(0, +) / Double(values.count)
            rows.append(
                Table.Row(label: "s\(position)", cells: [.number(mean, digits: 3), Table.Cell(text: "\(values.count)")]))
        }
        let correlations = lists.filter { $0.teacher.count >= 3 }.map { list in
            spearman((1..<list.teacher.count).map(Double.init), list.teacher[0].dropFirst().map(Double.init))
        }.filter { $0.isFinite }
        let meanSpearman = correlations.isEmpty ? 0 : correlations.reduce(0, +) / Double(correlations.count)
        let table = Table(
            caption: "teacher cosine between the anchor and the sentence at each chain position",
            columns: ["mean cosine to anchor", "chains"], rows: rows, higherIsBetter: [nil, nil])
        return (table, meanSpearman)
    }
}
