"""The security rules of student kernels, in one place: what a kernel may load and see.

Grading (``grading/run.py``) and ``course check`` both start kernels from :func:`limits_for`,
so a kernel never sees instructor files and a NumPy lesson never loads a deep-learning library,
whichever command started it.
"""
from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from .kernel import Limits

REPO = Path(__file__).resolve().parent.parent.parent

# Libraries a NumPy exercise may not use.
FORBIDDEN_IN_NUMPY = ("tensorflow", "keras", "tf_keras", "torch", "jax", "jaxlib", "sklearn",
                      "scipy.special")
# What each forbidden library leaves in a process's memory map, whatever way it was imported.
FORBIDDEN_LIBRARY_FILES = {"TensorFlow": "/tensorflow/", "PyTorch": "/torch/lib/", "JAX": "/jaxlib/",
                           "scikit-learn": "/sklearn/", "SciPy's special functions": "/scipy/special/"}
# Instructor-only code and notebooks: the lessons' grading packages and the solutions.
INSTRUCTOR_PATHS = (REPO / "autograder" / "course", REPO / "solutions")
# What a course directory holds that no student may see.
COURSE_DIR_SECRETS = ("gradebook.db", "submitted", "autograded", "feedback", "archive", "grading-runs")


@dataclass(frozen=True)
class KindPolicy:
    """What differs between the kinds of lesson."""

    blocked_modules: tuple[str, ...]  # refused at import in the kernel
    watched_files: dict  # library name -> memory-map trace that makes an exercise score 0
    address_space: bool  # cap virtual memory (TensorFlow reserves far more than it uses)
    blocked_reason: str
    static_ban: tuple[str, ...]  # imports an answer cell may not contain
    # One cell's time limit; importing TensorFlow alone can take 30 s on a loaded machine.
    cell_timeout: float = 30.0

    @property
    def numpy_only(self) -> bool:
        """Whether an exercise of this kind is NumPy-only unless it says otherwise."""
        return bool(self.blocked_modules)


POLICIES = {
    "numpy": KindPolicy(FORBIDDEN_IN_NUMPY, FORBIDDEN_LIBRARY_FILES, True,
                        "NumPy lessons are solved with NumPy only", FORBIDDEN_IN_NUMPY),
    "keras": KindPolicy((), {}, False, "", (), cell_timeout=180.0),
    # A lesson whose kernel loads Keras for some exercises while others must be NumPy only
    # (their answer cells are checked one by one: Exercise.numpy_only).
    # SciPy as a whole is banned from their answers (scipy.ndimage.shift would do lesson 10's work).
    "mixed": KindPolicy((), {}, False, "", FORBIDDEN_IN_NUMPY + ("scipy",), cell_timeout=180.0),
}


def policy(kind: str) -> KindPolicy:
    return POLICIES[kind]


def hidden_paths(course_root: Path | None = None) -> tuple[str, ...]:
    """Everything a student kernel must not see: instructor files and course-directory secrets."""
    hide = [str(p) for p in INSTRUCTOR_PATHS]
    for root in {REPO, *([Path(course_root)] if course_root else [])}:
        hide += [str(Path(root) / name) for name in COURSE_DIR_SECRETS]
    return tuple(hide)


def limits_for(kind: str, course_root: Path | None = None, cell_timeout: float | None = None) -> Limits:
    """The limits of a kernel running a submission of a lesson of this kind."""
    rules = policy(kind)
    limits = Limits(blocked_modules=rules.blocked_modules, hide=hidden_paths(course_root),
                    blocked_reason=rules.blocked_reason, address_space=rules.address_space)
    limits.cell_timeout = cell_timeout or rules.cell_timeout
    return limits
