"""Records SciPy's L-BFGS-B iterates on the problem of LbfgsAgainstScipyTest, for that test.

Run from the project root (Debian: apt-get install python3-scipy):
    python3 runtime/src/test/python/scipy_lbfgsb_iterates.py \
        > runtime/src/test/resources/dev/symgrad/runtime/optimize/scipy-lbfgsb-iterates.csv

The problem is an L2-regularized logistic regression on a deterministic data set (sines of the indices,
features scaled by powers of 2 so that it takes dozens of iterations). Without bounds, L-BFGS-B's step is
the L-BFGS step: its compact representation with theta = y'y / s'y is the two-loop recursion with
H0 = (s'y / y'y) I, and its first trial step is 1/||g|| along -g, later ones 1. Its line search (Moré and
Thuente's dcsrch) differs from Nocedal and Wright's Algorithm 3.5/3.6, so the trajectories can only agree
while every first trial step is accepted; each row says how many evaluations SciPy's iteration took.
"""
import numpy as np
import scipy
from scipy.optimize import minimize

N, D, LAM = 200, 8, 1e-4
i = np.arange(N)[:, None]
j = np.arange(D)[None, :]
X = np.sin(1.3 * i + 0.7 * j + 0.1 * i * j) * 2.0 ** (j - 3)
y = np.where(np.cos(0.9 * np.arange(N)) + 0.5 * X[:, 0] > 0, 1.0, -1.0)


def run(start, memory):
    evaluations = []

    def f(w):
        m = y * (X @ w)
        evaluations.append(1)
        value = np.mean(np.logaddexp(0, -m)) + 0.5 * LAM * w @ w
        return value, X.T @ (-y / (1 + np.exp(m))) / N + LAM * w

    rows = []

    def callback(x):
        rows.append((x.copy(), len(evaluations)))

    minimize(f, np.full(D, start), jac=True, method='L-BFGS-B', callback=callback,
             options=dict(maxcor=memory, gtol=1e-12, ftol=0, maxiter=5000))
    previous = 1
    for k, (x, count) in enumerate(rows):
        print(f"{memory},{start!r},{k + 1},{count - previous}," + ",".join(repr(float(v)) for v in x))
        previous = count


print(f"# SciPy {scipy.__version__} L-BFGS-B iterates; columns: memory, start (every entry), iteration,"
      " evaluations in that iteration, x[0..7]")
run(0.7, 10)
run(-1.2, 3)
