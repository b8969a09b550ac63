"""Hidden tests of lesson 06_initialization.

Initializers (random: judged by distribution tests, never by values or draw order)
---------------------------------------------------------------------------------
Each initializer is called on
- a ~1e6-value kernel summarised by the ``sample_summary`` protocol (log std, mean/std,
  max|w|/std, fraction within one std), compared with the reference's summary and with the
  summary of the Keras initializer itself (``keras_truth.py``, float64) at an absolute 0.02 per
  statistic. The sampling spread of each statistic is below 0.0017 (measured over 60 seeds),
  so a correct answer is more than 8 standard deviations of the difference inside;
- four large kernels (~1e5 to 2.7e5 values: fan_in < fan_out, fan_in > fan_out, fan_in = 1 and
  fan_out = 1): support (every value within the uniform limit, or within two stddevs of the
  truncated normal), the mean (0), the standard deviation (sqrt(2 / n)) and a
  Kolmogorov-Smirnov test against the exact distribution (U(-l, l), or the normal truncated to
  ±2 stddev via scipy.stats.truncnorm); each of these 3 x 4 x 4 = 48 statistical tests runs at a
  false-failure rate of 1e-6 / 64, so a correct answer fails a grading with probability below
  1e-6. A failing scale is diagnosed from the ratio of the student's std to the right one
  (fan_in alone, a missing factor 6 or 2, no 0.8796 correction, the variance used as the std...);
- small kernels of shapes (1, 1), (1, n), (n, 1), odd and random: shape (fan_in, fan_out),
  float dtype, finite values inside the support;
- the same seed twice (identical kernels) and another seed (a different kernel): the rng is the
  only source of randomness, independently of the order of the draws.

activation_stds / gradient_norms
--------------------------------
Eight fixed networks (tanh with Glorot, ReLU with He, tanh with too small and too large normal
weights, sigmoid, linear with N = 1, sigmoid with all-zero weights given as a function, and a
single layer), each graded on 3 seeds drawn per grading. The student's per-layer values, as
logarithms averaged over the 3 seeds, must lie within max(0.02, 8 s sqrt(1/3 + 1/40)) of the
mean log of the reference over 40 fixed seeds, where s is the reference's own spread over those
seeds, layer by layer (exact zeros must stay within 1e-12). Treating the logs as normal, a
correct answer fails one layer with probability about 1e-9 (a t statistic with 39 degrees of
freedom beyond 8), below 1e-6 for the whole grading; the documented profile mistakes lie far
outside. A failing profile is matched statistically against the known mistakes of mistakes.py
(their own mean log profile, same tolerance) to name the mistake. Two calls with the same seed
must return identical values.

Clipping
--------
Compared with the reference and with ``tf.clip_by_value`` / ``tf.clip_by_norm`` /
``tf.clip_by_global_norm`` on random tensors of several shapes, float32 and float64, with norms
below, exactly at and above the threshold, values exactly at ±c, zeros, and large magnitudes;
relative tolerance 1e-7 (float64) and 2e-5 (float32). ``clip_by_global_norm`` is driven by the
``call_and_list_inputs`` protocol so that arrays of the list modified in place are seen.
"""
from __future__ import annotations

from functools import lru_cache

import numpy as np

from ...grading.checks import FALSE_FAILURE, finite_numbers, matches_distribution, mean_close, std_close
from ...grading.compare import Tolerance
from ...grading.spec import Case, Exercise, FuncArg, RngArg, rng_arg
from . import reference as ref

TRUNC = 0.87962566103423978
STAT_FALSE_FAILURE = FALSE_FAILURE / 64  # at most 64 statistical tests per grading (48 used)
SUMMARY_TOL = Tolerance(rtol=0.0, atol=0.02, rtol32=0.0, atol32=0.02)

RNG_ONLY = ("two calls with generators made from the same seed returned different values: draw every "
            "random number from the `rng` argument (rng.uniform, rng.normal...), not from np.random's "
            "global functions or a generator of your own")
RNG_USED = ("two calls with generators made from different seeds returned the same values: the values "
            "must come from the `rng` argument (not from a fixed seed or a generator of your own)")


