"""Reference losses and parameter gradients of the energy score-matching objectives.

An independent implementation of the textbook formulations in PyTorch float64, with nested
autograd (create_graph=True), one backward pass per input dimension for the exact loss. Its
output, energy_objectives.json, is committed; the Java tests compare against it to 1e-10
(docs/DESIGN.md §5). CI does not need torch. Regenerate with Debian's interpreter, which has
python3-torch:

    command -p python3 core/src/test/resources/reference/generate_energy_objectives.py

Per-sample losses for an energy E (score s = -grad E), averaged over the batch:
    exact      ½‖∇E‖² − ΔE
    sliced     (1/K) Σ_k [½ (v_k·∇E)² − v_kᵀ ∇²E v_k]
    sliced_vr  ½‖∇E‖² − (1/K) Σ_k v_kᵀ ∇²E v_k
Parameters are flattened in nn.Sequential order (each Linear's weight, row-major out×in, then
its bias). Directions are stored as rows i*K + k (sample i, direction k).
"""
import json
import os

import torch

from generate_score_objectives import draw_case, field_losses

torch.set_default_dtype(torch.float64)

ACTIVATIONS = {
    "silu": torch.nn.SiLU,
    "softplus": torch.nn.Softplus,
    "tanh": torch.nn.Tanh,
    "gelu": torch.nn.GELU,  # exact erf form
}


class Quadratic(torch.nn.Module):
    """½‖W x + c‖², the library's Gaussian energy; parameters [W row-major, c]."""

    def __init__(self, dim):
        super().__init__()
        self.weight = torch.nn.Parameter(torch.empty(dim, dim))
        self.bias = torch.nn.Parameter(torch.empty(dim))

    def forward(self, x):
        z = x @ self.weight.T + self.bias
        return 0.5 * (z * z).sum(-1, keepdim=True)


def build(model, dim, hidden, activation):
    if model == "gaussian":
        return Quadratic(dim)
    layers, width = [], dim
    for h in hidden:
        layers += [torch.nn.Linear(width, h), ACTIVATIONS[activation]()]
        width = h
    layers.append(torch.nn.Linear(width, 1))
    return torch.nn.Sequential(*layers)


def parameters_flat(net):
    return torch.cat([p.detach().reshape(-1) for p in net.parameters()])


def losses(net, x, v, objective):
    """Per-row losses of the energy through its score s = -grad E (one definition for both scripts)."""
    x = x.clone().requires_grad_(True)
    energy = net(x).squeeze(-1)
    g = torch.autograd.grad(energy.sum(), x, create_graph=True)[0]
    return field_losses(-g, x, v, objective)


CASES = [
    # model, dim, hidden, activation, n, k
    ("mlp", 3, [5, 4], "silu", 4, 2),
    ("mlp", 2, [8], "softplus", 3, 1),
    ("mlp", 5, [6, 6, 6], "tanh", 3, 3),
    ("mlp", 4, [7, 5], "gelu", 2, 2),
    ("mlp", 10, [16, 16], "silu", 5, 2),
    ("gaussian", 3, [], "none", 4, 2),
    # D > H: the library takes the exact loss through H directions at the first layer.
    ("mlp", 12, [5, 4], "softplus", 3, 2),
]


def main():
    gen = torch.Generator().manual_seed(20261123)
    out = []
    for model, dim, hidden, activation, n, k in CASES:
        net = build(model, dim, hidden, activation)
        x, v = draw_case(net, n, dim, k, gen)
        case = {
            "model": model, "dim": dim, "hidden": hidden, "activation": activation, "n": n, "k": k,
            "parameters": parameters_flat(net).tolist(),
            "x": x.reshape(-1).tolist(),
            "directions": v.reshape(-1).tolist(),
            "objectives": {},
        }
        for objective in ("exact", "sliced", "sliced_vr"):
            net.zero_grad()
            loss = losses(net, x, v, objective).mean()
            loss.backward()
            # The output bias does not reach any derivative of E: autograd leaves its grad None.
            grad = torch.cat([(p.grad if p.grad is not None else torch.zeros_like(p)).reshape(-1)
                              for p in net.parameters()])
            case["objectives"][objective] = {"loss": loss.item(), "gradient": grad.tolist()}
        out.append(case)
    path = os.path.join(os.path.dirname(os.path.abspath(__file__)), "energy_objectives.json")
    with open(path, "w") as f:
        json.dump({"generator": "generate_energy_objectives.py", "torch": torch.__version__, "cases": out}, f, indent=1)
    print("wrote", path)


if __name__ == "__main__":
    main()
