#!/usr/bin/python3
"""Writes the logistic-regression benchmark data in Stan's data-JSON format: {N, D, X (N×D), y (N, 0/1)}.

Deterministic for a seed (numpy's PCG64): X[n, d] ~ normal(0, 1); alpha = 0.5 and beta[d] ~ normal(0, 1) are the
true values; y[n] ~ Bernoulli(logit⁻¹(alpha + X[n]·beta)). Both Stan and Vinfer read the same file.
Usage: /usr/bin/python3 bench/peers/make_logreg_data.py OUT.json [--n 10000] [--d 20] [--seed 20261122]
"""
import argparse
import json
import os
import sys

import numpy as np


def main() -> int:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("out")
    p.add_argument("--n", type=int, default=10_000)
    p.add_argument("--d", type=int, default=20)
    p.add_argument("--seed", type=int, default=20261122)
    a = p.parse_args()
    if a.n < 1 or a.d < 1:
        print(f"make_logreg_data.py: --n and --d must be positive, got n={a.n}, d={a.d}", file=sys.stderr)
        return 2
    rng = np.random.Generator(np.random.PCG64(a.seed))
    x = rng.standard_normal((a.n, a.d))
    alpha = 0.5
    beta = rng.standard_normal(a.d)
    eta = alpha + x @ beta
    y = (rng.uniform(size=a.n) < 1.0 / (1.0 + np.exp(-eta))).astype(int)
    data = {"N": a.n, "D": a.d, "X": [[float(f"{v:.17g}") for v in row] for row in x], "y": y.tolist()}
    tmp = a.out + ".tmp"
    with open(tmp, "w") as f:
        json.dump(data, f, separators=(",", ":"))
    os.replace(tmp, a.out)
    return 0


if __name__ == "__main__":
    sys.exit(main())
