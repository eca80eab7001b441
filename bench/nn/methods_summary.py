#!/usr/bin/env python3
"""Markdown tables from the logs bench/nn/methods.sh writes (mean ± sd over seeds)."""
import glob
import json
import os
import re
import statistics
import sys
from collections import defaultdict

folder = sys.argv[1]


def mean_sd(values, digits=4):
    sd = statistics.stdev(values) if len(values) > 1 else 0.0
    return f"{statistics.mean(values):.{digits}f} ± {sd:.{digits}f}"


def grouped(pattern):
    groups = defaultdict(list)
    for path in sorted(glob.glob(os.path.join(folder, pattern))):
        name = re.sub(r"_seed\d+\.json$", "", os.path.basename(path))
        with open(path) as f:
            groups[name].append(json.load(f))
    return groups


print("### (a) sigma-MoE with and without SimSMoE\n")
print("| model | seeds | test accuracy | test NLL (bits) | collapse score per epoch (mean over seeds) |")
print("|---|---:|---|---|---|")
for name in ("sigma", "simsmoe"):
    logs = grouped(f"{name}_seed*.json").get(name, [])
    if not logs:
        continue
    last = [log["epochs"][-1] for log in logs]
    epochs = len(logs[0]["epochs"])
    collapse = [statistics.mean(log["epochs"][e]["collapse"] for log in logs) for e in range(epochs)]
    print(f"| {name} | {len(logs)} | {mean_sd([e['test_accuracy'] for e in last])} "
          f"| {mean_sd([e['test_nll_bits'] for e in last])} | {' → '.join(f'{c:.3f}' for c in collapse)} |")

print("\n### (b) SCMoE vs plain top-2 inference\n")
print("| beta | weak rank | seeds | SCMoE accuracy | top-2 accuracy | coverage | latency ratio |")
print("|---:|---:|---:|---|---|---|---|")
for name, logs in grouped("scmoe_*_seed*.json").items():
    s = [log["scmoe"] for log in logs]
    print(f"| {s[0]['beta']} | {s[0]['weak_rank']} | {len(s)} | {mean_sd([x['accuracy'] for x in s])} "
          f"| {mean_sd([x['strong_accuracy'] for x in s])} | {mean_sd([x['coverage'] for x in s])} "
          f"| {mean_sd([x['latency_ratio'] for x in s], 2)} |")

evals = grouped("eval_*_seed*.json")
if evals:
    print("\n### (c) E3 vs one MoE vs deep ensembles of dense networks\n")
    print("| model | seeds | test accuracy | test NLL | ECE (15 bins) | FLOPs per example |")
    print("|---|---:|---|---|---|---:|")
    for name in ("eval_moe", "eval_e3m2", "eval_e3m4", "eval_dense", "eval_deep2", "eval_deep4"):
        logs = evals.get(name, [])
        if logs:
            print(f"| {name[5:]} | {len(logs)} | {mean_sd([x['test_accuracy'] for x in logs])} "
                  f"| {mean_sd([x['test_nll'] for x in logs])} | {mean_sd([x['ece'] for x in logs])} "
                  f"| {logs[0]['flops_per_example']:.3g} |")
