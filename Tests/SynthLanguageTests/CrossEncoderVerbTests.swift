import Foundation
import SynthCommands
import SynthMetrics
import SynthModels
import SynthRetrieval
import SynthSynthesis
import SynthTestSupport
import SynthValues
import Testing

@testable import SynthCommands
@testable import SynthLanguage

/// The scripted teacher, plus RankGPT-style answers that reverse every window ("[4] > [3] > [2] > [1]").
struct RankingTeacher: Teacher {
    let model = "scripted"

    func complete(_ request: TeacherRequest) async throws -> TeacherReply {
        let user = request.messages.last?.content ?? ""
        guard user.hasPrefix("Rank the "), let count = Int(user.dropFirst(9).prefix { $0.isNumber }) else {
            return try await ScriptedTeacher().complete(request)
        }
        let text = (1...count).reversed().map { "[\($0)]" }.joined(separator: " > ")
        return TeacherReply(
            text: text, promptTokens: 50, completionTokens: 12, requestKey: String(user.hashValue))
    }
}

/// `cross_encoder`, `train_cross` and `rerank` on the tiny BEIR fixture with a tiny random BERT (MiniLM would
/// take minutes in a debug build; the trainer's learning ability is tested in SynthModelsTests).
@Suite struct CrossEncoderVerbTests {
    /// Writes `tinyce/` (vocab.txt, config.json, model.safetensors without a classifier) into `project`.
    static func writeTinyModel(into project: URL) throws {
        let folder = project.appendingPathComponent("tinyce")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        let words = """
            vitamin d deficiency is linked to bone fractures in elderly patients sleep poor quality increases the \
            risk of heart disease exercise regular lowers blood pressure and improves health diet rich fiber \
            reduces colon cancer smoking causes lung coffee consumption associated with lower liver does prevent \
            factors what which raise how do habits change outcomes
            """.split(separator: " ").map(String.init)
        var vocabulary = ["[PAD]", "[UNK]", "[CLS]", "[SEP]", "[MASK]", ".", ",", "?"]
        for word in words where !vocabulary.contains(word) { vocabulary.append(word) }
        try Data((vocabulary.joined(separator: "\n") + "\n").utf8).write(to: folder.appendingPathComponent("vocab.txt"))
        let config = BertConfig.tiny(vocabSize: vocabulary.count)
        try config.jsonData().write(to: folder.appendingPathComponent("config.json"))
        try SafeTensors.write(
            BertModel(config: config, seed: 5).hostWeights(), to: folder.appendingPathComponent("model.safetensors"))
    }

    /// A session on the tiny project with `data`, `index`, `run1`, `run2`, `results`, teacher `t`, `queries`
    /// (6 synthetic queries) and `ranked` (their listwise labels over BM25's top 4).
    static func session() async throws -> (Interpreter, URL) {
        let project = try TinyBEIR.write(into: TestPaths.temporaryFolder())
        try writeTinyModel(into: project)
        let interpreter = try makeInterpreter(project: project)
        try await runCell(interpreter, TinyBEIR.setup)
        interpreter.restore("t", .object(TeacherObject(teacher: RankingTeacher(), source: "script")))
        try await runCell(
            interpreter,
            """
            queries = synthesize queries from=data per_doc=2 docs=3 teacher=t
            ranked = distill listwise from=queries teacher=t retriever=index on=data top_k=4 window=4 stride=4 queries=6
            ce = cross_encoder "./tinyce" seed=1
            """)
        return (interpreter, project)
    }

    static func object<T>(_ interpreter: Interpreter, _ name: String, as type: T.Type) throws -> T {
        guard case .object(let object)? = interpreter.variables[name], let typed = object as? T else {
            throw Diagnostic(.error, "expected `\(name)` to be a \(T.self)")
        }
        return typed
    }

    /// The model's score of each (query, document text) pair, scored one at a time.
    static func scores(_ object: CrossEncoderObject, query: String, texts: [String], maxLength: Int) -> [Double] {
        texts.map { text in
            let batch = object.tokenizer.batch(pairs: [(query, text)], maxLength: maxLength)
            return Double(
                object.model.score(
                    inputIds: batch.inputIds, attentionMask: batch.attentionMask, tokenTypeIds: batch.tokenTypeIds)[0])
        }
    }

