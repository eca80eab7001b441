#!/usr/bin/env python3
"""PyTorch peer of bench/nn_layer_bench.cpp: forward + backward time of a dense FFN and of a
top-k softmax MoE layer written the common hand-written way (a Python loop over the experts).

    python3 bench/nn/torch_layer.py [--device cuda|cpu] [--configs A,B] [--dtypes fp32,bf16]
                                    [--runs N] [--warmup N] [--scale S] [--tokens T] [--seed N] [--check]

Configs: A (T=16384 d=1024 E=64 k=4 G=1024), B (T=16384 d=1024 E=512 k=8 G=128); --scale S
divides T, d and G by S (a quick CPU check; the lines then say config "A/S" and "scale": S);
--tokens T sets T alone (the lines say config "A@T=2048"; A′ and B′ of bench/RESULTS.md).
One JSON line per (config, dtype, model), impl "torch-dense" or "torch-moe-loop", with the
field names of nn_layer_bench where they mean the same (T d E k G precision device repeats),
plus ms_median and ms_min over the timed runs. A run out of GPU memory prints a line with an
"error" field and the next one goes on; the exit status is 1 only when something else failed.
--check compares the loop MoE with a dense-gather reference in fp64 on small problems instead.

The models, as in moe::nn (include/moe/nn/sparse_moe.hpp, router.hpp, dense_ffn.hpp):
  dense:  Y = ReLU(X W1) W2, W1 d×(k·G) ~ N(0, 1/d), W2 (k·G)×d ~ N(0, 1/(k·G)), no biases;
  MoE:    logits = X R (R d×E, unit-norm columns), top-k of softmax(logits) renormalized over the
          k chosen, Y = Σ_chosen gate · ReLU(X W1_e) W2_e, W1 E×d×G ~ N(0, 1/d),
          W2 E×G×d ~ N(0, 1/(E·G)), no biases, dropless (every routed pair is computed).
Each timed run is: gradients cleared, Y = model(X), Y.backward(dY) with a fixed random dY,
which computes dX and every weight gradient (router included), like Layer::forward + backward.
The loop sorts the routed pairs by expert once per forward (one host sync for the counts), then
per expert: index_select of its tokens, two matmuls, gate-weighted index_add_ into Y. The
stacked expert weights are split with unbind once per forward (indexing W1[e] per expert would
make backward build E full-size gradient tensors).
Differences from nn_layer_bench: it runs our layer with the router of its default options, σ
(sigmoid gates, not renormalized; the gating is O(T·k) either way, both compute the full softmax
over E); our layer is fp32/fp64, this peer fp32/bf16 (bf16: router softmax in fp32, the rest in
bf16 with PyTorch's default cuBLAS settings); fp32 matmuls here are "highest" precision (no TF32,
as our cuBLAS calls); nn_layer_bench takes host matrices, so its seconds include whatever copies
between host and GPU our layer makes, while these tensors stay on the device; it warms up once
and takes the median of its repeats, this script --warmup runs and --runs repeats.
Works with PyTorch 1.13 (Debian's, for the CPU check) and 2.x.
"""
import argparse
import json
import math
import platform
import statistics
import sys
import time

import torch

CONFIGS = {"A": (16384, 1024, 64, 4, 1024), "B": (16384, 1024, 512, 8, 128)}  # T, d, E, k, G
DTYPES = {"fp32": torch.float32, "bf16": torch.bfloat16}


class DenseFFN(torch.nn.Module):
    def __init__(self, d, d_ff):
        super().__init__()
        self.w1 = torch.nn.Parameter(torch.randn(d, d_ff) / math.sqrt(d))
        self.w2 = torch.nn.Parameter(torch.randn(d_ff, d) / math.sqrt(d_ff))

    def forward(self, x):
        return torch.relu(x @ self.w1) @ self.w2


