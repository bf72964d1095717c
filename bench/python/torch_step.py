"""PyTorch reference timing for one score-matching training step.

What is measured
----------------
Wall-clock time (time.perf_counter) of ONE full training step of score
matching for an MLP energy E_theta: R^D -> R:

    zero_grad -> forward -> loss -> backward (parameter gradients) -> Adam step

The model is
    nn.Sequential(Linear(D, h1), SiLU, Linear(h1, h2), SiLU, ..., Linear(hL, 1))
with E(x) = net(x).squeeze(-1) and score s(x) = -grad_x E(x).  The input batch
x ~ N(0, I) of shape (B, D) is drawn once and kept fixed; the optimizer is
torch.optim.Adam(lr=1e-3).  The backward pass asks only for the parameter
gradients (loss.backward(inputs=params)); d(loss)/dx is never formed.

Objectives (per-sample loss, averaged over the batch)
-----------------------------------------------------
exact (Hyvarinen):   l(x) = 1/2 ||grad_x E||^2 - Laplacian E,
                     Laplacian E = sum_d d^2 E / dx_d^2
  variant "nested"     textbook autograd: g = grad(E.sum(), x, create_graph)
                       and D further grad calls, one per diagonal entry
                       grad(g[:, d].sum(), x, create_graph)[:, d].
  variant "functorch"  per-sample Hessian via vmap(jacfwd(jacrev(E))) over a
                       functional call of the network (forward-over-reverse;
                       jacrev's output is returned as aux so grad_x E comes
                       from the same pass); Laplacian = trace of the Hessian.
                       Uses torch.func when present (torch >= 2.0), otherwise
                       the separate `functorch` package (torch 1.13).  Skipped
                       with a message on stderr if neither is importable.
denoising (Vincent 2011), noise level --sigma, eps ~ N(0, I) drawn fresh each
step (inside the timed step), x~ = x + sigma*eps:
                     l(x) = 1/2 || s(x~) + eps/sigma ||^2
  --model energy       s = -grad_x E(x~) by autograd.grad(create_graph=True)
  --model score        s = net(x~), a network R^D -> R^D (same hidden layers)
multiscale (Song & Ermon 2019), a score network of [x~, log sigma] divided by
sigma, one of 10 geometric levels from 3 to 0.1 per sample:
                     l(x) = sigma^2 1/2 || s(x + sigma eps, sigma) + eps/sigma ||^2
diffusion (Song et al. 2021), the same network under the VP SDE (beta 0.1 -> 20),
t ~ U(1e-5, 1), x~ = m(t) x + sigma(t) eps, lambda = sigma(t)^2.
sliced-vr (Song et al. 2019, variance-reduced): 1/2 ||g||^2 - 1/K sum_k v_k^T H v_k.
sliced (Song et al. 2019), K projections v_k ~ N(0, I) drawn fresh each step
(inside the timed step), v of shape (B, K, D):
                     l(x) = 1/K sum_k [ 1/2 (v_k . g)^2 - v_k^T (grad_x^2 E) v_k ]
  variant "nested"     Hessian-vector products
                       grad((g * v_k).sum(), x, create_graph=True).

Usage
-----
Run with Debian's interpreter (the one that has torch):

    OMP_WAIT_POLICY=PASSIVE command -p python3 bench/python/torch_step.py \
        --objective exact --dims 2,10,50,100,200 --dtypes float32,float64 \
        --variants nested,functorch --batch 256 --hidden 128,128,128 \
        --threads 2 --min-time 2.0 --warmup 2

    command -p python3 bench/python/torch_step.py --objective sliced --projections 1

For every (dim, dtype, variant) one JSON line is printed to stdout, e.g.
    {"impl": "pytorch", "objective": "exact", "variant": "nested",
     "dtype": "float64", "dim": 10, "batch": 256, "hidden": [128, 128, 128],
     "projections": null, "ms_median": 41.2, "ms_min": 39.8, "reps": 49,
     "threads": 2, "torch": "1.13.0"}
("projections" is null for the exact objective).  Nothing else goes to stdout;
diagnostics go to stderr.  After --warmup untimed steps, steps are timed until
at least --min-time seconds have been spent in them and at least 3 were timed.

    command -p python3 bench/python/torch_step.py --serve --threads 2

times one configuration per JSON request line on stdin (see serve()), so that a
harness can time each row of both sides back to back.

    command -p python3 bench/python/torch_step.py --check

compares the exact loss and its parameter gradients of the two variants on a
tiny float64 case (D=3, hidden 5,4, B=4), and the sliced loss with the D unit
vectors as projections (which equals exact / D); exits non-zero unless all
agree to 1e-12.
"""

import argparse
import json
import math
import statistics
import sys
import time

import torch

