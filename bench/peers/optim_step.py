"""Peer for OptimizerStepBenchmarks: one torch.optim step over a 10^6-element float64 parameter.
Run: PYTHONPATH=/usr/lib/python3/dist-packages python3 bench/peers/optim_step.py"""
import time
import torch

torch.set_default_dtype(torch.float64)
torch.set_num_threads(1)
n = 1_000_000
p = torch.rand(n, requires_grad=True)
p.grad = torch.rand(n) - 0.5
cases = {
    "SgdMomentum": torch.optim.SGD([p], lr=1e-6, momentum=0.9),
    "Adam": torch.optim.Adam([p], lr=1e-6),
    "RmsProp": torch.optim.RMSprop([p], lr=1e-6),
}
for name, opt in cases.items():
    with torch.no_grad():
        for _ in range(20):
            opt.step()
        reps = 200
        t0 = time.perf_counter()
        for _ in range(reps):
            opt.step()
        dt = (time.perf_counter() - t0) / reps
    print(f"{name}: {dt * 1e6:.0f} us per step (torch {torch.__version__}, 1 thread)")
