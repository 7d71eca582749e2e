import Foundation
import SynthTensor
import SynthTestSupport
import Testing

@testable import SynthModels

/// Independent Float64 reference formulas for the losses.
enum LossReference {
    static func rows(_ t: Tensor) -> [[Double]] {
        let columns = t.shape.last!
        let values = t.scalars.map(Double.init)
        return stride(from: 0, to: values.count, by: columns).map { Array(values[$0..<($0 + columns)]) }
    }
    static func cosine(_ a: [Double], _ b: [Double]) -> Double {
        let dot = zip(a, b).reduce(0) { $0 + $1.0 * $1.1 }
        return dot / (sqrt(a.reduce(0) { $0 + $1 * $1 }) * sqrt(b.reduce(0) { $0 + $1 * $1 }))
    }
    static func lse(_ x: [Double]) -> Double {
        let top = x.max()!
        return top + log(x.reduce(0) { $0 + exp($1 - top) })
    }
    static func logSigmoid(_ x: Double) -> Double { -log(1 + exp(-x)) }
}

@Suite("Ranking and distillation losses: values and finite-difference gradients")
struct LossesTests {
    static func random(_ shape: [Int], seed: UInt64) -> Tensor {
        var generator = SeededGenerator(seed: seed)
        return Tensor(
            shape: shape, values: (0..<shape.reduce(1, *)).map { _ in generator.nextUniform() * 2 - 1 })
    }
    static func value(_ loss: any Loss, _ build: (Tape) -> LossInput) -> Double {
        let tape = Tape(recording: false)
        return Double(loss(tape, build(tape)).value.scalar)
    }

    // MARK: - Soft nearest neighbour (Syntriever stage 1)

    @Test(
        "SNN equals the multi-positive formula; labels demote and pad; released-code variant equals MNRL"
    )
    func softNearestNeighbor() {
        let q = Self.random([2, 3], seed: 1)
        let groups = (0..<4).map { Self.random([2, 3], seed: 10 + UInt64($0)) }
        let scale = 4.0
        // Reference: roles[j][g] (1 positive, 0 negative, -1 padding).
        func reference(_ roles: [[Int]]) -> Double {
            let qs = LossReference.rows(q)
            let gs = groups.map(LossReference.rows)
            var total = 0.0
            for i in 0..<2 {
                var all: [Double] = []
                var positive: [Double] = []
                for j in 0..<2 {
                    for g in 0..<4 where roles[j][g] >= 0 {
                        let s = scale * LossReference.cosine(qs[i], gs[g][j])
                        all.append(s)
                        if j == i && roles[j][g] == 1 { positive.append(s) }
                    }
                }
                total += LossReference.lse(all) - LossReference.lse(positive)
            }
            return total / 2
        }
        let loss = SoftNearestNeighborLoss(scale: 4)
        let plain = Self.value(loss) { tape in
            LossInput(
                queries: tape.constant(q), positives: tape.constant(groups[0]),
                negatives: groups[1...].map(tape.constant))
        }
        #expect(abs(plain - reference([[1, 1, 1, 0], [1, 1, 1, 0]])) < 1e-5)
        let roles = [[1, 0, 1, 0], [1, 1, 1, -1]]
        let labels = Tensor(shape: [2, 4], values: roles.flatMap { $0 }.map(Float.init))
        let labelled = Self.value(loss) { tape in
            LossInput(
                queries: tape.constant(q), positives: tape.constant(groups[0]),
                negatives: groups[1...].map(tape.constant),
                labels: labels)
        }
        #expect(abs(labelled - reference(roles)) < 1e-5)

        let released = Self.value(SoftNearestNeighborLoss(scale: 4, variant: .releasedCode)) { tape in
            LossInput(
                queries: tape.constant(q), positives: tape.constant(groups[0]),
                negatives: groups[1...].map(tape.constant))
        }
        let mnrl = Self.value(MultipleNegativesRankingLoss(scale: 4)) { tape in
            LossInput(
                queries: tape.constant(q), positives: tape.constant(groups[0]),
                negatives: groups[1...].map(tape.constant))
        }
        #expect(abs(released - mnrl) < 1e-6)

        let report = GradientCheck.run(inputs: [q] + groups) { tape, v in
            loss(
                tape, LossInput(queries: v[0], positives: v[1], negatives: Array(v[2...]), labels: labels))
        }
        #expect(report.maxError < 1e-2, "\(report)")
    }

    // MARK: - Partial Plackett–Luce (Syntriever stage 2)

