#!/usr/bin/env bash
# Epoch time and test log-likelihood of the 1-layer VAE (batch 100, Adam 1e-3, MNIST-10k, dynamic binarization),
# Vinfer (float32 networks by default, PRECISION=float64 for the float64 engine) against the PyTorch peer
# bench/peers/vae_mnist.py (float32, 1 and 2 threads), back to back on the same split (vinfer data split mnist).
# Prints both sides' results (each epoch's seconds too) and the ratio PyTorch epoch time / Vinfer epoch time at each
# side's faster thread count: over all epochs, for the first epoch alone (Vinfer's includes the JIT compiling the
# training path) and over the later ones; the same for CPU seconds of the process (every thread), which a shared
# machine inflates less than wall time; and the load average before and after.
# Usage: bench/compare-vae.sh [EPOCHS] [OBJECTIVE] [K] [TEST_IMAGES] [EVAL_SAMPLES] [SEED]
# Environment: VINFER, PYTHON, PRECISION, THREADS (the thread counts to try, default "1 2").
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
echo "load average before: $(cut -d' ' -f1-3 /proc/loadavg)"
best=""; vbest=""
# each thread count: Vinfer then PyTorch, back to back, so both see about the same machine load
thread_counts=${THREADS:-1 2}
for threads in $thread_counts; do
  if ! [[ $threads =~ ^[1-9][0-9]*$ ]]; then echo "compare-vae.sh: THREADS must list positive integers, got '$thread_counts'." >&2; exit 2; fi
  OPENBLAS_NUM_THREADS=$threads "$vinfer" experiment vae --dataset mnist --objective "$objective" --k "$k" --epochs "$epochs" --seed "$seed" \
    --test-images "$test_images" --eval-samples "$eval_samples" --curve-samples 1 --precision "$precision" --out "$work/vinfer-$threads" >/dev/null
  vline=$("$python" -c 'import json,sys; r=json.load(open(sys.argv[1])); print(json.dumps({"system":"vinfer","dtype":sys.argv[3],"threads":int(sys.argv[2]),"test_ll":r["test_ll"],"test_ll_standard_error":r["test_ll_standard_error"],"mean_epoch_seconds":r["mean_epoch_seconds"],"epoch_seconds":[c["seconds"] for c in r["curve"]],"epoch_process_cpu_seconds":[c["profile"]["process_cpu_seconds"] for c in r["curve"]]}))' "$work/vinfer-$threads/results.json" "$threads" "$precision")
  echo "$vline"
  vbest=$(printf '%s\n%s\n' "$vbest" "$vline" | "$python" -c "$pick")
  line=$(OPENBLAS_NUM_THREADS=$threads "$python" bench/peers/vae_mnist.py "$work/split.json" --objective "$objective" --k "$k" --epochs "$epochs" \
    --seed "$seed" --threads "$threads" --test-images "$test_images" --eval-samples "$eval_samples" 2>/dev/null)
  echo "$line"
  best=$(printf '%s\n%s\n' "$best" "$line" | "$python" -c "$pick")
done
echo "load average after: $(cut -d' ' -f1-3 /proc/loadavg)"
"$python" - "$vbest" "$best" <<'EOF'
import json, sys
v, t = json.loads(sys.argv[1]), json.loads(sys.argv[2])
mean = lambda xs: sum(xs) / len(xs)
print("epoch seconds: vinfer %.2f (%d threads), pytorch %.2f (%d threads); ratio pytorch/vinfer %.2f; test LL vinfer %.2f, pytorch %.2f"
      % (v["mean_epoch_seconds"], v["threads"], t["mean_epoch_seconds"], t["threads"], t["mean_epoch_seconds"] / v["mean_epoch_seconds"], v["test_ll"], t["test_ll"]))
ve, te = v["epoch_seconds"], t["epoch_seconds"]
line = "first epoch: vinfer %.2f, pytorch %.2f, ratio %.2f" % (ve[0], te[0], te[0] / ve[0])
if len(ve) > 1 and len(te) > 1:
    line += "; epochs 2-%d: vinfer %.2f, pytorch %.2f, ratio %.2f" % (len(ve), mean(ve[1:]), mean(te[1:]), mean(te[1:]) / mean(ve[1:]))
print(line)
vc, tc = v["epoch_process_cpu_seconds"], t["epoch_process_cpu_seconds"]
line = "process CPU s, first epoch: vinfer %.2f, pytorch %.2f, ratio %.2f" % (vc[0], tc[0], tc[0] / vc[0])
if len(vc) > 1 and len(tc) > 1:
    line += "; epochs 2-%d: vinfer %.2f, pytorch %.2f, ratio %.2f" % (len(vc), mean(vc[1:]), mean(tc[1:]), mean(tc[1:]) / mean(vc[1:]))
print(line)
EOF