class LoopMoE(torch.nn.Module):
    def __init__(self, d, experts, k, expert_size):
        super().__init__()
        router = torch.randn(d, experts)
        self.router = torch.nn.Parameter(router / router.norm(dim=0, keepdim=True))
        self.w1 = torch.nn.Parameter(torch.randn(experts, d, expert_size) / math.sqrt(d))
        self.w2 = torch.nn.Parameter(torch.randn(experts, expert_size, d) / math.sqrt(experts * expert_size))
        self.k = k

    def route(self, x):
        """Each token's k experts (T×k) and their gates: top-k of the softmax (in fp32 at least),
        renormalized."""
        logits = x @ self.router
        probs = torch.softmax(logits.to(torch.promote_types(logits.dtype, torch.float32)), dim=-1)
        top_probs, top_experts = probs.topk(self.k, dim=-1)
        return top_experts, (top_probs / top_probs.sum(dim=-1, keepdim=True)).to(x.dtype)

    def forward(self, x):
        top_experts, gates = self.route(x)
        pair_experts = top_experts.flatten()
        order = torch.argsort(pair_experts)
        tokens = order // self.k
        pair_gates = gates.flatten()[order].unsqueeze(1)
        counts = torch.bincount(pair_experts, minlength=self.w1.shape[0]).tolist()
        w1, w2 = self.w1.unbind(0), self.w2.unbind(0)
        y = torch.zeros_like(x)
        start = 0
        for e, n in enumerate(counts):
            if n > 0:
                rows = tokens[start:start + n]
                out = torch.relu(x.index_select(0, rows) @ w1[e]) @ w2[e]
                y.index_add_(0, rows, out * pair_gates[start:start + n])
            start += n
        return y


def reference_moe(moe, x):
    """Every token through its k experts explicitly, gates as the softmax over the k chosen logits
    (moe::nn's formula): the loop's result computed another way."""
    top_logits, top_experts = (x @ moe.router).topk(moe.k, dim=-1)
    gates = torch.softmax(top_logits, dim=-1)
    hidden = torch.relu(torch.einsum("td,tkdg->tkg", x, moe.w1[top_experts]))
    out = torch.einsum("tkg,tkgd->tkd", hidden, moe.w2[top_experts])
    return (gates.unsqueeze(-1) * out).sum(dim=1)


def make_model(impl, shape):
    _, d, experts, k, expert_size = shape
    if impl == "torch-dense":
        return DenseFFN(d, k * expert_size)
    return LoopMoE(d, experts, k, expert_size)


def clear_gradients(model, x):
    model.zero_grad(set_to_none=True)
    x.grad = None


def gradients(model, x, dy, forward):
    """Y, dX and the weight gradients of one forward + backward."""
    clear_gradients(model, x)
    y = forward(x)
    y.backward(dy)
    return [y.detach(), x.grad] + [p.grad for p in model.parameters()]


def fwd_bwd_step(model, x, dy):
    def step():
        clear_gradients(model, x)
        model(x).backward(dy)
    return step


def time_ms(step, device, warmup, runs):
    """Milliseconds of each of `runs` calls of step after `warmup` untimed ones."""
    for _ in range(warmup):
        step()
    times = []
    for _ in range(runs):
        if device == "cuda":
            start, end = torch.cuda.Event(enable_timing=True), torch.cuda.Event(enable_timing=True)
            torch.cuda.synchronize()
            start.record()
            step()
            end.record()
            end.synchronize()
            times.append(start.elapsed_time(end))
        else:
            t0 = time.perf_counter()
            step()
            times.append((time.perf_counter() - t0) * 1e3)
    return times


def device_name(device):
    if device == "cuda":
        return torch.cuda.get_device_name()
    try:
        with open("/proc/cpuinfo") as f:
            for line in f:
                if line.startswith("model name"):
                    return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.machine()


