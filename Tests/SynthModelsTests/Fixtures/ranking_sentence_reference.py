"""NumPy port of the ranking-sentence paper's target correction and ListMLE (He et al., 2025, released
posttraining/models.py: refine_similarity_matrix, transform_tensor, ListMLE without the random tie shuffle).

Reads {"teacher": [[...]], "student": [[...]], "omega": w} on stdin; writes {"targets": [[...]], "loss": x}."""
import json
import sys

import numpy as np


def refine(a):
    k = a.shape[0]
    b = np.zeros_like(a)
    for i in range(k):
        row = a[i, i:]
        order = np.argsort(-row, kind="stable")
        values = row[order]
        for j in range(i, k):
            original = j - i
            position = int(np.nonzero(order == original)[0][0])
            sign = -1.0 if position < j else 1.0
            b[i, j] = sign * abs(a[i, j] - values[original])
    for i in range(k):
        for j in range(i + 1, k):
            b[j, i] = b[i, j]
    return b


def listmle(targets, scores):
    total = 0.0
    for t, s in zip(targets, scores):
        order = sorted(range(len(t)), key=lambda c: (-t[c], c))
        ss = s[order]
        for k in range(len(ss)):
            tail = ss[k:]
            m = tail.max()
            total += m + np.log(np.exp(tail - m).sum()) - ss[k]
    return total / len(targets)


data = json.load(sys.stdin)
a = np.array(data["teacher"], dtype=np.float64)
b = refine(a)
targets = a + np.sign(b) * np.log(data["omega"] * np.abs(b) + 1)
print(json.dumps({"targets": targets.tolist(), "loss": listmle(targets, np.array(data["student"], dtype=np.float64))}))
