"""Step: name the likely mistake, by running the known mistakes on the failed cases.

A known mistake explains a failed case when it is wrong on that case too and gives the same
output as the student (or raises the same exception). The most frequent hint wins; ties go
to the mistake listed first. When no known mistake explains any case, a relation between the
student's values and the right ones that holds on every failing case (opposite sign, a constant
factor, a factor of the batch size, transposed, shifted by one, normalised along another axis...)
is named instead: a fact about the outputs, so it never points at the wrong mistake.
"""
from __future__ import annotations

from collections import Counter

import numpy as np

from .compare import compare_values
from .judge import CaseProblem
from .run import MUTATED
from .mistakes import Raised, Variant
from .spec import MISSING, Exercise
from .truth import for_reference


def matching_hints(ex: Exercise, p: CaseProblem, mistakes: list[Variant]) -> list[str]:
    """Hints of the known mistakes that behave like the student's answer on this case."""
    case, matched = p.case, []
    for m in mistakes:
        out, warned = m.run_noting_warnings(for_reference(case.args), for_reference(case.kwargs), case.protocol)
        if isinstance(out, Raised):
            if p.raised and p.raised.startswith(out.exception + ":"):
                matched.append(m.hint)
            continue
        wrong = ex.judge(case, out, p.expected, {}) is not None
        if p.raised or not (wrong or (p.warning_only and warned and not ex.allow_warnings)):
            continue  # the mistake is right on this case, so it explains nothing
        if compare_values(p.got, out, ex.tolerance, case.float32) is None and (
                not ex.require_float or np.asarray(p.got).dtype.kind == np.asarray(out).dtype.kind):
            matched.append(m.hint)
    return matched


def diagnose(ex: Exercise, problems: list[CaseProblem], mistakes: list[Variant]) -> Counter:
    """How many failed cases each known mistake's hint explains (property cases excluded)."""
    hints: Counter = Counter()
    known = [m for m in mistakes if m.exercise == ex.name and m.hint]
    for p in problems:
        if not p.case.stochastic and p.expected is not MISSING:
            hints.update(matching_hints(ex, p, known))
    if not hints and problems:
        pattern = pattern_hint(ex, problems)
        if pattern:
            hints[pattern] = len(problems)
    return hints


# -- patterns: how the wrong values relate to the right ones, without any known mistake -------
def _pairs(got, want, tol, names=(), where=""):
    """(name, got array, expected array) of every numeric item that differs beyond ``tol``
    (rtol, atol), or None when the structure itself differs (then no pattern is claimed)."""
    if isinstance(want, (tuple, list)):
        if not isinstance(got, (tuple, list)) or len(got) != len(want):
            return None
        out = []
        for i, (g, w) in enumerate(zip(got, want)):
            sub = _pairs(g, w, tol, (), names[i] if i < len(names) else (f"{where}, item {i}" if where else f"item {i}"))
            if sub is None:
                return None
            out += sub
        return out
    if isinstance(want, dict):
        if not isinstance(got, dict) or set(want) - set(got):
            return None
        out = []
        for k in want:
            sub = _pairs(got[k], want[k], tol, (), f"'{k}'")
            if sub is None:
                return None
            out += sub
        return out
    if want is None or isinstance(want, (str, bool)) or isinstance(got, (str, bool, dict, tuple, list)) or got is None:
        return [] if type(got) is type(want) and got == want else None
    try:
        g, w = np.asarray(got, dtype=np.float64), np.asarray(want, dtype=np.float64)
    except (TypeError, ValueError):
        return None
    if g.size == 1 and w.size == 1:
        g, w = g.reshape(()), w.reshape(())
    if not (np.all(np.isfinite(g)) and np.all(np.isfinite(w))):
        return None
    if _close(g, w, *tol):
        return []
    return [(where, g, w)]


