"""SVGD on Neal's funnel (d = 10) in numpy: the diagnosis and the preconditioning remedies of docs/flows.md
("Session 6: SVGD on the funnel"). Same algorithm as Vinfer's `--family svgd` (RBF with h = med^2/log n or IMQ with
h = med^2, particles from N(0, I), RMSProp with decay 0.9, eps 1e-6, rate 0.05, 3,000 steps), plus what Vinfer does
not have: preconditioned (matrix-valued) kernels of Wang, Tang, Bajaj & Liu (ICML 2019).

  /usr/bin/python3 bench/peers/svgd_funnel_lab.py '{"seed": 1, "kernel": "imq", "precond": "cov"}'

precond: "none"; "diag" / "cov": a constant-per-step preconditioner Q^-1 from the particles' variances / covariance
(SVGD in the whitened coordinates, Q^-1 = L L^T, phi_x = L phi_z); a list of d sds: a fixed diagonal preconditioner
(the exact sds [3, e^(9/4), ...] are the oracle); "mixture": mixture preconditioning with m anchors (random particles,
redrawn every step) and the funnel's Fisher metric G(v) = diag(1/9 + (d-1)/2, e^-v, ...) as anchor matrices.
opt: "rms" (Vinfer's), "adagrad" (Liu & Wang's code: the first step's squared gradient as history), "sgd".
Prints the moments against the exact ones: v ~ N(0, 3^2), x_i with sd e^(9/4).
'{"exact": true, "n": 100}' prints instead what n exact draws give (4,000 replications): the noise floor of n particles.
"""
import json
import sys

import numpy as np

D = 10


def score(X):
    v, x = X[:, 0], X[:, 1:]
    e = np.exp(-v)
    s = np.empty_like(X)
    s[:, 0] = -v / 9 - (D - 1) / 2 + 0.5 * (x ** 2).sum(1) * e
    s[:, 1:] = -x * e[:, None]
    return s


def sqd(X):
    n = (X ** 2).sum(1)
    d = n[:, None] + n[None, :] - 2 * X @ X.T
    np.fill_diagonal(d, 0)
    return np.maximum(d, 0)


def direction(X, S, kernel, parts=False, weights=None):
    """phi_i = (1/n) sum_j w_j [k(x_j, x_i) s_j + grad_{x_j} k(x_j, x_i)] (w = 1 unless a mixture anchor weights it)."""
    n = len(X)
    r = sqd(X)
    med = np.median(r[np.triu_indices(n, 1)])
    if kernel == "rbf":
        h = med / np.log(n)
        K = np.exp(-r / h)
        M = K * 2 / h
    else:
        h = med
        b = r / h + 1
        K = b ** -0.5
        M = b ** -1.5 / h
    if weights is not None:
        K = K * weights[None, :]
        M = M * weights[None, :]
    drive = K @ S / n
    rep = (X * M.sum(1, keepdims=True) - M @ X) / n
    return (drive, rep) if parts else drive + rep


def fisher(Z):
    q = np.empty_like(Z)
    q[:, 0] = 1 / 9 + (D - 1) / 2
    q[:, 1:] = np.exp(-Z[:, 0])[:, None]
    return q


def mixture_direction(X, S, kernel, m, rng):
    n = len(X)
    A = X[rng.choice(n, m, replace=False)]
    Q = fisher(A)
    diff = X[:, None, :] - A[None, :, :]
    logN = -0.5 * (diff ** 2 * Q[None]).sum(2) + 0.5 * np.log(Q).sum(1)[None]
    W = np.exp(logN - np.logaddexp.reduce(logN, axis=1, keepdims=True))
    gradlogN = -diff * Q[None]
    gradlogW = gradlogN - (W[:, :, None] * gradlogN).sum(1, keepdims=True)
    phi = np.zeros_like(X)
    for l in range(m):
        s = np.sqrt(Q[l])
        # w_l(x') [k grad log p + grad k] + k grad w_l = w_l [k grad log(p w_l) + grad k], in Q_l-whitened coordinates
        py = direction(X * s, (S + gradlogW[:, l]) / s, kernel, weights=W[:, l])
        phi += W[:, l][:, None] * py / s
    return phi


def run(n=100, steps=3000, seed=1, kernel="rbf", precond="none", lr=0.05, opt="rms", decay=0, anchors=10):
    rng = np.random.default_rng(seed)
    X = rng.standard_normal((n, D))
    sq = np.zeros_like(X)
    for t in range(steps):
        S = score(X)
        if precond == "cov":
            L = np.linalg.cholesky(np.cov(X.T) + 1e-9 * np.eye(D))
            phi = direction(np.linalg.solve(L, X.T).T, S @ L, kernel) @ L.T
        elif precond == "diag":
            sd = X.std(0)
            phi = direction(X / sd, S * sd, kernel) * sd
        elif precond == "mixture":
            phi = mixture_direction(X, S, kernel, anchors, rng)
        elif isinstance(precond, list):
            sd = np.array(precond)
            phi = direction(X / sd, S * sd, kernel) * sd
        else:
            phi = direction(X, S, kernel)
        g = -phi
        if opt == "rms":
            sq = 0.9 * sq + 0.1 * g * g
            X = X - lr / (1 + decay * t) * g / (np.sqrt(sq) + 1e-6)
        elif opt == "adagrad":
            sq = g * g if t == 0 else 0.9 * sq + 0.1 * g * g
            X = X - lr * g / (np.sqrt(sq) + 1e-6)
        else:
            X = X - lr * g
    return X


def report(X):
    v, x = X[:, 0], X[:, 1:]
    sx = np.exp(9 / 4)
    return {"v_mean_err_sd": round(v.mean() / 3, 3), "v_sd_ratio": round(v.std(ddof=1) / 3, 3),
            "x_max_mean_err_sd": round(float(np.abs(x.mean(0)).max() / sx), 3),
            "x_sd_ratio": [round(float(a), 3) for a in (x.std(0, ddof=1).min() / sx, x.std(0, ddof=1).max() / sx)]}


def exact(n=100, replications=4000, seed=0):
    rng = np.random.default_rng(seed)
    xs, vs, ms = [], [], []
    for _ in range(replications):
        v = 3 * rng.standard_normal(n)
        x = np.exp(v / 2) * rng.standard_normal(n)
        xs.append(x.std(ddof=1) / np.exp(9 / 4))
        vs.append(v.std(ddof=1) / 3)
        ms.append(abs(x.mean()) / np.exp(9 / 4))
    q = lambda a, p: [round(float(t), 3) for t in np.quantile(a, p)]
    return {"x_sd_ratio_median_5_95": q(xs, [0.5, 0.05, 0.95]), "v_sd_ratio_5_95": q(vs, [0.05, 0.95]),
            "x_abs_mean_err_sd_median_95": q(ms, [0.5, 0.95])}


if __name__ == "__main__":
    kw = json.loads(sys.argv[1]) if len(sys.argv) > 1 else {}
    if kw.pop("exact", False):
        print(json.dumps(kw), json.dumps(exact(**kw)))
        sys.exit(0)
    print(json.dumps(kw), json.dumps(report(run(**kw))))
