#!/usr/bin/env python3
"""nDCG@10 and R@100 of TREC runs with pytrec_eval (setup's venv), plainly and as BEIR/MTEB report
(ignore_identical_ids: hits whose document id equals the query id are dropped first).

    ~/.cache/synthlab/venv/bin/python bench/encode/ndcg.py QRELS.tsv RUN.trec [RUN.trec …]
"""
import json
import sys

import pytrec_eval


def read_qrels(path):
    qrels = {}
    with open(path, encoding="utf-8") as f:
        next(f)
        for line in f:
            qid, did, score = line.strip().split("\t")
            qrels.setdefault(qid, {})[did] = int(score)
    return qrels


def read_run(path, drop_identical):
    run = {}
    with open(path) as f:
        for line in f:
            qid, _, did, _, score, _ = line.split()
            if drop_identical and qid == did:
                continue
            run.setdefault(qid, {})[did] = float(score)
    return run


def main():
    qrels = read_qrels(sys.argv[1])
    for path in sys.argv[2:]:
        out = {"run": path}
        for label, drop in (("", False), ("beir_", True)):
            evaluator = pytrec_eval.RelevanceEvaluator(qrels, {"ndcg_cut.10", "recall.100"})
            scores = evaluator.evaluate(read_run(path, drop))
            n = len(scores)
            out[label + "ndcg@10"] = round(sum(s["ndcg_cut_10"] for s in scores.values()) / n, 4)
            out[label + "recall@100"] = round(sum(s["recall_100"] for s in scores.values()) / n, 4)
        print(json.dumps(out))


if __name__ == "__main__":
    main()