    @Test func contrastiveGroupsAreThePositiveThenBM25NegativesWithoutIt() async throws {
        let (interpreter, project) = try await Self.session()
        defer { try? FileManager.default.removeItem(at: project) }
        let set = try Self.object(interpreter, "queries", as: SyntheticSet.self)
        let index = try Self.object(interpreter, "index", as: BM25Index.self)
        let data = try Self.object(interpreter, "data", as: BEIRDataset.self)
        let lookup = SynthesisSupport.passageLookup(data)
        let (examples, skipped) = CrossEncoderExamples.contrastive(
            set, index: index, passage: lookup, group: 3, depth: 3, seed: 0)
        var expectedCount = 0
        for record in set.accepted {
            let positiveID = try #require(record.positive?.id)
            let pool = index.rank(record.query, topK: 3).map(\.documentID).filter { $0 != positiveID }
            guard !pool.isEmpty else { continue }  // nothing to contrast with: skipped
            let example = examples[expectedCount]
            expectedCount += 1
            #expect(example.query == record.query)
            #expect(example.passages.first == lookup(positiveID))
            #expect(example.labels == [1] + Array(repeating: 0, count: example.passages.count - 1))
            // BM25's best documents other than the positive, in rank order; a sample of 2 when 3 remain
            let negatives = Array(example.passages.dropFirst())
            #expect(negatives.count == min(2, pool.count) && Set(negatives).count == negatives.count)
            let ranks = negatives.map { text in pool.firstIndex { lookup($0) == text } }
            #expect(ranks.allSatisfy { $0 != nil } && ranks == ranks.sorted { $0! < $1! })
            if pool.count <= 2 { #expect(negatives == pool.compactMap(lookup)) }
        }
        #expect(examples.count == expectedCount && skipped == set.accepted.count - expectedCount)
        #expect(expectedCount >= 2)
        // a deeper pool is sampled: group − 1 distinct negatives, never the positive, reproducible by seed
        let deep = CrossEncoderExamples.contrastive(set, index: index, passage: lookup, group: 3, depth: 6, seed: 9)
        let again = CrossEncoderExamples.contrastive(set, index: index, passage: lookup, group: 3, depth: 6, seed: 9)
        #expect(deep.examples == again.examples)
        for example in deep.examples {
            #expect(example.passages.count <= 3 && Set(example.passages).count == example.passages.count)
            #expect(example.labels.first == 1 && example.labels.dropFirst().allSatisfy { $0 == 0 })
        }
    }

    @Test func contrastiveGroupsFromJudgedQueriesUseTheGoldDocumentAndNeverAJudgedNegative() async throws {
        let (interpreter, project) = try await Self.session()
        defer { try? FileManager.default.removeItem(at: project) }
        // a train split: q2's gold is d2 (d3 is relevant too, so never a negative); q3's is d5 (d4 is judged 0)
        try "query-id\tcorpus-id\tscore\r\nq2\td2\t1\r\nq2\td3\t1\r\nq3\td4\t0\r\nq3\td5\t2\r\nq1\td1\t1\r\n".write(
            to: project.appendingPathComponent("tiny/qrels/train.tsv"), atomically: true, encoding: .utf8)
        try await runCell(interpreter, "claims = load \"./tiny\" split=\"train\"")
        let index = try Self.object(interpreter, "index", as: BM25Index.self)
        let claims = try Self.object(interpreter, "claims", as: BEIRDataset.self)
        let lookup = SynthesisSupport.passageLookup(claims)
        let qrels = try #require(claims.qrels["train"])
        let queries = try claims.queries(split: "train")
        let (examples, skipped) = CrossEncoderExamples.judged(
            queries, qrels: qrels, index: index, passage: lookup, group: 3, depth: 10, seed: 0)
        // q1's only BM25 match is its own gold abstract: nothing to contrast with
        #expect(examples.map(\.query) == ["heart disease risk factors", "what causes cancer"] && skipped == 1)
        #expect(examples[0].passages.first == lookup("d2") && examples[0].labels == [1, 0, 0])
        #expect(Set(examples[0].passages.dropFirst()) == Set([lookup("d5")!, lookup("d6")!]))  // not d3: relevant
        #expect(examples[1].passages == [lookup("d5")!, lookup("d4")!] && examples[1].labels == [1, 0])  // grade 0

        // the verb: the first `queries` judged queries of the split, one group each
        let result = try await runCell(
            interpreter,
            """
            ce_j = train_cross ce on=claims queries=3 loss=lce retriever=index corpus=data group=3 depth=10 batch=2 lr=1e-3 max_length=48
            """)
        let lines = result.outputs.compactMap { if case .text(let t) = $0 { t } else { nil } }
        #expect(
            lines.first?.hasPrefix(
                "train_cross ce_j: lce on 2 groups (tiny train queries: 1 judged positive + 2 bm25 negatives from the top "
                    + "10; 1 records skipped), 1 steps of 2 groups, lr 0.001; loss ") == true, "\(lines)")
    }

