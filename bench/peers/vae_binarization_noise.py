#!/usr/bin/python3
"""How much the test log-likelihood of one trained model moves between static binarizations of the same test images:
trains the PyTorch reference (bench/peers/vae_mnist.py) once, then estimates its mean test LL on Vinfer's binarized
test set of the seed (from a split written by `vinfer data split ... --binarized-test SEED`) and on D further draws
of the same grey images. The spread is what two systems that each draw their own test set disagree by even with
identical models. Prints one JSON line.
Usage: vae_binarization_noise.py SPLIT.json [--objective iwae] [--k 5] [--epochs 3] [--seed 1] [--test-images 250]
                                 [--eval-samples 1000] [--draws 4]
"""
import argparse, json, math, os, sys

import numpy as np
import torch

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import vae_mnist  # noqa: E402


def main():
    p = argparse.ArgumentParser()
    p.add_argument("split")
    p.add_argument("--objective", default="iwae")
    p.add_argument("--k", type=int, default=5)
    p.add_argument("--epochs", type=int, default=3)
    p.add_argument("--seed", type=int, default=1)
    p.add_argument("--test-images", type=int, default=250)
    p.add_argument("--eval-samples", type=int, default=1000)
    p.add_argument("--draws", type=int, default=4)
    a = p.parse_args()
    torch.set_num_threads(1)
    torch.manual_seed(a.seed)
    split = json.load(open(a.split))
    data = vae_mnist.load_images(a.split)
    train = torch.from_numpy(data["train"])
    grey = torch.from_numpy(data["test"][: a.test_images])
    vinfer_set = vae_mnist.binarized_test(split, a.seed, a.test_images)
    if vinfer_set is None:
        raise SystemExit("vae_binarization_noise.py: the split has no binarized test set; write it with --binarized-test")
    model = vae_mnist.Vae(1)
    optimizer = torch.optim.Adam(model.parameters(), lr=1e-3)
    for _ in range(a.epochs):
        order = torch.randperm(train.shape[0])
        for b in range(train.shape[0] // 100):
            x = torch.bernoulli(train[order[b * 100:(b + 1) * 100]])
            loss = -vae_mnist.bound(model.log_weights(x, a.k), a.objective).mean()
            optimizer.zero_grad()
            loss.backward()
            optimizer.step()
    sets = [vinfer_set] + [torch.bernoulli(grey) for _ in range(a.draws)]
    means = [vae_mnist.log_likelihoods(model, s, a.eval_samples).double().mean().item() for s in sets]
    spread = float(np.std(means, ddof=1))
    print(json.dumps({"objective": a.objective, "k": a.k, "epochs": a.epochs, "seed": a.seed, "test_images": a.test_images,
                      "eval_samples": a.eval_samples, "test_ll_vinfer_binarization": means[0], "test_ll_other_draws": means[1:],
                      "sd_over_binarizations": spread, "largest_gap": max(means) - min(means)}), flush=True)


if __name__ == "__main__":
    main()
