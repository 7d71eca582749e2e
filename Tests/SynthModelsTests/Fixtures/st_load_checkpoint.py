#!/usr/bin/env python3
"""Loads a synthlab checkpoint with sentence-transformers and embeds given token ids (parity test helper).

Usage: st_load_checkpoint.py FOLDER < {"input_ids": [[...]], "attention_mask": [[...]]}
Prints {"embeddings": [[...]], "modules": [...]}: the full SentenceTransformer pipeline (Transformer → Pooling
→ Normalize) applied to the ids, in eval mode.
"""
import json
import sys

import torch
from sentence_transformers import SentenceTransformer

model = SentenceTransformer(sys.argv[1], device="cpu")
model.eval()
request = json.load(sys.stdin)
ids = torch.tensor(request["input_ids"], dtype=torch.long)
mask = torch.tensor(request["attention_mask"], dtype=torch.long)
with torch.no_grad():
    output = model({"input_ids": ids, "attention_mask": mask, "token_type_ids": torch.zeros_like(ids)})
print(json.dumps({
    "embeddings": output["sentence_embedding"].tolist(),
    "modules": [type(module).__name__ for module in model],
}))
