#!/usr/bin/env bash
# W3 variational Bayesian Gaussian mixtures: scikit-learn's BayesianGaussianMixture (the peers' script
# /work/shared/peers/py/w3_bgmm.py) and `vinfer fit gmm` on the same data sets, in the same run, at equal settings:
# K = 10, full covariances, Dirichlet-process weights, scikit-learn's default priors, k-means initialization (one
# run, k-means++), stop when the lower bound changes by less than 1e-3 (absolute) or after 1000 iterations. Prints
# both sides' wall time and their ratio, iterations, the bound each reached (Vinfer's ELBO shifted to scikit-learn's
# convention, which drops constants), ARI and mean log-likelihood. Then the scaling run: N = 1,000,000 points drawn
# from the 2-D set's true mixture, a fixed 20 iterations each side, seconds per iteration and peak memory (max RSS).
# Usage: bench/compare-gmm.sh [--sets "2d 10d"] [--no-scaling]
# Environment: PEERS (default /work/shared/peers), PYTHON (default /usr/bin/python3, which must import sklearn),
# CONFIGURATION.
set -euo pipefail
cd "$(dirname "$0")/.."

sets="2d 10d"; scaling=1
while [[ $# -gt 0 ]]; do
  case $1 in
    --sets) [[ $# -ge 2 ]] || { echo "compare-gmm.sh: --sets needs a value such as \"2d 10d\"" >&2; exit 2; }; sets=$2; shift 2 ;;
    --no-scaling) scaling=0; shift ;;
    *) echo "compare-gmm.sh: usage: bench/compare-gmm.sh [--sets \"2d 10d\"] [--no-scaling]; got: $1" >&2; exit 2 ;;
  esac
done
peers=${PEERS:-/work/shared/peers}
python=${PYTHON:-/usr/bin/python3}
if ! "$python" -c 'import sklearn' 2>/dev/null; then
  echo "compare-gmm.sh: $python cannot import sklearn; install Debian's python3-sklearn (apt-get install -y python3-sklearn) or set PYTHON." >&2
  exit 1
fi

configuration=${CONFIGURATION:-Release}
dotnet build src/Vinfer.Cli/Vinfer.Cli.csproj -c "$configuration" -v quiet -nologo >/dev/null
dll=src/Vinfer.Cli/bin/$configuration/net10.0/Vinfer.Cli.dll
workdir=$(mktemp -d)
trap 'rm -rf "$workdir"' EXIT
export PEERS_RESULTS=$workdir

load() { echo "load average (1/5/15 min): $(cut -d' ' -f1-3 /proc/loadavg) on $(nproc) cores"; }
# Runs a command under GNU time's -v when available, leaving its peak memory in $2.
measure() { local out=$1 rss=$2; shift 2
  if [[ -x /usr/bin/time ]]; then /usr/bin/time -v -o "$rss" "$@" >"$out"; else "$@" >"$out"; echo "Maximum resident set size (kbytes): 0" >"$rss"; fi; }

echo "# $(date -u +%FT%TZ) $(load)"
for set in $sets; do
  data=$peers/data/w3_gmm_$set.csv
  echo "# $set: scikit-learn ($python py/w3_bgmm.py --reps 1 --sets $set) — $(load)"
  (cd "$peers" && measure "$workdir/sk_$set.json" "$workdir/sk_$set.rss" "$python" py/w3_bgmm.py --reps 1 --sets "$set")
  tail -n 1 "$workdir/sk_$set.json"
  echo "# $set: vinfer fit gmm --data $data --components 10 --covariance full --prior dp --method cavi --seed 0 — $(load)"
  measure "$workdir/vi_$set.txt" "$workdir/vi_$set.rss" dotnet "$dll" fit gmm --data "$data" --components 10 --covariance full --prior dp --method cavi --seed 0 --out "$workdir/vi_$set"
  cat "$workdir/vi_$set.txt"
done

if [[ $scaling == 1 ]]; then
  echo "# scaling: N = 1,000,000 points from the 2-D set's true mixture (meta.json), 20 iterations each side — $(load)"
  "$python" - "$peers/data/meta.json" "$workdir/big.csv" <<'PY'
import json, sys
import numpy as np
m = json.load(open(sys.argv[1]))["W3_2d"]
rng = np.random.default_rng(1)
n = 1_000_000
z = rng.choice(len(m["weights"]), size=n, p=np.array(m["weights"]) / np.sum(m["weights"]))
x = np.empty((n, 2))
for k in range(len(m["weights"])):
    idx = np.flatnonzero(z == k)
    x[idx] = rng.multivariate_normal(m["means"][k], m["covs"][k], size=idx.size)
np.savetxt(sys.argv[2], np.column_stack([z, x]), delimiter=",", header="label,x1,x2", comments="", fmt=["%d", "%.6f", "%.6f"])
PY
  measure "$workdir/vi_big.txt" "$workdir/vi_big.rss" dotnet "$dll" fit gmm --data "$workdir/big.csv" --components 10 --max-iterations 20 --tol 0 --seed 0 --out "$workdir/vi_big"
  cat "$workdir/vi_big.txt"
  measure "$workdir/sk_big.json" "$workdir/sk_big.rss" "$python" - "$workdir/big.csv" <<'PY'
import json, sys, time, warnings
import numpy as np
from sklearn.mixture import BayesianGaussianMixture
x = np.loadtxt(sys.argv[1], delimiter=",", skiprows=1)[:, 1:]
m = BayesianGaussianMixture(n_components=10, covariance_type="full", max_iter=20, tol=0.0, random_state=0)
with warnings.catch_warnings():
    warnings.simplefilter("ignore")
    t0 = time.perf_counter(); m.fit(x); wall = time.perf_counter() - t0
print(json.dumps(dict(system="sklearn", n=x.shape[0], iters=int(m.n_iter_), wall_s=wall, final_lower_bound=float(m.lower_bound_))))
PY
  cat "$workdir/sk_big.json"
fi

"$python" - "$workdir" "$sets" "$scaling" <<'PY'
import json, os, re, sys
work, sets, scaling = sys.argv[1], sys.argv[2].split(), sys.argv[3] == "1"
def rss(path):
    for line in open(path):
        if "Maximum resident set size" in line: return int(line.split(":")[1]) / 1024
    return float("nan")
print()
print("| set | scikit-learn s | iters | converged | lower bound | Vinfer s | iters | converged | lower bound (sklearn conv.) | wall ratio sk/Vinfer | ARI sk / Vinfer | mean loglik sk / Vinfer / true | peak MB sk / Vinfer |")
print("|---|---|---|---|---|---|---|---|---|---|---|---|---|")
for s in sets:
    sk = json.loads(open(f"{work}/sk_{s}.json").read().strip().splitlines()[-1])
    vi = json.load(open(f"{work}/vi_{s}/summary.json"))
    vb = vi["elbo_scikit_learn_convention"]
    print(f"| {s} | {sk['wall_s']:.2f} | {sk['iters']} | {sk['converged']} | {sk['final_lower_bound']:.2f} | {vi['seconds']:.2f} | {vi['iterations']} | {vi['converged']} | {vb:.2f} "
          f"| {sk['wall_s'] / vi['seconds']:.1f} | {sk['ari_vs_true_labels']:.4f} / {vi['adjusted_rand_index']:.4f} "
          f"| {sk['mean_loglik_fitted']:.5f} / {vi['mean_log_likelihood']:.5f} / {sk['mean_loglik_true_mixture']:.5f} | {rss(f'{work}/sk_{s}.rss'):.0f} / {rss(f'{work}/vi_{s}.rss'):.0f} |")
if scaling:
    vi = json.load(open(f"{work}/vi_big/summary.json"))
    sk = json.loads(open(f"{work}/sk_big.json").read().strip().splitlines()[-1])
    v_per = (vi["seconds"] - vi["initialization_seconds"]) / vi["iterations"]
    print()
    print("| N = 1,000,000, d = 2, K = 10 | s per iteration | total s (incl. init) | peak MB (incl. reading the CSV) |")
    print("|---|---|---|---|")
    print(f"| Vinfer CAVI | {v_per:.3f} | {vi['seconds']:.1f} (k-means {vi['initialization_seconds']:.1f}) | {rss(f'{work}/vi_big.rss'):.0f} |")
    print(f"| scikit-learn | {sk['wall_s'] / sk['iters']:.3f} (incl. init) | {sk['wall_s']:.1f} | {rss(f'{work}/sk_big.rss'):.0f} |")
PY
echo "# done $(date -u +%FT%TZ) $(load)"
