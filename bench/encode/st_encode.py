#!/usr/bin/env python3
"""sentence-transformers reference for SynthLab's encoder: corpus encoding speed and SciFact dense retrieval.

    HF_HUB_OFFLINE=1 ~/.cache/synthlab/venv-torch/bin/python bench/encode/st_encode.py \
        --threads 2 --run /tmp/st.trec --texts-out /tmp/corpus.jsonl

Encodes the SciFact corpus as BEIR does for sentence-transformers models (title + " " + text, stripped;
max_seq_length 256 from the model folder), batch size 32, PyTorch CPU with --threads threads, and prints
one JSON line: docs, seconds, docs_per_s. With --run it also embeds the test queries and writes the exact
top-1000 by cosine (dot product of normalised vectors) as a TREC run. With --texts-out it writes the corpus
texts as {"text": …} lines in corpus order, the input `synthlab embed` is timed on.
"""
import argparse
import gzip
import json
import os
import pathlib
import time

os.environ.setdefault("HF_HUB_OFFLINE", "1")
ROOT = pathlib.Path(__file__).resolve().parents[2]
HOME = pathlib.Path(os.environ.get("SYNTHLAB_HOME", pathlib.Path.home() / ".cache/synthlab"))


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--model", default=str(HOME / "models/all-MiniLM-L6-v2"))
    parser.add_argument("--data", default=str(ROOT.parent / "shared/data/scifact"))
    parser.add_argument("--threads", type=int, default=2)
    parser.add_argument("--batch-size", type=int, default=32)
    parser.add_argument("--split", default="test")
    parser.add_argument("--run", help="write a TREC run of the split's queries here")
    parser.add_argument("--texts-out", help="write the corpus texts as JSON lines here")
    parser.add_argument("--docs", type=int, help="encode only the first DOCS corpus texts (speed runs)")
    args = parser.parse_args()

    import numpy as np
    import torch
    from sentence_transformers import SentenceTransformer

    torch.set_num_threads(args.threads)
    data = pathlib.Path(args.data)
    corpus = []
    opener = gzip.open if (data / "corpus.jsonl.gz").exists() else open
    path = data / "corpus.jsonl.gz" if (data / "corpus.jsonl.gz").exists() else data / "corpus.jsonl"
    with opener(path, "rt", encoding="utf-8") as f:
        for line in f:
            doc = json.loads(line)
            corpus.append((doc["_id"], (doc.get("title", "") + " " + doc["text"]).strip()))
    if args.docs:
        corpus = corpus[: args.docs]
    texts = [t for _, t in corpus]
    if args.texts_out:
        with open(args.texts_out, "w", encoding="utf-8") as f:
            for text in texts:
                f.write(json.dumps({"text": text}) + "\n")

    model = SentenceTransformer(args.model, device="cpu")
    model.encode(texts[:64], batch_size=args.batch_size)  # warm-up
    start = time.perf_counter()
    doc_emb = model.encode(texts, batch_size=args.batch_size, convert_to_numpy=True)
    seconds = time.perf_counter() - start
    result = {"system": "sentence-transformers", "threads": args.threads, "docs": len(texts),
              "seconds": round(seconds, 3), "docs_per_s": round(len(texts) / seconds, 2),
              "torch": torch.__version__}
    if args.run:
        qids = set()
        with open(data / "qrels" / f"{args.split}.tsv", encoding="utf-8") as f:
            next(f)
            for line in f:
                qids.add(line.split("\t")[0].strip())
        queries = []
        with open(data / "queries.jsonl", encoding="utf-8") as f:
            for line in f:
                q = json.loads(line)
                if q["_id"] in qids:
                    queries.append((q["_id"], q["text"]))
        q_emb = model.encode([t for _, t in queries], batch_size=args.batch_size, convert_to_numpy=True)
        scores = q_emb @ doc_emb.T
        with open(args.run, "w") as f:
            for (qid, _), row in zip(queries, scores):
                top = np.argsort(-row, kind="stable")[:1000]
                for rank, index in enumerate(top):
                    f.write(f"{qid} Q0 {corpus[index][0]} {rank + 1} {row[index]:.6f} st\n")
        result["queries"] = len(queries)
    print(json.dumps(result))


if __name__ == "__main__":
    main()