# == initializers ==========================================================================
# name: (family, variance formula, its text, Keras class)
INITS = {
    "glorot_uniform": ("uniform", lambda fi, fo: 2.0 / (fi + fo), "2 / (fan_in + fan_out)", "GlorotUniform"),
    "glorot_normal": ("truncated", lambda fi, fo: 2.0 / (fi + fo), "2 / (fan_in + fan_out)", "GlorotNormal"),
    "he_uniform": ("uniform", lambda fi, fo: 2.0 / fi, "2 / fan_in", "HeUniform"),
    "he_normal": ("truncated", lambda fi, fo: 2.0 / fi, "2 / fan_in", "HeNormal"),
}
KURTOSIS = {"uniform": 1.8, "truncated": 2.3655367171296495}


def _candidates(name, fi, fo):
    """(ratio of a mistaken std to the right one, what the mistake is) for this initializer."""
    family, var, _, _ = INITS[name]
    n_right = 2.0 / var(fi, fo)
    glorot = name.startswith("glorot")
    out = []
    if glorot:
        out += [(np.sqrt((fi + fo) / fi), "it uses fan_in alone: Glorot's variance 2 / (fan_in + fan_out) "
                 "averages both fans"),
                (np.sqrt((fi + fo) / fo), "it uses fan_out alone: Glorot's variance 2 / (fan_in + fan_out) "
                 "averages both fans")]
    else:
        out += [(np.sqrt(fi / fo), "it uses fan_out: He's variance is 2 / fan_in"),
                (np.sqrt(fi / (fi + fo)), "that is Glorot's 2 / (fan_in + fan_out): He's variance is 2 / fan_in")]
    if family == "uniform":
        out += [(1 / np.sqrt(6), "the limit lacks the factor 6: limit = sqrt(6 / n)"),
                (1 / np.sqrt(3), "sqrt(2 / n) is the standard deviation, not the limit: U(-l, l) has std "
                 "l / sqrt(3), so limit = sqrt(6 / n)"),
                (1 / np.sqrt(2), "the limit lacks the factor 2: limit = sqrt(6 / n), with variance 2 / n"),
                (np.sqrt(6 / n_right), "the limit is a square root: sqrt(6 / n), not 6 / n")]
    else:
        out += [(TRUNC, "truncating at 2 stddevs without dividing the stddev by 0.87962566103423978 "
                 "leaves the std 12 % too small"),
                (1 / np.sqrt(2), "the variance lacks the factor 2: it is 2 / n (1 / n is LeCun's)"),
                (np.sqrt(2 / n_right), "the variance was used as the standard deviation: stddev = "
                 "sqrt(2 / n) / 0.8796..., not 2 / n"),
                (np.sqrt(2 / n_right) * TRUNC, "the variance was used as the standard deviation: stddev = "
                 "sqrt(2 / n) / 0.8796..., not 2 / n")]
    return out


def _diagnose(name, fi, fo, ratio):
    best = min(_candidates(name, fi, fo), key=lambda c: abs(np.log(ratio / c[0])))
    if abs(np.log(ratio / best[0])) < 0.01:
        return f" Likely: {best[1]}."
    _, _, text, _ = INITS[name]
    return f" Its std is {ratio:.3g} times the right one, sqrt({text})."


def _distinct(name, fi, fo):
    """Every candidate ratio is at least 3 % away from 1 and from every other one."""
    logs = sorted([0.0] + [np.log(r) for r, _ in _candidates(name, fi, fo)])
    return min(np.diff(logs)) > 0.03


def _kernel(got, fi, fo):
    if got is None or isinstance(got, (bool, str, dict, tuple, list)):
        return None, f"returned {type(got).__name__}; expected a float array of shape ({fi}, {fo})"
    w = np.asarray(got)
    if w.shape != (fi, fo):
        extra = " (Keras kernels are (fan_in, fan_out))" if w.shape == (fo, fi) else ""
        return None, f"returned shape {w.shape}, expected ({fi}, {fo}){extra}"
    if w.dtype.kind != "f":
        return None, f"returned dtype {w.dtype}; weights are floating point"
    if not np.all(np.isfinite(w)):
        return None, "returned non-finite values"
    return w, None


def _support_message(name, bound_text):
    family = INITS[name][0]
    if family == "uniform":
        return f"values outside ±limit = {bound_text}"
    return (f"values beyond two stddevs ({bound_text}): Keras' {INITS[name][3]} draws from a truncated "
            "normal, redrawing every value beyond 2 stddev")


