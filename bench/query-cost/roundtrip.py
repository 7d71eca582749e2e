"""Round-trip rates of synthetic queries under base MiniLM over the whole SciFact corpus.

Usage: roundtrip.py REPORT_JSON NAME=PART_JSONL[,PART_JSONL...]... [CORPUS_JSONL_GZ]
Each PART_JSONL (naive_a.jsonl, naive_b.jsonl, ...) is the export of the report cell labelled with the
file's stem; a configuration NAME pools its parts (their queries and their cells' wall seconds), and
each part is also printed on its own. For each accepted query, the source passage's rank among all 5,183 SciFact abstracts under
sentence-transformers all-MiniLM-L6-v2 (max 256 tokens, cosine); prints one JSON line per
configuration: queries, wall seconds of its cell, queries/minute, top-1 and top-10 rates (with a Wilson 95 %
interval), and for each configuration after the first its ratio to the first and a one-sided Fisher exact
test of "its top-10 rate is lower than the first's" (small p: lower).
Corpus embeddings are cached in /tmp (keyed by the corpus file size).
"""
import gzip
import json
import os
import sys

import numpy as np
from scipy.stats import binomtest, fisher_exact
from sentence_transformers import SentenceTransformer

report_path = sys.argv[1]
configs = [a.split("=", 1) for a in sys.argv[2:] if not a.endswith(".gz")]
corpus_path = next((a for a in sys.argv[2:] if a.endswith(".gz")), "/work/shared/data/scifact/corpus.jsonl.gz")
home = os.environ.get("SYNTHLAB_HOME", os.path.expanduser("~/.cache/synthlab"))
model = SentenceTransformer(os.path.join(home, "models/all-MiniLM-L6-v2"), device="cpu")
model.max_seq_length = 256

docs = [json.loads(line) for line in gzip.open(corpus_path, "rt")]
ids = [d["_id"] for d in docs]
cache = f"/tmp/synthlab-query-cost-corpus-{os.path.getsize(corpus_path)}.npy"
if os.path.exists(cache):
    corpus = np.load(cache)
else:
    texts = [(d.get("title", "") + " " + d["text"]).strip() for d in docs]
    corpus = model.encode(texts, batch_size=32, normalize_embeddings=True, convert_to_numpy=True)
    np.save(cache, corpus)
position = {doc_id: i for i, doc_id in enumerate(ids)}

cells = {c.get("label"): c for c in json.load(open(report_path))["cells"]}


def rates(name, paths):
    records = [json.loads(line) for path in paths for line in open(path)]
    accepted = [r for r in records if r["accepted"] and r.get("positive_id")]
    queries = model.encode([r["query"] for r in accepted], normalize_embeddings=True, convert_to_numpy=True)
    scores = queries @ corpus.T
    top1 = top10 = 0
    for row, record in zip(scores, accepted):
        target = row[position[record["positive_id"]]]
        rank = int((row > target).sum()) + 1
        top1 += rank == 1
        top10 += rank <= 10
    seconds = sum(cells[os.path.splitext(os.path.basename(path))[0]]["seconds"] for path in paths)
    n = len(accepted)
    return {
        "config": name, "passages": len({r["positive_id"] for r in records}), "records": len(records),
        "accepted": n, "seconds": round(seconds, 1), "queries_per_minute": round(n / seconds * 60, 2),
        "top1": round(top1 / n, 3), "top10": round(top10 / n, 3), "top10_hits": top10,
        "top10_interval": [round(x, 3) for x in binomtest(top10, n).proportion_ci(method="wilson")],
    }


pooled = []
for name, joined in configs:
    paths = joined.split(",")
    for path in paths if len(paths) > 1 else []:
        print(json.dumps(rates(os.path.splitext(os.path.basename(path))[0], [path])))
    pooled.append(rates(name, paths))
for result in pooled:
    print(json.dumps(result))
if len(pooled) > 1:
    base = pooled[0]
    for result in pooled[1:]:
        print(json.dumps({
            "ratio": f"{result['config']}/{base['config']}",
            "queries_per_minute": round(result["queries_per_minute"] / base["queries_per_minute"], 2),
            "top10_difference": round(result["top10"] - base["top10"], 3),
            "top10_lower_p": round(fisher_exact(
                [[result["top10_hits"], result["accepted"] - result["top10_hits"]],
                 [base["top10_hits"], base["accepted"] - base["top10_hits"]]], alternative="less").pvalue, 3),
        }))