    @Test func distillationGroupsCarryTheTeachersOrder() async throws {
        let (interpreter, project) = try await Self.session()
        defer { try? FileManager.default.removeItem(at: project) }
        let ranked = try Self.object(interpreter, "ranked", as: SyntheticSet.self)
        let index = try Self.object(interpreter, "index", as: BM25Index.self)
        let data = try Self.object(interpreter, "data", as: BEIRDataset.self)
        let lookup = SynthesisSupport.passageLookup(data)
        let (examples, skipped) = CrossEncoderExamples.distillation(ranked, passage: lookup, group: 4)
        // lists of one candidate (BM25 found a single match in the tiny corpus) teach no order: skipped
        let usable = ranked.accepted.filter { $0.candidates.count >= 2 }
        #expect(skipped == ranked.accepted.count - usable.count && examples.count == usable.count)
        #expect(examples.count >= 2)
        for (example, record) in zip(examples, usable) {
            // the teacher reversed BM25's list: the best teacher score goes to BM25's last document
            let bm25 = index.rank(record.query, topK: 4).map(\.documentID)
            #expect(example.passages == bm25.reversed().compactMap(lookup))
            let n = Float(bm25.count)
            #expect(example.teacherScores == Array(stride(from: n, through: 1, by: -1)))
            #expect(example.labels == Array(repeating: 0, count: bm25.count))
        }
        let short = CrossEncoderExamples.distillation(ranked, passage: lookup, group: 2)
        #expect(short.examples.allSatisfy { $0.passages.count == 2 && $0.teacherScores!.count == 2 })
        #expect(zip(short.examples, examples).allSatisfy { Array($0.0.teacherScores!) == Array($0.1.teacherScores!.prefix(2)) })
    }

