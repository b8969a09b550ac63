"""Hidden tests of lesson 04_backprop.

Forward and backward functions are compared with the NumPy reference and, where the values are
plain arrays, with Keras (a float64 ``keras.layers.Dense`` / ``keras.activations`` and
``tf.GradientTape``). Backward functions get caches built here, so each is tested on its own,
and every backward function is also checked against central differences of the reference
forward pass (relative tolerance 1e-6). Forward functions whose cache holds an activation name
(a string) are judged by a check (values and cache contents), without Keras.

``train_mlp`` is stochastic and judged by properties: parameter shapes for ``hidden_sizes``,
finite losses, one per epoch, the last below the first, and the training accuracy (100 % on
XOR, >= 95 % on two moons). The hidden activation is the student's choice, so the accuracy is
computed with the reference forward pass for each hidden activation in ("relu", "tanh",
"sigmoid", "linear") with a sigmoid output, and the best one counts. The notebook states the same
rule (its helper ``fit_by_hidden_activation``): the public check runs these settings on fixed seeds
with these thresholds, and the figure draws the hidden activation of lowest cross-entropy.
"""
import numpy as np

import course_data

from ...grading import cases as C
from ...grading.compare import Tolerance, compare_values
from ...grading.gradcheck import numeric_gradient
from ...grading.spec import Case, Exercise, FuncArg, rng_arg
from . import reference as ref

TOL = Tolerance()
NUMERIC_TOL = Tolerance(rtol=1e-6, atol=1e-8)
NUMGRAD_TOL = Tolerance(rtol=1e-6, atol=1e-8)


def _numeric_problem(got, numeric, what):
    problem = compare_values(got, numeric, NUMERIC_TOL, False)
    return None if problem is None else f"{what} does not agree with a numerical gradient (central differences): {problem}"


# -- dense -------------------------------------------------------------------------------
def _dense_inputs(rng):
    """(X, W, b, label, group)."""
    n, d_in, d_out = int(rng.integers(5, 30)), int(rng.integers(2, 9)), int(rng.integers(2, 7))
    yield C.array(rng, (1, 4)), C.array(rng, (4, 3)), C.array(rng, (3,)), "a single sample (N = 1)", "basic"
    yield C.array(rng, (7, 3)), C.array(rng, (3, 5)), C.array(rng, (5,)), "a batch of odd shape (7, 3) into 5 units", "basic"
    yield (C.array(rng, (n, d_in)), C.array(rng, (d_in, d_out)), C.array(rng, (d_out,)),
           "a float64 batch (N, D_in) and a kernel (D_in, D_out)", "basic")
    yield C.array(rng, (6, 4)), C.array(rng, (4, 4)), C.array(rng, (4,)), "a square kernel (D_in = D_out)", "basic"
    yield C.array(rng, (9, 1)), C.array(rng, (1, 3)), C.array(rng, (3,)), "one input feature", "basic"
    yield (C.array(rng, (n, d_in), 1, np.float32), C.array(rng, (d_in, d_out), 1, np.float32),
           C.array(rng, (d_out,), 1, np.float32), "a float32 batch and kernel", "float32")
    yield (C.array(rng, (8, 5), 100.0), C.array(rng, (5, 5), 10.0), C.array(rng, (5,), 50.0),
           "large magnitudes", "large")


def dense_forward_cases(rng):
    return [Case((X, W, b), label, group=group) for X, W, b, label, group in _dense_inputs(rng)]


def _dense_backward_numeric(got, expected, case, results):
    dZ, (X, W, b) = case.args
    problem = compare_values(got, expected, TOL, False, names=("dX", "dW", "db"))
    if problem:
        return problem
    loss = lambda X_, W_, b_: float(np.sum(dZ * ref.dense_forward(X_, W_, b_)[0]))  # noqa: E731
    numeric = (numeric_gradient(lambda v: loss(v, W, b), X), numeric_gradient(lambda v: loss(X, v, b), W),
               numeric_gradient(lambda v: loss(X, W, v), b))
    for name, g, num in zip(("dX", "dW", "db"), got, numeric):
        problem = _numeric_problem(g, num, name)
        if problem:
            return problem
    return None


