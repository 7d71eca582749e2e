"""BM25 end-to-end benchmark: `synthlab bm25` (release) against the PyPI `bm25s` package on SciFact test.

Both sides do the whole job on the same data and parameters (k1 0.9, b 0.4, top 1000, 300 test queries):
read the gzipped corpus and the queries, tokenize (bm25s: its regex tokenizer, English stop words and
PyStemmer's English stemmer; synthlab: Lucene-style analyzer with Porter), index, retrieve. Each side runs
REPEATS times; the median wall time is reported. synthlab is timed as a whole process (start-up, load,
index, search, writing the run file); bm25s is timed inside Python after its imports (load + tokenize +
index + retrieve), which favours bm25s. The section "## BM25" of BENCHMARKS.md is replaced by the results.
"""
import gzip, json, os, platform, resource, statistics, subprocess, sys, tempfile, time

ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", ".."))
DATA = os.environ.get("SCIFACT", os.path.join(ROOT, "..", "shared", "data", "scifact"))
BINARY = os.path.join(ROOT, ".build", "release", "synthlab")
REPEATS = int(os.environ.get("REPEATS", "5"))
K1, B, TOP = 0.9, 0.4, 1000


def read_qrels(path):
    qrels = {}
    with open(path, newline="") as f:
        for i, line in enumerate(f):
            fields = line.rstrip("\r\n").split("\t")
            if i == 0 or len(fields) != 3:
                continue
            qrels.setdefault(fields[0], {})[fields[1]] = int(fields[2])
    return qrels


def evaluate(qrels, run):
    import pytrec_eval
    scores = pytrec_eval.RelevanceEvaluator(qrels, {"ndcg_cut.10", "recall.100"}).evaluate(run)
    return (statistics.mean(v["ndcg_cut_10"] for v in scores.values()),
            statistics.mean(v["recall_100"] for v in scores.values()))


def time_synthlab(qrels):
    times, cpus, summary = [], [], ""
    with tempfile.TemporaryDirectory() as tmp:
        out = os.path.join(tmp, "run.trec")
        env = dict(os.environ, SYNTHLAB_DATA=os.path.join(tmp, "data"))
        for _ in range(REPEATS):
            start = time.perf_counter()
            before = resource.getrusage(resource.RUSAGE_CHILDREN)
            done = subprocess.run([BINARY, "bm25", DATA, "--split", "test", "--top", str(TOP), "--k1", str(K1),
                                   "--b", str(B), "--out", out], env=env, capture_output=True, text=True)
            times.append(time.perf_counter() - start)
            after = resource.getrusage(resource.RUSAGE_CHILDREN)
            cpus.append(after.ru_utime + after.ru_stime - before.ru_utime - before.ru_stime)
            if done.returncode != 0:
                sys.exit(f"synthlab failed:\n{done.stderr}")
            summary = done.stderr.strip()
        run = {}
        for line in open(out):
            q, _, d, _, s, _ = line.split()
            run.setdefault(q, {})[d] = float(s)
    return statistics.median(times), statistics.median(cpus), evaluate(qrels, run), summary


def time_bm25s(qrels):
    import bm25s, Stemmer
    times, cpus = [], []
    for _ in range(REPEATS):
        start = time.perf_counter()
        cpu_start = time.process_time()
        ids, texts = [], []
        with gzip.open(os.path.join(DATA, "corpus.jsonl.gz"), "rt", encoding="utf-8") as f:
            for line in f:
                doc = json.loads(line)
                ids.append(doc["_id"])
                texts.append(doc.get("title", "") + " " + doc.get("text", ""))
        queries = {}
        with open(os.path.join(DATA, "queries.jsonl"), encoding="utf-8") as f:
            for line in f:
                q = json.loads(line)
                queries[q["_id"]] = q["text"]
        test = [q for q in queries if q in qrels]
        stemmer = Stemmer.Stemmer("english")
        corpus_tokens = bm25s.tokenize(texts, stopwords="en", stemmer=stemmer, show_progress=False)
        retriever = bm25s.BM25(k1=K1, b=B, method="lucene")
        retriever.index(corpus_tokens, show_progress=False)
        query_tokens = bm25s.tokenize([queries[q] for q in test], stopwords="en", stemmer=stemmer,
                                      show_progress=False)
        docs, scores = retriever.retrieve(query_tokens, k=TOP, show_progress=False, n_threads=os.cpu_count())
        times.append(time.perf_counter() - start)
        cpus.append(time.process_time() - cpu_start)
    run = {q: {ids[d]: float(s) for d, s in zip(docs[i], scores[i])} for i, q in enumerate(test)}
    return statistics.median(times), statistics.median(cpus), evaluate(qrels, run)


def write_section(text):
    path = os.path.join(ROOT, "BENCHMARKS.md")
    current = open(path).read() if os.path.exists(path) else (
        "# Benchmarks\n\nMeasured on the development machine; each section is written by its benchmark script.\n")
    start = current.find("\n## BM25\n")
    if start >= 0:
        end = current.find("\n## ", start + 1)
        current = current[:start] + current[end:] if end >= 0 else current[:start] + "\n"
    current = current.rstrip("\n") + "\n\n" + text
    tmp = path + ".tmp"
    with open(tmp, "w") as f:
        f.write(current)
    os.replace(tmp, path)


def main():
    if not os.access(BINARY, os.X_OK):
        sys.exit(f"missing {BINARY}: run `swift build -c release --product synthlab` first")
    load = os.getloadavg()[0]
    qrels = read_qrels(os.path.join(DATA, "qrels", "test.tsv"))
    s_time, s_cpu, (s_ndcg, s_recall), summary = time_synthlab(qrels)
    b_time, b_cpu, (b_ndcg, b_recall) = time_bm25s(qrels)
    import bm25s
    ratio = b_time / s_time
    cpu = platform.processor() or platform.machine()
    try:
        cpu = next(l.split(":", 1)[1].strip() for l in open("/proc/cpuinfo") if l.startswith("model name"))
    except (OSError, StopIteration):
        pass
    section = f"""## BM25

`bench/bm25/run.sh` — SciFact test (5,183 docs, 300 queries), k1 0.9, b 0.4, top 1000, median of {REPEATS} runs,
{os.cpu_count()} cores ({cpu}), load average {load:.1f} at the start (other jobs share the machine), {time.strftime('%Y-%m-%d', time.gmtime())}.

| system | what is timed | wall s | CPU s | nDCG@10 | R@100 |
|---|---|---|---|---|---|
| `synthlab bm25` (release) | whole process: start, load gzip corpus, analyze, index, search, evaluate, write run | {s_time:.3f} | {s_cpu:.3f} | {s_ndcg:.4f} | {s_recall:.4f} |
| `bm25s` {bm25s.__version__} + PyStemmer | in Python after imports: load, tokenize + stem, index, retrieve ({os.cpu_count()} threads) | {b_time:.3f} | {b_cpu:.3f} | {b_ndcg:.4f} | {b_recall:.4f} |

synthlab is **{ratio:.1f}× faster** end to end in wall time (bm25s / synthlab) and uses {b_cpu / s_cpu:.1f}× less CPU time. Reference: Pyserini BEIR flat BM25
nDCG@10 0.679 (bm25s scores differ: different tokenizer, stemmer (Snowball English) and stop-word list).
synthlab's own summary: `{summary}`
"""
    write_section(section)
    print(section)


if __name__ == "__main__":
    main()
