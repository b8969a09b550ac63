"""Checks that lesson authors use again and again: one finite number, agreement with a
numerical gradient, and statistical tests for functions driven by an ``rng``.

Every statistical test here has a stated false-failure rate: a correct answer fails it with
probability at most ``FALSE_FAILURE`` (per test), whatever the seed and the order in which the
student draws random numbers. Each returns a problem message (for the student) or None.
"""
from __future__ import annotations

from typing import Callable

import numpy as np

from .compare import Tolerance, compare_arrays
from .gradcheck import numeric_gradient

FALSE_FAILURE = 1e-6  # probability that a correct answer fails one statistical test


def _z(false_failure: float) -> float:
    """The two-sided normal quantile: |Z| > z has probability ``false_failure``."""
    from scipy.stats import norm
    return float(norm.isf(false_failure / 2))


# -- values ------------------------------------------------------------------------------------
def one_number(got, what: str = "expected a single number", shape_note: str = "",
               finite: str = "a finite number") -> tuple[float | None, str | None]:
    """(the value as a float, None), or (None, a problem) unless ``got`` is one finite number.

    The messages: "returned list; {what}", "returned shape (3,); {what}{shape_note}",
    "returned nan where {finite} is expected".
    """
    if isinstance(got, (bool, str, dict, tuple, list)) or got is None:
        return None, f"returned {type(got).__name__}; {what}"
    arr = np.asarray(got)
    if arr.size != 1 or arr.dtype.kind not in "fiu":
        return None, f"returned shape {arr.shape}; {what}{shape_note}"
    value = float(arr.reshape(()))
    if not np.isfinite(value):
        return None, f"returned {value} where {finite} is expected"
    return value, None


def finite_numbers(got, count: int, what: str) -> tuple[list[float] | None, str | None]:
    """``count`` finite numbers (any sequence or 1-D array), or a problem."""
    try:
        values = np.asarray(got, dtype=np.float64).reshape(-1)
    except (TypeError, ValueError):
        return None, f"returned {type(got).__name__}; expected {what}"
    if values.size != count:
        return None, f"returned {values.size} numbers; expected {what} ({count} numbers)"
    if not np.all(np.isfinite(values)):
        return None, f"returned non-finite values; expected {what}"
    return [float(v) for v in values], None


# -- gradients ---------------------------------------------------------------------------------
def numeric_gradient_check(f: Callable, wrt: int = 0, tol: Tolerance = Tolerance(rtol=1e-5, atol=1e-9),
                           of: str = "the function", pick: Callable = lambda got: got):
    """A case check: the student's gradient (``pick(got)``) agrees with central differences of
    ``f(*case.args)`` with respect to argument ``wrt``."""
    def check(got, expected, case, results):
        args = tuple(case.args)
        numeric = numeric_gradient(lambda v: float(f(*args[:wrt], v, *args[wrt + 1:])), args[wrt])
        problem = compare_arrays(pick(got), numeric, tol, False)
        if problem is None:
            return None
        return f"does not agree with a numerical gradient (central differences) of {of}: {problem}"
    return check


# -- distributions -----------------------------------------------------------------------------
def matches_distribution(sample, cdf: Callable, name: str, false_failure: float = FALSE_FAILURE) -> str | None:
    """Kolmogorov–Smirnov test of ``sample`` against the continuous ``cdf``."""
    from scipy.stats import kstest
    x = np.asarray(sample, dtype=np.float64).reshape(-1)
    if x.size < 20:
        return None  # too few values to test; the caller checks support and shape
    result = kstest(x, cdf)
    if result.pvalue >= false_failure:
        return None
    return (f"the values do not follow {name} (Kolmogorov–Smirnov distance {result.statistic:.3g} "
            f"over {x.size} values)")


def mean_close(sample, mean: float, std: float, name: str = "the mean",
               false_failure: float = FALSE_FAILURE) -> str | None:
    """The sample mean is within the normal bound of ``mean`` for values of spread ``std``."""
    x = np.asarray(sample, dtype=np.float64).reshape(-1)
    if x.size == 0:
        return f"{name}: no values"
    bound = _z(false_failure) * std / np.sqrt(x.size) + 1e-12
    got = float(np.mean(x))
    if abs(got - mean) <= bound:
        return None
    return f"{name} is {got:.4g}, expected {mean:.4g} (within ±{bound:.2g} for {x.size} values)"


def std_close(sample, std: float, name: str = "the standard deviation", kurtosis: float = 3.0,
              false_failure: float = FALSE_FAILURE) -> str | None:
    """The sample std is within the bound of ``std`` (large-sample, for the given kurtosis:
    3 for a normal, 1.8 for a uniform)."""
    x = np.asarray(sample, dtype=np.float64).reshape(-1)
    n = x.size
    if n < 2:
        return None
    got = float(np.std(x))
    # Var(s^2) ~ sigma^4 (kurtosis - 1) / n; delta method for s.
    rel = _z(false_failure) * np.sqrt((kurtosis - 1) / n) / 2
    if abs(got - std) <= rel * std + 1e-12:
        return None
    return f"{name} is {got:.4g}, expected {std:.4g} (within ±{100 * rel:.2g} % for {n} values)"


def fraction_close(successes: int, trials: int, p: float, name: str,
                   false_failure: float = FALSE_FAILURE) -> str | None:
    """``successes`` out of ``trials`` is a plausible Binomial(trials, p) draw (exact test)."""
    from scipy.stats import binom
    if trials == 0:
        return None
    lo = binom.ppf(false_failure / 2, trials, p)
    hi = binom.isf(false_failure / 2, trials, p)
    if lo <= successes <= hi:
        return None
    return (f"{name} is {successes / trials:.4g} ({successes} of {trials}), expected about {p:.4g} "
            f"(between {lo / trials:.4g} and {hi / trials:.4g})")


def uniform_integers(values, low: int, high: int, name: str,
                     false_failure: float = FALSE_FAILURE) -> str | None:
    """Integers uniform on {low, ..., high}: all in range, and a chi-square test of the counts."""
    from scipy.stats import chisquare
    v = np.asarray(values).reshape(-1)
    if v.size == 0:
        return None
    if v.min() < low or v.max() > high:
        return f"{name} range over [{v.min()}, {v.max()}], expected values in [{low}, {high}]"
    k = high - low + 1
    if k == 1 or v.size < 5 * k:
        return None
    counts = np.bincount((v - low).astype(int), minlength=k)
    if chisquare(counts).pvalue >= false_failure:
        return None
    return f"{name} are not uniform on [{low}, {high}] (counts {counts.tolist()})"