def _init_check(name):
    family, var, text, keras_name = INITS[name]

    def check(got, expected, case, results):
        fi, fo = case.args[0], case.args[1]
        w, problem = _kernel(got, fi, fo)
        if problem:
            return problem
        x = w.astype(np.float64).reshape(-1)
        std = float(np.sqrt(var(fi, fo)))
        if family == "uniform":
            bound = std * np.sqrt(3)
            bound_text = "sqrt(6 / (fan_in + fan_out))" if name.startswith("glorot") else "sqrt(6 / fan_in)"
        else:
            bound, bound_text = 2 * std / TRUNC, f"2 stddev, stddev = sqrt({text}) / 0.87962566103423978"
        big = x.size >= 10_000
        ratio = float(np.std(x)) / std if x.size > 1 else 1.0
        outside = int(np.sum(np.abs(x) > bound * (1 + 1e-6)))
        if outside:
            msg = f"{outside} of {x.size} values are {_support_message(name, bound_text)}."
            return msg + (_diagnose(name, fi, fo, ratio) if big and abs(np.log(ratio)) > 0.01 else
                          (" The scale is right but the tails are not: " + (
                              "draw from a uniform U(-limit, limit), not a normal." if family == "uniform"
                              else "redraw values beyond 2 stddev (a truncated normal).") if big else ""))
        if not big:
            return None
        if family == "truncated":
            edge = int(np.sum(np.abs(x) >= bound * (1 - 1e-9)))
            if edge > max(5, 1e-3 * x.size):
                return (f"{edge} of {x.size} values sit exactly at ±2 stddev: values beyond 2 stddev must be "
                        "redrawn (a truncated normal), not clipped.")
        problem = mean_close(x, 0.0, max(std, float(np.std(x))), false_failure=STAT_FALSE_FAILURE)
        if problem:
            return problem + "; the distribution must be symmetric around 0."
        problem = std_close(x, std, kurtosis=KURTOSIS[family], false_failure=STAT_FALSE_FAILURE)
        if problem:
            return problem + "." + _diagnose(name, fi, fo, ratio)
        if family == "uniform":
            from scipy.stats import uniform
            cdf, what = uniform(-bound, 2 * bound).cdf, f"Keras' {keras_name}: U(-limit, limit)"
            tip = " Draw from a uniform distribution."
        else:
            from scipy.stats import truncnorm
            s = std / TRUNC
            cdf, what = truncnorm(-2, 2, scale=s).cdf, f"Keras' {keras_name}: a normal truncated to ±2 stddev"
            tip = " Draw N(0, stddev²) and redraw the values beyond 2 stddev."
        problem = matches_distribution(x, cdf, what, false_failure=STAT_FALSE_FAILURE)
        return problem + "." + tip if problem else None
    return check


def _same_as(first_id, base):
    def check(got, expected, case, results):
        problem = base(got, expected, case, results)
        if problem or first_id not in results:
            return problem
        other = np.asarray(results[first_id], dtype=np.float64)
        if other.shape != np.shape(got) or not np.allclose(np.asarray(got, dtype=np.float64), other,
                                                           rtol=1e-12, atol=0):
            return RNG_ONLY
        return None
    return check


def _differs_from(first_id, base):
    def check(got, expected, case, results):
        problem = base(got, expected, case, results)
        if problem or first_id not in results:
            return problem
        other = np.asarray(results[first_id], dtype=np.float64)
        if other.shape == np.shape(got) and np.array_equal(np.asarray(got, dtype=np.float64), other):
            return RNG_USED
        return None
    return check


def _seed(rng):
    return int(rng.integers(2**31))


def init_cases(name):
    check = _init_check(name)

    def cases(rng):
        out = []
        fi, fo = int(rng.integers(600, 900)), int(rng.integers(1100, 1400))
        out.append(Case((fi, fo, rng_arg(_seed(rng))), f"a {fi} x {fo} kernel, summarised (log std, mean/std, "
                        f"max|w|/std, fraction within one std) and compared with keras.initializers."
                        f"{INITS[name][3]}", protocol="sample_summary", id="keras"))
        shapes = []
        for lo_hi in [((150, 300), (600, 900)), ((600, 900), (150, 300))]:
            while True:
                fi, fo = int(rng.integers(*lo_hi[0])), int(rng.integers(*lo_hi[1]))
                if _distinct(name, fi, fo):
                    break
            shapes.append((fi, fo, f"a large {fi} x {fo} kernel (fan_in {'<' if fi < fo else '>'} fan_out)"))
        big = int(rng.integers(120_000, 160_000))
        shapes += [(1, big, f"a 1 x {big} kernel (fan_in = 1)"), (big, 1, f"a {big} x 1 kernel (fan_out = 1)")]
        for fi, fo, label in shapes:
            out.append(Case((fi, fo, rng_arg(_seed(rng))), label + ": support, mean, std and distribution",
                            check=check, stochastic=True))
        rf, rc = int(rng.integers(2, 30)), int(rng.integers(2, 30))
        for fi, fo, label in [(1, 1, "a 1 x 1 kernel"), (1, 9, "a 1 x 9 kernel"), (7, 1, "a 7 x 1 kernel"),
                              (3, 5, "a 3 x 5 kernel"), (rf, rc, f"a {rf} x {rc} kernel")]:
            out.append(Case((fi, fo, rng_arg(_seed(rng))), label + ": shape, dtype and support",
                            check=check, stochastic=True))
        seed = _seed(rng)
        out.append(Case((13, 7, rng_arg(seed)), "a 13 x 7 kernel", check=check, stochastic=True, id="first"))
        out.append(Case((13, 7, rng_arg(seed)), "a 13 x 7 kernel from a generator made from the same seed again",
                        check=_same_as("first", check), stochastic=True))
        out.append(Case((13, 7, rng_arg(seed + 1)), "a 13 x 7 kernel from a generator of another seed",
                        check=_differs_from("first", check), stochastic=True))
        return out
    return cases


