"""Hidden tests of lesson 05_optimizers.

Update rules are driven by the "rule_trajectory" protocol (sandbox/protocols.py): the
student's rule is applied to 30-40 random float64 gradients in a row, its state kept in
``config``, and the whole trajectory of ``w`` is compared with the reference's and with
the matching ``keras.optimizers`` object's (optimizers_keras: float64 variable, float64
hyper-parameters; Keras and the references agree to ~1e-15). Configs: empty (every
hyper-parameter at its Keras default), partial and complete; shapes 1-D, 2-D and (1, n);
one case per rule with small gradients (|g| ~ 1e-3), where the place of epsilon matters
(for Adagrad with initial_accumulator_value 0, so that the accumulator is small too).

Tolerance: relative 1e-6 element-wise, absolute 1e-9. Rules may update ``w`` in place
(CS231n's ``w -= ...``), so ``may_mutate`` is set for them.

Known difference from the textbook: Adam in Kingma & Ba's Algorithm 1 adds eps to
sqrt(v_hat); Keras adds it to sqrt(v) after folding the bias corrections into the step
size, which is the same as adding eps * sqrt(1 - beta_2^t) to sqrt(v_hat). The two differ
by eps relative to sqrt(v_hat): about 1e-7 of a step for gradients of order 1, but up to
1e-4 for the small-gradient case and for entries of w near 0, beyond the tolerance. The
lesson teaches Keras' form; the textbook form is in the mistake library.

``exponential_decay`` is compared with keras.optimizers.schedules.ExponentialDecay
(float64) at steps on and off the decay boundaries, staircase both ways. ``minibatches``
returns a list of (X_batch, y_batch) pairs (a generator cannot cross back from the
student's kernel): without ``rng`` it must equal the reference exactly; with ``rng`` it is
judged by properties (every sample exactly once, batch sizes, last partial batch kept,
rows of X and y still paired, the order actually shuffled).
"""
import numpy as np

from ...grading.compare import Tolerance
from ...grading.spec import Case, Exercise, rng_arg

TOL = Tolerance(rtol=1e-6, atol=1e-9)
SHAPES = [((6,), "a 1-D weight vector"), ((3, 4), "a 2-D weight matrix"), ((1, 5), "a (1, n) weight row")]


def _rule_cases(configs):
    """configs: list of (config builder(rng), description)."""
    def cases(rng):
        out = []
        for i, (make, what) in enumerate(configs):
            shape, shape_label = SHAPES[i % len(SHAPES)]
            steps = int(rng.integers(30, 41))
            w0 = rng.normal(0.0, 1.0, size=shape)
            grads = rng.normal(0.0, rng.uniform(0.5, 2.0), size=(steps,) + shape)
            out.append(Case((w0, grads, make(rng)), f"{steps} steps on {shape_label}, {what}",
                            protocol="rule_trajectory"))
        shape = (2, 3)
        w0 = rng.normal(0.0, 1.0, size=shape)
        grads = rng.normal(0.0, 1e-3, size=(30,) + shape)
        out.append(Case((w0, grads, configs[-1][0](rng)), f"30 steps with small gradients, {configs[-1][1]}",
                        protocol="rule_trajectory", group="small"))
        return out
    return cases


def _lr(lo, hi):
    return lambda rng: float(rng.uniform(lo, hi))


DEFAULTS = (lambda rng: {}, "an empty config (every hyper-parameter at Keras' default)")

SGD_CONFIGS = [DEFAULTS,
               (lambda rng: {"learning_rate": _lr(0.02, 0.2)(rng)}, "an explicit learning rate")]
MOMENTUM_CONFIGS = [DEFAULTS,
                    (lambda rng: {"learning_rate": _lr(0.01, 0.1)(rng)}, "only a learning rate"),
                    (lambda rng: {"learning_rate": _lr(0.01, 0.1)(rng), "momentum": float(rng.uniform(0.5, 0.95))},
                     "learning rate and momentum")]
ADAGRAD_CONFIGS = [DEFAULTS,
                   (lambda rng: {"learning_rate": _lr(0.05, 0.5)(rng)}, "only a learning rate"),
                   (lambda rng: {"learning_rate": _lr(0.05, 0.5)(rng),
                                 "initial_accumulator_value": float(rng.uniform(0.2, 1.0)), "epsilon": 1e-6},
                    "every hyper-parameter given"),
                   (lambda rng: {"learning_rate": _lr(0.05, 0.5)(rng), "initial_accumulator_value": 0.0},
                    "an accumulator starting at 0")]
RMSPROP_CONFIGS = [DEFAULTS,
                   (lambda rng: {"learning_rate": _lr(0.005, 0.05)(rng)}, "only a learning rate"),
                   (lambda rng: {"learning_rate": _lr(0.005, 0.05)(rng), "rho": float(rng.uniform(0.7, 0.95)),
                                 "epsilon": 1e-6}, "every hyper-parameter given")]
ADAM_CONFIGS = [DEFAULTS,
                (lambda rng: {"learning_rate": _lr(0.005, 0.05)(rng)}, "only a learning rate"),
                (lambda rng: {"learning_rate": _lr(0.005, 0.05)(rng), "beta_1": float(rng.uniform(0.7, 0.9)),
                              "beta_2": float(rng.uniform(0.95, 0.999)), "epsilon": 1e-6},
                 "every hyper-parameter given")]