def scaled(shape, scale):
    T, d, experts, k, expert_size = shape
    return (max(1, T // scale), max(1, d // scale), experts, k, max(1, expert_size // scale))


def bench_case(args, config, precision, impl):
    """One JSON record: the shapes and the times of one model."""
    shape = scaled(CONFIGS[config], args.scale)
    if args.tokens:
        shape = (args.tokens,) + shape[1:]
    T, d, experts, k, expert_size = shape
    label = config if args.scale == 1 else f"{config}/{args.scale}"
    record = {"config": label if not args.tokens else f"{label}@T={T}", "impl": impl,
              "T": T, "d": d, "E": experts, "k": k, "G": expert_size, "precision": precision,
              "device": args.device, "device_name": device_name(args.device), "torch": torch.__version__,
              "scale": args.scale, "warmup": args.warmup, "repeats": args.runs, "seed": args.seed}
    if args.device == "cuda":
        torch.cuda.empty_cache()
    try:
        torch.manual_seed(args.seed)
        dtype = DTYPES[precision]
        x = torch.randn(T, d, device=args.device).to(dtype).requires_grad_(True)
        dy = torch.randn(T, d, device=args.device).to(dtype)
        model = make_model(impl, shape).to(device=args.device, dtype=dtype)
        times = time_ms(fwd_bwd_step(model, x, dy), args.device, args.warmup, args.runs)
        record.update(ms_median=round(statistics.median(times), 4), ms_min=round(min(times), 4))
    except RuntimeError as e:  # torch.cuda.OutOfMemoryError is a RuntimeError
        record.update(error=str(e).splitlines()[0], out_of_memory="out of memory" in str(e))
    return record


def run_benchmark(args):
    failed = False
    for config in args.configs:
        for precision in args.dtypes:
            for impl in ("torch-dense", "torch-moe-loop"):
                record = bench_case(args, config, precision, impl)
                failed |= "error" in record and not record["out_of_memory"]
                print(json.dumps(record), flush=True)
    return 1 if failed else 0


def check_case(device, seed, shape):
    """Largest relative difference of Y, dX and the weight gradients, loop vs reference, in fp64."""
    T, d, experts, k, expert_size = shape
    torch.manual_seed(seed)
    moe = LoopMoE(d, experts, k, expert_size).to(device=device, dtype=torch.float64)
    x = torch.randn(T, d, device=device, dtype=torch.float64, requires_grad=True)
    dy = torch.randn(T, d, device=device, dtype=torch.float64)
    loop = gradients(moe, x, dy, moe)
    reference = gradients(moe, x, dy, lambda inputs: reference_moe(moe, inputs))
    return max(((a - b).abs().max() / b.abs().max()).item() for a, b in zip(loop, reference))


def run_check(args):
    tolerance = 1e-10
    # an even spread of tokens, and more experts than routed pairs (experts without tokens)
    shapes = [(96, 24, 8, 3, 16), (10, 12, 64, 2, 5)]
    failed = False
    for shape in shapes:
        diff = check_case(args.device, args.seed, shape)
        ok = diff <= tolerance
        failed |= not ok
        T, d, experts, k, expert_size = shape
        print(json.dumps({"check": "pass" if ok else "fail", "impl": "torch-moe-loop", "device": args.device,
                          "T": T, "d": d, "E": experts, "k": k, "G": expert_size, "precision": "fp64",
                          "compared": "Y, dX, dRouter, dW1, dW2", "max_rel_diff": diff, "tolerance": tolerance,
                          "torch": torch.__version__}), flush=True)
    return 1 if failed else 0


def parse_args(argv):
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--device", choices=["cuda", "cpu"], default="cuda")
    p.add_argument("--configs", default="A,B", type=lambda s: s.split(","))
    p.add_argument("--dtypes", default="fp32,bf16", type=lambda s: s.split(","))
    p.add_argument("--runs", type=int, default=10)
    p.add_argument("--warmup", type=int, default=3)
    p.add_argument("--scale", type=int, default=1)
    p.add_argument("--tokens", type=int, default=0, help="T instead of the config's (after --scale)")
    p.add_argument("--seed", type=int, default=1)
    p.add_argument("--check", action="store_true", help="compare the loop MoE with a reference and exit")
    args = p.parse_args(argv)
    for name, values, known in (("--configs", args.configs, CONFIGS), ("--dtypes", args.dtypes, DTYPES)):
        unknown = [v for v in values if v not in known]
        if unknown:
            p.error(f"{name}: unknown {', '.join(unknown)} (known: {', '.join(known)})")
    if args.runs < 1 or args.warmup < 0 or args.scale < 1:
        p.error("--runs and --scale must be at least 1, --warmup at least 0")
    if args.device == "cuda" and not torch.cuda.is_available():
        p.error(f"--device cuda: torch {torch.__version__} sees no CUDA device")
    return args


def main(argv):
    args = parse_args(argv)
    torch.set_float32_matmul_precision("highest")  # no TF32, like moe's cuBLAS calls
    return run_check(args) if args.check else run_benchmark(args)


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
