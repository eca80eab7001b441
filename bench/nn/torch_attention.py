#!/usr/bin/env python3
"""PyTorch peer of `nn_layer_bench attention`: forward + backward time of causal multi-head
self-attention on the CPU, written the plain way (as torch_lm.py's blocks).

    python3 bench/nn/torch_attention.py --shape B,T,d,H [--runs N] [--warmup N] [--seed N]

The model, as moe::nn::CausalSelfAttention (include/moe/nn/attention.hpp) without ALiBi:
Q, K, V = X W_q, X W_k, X W_v (d×d each, no bias), per head softmax(Q K^T / sqrt(d_h) + causal
mask) V, then O W_o + b_o; X holds B sequences of T tokens. One timed run: gradients cleared,
Y = model(X), Y.backward(dY) with a fixed random dY (dX and every weight gradient). Prints one
JSON line: the shape, "precision": "fp32", ms_median and ms_min over the timed runs.
"""
import argparse
import json
import math
import statistics
import time

import torch


class CausalSelfAttention(torch.nn.Module):
    def __init__(self, d, heads, context):
        super().__init__()
        self.q = torch.nn.Linear(d, d, bias=False)
        self.k = torch.nn.Linear(d, d, bias=False)
        self.v = torch.nn.Linear(d, d, bias=False)
        self.o = torch.nn.Linear(d, d)
        self.heads = heads
        self.register_buffer("mask", torch.triu(torch.ones(context, context, dtype=torch.bool), diagonal=1))

    def forward(self, x):  # x: B×T×d
        b, t, d = x.shape
        split = lambda y: y.view(b, t, self.heads, d // self.heads).transpose(1, 2)  # B×H×T×d_h
        q, k, v = split(self.q(x)), split(self.k(x)), split(self.v(x))
        scores = (q @ k.transpose(-2, -1)) / math.sqrt(d // self.heads)
        weights = torch.softmax(scores.masked_fill(self.mask[:t, :t], float("-inf")), dim=-1)
        return self.o((weights @ v).transpose(1, 2).reshape(b, t, d))


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--shape", required=True, help="B,T,d,H")
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--warmup", type=int, default=1)
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args()
    batch, context, d, heads = (int(v) for v in args.shape.split(","))
    torch.manual_seed(args.seed)
    model = CausalSelfAttention(d, heads, context)
    x = torch.randn(batch, context, d, requires_grad=True)
    dy = torch.randn(batch, context, d)
    times = []
    for run in range(args.warmup + args.runs):
        start = time.perf_counter()
        model.zero_grad(set_to_none=True)
        x.grad = None
        model(x).backward(dy)
        if run >= args.warmup:
            times.append((time.perf_counter() - start) * 1000.0)
    print(json.dumps({"B": batch, "T": context, "d": d, "heads": heads, "precision": "fp32",
                      "threads": torch.get_num_threads(), "ms_median": statistics.median(times),
                      "ms_min": min(times)}))


if __name__ == "__main__":
    main()
