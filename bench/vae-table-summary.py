#!/usr/bin/python3
"""Summarizes the runs of bench/vae-table.sh in OUT as Markdown: per data set and number of stochastic layers, the test
log-likelihood of each objective and k as mean ± standard error over seeds (s.e. = sd / sqrt(n); a single seed shows
no s.e.), Vinfer beside the PyTorch reference, the seeds found and Vinfer's mean epoch seconds; then the orderings the
papers report as paired differences (same seed, same test images): mean ± s.e. over seeds and the per-seed values.
"Vinfer − PyTorch" pairs the two systems by seed: a PyTorch run with --seed S evaluates on Vinfer's binarized test set
of seed S (`vinfer data split --binarized-test`), so each difference compares two models on the same binary images;
mean ± s.e. over the seeds both systems have. A last line counts the cells within 0.5 nats.
Usage: vae-table-summary.py OUT
"""
import glob, json, math, os, sys
from collections import defaultdict

out = sys.argv[1]
runs = defaultdict(dict)   # (system, dataset, layers, objective, k) -> {seed: (test_ll, epoch_seconds, active_units, epochs, samples, images)}
binarizations = set()      # the PyTorch runs' test binarization: "vinfer" (the same binary images) or "pytorch" (its own draw)
within = []                # per cell with both systems: (dataset, layers, objective, k, mean paired difference)
all_paired = []            # every (cell, seed) Vinfer − PyTorch difference
train_bounds = defaultdict(dict)  # same keys as runs -> {seed: mean training bound of the last epoch}
for path in glob.glob(os.path.join(out, "vinfer-*", "results.json")):
    r = json.load(open(path)); s = r["settings"]
    runs[("vinfer", s["dataset"], s["layers"], s["objective"], s["k"])][s["seed"]] = (r["test_ll"], r["mean_epoch_seconds"], "/".join(map(str, r["active_units"])), r["epochs"], r["evaluation_samples"], r["test_images"])
    train_bounds[("vinfer", s["dataset"], s["layers"], s["objective"], s["k"])][s["seed"]] = r["curve"][-1]["train_bound"]
for path in glob.glob(os.path.join(out, "pytorch-*.json")):
    lines = [l for l in open(path).read().splitlines() if l.strip()]
    if not lines: continue
    r = json.loads(lines[-1])
    runs[("pytorch", r["dataset"], r["layers"], r["objective"], r["k"])][r["seed"]] = (r["test_ll"], r["mean_epoch_seconds"], "-", r["epochs"], r["eval_samples"], r["test_images"])
    log = path[:-len(".json")] + ".log"   # the peer's stderr: "epoch E: train bound B, S s" per epoch
    bounds = [float(l.split("train bound ")[1].split(",")[0]) for l in open(log)] if os.path.exists(log) else []
    if bounds: train_bounds[("pytorch", r["dataset"], r["layers"], r["objective"], r["k"])][r["seed"]] = bounds[-1]
    binarizations.add(r.get("test_binarization", "pytorch"))

def stats(values):
    n = len(values); m = sum(values) / n
    if n < 2: return m, None
    return m, math.sqrt(sum((v - m) ** 2 for v in values) / (n - 1) / n)

def fmt(values):
    if not values: return "–"
    m, se = stats(values)
    return f"{m:.2f}" if se is None else f"{m:.2f} ± {se:.2f}"

