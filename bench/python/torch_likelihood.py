"""The PyTorch formulation of score_sde's likelihood (Song et al. 2021, likelihood.py), for
scorematch's likelihood-speed benchmark: the same trained weights, the same rows, float64.

A VP diffusion score network s(x, t) = net([x, log sigma(t)]) / sigma(t) (nn.Sequential of
Linear/SiLU, parameters flattened in nn.Sequential order: weight out x in row-major, then bias),
the probability-flow drift f(x, t) = -1/2 beta(t) x - 1/2 beta(t) s(x, t), and
log p(x) = log N(x_1; 0, I) + int_eps^1 div f(x_t, t) dt as one augmented ODE integrated by
scipy.integrate.solve_ivp(method="RK45", rtol, atol) as score_sde does (all rows one system).
The divergence exactly, by D backward passes (autograd.grad of f[:, c].sum() with
retain_graph=True, keeping the c-th column), or by Hutchinson's estimate with K Rademacher probes
held fixed along the trajectory (score_sde's div_fn with K probes averaged).

Reads one JSON job on stdin: {"theta", "data" (n x D .npy, the model's units), "hidden",
"beta_min", "beta_max", "eps", "rtol", "atol", "methods": ["exact", "hutchinson:K", ...],
"seed"}; prints one JSON line: per method the seconds, the number of evaluations (nfev) and the
mean log-density. Run under Debian's python3 with torch.set_num_threads(2):
    OMP_WAIT_POLICY=PASSIVE command -p python3 bench/python/torch_likelihood.py < job.json
"""

import json
import math
import sys
import time

import numpy as np
import torch
from scipy import integrate

torch.set_default_dtype(torch.float64)


def mlp(inputs, hidden, outputs, theta):
    layers, width = [], inputs
    for h in hidden:
        layers += [torch.nn.Linear(width, h), torch.nn.SiLU()]
        width = h
    layers.append(torch.nn.Linear(width, outputs))
    net = torch.nn.Sequential(*layers)
    offset = 0
    with torch.no_grad():
        for p in net.parameters():
            p.copy_(torch.from_numpy(theta[offset:offset + p.numel()]).reshape(p.shape))
            offset += p.numel()
    assert offset == theta.size, (offset, theta.size)
    return net


def likelihood(job, net, x, method, rng):
    n, d = x.shape
    bmin, bmax, eps = job["beta_min"], job["beta_max"], job["eps"]
    probes = None
    if method.startswith("hutchinson"):
        k = int(method.split(":")[1])
        probes = torch.from_numpy(rng.integers(0, 2, size=(k, n, d)) * 2.0 - 1.0)

    def drift(t, y):
        beta = bmin + t * (bmax - bmin)
        sigma = math.sqrt(-math.expm1(-(bmin * t + 0.5 * (bmax - bmin) * t * t)))
        inp = torch.cat([y, torch.full((n, 1), math.log(sigma))], dim=1)
        return -0.5 * beta * y - 0.5 * beta * net(inp) / sigma

    def ode_func(t, state):
        y = torch.from_numpy(state[:n * d].reshape(n, d)).requires_grad_(True)
        with torch.enable_grad():
            f = drift(t, y)
            div = torch.zeros(n)
            if probes is None:
                for c in range(d):
                    div += torch.autograd.grad(f[:, c].sum(), y, retain_graph=True)[0][:, c]
            else:
                for v in probes:
                    div += (torch.autograd.grad((f * v).sum(), y, retain_graph=True)[0] * v).sum(1)
                div /= probes.shape[0]
        return np.concatenate([f.detach().numpy().reshape(-1), div.numpy()])

    init = np.concatenate([x.numpy().reshape(-1), np.zeros(n)])
    start = time.perf_counter()
    solution = integrate.solve_ivp(ode_func, (eps, 1.0), init, rtol=job["rtol"], atol=job["atol"], method="RK45")
    seconds = time.perf_counter() - start
    end = solution.y[:, -1]
    z = end[:n * d].reshape(n, d)
    prior = -0.5 * d * math.log(2 * math.pi) - 0.5 * (z * z).sum(1)
    return {"seconds": seconds, "evaluations": int(solution.nfev),
            "mean_log_density": float((prior + end[n * d:]).mean())}


def main():
    torch.set_num_threads(2)
    job = json.load(sys.stdin)
    theta = np.load(job["theta"]).reshape(-1)
    x = torch.from_numpy(np.load(job["data"]))
    net = mlp(x.shape[1] + 1, job["hidden"], x.shape[1], theta)
    rng = np.random.default_rng(job["seed"])
    out = {method: likelihood(job, net, x, method, rng) for method in job["methods"]}
    print(json.dumps(out))


if __name__ == "__main__":
    main()