    @Test(
        "partial Plackett–Luce equals −log of the two-factor probability; λ = 0 is MNRL with the less-preferred as hard negative"
    )
    func partialPlackettLuce() {
        let q = Self.random([3, 4], seed: 2)
        let preferred = Self.random([3, 4], seed: 3)
        let other = Self.random([3, 4], seed: 4)
        let qs = LossReference.rows(q)
        let ps = LossReference.rows(preferred)
        let ns = LossReference.rows(other)
        let scale = 5.0
        var expected = 0.0
        for i in 0..<3 {
            let sp = ps.map { scale * LossReference.cosine(qs[i], $0) }
            let sn = ns.map { scale * LossReference.cosine(qs[i], $0) }
            let unrelated =
                sp.indices.filter { $0 != i }.map { sp[$0] } + sn.indices.filter { $0 != i }.map { sn[$0] }
            let first = sp[i] - LossReference.lse([sp[i], sn[i]] + unrelated)
            let second = sn[i] - LossReference.lse([sn[i]] + unrelated)
            expected -= first + second
        }
        expected /= 3
        let loss = PartialPlackettLuceLoss(scale: 5)
        let value = Self.value(loss) { tape in
            LossInput(
                queries: tape.constant(q), positives: tape.constant(preferred),
                negatives: [tape.constant(other)])
        }
        #expect(abs(value - expected) < 1e-5)
        let firstOnly = Self.value(PartialPlackettLuceLoss(scale: 5, regularizerWeight: 0)) { tape in
            LossInput(
                queries: tape.constant(q), positives: tape.constant(preferred),
                negatives: [tape.constant(other)])
        }
        let mnrl = Self.value(MultipleNegativesRankingLoss(scale: 5)) { tape in
            LossInput(
                queries: tape.constant(q), positives: tape.constant(preferred),
                negatives: [tape.constant(other)])
        }
        #expect(abs(firstOnly - mnrl) < 1e-6)
        let report = GradientCheck.run(inputs: [q, preferred, other]) { tape, v in
            loss(tape, LossInput(queries: v[0], positives: v[1], negatives: [v[2]]))
        }
        #expect(report.maxError < 1e-2, "\(report)")
    }

    // MARK: - ListMLE (ranking sentences)

    @Test(
        "ListMLE by hand: order from targets, ties keep column order, padding dropped, single candidate is 0"
    )
    func listMLEValues() {
        let scores = Tensor(shape: [1, 3], values: [1, 2, 0])
        func run(_ targets: [Float], labels: [Float]? = nil, scores: Tensor = scores) -> Double {
            Self.value(ListMLELoss()) { tape in
                LossInput(
                    scores: tape.constant(scores),
                    teacherScores: Tensor(shape: scores.shape, values: targets),
                    labels: labels.map { Tensor(shape: scores.shape, values: $0) })
            }
        }
        // Order [0, 2, 1]: (lse(1, 0, 2) − 1) + (lse(0, 2) − 0).
        let expected = (LossReference.lse([1, 0, 2]) - 1) + (LossReference.lse([0, 2]) - 0)
        #expect(abs(run([3, 1, 2]) - expected) < 1e-5)
        // All tied: generation (column) order [0, 1, 2].
        let tied = (LossReference.lse([1, 2, 0]) - 1) + (LossReference.lse([2, 0]) - 2)
        #expect(abs(run([1, 1, 1]) - tied) < 1e-5)
        // Column 1 is padding: order [0, 2].
        #expect(abs(run([3, 1, 2], labels: [1, -1, 1]) - (LossReference.lse([1, 0]) - 1)) < 1e-5)
        #expect(run([5], scores: Tensor(shape: [1, 1], values: [3])) == 0)
    }

    @Test(
        "generation-order correction: agreeing teacher unchanged; a swapped pair moves toward generation order"
    )
    func generationOrderTargets() {
        let agreeing: [[Float]] = [[1, 0.8, 0.5], [0.8, 1, 0.6], [0.5, 0.6, 1]]
        #expect(ListMLELoss.generationOrderTargets(teacher: agreeing, weight: 0.5) == agreeing)
        // Row 0 tail [1, 0.5, 0.8]: the teacher prefers s₂ over s₁ against generation order.
        let swapped: [[Float]] = [[1, 0.5, 0.8], [0.5, 1, 0.6], [0.8, 0.6, 1]]
        let t = ListMLELoss.generationOrderTargets(teacher: swapped, weight: 0.5)
        let up = Float(log(1 + 0.5 * 0.3))  // s₁ should score 0.8: +0.3; s₂ should score 0.5: −0.3
        #expect(abs(t[0][1] - (0.5 + up)) < 1e-6 && abs(t[0][2] - (0.8 - up)) < 1e-6)
        #expect(t[1][0] == t[0][1] && abs(t[2][0] - (0.8 - up)) < 1e-6)  // symmetrised B
        #expect(t[1][2] == 0.6 && t[0][0] == 1)
        // ω = 0 disables the correction.
        #expect(ListMLELoss.generationOrderTargets(teacher: swapped, weight: 0) == swapped)
    }

