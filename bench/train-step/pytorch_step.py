#!/usr/bin/env python3
"""PyTorch peer for TrainStepBench's `step` mode: one sentence-transformers MNRL training step on MiniLM.

Usage: pytorch_step.py MODEL_FOLDER [BATCH LENGTH STEPS]
Same work as the Swift side: batch of BATCH query/passage pairs of LENGTH random token ids ([CLS] … [SEP], no
padding), MultipleNegativesRankingLoss (scale 20, cosine), forward + backward + clip_grad_norm_(1.0) +
AdamW(lr 2e-5, weight decay 0.01) in train mode (dropout on). One untimed warm-up step, then STEPS timed
steps. Prints one JSON line.
"""
import json
import resource
import sys
import time

import numpy as np
import torch
from sentence_transformers import SentenceTransformer, losses


def main():
    folder = sys.argv[1]
    batch, length, steps = (int(x) for x in (sys.argv[2:5] + ["32", "128", "3"][len(sys.argv[2:5]):]))
    torch.manual_seed(0)
    rng = np.random.default_rng(0)
    model = SentenceTransformer(folder, device="cpu")
    model.train()
    loss = losses.MultipleNegativesRankingLoss(model, scale=20.0)

    def features(seed):
        ids = np.random.default_rng(seed).integers(1000, 29000, size=(batch, length))
        ids[:, 0], ids[:, -1] = 101, 102
        ids = torch.tensor(ids, dtype=torch.long)
        return {"input_ids": ids, "attention_mask": torch.ones_like(ids), "token_type_ids": torch.zeros_like(ids)}

    queries, passages = features(1), features(2)
    optimizer = torch.optim.AdamW(model.parameters(), lr=2e-5, weight_decay=0.01)
    times, cpu_times, values = [], [], []
    for step in range(steps + 1):
        start, cpu_start = time.perf_counter(), time.process_time()
        optimizer.zero_grad()
        value = loss([queries, passages], labels=None)
        value.backward()
        torch.nn.utils.clip_grad_norm_(model.parameters(), 1.0)
        optimizer.step()
        if step > 0:
            times.append(time.perf_counter() - start)
            cpu_times.append(time.process_time() - cpu_start)
        values.append(float(value))
    times.sort()
    cpu_times.sort()
    print(json.dumps({
        "mode": "pytorch-step", "batch": batch, "length": length, "steps": steps, "threads": torch.get_num_threads(),
        "torch": torch.__version__, "seconds_per_step_median": times[len(times) // 2],
        "seconds_per_step_min": times[0], "cpu_seconds_per_step_median": cpu_times[len(cpu_times) // 2],
        "losses": values,
        "peak_rss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
    }, sort_keys=True))


if __name__ == "__main__":
    main()
