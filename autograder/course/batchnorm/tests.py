"""Hidden tests of lesson 08_batchnorm.

``batchnorm_forward`` is driven by the "cache_stays" protocol (sandbox/protocols.py): the
student's cache is their own and never leaves the kernel, so the value compared is
``(out, None, new_running_mean, new_running_var)``. It is compared with the NumPy reference and
with ``keras.layers.BatchNormalization`` itself (keras_truth: a float64 layer holding the case's
gamma, beta and moving statistics, called with ``training=True`` / ``False``, its moving
statistics read after the call), in training and inference mode, on X of shape (N, D) with
N = 1, 2, odd and random sizes, float64 and float32, default and explicit ``momentum`` / ``eps``.
Every run includes the cases that separate the known mistakes: N = 1 and N = 2 (biased vs
unbiased variance), a constant column and a column whose variance is below eps (where eps goes,
and that it is there at all), inference with a small running variance, offsets of 1e6 times the
spread (a one-pass E[x^2] - E[x]^2 variance loses every digit there), scales of 1e4. Inputs must
not be modified (checked on every case); the running statistics are returned, not updated in
place.

``batchnorm_backward`` is driven by "batchnorm_forward_then_backward": in the kernel, the
student's own ``batchnorm_forward`` runs in training mode on the case's inputs and the student's
``batchnorm_backward(dout, cache)`` gets its cache; only ``(dX, dgamma, dbeta)`` comes back. It is
compared with the reference pair's gradients, with ``tf.GradientTape`` through Keras' layer
(``dout`` as the upstream gradient), and on two cases with central differences of the reference
forward pass (relative 1e-5). dgamma and dbeta must have shape (D,).

Tolerances (relative, element-wise): float64 ``rtol 1e-7``, ``atol 1e-8`` (outputs and gradients
are of order 1 here except where the scale is 1e4, where they are exact far below that); float32
inputs ``rtol 1e-4``, ``atol 1e-4``: a float32 answer computes the batch mean of data whose
offset is up to 10 times its spread, so its normalized values carry ~1e-6..1e-5 of rounding. The
known mistakes differ by 1e-3 or more (relative) on the float64 cases that separate them.
"""
import numpy as np

from ...grading import cases as C
from ...grading.checks import numeric_gradient_check
from ...grading.compare import Tolerance, compare_values
from ...grading.spec import Case, Exercise
from . import reference as ref

TOL = Tolerance(rtol=1e-7, atol=1e-8, rtol32=1e-4, atol32=1e-4)
NUMERIC_TOL = Tolerance(rtol=1e-5, atol=1e-7)
FORWARD = "cache_stays"
BACKWARD = "batchnorm_forward_then_backward"


def _params(rng, d, dtype):
    gamma = rng.normal(1.0, 0.5, d).astype(dtype)
    beta = rng.normal(0.0, 1.0, d).astype(dtype)
    running_mean = rng.normal(0.0, 1.0, d).astype(dtype)
    running_var = rng.uniform(0.5, 2.0, d).astype(dtype)
    return gamma, beta, running_mean, running_var


def _batch(rng, n, d, dtype=np.float64, scale=1.0, offset=0.0):
    """Columns with their own spread (scale times 0.5..2) and offset (offset times +-1)."""
    spread = scale * rng.uniform(0.5, 2.0, d)
    centre = offset * rng.choice([-1.0, 1.0], d) * rng.uniform(0.5, 1.0, d)
    return (centre + spread * rng.standard_normal((n, d))).astype(dtype)


