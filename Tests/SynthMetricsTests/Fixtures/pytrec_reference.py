"""Reference values for SynthMetrics tests, computed by pytrec_eval and scipy.

Usage: python pytrec_reference.py REQUEST.json > RESPONSE.json

REQUEST: {"cases": [{"name", "qrels": {qid: {docid: grade}}, "run": {qid: {docid: score}},
                     "measures": ["ndcg_cut.10", "recip_rank.5", ...]}],
          "ttest": [[a, b], ...], "correlation": [[x, y], ...]}
RESPONSE: {"cases": {name: {qid: {measure: value}}},
           "ttest": [{"statistic", "pvalue"}], "spearman": [...], "pearson": [...]}
Measures are keyed by their trec_eval command-line spelling. `recip_rank.k` (MRR@k, not a trec_eval
measure) is pytrec_eval's recip_rank on the run cut to its top k in trec_eval's order (score as
float32 descending, ties by docid descending in byte order). NaN is written as null.
"""
import json
import math
import sys

import numpy as np
import pytrec_eval
import scipy.stats


def trec_order(docs):
    items = sorted(docs.items(), key=lambda item: item[0].encode("utf-8"), reverse=True)
    items.sort(key=lambda item: -float(np.float32(item[1])))  # stable: keeps docid descending on ties
    return items


def cut_run(run, depth):
    return {qid: dict(trec_order(docs)[:depth]) for qid, docs in run.items()}


def evaluate_case(case):
    qrels, run = case["qrels"], case["run"]
    result = {}
    for measure in case["measures"]:
        if measure.startswith("recip_rank."):
            depth = int(measure.split(".")[1])
            evaluator = pytrec_eval.RelevanceEvaluator(qrels, {"recip_rank"})
            values = evaluator.evaluate(cut_run(run, depth))
            key = "recip_rank"
        else:
            evaluator = pytrec_eval.RelevanceEvaluator(qrels, {measure})
            values = evaluator.evaluate(run)
            key = measure.replace(".", "_")
        for qid, measures in values.items():
            result.setdefault(qid, {})[measure] = measures[key]
    return result


def clean(value):
    value = float(value)
    return None if math.isnan(value) else value


def main():
    with open(sys.argv[1]) as handle:
        request = json.load(handle)
    response = {"cases": {}, "ttest": [], "spearman": [], "pearson": []}
    for case in request.get("cases", []):
        response["cases"][case["name"]] = evaluate_case(case)
    for a, b in request.get("ttest", []):
        test = scipy.stats.ttest_rel(a, b)
        response["ttest"].append({"statistic": clean(test.statistic), "pvalue": clean(test.pvalue)})
    for x, y in request.get("correlation", []):
        response["spearman"].append(clean(scipy.stats.spearmanr(x, y).statistic))
        response["pearson"].append(clean(scipy.stats.pearsonr(x, y).statistic))
    json.dump(response, sys.stdout)


if __name__ == "__main__":
    main()
