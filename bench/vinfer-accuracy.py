#!/usr/bin/python3
"""Vinfer's ADVI means against the cached NUTS references (bench/reference/MODEL.json), without Stan.

Runs `vinfer fit MODEL --family F --seed S [extra args]` for each seed and prints, per fit, the largest
|mean − mean_NUTS| / sd_NUTS of the reported means (summary.json "parameters", labelled by "moments"), of the guide's
own means ("guide_parameters") and of the PSIS-reweighted means ("psis_reweighted", written when k̂ < 0.7), with k̂,
the PSIS effective sample size and the seconds of the draws and PSIS phases; then the medians over the seeds.
Usage: bench/vinfer-accuracy.py MODEL FAMILY [--seeds 1,2,3] [--data FILE] [-- extra vinfer fit arguments]
(the CLI is run from src/Vinfer.Cli/bin/Release/net10.0; build it first).
"""
import json, os, statistics, subprocess, sys, tempfile

def main():
    args = sys.argv[1:]
    extra = args[args.index("--") + 1:] if "--" in args else []
    args = args[:args.index("--")] if "--" in args else args
    if len(args) < 2:
        print(__doc__, file=sys.stderr); return 2
    model, family, seeds, data = args[0], args[1], "1,2,3", None
    rest = args[2:]
    while rest:
        if rest[0] == "--seeds" and len(rest) > 1: seeds, rest = rest[1], rest[2:]
        elif rest[0] == "--data" and len(rest) > 1: data, rest = rest[1], rest[2:]
        else: print(f"vinfer-accuracy.py: unknown argument {rest[0]}", file=sys.stderr); return 2
    root = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
    dll = os.path.join(root, "src/Vinfer.Cli/bin/Release/net10.0/Vinfer.Cli.dll")
    ref = json.load(open(os.path.join(root, "bench/reference", model + ".json")))["parameters"]

    def error(params):
        if not params: return None
        errs = {n: abs(params[n]["mean"] - ref[n]["mean"]) / ref[n]["sd"] for n in ref if n in params}
        worst = max(errs, key=errs.get)
        return errs[worst], worst

    rows = []
    print(f"{'seed':>4} {'moments':>8} {'k-hat':>6} {'ess':>6} {'max err':>8} {'worst':>14} {'guide err':>10} {'psis err':>9} {'draws+psis s':>13}")
    with tempfile.TemporaryDirectory() as work:
        for seed in seeds.split(","):
            out = os.path.join(work, seed)
            cmd = ["dotnet", dll, "fit", model, "--family", family, "--seed", seed, "--out", out, "-q"] + (["--data", data] if data else []) + extra
            run = subprocess.run(cmd, capture_output=True, text=True)
            if run.returncode != 0:
                print(run.stdout + run.stderr, file=sys.stderr); return 1
            s = json.load(open(os.path.join(out, "summary.json")))
            reported = error(s["parameters"])
            guide = error(s.get("guide_parameters", s["parameters"]))
            psis = error(s["psis_reweighted"]["parameters"]) if s.get("psis_reweighted") else None
            phases = s.get("phases", {})
            tail = sum(phases.get(p, {}).get("seconds", 0) for p in ("draws", "summary", "psis and evidence"))
            rows.append((reported[0], guide[0], psis[0] if psis else None))
            print(f"{seed:>4} {s.get('moments', '-'):>8} {s['k_hat']:>6.2f} {s.get('psis_effective_sample_size', float('nan')):>6.0f} {reported[0]:>8.3f} {reported[1]:>14} "
                  f"{guide[0]:>10.3f} {(f'{psis[0]:.3f}' if psis else '-'):>9} {tail:>13.3f}")
    med = lambda xs: f"{statistics.median(xs):.3f} ({min(xs):.3f}-{max(xs):.3f})" if xs else "-"
    print(f"median (range) over seeds: max err {med([r[0] for r in rows])}; guide err {med([r[1] for r in rows])}; "
          f"psis err {med([r[2] for r in rows if r[2] is not None])} over {sum(r[2] is not None for r in rows)} seeds")
    return 0

if __name__ == "__main__":
    sys.exit(main())
