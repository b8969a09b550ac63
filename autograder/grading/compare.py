"""Comparing a student's value with the expected one, and saying what is wrong.

Every function returns ``None`` when the value is acceptable, else a short problem
description for the student that names shapes, dtypes and patterns, never hidden values.
"""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np


@dataclass(frozen=True)
class Tolerance:
    """Element-wise ``|got - want| <= atol + rtol * |want|``, chosen by the inputs' precision."""

    rtol: float = 1e-7
    atol: float = 1e-10
    rtol32: float = 2e-5
    atol32: float = 1e-6

    def for_precision(self, float32: bool) -> tuple[float, float]:
        return (self.rtol32, self.atol32) if float32 else (self.rtol, self.atol)


def describe(x) -> str:
    """A student-facing description of a value's kind, without its content."""
    if x is None:
        return "None (is a `return` missing?)"
    if isinstance(x, np.ndarray):
        return f"an array of shape {x.shape} and dtype {x.dtype}" if x.ndim else f"a {x.dtype} number"
    if isinstance(x, tuple):
        return f"a tuple of {len(x)} values"
    if isinstance(x, list):
        return f"a list of {len(x)} values"
    if isinstance(x, dict):
        return f"a dict with keys {sorted(x)}"
    if isinstance(x, bool):
        return "a bool"
    if isinstance(x, (int, float)):
        return f"a Python {type(x).__name__}"
    return f"a {type(x).__name__}"


def _pattern(got: np.ndarray, want: np.ndarray, rtol: float, atol: float) -> str:
    """Names a recognisable relation between a wrong array and the right one."""
    if got.shape == want.shape[::-1] and got.ndim == 2 and np.allclose(got.T, want, rtol, atol):
        return "it is the transpose of the expected result"
    if np.allclose(got, -want, rtol, atol) and np.any(np.abs(want) > atol):
        return "it has the opposite sign"
    nz = np.abs(want) > 1e-12
    if nz.sum() >= 2 and np.all(np.isfinite(got)) and np.allclose(got[~nz], 0, atol=atol):
        ratio = got[nz] / want[nz]
        r0 = ratio.flat[0]
        if np.allclose(ratio, r0, rtol=1e-6) and abs(r0 - 1.0) > 1e-3 and r0 != 0:
            return f"every entry is off by the same factor ({r0:.4g}x)"
    return ""


def compare_arrays(got, want, tol: Tolerance, float32: bool, require_float: bool = False) -> str | None:
    """Shape, dtype kind, finiteness and values of one array (or number)."""
    want = np.asarray(want)
    scalar_expected = want.ndim == 0
    if isinstance(got, bool) or got is None or isinstance(got, (tuple, list, dict, str)):
        return f"returned {describe(got)}; expected " + ("a number" if scalar_expected else
                                                          f"an array of shape {want.shape}")
    got = np.asarray(got)
    if got.shape != want.shape:
        if scalar_expected and got.size == 1:
            got = got.reshape(())
        else:
            what = "a number" if scalar_expected else f"shape {want.shape}"
            return f"returned shape {got.shape}, expected {what}"
    if require_float and got.dtype.kind != "f":
        return f"returned dtype {got.dtype}; the result should be floating point"
    if got.dtype.kind == "b" and want.dtype.kind != "b":
        got = got.astype(np.int64)
    g = got.astype(np.float64)
    w = want.astype(np.float64)
    rtol, atol = tol.for_precision(float32)
    bad_nan = np.isnan(g) & ~np.isnan(w)
    if bad_nan.any():
        if scalar_expected:
            return "returned NaN where a finite number is expected"
        return f"{int(bad_nan.sum())} of {g.size} entries are NaN where finite values are expected"
    bad_inf = np.isinf(g) & ~np.isinf(w)
    if bad_inf.any():
        if scalar_expected:
            return "returned an infinite number where a finite one is expected"
        return f"{int(bad_inf.sum())} of {g.size} entries are infinite where finite values are expected"
    if np.isnan(w).any() and not np.array_equal(np.isnan(g), np.isnan(w)):
        return "NaN in the wrong places"
    ok = np.isclose(g, w, rtol=rtol, atol=atol, equal_nan=True)
    if ok.all():
        return None
    if scalar_expected:
        pattern = _pattern(g.reshape(1, 1), w.reshape(1, 1), rtol, atol)
        return "wrong value" + (f": {pattern}" if pattern else "")
    pattern = _pattern(g, w, rtol, atol)
    msg = f"{int((~ok).sum())} of {g.size} entries are wrong"
    return msg + (f"; {pattern}" if pattern else "")


def compare_values(got, want, tol: Tolerance, float32: bool, require_float: bool = False,
                   names: tuple[str, ...] = (), where: str = "") -> str | None:
    """Like :func:`compare_arrays` for nested tuples, lists and dicts of arrays.

    A problem inside the structure is reported with where it is: ``"std: ..."``,
    ``"errors_per_epoch, item 3: ..."``.
    """
    def inside(label: str, g, w):
        return compare_values(g, w, tol, float32, require_float, (), f"{where}, {label}" if where else label)

    if isinstance(want, (tuple, list)):
        kind = "tuple" if isinstance(want, tuple) else "list"
        if not isinstance(got, (tuple, list)) or len(got) != len(want):
            named = f" ({', '.join(names)})" if names else ""
            return _at(where, f"returned {describe(got)}; expected a {kind} of {len(want)} values{named}")
        for i, (g, w) in enumerate(zip(got, want)):
            problem = inside(names[i] if i < len(names) else f"item {i}", g, w)
            if problem:
                return problem
        return None
    if isinstance(want, dict):
        if not isinstance(got, dict):
            return _at(where, f"returned {describe(got)}; expected a dict with keys {sorted(want)}")
        missing = sorted(set(want) - set(got))
        if missing:
            return _at(where, f"the returned dict lacks the keys {missing}")
        for k in want:
            problem = inside(f"'{k}'", got[k], want[k])
            if problem:
                return problem
        return None
    if want is None or isinstance(want, (str, bool)):
        return None if type(got) is type(want) and got == want else \
            _at(where, f"returned {describe(got)}; expected {want!r}")
    return _at(where, compare_arrays(got, want, tol, float32, require_float))


def _at(where: str, problem: str | None) -> str | None:
    return f"{where}: {problem}" if problem and where else problem
