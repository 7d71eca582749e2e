"""Raw llama-server throughput: N chat requests at concurrency C with plain urllib threads.

Usage: driver.py URL MODEL N C MAX_TOKENS ROUND
Prints one JSON object: wall seconds, completion tokens, tokens/s, and the mean of the server's own
per-request `timings.predicted_per_second`. Prompts match the Swift side of the benchmark exactly.
"""
import json
import sys
import time
import urllib.request
from concurrent.futures import ThreadPoolExecutor


def prompt(round_name, index):
    return f"Round {round_name}. Write a short story about a city named Item {index}."


def call(url, model, round_name, index, max_tokens):
    body = {
        "model": model,
        "messages": [{"role": "user", "content": prompt(round_name, index)}],
        "temperature": 0.8,
        "seed": index,
        "max_tokens": max_tokens,
    }
    request = urllib.request.Request(
        url + "/chat/completions", data=json.dumps(body).encode(), headers={"Content-Type": "application/json"}
    )
    with urllib.request.urlopen(request, timeout=600) as response:
        return json.load(response)


def main():
    url, model, n, c, max_tokens, round_name = sys.argv[1:7]
    n, c, max_tokens = int(n), int(c), int(max_tokens)
    start = time.perf_counter()
    with ThreadPoolExecutor(max_workers=c) as pool:
        results = list(pool.map(lambda i: call(url, model, round_name, i, max_tokens), range(n)))
    wall = time.perf_counter() - start
    tokens = sum(r["usage"]["completion_tokens"] for r in results)
    speeds = [r["timings"]["predicted_per_second"] for r in results if "timings" in r]
    print(json.dumps({
        "wall": wall,
        "completion_tokens": tokens,
        "tokens_per_second": tokens / wall,
        "server_predicted_per_second_mean": sum(speeds) / len(speeds) if speeds else None,
    }))


main()
