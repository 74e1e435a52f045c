#!/usr/bin/env bash
# IAF guide on Neal's funnel (d = 10) in Vinfer (`vinfer bench flow`) and in hand-written PyTorch
# (bench/peers/flow_funnel_torch.py): same width, depth, steps, particles, optimizer and constant learning rate.
# Runs the two alternately (--rounds times each, so both see the same machine load), prints every JSON line
# (ms_per_step; per-coordinate mean error in exact sds and sd ratio against the exact funnel), then one summary line
# with the medians and the ratio torch_ms / vinfer_ms (above 1: Vinfer is faster per step).
# Usage: bench/compare-flow.sh [--rounds N] [--steps S] [--particles P] [--layers L] [--hidden H] [--lr R] [--dtype float64|float32]
# Environment: PYTHON (an interpreter that imports torch), CONFIGURATION.
set -euo pipefail
cd "$(dirname "$0")/.."

rounds=3 steps=5000 particles=8 layers=2 hidden=33 lr=0.01 dtype=float64
positive='^[1-9][0-9]*$'
while [[ $# -gt 0 ]]; do
  [[ $# -ge 2 ]] || { echo "compare-flow.sh: $1 needs a value" >&2; exit 2; }
  case $1 in
    --rounds) rounds=$2 ;; --steps) steps=$2 ;; --particles) particles=$2 ;; --layers) layers=$2 ;; --hidden) hidden=$2 ;;
    --lr) lr=$2 ;; --dtype) dtype=$2 ;;
    *) echo "compare-flow.sh: unknown option $1 (see the usage line at the top of the script)" >&2; exit 2 ;;
  esac
  shift 2
done
for v in "$rounds" "$steps" "$particles" "$layers" "$hidden"; do
  [[ $v =~ $positive ]] || { echo "compare-flow.sh: expected a positive integer, got '$v'" >&2; exit 2; }
done
[[ $dtype == float64 || $dtype == float32 ]] || { echo "compare-flow.sh: --dtype must be float64 or float32, got '$dtype'" >&2; exit 2; }

python=${PYTHON:-}
if [[ -z $python ]]; then
  for candidate in /usr/bin/python3 python3; do
    if "$candidate" -c 'import torch' 2>/dev/null; then python=$candidate; break; fi
  done
fi
[[ -n $python ]] || { echo "compare-flow.sh: no Python interpreter can import torch; install Debian's python3-torch or set PYTHON." >&2; exit 1; }

configuration=${CONFIGURATION:-Release}
dotnet build src/Vinfer.Cli/Vinfer.Cli.csproj -c "$configuration" -v quiet -nologo >/dev/null
dll=src/Vinfer.Cli/bin/$configuration/net10.0/Vinfer.Cli.dll
workdir=$(mktemp -d)
trap 'rm -rf "$workdir"' EXIT
echo "# $(date -u +%FT%TZ) load average: $(cut -d' ' -f1-3 /proc/loadavg) on $(nproc) cores; steps $steps, particles $particles, layers $layers, hidden $hidden, lr $lr, torch $dtype"
for ((r = 1; r <= rounds; r++)); do
  OPENBLAS_NUM_THREADS=1 dotnet "$dll" bench flow --steps "$steps" --particles "$particles" --layers "$layers" --hidden "$hidden" --lr "$lr" --seed "$r" | tee -a "$workdir/vinfer.jsonl"
  OPENBLAS_NUM_THREADS=1 "$python" bench/peers/flow_funnel_torch.py steps="$steps" particles="$particles" layers="$layers" hidden="$hidden" lr="$lr" seed="$r" dtype="$dtype" | tee -a "$workdir/torch.jsonl"
done
echo "# $(date -u +%FT%TZ) load average: $(cut -d' ' -f1-3 /proc/loadavg)"
"$python" - "$workdir/vinfer.jsonl" "$workdir/torch.jsonl" <<'PY'
import json, statistics, sys
def load(path): return [json.loads(l) for l in open(path) if l.strip()]
v, t = load(sys.argv[1]), load(sys.argv[2])
def med(rows, key): return statistics.median(r[key] for r in rows)
print(json.dumps({"name": "iaf_funnel_summary", "rounds": len(v),
                  "vinfer_ms_per_step": med(v, "ms_per_step"), "torch_ms_per_step": med(t, "ms_per_step"),
                  "torch_over_vinfer": round(med(t, "ms_per_step") / med(v, "ms_per_step"), 3),
                  "vinfer_max_mean_error_sd": med(v, "max_mean_error_sd"), "torch_max_mean_error_sd": med(t, "max_mean_error_sd"),
                  "vinfer_sd_ratio_min": med(v, "sd_ratio_min"), "torch_sd_ratio_min": med(t, "sd_ratio_min"),
                  "vinfer_sd_ratio_max": med(v, "sd_ratio_max"), "torch_sd_ratio_max": med(t, "sd_ratio_max")}))
PY
