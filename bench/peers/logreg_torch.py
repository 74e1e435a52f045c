#!/usr/bin/env python3
"""PyTorch (CPU) peer of `vinfer bench ad`: the same workloads, printed as JSON lines.

logreg_grad: gradient with respect to (alpha, beta) of the Bayesian logistic-regression log joint
  sum_s [ sum_i log Bernoulli(y_i | sigmoid(alpha_s + x_i . beta_s)) + log N(beta_s | 0, I) + log N(alpha_s | 0, 1) ]
  for N = 100,000, D = 100 and S = 1 or 16 samples at once (one evaluation covers all S), through autograd,
  with the fused binary_cross_entropy_with_logits (PyTorch's best case). Data as in Vinfer: X ~ N(0, 1),
  true coefficients ~ N(0, 1/D), y ~ Bernoulli(sigmoid(X beta*)); evaluation point beta, alpha ~ N(0, 0.1^2).
tiny_op: a chain of 1,000 alternating multiplies and adds on 2-element tensors that require grad, summed,
  then backward; total time over the number of forward ops.

PyTorch gets its best setup: OPENBLAS_NUM_THREADS=1 (set before import), intra-op thread counts 1 and 2 both
timed, the faster reported (field "threads"). Each figure is the median of --reps timed batches after a warm-up.
"""
import argparse
import json
import math
import os
import statistics
import sys
import time

os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")
os.environ.setdefault("OMP_NUM_THREADS", "2")

import torch  # noqa: E402
import torch.nn.functional as F  # noqa: E402

N, D = 100_000, 100


def rate(work, reps, target_seconds=0.2):
    """Calls per second: warm up, choose a batch lasting ~target_seconds, median over reps batches."""
    start = time.perf_counter()
    warm = 0
    while warm < 3 or time.perf_counter() - start < 0.1:
        work()
        warm += 1
    per_call = (time.perf_counter() - start) / warm
    batch = max(1, min(1_000_000, int(target_seconds / per_call)))
    rates = []
    for _ in range(reps):
        t0 = time.perf_counter()
        for _ in range(batch):
            work()
        rates.append(batch / (time.perf_counter() - t0))
    return statistics.median(rates)


def make_data(seed):
    g = torch.Generator().manual_seed(seed)
    x = torch.randn(N, D, generator=g, dtype=torch.float64)
    truth = torch.randn(D, generator=g, dtype=torch.float64) / math.sqrt(D)
    u = torch.rand(N, generator=g, dtype=torch.float64)
    y = (u < torch.sigmoid(x @ truth)).to(torch.float64)
    return x, y


def logreg_rate(x, y, s, reps):
    g = torch.Generator().manual_seed(7 + s)
    if s == 1:
        beta = (0.1 * torch.randn(D, generator=g, dtype=torch.float64)).requires_grad_()
        alpha = (0.1 * torch.randn((), generator=g, dtype=torch.float64)).requires_grad_()
        target = y
    else:
        beta = (0.1 * torch.randn(D, s, generator=g, dtype=torch.float64)).requires_grad_()
        alpha = (0.1 * torch.randn(s, generator=g, dtype=torch.float64)).requires_grad_()
        target = y.unsqueeze(1).expand(N, s)
    log_normal_constant = -0.5 * math.log(2 * math.pi) * (D + 1) * s

    def gradient():
        eta = torch.addmm(alpha.unsqueeze(0), x, beta) if s > 1 else torch.addmv(alpha, x, beta)
        likelihood = -F.binary_cross_entropy_with_logits(eta, target, reduction="sum")
        prior = -0.5 * (beta.square().sum() + alpha.square().sum()) + log_normal_constant
        torch.autograd.grad(likelihood + prior, (alpha, beta))

    return rate(gradient, reps)


def tiny_op_ns(reps):
    pairs = 500
    a = torch.tensor([0.5, -0.25], dtype=torch.float64, requires_grad=True)
    b = torch.tensor([0.999, 1.001], dtype=torch.float64, requires_grad=True)

    def chain():
        t = a
        for _ in range(pairs):
            t = t * b + a
        torch.autograd.grad(t.sum(), (a, b))

    return 1e9 / rate(chain, reps) / (2 * pairs + 1)


def best_over_threads(measure, faster_is_larger=True):
    results = []
    for threads in (1, 2):
        torch.set_num_threads(threads)
        results.append((measure(), threads))
    torch.set_num_threads(1)
    return max(results) if faster_is_larger else min(results)


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--reps", type=int, default=7, help="timed repetitions per workload (median reported)")
    args = parser.parse_args()
    if args.reps < 1:
        print(f"logreg_torch.py: --reps must be at least 1, got {args.reps}", file=sys.stderr)
        return 2
    x, y = make_data(20261122)
    for s in (1, 16):
        grads, threads = best_over_threads(lambda: logreg_rate(x, y, s, args.reps))
        print(json.dumps({"name": "logreg_grad", "n": N, "d": D, "s": s, "grads_per_sec": round(grads, 4),
                          "threads": threads, "torch": torch.__version__}), flush=True)
    ns, threads = best_over_threads(lambda: tiny_op_ns(args.reps), faster_is_larger=False)
    print(json.dumps({"name": "tiny_op", "ns_per_op": round(ns, 2), "threads": threads, "torch": torch.__version__}),
          flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
