"""PyTorch reference training for scorematch's parity harness and quality suite.

Reads a JSON list of jobs on stdin and prints one JSON line per job on stdout (diagnostics go to
stderr). Every job trains an MLP (Linear/SiLU stack, float64) by one score-matching objective
with torch.optim.Adam, written the way a PyTorch user writes it: autograd.grad with
create_graph=True, one backward pass per input dimension for the exact objectives.

Models (x in standardised units; a noise-conditional network sees [x, log sigma]):
    energy   s(x) = -grad_x E(x),          E = net(x)            (conditional: E = net/sigma)
    score    s(x) = net(x)                                       (conditional: s = net/sigma)
Per-sample losses, averaged over the batch (v: K directions per sample):
    exact       1/2 |s|^2 + tr grad_x s
    sliced      1/K sum_k [1/2 (v_k.s)^2 + v_k^T (grad_x s) v_k]
    sliced-vr   1/2 |s|^2 + 1/K sum_k v_k^T (grad_x s) v_k
    denoising   1/2 |s(x + sigma eps) + eps/sigma|^2
    multiscale  sigma_i^2 1/2 |s(x + sigma_i eps, sigma_i) + eps/sigma_i|^2, sigma_i per sample
For energies tr grad_x s = -Laplacian E, so exact is Hyvarinen's 1/2|grad E|^2 - Laplacian E.

Job fields (all modes): mode, model (energy|score), objective, hidden, lr, steps, batch, dim,
ladder (list of sigmas, conditional models only), sigma (denoising), projections (K).

mode "parity": everything random comes from files written by scorematch's parity harness:
    theta0  (1 x P)  initial parameters, nn.Sequential order (weight out x in row-major, bias)
    data    (n x D)  standardised rows
    index   (steps x B)      row indices of each step's batch
    noise   (steps x B*D)    eps for the denoising objectives
    sigmas  (steps x B)      each sample's sigma (multiscale)
    dirs    (steps x B*K*D)  directions, row i*K + k for sample i, direction k
  writes `trajectory` (steps x P): the parameters after every Adam step.

mode "quality": the idiomatic PyTorch run the quality suite compares with: torch.manual_seed
(seed), nn.Linear's default initialisation, columns standardised with the training mean and
(population) standard deviation, batches as DataLoader(shuffle=True) draws them (a fresh random
permutation every epoch, the last batch of an epoch smaller), fresh torch.randn noise and
Rademacher directions (or Gaussian, per `projection`) each step. Reads `train` (n x D) and
`eval` (m x D) and `eval_score` (m x D, the target's true score in data units) and reports the
Fisher divergence 1/2 mean |s_model - s_true|^2 in data units (a conditional model at its
smallest sigma).

Run with Debian's interpreter, which has python3-torch:
    OMP_WAIT_POLICY=PASSIVE command -p python3 bench/python/torch_train.py < jobs.json
"""

import json
import math
import sys
import time

import numpy as np
import torch

torch.set_default_dtype(torch.float64)


def mlp(inputs, hidden, outputs):
    layers, width = [], inputs
    for h in hidden:
        layers += [torch.nn.Linear(width, h), torch.nn.SiLU()]
        width = h
    layers.append(torch.nn.Linear(width, outputs))
    return torch.nn.Sequential(*layers)


class ScoreModel:
    def __init__(self, job):
        self.kind = job["model"]
        self.dim = job["dim"]
        self.conditional = job.get("ladder") is not None
        inputs = self.dim + (1 if self.conditional else 0)
        self.net = mlp(inputs, job["hidden"], 1 if self.kind == "energy" else self.dim)

    def score(self, x, sigma=None):
        """s(x) with the graph kept (create_graph) so that losses of s can be differentiated."""
        inp = x if not self.conditional else torch.cat([x, torch.log(sigma)[:, None]], dim=1)
        if self.kind == "energy":
            energy = self.net(inp).squeeze(-1)
            if self.conditional:
                energy = energy / sigma
            return -torch.autograd.grad(energy.sum(), x, create_graph=True)[0]
        out = self.net(inp)
        return out / sigma[:, None] if self.conditional else out


def loss_of(model, job, x, eps=None, sigmas=None, dirs=None):
    objective = job["objective"]
    if objective in ("denoising", "multiscale"):
        if objective == "denoising":
            sigmas = torch.full((x.shape[0],), job["sigma"])
        xt = (x + sigmas[:, None] * eps).requires_grad_(True)
        s = model.score(xt, sigmas)
        r = s + eps / sigmas[:, None]
        weight = sigmas ** 2 if objective == "multiscale" else torch.ones_like(sigmas)
        return (weight * 0.5 * r.pow(2).sum(-1)).mean()
    x = x.detach().requires_grad_(True)
    s = model.score(x)
    if objective == "exact":
        trace = torch.zeros(x.shape[0])
        for d in range(x.shape[1]):
            trace = trace + torch.autograd.grad(s[:, d].sum(), x, create_graph=True)[0][:, d]
        return (0.5 * s.pow(2).sum(-1) + trace).mean()
    k = dirs.shape[1]
    total = torch.zeros(x.shape[0])
    for j in range(k):
        v = dirs[:, j]
        vjv = (torch.autograd.grad((s * v).sum(), x, create_graph=True)[0] * v).sum(-1)
        if objective == "sliced":
            total = total + 0.5 * (v * s).sum(-1).pow(2) + vjv
        else:
            total = total + vjv
    total = total / k
    if objective == "sliced-vr":
        total = total + 0.5 * s.pow(2).sum(-1)
    return total.mean()


