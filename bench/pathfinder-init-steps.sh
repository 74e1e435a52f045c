#!/usr/bin/env bash
# How many ADVI steps Pathfinder's start saves (issue 13): `vinfer fit POSTERIOR --family F` with the default stopping
# rule (Stan's tol_rel_obj 0.01 plus a stationary trace, step limit 10,000), once from Pathfinder's start (the
# default) and once from Stan's origin start (--init origin), same seed. Prints a Markdown table: optimization steps
# until the rule stopped the fit (before the 300 averaging steps), in-process seconds, and the largest
# |mean − reference mean| / reference sd against posteriordb's reference draws (data/posteriordb).
# Usage: bench/pathfinder-init-steps.sh [--family fullrank] [--seed 1] [POSTERIOR ...]
set -euo pipefail
cd "$(dirname "$0")/.."
family=fullrank
seed=1
posteriors=()
while [[ $# -gt 0 ]]; do
  case $1 in
    --family) family=$2; shift 2 ;;
    --seed) seed=$2; shift 2 ;;
    -*) echo "pathfinder-init-steps.sh: unknown option $1" >&2; exit 2 ;;
    *) posteriors+=("$1"); shift ;;
  esac
done
[[ ${#posteriors[@]} -gt 0 ]] || posteriors=(eight_schools-eight_schools_noncentered kidiq-kidscore_interaction kilpisjarvi_mod-kilpisjarvi
  nes2000-nes arK-arK mesquite-logmesquite gp_pois_regr-gp_regr diamonds-diamonds)
configuration=${CONFIGURATION:-Release}
dotnet build src/Vinfer.Cli/Vinfer.Cli.csproj -c "$configuration" -v quiet -nologo >/dev/null
dll=src/Vinfer.Cli/bin/$configuration/net10.0/Vinfer.Cli.dll
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
echo "# $(date -u '+%Y-%m-%d %H:%M UTC'); load average: $(cut -d' ' -f1-3 /proc/loadavg); $(nproc) cores; family $family, seed $seed"
echo
echo "| posterior | steps from origin | steps from Pathfinder | ratio | max err origin (sd) | max err Pathfinder (sd) | s origin | s Pathfinder (incl. Pathfinder) |"
echo "|---|---|---|---|---|---|---|---|"
for posterior in "${posteriors[@]}"; do
  model=${posterior#*-}
  [[ -d data/posteriordb/$posterior ]] || { echo "pathfinder-init-steps.sh: no data/posteriordb/$posterior" >&2; exit 1; }
  for init in origin pathfinder; do
    dotnet "$dll" fit "$posterior" --family "$family" --seed "$seed" --init "$init" -q --draws 4000 --out "$work/$posterior-$init" >"$work/$posterior-$init.log" 2>&1 \
      || { cat "$work/$posterior-$init.log" >&2; exit 1; }
  done
  /usr/bin/python3 - "$work" "$posterior" <<'PY'
import json, sys
work, posterior = sys.argv[1], sys.argv[2]
ref = {p["name"]: p for p in json.load(open(f"data/posteriordb/{posterior}/reference.json"))["parameters"]}
def row(init):
    s = json.load(open(f"{work}/{posterior}-{init}/summary.json"))
    p = s["parameters"]
    err = max(abs(p[n]["mean"] - r["mean"]) / r["sd"] for n, r in ref.items() if n in p and r["sd"] > 0)
    return s["steps"], err, s["seconds"]
(so, eo, to), (sp, ep, tp) = row("origin"), row("pathfinder")
print(f"| {posterior} | {so} | {sp} | {so / sp:.1f}× | {eo:.3f} | {ep:.3f} | {to:.2f} | {tp:.2f} |")
PY
done