    @Test func trainsBothWaysInSequenceAndReranks() async throws {
        let (interpreter, project) = try await Self.session()
        defer { try? FileManager.default.removeItem(at: project) }
        let result = try await runCell(
            interpreter,
            """
            ce_cl = train_cross ce on=queries loss=lce retriever=index corpus=data group=4 batch=2 lr=1e-3 max_length=48
            ce_kd = train_cross ce on=ranked loss=ranknet retriever=index corpus=data group=4 batch=2 lr=1e-3 max_length=48
            ce_two = train_cross ce_cl on=ranked loss=ranknet corpus=data group=4 batch=2 lr=1e-3 max_length=48
            reranked = rerank ce_two run=run1 on=data top_k=3 max_length=48 batch=2
            scores = evaluate {bm25: run1, ce: reranked} on=data measures=["ndcg_cut.10", "recip_rank.10"]
            print ce_cl.steps ce_kd.steps ce_two.steps reranked.queries reranked.depth
            """)
        let queries = try Self.object(interpreter, "queries", as: SyntheticSet.self)
        let ranked = try Self.object(interpreter, "ranked", as: SyntheticSet.self)
        let index = try Self.object(interpreter, "index", as: BM25Index.self)
        let data = try Self.object(interpreter, "data", as: BEIRDataset.self)
        let lookup = SynthesisSupport.passageLookup(data)
        let clGroups = CrossEncoderExamples.contrastive(
            queries, index: index, passage: lookup, group: 4, depth: 4, seed: 42).examples.count
        let kdGroups = CrossEncoderExamples.distillation(ranked, passage: lookup, group: 4).examples.count
        let (cl, kd) = (clGroups / 2, kdGroups / 2)  // a trailing single group is dropped, like `train`
        #expect(result.outputs.last == .text("\(cl) \(kd) \(cl + kd) 3 3"))
        let lines = result.outputs.compactMap { if case .text(let t) = $0 { t } else { nil } }
        #expect(
            lines[0].hasPrefix(
                "train_cross ce_cl: lce on \(clGroups) groups (1 positive + 3 bm25 negatives from the top 4; "
                    + "\(queries.accepted.count - clGroups) records skipped), \(cl) steps of 2 groups, lr 0.001; loss "))
        #expect(lines[0].hasSuffix("; lce \(cl) steps; saved to .synthlab/models/repl/ce_cl"))
        #expect(lines.contains { $0.hasPrefix("train_cross ce_two: ranknet on ") && $0.contains("lce \(cl) steps → ranknet \(kd) steps") })
        // the scripted teacher reverses every list, so none keeps BM25's order
        #expect(
            lines.contains {
                $0.hasPrefix("train_cross ce_kd: ranknet on \(kdGroups) groups (the teacher's order of 4 candidates; "
                    + "the teacher kept the retriever's order in 0 of \(kdGroups) lists")
            })
        #expect(result.outputs.filter { if case .plot = $0 { true } else { false } }.count == 3)

        let two = try Self.object(interpreter, "ce_two", as: CrossEncoderObject.self)
        let first = try Self.object(interpreter, "ce_cl", as: CrossEncoderObject.self)
        #expect(two.losses.count == cl + kd && Array(two.losses.prefix(cl)) == first.losses)
        #expect(
            two.stages == [.init(loss: "lce", steps: cl, groups: clGroups), .init(loss: "ranknet", steps: kd, groups: kdGroups)])
        #expect(two.losses.allSatisfy { $0.isFinite && $0 > 0 })

        // the re-ranked run holds BM25's top 3, ordered by the model's own scores of the pairs
        let run1 = try Self.object(interpreter, "run1", as: RunObject.self).run
        let reranked = try Self.object(interpreter, "reranked", as: RunObject.self).run
        let texts = Dictionary(uniqueKeysWithValues: data.corpus.map { ($0.id, $0.indexedText) })
        for query in data.queries {
            let top = run1.ranked(query.id).prefix(3).map(\.docID)
            let expected = Self.scores(two, query: query.text, texts: top.map { texts[$0]! }, maxLength: 48)
            let got = reranked.ranked(query.id)
            #expect(Set(got.map(\.docID)) == Set(top))
            for entry in got {
                #expect(abs(entry.score - expected[top.firstIndex(of: entry.docID)!]) < 1e-4)
            }
            #expect(got.map(\.score) == got.map(\.score).sorted(by: >))
        }
        #expect(result.results["scores"]?["ce"]?["recip_rank.10"] != nil)

        // the saved folder loads back as the same model
        let reloaded = try await runCell(interpreter, "back = cross_encoder \".synthlab/models/repl/ce_two\"\nprint back.steps")
        #expect(reloaded.outputs == [.text("0")])
        let back = try Self.object(interpreter, "back", as: CrossEncoderObject.self)
        let query = data.queries[0]
        #expect(
            Self.scores(back, query: query.text, texts: ["vitamin d"], maxLength: 48)
                == Self.scores(two, query: query.text, texts: ["vitamin d"], maxLength: 48))
    }

    @Test func standardLibraryPipelines() async throws {
        let (interpreter, project) = try await Self.session()
        defer { try? FileManager.default.removeItem(at: project) }
        let result = try await runCell(
            interpreter,
            """
            import "cross-encoder"
            two = cl_then_kd ce queries ranked index data group=3 batch=2 max_length=48
            scores = rerank_eval two run1 data top_k=3 max_length=48
            print two.stages
            """)
        let two = try Self.object(interpreter, "two", as: CrossEncoderObject.self)
        #expect(two.stages.map(\.loss) == ["lce", "ranknet"] && two.name == "cl_kd")
        #expect(result.results["rerank"]?["reranked"]?["ndcg_cut.10"] != nil)
        #expect(result.results["rerank"]?["first_stage"]?["recip_rank.10"] != nil)
    }

    @Test func persistsAsAReferenceAndRestoresTheSameModel() async throws {
        let (interpreter, project) = try await Self.session()
        defer { try? FileManager.default.removeItem(at: project) }
        try await runCell(
            interpreter,
            "ce_cl = train_cross ce on=queries loss=lce retriever=index corpus=data group=3 batch=3 max_steps=1 max_length=48")
        for name in ["ce", "ce_cl"] {
            let object = try Self.object(interpreter, name, as: CrossEncoderObject.self)
            let folder = project.appendingPathComponent("cache-\(name)")
            try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
            try object.persist(into: folder)
            let restored = try CrossEncoderObject.restore(from: folder)
            #expect(restored.stages == object.stages && restored.losses == object.losses && restored.name == object.name)
            #expect(
                Self.scores(restored, query: "vitamin d", texts: ["bone fractures", "coffee"], maxLength: 48)
                    == Self.scores(object, query: "vitamin d", texts: ["bone fractures", "coffee"], maxLength: 48))
        }
        // a re-trained folder no longer matches the cached reference
        let cached = project.appendingPathComponent("cache-ce_cl")
        try await runCell(
            interpreter,
            "ce_cl = train_cross ce on=queries loss=lce retriever=index corpus=data group=3 batch=3 max_steps=2 warmup=0 max_length=48 lr=0.01 seed=3")
        #expect(throws: Diagnostic.self) { try CrossEncoderObject.restore(from: cached) }
        do {
            _ = try CrossEncoderObject.restore(from: cached)
        } catch let error as Diagnostic {
            #expect(error.message == "the model files of the cached cross-encoder `ce_cl` changed since the cell ran")
        }
    }

    @Test func reportsMisuseAtTheStatement() async throws {
        let (interpreter, project) = try await Self.session()
        defer { try? FileManager.default.removeItem(at: project) }
        func failure(_ source: String) async throws -> Diagnostic {
            do {
                try await runCell(interpreter, "x = 1\n" + source)
            } catch let error as Diagnostic {
                return error
            }
            throw Diagnostic(.error, "expected an error from \(source)")
        }
        var error = try await failure("a = train_cross ce on=queries loss=lce corpus=data")
        #expect(error.message == "expected `retriever` and `corpus` for loss=lce (they mine the hard negatives)")
        #expect(error.location?.line == 2 && error.location?.column == 5)
        error = try await failure("a = train_cross ce on=queries loss=ranknet")
        #expect(error.message == "expected teacher-labelled candidates for loss=ranknet, found a `queries` set")
        error = try await failure("a = train_cross ce on=data split=\"test\" loss=ranknet corpus=data")
        #expect(error.message == "expected teacher-labelled candidates for loss=ranknet, found a dataset")
        error = try await failure("a = train_cross ce on=data split=\"tset\" loss=lce retriever=index corpus=data")
        #expect(error.message == "expected a split of tiny (test), found \"tset\"")
        error = try await failure("a = train_cross ce on=ranked loss=lce retriever=index corpus=data")
        #expect(error.message == "expected queries with positive passages for loss=lce, found a `listwise` set")
        error = try await failure("a = train_cross ce on=queries retriever=index corpus=data group=1")
        #expect(error.message == "expected group ≥ 2, found 1")
        error = try await failure("a = train_cross ce on=queries retriever=index corpus=data name=\"../x\"")
        #expect(error.message == "expected a plain folder name for the model, found \"../x\"")
        error = try await failure("a = rerank ce run=run1 on=data top_k=0")
        #expect(error.message == "expected top_k ≥ 1, found 0")
        error = try await failure("other = load \"./tiny\" queries=0\na = rerank ce run=run1 on=other")
        #expect(error.message == "expected the run's queries in tiny, found none of its 3 queries")
        error = try await failure("a = cross_encoder \"./missing\"")
        #expect(error.message == "cannot access model file: no such model folder")

        // wrong types and names are caught before anything runs
        let typed = try #require(try await diagnostic(in: interpreter, "a = train_cross ce on=index", line: 1))
        #expect(typed.message == "expected synthetic_set or dataset for argument `on` of `train_cross`, found bm25_index")
        let loss = try #require(
            try await diagnostic(in: interpreter, "a = train_cross ce on=queries loss=listnet", line: 1))
        #expect(loss.message.hasPrefix("expected one of \"lce\", \"ranknet\""))
        let reranked = try #require(try await diagnostic(in: interpreter, "a = rerank ce run=index on=data", line: 1))
        #expect(reranked.message == "expected run for argument `run` of `rerank`, found bm25_index")
    }
}