def dense_backward_cases(rng):
    out = []
    for X, W, b, label, group in _dense_inputs(rng):
        dZ = C.array(rng, (X.shape[0], W.shape[1]), 1.0, X.dtype)
        out.append(Case((dZ, (X, W, b)), label + ", with an upstream gradient dZ", group=group))
    X, W, b = C.array(rng, (5, 3)), C.array(rng, (3, 4)), C.array(rng, (4,))
    out.append(Case((C.array(rng, (5, 4)), (X, W, b)), "a (5, 3) batch into 4 units, against a numerical gradient",
                    check=_dense_backward_numeric))
    X, W, b = C.array(rng, (4, 4)), C.array(rng, (4, 4)), C.array(rng, (4,))
    out.append(Case((C.array(rng, (4, 4)), (X, W, b)), "a square kernel, against a numerical gradient",
                    check=_dense_backward_numeric))
    return out


# -- activations ---------------------------------------------------------------------------
NAMES = ("linear", "sigmoid", "tanh", "relu")


def _activation_inputs(rng):
    """(Z, name, label, group) for every activation."""
    n, d = int(rng.integers(5, 30)), int(rng.integers(2, 9))
    for name in NAMES:
        yield C.array(rng, (n, d), 3.0), name, f"a float64 batch, '{name}'", "basic"
        yield C.array(rng, (1, 5), 3.0), name, f"a single sample (N = 1), '{name}'", "basic"
        yield C.array(rng, (7, 3), 3.0, np.float32), name, f"a float32 batch, '{name}'", "float32"
        big = C.array(rng, (6, 5), 10.0)
        big.flat[:2] = [40.0, -40.0]
        yield big, name, f"magnitudes up to 40, '{name}'", "large"
    for name in ("sigmoid", "tanh"):  # where exp overflows, as lesson 02's 1e4 cases
        huge = C.array(rng, (4, 5), 300.0)
        huge.flat[:2] = [1e3, -1e3]
        yield huge, name, f"float64 magnitudes up to 1e3, '{name}'", "large"


def _activation_forward_check(got, expected, case, results):
    if not isinstance(got, (tuple, list)) or len(got) != 2:
        return "return a pair (A, cache) with cache = (Z, name)"
    problem = compare_values(got[0], expected[0], TOL, case.float32, where="A")
    if problem:
        return problem
    cache = got[1]
    if not isinstance(cache, (tuple, list)) or len(cache) != 2:
        return "the cache should be the pair (Z, name)"
    problem = compare_values(cache[0], expected[1][0], TOL, case.float32, where="cache, Z")
    if problem and compare_values(cache[0], expected[0], TOL, case.float32) is None:
        return "the cache holds the output A; cache the input Z instead: cache = (Z, name)"
    if problem:
        return problem
    if cache[1] != expected[1][1]:
        return "the cache's second item should be the activation's name"
    return None


def activation_forward_cases(rng):
    return [Case((Z, name), label, group=group, check=_activation_forward_check)
            for Z, name, label, group in _activation_inputs(rng)]


def _activation_backward_numeric(got, expected, case, results):
    dA, (Z, name) = case.args
    problem = compare_values(got, expected, TOL, False)
    if problem:
        return problem
    numeric = numeric_gradient(lambda v: float(np.sum(dA * ref.activation_forward(v, name)[0])), Z)
    return _numeric_problem(got, numeric, "dZ")


def activation_backward_cases(rng):
    out = []
    for Z, name, label, group in _activation_inputs(rng):
        dA = C.array(rng, Z.shape, 1.0, Z.dtype)
        out.append(Case((dA, (Z, name)), label + ", with an upstream gradient dA", group=group))
    for name in NAMES:
        Z = C.array(rng, (4, 3), 2.0)
        Z[np.abs(Z) < 1e-3] = 0.5  # away from relu's kink
        out.append(Case((C.array(rng, (4, 3)), (Z, name)), f"'{name}', against a numerical gradient",
                        check=_activation_backward_numeric))
    return out


