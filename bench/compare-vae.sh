#!/usr/bin/env bash
# Epoch time and test log-likelihood of the 1-layer VAE (batch 100, Adam 1e-3, MNIST-10k, dynamic binarization),
# Vinfer (float32 networks by default, PRECISION=float64 for the float64 engine) against the PyTorch peer
# bench/peers/vae_mnist.py (float32, 1 and 2 threads), back to back on the same split (vinfer data split mnist).
# Prints both sides' results and the ratio PyTorch epoch time / Vinfer epoch time.
# Usage: bench/compare-vae.sh [EPOCHS] [OBJECTIVE] [K] [TEST_IMAGES] [EVAL_SAMPLES] [SEED]   Environment: VINFER, PYTHON, PRECISION.
set -euo pipefail
cd "$(dirname "$0")/.."
epochs=${1:-2}; objective=${2:-iwae}; k=${3:-5}; test_images=${4:-100}; eval_samples=${5:-100}; seed=${6:-1}
python=${PYTHON:-/usr/bin/python3}
precision=${PRECISION:-float32}
if [[ $precision != float32 && $precision != float64 ]]; then echo "compare-vae.sh: PRECISION must be float32 or float64, got '$precision'." >&2; exit 2; fi
vinfer=${VINFER:-}
if [[ -z $vinfer ]]; then
  dotnet build src/Vinfer.Cli -c Release -v q -nologo >/dev/null
  vinfer=src/Vinfer.Cli/bin/Release/net10.0/Vinfer.Cli
fi
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
"$vinfer" data split mnist --out "$work/split.json" >/dev/null
pick='import json,sys; ls=[json.loads(l) for l in sys.stdin if l.strip()]; print(json.dumps(min(ls,key=lambda r:r["mean_epoch_seconds"])))'
best=""; vbest=""
# each thread count: Vinfer then PyTorch, back to back, so both see about the same machine load
for threads in 1 2; do
  OPENBLAS_NUM_THREADS=$threads "$vinfer" experiment vae --dataset mnist --objective "$objective" --k "$k" --epochs "$epochs" --seed "$seed" \
    --test-images "$test_images" --eval-samples "$eval_samples" --curve-samples 1 --precision "$precision" --out "$work/vinfer-$threads" >/dev/null
  vline=$("$python" -c 'import json,sys; r=json.load(open(sys.argv[1])); print(json.dumps({"system":"vinfer","dtype":sys.argv[3],"threads":int(sys.argv[2]),"test_ll":r["test_ll"],"test_ll_standard_error":r["test_ll_standard_error"],"mean_epoch_seconds":r["mean_epoch_seconds"]}))' "$work/vinfer-$threads/results.json" "$threads" "$precision")
  echo "$vline"
  vbest=$(printf '%s\n%s\n' "$vbest" "$vline" | "$python" -c "$pick")
  line=$(OPENBLAS_NUM_THREADS=$threads "$python" bench/peers/vae_mnist.py "$work/split.json" --objective "$objective" --k "$k" --epochs "$epochs" \
    --seed "$seed" --threads "$threads" --test-images "$test_images" --eval-samples "$eval_samples" 2>/dev/null)
  echo "$line"
  best=$(printf '%s\n%s\n' "$best" "$line" | "$python" -c "$pick")
done
"$python" -c 'import json,sys; v=json.loads(sys.argv[1]); t=json.loads(sys.argv[2]); print("epoch seconds: vinfer %.2f (%d threads), pytorch %.2f (%d threads); ratio pytorch/vinfer %.2f; test LL vinfer %.2f, pytorch %.2f" % (v["mean_epoch_seconds"], v["threads"], t["mean_epoch_seconds"], t["threads"], t["mean_epoch_seconds"]/v["mean_epoch_seconds"], v["test_ll"], t["test_ll"]))' "$vbest" "$best"