# == activation_stds / gradient_norms =====================================================
SMALL = FuncArg("lambda fan_in, fan_out, rng: rng.normal(0.0, 0.01, size=(fan_in, fan_out))")
LARGE = FuncArg("lambda fan_in, fan_out, rng: rng.normal(0.0, 1.0, size=(fan_in, fan_out))")
ZEROS = FuncArg("lambda fan_in, fan_out, rng: np.zeros((fan_in, fan_out))")
NETWORKS = [  # (init, activation, depth, width, n_samples, label)
    ("glorot_uniform", "tanh", 10, 32, 128, "10 tanh layers with glorot_uniform"),
    ("he_normal", "relu", 10, 32, 128, "10 relu layers with he_normal"),
    (SMALL, "tanh", 10, 32, 128, "10 tanh layers, init given as a function drawing N(0, 0.01²) weights"),
    (LARGE, "tanh", 8, 32, 128, "8 tanh layers, init given as a function drawing N(0, 1) weights"),
    ("glorot_normal", "sigmoid", 6, 27, 100, "6 sigmoid layers of odd width with glorot_normal"),
    ("he_uniform", "linear", 5, 37, 1, "5 linear layers with he_uniform and a single sample (N = 1)"),
    (ZEROS, "sigmoid", 4, 20, 50, "4 sigmoid layers, init given as a function returning zeros"),
    ("glorot_uniform", "relu", 1, 33, 150, "a single relu layer with glorot_uniform"),
]
SEEDS_PER_NETWORK = 3
REFERENCE_SEEDS = 40
LOG_FLOOR = 0.02
Z_PROFILE = 8.0
ZERO = 1e-12


def _make(arg):
    return arg.make() if isinstance(arg, (FuncArg, RngArg)) else arg


@lru_cache(maxsize=None)
def _profile_stats(exercise, k, fn=None):
    """(mean log, std of log, all-zero mask) per layer of a function over fixed seeds."""
    init, activation, depth, width, n, _ = NETWORKS[k]
    fn = fn or getattr(ref, exercise)
    rows = []
    for s in range(REFERENCE_SEEDS if fn is getattr(ref, exercise) else 8):
        vals = np.asarray(fn(_make(init), activation, depth, width, n, np.random.default_rng(10_000 + s)),
                          dtype=np.float64).reshape(-1)
        rows.append(vals)
    vals = np.array(rows)
    zero = np.all(np.abs(vals) <= ZERO, axis=0)
    with np.errstate(divide="ignore", invalid="ignore"):
        logs = np.log(np.where(zero, 1.0, np.abs(vals)))
    return logs.mean(axis=0), logs.std(axis=0), zero


def _within(values, stats, n_student):
    """Layer-wise agreement of the student's mean log profile with a profile's statistics."""
    mean, sd, zero = stats
    values = np.asarray(values)
    if values.shape[-1] != mean.shape[0]:
        return False, None
    if np.any(np.abs(values[:, zero]) > ZERO):
        return False, int(np.argmax(np.any(np.abs(values) > ZERO, axis=0) & zero))
    if np.any(values[:, ~zero] <= 0):
        return False, int(np.argmax(np.any(values <= 0, axis=0) & ~zero))
    with np.errstate(divide="ignore"):
        got = np.log(np.where(zero, 1.0, values)).mean(axis=0)
    tol = np.maximum(LOG_FLOOR, Z_PROFILE * sd * np.sqrt(1 / n_student + 1 / REFERENCE_SEEDS))
    bad = (~zero) & (np.abs(got - mean) > tol)
    return (not bad.any()), (int(np.argmax(bad)) if bad.any() else None)