try:
    from torch.func import functional_call, jacfwd, jacrev, vmap
except ImportError:
    try:
        from functorch import jacfwd, jacrev, vmap
        from torch.nn.utils.stateless import functional_call
    except ImportError as error:
        FUNCTORCH_ERROR = error
    else:
        FUNCTORCH_ERROR = None
else:
    FUNCTORCH_ERROR = None

CHECK_TOLERANCE = 1e-12


def make_mlp(dim, hidden, dtype, outputs=1):
    """Linear/SiLU stack R^dim -> R^outputs with the given hidden widths."""
    layers = []
    width = dim
    for h in hidden:
        layers += [torch.nn.Linear(width, h), torch.nn.SiLU()]
        width = h
    layers.append(torch.nn.Linear(width, outputs))
    return torch.nn.Sequential(*layers).to(dtype)


def exact_loss_nested(net, x):
    """Hyvarinen loss with the Laplacian from D nested autograd.grad calls."""
    energy = net(x).squeeze(-1)
    g = torch.autograd.grad(energy.sum(), x, create_graph=True)[0]
    laplacian = torch.zeros_like(energy)
    for d in range(x.shape[1]):
        laplacian = laplacian + torch.autograd.grad(g[:, d].sum(), x, create_graph=True)[0][:, d]
    return (0.5 * g.pow(2).sum(-1) - laplacian).mean()


def exact_loss_functorch(net, x):
    """Hyvarinen loss with per-sample Hessians from vmap(jacfwd(jacrev(E)))."""
    params = dict(net.named_parameters())

    def energy(p, xi):
        return functional_call(net, p, (xi,)).squeeze(-1)

    def grad_with_aux(p, xi):
        g = jacrev(energy, argnums=1)(p, xi)
        return g, g

    hessian, g = vmap(jacfwd(grad_with_aux, argnums=1, has_aux=True), in_dims=(None, 0))(params, x)
    laplacian = hessian.diagonal(dim1=-2, dim2=-1).sum(-1)
    return (0.5 * g.pow(2).sum(-1) - laplacian).mean()


def sliced_loss_nested(net, x, v):
    """Sliced score-matching loss for projections v of shape (B, K, D)."""
    energy = net(x).squeeze(-1)
    g = torch.autograd.grad(energy.sum(), x, create_graph=True)[0]
    projections = v.shape[1]
    total = torch.zeros_like(energy)
    for k in range(projections):
        vk = v[:, k]
        hvp = torch.autograd.grad((g * vk).sum(), x, create_graph=True)[0]
        total = total + 0.5 * (vk * g).sum(-1).pow(2) - (hvp * vk).sum(-1)
    return (total / projections).mean()


def denoising_loss(net, x, model, sigma):
    """Single-level denoising score matching with fresh noise."""
    eps = torch.randn(x.shape, dtype=x.dtype)
    xt = x.detach() + sigma * eps
    if model == "energy":
        xt.requires_grad_(True)
        energy = net(xt).squeeze(-1)
        s = -torch.autograd.grad(energy.sum(), xt, create_graph=True)[0]
    else:
        s = net(xt)
    r = s + eps / sigma
    return (0.5 * r.pow(2).sum(-1)).mean()


def sliced_vr_loss_nested(net, x, v):
    """Variance-reduced sliced loss 1/2 |g|^2 - 1/K sum_k v_k^T (grad_x^2 E) v_k."""
    energy = net(x).squeeze(-1)
    g = torch.autograd.grad(energy.sum(), x, create_graph=True)[0]
    projections = v.shape[1]
    total = 0.5 * g.pow(2).sum(-1)
    for k in range(projections):
        vk = v[:, k]
        hvp = torch.autograd.grad((g * vk).sum(), x, create_graph=True)[0]
        total = total - (hvp * vk).sum(-1) / projections
    return total.mean()


LADDER = torch.logspace(math.log10(3.0), math.log10(0.1), 10, dtype=torch.float64)
BETA_MIN, BETA_MAX, EPSILON = 0.1, 20.0, 1e-5


def conditional_denoising_loss(net, x, sigma, mean):
    """sigma^2 1/2 |s(m x + sigma eps, sigma) + eps/sigma|^2 with s = net([x~, log sigma]) / sigma."""
    eps = torch.randn(x.shape, dtype=x.dtype)
    xt = mean[:, None] * x.detach() + sigma[:, None] * eps
    s = net(torch.cat([xt, sigma.log()[:, None]], dim=1)) / sigma[:, None]
    r = s + eps / sigma[:, None]
    return (sigma.pow(2) * 0.5 * r.pow(2).sum(-1)).mean()