def _sizes(case) -> dict[str, int]:
    """The sizes a result can be off by: of the case's first array argument."""
    first = next((a for a in case.args if isinstance(a, np.ndarray) and a.ndim >= 1), None)
    if first is None:
        return {}
    return {"N": first.shape[0], "D": first.shape[-1] if first.ndim >= 2 else 0, "size": first.size}


SIZE_WORDS = {  # symbol, what it is, the likely cause of a factor n, of a factor 1/n
    "N": ("N", "N, the number of samples, is the length of the first axis",
          "a sum over the samples where their mean is expected (divide by N)",
          "a division by N too many (the mean taken twice, or a mean where a sum is expected)"),
    "D": ("D", "D is the length of the last axis",
          "a sum over the last axis where its mean is expected",
          "a mean over the last axis where its sum is expected"),
    "size": ("n", "n is the number of entries of the input",
             "a sum over all entries where their mean is expected",
             "a division by the number of entries too many"),
}


def _close(g, w, rtol, atol) -> bool:
    return g.shape == w.shape and bool(np.allclose(g, w, rtol=rtol, atol=atol))


def _relations(g, w, sizes, rtol, atol):
    """Every relation (key, hint) that holds exactly between one wrong value and the right one."""
    out = []
    if g.shape == w.shape:
        if np.any(np.abs(w) > atol) and _close(g, -w, rtol, atol):
            out.append(("sign", "every wrong value has the opposite sign of the expected one: look for "
                                "a flipped sign (a - b where b - a is meant, + where - is meant)"))
        if _close(g, 1.0 - w, rtol, atol):
            out.append(("complement", "every wrong value is 1 minus the expected one: look for a "
                                      "complement (a sign inside an exp, swapped branches or classes)"))
        nz = np.abs(w) > atol
        if nz.any():
            c = float(np.sum(g * w) / np.sum(w * w))
            if abs(c) > 1e-12 and abs(c - 1.0) > 1e-6 and abs(c + 1.0) > 1e-6 and _close(g, c * w, rtol, atol):
                for role, n in sizes.items():
                    if n > 1:
                        for power, k in ((1, 1), (-1, 2)):
                            if np.isclose(c, float(n) ** power, rtol=1e-9):
                                sym, what = SIZE_WORDS[role][:2]
                                out.append((f"size {role} {power}", f"every wrong value is exactly "
                                            f"{'' if power == 1 else '1/'}{sym} times the expected one "
                                            f"({what}): {SIZE_WORDS[role][k + 1]}"))
                out.append((f"factor {c:.6g}", f"every wrong value is exactly {c:.4g} times the expected one: "
                                               "look for a constant factor too many or missing (a 2, a 1/2, ...)"))
            if np.all(w[nz] > 0) and _close(g, np.sqrt(w), rtol, atol) and not _close(g, w, rtol, atol):
                out.append(("sqrt", "every wrong value is the square root of the expected one: "
                                    "look for a square root too many (or a square missing)"))
            if w.size >= 3 and np.ptp(w) > atol:
                A = np.stack([np.ones(w.size), w.ravel()], axis=1)
                (a, c), *_ = np.linalg.lstsq(A, g.ravel(), rcond=None)
                if abs(a) > atol and abs(c) > 1e-9 and _close(g, a + c * w, rtol, atol):
                    key = f"affine {a:.6g} {c:.6g}"
                    if abs(c - 1.0) < 1e-9:
                        out.append((key, f"every wrong value is off by the same amount ({a:+.4g}): look for "
                                         "a constant term that is missing or too many"))
                    elif not (abs(c + 1.0) < 1e-9 and abs(a - 1.0) < 1e-9):
                        out.append((key, f"every wrong value is exactly {c:.4g} times the expected one "
                                         f"{'+' if a > 0 else '-'} {abs(a):.4g}: look for a constant "
                                         "term and a factor that are off"))
            if _close(g, w * w, rtol, atol):
                out.append(("square", "every wrong value is the square of the expected one: "
                                      "look for a square too many (or a square root missing)"))
        for axis in range(w.ndim):
            if w.shape[axis] < 2:
                continue
            for s in (1, -1):
                rolled = np.roll(w, s, axis=axis)
                if not np.allclose(rolled, w, rtol=rtol, atol=atol) and _close(g, rolled, rtol, atol):
                    where = "the last axis" if axis == w.ndim - 1 else f"axis {axis}"
                    out.append((f"roll {axis - w.ndim} {s}", f"the values are the expected ones moved by one "
                                f"position along {where} (each sits one place {'later' if s > 0 else 'earlier'}): "
                                "an index off by one (a class, a column or a step)"))
        for axis in range(w.ndim):
            sums = w.sum(axis=axis)
            if np.all(w >= 0) and np.allclose(sums, 1.0, atol=1e-9):
                if np.all(g >= 0) and g.ndim > 1 and np.isclose(g.sum(), 1.0, atol=1e-9):
                    out.append(("normalised whole", f"the values sum to 1 over the whole array instead of "
                                                     f"along axis {axis}: normalise along the axis asked for"))
                for other in range(g.ndim):
                    if other != axis and np.all(g >= 0) and np.allclose(g.sum(axis=other), 1.0, atol=1e-9):
                        out.append((f"normalised {other - g.ndim} not {axis - w.ndim}",
                                    f"the values sum to 1 along axis {other} instead of axis {axis}: "
                                    "normalise along the axis asked for"))
    elif g.ndim == 2 and g.shape == w.shape[::-1] and _close(g.T, w, rtol, atol):
        out.append(("transpose", "the result is the transpose of the expected one: check the order of "
                                 "the axes (a kernel is (D_in, D_out), a batch (N, D))"))
    if g.ndim == 2 and g.shape == w.shape and g.shape[0] == g.shape[1] and not _close(w, w.T, rtol, atol) \
            and _close(g, w.T, rtol, atol):
        out.append(("transpose", "the result is the transpose of the expected one: check the order of "
                                 "the axes (a kernel is (D_in, D_out), a batch (N, D))"))
    return out


