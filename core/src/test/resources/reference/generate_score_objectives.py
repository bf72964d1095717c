"""Reference losses and parameter gradients of denoising and score-network objectives.

Independent textbook implementations in PyTorch float64, written once and committed as
score_objectives.json; the Java tests compare against them to 1e-10 (docs/DESIGN.md §5). CI does not
need torch. Regenerate with Debian's interpreter, which has python3-torch:

    command -p python3 core/src/test/resources/reference/generate_score_objectives.py

Models (parameters flattened in nn.Sequential order, weight row-major out×in, then bias):
    energy       E(x) = net(x);                          s = -grad_x E  (autograd, create_graph)
    score        s(x) = net(x)
    conditional  the network sees [x, log sigma]; energies E = net(.)/sigma, scores s = net(.)/sigma
Objectives, averaged over the batch, x~ = x + sigma_i * eps_i:
    denoising    1/2 ||s(x~) + eps/sigma||^2
    multiscale   sigma_i^2 * 1/2 ||s(x~, sigma_i) + eps_i/sigma_i||^2, one sigma_i per sample
    exact        1/2 ||s||^2 + tr grad_x s          (score networks; D backward passes)
    sliced       1/K sum_k [1/2 (v_k.s)^2 + v_k^T (grad_x s) v_k]
    sliced_vr    1/2 ||s||^2 + 1/K sum_k v_k^T (grad_x s) v_k
"""
import json
import os

import torch

torch.set_default_dtype(torch.float64)

ACTIVATIONS = {"silu": torch.nn.SiLU, "softplus": torch.nn.Softplus, "tanh": torch.nn.Tanh, "gelu": torch.nn.GELU}


def mlp(inputs, hidden, outputs, activation):
    layers, width = [], inputs
    for h in hidden:
        layers += [torch.nn.Linear(width, h), ACTIVATIONS[activation]()]
        width = h
    layers.append(torch.nn.Linear(width, outputs))
    return torch.nn.Sequential(*layers)


def model_score(net, kind, conditional, xt, sigmas):
    """The model score at xt (requires_grad), built so that autograd can differentiate it again."""
    inp = torch.cat([xt, torch.log(sigmas)[:, None]], dim=1) if conditional else xt
    scale = sigmas[:, None] if conditional else torch.ones_like(sigmas)[:, None]
    out = net(inp)
    if kind == "score":
        return out / scale
    energy = out.squeeze(-1) / scale.squeeze(-1)
    return -torch.autograd.grad(energy.sum(), xt, create_graph=True)[0]


def denoising_loss(net, kind, conditional, x, eps, sigmas, weighted):
    xt = (x + sigmas[:, None] * eps).requires_grad_(True)
    s = model_score(net, kind, conditional, xt, sigmas)
    r = s + eps / sigmas[:, None]
    per_sample = 0.5 * (r * r).sum(-1)
    if weighted:
        per_sample = sigmas ** 2 * per_sample
    return per_sample.mean()


def field_losses(s, x, v, objective):
    """Per-row score-matching losses of a vector field s(x) (create_graph kept), v: n x K x D."""
    half_norm = 0.5 * (s * s).sum(-1)
    if objective == "exact":
        trace = torch.zeros(x.shape[0])
        for d in range(x.shape[1]):
            trace = trace + torch.autograd.grad(s[:, d].sum(), x, create_graph=True)[0][:, d]
        return half_norm + trace
    k = v.shape[1]
    curvature = torch.zeros(x.shape[0])
    projected = torch.zeros(x.shape[0])
    for j in range(k):
        vj = v[:, j, :]
        sv = (s * vj).sum(-1)
        jv = torch.autograd.grad(sv.sum(), x, create_graph=True)[0]
        curvature = curvature + (jv * vj).sum(-1)
        projected = projected + 0.5 * sv * sv
    if objective == "sliced":
        return (projected + curvature) / k
    return half_norm + curvature / k


