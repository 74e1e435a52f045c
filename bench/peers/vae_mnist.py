#!/usr/bin/python3
"""PyTorch reference of `vinfer experiment vae`: the Burda et al. (2016) Bernoulli VAEs, 1 stochastic layer
(encoder 784-200-200-(2x50), decoder 50-200-200-784) or 2 (q(h1|x) 784-200-200-(2x100), q(h2|h1) 100-100-100-(2x50),
p(h1|h2) 50-100-100-(2x100), p(x|h1) 100-200-200-784), tanh, exp scales, trained with Adam (lr 1e-3, batch 100) on
dynamically binarized images with the ELBO(k), IWAE(k), VR alpha = 0.5 or VR-max, evaluated with importance samples
on a statically binarized test set. The data split is Vinfer's: `vinfer data split mnist|fashion-mnist --out FILE`
gives the indices (MNIST-10k: test = first 1,000 shuffled digits, validation the next 1,000, training the rest;
Fashion-MNIST: 5,000 validation images off the 60,000, the test file as is); --train-images/--test-images take the
first ones as Vinfer does, so both systems see the same images. The static binarization of the test set is Vinfer's
too when the split file carries it (`vinfer data split ... --binarized-test SEEDS`): the run with --seed S evaluates
on the binary test images that `vinfer experiment vae --seed S` evaluates on (without it, its own draw: a different
test set, whose mean log-likelihood differs by the draw's noise). float32, PyTorch's default initialization.
Prints one JSON line: test_ll, its standard error, mean epoch seconds and each epoch's seconds (the training loop
only, as Vinfer's: from the first batch's binarization to the last Adam step) and CPU seconds (every thread of the
process, as Vinfer's profile `process_cpu_seconds`), threads.
Usage: vae_mnist.py SPLIT.json [--objective iwae] [--k 5] [--layers 1] [--epochs 10] [--seed 1] [--threads N]
                   [--train-images N] [--test-images 500] [--eval-samples 5000]
"""
import argparse, base64, gzip, json, math, os, sys, time

import numpy as np
import torch
from torch import nn


def read_idx(path):
    """An IDX file of unsigned bytes (plain or .gz) as an array of its dimensions."""
    if not os.path.exists(path):
        path += ".gz"
    raw = (gzip.open if path.endswith(".gz") else open)(path, "rb").read()
    if raw[0] != 0 or raw[1] != 0 or raw[2] != 8:
        raise SystemExit(f"vae_mnist.py: {path}: not an IDX file of unsigned bytes")
    dims = [int.from_bytes(raw[4 + 4 * i:8 + 4 * i], "big") for i in range(raw[3])]
    return np.frombuffer(raw, dtype=np.uint8, offset=4 + 4 * raw[3]).reshape(dims)


def load_images(split_path):
    split = json.load(open(split_path))
    folder = split["directory"]
    if split.get("dataset", "mnist") == "fashion-mnist":
        train_file = read_idx(os.path.join(folder, "train-images-idx3-ubyte")).reshape(-1, 784).astype(np.float32) / 255
        test_file = read_idx(os.path.join(folder, "t10k-images-idx3-ubyte")).reshape(-1, 784).astype(np.float32) / 255
        pick = lambda source, name: source[np.asarray(split[name], dtype=np.int64)]
        return {"train": pick(train_file, "train"), "validation": pick(train_file, "validation"), "test": pick(test_file, "test")}
    images = []
    for digit in range(10):
        data = np.asarray(json.load(open(os.path.join(folder, f"{digit}.json")))["data"], dtype=np.float32)
        images.append(data.reshape(-1, 784))
    images = np.concatenate(images)
    return {name: images[np.asarray(split[name], dtype=np.int64)] for name in ("train", "validation", "test")}


def binarized_test(split, seed, count):
    """Vinfer's statically binarized test set of seed `seed` (its first `count` images), or None if the split lacks it."""
    sets = split.get("binarized_test")
    if sets is None:
        return None
    if str(seed) not in sets:
        raise SystemExit(f"vae_mnist.py: the split file has binarized test sets for seeds {sorted(sets)}, not for --seed {seed}")
    rows, columns = split["binarized_test_shape"]
    bits = np.unpackbits(np.frombuffer(base64.b64decode(sets[str(seed)]), dtype=np.uint8), count=rows * columns)
    return torch.from_numpy(bits.reshape(rows, columns)[:count].astype(np.float32))


