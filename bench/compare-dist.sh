#!/usr/bin/env bash
# Runs `vinfer bench dist` and its PyTorch peer in the same run and prints, per workload, both times and the ratio
# torch_ns / vinfer_ns (above 1 means Vinfer is faster). Usage: bench/compare-dist.sh [--repeats N] [--size N]
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
dotnet build "$root/src/Vinfer.Cli/Vinfer.Cli.csproj" -c Release -v q -nologo >/dev/null
python="${PYTHON:-$( [ -x /usr/bin/python3 ] && echo /usr/bin/python3 || echo python3)}"  # Debian python3-torch lives in the system python
ours="$(mktemp)"; peer="$(mktemp)"
trap 'rm -f "$ours" "$peer"' EXIT
dotnet "$root/src/Vinfer.Cli/bin/Release/net10.0/Vinfer.Cli.dll" bench dist "$@" > "$ours"
"$python" "$root/bench/peers/dist_torch.py" "$@" > "$peer"
python3 - "$ours" "$peer" <<'PY'
import json, sys
ours = {j["name"]: j for j in map(json.loads, open(sys.argv[1]))}
peer = {j["name"]: j for j in map(json.loads, open(sys.argv[2]))}
for name in ours:
    o, p = ours[name]["ns_per_value"], peer[name]["ns_per_value"]
    print(json.dumps({"name": name, "n": ours[name]["n"], "vinfer_ns_per_value": round(o, 3),
                      "torch_ns_per_value": round(p, 3), "speedup_vs_torch": round(p / o, 2)}))
PY
