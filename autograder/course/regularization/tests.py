"""Hidden tests of lesson 07_regularization.

* ``l1_penalty`` / ``l2_penalty``: lists of arrays of any shapes (0-d to 3-D, one to four
  arrays), float64 and float32, magnitudes up to 1e4, factors from 1e-4 to 3 and 0; compared
  with the reference and with ``keras.regularizers.L1`` / ``L2`` (keras_truth) at the default
  tolerance (relative 1e-7; float32 weights with a float32 ``lam`` at float32 precision, 2e-5).
* ``l1_penalty_grad`` / ``l2_penalty_grad``: arrays of any shapes against the reference and
  ``tf.GradientTape`` of the Keras regularizer; one case each against a numerical gradient
  (central differences) of the penalty; for L1, arrays with exact zeros in every run, where any
  subgradient in [-lam, lam] is accepted.
* ``dropout_forward``: the inference path (``training=False``) and ``rate = 0`` are deterministic
  and compared with the reference and with ``keras.layers.Dropout``; the training path is judged
  by properties over large samples (:func:`dropout_property`): shapes, mask values exactly 0 or
  1/(1 - rate) (relative 1e-12; 1e-6 for float32), dropped entries exactly 0, ``out = X * mask``,
  the kept fraction within exact binomial bounds, the mean of ``out - X`` within its normal bound,
  no row or column sharing one mask, the same mask for generators of the same seed (the answer
  draws from ``rng``) and different masks for another seed (a fresh mask per call). Each
  statistical test fails a correct answer with probability at most 1e-6 (grading/checks.py). No
  test depends on the order of the random draws. The lesson's own tests check that
  ``keras.layers.Dropout`` in training mode passes every one of these property checks.
* ``dropout_backward``: exactly ``dout * mask`` (relative 1e-12), plus a numerical gradient.
* ``early_stopping``: loss sequences on a 1e-3 grid (plateaus are exact ties) built to hit every
  branch in every run: never stopping (with and without a trailing wait), stopping at once,
  patience 1, plateaus, min_delta > 0 (the best epoch is then not the lowest loss), a negative
  min_delta, the lowest loss coming after the stop, a single epoch, and random over-fitting
  curves. min_delta is never a multiple of the grid, so no two losses are exactly min_delta apart
  (where float rounding would decide). Compared with the reference and with the real Keras
  callback (keras_truth).
"""
import numpy as np

from ...grading import cases as C
from ...grading.checks import fraction_close, mean_close, numeric_gradient_check
from ...grading.compare import Tolerance, compare_arrays, describe
from ...grading.spec import Case, Exercise, rng_arg
from . import reference as ref

TOL = Tolerance()
EXACT = Tolerance(rtol=1e-12, atol=0.0, rtol32=1e-6, atol32=0.0)


# -- penalties -------------------------------------------------------------------------------
def _weight_lists(rng):
    """(weights, lam, label, group) covering shapes, dtypes, magnitudes and factors."""
    d_in, d_out = int(rng.integers(2, 12)), int(rng.integers(1, 9))
    lam = float(10 ** rng.uniform(-3, -1))
    yield [C.array(rng, (d_in, d_out)), C.array(rng, (d_out,))], lam, "a dense kernel and its bias", "basic"
    yield [C.array(rng, (1, 5))], float(rng.uniform(0.1, 3.0)), "a list with a single (1, 5) array", "basic"
    yield ([C.array(rng, (3, 4, 5)), C.array(rng, (1, 7)), np.array(float(rng.normal())), C.array(rng, (6,))],
           lam, "four arrays of different shapes (3-D, (1, 7), 0-d, 1-D)", "basic")
    yield ([C.array(rng, (d_in, d_out), dtype=np.float32), C.array(rng, (d_out,), dtype=np.float32)],
           np.float32(lam), "float32 weights and a float32 lam", "float32")
    w = C.array(rng, (d_in, d_out))
    w[rng.random(w.shape) < 0.4] = 0.0
    yield [w, np.zeros(d_out)], 1e-4, "weights with exact zeros and a zero bias, lam = 1e-4", "edge"
    yield [C.array(rng, (4, 3)), C.array(rng, (3,))], 0.0, "lam = 0", "edge"
    big = C.array(rng, (5, 6), 3e3)
    big.flat[:2] = [1e4, -1e4]
    yield [big, C.array(rng, (6,), 1e3)], lam, "weights with magnitudes up to 1e4", "large"


