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
    _fn: Callable | None = field(default=None, repr=False, compare=False)

    def __post_init__(self):
        self.code = textwrap.dedent(self.code).strip() + "\n"

    def function(self) -> Callable:
        """The variant compiled in the grader (trusted code: it is ours)."""
        if self._fn is None:
            ns: dict = {"np": np}
            exec(compile(self.code, f"<mistake {self.exercise}: {self.name}>", "exec"), ns)
            self._fn = ns[self.exercise]
        return self._fn

    def run(self, args, kwargs):
        """The variant's output, or None when it raises."""
        try:
            with np.errstate(all="ignore"), warnings.catch_warnings():
                warnings.simplefilter("ignore")
                return self.function()(*args, **kwargs)
        except Exception:
            return None


def mistake(exercise: str, name: str, hint: str, code: str) -> Variant:
    return Variant(exercise, name, code, hint)


def alternative(exercise: str, name: str, code: str) -> Variant:
    return Variant(exercise, name, code)
