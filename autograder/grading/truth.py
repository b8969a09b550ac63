"""Step: each exercise's random cases for the run's seed and what they should give.

Every submission of a grading run uses the run's seed, so a :class:`TruthCache` computes an
exercise's cases, reference values and Keras values once per process (the Keras values in the
background, and with ``share`` once for all the run's processes) and reuses them.
"""
from __future__ import annotations

import copy
import zlib
from pathlib import Path

import numpy as np

from ..sandbox import protocols
from . import ground_truth
from .spec import MISSING, Case, Exercise, FuncArg, RngArg


def case_rng(seed: int, exercise: str) -> np.random.Generator:
    """Each exercise draws from its own stream, so adding cases elsewhere changes nothing."""
    return np.random.default_rng([seed, zlib.crc32(exercise.encode())])


def for_reference(value):
    """Arguments as trusted code sees them: fresh copies, generators made from seeds."""
    if isinstance(value, (RngArg, FuncArg)):
        return value.make()
    if isinstance(value, tuple):
        return tuple(for_reference(v) for v in value)
    if isinstance(value, list):
        return [for_reference(v) for v in value]
    if isinstance(value, dict):
        return {k: for_reference(v) for k, v in value.items()}
    return copy.deepcopy(value)


def keras_judged(case: Case) -> bool:
    return case.check is None and not case.stochastic and case.expected is MISSING


class RunTruth:
    """One exercise's cases for one seed, and their expected values, computed once."""

    def __init__(self, ex: Exercise, cases: list[Case], keras_future=None):
        self.ex, self.cases, self._future = ex, cases, keras_future
        self._expected: dict[int, object] = {}
        self._keras = None

    def expected(self, case: Case):
        if case.expected is not MISSING or self.ex.reference is None:
            return case.expected
        if id(case) not in self._expected:
            self._expected[id(case)] = protocols.run(case.protocol, self.ex.reference,
                                                     for_reference(case.args), for_reference(case.kwargs))
        return self._expected[id(case)]

    def keras_values(self) -> list | None:
        """The Keras value of each Keras-judged case, in order (None without a Keras truth)."""
        if self._future is None:
            return None
        if self._keras is None:
            self._keras = self._future.result()
        return self._keras


class TruthCache:
    """:class:`RunTruth` per (exercise, seed), kept for the rest of the batch."""

    def __init__(self, size: int = 256):
        self.size = size
        self._truths: dict[tuple[str, int], RunTruth] = {}

    def get(self, ex: Exercise, seed: int, share: Path | None = None) -> RunTruth:
        key = (ex.name, seed)
        if key not in self._truths:
            if len(self._truths) > self.size:
                self._truths.clear()
            cases = ex.cases(case_rng(seed, ex.name))
            future = None
            if ex.keras is not None:
                future = ground_truth.submit(ex.keras, [(for_reference(c.args), for_reference(c.kwargs))
                                                        for c in cases if keras_judged(c)],
                                             share=share / f"seed{seed}" if share else None,
                                             key=f"{ex.keras.module}.{ex.name}")
            self._truths[key] = RunTruth(ex, cases, future)
        return self._truths[key]