def draw_case(net, n, dim, k, gen):
    """Parameters 0.7 * N(0, 1) in place, then n inputs and n x k directions, all from gen."""
    with torch.no_grad():
        for p in net.parameters():
            p.copy_(0.7 * torch.randn(p.shape, generator=gen))
    return torch.randn(n, dim, generator=gen), torch.randn(n, k, dim, generator=gen)


def score_net_loss(net, x, v, objective):
    x = x.clone().requires_grad_(True)
    return field_losses(net(x), x, v, objective).mean()


def flat(tensors):
    return torch.cat([t.reshape(-1) for t in tensors])


def gradient(net, loss):
    net.zero_grad()
    loss.backward()
    return flat([(p.grad if p.grad is not None else torch.zeros_like(p)) for p in net.parameters()]).tolist()


DENOISING_CASES = [
    # kind, conditional, dim, hidden, activation, n, single sigma (None: multiscale ladder)
    ("energy", False, 3, [6, 5], "silu", 4, 0.5),
    ("score", False, 4, [7, 6], "tanh", 3, 0.3),
    ("energy", True, 2, [8, 8], "softplus", 5, None),
    ("score", True, 3, [6], "gelu", 4, None),
]
SCORE_NET_CASES = [
    # dim, hidden, activation, n, k
    (3, [5, 4], "silu", 4, 2),
    (4, [6], "gelu", 3, 1),
    (2, [7, 7], "tanh", 5, 3),
]
LADDER = [3.0, 1.2, 0.48, 0.192]


def main():
    gen = torch.Generator().manual_seed(20261124)
    denoising = []
    for kind, conditional, dim, hidden, activation, n, sigma in DENOISING_CASES:
        inputs = dim + (1 if conditional else 0)
        net = mlp(inputs, hidden, 1 if kind == "energy" else dim, activation)
        with torch.no_grad():
            for p in net.parameters():
                p.copy_(0.7 * torch.randn(p.shape, generator=gen))
        x = torch.randn(n, dim, generator=gen)
        eps = torch.randn(n, dim, generator=gen)
        if sigma is None:
            idx = torch.randint(len(LADDER), (n,), generator=gen)
            sigmas = torch.tensor([LADDER[i] for i in idx])
        else:
            sigmas = torch.full((n,), sigma)
        loss = denoising_loss(net, kind, conditional, x, eps, sigmas, weighted=sigma is None)
        denoising.append({
            "kind": kind, "conditional": conditional, "dim": dim, "hidden": hidden, "activation": activation,
            "n": n, "sigma": sigma, "ladder": LADDER if sigma is None else None,
            "parameters": flat([p.detach() for p in net.parameters()]).tolist(),
            "x": x.reshape(-1).tolist(), "eps": eps.reshape(-1).tolist(), "sigmas": sigmas.tolist(),
            "loss": loss.item(), "gradient": gradient(net, loss),
        })
    score_nets = []
    for dim, hidden, activation, n, k in SCORE_NET_CASES:
        net = mlp(dim, hidden, dim, activation)
        x, v = draw_case(net, n, dim, k, gen)
        case = {"dim": dim, "hidden": hidden, "activation": activation, "n": n, "k": k,
                "parameters": flat([p.detach() for p in net.parameters()]).tolist(),
                "x": x.reshape(-1).tolist(), "directions": v.reshape(-1).tolist(), "objectives": {}}
        for objective in ("exact", "sliced", "sliced_vr"):
            loss = score_net_loss(net, x, v, objective)
            case["objectives"][objective] = {"loss": loss.item(), "gradient": gradient(net, loss)}
        score_nets.append(case)
    path = os.path.join(os.path.dirname(os.path.abspath(__file__)), "score_objectives.json")
    with open(path, "w") as f:
        json.dump({"generator": "generate_score_objectives.py", "torch": torch.__version__,
                   "denoising": denoising, "score_networks": score_nets}, f, indent=1)
    print("wrote", path)


if __name__ == "__main__":
    main()