# -- gradient checking -----------------------------------------------------------------------
FUNCTIONS = [
    ("lambda x: np.sum(np.sin(x) * x**2)", "a sum of sin(x) x^2"),
    ("lambda x: np.sum(np.exp(x / 2))", "a sum of exponentials"),
    ("lambda x: float(np.sum(np.tanh(x.reshape(x.shape[0], -1) @ x.reshape(x.shape[0], -1).T)))",
     "a function that couples all elements"),
    ("lambda x: np.log(1.0 + np.sum(x**4))", "a function that couples all elements"),
]


def numerical_gradient_cases(rng):
    out = []
    shapes = [(int(rng.integers(3, 9)),), (3, 4), (2, 3, 2), (1,)]
    for k, (src, what) in enumerate(FUNCTIONS):
        shape = shapes[k % len(shapes)]
        out.append(Case((FuncArg(src), C.array(rng, shape, 1.5)), f"{what}, x of shape {shape}, default h"))
    for h in (1e-3, 1e-2):
        for src, what in FUNCTIONS[:3]:
            out.append(Case((FuncArg(src), C.array(rng, (3, 2), 1.5)), f"{what}, x of shape (3, 2), h = {h:g}",
                            kwargs={"h": h}))
    return out


def relative_error_cases(rng):
    out = []
    a = C.array(rng, (5, 4))
    out.append(Case((a, a + C.array(rng, (5, 4), 1e-6)), "two nearly equal arrays"))
    out.append(Case((C.array(rng, (7,)), C.array(rng, (7,))), "two unrelated 1-D arrays"))
    a = C.array(rng, (3, 3))
    out.append(Case((a, a.copy()), "two equal arrays"))
    a = C.array(rng, (6,))
    b = a * (1 + C.array(rng, (6,), 1e-3))
    a[:2] = 0.0
    b[:2] = 0.0
    out.append(Case((a, b), "arrays with exact zeros in both at the same places", group="edge"))
    out.append(Case((np.zeros((2, 3)), np.zeros((2, 3))), "two arrays of zeros", group="edge"))
    a = C.array(rng, (4, 2), 1e-9)
    out.append(Case((a, -a), "tiny values below the 1e-8 floor", group="edge"))
    a = C.array(rng, (4, 5), 1e3)
    out.append(Case((a, a + C.array(rng, (4, 5), 1.0)), "large values"))
    out.append(Case((np.array(2.0), np.array(2.5)), "two scalars"))
    return out


# -- the worked example ---------------------------------------------------------------------
def worked_example_cases(rng):
    return [Case((), "the lecture's 2-2-1 sigmoid network")]


# -- the whole network ------------------------------------------------------------------------
def _network(rng, sizes, acts, n, dtype=np.float64):
    X = C.array(rng, (n, sizes[0]), 1.0, dtype)
    params = [(C.array(rng, (a, b), 1.0 / np.sqrt(a), dtype), C.array(rng, (b,), 0.5, dtype))
              for a, b in zip(sizes[:-1], sizes[1:])]
    return X, params, list(acts)


def _mlp_inputs(rng):
    n = int(rng.integers(5, 20))
    yield _network(rng, [3, 4, 1], ["tanh", "sigmoid"], n), "a 2-layer network (tanh, sigmoid)"
    yield _network(rng, [4, 6, 5, 2], ["relu", "tanh", "linear"], n), "a 3-layer network (relu, tanh, linear)"
    yield _network(rng, [2, 3], ["sigmoid"], 1), "a single layer and a single sample"
    yield _network(rng, [5, 4, 4, 4, 3], ["relu", "sigmoid", "tanh", "relu"], 7), "a 4-layer network with square kernels"
    yield _network(rng, [3, 5, 2], ["tanh", "linear"], n, np.float32), "a float32 2-layer network"
    X, params, acts = _network(rng, [3, 4, 2], ["tanh", "sigmoid"], n)
    params[1] = (params[1][0], np.array([1e3, -1e3]))  # sigmoid pre-activations near +-1e3
    yield (X, params, acts), "a 2-layer network whose sigmoid layer gets large pre-activations"


