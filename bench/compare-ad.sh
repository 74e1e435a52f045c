#!/usr/bin/env bash
# Runs `vinfer bench ad` and the PyTorch peer (bench/peers/logreg_torch.py) in the same run and prints both sides'
# JSON lines, then a table of Vinfer/PyTorch ratios (gradients per second for S = 1 and 16; per-op overhead, where a
# ratio above 1 means Vinfer is faster) and Vinfer's roofline fractions.
# Usage: bench/compare-ad.sh [--reps N]     Environment: PYTHON (an interpreter that imports torch), CONFIGURATION.
set -euo pipefail
cd "$(dirname "$0")/.."

reps=7
if [[ $# -gt 0 ]]; then
  if [[ $1 == --reps && $# -eq 2 && $2 =~ ^[1-9][0-9]*$ ]]; then reps=$2
  else echo "compare-ad.sh: usage: bench/compare-ad.sh [--reps N] (N a positive integer); got: $*" >&2; exit 2; fi
fi

python=${PYTHON:-}
if [[ -z $python ]]; then
  for candidate in /usr/bin/python3 python3; do
    if "$candidate" -c 'import torch' 2>/dev/null; then python=$candidate; break; fi
  done
fi
if [[ -z $python ]]; then
  echo "compare-ad.sh: no Python interpreter can import torch; install Debian's python3-torch (apt-get install -y python3-torch) or set PYTHON." >&2
  exit 1
fi

configuration=${CONFIGURATION:-Release}
dotnet build src/Vinfer.Cli/Vinfer.Cli.csproj -c "$configuration" -v quiet -nologo >/dev/null
dll=src/Vinfer.Cli/bin/$configuration/net10.0/Vinfer.Cli.dll

workdir=$(mktemp -d)
trap 'rm -rf "$workdir"' EXIT
# Other processes compete for the 2 cores on shared machines; say how busy it was.
echo "# $(date -u +%FT%TZ) load average (1/5/15 min): $(cut -d' ' -f1-3 /proc/loadavg) on $(nproc) cores"
echo "# vinfer bench ad --reps $reps"
dotnet "$dll" bench ad --reps "$reps" | tee "$workdir/vinfer.jsonl"
echo "# $python bench/peers/logreg_torch.py --reps $reps (OPENBLAS_NUM_THREADS=1)"
OPENBLAS_NUM_THREADS=1 "$python" bench/peers/logreg_torch.py --reps "$reps" | tee "$workdir/torch.jsonl"

"$python" - "$workdir/vinfer.jsonl" "$workdir/torch.jsonl" <<'PY'
import json, sys

def load(path):
    rows = {}
    for line in open(path):
        r = json.loads(line)
        rows[(r["name"], r.get("s"))] = r
    return rows

v, t = load(sys.argv[1]), load(sys.argv[2])
print()
print(f"{'workload':<18}{'vinfer':>14}{'pytorch':>14}{'vinfer/pytorch':>16}{'roofline':>10}")
for s in (1, 16):
    a, b = v[("logreg_grad", s)], t[("logreg_grad", s)]
    print(f"{'logreg_grad s=' + str(s):<18}{a['grads_per_sec']:>12.2f}/s{b['grads_per_sec']:>12.2f}/s"
          f"{a['grads_per_sec'] / b['grads_per_sec']:>15.2f}x{a['roofline_fraction']:>10.1%}")
a, b = v[("tiny_op", None)], t[("tiny_op", None)]
print(f"{'tiny_op':<18}{a['ns_per_op']:>11.1f}ns{b['ns_per_op']:>11.1f}ns{b['ns_per_op'] / a['ns_per_op']:>15.2f}x{'':>10}")
print("(ratios: how many times faster Vinfer is; targets >= 2x for logreg_grad, >= 50% roofline, tiny_op < 250 ns)")
PY
