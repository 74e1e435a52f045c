#!/usr/bin/python3
"""Where each training epoch of a `vinfer experiment vae` run went: one row per epoch from results.json's curve
(the `profile` object VaeExperiment records), wall and thread-CPU seconds of binarizing the batch, the forward pass to
the loss, the backward pass, the Adam update and the rest of the epoch; the process's CPU seconds (every thread: BLAS,
the JIT's background compiler, the GC); GC collections (gen 0/1/2), megabytes allocated, methods JIT-compiled and the
JIT's compile seconds. Usage: vae-epoch-profile.py RUN/results.json [...]
"""
import json, sys

PARTS = ("binarize", "forward", "backward", "update", "other")


def main():
    if len(sys.argv) < 2:
        raise SystemExit("usage: vae-epoch-profile.py RUN/results.json [...]")
    print("| run | epoch | wall s | " + " | ".join(f"{p} wall / cpu" for p in PARTS) + " | process cpu s | GC 0/1/2 | MB allocated | JIT methods | JIT s |")
    print("|---|---:|---:|" + "---:|" * len(PARTS) + "---:|---|---:|---:|---:|")
    for path in sys.argv[1:]:
        results = json.load(open(path))
        for c in results["curve"]:
            p = c.get("profile")
            if p is None:
                raise SystemExit(f"vae-epoch-profile.py: {path}: epoch {c['epoch']} has no profile (a run from before the profile was recorded)")
            w, t = p["wall_seconds"], p["thread_cpu_seconds"]
            cells = " | ".join(f"{w[q]:.3f} / {t[q]:.3f}" for q in PARTS)
            print(f"| {path} | {c['epoch']} | {c['seconds']:.2f} | {cells} | {p['process_cpu_seconds']:.2f} | "
                  f"{'/'.join(map(str, p['gc_collections']))} | {p['allocated_megabytes']:.1f} | {p['jit_methods']} | {p['jit_seconds']:.2f} |")


if __name__ == "__main__":
    main()
