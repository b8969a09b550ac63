"""The known-mistake library: plausible wrong answers and correct alternatives, per exercise.

Each lesson module defines ``MISTAKES`` and ``ALTERNATIVES`` (lists of :class:`Variant`).
The project's tests put every variant into a notebook and grade it: a mistake must lose
points on its exercise, an alternative must keep full marks. The grader also runs the
mistakes on a failing case: when the student's output matches one, the feedback names it.
"""
from __future__ import annotations

import textwrap
import warnings
from dataclasses import dataclass, field
from typing import Callable

import numpy as np


@dataclass
class Variant:
    exercise: str
    name: str
    code: str  # the complete answer cell
    hint: str = ""  # for mistakes: what the feedback says when the student's output matches
    # What the feedback must contain for this mistake (default: the hint itself).
    feedback_says: str = ""
    _fn: Callable | None = field(default=None, repr=False, compare=False)

    def __post_init__(self):
        self.code = textwrap.dedent(self.code).strip() + "\n"
        self.feedback_says = self.feedback_says or self.hint

    def function(self) -> Callable:
        """The variant compiled in the grader (trusted code: it is ours)."""
        if self._fn is None:
            ns: dict = {"np": np}
            exec(compile(self.code, f"<mistake {self.exercise}: {self.name}>", "exec"), ns)
            self._fn = ns[self.exercise]
        return self._fn

    def run_noting_warnings(self, args, kwargs, protocol: str = "call"):
        """(output or :class:`Raised`, whether it emitted a warning), driven like the student's."""
        from ..sandbox import protocols
        try:
            with np.errstate(over="warn", divide="warn", invalid="warn", under="ignore"), \
                    warnings.catch_warnings(record=True) as caught:
                warnings.simplefilter("always")
                return protocols.run(protocol, self.function(), args, kwargs), bool(caught)
        except Exception as exc:
            return Raised(type(exc).__name__), False


@dataclass(frozen=True)
class Raised:
    exception: str


def mistake(exercise: str, name: str, hint: str, code: str, feedback_says: str = "") -> Variant:
    return Variant(exercise, name, code, hint, feedback_says)


def alternative(exercise: str, name: str, code: str) -> Variant:
    return Variant(exercise, name, code)


def rounds(variants: list[Variant]) -> list[dict[str, Variant]]:
    """Groups variants so that each round holds at most one per exercise.

    A whole round fits in one notebook: every exercise is graded on its own, so a round
    checks several variants with a single kernel.
    """
    out: list[dict[str, Variant]] = []
    for v in variants:
        for r in out:
            if v.exercise not in r:
                r[v.exercise] = v
                break
        else:
            out.append({v.exercise: v})
    return out