def multiscale_loss(net, x):
    """Multi-scale denoising (Song & Ermon 2019): one level per sample from the 10-level ladder."""
    sigma = LADDER.to(x.dtype)[torch.randint(len(LADDER), (x.shape[0],))]
    return conditional_denoising_loss(net, x, sigma, torch.ones_like(sigma))


def diffusion_loss(net, x):
    """Continuous-time denoising under the VP SDE (Song et al. 2021), t ~ U(eps, 1), lambda = sigma(t)^2."""
    t = EPSILON + (1 - EPSILON) * torch.rand(x.shape[0], dtype=x.dtype)
    log_mean = -0.25 * t.pow(2) * (BETA_MAX - BETA_MIN) - 0.5 * t * BETA_MIN
    sigma = torch.sqrt(-torch.expm1(2 * log_mean))
    return conditional_denoising_loss(net, x, sigma, log_mean.exp())


def make_loss(objective, variant, projections, model="energy", sigma=0.5):
    """Loss closure loss(net, x) for the configuration."""
    if objective == "exact":
        return exact_loss_nested if variant == "nested" else exact_loss_functorch
    if objective == "denoising":
        return lambda net, x: denoising_loss(net, x, model, sigma)
    if objective == "multiscale":
        return multiscale_loss
    if objective == "diffusion":
        return diffusion_loss
    sliced_loss = sliced_vr_loss_nested if objective == "sliced-vr" else sliced_loss_nested

    def sliced(net, x):
        v = torch.randn(x.shape[0], projections, x.shape[1], dtype=x.dtype)
        return sliced_loss(net, x, v)

    return sliced


def time_config(args, objective, variant, dim, dtype):
    """Median and minimum step time (ms) and number of timed steps."""
    torch.manual_seed(0)
    conditional = objective in ("multiscale", "diffusion")
    outputs = dim if conditional or (objective == "denoising" and args.model == "score") else 1
    net = make_mlp(dim + 1 if conditional else dim, args.hidden, dtype, outputs)
    params = list(net.parameters())
    optimizer = torch.optim.Adam(params, lr=1e-3)
    x = torch.randn(args.batch, dim, dtype=dtype, requires_grad=True)
    loss_fn = make_loss(objective, variant, args.projections, args.model, args.sigma)

    def step():
        optimizer.zero_grad(set_to_none=True)
        loss = loss_fn(net, x)
        loss.backward(inputs=params)
        optimizer.step()

    for _ in range(args.warmup):
        step()
    times = []
    while len(times) < 3 or sum(times) < args.min_time:
        start = time.perf_counter()
        step()
        times.append(time.perf_counter() - start)
    return 1e3 * statistics.median(times), 1e3 * min(times), len(times)


def run_check():
    """Compare the exact-loss variants (and sliced with unit projections)."""
    if FUNCTORCH_ERROR is not None:
        print(f"check: functorch not usable ({FUNCTORCH_ERROR})", file=sys.stderr)
        return 2
    dim, batch, dtype = 3, 4, torch.float64
    torch.manual_seed(0)
    net = make_mlp(dim, [5, 4], dtype)
    params = list(net.parameters())
    x = torch.randn(batch, dim, dtype=dtype, requires_grad=True)

    def loss_and_grads(loss):
        # The output bias does not enter grad_x E, so its gradient is None.
        grads = torch.autograd.grad(loss, params, allow_unused=True)
        return loss.item(), [torch.zeros_like(p) if g is None else g for p, g in zip(params, grads)]

    nested, nested_grads = loss_and_grads(exact_loss_nested(net, x))
    func, func_grads = loss_and_grads(exact_loss_functorch(net, x))
    units = torch.eye(dim, dtype=dtype).expand(batch, dim, dim)
    sliced_times_dim = dim * sliced_loss_nested(net, x, units).item()

    loss_diff = abs(nested - func)
    grad_diff = max((a - b).abs().max().item() for a, b in zip(nested_grads, func_grads))
    sliced_diff = abs(sliced_times_dim - nested)
    print(f"exact loss nested    = {nested:.17g}")
    print(f"exact loss functorch = {func:.17g}")
    print(f"sliced loss (unit projections) * D = {sliced_times_dim:.17g}")
    print(f"|loss diff| = {loss_diff:.3g}, max |grad diff| = {grad_diff:.3g}, "
          f"|sliced*D - exact| = {sliced_diff:.3g}")
    ok = max(loss_diff, grad_diff, sliced_diff) <= CHECK_TOLERANCE
    print("check: OK" if ok else f"check: FAILED (tolerance {CHECK_TOLERANCE})")
    return 0 if ok else 1


def int_list(text):
    return [int(s) for s in text.split(",") if s]


def str_list(text):
    return [s for s in text.split(",") if s]


