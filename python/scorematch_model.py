"""Load a scorematch model file with numpy alone and evaluate its energy and score.

The file is safetensors: an 8-byte little-endian header length, a JSON header (tensor dtype,
shape, byte offsets, and a __metadata__ map), then the tensors. Layers are named like a PyTorch
nn.Sequential (0.weight, 0.bias, 2.weight, ... with activations in between), so
torch.nn.Sequential(...).load_state_dict works too. Inputs are standardised with
standardization.mean/scale; a noise-conditional network also takes log(sigma) as a last input
and its output is divided by sigma. Energies and scores come back in the data's units.

    python3 python/scorematch_model.py MODEL CSV      # prints energy (energy models) and score per row
"""
import json
import math
import struct
import sys

import numpy as np

ACTIVATIONS = {
    # name: (sigma, sigma')
    "silu": (lambda z: z / (1 + np.exp(-z)),
             lambda z: (1 / (1 + np.exp(-z))) * (1 + z * (1 - 1 / (1 + np.exp(-z))))),
    "softplus": (lambda z: np.logaddexp(0, z), lambda z: 1 / (1 + np.exp(-z))),
    "tanh": (np.tanh, lambda z: 1 - np.tanh(z) ** 2),
    "gelu": (lambda z: z * 0.5 * (1 + np.vectorize(math.erf)(z / math.sqrt(2))),
             lambda z: 0.5 * (1 + np.vectorize(math.erf)(z / math.sqrt(2))) + z * np.exp(-z * z / 2) / math.sqrt(2 * math.pi)),
    "relu": (lambda z: np.maximum(z, 0), lambda z: (z > 0).astype(float)),
}


def load(path):
    with open(path, "rb") as f:
        (n,) = struct.unpack("<Q", f.read(8))
        header = json.loads(f.read(n))
        data = f.read()
    meta = header.pop("__metadata__")
    tensors = {}
    for name, t in header.items():
        begin, end = t["data_offsets"]
        dtype = {"F64": "<f8", "F32": "<f4"}[t["dtype"]]
        tensors[name] = np.frombuffer(data[begin:end], dtype=dtype).reshape(t["shape"]).astype(float)
    return meta, tensors


def _network(meta, tensors, inputs):
    """Output of the network and a function giving d(output . g)/d(inputs) for a given g."""
    if meta["architecture"] == "gaussian":
        w, b = tensors["0.weight"], tensors["0.bias"]
        z = inputs @ w.T + b
        return 0.5 * (z * z).sum(axis=1, keepdims=True), lambda g: (g * z) @ w
    act, dact = ACTIVATIONS.get(meta.get("activation", "silu"))
    layers = sorted(int(k.split(".")[0]) for k in tensors if k.endswith(".weight"))
    h, cache = inputs, []
    for i, layer in enumerate(layers):
        w, b = tensors[f"{layer}.weight"], tensors[f"{layer}.bias"]
        z = h @ w.T + b
        cache.append((w, z))
        h = act(z) if i < len(layers) - 1 else z

    def backward(g):
        for i in reversed(range(len(cache))):
            w, z = cache[i]
            if i < len(cache) - 1:
                g = g * dact(z)
            g = g @ w
        return g

    return h, backward


def evaluate(path, x, sigma=None):
    """(energy or None, score) of the rows of x in the data's units."""
    meta, t = load(path)
    mean, scale = t["standardization.mean"], t["standardization.scale"]
    z = (x - mean) / scale
    levels = [float(s) for s in meta["noise_levels"].split(",")] if "noise_levels" in meta else None
    s = 1.0
    if levels:
        s = sigma if sigma is not None else levels[-1]
        z = np.hstack([z, np.full((len(z), 1), math.log(s))])
    out, backward = _network(meta, t, z)
    d = len(mean)
    if meta["kind"] == "energy":
        energy = out[:, 0] / s + np.log(scale).sum()
        score = -backward(np.ones((len(z), 1)))[:, :d] / s / scale
        return energy, score
    return None, out[:, :d] / s / scale


if __name__ == "__main__":
    x = np.loadtxt(sys.argv[2], delimiter=",", skiprows=1, ndmin=2)
    energy, score = evaluate(sys.argv[1], x)
    for i in range(len(x)):
        cells = ([repr(float(energy[i]))] if energy is not None else []) + [repr(float(v)) for v in score[i]]
        print(",".join(cells))