def _inputs(rng):
    """(X, gamma, beta, running_mean, running_var, kwargs, label, group): the batches both exercises use."""
    n, d = int(rng.integers(3, 40)), int(rng.integers(2, 12))
    explicit = {"momentum": float(rng.uniform(0.5, 0.95)), "eps": 1e-5}
    out = []

    def add(X, label, group="basic", kwargs=None, params=None):
        p = params if params is not None else _params(rng, X.shape[1], X.dtype)
        out.append((X, *p, dict(kwargs or {}), label, group))

    add(_batch(rng, 7, 3, offset=2.0), "a float64 batch of odd shape (7, 3), default momentum and eps")
    add(_batch(rng, 1, 5), "a single sample (N = 1)", "edge")
    add(_batch(rng, 2, 4, offset=1.0), "two samples (N = 2)", "edge")
    add(_batch(rng, n, d, offset=3.0), f"a float64 batch ({n}, {d}) with explicit momentum and eps = 1e-5",
        kwargs=explicit)
    X = _batch(rng, 9, 4)
    X[:, 1] = 2.5                                   # a constant column: variance 0
    X[:, 2] = 1.0 + 0.01 * rng.standard_normal(9)   # variance ~1e-4, below eps
    add(X, "a batch with a constant column and a column of variance below eps", "edge")
    add(_batch(rng, n, d, np.float32, offset=2.0), f"a float32 batch ({n}, {d})", "float32")
    add(_batch(rng, 11, 3, np.float32, scale=1e3, offset=1e4), "a float32 batch with scale 1e3 and offsets 1e4",
        "float32")
    add(_batch(rng, 13, 3, offset=1e6), "a float64 batch with offsets 1e6 times its spread", "large")
    add(_batch(rng, 10, 4, scale=1e4, offset=3e4), "a float64 batch with scale 1e4 and offsets 3e4", "large")
    return out


def _modes(rng):
    """(args, kwargs, label, group) for the forward pass: every batch in training mode, some in inference."""
    out = []
    for k, (X, g, b, rm, rv, kwargs, label, group) in enumerate(_inputs(rng)):
        out.append(((X, g, b, rm, rv, True), kwargs, "training mode, " + label, group))
        if k in (0, 1, 3, 5, 7):
            out.append(((X, g, b, rm, rv, False), kwargs, "inference mode, " + label, group))
    X = _batch(rng, 6, 5, offset=1.0)
    g, b, rm, rv = _params(rng, 5, np.float64)
    rv = rng.uniform(1e-5, 1e-3, 5)  # eps matters at inference too
    out.append(((X, g, b, rm, rv, False), {}, "inference mode, a running variance below eps", "edge"))
    return out


def forward_cases(rng):
    return [Case(args, label, kwargs=kwargs, group=group, protocol=FORWARD)
            for args, kwargs, label, group in _modes(rng)]


# -- backward ------------------------------------------------------------------------------
def _numeric(got, expected, case, results):
    """The reference's gradients, then central differences of the reference forward pass."""
    problem = compare_values(got, expected, TOL, case.float32, names=("dX", "dgamma", "dbeta"))
    if problem:
        return problem
    kwargs = case.kwargs

    def loss(X, gamma, beta, running_mean, running_var, training, dout):
        return float(np.sum(dout * ref.batchnorm_forward(X, gamma, beta, running_mean, running_var,
                                                        True, **kwargs)[0]))
    for k, name in enumerate(("dX", "dgamma", "dbeta")):
        check = numeric_gradient_check(loss, wrt=k, tol=NUMERIC_TOL, pick=lambda g, k=k: g[k],
                                       of=f"sum(dout * out) with respect to {name[1:]}")
        problem = check(got, expected, case, results)
        if problem:
            return f"{name}: {problem}"
    return None


def backward_cases(rng):
    out = []
    for X, g, b, rm, rv, kwargs, label, group in _inputs(rng):
        dout = C.array(rng, X.shape, 1.0, X.dtype)
        out.append(Case((X, g, b, rm, rv, True, dout), label + ", the cache of your training-mode forward pass",
                        kwargs=kwargs, group=group, protocol=BACKWARD))
    X = _batch(rng, 5, 3, offset=1.0)
    out.append(Case((X, *_params(rng, 3, np.float64), True, C.array(rng, X.shape)),
                    "a (5, 3) batch, against a numerical gradient", protocol=BACKWARD, check=_numeric))
    X = _batch(rng, 4, 4, offset=1.0)
    X[:, 3] = 0.5 + 0.03 * rng.standard_normal(4)
    out.append(Case((X, *_params(rng, 4, np.float64), True, C.array(rng, X.shape)),
                    "a (4, 4) batch with a column of small variance, eps = 1e-5, against a numerical gradient",
                    kwargs={"eps": 1e-5}, protocol=BACKWARD, check=_numeric))
    return out


EXERCISES = [
    Exercise("batchnorm_forward", 4, forward_cases, tolerance=TOL,
             returns=("out", "cache", "new_running_mean", "new_running_var")),
    Exercise("batchnorm_backward", 4, backward_cases, tolerance=TOL, returns=("dX", "dgamma", "dbeta")),
]