    @Test("ListMLE gradients: score mode with padding and sentence-list mode")
    func listMLEGradients() {
        let targets = Self.random([2, 4], seed: 5)
        let labels = Tensor(shape: [2, 4], values: [1, 1, 1, 1, 1, -1, 1, 1])
        let scoreMode = GradientCheck.run(inputs: [Self.random([2, 4], seed: 6)]) { tape, v in
            ListMLELoss()(tape, LossInput(scores: v[0], teacherScores: targets, labels: labels))
        }
        #expect(scoreMode.maxError < 1e-2, "\(scoreMode)")
        let teacher = Tensor(
            shape: [4, 4],
            values: [1, 0.5, 0.7, 0.1, 0.5, 1, 0.4, 0.3, 0.7, 0.4, 1, 0.2, 0.1, 0.3, 0.2, 1])
        let listMode = GradientCheck.run(inputs: [Self.random([4, 3], seed: 7)], step: 1e-3) {
            tape, v in
            ListMLELoss(temperature: 0.5)(tape, LossInput(queries: v[0], teacherScores: teacher))
        }
        #expect(listMode.maxError < 2e-2, "\(listMode)")
    }

    // MARK: - Margin-MSE and listwise KL

    @Test("Margin-MSE by hand (scores) and on dot-product embeddings")
    func marginMSE() {
        // Margins: student 2 − 0.5 = 1.5 and 2 − 1 = 1; teacher 3 − 1 = 2 and 3 − 3 = 0: ((−0.5)² + 1²) / 2.
        let value = Self.value(MarginMSELoss()) { tape in
            LossInput(
                scores: tape.constant(Tensor(shape: [1, 3], values: [2, 0.5, 1])),
                teacherScores: Tensor(shape: [1, 3], values: [3, 1, 3]))
        }
        #expect(abs(value - 0.625) < 1e-6)
        let q = Self.random([2, 3], seed: 8)
        let p = Self.random([2, 3], seed: 9)
        let n = Self.random([2, 3], seed: 10)
        let teacher = Tensor(shape: [2, 2], values: [4, 1, 2, 2.5])
        let (qs, ps, ns) = (LossReference.rows(q), LossReference.rows(p), LossReference.rows(n))
        func dot(_ a: [Double], _ b: [Double]) -> Double { zip(a, b).reduce(0) { $0 + $1.0 * $1.1 } }
        let expected =
            ((dot(qs[0], ps[0]) - dot(qs[0], ns[0]) - 3) * (dot(qs[0], ps[0]) - dot(qs[0], ns[0]) - 3)
                + (dot(qs[1], ps[1]) - dot(qs[1], ns[1]) + 0.5)
                    * (dot(qs[1], ps[1]) - dot(qs[1], ns[1]) + 0.5))
            / 2
        let embedded = Self.value(MarginMSELoss()) { tape in
            LossInput(
                queries: tape.constant(q), positives: tape.constant(p), negatives: [tape.constant(n)],
                teacherScores: teacher)
        }
        #expect(abs(embedded - expected) < 1e-5)
        let report = GradientCheck.run(inputs: [q, p, n]) { tape, v in
            MarginMSELoss()(
                tape, LossInput(queries: v[0], positives: v[1], negatives: [v[2]], teacherScores: teacher))
        }
        #expect(report.maxError < 1e-2, "\(report)")
    }

