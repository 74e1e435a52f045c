#!/usr/bin/python3
"""LDA at scale: draws a corpus from the W4 true topics (alpha = 0.1, Poisson(100) words per document) with D documents,
writes it as doc,word,count CSV, and times scikit-learn's LatentDirichletAllocation (K = 20, priors 1/K) for a few
batch iterations and one online pass, reporting seconds per iteration and peak memory (ru_maxrss) as one JSON line.

Usage: /usr/bin/python3 bench/peers/lda_scale_sklearn.py --docs 50000 --out corpus.csv [--batch-iters 2]
"""
import argparse
import json
import os
import resource
import time

import numpy as np
import scipy.sparse as sp
from sklearn.decomposition import LatentDirichletAllocation

ap = argparse.ArgumentParser()
ap.add_argument("--docs", type=int, default=50000)
ap.add_argument("--out", required=True)
ap.add_argument("--batch-iters", type=int, default=2)
ap.add_argument("--peers", default="/work/shared/peers")
args = ap.parse_args()

topics = np.loadtxt(os.path.join(args.peers, "data", "w4_lda_true_topics.csv"), delimiter=",", skiprows=1)
K, V = topics.shape
rng = np.random.default_rng(50)
theta = rng.dirichlet(np.full(K, 0.1), size=args.docs)
lengths = rng.poisson(100, size=args.docs)
rows, cols, vals = [], [], []
for d in range(args.docs):
    p = theta[d] @ topics
    words = rng.choice(V, size=lengths[d], p=p / p.sum())
    u, c = np.unique(words, return_counts=True)
    rows.append(np.full(len(u), d)); cols.append(u); vals.append(c)
rows, cols, vals = np.concatenate(rows), np.concatenate(cols), np.concatenate(vals)
with open(args.out, "w") as f:
    f.write("doc,word,count\n")
    np.savetxt(f, np.column_stack([rows, cols, vals]), fmt="%d", delimiter=",")
X = sp.csr_matrix((vals.astype(float), (rows, cols)), shape=(args.docs, V))

out = dict(system="sklearn", docs=args.docs, tokens=int(vals.sum()), K=K, V=V)
for method, iters in (("batch", args.batch_iters), ("online", 1)):
    lda = LatentDirichletAllocation(n_components=K, learning_method=method, max_iter=iters, random_state=0)
    t0, c0 = time.perf_counter(), time.process_time()
    lda.fit(X)
    wall, cpu = time.perf_counter() - t0, time.process_time() - c0
    out[f"{method}_seconds_per_pass"] = wall / iters
    out[f"{method}_cpu_seconds_per_pass"] = cpu / iters
out["peak_rss_mb"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
out["loadavg1_end"] = os.getloadavg()[0]
print(json.dumps(out), flush=True)