def flat(net):
    return torch.cat([p.detach().reshape(-1) for p in net.parameters()])


def parity(job):
    model = ScoreModel(job)
    theta0 = torch.from_numpy(np.load(job["theta0"]).reshape(-1))
    with torch.no_grad():
        offset = 0
        for p in model.net.parameters():
            p.copy_(theta0[offset:offset + p.numel()].view_as(p))
            offset += p.numel()
    if offset != theta0.numel():
        raise SystemExit(f"theta0 has {theta0.numel()} values, the network {offset}")
    data = torch.from_numpy(np.load(job["data"]))
    index = torch.from_numpy(np.load(job["index"])).long()
    steps, batch = index.shape
    dim = job["dim"]
    noise = sigmas = dirs = None
    if job["objective"] in ("denoising", "multiscale"):
        noise = torch.from_numpy(np.load(job["noise"])).view(steps, batch, dim)
    if job["objective"] == "multiscale":
        sigmas = torch.from_numpy(np.load(job["sigmas"]))
    if job["objective"] in ("sliced", "sliced-vr"):
        dirs = torch.from_numpy(np.load(job["dirs"])).view(steps, batch, job["projections"], dim)
    opt = torch.optim.Adam(model.net.parameters(), lr=job["lr"])
    trajectory = np.empty((steps, theta0.numel()))
    for t in range(steps):
        opt.zero_grad()
        loss = loss_of(model, job, data[index[t]], None if noise is None else noise[t],
                       None if sigmas is None else sigmas[t], None if dirs is None else dirs[t])
        loss.backward()
        opt.step()
        trajectory[t] = flat(model.net).numpy()
    np.save(job["trajectory"], trajectory)
    return {"steps": steps, "parameters": int(theta0.numel())}


def quality(job):
    torch.manual_seed(job["seed"])
    model = ScoreModel(job)
    raw = np.load(job["train"])
    mean = raw.mean(axis=0)
    std = raw.std(axis=0)
    x = torch.from_numpy((raw - mean) / std)
    n, dim = x.shape
    batch = job["batch"]
    ladder = torch.tensor(job["ladder"]) if job.get("ladder") is not None else None
    opt = torch.optim.Adam(model.net.parameters(), lr=job["lr"])
    step, perm, cursor = 0, None, n
    started = time.perf_counter()
    while step < job["steps"]:
        if cursor >= n:
            perm, cursor = torch.randperm(n), 0
        idx = perm[cursor:cursor + batch]
        cursor += batch
        xb = x[idx]
        b = xb.shape[0]
        eps = sig = dirs = None
        if job["objective"] in ("denoising", "multiscale"):
            eps = torch.randn(b, dim)
        if job["objective"] == "multiscale":
            sig = ladder[torch.randint(len(ladder), (b,))]
        if job["objective"] in ("sliced", "sliced-vr"):
            shape = (b, job["projections"], dim)
            dirs = torch.randn(shape) if job.get("projection") == "gaussian" \
                else torch.randint(0, 2, shape).double() * 2 - 1
        opt.zero_grad()
        loss = loss_of(model, job, xb, eps, sig, dirs)
        if not torch.isfinite(loss):
            return {"fisher": float("nan"), "diverged_at": step + 1}
        loss.backward()
        opt.step()
        step += 1
    seconds = time.perf_counter() - started
    points = np.load(job["eval"])
    truth = np.load(job["eval_score"])
    z = torch.from_numpy((points - mean) / std).requires_grad_(True)
    sig = None if ladder is None else torch.full((z.shape[0],), float(ladder.min()))
    s = model.score(z, sig).detach().numpy() / std
    fisher = 0.5 * np.mean(np.sum((s - truth) ** 2, axis=1))
    return {"fisher": float(fisher), "seconds": seconds}


def main():
    jobs = json.load(sys.stdin)
    torch.set_num_threads(int(jobs[0].get("threads", 2)) if jobs else 2)
    for job in jobs:
        result = parity(job) if job["mode"] == "parity" else quality(job)
        result["id"] = job.get("id")
        print(json.dumps(result), flush=True)


if __name__ == "__main__":
    main()