def penalty_cases(rng):
    return [Case((w, lam), label, group=group) for w, lam, label, group in _weight_lists(rng)]


def _grad_inputs(rng):
    lam = float(10 ** rng.uniform(-3, 0))
    n, d = int(rng.integers(2, 20)), int(rng.integers(2, 9))
    yield C.array(rng, (int(rng.integers(5, 30)),)), lam, "a 1-D weight vector", "basic"
    yield C.array(rng, (1, 5)), lam, "a (1, 5) weight row", "basic"
    yield C.array(rng, (n, d)), float(rng.uniform(0.5, 3.0)), "a kernel of odd shape with lam > 0.5", "basic"
    yield C.array(rng, (3, 4, 5)), lam, "a 3-D array", "basic"
    yield C.array(rng, (n, d), dtype=np.float32), lam, "a float32 kernel", "float32"
    big = C.array(rng, (6, 5), 3e3)
    big.flat[:2] = [1e4, -1e4]
    yield big, lam, "weights with magnitudes up to 1e4", "large"


def _away_from_zero(rng, shape):
    w = C.array(rng, shape)
    return np.where(np.abs(w) < 0.05, np.sign(w + 1e-300) * 0.05 + w, w)


def _subgradient_check(got, expected, case, results):
    """L1 gradient: lam * sign(w) where w != 0; any value in [-lam, lam] where w == 0."""
    w, lam = np.asarray(case.args[0]), float(case.args[1])
    if isinstance(got, (tuple, list, dict, str, bool)) or got is None:
        return f"returned {describe(got)}; expected an array shaped like w"
    g = np.asarray(got)
    if g.shape != w.shape:
        return f"returned shape {g.shape}, expected {w.shape} (the gradient is shaped like w)"
    zero = w == 0
    gz = g[zero].astype(np.float64)
    if not np.all(np.isfinite(gz)):
        return ("at w = 0 the gradient is NaN or infinite: w / |w| divides 0 by 0 there. Use np.sign(w), "
                "which is 0 at 0 (any value in [-lam, lam] is a valid subgradient at 0)")
    if np.any(np.abs(gz) > lam * (1 + 1e-6)):
        return "at w = 0 the gradient must be a subgradient of lam * |w|: a value in [-lam, lam]"
    problem = compare_arrays(g[~zero], np.asarray(expected)[~zero], TOL, case.float32)
    return f"where w != 0: {problem}" if problem else None


def l1_grad_cases(rng):
    out = [Case((w, lam), label, group=group) for w, lam, label, group in _grad_inputs(rng)]
    w = C.array(rng, (7, 4))
    w[rng.random(w.shape) < 0.3] = 0.0
    w[0, 0] = 0.0
    lam = float(rng.uniform(0.01, 1.0))
    out.append(Case((w, lam), "a kernel with exact zeros (any subgradient accepted at 0)",
                    check=_subgradient_check, group="edge"))
    out.append(Case((np.array([0.0, -0.0, 1.0, -1.0, 2.5]), 0.1), "exact zeros and +-1",
                    check=_subgradient_check, group="edge"))
    w = _away_from_zero(rng, (5, 3))
    out.append(Case((w, float(rng.uniform(0.05, 2.0))), "a kernel (against a numerical gradient of the penalty)",
                    check=numeric_gradient_check(lambda w, lam: ref.l1_penalty([w], lam), of="lam * sum |w|")))
    return out


def l2_grad_cases(rng):
    out = [Case((w, lam), label, group=group) for w, lam, label, group in _grad_inputs(rng)]
    out.append(Case((np.array([0.0, -0.0, 1.0, -1.0, 2.5]), 0.1), "exact zeros and +-1", group="edge"))
    out.append(Case((C.array(rng, (5, 3)), float(rng.uniform(0.05, 2.0))),
                    "a kernel (against a numerical gradient of the penalty)",
                    check=numeric_gradient_check(lambda w, lam: ref.l2_penalty([w], lam), of="lam * sum w**2")))
    return out