def pattern_hint(ex: Exercise, problems: list[CaseProblem]) -> str:
    """A hint from one relation between the student's and the right values that holds on every
    failing case (and every wrong item of each), exactly within the tolerance; "" when none does.

    Failing cases that raised, only warned, or are judged by properties alone make no claim
    possible, so then no pattern is named. A scalar result needs two failing cases to show a
    constant factor.
    """
    if all(p.problem == MUTATED for p in problems):
        return IN_PLACE
    if all(p.warning_only for p in problems):
        return UNSTABLE
    if all(p.warned for p in problems):
        return OVERFLOWS
    common, names, points = None, set(), 0
    judged = [p for p in problems if not p.case.stochastic and p.expected is not MISSING]
    if not judged or any(p.raised or p.warning_only for p in problems):
        return ""
    hints: dict[str, str] = {}
    steps = all(p.case.protocol == "rule_trajectory" for p in judged)
    for p in judged:
        got, want = (_steps(p.got, p.case), _steps(p.expected, p.case)) if steps else (p.got, p.expected)
        rtol, atol = ex.tolerance.for_precision(p.case.float32)
        pairs = _pairs(got, want, (rtol, atol), ex.returns)
        if not pairs:
            return ""
        sizes = _sizes(p.case)
        for name, g, w in pairs:
            found = dict(_relations(g, w, sizes, rtol, atol))
            if g.shape == w.shape:
                found.update(_where_wrong(g, w, p.case, rtol, atol))
            hints.update(found)
            common = set(found) if common is None else common & set(found)
            if not common:
                return ""
            names.add(name)
            points += max(1, int(np.sum(np.abs(w) > atol)))
    if points < 2 or not all(_fixed_passes(ex, p) for p in judged):
        return ""
    sizes_held = {k for k in common if k.startswith("size")}
    if len(sizes_held) > 1 or any(k.startswith("factor") for k in common):
        common -= sizes_held  # the size was the same in every failing case: say only the factor
    if not common:
        return ""
    key = next(k for k in sorted(common, key=_priority))
    named = sorted(n for n in names if n)
    named = named if len(named) <= 3 else []  # "every wrong value" says it for many items
    prefix = "the updates (w after each step minus w before): " if steps else ""
    return (f"{' and '.join(named)}: " if named else "") + prefix + hints[key]


