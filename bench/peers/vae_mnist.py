#!/usr/bin/python3
"""PyTorch reference of `vinfer experiment vae` (1 stochastic layer): the Burda et al. (2016) Bernoulli VAE,
encoder 784-200-200-(2x50), decoder 50-200-200-784, tanh, trained with Adam (lr 1e-3, batch 100) on dynamically
binarized MNIST-10k with the ELBO(k), IWAE(k), VR alpha = 0.5 or VR-max, evaluated with 5,000 importance samples
on a statically binarized test set. The data split is Vinfer's: the permutation comes from
`vinfer data split mnist --out FILE` (test = first 1,000 shuffled digits, validation the next 1,000, training the
rest), so both systems see the same images. float32, PyTorch's default initialization.
Prints one JSON line: test_ll, its standard error, mean epoch seconds, threads.
Usage: vae_mnist.py SPLIT.json [--objective iwae] [--k 5] [--epochs 10] [--seed 1] [--threads N] [--test-images 500] [--eval-samples 5000]
"""
import argparse, json, math, os, sys, time

import numpy as np
import torch
from torch import nn


def load_mnist(split_path):
    split = json.load(open(split_path))
    folder = split["directory"]
    images = []
    for digit in range(10):
        data = np.asarray(json.load(open(os.path.join(folder, f"{digit}.json")))["data"], dtype=np.float32)
        images.append(data.reshape(-1, 784))
    images = np.concatenate(images)
    return {name: images[np.asarray(split[name], dtype=np.int64)] for name in ("train", "validation", "test")}


class Vae(nn.Module):
    def __init__(self):
        super().__init__()
        self.encoder = nn.Sequential(nn.Linear(784, 200), nn.Tanh(), nn.Linear(200, 200), nn.Tanh(), nn.Linear(200, 100))
        self.decoder = nn.Sequential(nn.Linear(50, 200), nn.Tanh(), nn.Linear(200, 200), nn.Tanh(), nn.Linear(200, 784))

    def log_weights(self, x, k):
        h = self.encoder(x)
        mean, log_scale = h[:, :50], h[:, 50:]
        eps = torch.randn(k, x.shape[0], 50)
        z = mean + eps * log_scale.exp()
        logits = self.decoder(z)
        log_px = (x * logits - nn.functional.softplus(logits)).sum(-1)
        log_pz = (-0.5 * z.square()).sum(-1) - 25 * math.log(2 * math.pi)
        log_qz = (-0.5 * eps.square() - log_scale).sum(-1) - 25 * math.log(2 * math.pi)
        return log_px + log_pz - log_qz


def bound(log_w, objective):
    k = log_w.shape[0]
    if objective == "elbo":
        return log_w.mean(0)
    if objective == "iwae":
        return torch.logsumexp(log_w, 0) - math.log(k)
    if objective == "vr":
        return 2 * (torch.logsumexp(0.5 * log_w, 0) - math.log(k))
    if objective == "vr-max":
        return log_w.max(0).values
    raise SystemExit(f"vae_mnist.py: unknown objective {objective!r}; expected elbo, iwae, vr or vr-max")


@torch.no_grad()
def log_likelihoods(model, x, samples, chunk=500, batch=100):
    out = []
    for start in range(0, x.shape[0], batch):
        xb = x[start:start + batch]
        parts = []
        done = 0
        while done < samples:
            k = min(chunk, samples - done)
            parts.append(torch.logsumexp(model.log_weights(xb, k), 0))
            done += k
        out.append(torch.logsumexp(torch.stack(parts), 0) - math.log(samples))
    return torch.cat(out)


def main():
    p = argparse.ArgumentParser()
    p.add_argument("split")
    p.add_argument("--objective", default="iwae")
    p.add_argument("--k", type=int, default=5)
    p.add_argument("--epochs", type=int, default=10)
    p.add_argument("--seed", type=int, default=1)
    p.add_argument("--threads", type=int, default=1)
    p.add_argument("--test-images", type=int, default=None)
    p.add_argument("--eval-samples", type=int, default=5000)
    a = p.parse_args()
    if a.k < 1:
        raise SystemExit(f"vae_mnist.py: --k must be at least 1, got {a.k}")
    torch.set_num_threads(a.threads)
    torch.manual_seed(a.seed)
    data = load_mnist(a.split)
    train = torch.from_numpy(data["train"])
    test_grey = torch.from_numpy(data["test"][: a.test_images] if a.test_images else data["test"])
    test = torch.bernoulli(test_grey)
    model = Vae()
    optimizer = torch.optim.Adam(model.parameters(), lr=1e-3)
    epoch_seconds = []
    for epoch in range(a.epochs):
        order = torch.randperm(train.shape[0])
        start = time.perf_counter()
        total = 0.0
        batches = train.shape[0] // 100
        for b in range(batches):
            x = torch.bernoulli(train[order[b * 100:(b + 1) * 100]])
            loss = -bound(model.log_weights(x, a.k), a.objective).mean()
            optimizer.zero_grad()
            loss.backward()
            optimizer.step()
            total += -loss.item()
        epoch_seconds.append(time.perf_counter() - start)
        print(f"epoch {epoch + 1}: train bound {total / batches:.2f}, {epoch_seconds[-1]:.2f} s", file=sys.stderr, flush=True)
    ll = log_likelihoods(model, test, a.eval_samples).double()
    print(json.dumps({"system": "pytorch", "dtype": "float32", "objective": a.objective, "k": a.k, "seed": a.seed, "epochs": a.epochs,
                      "threads": a.threads, "test_images": test.shape[0], "eval_samples": a.eval_samples,
                      "test_ll": ll.mean().item(), "test_ll_standard_error": (ll.std() / math.sqrt(ll.numel())).item(),
                      "mean_epoch_seconds": sum(epoch_seconds) / len(epoch_seconds)}), flush=True)


if __name__ == "__main__":
    main()