def parse_args():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--objective", choices=["exact", "sliced", "sliced-vr", "denoising", "multiscale",
                                                 "diffusion"], default="exact")
    parser.add_argument("--model", choices=["energy", "score"], default="energy",
                        help="for denoising: an energy (score = -grad E) or a score network")
    parser.add_argument("--sigma", type=float, default=0.5, help="noise level for denoising")
    parser.add_argument("--dims", type=int_list, default=[2, 10, 50, 100, 200])
    parser.add_argument("--dtypes", type=str_list, default=["float32", "float64"])
    parser.add_argument("--variants", type=str_list, default=None,
                        help="nested,functorch (default for exact); nested (default and only one for sliced)")
    parser.add_argument("--batch", type=int, default=256)
    parser.add_argument("--hidden", type=int_list, default=[128, 128, 128])
    parser.add_argument("--projections", type=int, default=1, help="K for the sliced objective")
    parser.add_argument("--threads", type=int, default=2, help="torch.set_num_threads")
    parser.add_argument("--min-time", type=float, default=2.0,
                        help="seconds of timed steps per configuration (at least 3 steps)")
    parser.add_argument("--warmup", type=int, default=2, help="untimed steps per configuration")
    parser.add_argument("--serve", action="store_true",
                        help="time the configurations requested on stdin, one JSON object a line (see serve)")
    parser.add_argument("--check", action="store_true",
                        help="verify the variants agree on a tiny float64 case and exit")
    args = parser.parse_args()
    if args.variants is None:
        args.variants = ["nested", "functorch"] if args.objective == "exact" else ["nested"]
    for variant in args.variants:
        if variant not in ("nested", "functorch"):
            parser.error(f"unknown variant {variant!r}")
    for dtype in args.dtypes:
        if dtype not in ("float32", "float64"):
            parser.error(f"unknown dtype {dtype!r}")
    return args


def record(args, objective, variant, dim, dtype_name, median, minimum, reps):
    """The JSON line of one timed configuration."""
    return json.dumps({
        "impl": "pytorch",
        "objective": objective,
        "model": args.model if objective == "denoising"
        else "score" if objective in ("multiscale", "diffusion") else "energy",
        "variant": variant,
        "dtype": dtype_name,
        "dim": dim,
        "batch": args.batch,
        "hidden": args.hidden,
        "projections": args.projections if objective.startswith("sliced") else None,
        "ms_median": round(median, 4),
        "ms_min": round(minimum, 4),
        "reps": reps,
        "threads": args.threads,
        "torch": torch.__version__,
    })


def serve(args):
    """Times one configuration per request line on stdin, answering each with its JSON line.

    A request is a JSON object with "objective", "variant", "dim", "dtype" and optionally "model",
    "sigma", "batch", "hidden", "projections", "min_time" (the command line's values otherwise).
    The Java harness (StepHarness) asks for each row right after timing its own step, so both
    sides of a ratio meet the machine in the same state; one process serves a whole run, so the
    interpreter and torch start once.
    """
    for line in sys.stdin:
        if not line.strip():
            continue
        request = json.loads(line)
        job = argparse.Namespace(**vars(args))
        for key in ("model", "sigma", "batch", "hidden", "projections", "min_time", "warmup"):
            if key in request:
                setattr(job, key, request[key])
        objective, variant, dim, dtype_name = request["objective"], request["variant"], request["dim"], request["dtype"]
        if variant == "functorch" and FUNCTORCH_ERROR is not None:
            print(json.dumps({"skipped": f"functorch not usable ({FUNCTORCH_ERROR})"}), flush=True)
            continue
        median, minimum, reps = time_config(job, objective, variant, dim, getattr(torch, dtype_name))
        print(record(job, objective, variant, dim, dtype_name, median, minimum, reps), flush=True)
    return 0


def main():
    args = parse_args()
    torch.set_num_threads(args.threads)
    if args.check:
        return run_check()
    if args.serve:
        return serve(args)

    variants = []
    for variant in args.variants:
        if variant == "functorch" and args.objective != "exact":
            print(f"skipping variant functorch: only nested is implemented for {args.objective}", file=sys.stderr)
        elif variant == "functorch" and FUNCTORCH_ERROR is not None:
            print(f"skipping variant functorch: functorch not usable ({FUNCTORCH_ERROR})", file=sys.stderr)
        else:
            variants.append(variant)

    for dim in args.dims:
        for dtype_name in args.dtypes:
            for variant in variants:
                median, minimum, reps = time_config(args, args.objective, variant, dim,
                                                    getattr(torch, dtype_name))
                print(f"{args.objective}/{variant} {dtype_name} D={dim}: "
                      f"median {median:.3f} ms over {reps} steps", file=sys.stderr)
                print(record(args, args.objective, variant, dim, dtype_name, median, minimum, reps), flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