def _fixed_passes(ex: Exercise, p: CaseProblem) -> bool:
    """The case passes once the wrong items are replaced by the expected ones: a check that
    accepts many answers (any weights computing XOR) compares with one of them only, so a
    relation to that one is named only where undoing it is enough."""
    tol = ex.tolerance.for_precision(p.case.float32)

    def fix(got, want):
        if isinstance(want, (tuple, list)) and isinstance(got, (tuple, list)) and len(got) == len(want):
            return type(got)(fix(g, w) for g, w in zip(got, want))
        if isinstance(want, dict) and isinstance(got, dict):
            return {**got, **{k: fix(got.get(k), w) for k, w in want.items()}}
        return got if _pairs(got, want, tol) == [] else want
    try:
        return ex.judge(p.case, fix(p.got, p.expected), p.expected, {}) is None
    except Exception:
        return False


def _steps(trajectory, case):
    """A rule's trajectory as its steps: w after each step minus w before it."""
    try:
        t = np.asarray(trajectory, dtype=np.float64)
        w0 = np.asarray(case.args[0], dtype=np.float64)
        return np.diff(np.concatenate([w0[None], t]), axis=0)
    except (TypeError, ValueError):
        return trajectory


def _where_wrong(g, w, case, rtol, atol):
    """Element-wise results wrong exactly where an input of the same shape is negative (or positive)."""
    wrong = ~np.isclose(g, w, rtol=rtol, atol=atol)
    out = []
    for k, x in enumerate(_arrays(case.args)):
        if x.shape != g.shape or x.dtype.kind != "f":
            continue
        if np.any(np.abs(x - 1.0) > 1e-6):
            if _close(g * x, w, rtol, atol):
                out.append((f"input factor missing {k}", "multiplying the wrong values by an input array of "
                            "the same shape gives the expected ones: a factor is missing (for a backward "
                            "pass: the upstream gradient)"))
            if _close(g, w * x, rtol, atol):
                out.append((f"input factor extra {k}", "the wrong values are the expected ones multiplied by an "
                            "input array of the same shape: that factor is one too many"))
        for region, word, other in ((x < 0, "negative", "positive"), (x > 0, "positive", "negative")):
            if np.array_equal(wrong, region):
                out.append((f"wrong where {word}", f"the values are right where the input is {other} "
                            f"and wrong exactly where it is {word}: look at the formula for {word} inputs"))
    return out


def _arrays(args, depth=0):
    for a in args:
        if isinstance(a, np.ndarray):
            yield a
        elif isinstance(a, (tuple, list)) and depth < 2:
            yield from _arrays(a, depth + 1)


OVERFLOWS = ("on every failing case an operation overflows, divides by zero or gives an invalid value "
             "(a RuntimeWarning): look for exp of a large number, log(0), 0 / 0 or sqrt of a negative "
             "number, and use a numerically stable formula")
IN_PLACE = ("the values are right, but the function changes its input array in place (z[...] = ..., "
            "z -= ..., np.clip(z, out=z)): work on a copy (z.copy()) or build a new array")
UNSTABLE = ("the values are right, but an operation overflows, divides by zero or gives an invalid value "
            "on the way (a RuntimeWarning: exp of a large number, log(0), 0 / 0): rewrite the formula so "
            "that it never computes such a value, as lesson 02's stable formulas do")


def _priority(key: str) -> tuple:
    order = ("sign", "complement", "transpose", "roll", "size", "normalised", "factor", "affine", "sqrt",
             "square", "input factor", "wrong where")
    return (next(i for i, k in enumerate(order) if key.startswith(k)), key)