def mlp(sizes):
    layers = []
    for i in range(len(sizes) - 1):
        layers.append(nn.Linear(sizes[i], sizes[i + 1]))
        if i < len(sizes) - 2:
            layers.append(nn.Tanh())
    return nn.Sequential(*layers)


def normal_log_density(z, mean, log_scale):
    return (-0.5 * ((z - mean) * (-log_scale).exp()).square() - log_scale).sum(-1) - 0.5 * z.shape[-1] * math.log(2 * math.pi)


class Vae(nn.Module):
    def __init__(self, layers=1):
        super().__init__()
        self.sizes = [50] if layers == 1 else [100, 50]
        if layers == 1:
            self.encoders = nn.ModuleList([mlp([784, 200, 200, 100])])
            self.decoders = nn.ModuleList([mlp([50, 200, 200, 784])])
        else:
            self.encoders = nn.ModuleList([mlp([784, 200, 200, 200]), mlp([100, 100, 100, 100])])
            self.decoders = nn.ModuleList([mlp([50, 100, 100, 200]), mlp([100, 200, 200, 784])])

    def log_weights(self, x, k):
        log_q = 0.0
        latents = []
        h_in = x
        for layer, d in enumerate(self.sizes):
            h = self.encoders[layer](h_in)
            mean, log_scale = h[..., :d], h[..., d:]
            eps = torch.randn(k, x.shape[0], d) if layer == 0 else torch.randn(h.shape[:-1] + (d,))
            z = mean + eps * log_scale.exp()
            log_q = log_q + (-0.5 * eps.square() - log_scale).sum(-1) - 0.5 * d * math.log(2 * math.pi)
            latents.append(z)
            h_in = z
        top = latents[-1]
        log_p = (-0.5 * top.square()).sum(-1) - 0.5 * top.shape[-1] * math.log(2 * math.pi)
        for layer, decoder in enumerate(self.decoders):
            h = decoder(latents[-(layer + 1)])
            if layer < len(self.decoders) - 1:
                d = self.sizes[-(layer + 2)]
                log_p = log_p + normal_log_density(latents[-(layer + 2)], h[..., :d], h[..., d:])
            else:
                log_p = log_p + (x * h - nn.functional.softplus(h)).sum(-1)
        return log_p - log_q


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
def log_likelihoods(model, x, samples, chunk=100, batch=100):
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
    p.add_argument("--layers", type=int, default=1)
    p.add_argument("--train-images", type=int, default=None)
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
    if a.layers not in (1, 2):
        raise SystemExit(f"vae_mnist.py: --layers must be 1 or 2, got {a.layers}")
    data = load_images(a.split)
    train = torch.from_numpy(data["train"][: a.train_images] if a.train_images else data["train"])
    test_grey = torch.from_numpy(data["test"][: a.test_images] if a.test_images else data["test"])
    test = torch.bernoulli(test_grey)  # drawn in any case, so the training stream is the same with or without Vinfer's set
    vinfer_test = binarized_test(json.load(open(a.split)), a.seed, test_grey.shape[0])
    if vinfer_test is not None:
        test = vinfer_test
    model = Vae(a.layers)
    optimizer = torch.optim.Adam(model.parameters(), lr=1e-3)
    epoch_seconds, epoch_cpu_seconds = [], []
    for epoch in range(a.epochs):
        order = torch.randperm(train.shape[0])
        start, start_cpu = time.perf_counter(), time.process_time()
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
        epoch_cpu_seconds.append(time.process_time() - start_cpu)
        print(f"epoch {epoch + 1}: train bound {total / batches:.2f}, {epoch_seconds[-1]:.2f} s", file=sys.stderr, flush=True)
    ll = log_likelihoods(model, test, a.eval_samples).double()
    print(json.dumps({"system": "pytorch", "dtype": "float32", "dataset": json.load(open(a.split)).get("dataset", "mnist"), "objective": a.objective, "k": a.k, "layers": a.layers,
                      "train_images": train.shape[0], "seed": a.seed, "epochs": a.epochs,
                      "threads": a.threads, "test_images": test.shape[0], "eval_samples": a.eval_samples,
                      "test_binarization": "vinfer" if vinfer_test is not None else "pytorch",
                      "test_ll": ll.mean().item(), "test_ll_standard_error": (ll.std() / math.sqrt(ll.numel())).item(),
                      "mean_epoch_seconds": sum(epoch_seconds) / len(epoch_seconds), "epoch_seconds": epoch_seconds,
                      "epoch_process_cpu_seconds": epoch_cpu_seconds}), flush=True)


if __name__ == "__main__":
    main()
