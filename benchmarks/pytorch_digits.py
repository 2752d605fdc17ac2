"""Issue 15's PyTorch rows: W6-W8 on the digits data set, float64, one thread, nanoseconds per example.

The same models, data and scaling as DigitsModelBenchmark (x = pixel / 16, y one-hot, all 1,797 rows) and
parameters of the same scale (weights with variance 1 / fan-in, biases with standard deviation 0.1). Each column
is the best of 15 timed calls on the whole batch, after two untimed ones, divided by the 1,797 examples:

  route (b) batched autograd      the loss of the batch summed, torch.autograd.grad
  route (b) vmap, .sum().backward vmap(f) over the examples, then .sum().backward()
  route (a) vmap(grad)            the per-example gradients, [N, ...] per parameter
  clipped sum, Opacus' way        vmap(grad), per-example norms, clip factor min(1, C / (norm + 1e-6)),
                                  then the factor-weighted sum (what Opacus does after its hooks)

Run through benchmarks/pytorch-digits.sh, which finds a python3 with torch. PyTorch 1.13 has no torch.func;
vmap and grad come from functorch, which ships with it.
"""

import argparse
import datetime
import platform
import sys
import time

import numpy as np
import torch

try:
    from torch.func import grad, vmap  # PyTorch 2
except ImportError:
    from functorch import grad, vmap  # PyTorch 1.13

CLASSES = 10
PIXELS = 64
REPEATS = 15
CLIP_NORMS = {"W6": 4.0, "W7": 4.0, "W8": 7.0}  # DigitsModel.clipNorm()


def load(path):
    data = np.loadtxt(path, delimiter=",", skiprows=1)
    x = torch.tensor(data[:, :PIXELS] / 16.0, dtype=torch.float64)
    y = torch.nn.functional.one_hot(torch.tensor(data[:, PIXELS], dtype=torch.int64), CLASSES).to(torch.float64)
    return x, y


def softmax_regression(params, x, y):
    weights, biases = params
    z = x @ weights.T + biases
    return torch.logsumexp(z, dim=-1) - (y * z).sum(dim=-1)


def network(params, x, y):
    hidden_weights, hidden_biases, weights, biases = params
    h = torch.tanh(x @ hidden_weights.T + hidden_biases)
    z = h @ weights.T + biases
    return torch.logsumexp(z, dim=-1) - (y * z).sum(dim=-1)


def parameters(hidden, generator):
    def gaussian(*shape, scale):
        return (scale * torch.randn(*shape, generator=generator, dtype=torch.float64)).requires_grad_()

    if hidden == 0:
        return (gaussian(CLASSES, PIXELS, scale=PIXELS ** -0.5), gaussian(CLASSES, scale=0.1))
    return (gaussian(hidden, PIXELS, scale=PIXELS ** -0.5), gaussian(hidden, scale=0.1),
            gaussian(CLASSES, hidden, scale=hidden ** -0.5), gaussian(CLASSES, scale=0.1))


def route_b_batched(loss, params, x, y):
    return torch.autograd.grad(loss(params, x, y).sum(), params)


def route_b_vmap(loss, params, x, y):
    for p in params:
        p.grad = None
    vmap(loss, in_dims=(None, 0, 0))(params, x, y).sum().backward()
    return tuple(p.grad for p in params)


def route_a(loss, params, x, y):
    return vmap(grad(loss), in_dims=(None, 0, 0))(params, x, y)


def clipped_sum(loss, params, x, y, clip_norm):
    per_example = route_a(loss, params, x, y)
    norms = torch.stack([g.reshape(len(x), -1).norm(2, dim=1) for g in per_example], dim=1).norm(2, dim=1)
    factor = (clip_norm / (norms + 1e-6)).clamp(max=1.0)
    return tuple(torch.einsum("i,i...", factor, g) for g in per_example)


def best_nanos_per_example(call, examples):
    call()
    call()
    best = float("inf")
    for _ in range(REPEATS):
        start = time.perf_counter_ns()
        call()
        best = min(best, time.perf_counter_ns() - start)
    return best / examples


def check(model, routes, params):
    """The four columns compute what they claim: both route (b)s and route (a) summed agree."""
    batched, vmapped, per_example = routes
    for a, b, c in zip(batched, vmapped, per_example):
        if not (torch.allclose(a, b, rtol=1e-9, atol=1e-9) and torch.allclose(a, c.sum(0), rtol=1e-9, atol=1e-9)):
            sys.exit(f"pytorch_digits: {model}: the routes disagree")
    if sum(p.numel() for p in params) != {"W6": 650, "W7": 2410, "W8": 19210}[model]:
        sys.exit(f"pytorch_digits: {model}: wrong parameter count")


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", required=True, help="digits.csv")
    parser.add_argument("--output", help="also write the table here (Markdown)")
    arguments = parser.parse_args()
    torch.set_num_threads(1)
    x, y = load(arguments.data)
    n = len(x)
    generator = torch.Generator().manual_seed(15)
    lines = [
        f"PyTorch {torch.__version__} (Python {platform.python_version()}), float64, "
        f"{torch.get_num_threads()} thread, {n:,} examples, best of {REPEATS}, ns per example; "
        f"{datetime.date.today().isoformat()}.",
        "",
        "| model | P | route (b) batched autograd | route (b) vmap, .sum().backward() | route (a) vmap(grad)"
        " | clipped sum, Opacus' way |",
        "|---|---:|---:|---:|---:|---:|",
    ]
    print("\n".join(lines), flush=True)
    for model, hidden, loss in (("W6", 0, softmax_regression), ("W7", 32, network), ("W8", 256, network)):
        params = parameters(hidden, generator)
        check(model, (route_b_batched(loss, params, x, y), route_b_vmap(loss, params, x, y),
                      route_a(loss, params, x, y)), params)
        clip_norm = CLIP_NORMS[model]
        columns = [
            best_nanos_per_example(lambda: route_b_batched(loss, params, x, y), n),
            best_nanos_per_example(lambda: route_b_vmap(loss, params, x, y), n),
            best_nanos_per_example(lambda: route_a(loss, params, x, y), n),
            best_nanos_per_example(lambda: clipped_sum(loss, params, x, y, clip_norm), n),
        ]
        size = sum(p.numel() for p in params)
        lines.append(f"| {model} | {size:,} | " + " | ".join(f"{value:,.0f}" for value in columns) + " |")
        print(lines[-1], flush=True)
    if arguments.output:
        with open(arguments.output, "w", encoding="utf-8") as output:
            output.write("\n".join(lines) + "\n")


if __name__ == "__main__":
    main()
