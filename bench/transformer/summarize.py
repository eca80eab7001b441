#!/usr/bin/env python3
"""Tables of bench/transformer/compare.sh from the JSON logs in DIR (markdown on stdout).

    python3 bench/transformer/summarize.py bench/transformer/compare
"""
import json
import os
import statistics
import sys

MODELS = [
    ("mlp", "MLP, one-hot window of 32, sigma-MoE blocks"),
    ("dense_params", "transformer, dense, equal parameters (d_ff = E G = 256)"),
    ("dense_flops", "transformer, dense, equal FLOPs (d_ff = k G = 64)"),
    ("sigma", "transformer, sigma-MoE (k = 2 of 8)"),
    ("softmax", "transformer, softmax top-2, balance 0.01"),
    ("simsmoe", "transformer, sigma-MoE + SimSMoE as published"),
]
SEEDS = (1, 2, 3)


def load(directory, name):
    with open(os.path.join(directory, name)) as f:
        return json.load(f)


def final(log):
    """(bits per character, collapse score, parameters) of a run's last record."""
    if "records" in log:
        last = log["records"][-1]
        return last["test_bits_per_character"], last["collapse"], log["config"]["parameters"]
    last = log["epochs"][-1]
    return last["test_nll_bits"], last["collapse"], log["config"]["parameters"]


def mean_sd(values, digits=3):
    if len(values) == 1:
        return f"{values[0]:.{digits}f}"
    return f"{statistics.mean(values):.{digits}f} ± {statistics.stdev(values):.{digits}f}"


def times(directory):
    out = {}
    with open(os.path.join(directory, "times.txt")) as f:
        for line in f:
            name, seconds = line.split()
            out[name] = float(seconds)
    return out


def main(directory):
    seconds = times(directory)
    print("| model | parameters | held-out bits per character | collapse score | seconds (whole process) |")
    print("|---|--:|--:|--:|--:|")
    for key, label in MODELS:
        runs = [final(load(directory, f"{key}_seed{s}.json")) for s in SEEDS]
        spent = [seconds[f"{key}_seed{s}"] for s in SEEDS]
        collapse = "–" if key.startswith("dense") else mean_sd([r[1] for r in runs])
        print(f"| {label} | {runs[0][2]} | {mean_sd([r[0] for r in runs])} | {collapse} | {mean_sd(spent, 1)} |")
    print()
    print("SCMoE on the sigma-MoE transformers (strong top-2, weak = the expert of rank r, plausibility 0.1;")
    print("beta 0 is the strong pass restricted to the plausible bytes, the fair baseline of the covered bits):")
    print()
    print("| beta | r | next-character accuracy | top-2 accuracy | coverage | bits on the covered | "
          "top-2 bits on the covered | latency ratio |")
    print("|--:|--:|--:|--:|--:|--:|--:|--:|")
    for beta in ("0", "0.25", "0.5", "1"):
        for rank in (2, 3):
            logs = [load(directory, f"scmoe_b{beta}_r{rank}_seed{s}.json")["scmoe"] for s in SEEDS]
            col = lambda k, d=4: mean_sd([x[k] for x in logs], d)
            print(f"| {beta} | {rank} | {col('accuracy')} | {col('strong_accuracy')} | {col('coverage')} | "
                  f"{col('bits_per_character_covered')} | {col('strong_bits_per_character_covered')} | "
                  f"{col('latency_ratio', 2)} |")
    generated = load(directory, "generate_seed1.json")["generation"]
    print()
    print(f"Greedy decoding, seed 1, prompt \"{generated['prompt']}\":")
    print()
    print(f"- top-2: `{generated['greedy']!r}`")
    print(f"- SCMoE (beta 0.5, r 2): `{generated['scmoe']!r}`")


if __name__ == "__main__":
    main(sys.argv[1])
