"""Reference answers from the PyPI `mauve-text` package (mauve.compute_mauve) for MAUVETests.

Usage: python mauve_reference.py request.json  -> JSON on stdout.
Each case of request["cases"] is one of
  {"kind": "frontier", "p": [...], "q": [...], "scale": 5, "discretization": 25}
  {"kind": "pca", "features": [[...]], "explained_variance": 0.9}
  {"kind": "features", "p": [[...]], "q": [[...]], "clusters": null | k, "scale": 5, "seeds": [25, ...]}
"""
import json
import sys
import warnings

import numpy as np
from sklearn.decomposition import PCA
from sklearn.metrics import auc
from sklearn.preprocessing import normalize

from mauve import compute_mauve
from mauve.compute_mauve import get_divergence_curve_for_multinomials, get_fronter_integral

warnings.filterwarnings("ignore")


def frontier(case):
    p, q = np.asarray(case["p"], dtype=np.float64), np.asarray(case["q"], dtype=np.float64)
    weights = np.linspace(1e-6, 1 - 1e-6, case.get("discretization", 25))
    curve = get_divergence_curve_for_multinomials(p, q, weights, case.get("scale", 5))
    x, y = curve.T
    i1, i2 = np.argsort(x), np.argsort(y)
    area = 0.5 * (auc(x[i1], y[i1]) + auc(y[i2], x[i2]))
    return {"x": x.tolist(), "y": y.tolist(), "mauve": float(area), "frontier_integral": float(get_fronter_integral(p, q))}


def pca(case):
    data = normalize(np.asarray(case["features"], dtype=np.float64), norm="l2", axis=1)
    model = PCA(n_components=None, whiten=False).fit(data)
    s = np.cumsum(model.explained_variance_ratio_)
    idx = int(np.argmax(s >= case.get("explained_variance", 0.9)))
    projected = model.transform(data)[:, : idx + 1]
    # Pairwise distances do not depend on the components' signs.
    sq = (projected ** 2).sum(1)
    distances = sq[:, None] + sq[None, :] - 2 * projected @ projected.T
    return {"ratios": model.explained_variance_ratio_.tolist(), "dimensions": idx + 1, "distances": distances.tolist()}


def features(case):
    p, q = np.asarray(case["p"], dtype=np.float64), np.asarray(case["q"], dtype=np.float64)
    clusters = case.get("clusters") or "auto"
    runs = [
        compute_mauve(p_features=p, q_features=q, num_buckets=clusters, mauve_scaling_factor=case.get("scale", 5), seed=seed)
        for seed in case.get("seeds", [25])
    ]
    return {
        "mauve": [float(r.mauve) for r in runs],
        "mauve_star": [float(r.mauve_star) for r in runs],
        "frontier_integral": [float(r.frontier_integral) for r in runs],
        "clusters": int(runs[0].num_buckets),
        "p_hist": runs[0].p_hist.tolist(),
        "q_hist": runs[0].q_hist.tolist(),
    }


def main():
    with open(sys.argv[1]) as f:
        request = json.load(f)
    kinds = {"frontier": frontier, "pca": pca, "features": features}
    json.dump({"cases": [kinds[case["kind"]](case) for case in request["cases"]]}, sys.stdout)


if __name__ == "__main__":
    main()