def _mistake_hint(exercise, k, values):
    from . import mistakes
    for m in mistakes.MISTAKES:
        if m.exercise != exercise or "np.random." in m.code:
            continue
        try:
            stats = _profile_stats(exercise, k, m.function())
        except Exception:
            continue
        if stats[0].shape[0] == values.shape[1] and _within(values, stats, len(values))[0]:
            return m.hint
    return None


def _profile_check(exercise, k, ids):
    init, activation, depth, width, n, _ = NETWORKS[k]
    what = "std" if exercise == "activation_stds" else "gradient norm"

    def check(got, expected, case, results):
        _, problem = finite_numbers(got, depth, f"{depth} numbers, one per layer (layer 1 first)")
        if problem:
            return problem
        rows = []
        for i in ids:
            vals, bad = finite_numbers(results.get(i), depth, "")
            if bad is None:
                rows.append(vals)
        values = np.array(rows if rows else [finite_numbers(got, depth, "")[0]])
        if np.any(values < 0):
            return f"a {what} is never negative"
        ok, layer = _within(values, _profile_stats(exercise, k), len(values))
        if ok:
            return None
        msg = (f"the {what} of layer {layer + 1} of {depth} is off (averaged over {len(values)} seeds, "
               "compared with the reference's statistics over 40 seeds)")
        hint = _mistake_hint(exercise, k, values)
        return msg + (f". Likely mistake: {hint}" if hint else
                      ": check what is measured (after the activation), std not variance, layer 1 first")
    return check


def _same_values(first_id, base):
    def check(got, expected, case, results):
        problem = base(got, expected, case, results)
        if problem or first_id not in results:
            return problem
        a, b = finite_numbers(got, len(np.ravel(got)), "")[0], finite_numbers(
            results[first_id], len(np.ravel(results[first_id])), "")[0]
        return None if a is not None and b is not None and np.allclose(a, b, rtol=1e-12, atol=0) else RNG_ONLY
    return check


def profile_cases(exercise):
    def cases(rng):
        out = []
        for k, (init, activation, depth, width, n, label) in enumerate(NETWORKS):
            ids = [f"net{k}-{j}" for j in range(SEEDS_PER_NETWORK)]
            check = _profile_check(exercise, k, ids)
            seeds = [_seed(rng) for _ in ids]
            for j, (cid, seed) in enumerate(zip(ids, seeds)):
                out.append(Case((init, activation, depth, width, n, rng_arg(seed)),
                                f"{label} (seed {j + 1} of {SEEDS_PER_NETWORK})",
                                check=check, stochastic=True, id=cid))
            if k == 0:
                out.append(Case((init, activation, depth, width, n, rng_arg(seeds[0])),
                                f"{label}, with a generator made from seed 1 again",
                                check=_same_values(ids[0], check), stochastic=True))
        return out
    return cases


# == clipping =============================================================================
class ListCase(Case):
    """A case whose float32 inputs are inside a list (compared at float32 precision)."""

    @property
    def float32(self):
        return any(isinstance(a, np.ndarray) and a.dtype == np.float32 for a in self.args[0])


def _arr(rng, shape, scale=1.0, dtype=np.float64):
    return (rng.standard_normal(shape) * scale).astype(dtype)


def value_cases(rng):
    out = []
    for shape, dtype, scale, label in [((1,), np.float64, 2.0, "a single float64 value"),
                                       ((7, 3), np.float64, 2.0, "a float64 (7, 3) gradient"),
                                       ((2, 3, 4), np.float64, 2.0, "a 3-D float64 gradient"),
                                       ((9, 5), np.float32, 2.0, "a float32 gradient"),
                                       ((6, 4), np.float64, 1e4, "a float64 gradient with magnitudes ~1e4")]:
        c = float(rng.uniform(0.2, 1.5))
        out.append(Case((_arr(rng, shape, scale, dtype), c), f"{label}, some entries beyond ±clip_value"))
    c = float(rng.uniform(0.5, 1.5))
    g = np.array([c, -c, 0.0, -0.0, 2 * c, -2 * c, 0.5 * c])
    out.append(Case((g, c), "entries exactly at ±clip_value, zeros and beyond"))
    out.append(Case((_arr(rng, (4, 3), 0.1), 5.0), "a gradient entirely inside [-clip_value, clip_value]"))
    return out


