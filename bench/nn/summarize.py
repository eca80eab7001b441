#!/usr/bin/env python3
"""Summarize `moe nn-train` JSON logs named MODEL_seedN.json in a folder:
final test accuracy and NLL, mean ± sd over seeds, as a Markdown table."""
import glob
import json
import os
import statistics
import sys
from collections import defaultdict

folder = sys.argv[1]
runs = defaultdict(list)
for path in sorted(glob.glob(os.path.join(folder, "*_seed*.json"))):
    model = os.path.basename(path).rsplit("_seed", 1)[0]
    with open(path) as f:
        runs[model].append(json.load(f))


def mean_sd(values):
    sd = statistics.stdev(values) if len(values) > 1 else 0.0
    return f"{statistics.mean(values):.4f} ± {sd:.4f}"


print("| model | parameters | seeds | epochs | test accuracy | test NLL | usage entropy |")
print("|---|---:|---:|---:|---|---|---|")
for model, logs in runs.items():
    last = [log["epochs"][-1] for log in logs]
    dense = logs[0]["config"]["router"] == "dense"
    print(f"| {model} | {logs[0]['config']['parameters']} | {len(logs)} | {len(logs[0]['epochs'])} "
          f"| {mean_sd([e['test_accuracy'] for e in last])} | {mean_sd([e['test_nll'] for e in last])} "
          f"| {'—' if dense else mean_sd([e['usage_entropy'] for e in last])} |")
