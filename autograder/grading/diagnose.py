"""Step: name the likely mistake, by running the known mistakes on the failed cases.

A known mistake explains a failed case when it is wrong on that case too and gives the same
output as the student (or raises the same exception). The most frequent hint wins; ties go
to the mistake listed first.
"""
from __future__ import annotations

from collections import Counter

import numpy as np

from .compare import compare_values
from .judge import CaseProblem
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
    return hints