    @Test(
        "listwise KL: reference value with temperatures and padding; zero when student equals teacher")
    func listwiseKL() {
        let scores = Self.random([2, 3], seed: 11)
        let teacher = Self.random([2, 3], seed: 12)
        let labels = Tensor(shape: [2, 3], values: [1, 0, 0, 1, -1, 0])
        let loss = ListwiseKLLoss(teacherTemperature: 0.5, studentTemperature: 2)
        var expected = 0.0
        for (row, (s, t)) in zip(LossReference.rows(scores), LossReference.rows(teacher)).enumerated() {
            let keep = row == 0 ? [0, 1, 2] : [0, 2]
            let ts = keep.map { t[$0] / 0.5 }
            let ss = keep.map { s[$0] / 2 }
            let (lt, ls) = (LossReference.lse(ts), LossReference.lse(ss))
            expected += zip(ts, ss).reduce(0) { $0 + exp($1.0 - lt) * (($1.0 - lt) - ($1.1 - ls)) }
        }
        let value = Self.value(loss) { tape in
            LossInput(scores: tape.constant(scores), teacherScores: teacher, labels: labels)
        }
        #expect(abs(value - expected / 2) < 1e-5)
        let same = Self.value(ListwiseKLLoss()) { tape in
            LossInput(scores: tape.constant(teacher), teacherScores: teacher)
        }
        #expect(abs(same) < 1e-6)
        let report = GradientCheck.run(inputs: [scores]) { tape, v in
            loss(tape, LossInput(scores: v[0], teacherScores: teacher, labels: labels))
        }
        #expect(report.maxError < 1e-2, "\(report)")
        let q = Self.random([2, 3], seed: 13)
        let p = Self.random([2, 3], seed: 14)
        let n = Self.random([2, 3], seed: 15)
        let embedded = GradientCheck.run(inputs: [q, p, n]) { tape, v in
            ListwiseKLLoss(studentTemperature: 0.5)(
                tape,
                LossInput(
                    queries: v[0], positives: v[1], negatives: [v[2]],
                    teacherScores: Tensor(shape: [2, 2], values: [2, 1, 0, 1])))
        }
        #expect(embedded.maxError < 1e-2, "\(embedded)")
    }

    // MARK: - Cross-encoder losses

    @Test("pointwise BCE by hand, soft labels, positive weight, padding")
    func pointwiseBCE() {
        let value = Self.value(PointwiseBCELoss(positiveWeight: 2)) { tape in
            LossInput(
                scores: tape.constant(Tensor(shape: [1, 3], values: [0, 1, 5])),
                labels: Tensor(shape: [1, 3], values: [1, 0.25, -1]))
        }
        // (2·log 2 + [0.5·(−log σ(1)) + 0.75·(−log σ(−1))]) / 2
        let expected =
            (2 * log(2.0) - 0.5 * LossReference.logSigmoid(1) - 0.75 * LossReference.logSigmoid(-1)) / 2
        #expect(abs(value - expected) < 1e-6)
        let labels = Tensor(shape: [2, 3], values: [1, 0, 0.5, 0, -1, 1])
        let report = GradientCheck.run(inputs: [Self.random([2, 3], seed: 16)]) { tape, v in
            PointwiseBCELoss()(tape, LossInput(scores: v[0], labels: labels))
        }
        #expect(report.maxError < 1e-2, "\(report)")
    }

    @Test("LCE: cross-entropy with the positive, label argmax, padding, single-candidate groups")
    func localizedContrastive() {
        let scores = Tensor(shape: [2, 3], values: [2, 1, 0, 0.5, 3, -1])
        let plain = Self.value(LocalizedContrastiveLoss()) { tape in
            LossInput(scores: tape.constant(scores))
        }
        let expected =
            ((LossReference.lse([2, 1, 0]) - 2) + (LossReference.lse([0.5, 3, -1]) - 0.5)) / 2
        #expect(abs(plain - expected) < 1e-6)
        // Row 1: positive at column 1, column 2 padding.
        let labels = Tensor(shape: [2, 3], values: [1, 0, 0, 0, 1, -1])
        let labelled = Self.value(LocalizedContrastiveLoss()) { tape in
            LossInput(scores: tape.constant(scores), labels: labels)
        }
        #expect(
            abs(labelled - ((LossReference.lse([2, 1, 0]) - 2) + (LossReference.lse([0.5, 3]) - 3)) / 2)
                < 1e-6)
        let single = Self.value(LocalizedContrastiveLoss()) { tape in
            LossInput(scores: tape.constant(Tensor(shape: [2, 1], values: [4, -2])))
        }
        #expect(abs(single) < 1e-7)
        let report = GradientCheck.run(inputs: [Self.random([2, 4], seed: 17)]) { tape, v in
            LocalizedContrastiveLoss()(
                tape,
                LossInput(scores: v[0], labels: Tensor(shape: [2, 4], values: [0, 1, 0, 0, 1, 0, -1, 0])))
        }
        #expect(report.maxError < 1e-2, "\(report)")
    }

    @Test("RankNet by hand, ties form no pair, FIRST weights, padding, gradients")
    func rankNet() {
        let two = Self.value(RankNetLoss()) { tape in
            LossInput(
                scores: tape.constant(Tensor(shape: [1, 2], values: [1, 0])),
                teacherScores: Tensor(shape: [1, 2], values: [1, 0]))
        }
        #expect(abs(two - log(1 + exp(-1.0))) < 1e-6)
        // Targets [2, 2, 1]: pairs (0,2) and (1,2); scores [0, 1, 0.5].
        let scores = Tensor(shape: [1, 3], values: [0, 1, 0.5])
        let targets = Tensor(shape: [1, 3], values: [2, 2, 1])
        let tied = Self.value(RankNetLoss()) { tape in
            LossInput(scores: tape.constant(scores), teacherScores: targets)
        }
        let pairs = [-LossReference.logSigmoid(-0.5), -LossReference.logSigmoid(0.5)]
        #expect(abs(tied - (pairs[0] + pairs[1]) / 2) < 1e-6)
        // Student ranks: column 1 → 1, column 2 → 2, column 0 → 3; weights 1/(3+2), 1/(1+2).
        let weighted = Self.value(RankNetLoss(weighting: .inverseRankSum)) { tape in
            LossInput(scores: tape.constant(scores), teacherScores: targets)
        }
        #expect(abs(weighted - (pairs[0] / 5 + pairs[1] / 3) / 2) < 1e-6)
        let padded = Self.value(RankNetLoss()) { tape in
            LossInput(
                scores: tape.constant(scores), teacherScores: targets,
                labels: Tensor(shape: [1, 3], values: [1, -1, 1]))
        }
        #expect(abs(padded - pairs[0]) < 1e-6)
        let allTied = Self.value(RankNetLoss()) { tape in
            LossInput(
                scores: tape.constant(scores), teacherScores: Tensor(shape: [1, 3], values: [1, 1, 1]))
        }
        #expect(allTied == 0)
        let teacher = Self.random([2, 4], seed: 18)
        for weighting in [RankNetLoss.Weighting.none, .inverseRankSum] {
            let report = GradientCheck.run(inputs: [Self.random([2, 4], seed: 19)], step: 1e-3) {
                tape, v in
                RankNetLoss(weighting: weighting)(tape, LossInput(scores: v[0], teacherScores: teacher))
            }
            #expect(report.maxError < 1e-2, "\(weighting): \(report)")
        }
    }
}

