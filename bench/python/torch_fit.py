"""Whole-process PyTorch reference for `./scorematch train` (bench/whole-process.sh).

Reads a CSV with a header row, standardises its columns, trains an MLP score network
s(x) = net(x) (Linear/SiLU, nn.Linear's initialisation) by denoising score matching,
    l(x) = 1/2 || s(x + sigma eps) + eps/sigma ||^2,  eps ~ N(0, I) fresh each step,
with torch.optim.Adam on batches drawn as DataLoader(shuffle=True) draws them (a fresh
permutation every epoch), then writes the state dict. This is what `./scorematch train --model
score --objective denoising --sigma S --validation 0` does (scorematch also keeps a weight average
and reports more); the timing covers the whole process, interpreter start and imports included.

    OMP_WAIT_POLICY=PASSIVE command -p python3 bench/python/torch_fit.py --data x.csv --sigma 0.5 \
        --hidden 128,128,128 --batch 1024 --steps 1500 --dtype float32 --threads 2 --out model.pt
"""

import argparse
import os
import sys
import time

import numpy as np
import torch


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--data", required=True)
    parser.add_argument("--sigma", type=float, default=0.5)
    parser.add_argument("--hidden", default="128,128,128")
    parser.add_argument("--batch", type=int, default=256)
    parser.add_argument("--steps", type=int, default=2000)
    parser.add_argument("--lr", type=float, default=1e-3)
    parser.add_argument("--dtype", choices=["float32", "float64"], default="float32")
    parser.add_argument("--threads", type=int, default=2)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--out", required=True)
    args = parser.parse_args()
    torch.set_num_threads(args.threads)
    torch.manual_seed(args.seed)
    dtype = getattr(torch, args.dtype)

    x = np.loadtxt(args.data, delimiter=",", skiprows=1, ndmin=2)
    x = (x - x.mean(0)) / x.std(0)
    data = torch.tensor(x, dtype=dtype)
    n, dim = data.shape
    layers, width = [], dim
    for h in (int(w) for w in args.hidden.split(",")):
        layers += [torch.nn.Linear(width, h), torch.nn.SiLU()]
        width = h
    layers.append(torch.nn.Linear(width, dim))
    net = torch.nn.Sequential(*layers).to(dtype)
    optimizer = torch.optim.Adam(net.parameters(), lr=args.lr)

    start = time.perf_counter()
    step, loss = 0, float("nan")
    while step < args.steps:
        order = torch.randperm(n)
        for first in range(0, n, args.batch):
            if step == args.steps:
                break
            batch = data[order[first:first + args.batch]]
            eps = torch.randn(batch.shape, dtype=dtype)
            r = net(batch + args.sigma * eps) + eps / args.sigma
            loss = (0.5 * r.pow(2).sum(-1)).mean()
            optimizer.zero_grad(set_to_none=True)
            loss.backward()
            optimizer.step()
            step += 1
    seconds = time.perf_counter() - start
    tmp = args.out + ".tmp"
    torch.save(net.state_dict(), tmp)
    os.replace(tmp, args.out)
    print(f"trained {step} steps in {seconds:.2f} s (training loop); final loss {loss.item():.4f}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
