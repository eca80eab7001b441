#!/usr/bin/env python3
"""PyTorch peer of `moe nn-train --arch transformer`: training tokens per second of the
same causal byte-level transformer, written the plain way most code writes it.

    /usr/bin/python3 bench/transformer/torch_lm.py --router sigma|dense --width D --layers L
        --heads H --context T --batch-size B --experts E --k K --expert-size G --vocabulary V
        --steps N [--threads N] [--seed N]

One JSON line: the configuration, parameters, seconds of the timed steps and tokens per second
(B T tokens per step). The model, as moe::nn::LanguageModel with --positions both:
  byte embedding + learned positions (both N(0, 1)), L pre-LayerNorm blocks
  h += Wo · attention(LN(h)) with causal softmax(Q Kᵀ / √d_h − m_h (i − j)) (ALiBi, m_h = 2^(−8h/H)),
  h += FFN(LN(h)), a final LayerNorm and an untied head; no biases in Q, K, V or the experts.
  dense FFN: ReLU(x W1) W2, d_ff = E G (as moe's dense block).
  sigma-MoE: sigmoid gates of x R, the top k kept (not renormalized), a Python loop over the
  experts: each takes its tokens by index, ReLU(x W1_e) W2_e times its gate, index_add_ into y.
A step: random windows (the data do not change the time), cross-entropy, backward, gradient
clipping to norm 1, AdamW (lr 1e-3, weight decay 0.01). Two untimed warm-up steps first.
Needs Debian's python3-torch (PyTorch 1.13); used by the benchmarks only.
"""
import argparse
import json
import math
import time

import torch


class Attention(torch.nn.Module):
    def __init__(self, d, heads, context):
        super().__init__()
        self.heads = heads
        self.qkv = torch.nn.Linear(d, 3 * d, bias=False)
        self.out = torch.nn.Linear(d, d)
        position = torch.arange(context, dtype=torch.float32)
        distance = (position[:, None] - position[None, :]).clamp(min=0)
        slopes = torch.tensor([2.0 ** (-8.0 * (h + 1) / heads) for h in range(heads)])
        bias = -slopes[:, None, None] * distance
        mask = torch.triu(torch.ones(context, context, dtype=torch.bool), 1)
        self.register_buffer("bias", bias.masked_fill(mask, float("-inf")))

    def forward(self, x):
        b, t, d = x.shape
        q, k, v = self.qkv(x).split(d, dim=2)
        shape = (b, t, self.heads, d // self.heads)
        q, k, v = (z.view(shape).transpose(1, 2) for z in (q, k, v))
        scores = q @ k.transpose(-2, -1) / math.sqrt(d // self.heads) + self.bias
        o = torch.softmax(scores, dim=-1) @ v
        return self.out(o.transpose(1, 2).reshape(b, t, d))


class DenseFFN(torch.nn.Module):
    def __init__(self, d, hidden):
        super().__init__()
        self.w1 = torch.nn.Linear(d, hidden, bias=False)
        self.w2 = torch.nn.Linear(hidden, d, bias=False)

    def forward(self, x):
        return self.w2(torch.relu(self.w1(x)))


class SigmaMoE(torch.nn.Module):
    def __init__(self, d, experts, k, size):
        super().__init__()
        self.k = k
        self.router = torch.nn.Linear(d, experts, bias=False)
        self.w1 = torch.nn.Parameter(torch.randn(experts, d, size) / math.sqrt(d))
        self.w2 = torch.nn.Parameter(torch.randn(experts, size, d) / math.sqrt(experts * size))

    def forward(self, x):
        shape = x.shape
        x = x.reshape(-1, shape[-1])
        gates, chosen = torch.sigmoid(self.router(x)).topk(self.k, dim=-1)
        y = torch.zeros_like(x)
        for e in range(self.w1.shape[0]):
            token, slot = (chosen == e).nonzero(as_tuple=True)
            if token.numel() == 0:
                continue
            h = torch.relu(x[token] @ self.w1[e]) @ self.w2[e]
            y.index_add_(0, token, h * gates[token, slot].unsqueeze(1))
        return y.view(shape)


class Block(torch.nn.Module):
    def __init__(self, a):
        super().__init__()
        self.norm1 = torch.nn.LayerNorm(a.width)
        self.attention = Attention(a.width, a.heads, a.context)
        self.norm2 = torch.nn.LayerNorm(a.width)
        if a.router == "dense":
            self.ffn = DenseFFN(a.width, a.experts * a.expert_size)
        else:
            self.ffn = SigmaMoE(a.width, a.experts, a.k, a.expert_size)

    def forward(self, h):
        h = h + self.attention(self.norm1(h))
        return h + self.ffn(self.norm2(h))


class LanguageModel(torch.nn.Module):
    def __init__(self, a):
        super().__init__()
        self.embedding = torch.nn.Parameter(torch.randn(a.vocabulary, a.width))
        self.positions = torch.nn.Parameter(torch.randn(a.context, a.width))
        self.blocks = torch.nn.ModuleList(Block(a) for _ in range(a.layers))
        self.norm = torch.nn.LayerNorm(a.width)
        self.head = torch.nn.Linear(a.width, a.vocabulary)

    def forward(self, tokens):
        h = self.embedding[tokens] + self.positions
        for block in self.blocks:
            h = block(h)
        return self.head(self.norm(h))


def main():
    p = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    p.add_argument("--router", choices=["sigma", "dense"], default="sigma")
    for name, default in [("width", 96), ("layers", 3), ("heads", 4), ("context", 32), ("batch-size", 2),
                          ("experts", 8), ("k", 2), ("expert-size", 32), ("vocabulary", 82), ("steps", 200),
                          ("threads", 1), ("seed", 1)]:
        p.add_argument("--" + name, type=int, default=default)
    a = p.parse_args()
    torch.manual_seed(a.seed)
    torch.set_num_threads(a.threads)
    model = LanguageModel(a)
    optimizer = torch.optim.AdamW(model.parameters(), lr=1e-3, weight_decay=0.01)

    def step():
        tokens = torch.randint(a.vocabulary, (a.batch_size, a.context + 1))
        logits = model(tokens[:, :-1])
        loss = torch.nn.functional.cross_entropy(logits.reshape(-1, a.vocabulary), tokens[:, 1:].reshape(-1))
        optimizer.zero_grad(set_to_none=True)
        loss.backward()
        torch.nn.utils.clip_grad_norm_(model.parameters(), 1.0)
        optimizer.step()

    for _ in range(2):
        step()
    start = time.perf_counter()
    for _ in range(a.steps):
        step()
    seconds = time.perf_counter() - start
    config = {k.replace("-", "_"): v for k, v in vars(a).items()}
    print(json.dumps({"impl": "torch", "torch": torch.__version__, **config,
                      "parameters": sum(t.numel() for t in model.parameters()), "seconds": seconds,
                      "tokens_per_second": a.steps * a.batch_size * a.context / seconds}))


if __name__ == "__main__":
    main()