# -- exponential_decay ---------------------------------------------------------------------
def decay_cases(rng):
    out = []
    for staircase in (False, True):
        lr0 = float(rng.uniform(0.01, 0.5))
        decay_steps = int(rng.integers(5, 20))
        rate = float(rng.uniform(0.3, 0.95))
        steps = [0, decay_steps, 2 * decay_steps + int(rng.integers(1, decay_steps // 2 + 1)),
                 3 * decay_steps - 1, int(rng.integers(100, 1000))]
        for step in steps:
            kwargs = {"staircase": True} if staircase else {}
            out.append(Case((step, lr0, decay_steps, rate), kwargs=kwargs,
                            label=("staircase" if staircase else "smooth") + " decay at a step "
                            + ("on a decay boundary" if step % decay_steps == 0 else "between boundaries")))
    out.append(Case((int(rng.integers(1, 50)), 0.1, 10, 0.5, False),
                    "smooth decay with staircase=False passed positionally"))
    return out


# -- minibatches ---------------------------------------------------------------------------
def _data(rng, n, d, two_d_y=False):
    X = rng.normal(size=(n, d))
    X[:, 0] = rng.permutation(n)  # distinct rows
    y = rng.integers(0, 3, size=n) if not two_d_y else rng.normal(size=(n, 2))
    return X, y


def _batches(got):
    """The student's batches as a list of (X_batch, y_batch) arrays, or a problem."""
    if not isinstance(got, (list, tuple)):
        return None, "should return a list of (X_batch, y_batch) pairs"
    out = []
    for b in got:
        if not isinstance(b, (list, tuple)) or len(b) != 2:
            return None, "every item of the list should be a pair (X_batch, y_batch)"
        out.append((np.asarray(b[0]), np.asarray(b[1])))
    return out, None


def shuffled_batches(got, expected, case, results):
    X, y, batch_size = case.args[0], case.args[1], case.args[2]
    batches, problem = _batches(got)
    if problem:
        return problem
    n = len(X)
    want_sizes = [batch_size] * (n // batch_size) + ([n % batch_size] if n % batch_size else [])
    sizes = [len(xb) for xb, _ in batches]
    if sum(sizes) < n and len(sizes) == n // batch_size:
        return "some samples are missing: keep the last, smaller batch"
    for xb, yb in batches:
        if xb.ndim != X.ndim or xb.shape[1:] != X.shape[1:] or len(yb) != len(xb) or yb.shape[1:] != y.shape[1:]:
            return "a batch has the wrong shape: X_batch should be (b, D) rows of X and y_batch their b targets"
    Xs = np.concatenate([xb for xb, _ in batches])
    ys = np.concatenate([yb for _, yb in batches])
    ids = Xs[:, 0]
    if len(ids) != n or not np.array_equal(np.sort(ids), np.arange(n)):
        return "every sample must appear exactly once per call (no repeats, none missing)"
    rows = ids.astype(int)
    inverse = np.argsort(X[:, 0])  # row of X holding id k
    if not np.array_equal(Xs, X[inverse[rows]]):
        return "the rows of X were changed"
    if not np.array_equal(ys, y[inverse[rows]]):
        return "X and y are no longer paired: shuffle both with the same permutation"
    if sizes != want_sizes:
        return f"batch sizes should be batch_size for all but possibly the last batch ({len(want_sizes)} batches)"
    if np.array_equal(inverse[rows], np.arange(n)):
        return "with rng given, the order of the samples should be shuffled"
    return None


def minibatch_cases(rng):
    out = []
    for n, d, bs, two in [(10, 3, 3, False), (12, 2, 4, False), (7, 4, 10, True), (1, 3, 1, False)]:
        X, y = _data(rng, n, d, two)
        what = "the last batch partial" if n % bs else "batches of equal size"
        if bs > n:
            what = "a batch size larger than the data"
        out.append(Case((X, y, bs), f"no rng, N = {n}, {what}"))
    for n, d, bs, two in [(23, 3, 5, False), (32, 2, 8, True), (50, 4, 7, False)]:
        X, y = _data(rng, n, d, two)
        out.append(Case((X, y, bs, rng_arg(int(rng.integers(2**31)))), f"with rng, N = {n}, batch size {bs}",
                        check=shuffled_batches, stochastic=True))
    return out


def _rule(name, points, configs):
    return Exercise(name, points, _rule_cases(configs), tolerance=TOL, may_mutate=True)


EXERCISES = [
    _rule("sgd", 1, SGD_CONFIGS),
    _rule("sgd_momentum", 2, MOMENTUM_CONFIGS),
    _rule("nesterov_momentum", 2, MOMENTUM_CONFIGS),
    _rule("adagrad", 2, ADAGRAD_CONFIGS),
    _rule("rmsprop", 2, RMSPROP_CONFIGS),
    _rule("adam", 3, ADAM_CONFIGS),
    Exercise("exponential_decay", 2, decay_cases),
    Exercise("minibatches", 2, minibatch_cases),
]
