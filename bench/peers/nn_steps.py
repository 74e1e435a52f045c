#!/usr/bin/python3
"""PyTorch CPU reference for network training steps (compare with `vinfer bench nn` in the same run): one training step (forward, backward, Adam) of
(1) an MLP 784-200-200-100, tanh, batch 100 (the IWAE encoder size);
(2) a VAE step: encoder 784-200-200-(2x50), decoder 50-200-200-784, Bernoulli, k=5 samples, batch 100;
(3) a small conv net on 28x28 (conv 1->4->16->64 k3 s2, ReLU, dense 256->512->2), batch 100;
(4) a 2-block SAB of the Set Transformer (Lee et al. 2019) on 2 sets of 1,000 points, width 64, 4 heads:
    MAB(X, X) = LN(H + relu(Linear(H))), H = LN(X + MultiheadAttention(X, X, X)) (added to the shared script for Vinfer).
Best of 1 and 2 intra-op threads, OPENBLAS_NUM_THREADS=1. Prints JSON lines with ms_per_step."""
import os, json, time
os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")
import torch, torch.nn as nn, torch.nn.functional as F

def timeit(step, reps=30, warm=5, rounds=5):
    for _ in range(warm): step()
    best = float("inf")
    for _ in range(rounds):
        t = time.perf_counter()
        for _ in range(reps): step()
        best = min(best, (time.perf_counter() - t) / reps)
    return best

def mlp_step(dtype):
    net = nn.Sequential(nn.Linear(784, 200), nn.Tanh(), nn.Linear(200, 200), nn.Tanh(), nn.Linear(200, 100)).to(dtype)
    opt = torch.optim.Adam(net.parameters(), 1e-3)
    x = torch.rand(100, 784, dtype=dtype)
    def step():
        opt.zero_grad(); net(x).square().mean().backward(); opt.step()
    return step

def vae_step(dtype, k=5):
    enc = nn.Sequential(nn.Linear(784, 200), nn.Tanh(), nn.Linear(200, 200), nn.Tanh(), nn.Linear(200, 100)).to(dtype)
    dec = nn.Sequential(nn.Linear(50, 200), nn.Tanh(), nn.Linear(200, 200), nn.Tanh(), nn.Linear(200, 784)).to(dtype)
    opt = torch.optim.Adam(list(enc.parameters()) + list(dec.parameters()), 1e-3)
    x = (torch.rand(100, 784) > 0.5).to(dtype)
    def step():
        opt.zero_grad()
        h = enc(x); mu, logsd = h[:, :50], h[:, 50:]
        eps = torch.randn(k, 100, 50, dtype=dtype); z = mu + eps * logsd.exp()
        logits = dec(z)
        logpx = -F.binary_cross_entropy_with_logits(logits, x.expand(k, -1, -1), reduction="none").sum(-1)
        logpz = (-0.5 * z * z).sum(-1); logqz = (-0.5 * eps * eps - logsd).sum(-1)
        lw = logpx + logpz - logqz
        loss = -(torch.logsumexp(lw, 0) - torch.log(torch.tensor(float(k), dtype=dtype))).mean()
        loss.backward(); opt.step()
    return step

def conv_step(dtype):
    net = nn.Sequential(nn.Conv2d(1, 4, 3, 2), nn.ReLU(), nn.Conv2d(4, 16, 3, 2), nn.ReLU(), nn.Conv2d(16, 64, 3, 2), nn.ReLU(),
                        nn.Flatten(), nn.Linear(256, 512), nn.LeakyReLU(), nn.Linear(512, 2)).to(dtype)
    opt = torch.optim.Adam(net.parameters(), 1e-4)
    x = torch.rand(100, 1, 28, 28, dtype=dtype)
    def step():
        opt.zero_grad(); net(x).square().mean().backward(); opt.step()
    return step

class Mab(nn.Module):
    def __init__(self, width, heads):
        super().__init__()
        self.attention = nn.MultiheadAttention(width, heads, batch_first=True)
        self.norm0, self.norm1 = nn.LayerNorm(width), nn.LayerNorm(width)
        self.feedforward = nn.Linear(width, width)
    def forward(self, x, y):
        h = self.norm0(x + self.attention(x, y, y, need_weights=False)[0])
        return self.norm1(h + F.relu(self.feedforward(h)))

class Sab(nn.Module):
    def __init__(self, width, heads):
        super().__init__(); self.mab = Mab(width, heads)
    def forward(self, x): return self.mab(x, x)

def sab_step(dtype):
    net = nn.Sequential(Sab(64, 4), Sab(64, 4)).to(dtype)
    opt = torch.optim.Adam(net.parameters(), 1e-3)
    x = torch.randn(2, 1000, 64, dtype=dtype)
    def step():
        opt.zero_grad(); net(x).square().mean().backward(); opt.step()
    return step

import sys
only = sys.argv[1] if len(sys.argv) > 1 else None
for name, make in (("mlp_step", mlp_step), ("vae_step", vae_step), ("conv_step", conv_step), ("sab_step", sab_step)):
    if only and name != only: continue
    for dtype in (torch.float32, torch.float64):
        best = float("inf")
        for th in (1, 2):
            torch.set_num_threads(th); torch.manual_seed(0)
            best = min(best, timeit(make(dtype), **({"reps": 3, "warm": 2} if name == "sab_step" else {})))
        print(json.dumps({"name": name, "dtype": str(dtype).split(".")[1], "ms_per_step": round(best * 1e3, 4), "system": "torch", "version": torch.__version__}), flush=True)