def _scaled_to(rng, shape, norm, dtype=np.float64):
    g = rng.standard_normal(shape)
    return (g * (norm / np.linalg.norm(g))).astype(dtype)


def norm_cases(rng):
    out = []
    for shape, dtype, factor, label in [((8,), np.float64, 3.0, "a 1-D float64 gradient, norm above clip_norm"),
                                        ((5, 3), np.float64, 0.4, "a (5, 3) float64 gradient, norm below clip_norm"),
                                        ((2, 3, 4), np.float64, 1.7, "a 3-D float64 gradient, norm above clip_norm"),
                                        ((7, 2), np.float32, 2.5, "a float32 gradient, norm above clip_norm"),
                                        ((3, 3), np.float32, 0.6, "a float32 gradient, norm below clip_norm"),
                                        ((1, 1), np.float64, 4.0, "a (1, 1) gradient, norm above clip_norm"),
                                        ((6, 5), np.float64, 1e4, "a float64 gradient with norm 1e4 times clip_norm")]:
        c = float(rng.uniform(0.5, 3.0))
        out.append(Case((_scaled_to(rng, shape, factor * c, dtype), c), label))
    g = _arr(rng, (4, 5))
    out.append(Case((g, float(np.sqrt(np.sum(g * g)))), "a gradient whose norm is exactly clip_norm"))
    out.append(Case((np.zeros((3, 2)), 1.0), "an all-zero gradient"))
    g = np.zeros((4, 4))
    g[0, 0] = 10.0
    out.append(Case((g, 1.0), "one large entry in a (4, 4) gradient (element-wise clipping differs from norm clipping)"))
    return out


def global_cases(rng):
    out = []
    specs = [([(4, 3), (3,)], np.float64, 3.0, "two float64 tensors (a kernel and a bias), global norm above clip_norm"),
             ([(5,), (2, 2), (3, 1, 2)], np.float64, 0.5, "three float64 tensors, global norm below clip_norm"),
             ([(6, 2), (2,), (2, 3), (3,)], np.float32, 2.0, "four float32 tensors, global norm above clip_norm"),
             ([(3, 3)], np.float64, 5.0, "a list of one tensor, norm above clip_norm"),
             ([(2, 5), (5,)], np.float32, 0.7, "two float32 tensors, global norm below clip_norm"),
             ([(4, 4), (4,)], np.float64, 1e4, "two tensors with a global norm 1e4 times clip_norm")]
    for shapes, dtype, factor, label in specs:
        c = float(rng.uniform(0.5, 3.0))
        parts = [rng.standard_normal(s) * float(rng.uniform(0.2, 3.0)) for s in shapes]
        total = np.sqrt(sum(np.sum(p * p) for p in parts))
        grads = [(p * (factor * c / total)).astype(dtype) for p in parts]
        out.append(ListCase((grads, c), label, protocol="call_and_list_inputs"))
    parts = [_arr(rng, (3, 2)), _arr(rng, (2,))]
    c = float(np.sqrt(sum(np.sum(p * p) for p in parts)))
    out.append(ListCase((parts, c), "two tensors whose global norm is exactly clip_norm",
                        protocol="call_and_list_inputs"))
    parts = [np.full((2, 2), 0.1), np.array([30.0, -40.0])]  # one tensor above, one below c, global above
    out.append(ListCase((parts, 10.0), "a small tensor next to a large one (per-tensor and global clipping differ)",
                        protocol="call_and_list_inputs"))
    return out


EXERCISES = [
    Exercise("glorot_uniform", 2, init_cases("glorot_uniform"), tolerance=SUMMARY_TOL),
    Exercise("glorot_normal", 2, init_cases("glorot_normal"), tolerance=SUMMARY_TOL),
    Exercise("he_uniform", 2, init_cases("he_uniform"), tolerance=SUMMARY_TOL),
    Exercise("he_normal", 2, init_cases("he_normal"), tolerance=SUMMARY_TOL),
    Exercise("activation_stds", 3, profile_cases("activation_stds")),
    Exercise("gradient_norms", 3, profile_cases("gradient_norms")),
    Exercise("clip_by_value", 1, value_cases),
    Exercise("clip_by_norm", 2, norm_cases),
    Exercise("clip_by_global_norm", 2, global_cases,
             returns=("the clipped arrays", "your input arrays after the call")),
]
