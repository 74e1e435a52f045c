#!/usr/bin/env bash
# Runs `vinfer bench nn` and the PyTorch peer (bench/peers/nn_steps.py) in the same run, workload by workload
# (each Vinfer measurement right before the PyTorch one, so both see the same machine load), prints both sides'
# JSON lines, then a table of ms per training step (Vinfer with float64 layers and with float32 layers, PyTorch in
# float32 and float64) and the ratios PyTorch/Vinfer (above 1: Vinfer is faster).
# Usage: bench/compare-nn.sh [--rounds N] [workload…]   Environment: PYTHON (an interpreter that imports torch), CONFIGURATION.
set -euo pipefail
cd "$(dirname "$0")/.."

rounds=5
workloads=()
while [[ $# -gt 0 ]]; do
  case $1 in
    --rounds)
      if [[ $# -ge 2 && $2 =~ ^[1-9][0-9]*$ ]]; then rounds=$2; shift 2
      else echo "compare-nn.sh: --rounds needs a positive integer; got: ${2:-nothing}" >&2; exit 2; fi ;;
    mlp_step|vae_step|conv_step|sab_step) workloads+=("$1"); shift ;;
    *) echo "compare-nn.sh: usage: bench/compare-nn.sh [--rounds N] [mlp_step|vae_step|conv_step|sab_step]…; got: $1" >&2; exit 2 ;;
  esac
done
[[ ${#workloads[@]} -gt 0 ]] || workloads=(mlp_step vae_step conv_step sab_step)

python=${PYTHON:-}
if [[ -z $python ]]; then
  for candidate in /usr/bin/python3 python3; do
    if "$candidate" -c 'import torch' 2>/dev/null; then python=$candidate; break; fi
  done
fi
if [[ -z $python ]]; then
  echo "compare-nn.sh: no Python interpreter can import torch; install Debian's python3-torch (apt-get install -y python3-torch) or set PYTHON." >&2
  exit 1
fi

configuration=${CONFIGURATION:-Release}
dotnet build src/Vinfer.Cli/Vinfer.Cli.csproj -c "$configuration" -v quiet -nologo >/dev/null
dll=src/Vinfer.Cli/bin/$configuration/net10.0/Vinfer.Cli.dll

workdir=$(mktemp -d)
trap 'rm -rf "$workdir"' EXIT
echo "# $(date -u +%FT%TZ) load average (1/5/15 min): $(cut -d' ' -f1-3 /proc/loadavg) on $(nproc) cores"
echo "# torch $("$python" -c 'import re, torch; print(torch.__version__, re.search(r"BLAS_INFO=[^,]*", torch.__config__.show()).group(0))'), libblas.so.3 -> $(readlink -f /usr/lib/x86_64-linux-gnu/libblas.so.3 2>/dev/null || echo unknown)"
for w in "${workloads[@]}"; do
  echo "# vinfer bench nn --rounds $rounds --only $w (OPENBLAS_NUM_THREADS=1)"
  OPENBLAS_NUM_THREADS=1 dotnet "$dll" bench nn --rounds "$rounds" --only "$w" | tee -a "$workdir/vinfer.jsonl"
  echo "# $python bench/peers/nn_steps.py $w (OPENBLAS_NUM_THREADS=1)"
  OPENBLAS_NUM_THREADS=1 "$python" bench/peers/nn_steps.py "$w" | tee -a "$workdir/torch.jsonl"
done
echo "# $(date -u +%FT%TZ) load average (1/5/15 min): $(cut -d' ' -f1-3 /proc/loadavg)"

"$python" - "$workdir/vinfer.jsonl" "$workdir/torch.jsonl" <<'PY'
import json, sys
v = {(r["name"], r["dtype"]): r for r in map(json.loads, open(sys.argv[1]))}
t = {(r["name"], r["dtype"]): r for r in map(json.loads, open(sys.argv[2]))}
print()
print(f"{'workload':<11}{'vinfer f32':>12}{'vinfer f64':>12}{'torch f32':>12}{'torch f64':>12}{'f32/f32':>9}{'t32/v64':>9}{'f64/f64':>9}")
for name in dict.fromkeys(n for n, _ in v):
    a32, a64 = v[(name, "float32")]["ms_per_step"], v[(name, "float64")]["ms_per_step"]
    b32, b64 = t[(name, "float32")]["ms_per_step"], t[(name, "float64")]["ms_per_step"]
    print(f"{name:<11}{a32:>10.2f}ms{a64:>10.2f}ms{b32:>10.2f}ms{b64:>10.2f}ms{b32 / a32:>8.2f}x{b32 / a64:>8.2f}x{b64 / a64:>8.2f}x")
print("(ms per training step: forward, backward, Adam; ratio = PyTorch time / Vinfer time, above 1 means Vinfer is faster;")
print(" f32/f32 = PyTorch float32 vs Vinfer float32 layers (the target: >= 1), t32/v64 = PyTorch float32 vs Vinfer float64, f64/f64 = both float64)")
PY
