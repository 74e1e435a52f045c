#!/usr/bin/python3
"""PyTorch peer of `vinfer bench dist`: sum of log_prob and its gradient w.r.t. the parameters, float64, CPU.

Same workloads: Normal(loc, scale) and Gamma(concentration, rate) with 1e6-entry parameters at 1e6 values;
Dirichlet with concentrations (1e5, 10) at 1e5 simplex points. Best time over the repeats, for each of 1 and 2
threads (the best of the two is reported as `ns_per_value`). Prints one JSON line per workload.
"""
import argparse, json, time
import torch

def best_time(repeats, loss_fn, params):
    best = float("inf")
    for i in range(repeats + 2):
        for p in params:
            p.grad = None
        t0 = time.perf_counter()
        loss = loss_fn()
        loss.backward()
        dt = time.perf_counter() - t0
        if i >= 2:
            best = min(best, dt)
    return best

def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--repeats", type=int, default=20)
    ap.add_argument("--size", type=int, default=1_000_000)
    a = ap.parse_args()
    n = a.size
    torch.manual_seed(20261122)
    D = torch.distributions
    dt = torch.float64
    def U(lo, hi, *shape):
        return lo + (hi - lo) * torch.rand(*shape, dtype=dt)
    loc = U(-1, 1, n).requires_grad_(); scale = U(0.5, 2, n).requires_grad_(); x = U(-3, 3, n)
    conc = U(0.5, 5, n).requires_grad_(); rate = U(0.5, 2, n).requires_grad_(); g = U(0.1, 5, n)
    rows = n // 10
    alpha = U(0.5, 5, rows, 10).requires_grad_(); pts = U(0.1, 1, rows, 10); pts = pts / pts.sum(-1, keepdim=True)
    work = {
        "normal": (lambda: D.Normal(loc, scale, validate_args=False).log_prob(x).sum(), [loc, scale]),
        "gamma": (lambda: D.Gamma(conc, rate, validate_args=False).log_prob(g).sum(), [conc, rate]),
        "dirichlet": (lambda: D.Dirichlet(alpha, validate_args=False).log_prob(pts).sum(), [alpha]),
    }
    for name, (fn, params) in work.items():
        per = {}
        for threads in (1, 2):
            torch.set_num_threads(threads)
            per[threads] = best_time(a.repeats, fn, params)
        best = min(per.values())
        print(json.dumps({"name": name, "n": n, "ns_per_value": best * 1e9 / n, "seconds": best,
                          "seconds_1_thread": per[1], "seconds_2_threads": per[2], "peer": "torch " + torch.__version__}), flush=True)

if __name__ == "__main__":
    main()