# -- dropout ---------------------------------------------------------------------------------
def _pair(got):
    if not isinstance(got, (tuple, list)) or len(got) != 2:
        return None, None, f"returned {describe(got)}; expected a tuple (out, mask)"
    try:
        out, mask = np.asarray(got[0]), np.asarray(got[1])
    except Exception:
        return None, None, "returned something that is not a pair of arrays (out, mask)"
    if out.dtype.kind not in "biuf" or mask.dtype.kind not in "biuf":
        return None, None, "out and mask should be arrays of numbers"
    return out, mask, None


def _scale_problem(values, rate, rtol):
    """What is wrong with the kept entries of the mask (all nonzero), or None."""
    scale = 1.0 / (1.0 - rate)
    if np.allclose(values, scale, rtol=rtol, atol=0.0):
        return None
    if np.allclose(values, 1.0, rtol=rtol, atol=0.0):
        return "1"
    if rate > 0 and np.allclose(values, 1.0 - rate, rtol=rtol, atol=0.0):
        return "1 - rate"
    if rate > 0 and np.allclose(values, 1.0 / rate, rtol=rtol, atol=0.0):
        return "1 / rate"
    return "other"


NO_SCALE = ("the kept entries are not scaled: inverted dropout multiplies them by 1/(1 - rate) in training "
            "(the mask holds 0 or 1/(1 - rate)), so that the expected output equals X and nothing changes "
            "at inference")
MASK_SCALE = ("the mask must carry the scale: 0 for a dropped entry and 1/(1 - rate) for a kept one, so that "
              "out = X * mask and dropout_backward is dout * mask (here out is scaled but the mask holds 0/1)")
KEEP_PROB = ("about a fraction `rate` of the entries is kept: `rate` is the probability of DROPPING an entry "
             "(as in keras.layers.Dropout), so keep each entry with probability 1 - rate")
TIMES_KEEP = ("the kept entries are multiplied by (1 - rate): inverted dropout divides them by (1 - rate) in "
              "training (old-style dropout scaled by 1 - rate at inference instead)")
OVER_RATE = ("the kept entries are scaled by 1/rate: `rate` is the drop probability, so the kept ones are "
             "scaled by 1/(1 - rate)")
SAME_SEED = ("two calls with generators made from the same seed gave different masks: draw the random numbers "
             "from the `rng` argument (rng.random(X.shape)), not from np.random")
OTHER_SEED = ("calls with generators of different seeds gave the same mask: draw a fresh mask from the `rng` "
              "argument at every call (do not create your own generator with a fixed seed or reuse a mask)")


