"""The lesson catalogue: each lesson's notebook and the package holding its grading code.

A lesson's package ``autograder/course/<module>/`` holds ``tests.py`` (``EXERCISES``),
``mistakes.py`` (``MISTAKES``, ``ALTERNATIVES``), ``reference.py`` and, optionally,
``keras_truth.py``. A lesson is live once its ``tests.py`` exists.
"""
from __future__ import annotations

import importlib
from dataclasses import dataclass
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
SOLUTIONS = REPO / "solutions"
RELEASE = REPO / "lessons"
CONTENT = Path(__file__).resolve().parent / "course"


@dataclass(frozen=True)
class Lesson:
    id: str  # also the nbgrader assignment name and the notebook's stem
    module: str  # the package autograder.course.<module>
    title: str
    kind: str = "numpy"  # "numpy", "keras" or "mixed": the sandbox policy (sandbox/policy.py)

    @property
    def package(self) -> str:
        return f"autograder.course.{self.module}"

    @property
    def notebook(self) -> str:
        return f"{self.id}.ipynb"

    @property
    def solution_path(self) -> Path:
        return SOLUTIONS / self.id / self.notebook

    @property
    def release_path(self) -> Path:
        return RELEASE / self.id / self.notebook

    def exercises(self) -> list:
        return _exercises(self.package)

    def mistakes(self):
        """The lesson's known-mistake library (``MISTAKES``, ``ALTERNATIVES``)."""
        return importlib.import_module(f"{self.package}.mistakes")


def _exercises(package: str, cache: dict = {}) -> list:
    if package not in cache:
        tests = importlib.import_module(f"{package}.tests")
        cache[package] = [ex.bound(package) for ex in tests.EXERCISES]
    return cache[package]


CATALOGUE = [
    Lesson("00_tensors", "tensors", "Tensors: shapes, batches and encodings"),
    Lesson("01_perceptron", "perceptron", "From McCulloch-Pitts to the perceptron"),
    Lesson("02_activations", "activations", "Activation functions"),
    Lesson("03_losses", "losses", "Loss functions"),
    Lesson("04_backprop", "backprop", "Backpropagation"),
    Lesson("05_optimizers", "optimizers", "Optimizers"),
    Lesson("06_initialization", "initialization", "Initialization and gradient clipping"),
    Lesson("07_regularization", "regularization", "Regularization"),
    Lesson("08_batchnorm", "batchnorm", "Batch normalization"),
    Lesson("09_keras_mlps", "keras_mlps", "Keras MLPs", kind="keras"),
    Lesson("10_augmentation", "augmentation", "Data augmentation", kind="mixed"),
]

LESSONS: dict[str, Lesson] = {
    lesson.id: lesson for lesson in CATALOGUE if (CONTENT / lesson.module / "tests.py").exists()
}


def get(lesson_id: str) -> Lesson:
    try:
        return LESSONS[lesson_id]
    except KeyError:
        raise KeyError(f"unknown lesson '{lesson_id}' (known: {', '.join(LESSONS)})") from None