def _mlp_forward_check(got, expected, case, results):
    if not isinstance(got, (tuple, list)) or len(got) != 2:
        return "return a pair (out, caches)"
    problem = compare_values(got[0], expected[0], TOL, case.float32, where="out")
    if problem:
        return problem
    caches, want = got[1], expected[1]
    if not isinstance(caches, (tuple, list)) or len(caches) != len(want):
        return f"caches should be a list with one (dense_cache, activation_cache) pair per layer ({len(want)})"
    for k, (c, w) in enumerate(zip(caches, want)):
        if not isinstance(c, (tuple, list)) or len(c) != 2 or not isinstance(c[1], (tuple, list)) or len(c[1]) != 2:
            return f"caches, layer {k}: expected a pair ((X, W, b), (Z, name))"
        problem = compare_values(c[0], w[0], TOL, case.float32, where=f"caches, layer {k}, dense cache")
        problem = problem or compare_values(c[1][0], w[1][0], TOL, case.float32, where=f"caches, layer {k}, Z")
        if problem:
            return problem
        if c[1][1] != w[1][1]:
            return f"caches, layer {k}: the activation cache should hold the activation's name"
    return None


def mlp_forward_cases(rng):
    return [Case(args, label, check=_mlp_forward_check) for args, label in _mlp_inputs(rng)]


def _mlp_backward_numeric(got, expected, case, results):
    dout, caches = case.args
    problem = compare_values(got, expected, TOL, False)
    if problem:
        return problem
    X = caches[0][0][0]
    params = [list(c[0][1:]) for c in caches]
    acts = [c[1][1] for c in caches]

    def loss():
        return float(np.sum(dout * ref.mlp_forward(X, [tuple(p) for p in params], acts)[0]))

    for k, p in enumerate(params):
        for j, name in ((0, "dW"), (1, "db")):
            original = p[j]

            def f(v, p=p, j=j):
                p[j] = v
                return loss()
            numeric = numeric_gradient(f, original)
            p[j] = original
            problem = _numeric_problem(got[k][j], numeric, f"layer {k}, {name}")
            if problem:
                return problem
    return None


def mlp_backward_cases(rng):
    out = []
    for (X, params, acts), label in _mlp_inputs(rng):
        y, caches = ref.mlp_forward(X, params, acts)
        out.append(Case((C.array(rng, y.shape, 1.0, X.dtype), caches), label + ", with an upstream gradient"))
    X, params, acts = _network(rng, [3, 4, 3, 2], ["tanh", "relu", "sigmoid"], 5)
    y, caches = ref.mlp_forward(X, params, acts)
    out.append(Case((C.array(rng, y.shape), caches), "a 3-layer network, against a numerical gradient",
                    check=_mlp_backward_numeric))
    return out


# -- training --------------------------------------------------------------------------------
XOR_X = np.array([[0.0, 0.0], [0.0, 1.0], [1.0, 0.0], [1.0, 1.0]])
XOR_Y = np.array([0, 1, 1, 0])
HIDDEN_CHOICES = ("relu", "tanh", "sigmoid", "linear")


def _accuracy(params, X, y):
    """The best training accuracy over the hidden activations the student may have used."""
    best = 0.0
    for h in HIDDEN_CHOICES:
        acts = [h] * (len(params) - 1) + ["sigmoid"]
        with np.errstate(all="ignore"):
            out, _ = ref.mlp_forward(X, params, acts)
        best = max(best, float(np.mean((np.asarray(out).reshape(-1) > 0.5) == (y > 0.5))))
    return best