def dropout_property(got, expected, case, results):
    X, rate = np.asarray(case.args[0]), float(case.args[1])
    out, mask, problem = _pair(got)
    if problem:
        return problem
    if out.shape != X.shape:
        return f"out has shape {out.shape}, expected X's shape {X.shape}"
    if mask.shape != X.shape:
        return (f"the mask has shape {mask.shape}, expected X's shape {X.shape}: every entry is dropped or "
                "kept on its own (draw rng.random(X.shape))")
    m, o, x = mask.astype(np.float64), out.astype(np.float64), X.astype(np.float64)
    if not (np.all(np.isfinite(m)) and np.all(np.isfinite(o))):
        return "out or mask holds NaN or infinite values"
    rtol = EXACT.rtol32 if case.float32 else EXACT.rtol
    kept = m != 0
    n = m.size
    if n >= 1000:
        problem = fraction_close(int(kept.sum()), n, 1.0 - rate, "the fraction of kept entries")
        if problem:
            if rate != 0.5 and fraction_close(int(kept.sum()), n, rate, "") is None:
                return f"{problem}; {KEEP_PROB}"
            return problem + " (each entry is kept with probability 1 - rate)"
    if mask.dtype.kind == "b":
        return MASK_SCALE
    if kept.any():
        what = _scale_problem(m[kept], rate, rtol)
        if what == "1":
            scaled = np.allclose(o, x * m / (1.0 - rate), rtol=max(rtol, 1e-9), atol=1e-300)
            return MASK_SCALE if scaled else NO_SCALE
        if what == "1 - rate":
            return TIMES_KEEP
        if what == "1 / rate":
            return OVER_RATE
        if what == "other":
            return "the kept entries of the mask should all equal 1/(1 - rate) and the dropped ones 0"
    if np.any(o[~kept] != 0):
        return "dropped entries of out must be exactly 0 (out = X * mask)"
    if not np.allclose(o, x * m, rtol=max(rtol, 1e-9), atol=1e-300):
        return "out should be X * mask"
    if n >= 1000 and rate > 0:
        std = float(np.sqrt(np.mean(x ** 2) * rate / (1.0 - rate)))
        problem = mean_close(o - x, 0.0, std, "the mean of out - X")
        if problem:
            return f"{problem}: dropout must keep the expectation, E[out] = X"
    if rate > 0 and X.ndim >= 2 and X.shape[0] >= 2 and X[0].size >= 20 and np.all(kept == kept[:1]):
        return "every row of the batch has the same mask: draw one independent decision per entry"
    if rate > 0 and X.ndim >= 2 and X.shape[-1] >= 2 and n // X.shape[-1] >= 20 and np.all(kept == kept[..., :1]):
        return "every column has the same mask: draw one independent decision per entry"
    same, other = case.id.endswith("same_b"), case.id.endswith("other")
    first = results.get("seed_same_a")
    if (same or other) and first is not None:
        _, mask_a, problem = _pair(first)
        if problem is None and mask_a.shape == mask.shape:
            identical = np.array_equal(mask_a.astype(np.float64) != 0, kept)
            if same and not identical:
                return SAME_SEED
            if other and identical:
                return OTHER_SEED
    return None


def _positive(rng, shape, dtype=np.float64):
    return rng.uniform(0.5, 2.0, size=shape).astype(dtype)


def dropout_forward_cases(rng):
    def seed():
        return rng_arg(int(rng.integers(2**31)))

    out = []
    stat = dict(check=dropout_property, stochastic=True)
    out.append(Case((_positive(rng, (400, 250)), 0.3, seed()), "a (400, 250) batch, rate 0.3", **stat))
    out.append(Case((_positive(rng, (300, 200), np.float32), 0.7, seed()), "a float32 (300, 200) batch, rate 0.7",
                    **stat, group="float32"))
    out.append(Case((C.array(rng, (20, 30, 40)), 0.1, seed()), "a 3-D (20, 30, 40) batch of mixed signs, rate 0.1",
                    **stat))
    out.append(Case((_positive(rng, (1, 5000)), 0.5, seed()), "a single row (N = 1) of 5000 units, rate 0.5",
                    **stat))
    out.append(Case((C.array(rng, (7, 3)), 0.25, seed()), "a small (7, 3) batch, rate 0.25", **stat))
    out.append(Case((C.array(rng, (300, 200), 1e4), 0.2, seed()), "a batch with magnitudes up to 1e4, rate 0.2",
                    **stat, group="large"))
    X, s = _positive(rng, (100, 120)), seed()
    out.append(Case((X, 0.4, s), "a (100, 120) batch, rate 0.4", id="seed_same_a", **stat))
    out.append(Case((X.copy(), 0.4, s), "the same batch and a generator of the same seed again",
                    id="seed_same_b", **stat))
    out.append(Case((X.copy(), 0.4, rng_arg(s.seed + 1)), "the same batch with a generator of another seed",
                    id="seed_other", **stat))
    # deterministic paths: compared with the reference and keras.layers.Dropout
    n, d = int(rng.integers(2, 30)), int(rng.integers(1, 12))
    out.append(Case((C.array(rng, (n, d)), 0.4, seed()), "inference (training=False), rate 0.4",
                    kwargs={"training": False}))
    out.append(Case((C.array(rng, (n, d), dtype=np.float32), 0.6, seed()), "float32 inference, rate 0.6",
                    kwargs={"training": False}, group="float32"))
    out.append(Case((C.array(rng, (1, 7)), 0.2, seed()), "inference on a single row", kwargs={"training": False}))
    out.append(Case((C.array(rng, (n, d)), 0.0, seed()), "rate 0 in training (nothing dropped)"))
    return out


