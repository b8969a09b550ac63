"""How a hidden test suite declares an exercise: points, cases, reference and checks."""
from __future__ import annotations

import ast
import dataclasses
import importlib
import importlib.util
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any, Callable

import numpy as np

from .compare import Tolerance, compare_values

MISSING = object()
BY_NAME = "by name"  # an exercise's reference / Keras truth: the lesson's function of its name

# check(got, expected, case, results) -> problem message or None; ``results`` maps the
# ids of the exercise's other cases to what the student returned for them.
Check = Callable[[Any, Any, "Case", dict], "str | None"]


@dataclass
class Case:
    """One call of the student's function and how its result is judged.

    ``label`` is shown to the student: it says what kind of input this is (shape, dtype,
    magnitude), never the values. Without ``check`` the result must match ``expected``
    (or the reference's output). ``stochastic`` cases (an ``rng`` argument) are judged by
    properties only, so known mistakes are not matched against them.
    """

    args: tuple
    label: str
    kwargs: dict = field(default_factory=dict)
    expected: Any = MISSING
    check: Check | None = None
    id: str = ""
    group: str = "basic"
    stochastic: bool = False
    protocol: str = "call"  # how the function is driven: sandbox/protocols.py

    @property
    def float32(self) -> bool:
        """Compared at float32 precision when any floating input is float32."""
        values = list(self.args) + list(self.kwargs.values())
        return any(isinstance(v, (np.ndarray, np.generic)) and v.dtype == np.float32 for v in values)


@dataclass
class Exercise:
    """A graded function: its points, its cases, and what counts as correct."""

    name: str
    points: float
    cases: Callable[[np.random.Generator], list[Case]]
    # By default the function of the exercise's name in the lesson's ``reference.py``; an
    # explicit function (or None) overrides it.
    reference: Callable | None | str = BY_NAME
    # Keras/TensorFlow ground truth with the reference's signature: by default the function of
    # the exercise's name in the lesson's ``keras_truth.py`` when it defines one. It runs in the
    # ground-truth worker and is compared on every case without a custom check.
    keras: "KerasTruth | None | str" = BY_NAME
    tolerance: Tolerance = field(default_factory=Tolerance)
    require_float: bool = False
    returns: tuple[str, ...] = ()  # names of the items of a returned tuple, for messages
    may_mutate: bool = False
    allow_warnings: bool = False  # a correct answer emits no RuntimeWarning (overflow, log(0)...)
    timeout: float = 20.0
    # Whether the answer may not use TensorFlow, Keras, SciPy...: None follows the lesson's kind
    # (sandbox/policy.py); a "mixed" lesson sets it per exercise.
    numpy_only: bool | None = None

    def bound(self, package: str) -> "Exercise":
        """This exercise with its reference and Keras truth found in the lesson ``package``."""
        reference, keras = self.reference, self.keras
        if reference == BY_NAME:
            reference = getattr(importlib.import_module(f"{package}.reference"), self.name)
        if keras == BY_NAME:
            module = f"{package}.keras_truth"
            keras = KerasTruth(module, self.name) if self.name in keras_functions(module) else None
        return dataclasses.replace(self, reference=reference, keras=keras)

    def judge(self, case: Case, got: Any, expected: Any, results: dict) -> str | None:
        if case.check is not None:
            return case.check(got, expected, case, results)
        return compare_values(got, expected, self.tolerance, case.float32,
                              self.require_float, self.returns)


@dataclass(frozen=True)
class KerasTruth:
    """Names a function of a lesson's ``keras_truth`` module without importing it.

    Only the ground-truth worker imports that module, so TensorFlow is never loaded into a
    process that merely reads the hidden tests.
    """

    module: str
    function: str


@lru_cache(maxsize=None)
def keras_functions(module: str) -> frozenset[str]:
    """The top-level functions of a Keras-truth module, read from its source (no import)."""
    spec = importlib.util.find_spec(module.rpartition(".")[0])
    path = Path(spec.origin).parent / (module.rpartition(".")[2] + ".py")
    if not path.exists():
        return frozenset()
    tree = ast.parse(path.read_text())
    return frozenset(n.name for n in tree.body if isinstance(n, ast.FunctionDef))


def rng_arg(seed: int) -> "RngArg":
    """An argument that reaches the student's function as ``np.random.default_rng(seed)``."""
    return RngArg(seed)


@dataclass(frozen=True)
class RngArg:
    seed: int

    def make(self) -> np.random.Generator:
        return np.random.default_rng(self.seed)


@dataclass(frozen=True)
class FuncArg:
    """A function argument, sent as NumPy source: ``FuncArg("lambda x: np.sum(np.sin(x) * x**2)")``.

    The student's code receives it built from that source in its own kernel; it is an input,
    not test logic, so it may be seen.
    """

    source: str

    def make(self):
        return eval(self.source, {"np": np})
