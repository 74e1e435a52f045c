#!/usr/bin/env bash
# LDA against scikit-learn in one run at equal settings (W4: 5,000 documents, V = 2,000, 501,656 tokens):
#   K = 20, alpha = eta = 1/K = 0.05 (scikit-learn's defaults), lambda initialized ~ Gamma(100, 1/100) as scikit-learn,
#   E-step per document to mean |change of gamma| < 1e-3 or 100 sweeps, from a uniform gamma (no warm start);
#   online: batch 128, rho_t = (tau0 + t)^(-kappa) with scikit-learn's learning_offset 10 and decay 0.7
#   (vinfer: --tau0 11 with t from 0 = scikit-learn's 10 + t with t from 1), 10 passes (391 vs 400 minibatches:
#   scikit-learn cuts each pass into 40 consecutive chunks, vinfer draws 391 random minibatches of 128);
#   batch: 10 and 50 passes. Perplexity: scikit-learn's bound-based perplexity on the training corpus, computed the
#   same way on both sides (fresh E-step from a uniform gamma, ELBO including the topics' KL). Both sides use both cores.
# Then seconds per pass and peak memory at 50,000 documents (drawn from the W4 true topics).
# Prints the load average: the machine is shared, and timings move with it.
# Usage: bench/compare-lda.sh [--no-scale | --scale-only]
set -euo pipefail
cd "$(dirname "$0")/.."
PY=/usr/bin/python3
MODE=${1:-}
PEERS=/work/shared/peers
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
echo "load average at start: $(cut -d' ' -f1-3 /proc/loadavg) on $(nproc) cores"

dotnet build src/Vinfer.Cli/Vinfer.Cli.csproj -c Release -v q -nologo >/dev/null
VINFER="dotnet src/Vinfer.Cli/bin/Release/net10.0/Vinfer.Cli.dll"
DATA=$PEERS/data/w4_lda_counts.csv

if [[ "$MODE" != "--scale-only" ]]; then
(cd $PEERS && PEERS_RESULTS=$work "$PY" py/w4_lda.py --reps 1) | tee "$work/sklearn.jsonl"
for run in "svi 10" "cavi 10" "cavi 50"; do
  set -- $run
  /usr/bin/time -f "%M" -o "$work/rss-$1-$2" $VINFER fit lda --data "$DATA" --topics 20 --method "$1" --passes "$2" --seed 1 --out "$work/$1-$2" >/dev/null
done
echo "load average after the W4 runs: $(cut -d' ' -f1-3 /proc/loadavg)"

"$PY" - "$work" <<'PYEOF'
import json, sys, os
work = sys.argv[1]
peer = {json.loads(l)["method"]: json.loads(l) for l in open(os.path.join(work, "sklearn.jsonl")) if l.strip()}
rows = [("svi-10", "LDA_online_maxiter10", "online SVI, 10 passes"), ("cavi-10", "LDA_batch_maxiter10", "batch CAVI, 10 passes"),
        ("cavi-50", "LDA_batch_maxiter50", "batch CAVI, 50 passes")]
print(f"{'run':<24}{'sklearn s':>10}{'vinfer s':>10}{'ratio':>8}{'sk cpu s':>9}{'vi cpu s':>9}{'cpu ratio':>10}{'sklearn perp':>14}{'vinfer perp':>13}{'vinfer MB':>11}")
for ours, theirs, label in rows:
    s = json.load(open(os.path.join(work, ours, "summary.json")))
    p = peer[theirs]
    rss = int(open(os.path.join(work, "rss-" + ours)).read().split()[-1]) / 1024
    print(f"{label:<24}{p['wall_s']:>10.2f}{s['seconds']:>10.2f}{p['wall_s'] / s['seconds']:>8.2f}"
          f"{p['cpu_s']:>9.2f}{s['cpu_seconds']:>9.2f}{p['cpu_s'] / s['cpu_seconds']:>10.2f}"
          f"{p['perplexity_train']:>14.1f}{s['bound_perplexity']:>13.1f}{rss:>11.0f}")
print("ratio = scikit-learn wall seconds / vinfer wall seconds (> 2 meets the target); cpu ratio the same for CPU seconds of the process")
print("(all threads); on a loaded machine wall time mostly measures waiting. Perplexity: lower is better")
PYEOF
fi

if [[ "$MODE" != "--no-scale" ]]; then
  "$PY" bench/peers/lda_scale_sklearn.py --docs 50000 --out "$work/d50k.csv" | tee "$work/scale.json"
  for run in "svi 1" "cavi 2"; do
    set -- $run
    /usr/bin/time -f "%M" -o "$work/rss50k-$1" $VINFER fit lda --data "$work/d50k.csv" --topics 20 --method "$1" --passes "$2" --seed 1 --out "$work/50k-$1" >/dev/null
  done
  "$PY" - "$work" <<'PYEOF'
import json, sys, os
work = sys.argv[1]
peer = json.loads(open(os.path.join(work, "scale.json")).read().strip().splitlines()[-1])
print(f"50,000 documents ({peer['tokens']} tokens), K = 20: seconds per pass (peak RSS)")
print(f"  scikit-learn: batch {peer['batch_seconds_per_pass']:.2f} s ({peer['batch_cpu_seconds_per_pass']:.2f} CPU s), online {peer['online_seconds_per_pass']:.2f} s ({peer['online_cpu_seconds_per_pass']:.2f} CPU s); peak {peer['peak_rss_mb']:.0f} MB (includes generating the corpus)")
for m in ("cavi", "svi"):
    s = json.load(open(os.path.join(work, "50k-" + m, "summary.json")))
    rss = int(open(os.path.join(work, "rss50k-" + m)).read().split()[-1]) / 1024
    print(f"  vinfer {m}: {s['seconds_per_pass']:.2f} s per pass ({s['cpu_seconds'] / s['passes']:.2f} CPU s), {s['seconds_per_iteration']*1e3:.1f} ms per iteration; peak {rss:.0f} MB")
PYEOF
fi
echo "load average at end: $(cut -d' ' -f1-3 /proc/loadavg)"