names = {"elbo": "VAE (ELBO)", "iwae": "IWAE", "vr-max": "VR-max", "vr": "VR α = 0.5"}
order = [("elbo", 1), ("elbo", 5), ("iwae", 5), ("vr-max", 5), ("vr", 5), ("elbo", 50), ("iwae", 50)]
for dataset in ("mnist", "fashion-mnist"):
    for layers in (1, 2):
        rows = [(o, k) for o, k in order if ("vinfer", dataset, layers, o, k) in runs or ("pytorch", dataset, layers, o, k) in runs]
        if not rows: continue
        print(f"\n### {dataset}, {layers} stochastic layer{'s' if layers == 2 else ''}\n")
        print("| objective | k | Vinfer test LL | seeds | per seed | PyTorch test LL | seeds | per seed | Vinfer − PyTorch (paired) | last epoch's train bound, Vinfer / PyTorch | Vinfer epoch s | PyTorch epoch s | active units |")
        print("|---|---:|---:|---|---|---:|---|---|---:|---|---:|---:|---|")
        for o, k in rows:
            v = runs.get(("vinfer", dataset, layers, o, k), {}); t = runs.get(("pytorch", dataset, layers, o, k), {})
            vs = [v[s][0] for s in sorted(v)]; ts = [t[s][0] for s in sorted(t)]
            both = sorted(set(v) & set(t))
            diff = "–"
            if both:
                paired = [v[s][0] - t[s][0] for s in both]
                m, se = stats(paired)
                diff = f"{m:+.2f}" if se is None else f"{m:+.2f} ± {se:.2f}"
                within.append((dataset, layers, o, k, stats(paired)[0]))
                all_paired.extend(paired)
            tb = [train_bounds.get((system, dataset, layers, o, k), {}) for system in ("vinfer", "pytorch")]
            bound = " / ".join(f"{sum(b.values()) / len(b):.2f}" if b else "–" for b in tb)
            secs = f"{sum(v[s][1] for s in v) / len(v):.1f}" if v else "–"
            tsecs = f"{sum(t[s][1] for s in t) / len(t):.1f}" if t else "–"
            print(f"| {names[o]} | {k} | {fmt(vs)} | {','.join(map(str, sorted(v))) or '–'} | {' / '.join(f'{x:.2f}' for x in vs) or '–'} | {fmt(ts)} | {','.join(map(str, sorted(t))) or '–'} | {' / '.join(f'{x:.2f}' for x in ts) or '–'} | {diff} | {bound} | {secs} | {tsecs} | {' '.join(v[s][2] for s in sorted(v)) or '–'} |")
        comparisons = [("IWAE k=5 − VAE k=5", ("iwae", 5), ("elbo", 5)), ("IWAE k=5 − IWAE k=1 (= VAE k=1)", ("iwae", 5), ("elbo", 1)),
                       ("IWAE k=50 − IWAE k=5", ("iwae", 50), ("iwae", 5)), ("IWAE k=50 − VAE k=50", ("iwae", 50), ("elbo", 50)),
                       ("VAE k=5 − VAE k=1", ("elbo", 5), ("elbo", 1)),
                       ("VR-max k=5 − IWAE k=5", ("vr-max", 5), ("iwae", 5)), ("VR α=0.5 k=5 − VAE k=5", ("vr", 5), ("elbo", 5)),
                       ("IWAE k=5 − VR α=0.5 k=5", ("iwae", 5), ("vr", 5))]
        lines = []
        for system in ("vinfer", "pytorch"):
            for label, a, b in comparisons:
                ra = runs.get((system, dataset, layers) + a, {}); rb = runs.get((system, dataset, layers) + b, {})
                seeds = sorted(set(ra) & set(rb))
                if not seeds: continue
                d = [ra[s][0] - rb[s][0] for s in seeds]
                lines.append(f"| {system} | {label} | {fmt(d)} | {','.join(map(str, seeds))} | {' / '.join(f'{x:+.2f}' for x in d)} |")
        if lines:
            print("\n| system | paired difference | mean ± s.e. | seeds | per seed |\n|---|---|---:|---|---|")
            print("\n".join(lines))
settings = {(r[3], r[4], r[5]) for v in runs.values() for r in v.values()}
print("\n(epochs, importance samples, test images) of the runs: " + ", ".join(map(str, sorted(settings))))
if within:
    close = [c for c in within if abs(c[4]) <= 0.5]
    print(f"\nPyTorch within 0.5 nats of Vinfer (mean paired difference): {len(close)} of {len(within)} cells; PyTorch test binarization: {', '.join(sorted(binarizations))}.")
    m, se = stats(all_paired)
    print(f"Over all {len(all_paired)} paired (cell, seed) differences: Vinfer − PyTorch = {m:+.2f} ± {se:.2f} nats (mean ± s.e.; sd {se * math.sqrt(len(all_paired)):.2f}).")
