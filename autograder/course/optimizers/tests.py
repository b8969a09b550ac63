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
size, which is the same as adding eps_hat_t = eps / sqrt(1 - beta_2^t) to sqrt(v_hat)
(31.6 eps at t = 1 with beta_2 = 0.999, tending to eps as t grows). Each step differs by
a relative ~(eps_hat_t - eps) / sqrt(v_hat): ~3e-6 at t = 1 for gradients of order 1 with
the default eps = 1e-7, which keeps the trajectory within the tolerance, but 0.3-3 % of a
step in the small-gradient case (|g| ~ 1e-3, eps = 1e-6), far beyond it. The lesson
teaches Keras' form; the textbook form is in the mistake library.

``exponential_decay`` is compared with keras.optimizers.schedules.ExponentialDecay
(float64) at steps on and off the decay boundaries, staircase both ways. ``minibatches``
returns (X_batch, y_batch) pairs in a list, a tuple or any iterator (a generator is read into a
list in the student's kernel, see sandbox/protocols.py): without ``rng`` it must equal the
reference exactly; with ``rng`` it is
judged by properties (every sample exactly once, batch sizes, last partial batch kept,
rows of X and y still paired, the order actually shuffled).
"""
from functools import lru_cache

import numpy as np

import course_data

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


# -- train_softmax_mlp (the capstone) --------------------------------------------------------
LN10 = float(np.log(10.0))
HISTORY_KEYS = ("loss", "accuracy", "val_loss", "val_accuracy")
CAPSTONE_MIN_VAL_ACCURACY = 0.70
CAPSTONE_INITIAL_LOSS_MARGIN = 1.0
DIVERGED_HINT = ("the steps are too large (they blow the loss up or kill the ReLUs): average the gradient "
                 "over the batch (dZ = (P - Y) / batch size) or lower the learning rate")
MAX_SHIFT_HINT = ("np.exp overflowed on large logits: subtract each row's maximum logit before np.exp "
                  "(log-softmax, as in lesson 02)")


@lru_cache(maxsize=1)
def _fashion_pixels():
    """The 60,000 Fashion-MNIST training images as uint8 rows (47 MB, kept as loaded), and their labels."""
    (x, y), _ = course_data.load_fashion_mnist()
    return x.reshape(len(x), -1), y.astype(np.int64)


def _fashion_subset(rng, n_train, n_val):
    """Disjoint random training and validation images, float32 pixels in [0, 1]."""
    x, y = _fashion_pixels()
    idx = rng.choice(len(x), n_train + n_val, replace=False)
    X = (x[idx] / np.float32(255.0)).astype(np.float32)
    return X[:n_train], y[idx[:n_train]], X[n_train:], y[idx[n_train:]]


def _evaluate(params, X, y):
    """Predictions of a ReLU-softmax MLP, and its mean cross-entropy exact and with Keras' clipping
    of the probabilities to [1e-7, 1 - 1e-7] (either is a correct way to record the loss)."""
    (W1, b1), (W2, b2) = params
    with np.errstate(all="ignore"):
        Z = np.maximum(X @ W1 + b1, 0.0) @ W2 + b2
        S = Z - Z.max(axis=1, keepdims=True)
        logp = S - np.log(np.exp(S).sum(axis=1, keepdims=True))
    true = logp[np.arange(len(y)), y]
    clipped = np.log(np.clip(np.exp(true), 1e-7, 1 - 1e-7))
    return (float(-np.mean(true)), float(-np.mean(clipped))), logp.argmax(axis=1)


def softmax_mlp_check(min_val_accuracy=None, min_train_accuracy=None, large=False):
    def check(got, expected, case, results):
        X, y, X_val, y_val, hidden_size, epochs = case.args[:6]
        if not isinstance(got, (tuple, list)) or len(got) != 2:
            return "return a pair (params, history)"
        params, history = got
        sizes = [X.shape[1], hidden_size, 10]
        if not isinstance(params, (tuple, list)) or len(params) != 2:
            return "params should be a list of two (W, b) pairs: [(W1, b1), (W2, b2)]"
        clean = []
        for k, (p, (a, b)) in enumerate(zip(params, zip(sizes[:-1], sizes[1:]))):
            if not isinstance(p, (tuple, list)) or len(p) != 2:
                return f"params, layer {k + 1}: expected a pair (W, b)"
            W, bias = np.asarray(p[0], dtype=np.float64), np.asarray(p[1], dtype=np.float64)
            if W.shape != (a, b) or bias.size != b:
                return (f"params, layer {k + 1}: W should be ({a}, {b}) and b should have {b} entries, "
                        f"got {W.shape} and {bias.shape}")
            if not (np.all(np.isfinite(W)) and np.all(np.isfinite(bias))):
                return f"the weights are not finite: the training diverged; {DIVERGED_HINT}"
            clean.append((W, bias.reshape(b)))
        if not isinstance(history, dict) or any(key not in history for key in HISTORY_KEYS):
            return f"history should be a dict with the keys {', '.join(map(repr, HISTORY_KEYS))}"
        curves = {}
        for key in HISTORY_KEYS:
            try:
                values = np.asarray(history[key], dtype=np.float64).reshape(-1)
            except (TypeError, ValueError):
                return f"history[{key!r}] should be a list of numbers"
            if values.size != epochs + 1:
                return (f"history[{key!r}] should hold epochs + 1 = {epochs + 1} numbers (before training, "
                        f"then after each epoch), got {values.size}")
            if not np.all(np.isfinite(values)):
                return f"history[{key!r}] is not all finite: {MAX_SHIFT_HINT if large else 'the training diverged; ' + DIVERGED_HINT}"
            curves[key] = values
        losses, pred = _evaluate(clean, np.asarray(X, dtype=np.float64), y)
        val_losses, val_pred = _evaluate(clean, np.asarray(X_val, dtype=np.float64), y_val)
        val_acc, train_acc = float(np.mean(val_pred == y_val)), float(np.mean(pred == y))
        def consistency():
            # the last entries must be what the returned params give (exact or clipped loss)
            for key, mine, n in (("loss", losses, len(y)), ("val_loss", val_losses, len(y_val)),
                                 ("accuracy", (train_acc,), len(y)), ("val_accuracy", (val_acc,), len(y_val))):
                tol = (lambda m: 1e-3 * abs(m) + 1e-6) if "loss" in key else (lambda m: 2.5 / n)
                if all(abs(curves[key][-1] - m) > tol(m) for m in mine):
                    return (f"history[{key!r}][-1] is {curves[key][-1]:.4g}, but the returned params give {mine[0]:.4g} "
                            f"on {'(X_val, y_val)' if key.startswith('val') else '(X, y)'}: record the loss (mean "
                            "cross-entropy) and the accuracy of the whole set, before training and after each epoch")
            return None

        if large:
            return None  # finite is all that is asked of huge logits (exact and clipped losses differ there)
        first, last = curves["loss"][0], curves["loss"][-1]
        if abs(first - LN10) > CAPSTONE_INITIAL_LOSS_MARGIN:
            return (f"the loss before training is {first:.3g}, far from ln 10 = {LN10:.3f} (a uniform guess over "
                    "10 classes): the initial weights are too large; scale them like He (std sqrt(2 / fan_in))")
        for shift in (-1, 1):
            if np.mean(val_pred == (y_val + shift) % 10) > 0.5:
                return ("the network learned the labels shifted by one: sparse labels are 0 to 9, so the "
                        f"one-hot row of label y is np.eye(10)[y] (not y {'-' if shift < 0 else '+'} 1)")
        (W1, b1), _ = clean
        dead = float(np.mean(np.all(np.asarray(X, dtype=np.float64) @ W1 + b1 <= 0, axis=0)))
        if epochs > 0 and dead >= 0.9 and val_acc < 0.2:
            return (f"{dead:.0%} of the hidden ReLUs output 0 for every training image, so the network learns nothing: "
                    f"{DIVERGED_HINT}")
        if epochs > 0 and min(curves["loss"][1:]) > first and last > 2 * first:
            return (f"the training loss rose ({first:.3g} before, {last:.3g} after) and never came back down: the "
                    "update climbs the loss; step against the gradient (w - learning_rate * dw); if the sign is "
                    "right, the steps are far too large")
        if np.all(curves["loss"] == first) and epochs > 0:
            return "the loss never changed: assign the updated arrays back to the parameters"
        if not last < 0.8 * first or val_acc < 0.2:
            return (f"the training got nowhere (loss {first:.3g} before, {last:.3g} after; validation accuracy "
                    f"{val_acc:.0%}): compare your gradient with a numerical one (lesson 04) and check the step size")
        problem = consistency()
        if problem:
            return problem
        if min_train_accuracy is not None and train_acc < min_train_accuracy:
            return (f"the network fits only {train_acc:.0%} of these {len(y)} training images after {epochs} "
                    f"epochs (a correct MLP reaches {min_train_accuracy:.0%}): check the backward pass "
                    "and the update of every parameter")
        if min_val_accuracy is not None and val_acc < min_val_accuracy:
            return (f"the trained network classifies only {val_acc:.0%} of the validation images correctly "
                    f"(at least {min_val_accuracy:.0%} expected)")
        return None
    return check


def same_as_first_call(got, expected, case, results):
    """The overfitting case again with the same seed: the same params and history."""
    problem = softmax_mlp_check(min_train_accuracy=1.0)(got, expected, case, results)
    first = results.get("overfit")
    if problem or first is None:
        return problem
    try:
        same = (all(np.array_equal(np.asarray(a), np.asarray(b)) for p, q in zip(got[0], first[0]) for a, b in zip(p, q))
                and all(np.array_equal(got[1][k], first[1][k]) for k in HISTORY_KEYS))
    except (TypeError, ValueError, KeyError, IndexError):
        same = False
    if not same:
        return ("two calls with the same seed gave different results: take every random number from rng "
                "(rng.normal, rng.permutation), never from np.random's global functions")
    return None


def train_softmax_mlp_cases(rng):
    """Judged by what the network learns: the grader evaluates the returned params itself
    (ReLU hidden layer, stable log-softmax) and checks the recorded history against them.

    Measured with the reference (Adam, learning rate 1e-3) over 100 seeds of these cases (a
    fresh subset and training seed each): validation accuracy after 8 epochs on 1000 images
    min 0.728, 1st percentile 0.738, mean 0.777 (threshold 0.70); the 50 images reach 100 %
    training accuracy by epoch 34 at the latest (median 18) of the 50; initial loss 2.27-2.57
    (ln 10 +- 1 allowed); no failure in 100 seeds. Every known mistake fails, named, on each
    of 10 seeds tried; the alternatives pass on each of 60. SGD with momentum 0.9 and learning rate 0.05 fails the overfitting case on
    3 of 60 seeds (its last epoch can oscillate below 100 %), so the lesson recommends Adam.
    """
    seed = lambda: rng_arg(int(rng.integers(2**31)))  # noqa: E731
    X, y, Xv, yv = _fashion_subset(rng, 1000, 500)
    out = [Case((X, y, Xv, yv, 64, 8, 50, seed()),
                "1000 Fashion-MNIST images (pixels in [0, 1]), 8 epochs: validation accuracy on 500 others",
                check=softmax_mlp_check(min_val_accuracy=CAPSTONE_MIN_VAL_ACCURACY), stochastic=True, expected=None)]
    X, y, Xv, yv = _fashion_subset(rng, 50, 100)
    overfit = (X, y, Xv, yv, 64, 50, 10, seed())
    out.append(Case(overfit, "overfitting 50 images (50 epochs): 100 % training accuracy", id="overfit",
                    check=softmax_mlp_check(min_train_accuracy=1.0), stochastic=True, expected=None))
    out.append(Case(overfit, "the same 50 images with the same seed again: the same result (deterministic)",
                    check=same_as_first_call, stochastic=True, expected=None))
    X, y, Xv, yv = _fashion_subset(rng, 200, 100)
    out.append(Case((X * np.float32(1000), y, Xv * np.float32(1000), yv, 32, 0, 50, seed()),
                    "epochs = 0 on images scaled to [0, 1000]: the initial loss of large logits, finite",
                    check=softmax_mlp_check(large=True), stochastic=True, expected=None))
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
    Exercise("train_softmax_mlp", 4, train_softmax_mlp_cases, timeout=60),
]