def train_check(min_accuracy):
    def check(got, expected, case, results):
        X, y, hidden_sizes, lr, epochs = case.args[:5]
        if not isinstance(got, (tuple, list)) or len(got) != 2:
            return "return a pair (params, losses)"
        params, losses = got
        sizes = [X.shape[1], *hidden_sizes, 1]
        if not isinstance(params, (tuple, list)) or len(params) != len(sizes) - 1:
            return (f"params should be a list of {len(sizes) - 1} (W, b) pairs for hidden_sizes={list(hidden_sizes)}"
                    " (one per hidden layer and one for the output)")
        clean = []
        for k, (p, (a, b)) in enumerate(zip(params, zip(sizes[:-1], sizes[1:]))):
            if not isinstance(p, (tuple, list)) or len(p) != 2:
                return f"params, layer {k}: expected a pair (W, b)"
            W, bias = np.asarray(p[0], dtype=np.float64), np.asarray(p[1], dtype=np.float64)
            if W.shape != (a, b) or bias.size != b:
                return f"params, layer {k}: W should be ({a}, {b}) and b should have {b} entries, got {W.shape} and {bias.shape}"
            if not (np.all(np.isfinite(W)) and np.all(np.isfinite(bias))):
                return f"params, layer {k}: the weights are not finite"
            clean.append((W, bias.reshape(b)))
        try:
            L = np.asarray(losses, dtype=np.float64).reshape(-1)
        except (TypeError, ValueError):
            return "losses should be a list of numbers, one per epoch"
        if L.size != epochs:
            return f"losses should hold one number per epoch ({epochs}), got {L.size}"
        if not np.all(np.isfinite(L)):
            return "the losses are not all finite"
        if not L[-1] < L[0]:
            return "the loss did not go down: the last epoch's loss is not below the first one's"
        if min_accuracy is not None:
            acc = _accuracy(clean, np.asarray(X, dtype=np.float64), np.asarray(y))
            if acc < min_accuracy:
                return (f"the trained network classifies only {acc:.0%} of the training data correctly "
                        f"(at least {min_accuracy:.0%} expected)")
        return None
    return check


def train_mlp_cases(rng):
    out = []
    for k in range(2):
        out.append(Case((XOR_X.copy(), XOR_Y.copy(), [8], 0.5, 2000, rng_arg(int(rng.integers(2**31)))),
                        "XOR (4 points), one hidden layer of 8 units", check=train_check(1.0), stochastic=True, expected=None))
    X, y = course_data.make_moons(100, 0.1, rng)
    out.append(Case((X, y, [16], 1.0, 1500, rng_arg(int(rng.integers(2**31)))),
                    "two moons (100 points, noise 0.1), one hidden layer of 16 units",
                    check=train_check(0.95), stochastic=True, expected=None))
    Xr, yr = np.tile(XOR_X, (3, 1)), np.tile(XOR_Y, 3)
    out.append(Case((Xr, yr, [6, 4], 0.5, 300, rng_arg(int(rng.integers(2**31)))),
                    "XOR repeated 3 times, two hidden layers (6 and 4 units): shapes and a decreasing loss",
                    check=train_check(None), stochastic=True, expected=None))
    return out


EXERCISES = [
    Exercise("dense_forward", 1, dense_forward_cases, returns=("Z", "cache")),
    Exercise("dense_backward", 3, dense_backward_cases, returns=("dX", "dW", "db")),
    Exercise("activation_forward", 1, activation_forward_cases),
    Exercise("activation_backward", 2, activation_backward_cases),
    Exercise("numerical_gradient", 2, numerical_gradient_cases, tolerance=NUMGRAD_TOL),
    Exercise("relative_error", 1, relative_error_cases),
    Exercise("worked_example", 3, worked_example_cases),
    Exercise("mlp_forward", 2, mlp_forward_cases),
    Exercise("mlp_backward", 3, mlp_backward_cases),
    Exercise("train_mlp", 3, train_mlp_cases, timeout=60),
]
