#!/usr/bin/env bash
# Trains the table's models on one data set and prints one line per run: system dataset objective k layers seed epochs
# test_ll se active_units mean_epoch_seconds. Runs one after another (2 cores shared); results in OUT/<run>/.
# Usage: bench/vae-table.sh OUT EPOCHS "SEEDS" "CONFIGS" [extra options…]
#   CONFIGS: space-separated objective:k[:layers], e.g. "elbo:1 elbo:5 iwae:5 iwae:50 vr-max:5 vr:5 iwae:5:2"
#   Extra options go to `vinfer experiment vae`; with SYSTEM=pytorch to bench/peers/vae_mnist.py (which takes
#   --train-images, --test-images, --eval-samples, --threads), on Vinfer's split of the same data set.
#   Environment: VINFER (the vinfer binary; default: build and use the Release CLI), DATASET (default mnist),
#   SYSTEM (vinfer or pytorch; default vinfer), PYTHON (default /usr/bin/python3).
set -euo pipefail
cd "$(dirname "$0")/.."
out=$1; epochs=$2; seeds=$3; configs=$4; shift 4
dataset=${DATASET:-mnist}
system=${SYSTEM:-vinfer}
python=${PYTHON:-/usr/bin/python3}
vinfer=${VINFER:-}
if [[ -z $vinfer ]]; then
  dotnet build src/Vinfer.Cli -c Release -v q -nologo >/dev/null
  vinfer=src/Vinfer.Cli/bin/Release/net10.0/Vinfer.Cli
fi
mkdir -p "$out"
if [[ $system == pytorch ]]; then
  # the split with Vinfer's binarized test set of each seed, so that both systems are evaluated on the same binary images
  split="$out/$dataset-split-s${seeds// /-}.json"
  "$vinfer" data split "$dataset" --out "$split" --binarized-test "${seeds// /,}" >/dev/null
fi
for seed in $seeds; do
  for config in $configs; do
    IFS=: read -r objective k layers <<<"$config"; layers=${layers:-1}
    dir="$out/$system-$dataset-$objective-k$k-l$layers-s$seed"
    if [[ $system == pytorch ]]; then
      "$python" bench/peers/vae_mnist.py "$split" --objective "$objective" --k "$k" --layers "$layers" --epochs "$epochs" \
        --seed "$seed" "$@" > "$dir.json" 2> "$dir.log" || { echo "failed: $dir (see $dir.log)" >&2; continue; }
      "$python" -c 'import json,sys; r=json.loads(open(sys.argv[1]).read().strip().splitlines()[-1]); print("pytorch", r["dataset"], r["objective"], r["k"], r["layers"], r["seed"], r["epochs"], "%.3f"%r["test_ll"], "%.3f"%r["test_ll_standard_error"], "-", "%.2f"%r["mean_epoch_seconds"], flush=True)' "$dir.json"
      continue
    fi
    "$vinfer" experiment vae --dataset "$dataset" --objective "$objective" --k "$k" --layers "$layers" --epochs "$epochs" \
      --seed "$seed" --out "$dir" "$@" > "$dir.log" 2>&1 || { echo "failed: $dir (see $dir.log)" >&2; continue; }
    "$python" -c 'import json,sys; r=json.load(open(sys.argv[1])); s=r["settings"]; print("vinfer", s["dataset"], s["objective"], s["k"], s["layers"], s["seed"], r["epochs"], "%.3f"%r["test_ll"], "%.3f"%r["test_ll_standard_error"], "/".join(map(str,r["active_units"])), "%.2f"%r["mean_epoch_seconds"], flush=True)' "$dir/results.json"
  done
done
