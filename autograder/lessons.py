"""The lesson catalogue: where each lesson lives and which hidden-test module grades it."""
from __future__ import annotations

import importlib
from dataclasses import dataclass
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
SOLUTIONS = REPO / "solutions"
RELEASE = REPO / "lessons"

# Libraries a NumPy exercise may not use (issue: "forbidden shortcuts").
FORBIDDEN_IN_NUMPY = ("tensorflow", "keras", "tf_keras", "torch", "jax", "jaxlib", "sklearn",
                      "scipy.special")
# What each forbidden library leaves in a process's memory map, whatever way it was imported.
FORBIDDEN_LIBRARY_FILES = {"TensorFlow": "/tensorflow/", "PyTorch": "/torch/lib/", "JAX": "/jaxlib/",
                           "scikit-learn": "/sklearn/", "SciPy's special functions": "/scipy/special/"}
# Instructor files a student kernel must never see.
SECRET_PATHS = (REPO / "autograder" / "hidden_tests", REPO / "autograder" / "references",
                REPO / "autograder" / "mistakes", SOLUTIONS)
COURSE_DIR_SECRETS = ("gradebook.db", "submitted", "autograded", "feedback", "archive", "grading-runs")


@dataclass(frozen=True)
class Lesson:
    id: str  # also the nbgrader assignment name and the notebook's stem
    module: str  # autograder.hidden_tests.<module>, .references.<module>, .mistakes.<module>
    title: str
    kind: str = "numpy"  # "numpy": student kernels may not load the deep-learning libraries

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
        return importlib.import_module(f"autograder.hidden_tests.{self.module}").EXERCISES

    def mistakes(self):
        return importlib.import_module(f"autograder.mistakes.{self.module}")

    @property
    def blocked_modules(self) -> tuple[str, ...]:
        return FORBIDDEN_IN_NUMPY if self.kind == "numpy" else ()


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
    Lesson("10_augmentation", "augmentation", "Data augmentation"),
]

# A lesson is live once its hidden tests exist (lessons are added issue by issue).
LESSONS: dict[str, Lesson] = {
    lesson.id: lesson for lesson in CATALOGUE
    if (Path(__file__).parent / "hidden_tests" / f"{lesson.module}.py").exists()
}


def get(lesson_id: str) -> Lesson:
    try:
        return LESSONS[lesson_id]
    except KeyError:
        raise KeyError(f"unknown lesson '{lesson_id}' (known: {', '.join(LESSONS)})") from None