def dropout_backward_cases(rng):
    out = []

    def mask(shape, rate, dtype=np.float64):
        return ((rng.random(shape) >= rate) / (1.0 - rate)).astype(dtype)

    n, d = int(rng.integers(2, 30)), int(rng.integers(1, 12))
    out.append(Case((C.array(rng, (n, d)), mask((n, d), 0.3)), "a batch of odd shape, rate 0.3"))
    out.append(Case((C.array(rng, (1, 9)), mask((1, 9), 0.5)), "a single row, rate 0.5"))
    out.append(Case((C.array(rng, (4, 5, 6)), mask((4, 5, 6), 0.8)), "a 3-D batch, rate 0.8"))
    out.append(Case((C.array(rng, (n, d), dtype=np.float32), mask((n, d), 0.25, np.float32)), "float32, rate 0.25",
                    group="float32"))
    out.append(Case((C.array(rng, (n, d)), np.ones((n, d))), "a mask of ones (inference)"))
    out.append(Case((C.array(rng, (6, 5), 1e4), mask((6, 5), 0.1)), "magnitudes up to 1e4, rate 0.1", group="large"))
    m = mask((5, 4), 0.4)
    out.append(Case((C.array(rng, (5, 4)), m), "a batch (against a numerical gradient of sum(dout * X * mask))",
                    check=_backward_numeric))
    return out


def _backward_numeric(got, expected, case, results):
    """dL/dX for L = sum(dout * dropout(X)) with the mask fixed, by central differences."""
    from ...grading.gradcheck import numeric_gradient
    dout, mask = case.args
    X0 = np.zeros_like(dout)
    numeric = numeric_gradient(lambda X: float(np.sum(dout * (X * mask))), X0)
    problem = compare_arrays(got, numeric, Tolerance(rtol=1e-6, atol=1e-9), False)
    return None if problem is None else f"does not agree with a numerical gradient of sum(dout * X * mask): {problem}"


# -- early stopping --------------------------------------------------------------------------
GRID = 1e-3


def _grid(values):
    return [round(float(v), 3) for v in values]


def _overfit_curve(rng, n, noise=0.01):
    """A validation curve that falls, bottoms out and rises again, with noise, on the grid."""
    t = np.arange(n)
    bottom = rng.uniform(0.3, 0.7) * n
    v = 0.4 + 0.8 * np.exp(-t / rng.uniform(2, 5)) + 0.3 * np.maximum(t - bottom, 0) / n
    return _grid(v + rng.normal(0, noise, n))


def _improving(rng, n, step=(0.004, 0.05)):
    return _grid(1.5 - np.cumsum(rng.uniform(*step, n)))


def _with_plateaus(rng, n):
    v = np.array(_improving(rng, n, (0.01, 0.05)))
    for i in range(2, n, 4):
        v[i:i + 2] = v[i - 1]  # exact ties with the best so far
    return _grid(v)


def _stop(losses, patience, min_delta=0.0):
    return ref.early_stopping(losses, patience, min_delta)


def _draw(rng, make, want, tries=200):
    """Draw (losses, patience, min_delta) from ``make`` until ``want(...)`` holds."""
    for _ in range(tries):
        losses, patience, md = make(rng)
        if want(losses, patience, md, *_stop(losses, patience, md)):
            return losses, patience, md
    raise RuntimeError("could not draw a loss sequence of the wanted kind")


