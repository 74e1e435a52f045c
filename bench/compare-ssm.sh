#!/usr/bin/env bash
# Runs `vinfer bench ssm` and the statsmodels peer on the same series in the same run and prints speed ratios
# (statsmodels seconds / vinfer seconds; > 1 means vinfer is faster) and the log-likelihood agreement.
# Usage: bench/compare-ssm.sh [T] [repeats]
set -euo pipefail
cd "$(dirname "$0")/.."
T=${1:-1000000}
REPEATS=${2:-10}
PY=/usr/bin/python3   # Debian's python3 has python3-statsmodels; a pyenv shim may not
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

dotnet build src/Vinfer.Cli/Vinfer.Cli.csproj -c Release -v q -nologo >/dev/null
dotnet src/Vinfer.Cli/bin/Release/net10.0/Vinfer.Cli.dll bench ssm --t "$T" --repeats "$REPEATS" --series-out "$work/series.f64" | tee "$work/vinfer.jsonl"
"$PY" bench/peers/ssm_statsmodels.py --series "$work/series.f64" --repeats 3 | tee "$work/peer.jsonl"

"$PY" - "$work/vinfer.jsonl" "$work/peer.jsonl" <<'PYEOF'
import json, sys
ours = [json.loads(l) for l in open(sys.argv[1]) if l.strip()]
peer = json.loads(open(sys.argv[2]).read().strip().splitlines()[-1])
ll_ours = next(o['value'] for o in ours if o['name'] == 'ssm.loglik_filter')
rel = abs(ll_ours - peer['value']) / abs(peer['value'])
print(f"log-likelihood: vinfer {ll_ours:.10g}, statsmodels {peer['value']:.10g}, relative difference {rel:.2e}")
if rel > 1e-9:
    sys.exit('log-likelihoods disagree: the two sides did not compute the same quantity')
print(f"statsmodels KalmanFilter.loglike ({peer['mode']}): {peer['seconds']*1e3:.1f} ms at T = {peer['t']}")
for o in ours:
    print(f"{o['name']:<22} {o['seconds']*1e3:9.2f} ms  ({o['ns_per_step']:.2f} ns/step; bandwidth floor "
          f"{o['bandwidth_floor_seconds']*1e3:.2f} ms for {o['bytes_touched']/1e6:.0f} MB at {o['copy_bandwidth_gb_s']:.1f} GB/s)"
          f"  speed vs statsmodels: {peer['seconds']/o['seconds']:.1f}x")
PYEOF