@Suite("Ranking-sentence targets and ListMLE match a NumPy port of the authors' code")
struct RankingSentenceReferenceTests {
    @Test("released-code correction rule and ListMLE value agree with NumPy")
    func numpyParity() throws {
        guard FileManager.default.isExecutableFile(atPath: TestPaths.python.path) else { return }
        var generator = SeededGenerator(seed: 21)
        let size = 6
        // A teacher matrix that roughly decays with generation distance, with noise so orders disagree.
        var teacher = Array(repeating: Array(repeating: Float(1), count: size), count: size)
        for i in 0..<size {
            for j in (i + 1)..<size {
                let value = 1 - 0.12 * Float(j - i) + 0.15 * (generator.nextUniform() - 0.5)
                teacher[i][j] = value
                teacher[j][i] = value
            }
        }
        let student = (0..<size).map { _ in (0..<size).map { _ in generator.nextUniform() * 4 - 2 } }
        let request = try JSONSerialization.data(withJSONObject: [
            "teacher": teacher.map { $0.map(Double.init) },
            "student": student.map { $0.map(Double.init) }, "omega": 0.5,
        ])
        let process = Process()
        process.executableURL = TestPaths.python
        process.arguments = [
            TestPaths.root.appendingPathComponent(
                "Tests/SynthModelsTests/Fixtures/ranking_sentence_reference.py"
            ).path
        ]
        let input = Pipe()
        let output = Pipe()
        process.standardInput = input
        process.standardOutput = output
        try process.run()
        input.fileHandleForWriting.write(request)
        try input.fileHandleForWriting.close()
        let data = output.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        let reply = try #require(try JSONSerialization.jsonObject(with: data) as? [String: Any])
        let expected = try #require(reply["targets"] as? [[Double]])
        let targets = ListMLELoss.generationOrderTargets(
            teacher: teacher, weight: 0.5, rule: .releasedCode)
        for i in 0..<size {
            for j in 0..<size {
                #expect(abs(Double(targets[i][j]) - expected[i][j]) < 1e-5, "[\(i), \(j)]")
            }
        }
        let tape = Tape(recording: false)
        let loss = ListMLELoss.listMLE(
            tape, scores: tape.constant(Tensor(shape: [size, size], values: student.flatMap { $0 })),
            targets: targets.flatMap { $0 }, valid: Array(repeating: true, count: size * size))
        #expect(abs(Double(loss.value.scalar) - (reply["loss"] as! Double)) < 1e-4)
        // The paper rule differs from the released code only where a row i > 0 compares ranks with absolute j.
        let paper = ListMLELoss.generationOrderTargets(teacher: teacher, weight: 0.5, rule: .paper)
        #expect(paper[0] == targets[0])
    }
}
