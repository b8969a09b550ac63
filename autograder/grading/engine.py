"""Grades one submitted notebook. No student code runs in this process.

The steps, each in its own module, hand plain data to the next:
  1. read      ``notebooks``: the submission's cells, its lesson, the program to run
  2. forbid    ``forbidden``: answers that import a library the exercise forbids score 0
  3. truth     ``truth``: the run's random cases, reference values, Keras values (cached)
  4. run       ``run``: the program and the harness in a sandboxed kernel; decoded results
  5. judge     ``judge``: each case's result against the reference and Keras
  6. diagnose  ``diagnose``: the known mistake that behaves like the student's answer
  7. verdict   ``verdict``: score and feedback text, collected into the :class:`Report`
"""
from __future__ import annotations

import secrets
import time
from pathlib import Path

from ..notebooks import NotebookError, assemble, read_cells, recognize_lesson
from ..sandbox.kernel import Limits
from ..sandbox.policy import limits_for, policy
from . import verdict
from .diagnose import diagnose
from .forbidden import banned_answers, forbidden_message
from .judge import judge_exercise
from .report import ExerciseResult, Report
from .run import RunSettings, run_submission
from .truth import TruthCache


def new_seed() -> int:
    """A fresh grading seed (recorded in every report, so any grading can be replayed)."""
    return secrets.randbits(31)


class Grader:
    """Grades notebooks of any lesson; holds nothing between notebooks but settings and the
    run's cached truths.

    ``course_root``: the course directory whose gradebook and submissions student code must
    not see (the repository's are always hidden). ``limits`` replaces the per-lesson limits.
    """

    def __init__(self, limits: Limits | None = None, total_timeout: float = 600.0,
                 course_root: Path | None = None, cell_timeout: float | None = None,
                 exercise_timeout: float | None = None):
        self.limits = limits
        self.total_timeout = total_timeout
        self.course_root = course_root
        self.cell_timeout = cell_timeout
        self.exercise_timeout = exercise_timeout
        self.truths = TruthCache()

    def grade(self, path: Path | str, seed: int | None = None, share: Path | None = None) -> Report:
        """Grade one notebook. ``share``: a folder of the grading run where grading processes
        share the Keras ground truth (see ground_truth.submit)."""
        start = time.monotonic()
        seed = new_seed() if seed is None else int(seed)
        report = Report(str(path), seed)
        try:
            self._grade(Path(path), report, share)
        except NotebookError as e:
            report.errors.append(str(e))
        report.seconds = time.monotonic() - start
        return report

    def _grade(self, path: Path, report: Report, share: Path | None) -> None:
        # 1. read
        cells = read_cells(path)
        lesson = recognize_lesson(cells)
        if lesson is None:
            raise NotebookError(f"{path.name} is not a notebook of this course: it contains none "
                                "of the lessons' exercises")
        report.lesson = lesson.id
        exercises = lesson.exercises()
        for ex in exercises:
            report.exercises[ex.name] = ExerciseResult(0.0, float(ex.points), False, "not graded")
        prog = assemble(cells, read_cells(lesson.release_path), [ex.name for ex in exercises])
        report.errors += prog.notes
        # 2. forbid
        banned = banned_answers(lesson, exercises, prog)
        for name, library in banned.items():
            report.exercises[name].feedback = forbidden_message(library)
        to_run = [ex for ex in exercises if ex.name not in banned]
        # 3. truth
        truths = {ex.name: self.truths.get(ex, report.seed, share) for ex in to_run}
        # 4. run
        runs, report.sandbox = run_submission(
            prog, {name: t.cases for name, t in truths.items()}, self._settings(lesson),
            {ex.name: ex.timeout for ex in to_run})
        mistakes = lesson.mistakes().MISTAKES
        for ex in to_run:
            run, cell_note = runs[ex.name], " ".join(runs[ex.name].notes)
            if run.status == "forbidden":
                report.exercises[ex.name] = ExerciseResult(0.0, float(ex.points), False,
                                                           forbidden_message(run.message))
                continue
            if run.calls is None:
                report.exercises[ex.name] = verdict.not_graded(ex, run.message or "no results came back",
                                                               cell_note)
                continue
            # 5. judge, 6. diagnose, 7. verdict
            judgement = judge_exercise(ex, truths[ex.name], run.calls)
            report.errors += [n for n in judgement.internal if n not in report.errors]
            hints = diagnose(ex, judgement.problems, mistakes)
            report.exercises[ex.name] = verdict.scored(ex, judgement, hints, cell_note)

    def _settings(self, lesson) -> RunSettings:
        limits = self.limits or limits_for(lesson.kind, self.course_root, self.cell_timeout)
        return RunSettings(limits, policy(lesson.kind).watched_files, self.total_timeout,
                           self.exercise_timeout)
