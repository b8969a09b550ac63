"""`course check`: run a lesson's public checks on a student's notebook and list the results."""
from __future__ import annotations

import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

from .notebooks import assemble, read_cells, recognize_lesson, NotebookError
from .sandbox.kernel import SandboxKernel
from .sandbox.policy import limits_for


@dataclass
class CheckOutcome:
    exercise: str
    status: str  # passed | failed | not attempted
    message: str = ""


def run_checks(path: Path) -> tuple[str, list[CheckOutcome], float]:
    """(lesson id, outcomes, seconds spent in the checks themselves)."""
    cells = read_cells(path)
    lesson = recognize_lesson(cells)
    if lesson is None:
        raise NotebookError(f"{path.name} is not a notebook of this course")
    release = read_cells(lesson.release_path)
    names = [c.grade_id for c in release if c.role == "answer"]
    prog = assemble(cells, release, names)
    checks = [(c.grade_id[len("check_"):], c.source) for c in release
              if c.role == "test" and (c.grade_id or "").startswith("check_")]
    outcomes, spent = [], 0.0
    limits = limits_for(lesson.kind)
    with tempfile.TemporaryDirectory(prefix="course-check-") as tmp, \
            SandboxKernel(Path(tmp), limits) as kernel:
        for cell in prog.cells:
            kernel.execute(cell.source)
        for name, source in checks:
            start = time.perf_counter()
            res = kernel.execute(source, timeout=60)
            spent += time.perf_counter() - start
            if res.status == "ok":
                outcomes.append(CheckOutcome(name, "passed"))
            elif "NotImplementedError" in res.error:
                outcomes.append(CheckOutcome(name, "not attempted"))
            else:
                outcomes.append(CheckOutcome(name, "failed", res.error))
    return lesson.id, outcomes, spent