def early_stopping_cases(rng):
    out = []

    def add(losses, patience, md, label):
        kwargs = {"min_delta": md} if md != "default" else {}
        out.append(Case((losses, patience), label, kwargs=kwargs))

    n = int(rng.integers(8, 20))
    add(_improving(rng, n), int(rng.integers(1, 4)), "default", "losses that improve at every epoch (it never stops)")
    # never stops, but the last epochs did not improve: best_epoch is not the last epoch
    def never_with_wait(rng):
        p = int(rng.integers(4, 7))
        head = _improving(rng, int(rng.integers(6, 12)))
        tail = _grid(head[-1] + rng.uniform(0.001, 0.05, p - 1))
        return head + tail, p, 0.0
    losses, p, md = _draw(rng, never_with_wait, lambda L, p, md, s, b: s is None and b < len(L) - 1)
    add(losses, p, md, "it never stops, but the last epochs did not improve")
    first = round(float(rng.uniform(0.5, 1.0)), 3)
    add(_grid([first, first + rng.uniform(0.001, 0.2)] + list(first - rng.uniform(0, 0.4, 5))), 1, 0.0,
        "patience 1 and no improvement at epoch 1 (it stops at once)")
    losses, p, md = _draw(rng, lambda r: (_overfit_curve(r, 25, 0.03), 1, 0.0),
                          lambda L, p, md, s, b: s is not None and s > 2)
    add(losses, p, md, "patience 1 on a noisy curve")
    losses, p, md = _draw(rng, lambda r: (_with_plateaus(r, 16), int(r.integers(2, 4)), 0.0),
                          lambda L, p, md, s, b: s is None or s > 5)
    add(losses, p, md, "plateaus: losses exactly equal to the best so far")
    add(_grid([0.9, 0.8, 0.8, 0.8, 0.8, 0.7, 0.8]), 3, 0.0, "a plateau as long as the patience")
    md_pos = float(rng.choice([0.0125, 0.0155, 0.0205]))
    losses, p, md = _draw(rng, lambda r: (_improving(r, 20, (0.002, 0.03)), int(r.integers(2, 4)), md_pos),
                          lambda L, p, md, s, b: s is not None and int(np.argmin(L[:s + 1])) != b
                          and _stop(L, p)[0] != s)
    add(losses, p, md, "min_delta > 0 with improvements smaller than min_delta")
    base = round(float(rng.uniform(0.5, 1.5)), 3)
    add(_grid(base + np.array([0.0, -0.008, -0.015, -0.02, -0.025, -0.03, -0.04, -0.06])), 3, 0.0125,
        "min_delta > 0 with a lower loss that does not beat the best by min_delta")
    losses, p, md = _draw(rng, lambda r: (_overfit_curve(r, 30, 0.02), int(r.integers(2, 5)), -md_pos),
                          lambda L, p, md, s, b: _stop(L, p, 0.0) != (s, b))
    add(losses, p, md, "a negative min_delta (Keras uses its absolute value)")
    losses, p, md = _draw(rng, lambda r: (_overfit_curve(r, 24, 0.02)[:12] + _improving(r, 6, (0.1, 0.2)),
                                          int(r.integers(2, 4)), 0.0),
                          lambda L, p, md, s, b: s is not None and int(np.argmin(L)) > s)
    add(losses, p, md, "the lowest loss comes after the epoch where it stops")
    add([round(float(rng.uniform(0.2, 2.0)), 3)], int(rng.integers(1, 4)), "default", "a single epoch")
    for k in range(3):
        p = int(rng.integers(2, 7))
        md = float(rng.choice([0.0, 0.0055, 0.0105]))
        add(_overfit_curve(rng, int(rng.integers(15, 40))), p, md, "a noisy over-fitting curve"
            + (" with min_delta > 0" if md else ""))
    return out


EXERCISES = [
    Exercise("l1_penalty", 1, penalty_cases),
    Exercise("l1_penalty_grad", 1, l1_grad_cases),
    Exercise("l2_penalty", 1, penalty_cases),
    Exercise("l2_penalty_grad", 1, l2_grad_cases),
    Exercise("dropout_forward", 3, dropout_forward_cases, returns=("out", "mask")),
    Exercise("dropout_backward", 1, dropout_backward_cases, tolerance=EXACT),
    Exercise("early_stopping", 3, early_stopping_cases, returns=("stop_epoch", "best_epoch")),
]
