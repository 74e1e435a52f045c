#!/usr/bin/env bash
# The logistic-regression fit (bench/compare-stan.sh's data: N = 10,000, D = 20, seed 20261122; `vinfer fit
# logistic_regression`, mean-field, 8 particles, tol 0.01) with the fused GLM kernel on each vector path, forced for the
# whole process by the runtime's switches: default (AVX-512 here: the 512-bit path), DOTNET_EnableAVX512=0 (the JIT
# emits AVX2 code as on an x86-64-v3 CPU: the 256-bit path) and DOTNET_EnableAVX2=0 (no 256-bit vectors: the scalar
# rows). Rounds interleave the configurations, so the ratios compare runs under the same load.
#   warm:  `vinfer bench fit --repeats 3` from `dotnet build` output; the median in-process seconds of runs 2-3 (no JIT
#          compiler), per configuration; with --base DIR also the build of another checkout (e.g. main) the same way.
#   fresh: one process per fit, as a user runs it: with --native FILE the x86-64-v3 Native AOT program
#          (VINFER_NO_AVX512=1 keeps it from switching to the v4 build; --base-native FILE: another build of it) and with --r2r DIR the ReadyToRun managed
#          program under DOTNET_EnableAVX512=0; summary.json's seconds and the process's wall time.
# Usage: bench/glm-paths.sh [--rounds R] [--base DIR] [--native FILE] [--base-native FILE] [--r2r DIR]     (prints JSON lines, then medians)
set -euo pipefail
cd "$(dirname "$0")/.."

rounds=5 base='' native='' base_native='' r2r=''
while [[ $# -gt 0 ]]; do
  case $1 in
    --rounds) [[ $# -ge 2 && $2 =~ ^[1-9][0-9]*$ ]] || { echo "glm-paths.sh: --rounds needs a positive integer" >&2; exit 2; }; rounds=$2; shift 2 ;;
    --base) [[ $# -ge 2 && -f $2/src/Vinfer.Cli/bin/Release/net10.0/Vinfer.Cli.dll ]] || { echo "glm-paths.sh: --base needs a checkout with a Release build of src/Vinfer.Cli" >&2; exit 2; }; base=$2; shift 2 ;;
    --native) [[ $# -ge 2 && -x $2 ]] || { echo "glm-paths.sh: --native needs an executable file" >&2; exit 2; }; native=$2; shift 2 ;;
    --base-native) [[ $# -ge 2 && -x $2 ]] || { echo "glm-paths.sh: --base-native needs an executable file" >&2; exit 2; }; base_native=$2; shift 2 ;;
    --r2r) [[ $# -ge 2 && -f $2/Vinfer.Cli.dll ]] || { echo "glm-paths.sh: --r2r needs a folder holding a published Vinfer.Cli.dll" >&2; exit 2; }; r2r=$2; shift 2 ;;
    *) echo "glm-paths.sh: usage: bench/glm-paths.sh [--rounds R] [--base DIR] [--native FILE] [--base-native FILE] [--r2r DIR]; got: $*" >&2; exit 2 ;;
  esac
done
python=/usr/bin/python3
dotnet build src/Vinfer.Cli/Vinfer.Cli.csproj -c Release -v quiet -nologo >/dev/null
dll=src/Vinfer.Cli/bin/Release/net10.0/Vinfer.Cli.dll
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
"$python" bench/peers/make_logreg_data.py "$work/data.json" --n 10000 --d 20 --seed 20261122
fit=(fit logistic_regression --data "$work/data.json" --family meanfield --tol 0.01 --seed 1 --out "$work/out")

warm() { # label, dll, env...
  local label=$1 target=$2; shift 2
  env "$@" dotnet "$target" bench fit --repeats 3 -- "${fit[@]}" 2>"$work/err" \
    | "$python" -c 'import json,sys; rs=[json.loads(l) for l in sys.stdin]; print(json.dumps({"label": sys.argv[1], "round": int(sys.argv[2]), "load": sys.argv[3], "seconds": sorted(r["seconds"] for r in rs[1:])[len(rs[1:])//2], "first": rs[0]["seconds"], "steps": rs[-1]["steps"]}))' \
      "$label" "$round" "$(cut -d' ' -f1 /proc/loadavg)" || { cat "$work/err" >&2; exit 1; }
}
fresh() { # label, env..., --, command...
  local label=$1; shift
  local envs=(); while [[ $1 != -- ]]; do envs+=("$1"); shift; done; shift
  local start end
  start=$(date +%s.%N)
  env "${envs[@]}" "$@" "${fit[@]}" >"$work/log" 2>&1 || { cat "$work/log" >&2; exit 1; }
  end=$(date +%s.%N)
  "$python" -c 'import json,sys; s=json.load(open(sys.argv[4])); print(json.dumps({"label": sys.argv[1], "round": int(sys.argv[2]), "load": sys.argv[3], "seconds": s["seconds"], "process": float(sys.argv[6]) - float(sys.argv[5]), "steps": s["steps"]}))' \
    "$label" "$round" "$(cut -d' ' -f1 /proc/loadavg)" "$work/out/summary.json" "$start" "$end"
}

echo "# $(date -u '+%Y-%m-%d %H:%M UTC'); load average: $(cut -d' ' -f1-3 /proc/loadavg); $(nproc) cores" >&2
for ((round = 1; round <= rounds; round++)); do
  {
    warm 512 "$dll" X=1
    warm 256 "$dll" DOTNET_EnableAVX512=0
    warm scalar "$dll" DOTNET_EnableAVX2=0
    if [[ -n $base ]]; then
      warm base-512 "$base/$dll" X=1
      warm base-256 "$base/$dll" DOTNET_EnableAVX512=0
    fi
    if [[ -n $native ]]; then fresh native-v3 VINFER_NO_AVX512=1 -- "$native"; fi
    if [[ -n $base_native ]]; then fresh base-native-v3 VINFER_NO_AVX512=1 -- "$base_native"; fi
    if [[ -n $r2r ]]; then fresh r2r-256 DOTNET_EnableAVX512=0 -- dotnet "$r2r/Vinfer.Cli.dll"; fi
  } | tee -a "$work/results.jsonl"
done
echo "# $(date -u '+%Y-%m-%d %H:%M UTC'); load average: $(cut -d' ' -f1-3 /proc/loadavg)" >&2

"$python" - "$work/results.jsonl" <<'PY'
import json, statistics, sys
rows = [json.loads(l) for l in open(sys.argv[1])]
by = {}
for r in rows: by.setdefault(r["label"], []).append(r)
ref = {r["round"]: r["seconds"] for r in by["512"]}
print(f"{'label':<11}{'median s':>9}{'min s':>8}{'x 512 (same round, median)':>28}{'process s':>11}{'steps':>7}{'loads':>22}")
for label, rs in by.items():
    secs = [r["seconds"] for r in rs]
    ratio = statistics.median(r["seconds"] / ref[r["round"]] for r in rs)
    proc = f"{statistics.median(r['process'] for r in rs):.2f}" if "process" in rs[0] else "-"
    loads = ",".join(r["load"] for r in rs)
    print(f"{label:<11}{statistics.median(secs):>9.3f}{min(secs):>8.3f}{ratio:>28.2f}{proc:>11}{rs[0]['steps']:>7}{loads[:21]:>22}")
PY
