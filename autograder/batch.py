"""Grading every collected submission of a course directory: gradebook, feedback, run log."""
from __future__ import annotations

import json
import secrets
import sys
import time
from dataclasses import dataclass
from pathlib import Path

from . import feedback, gradebook
from .coursedir import CourseDir, Submission
from .grading.engine import Grader
from .grading.report import ExerciseResult, Report
from .lessons import LESSONS


@dataclass
class Graded:
    submission: Submission
    report: Report


def _check_lesson(sub: Submission, report: Report) -> Report:
    """The folder names the assignment; a notebook of another lesson earns nothing there."""
    if report.lesson == sub.lesson:
        return report
    lesson = LESSONS[sub.lesson]
    fixed = Report(report.notebook, report.seed, sub.lesson, errors=list(report.errors),
                   seconds=report.seconds)
    found = f"a notebook of lesson {report.lesson}" if report.lesson else "not a notebook of this course"
    fixed.errors.append(f"the file submitted for {sub.lesson} is {found}")
    for ex in lesson.exercises():
        fixed.exercises[ex.name] = ExerciseResult(0.0, float(ex.points), False,
                                                  f"Not graded: the submission is {found}.")
    return fixed


def grade_all(course: CourseDir, seed: int | None = None, grader: Grader | None = None,
              show_progress: bool = True) -> list[Graded]:
    """Grade every latest submission; each one is committed to the gradebook as soon as it is done."""
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn, \
        TimeRemainingColumn

    grader = grader or Grader()
    seed = secrets.randbits(31) if seed is None else int(seed)
    subs = course.submissions()
    unknown = [s for s in subs if s.lesson not in LESSONS]
    subs = [s for s in subs if s.lesson in LESSONS]
    run_dir = course.root / "grading-runs"
    run_dir.mkdir(parents=True, exist_ok=True)
    run_log = run_dir / f"{time.strftime('%Y%m%d-%H%M%S')}-seed{seed}.jsonl"
    results: list[Graded] = []
    failures = 0
    with open(run_log, "w") as log, gradebook.open_gradebook(course.db_url) as gb, Progress(
            TextColumn("[bold]grading"), BarColumn(), MofNCompleteColumn(), TextColumn("{task.fields[rate]}"),
            TimeElapsedColumn(), TextColumn("ETA"), TimeRemainingColumn(),
            TextColumn("{task.fields[status]}"), disable=not show_progress, transient=False,
            console=None if sys.stderr.isatty() else _plain_console()) as progress:
        log.write(json.dumps({"run": run_log.stem, "seed": seed, "submissions": len(subs)}) + "\n")
        task = progress.add_task("grading", total=len(subs), rate="", status="")
        start = time.monotonic()
        for sub in subs:
            report = _check_lesson(sub, grader.grade(sub.notebook, seed))
            lesson = LESSONS[sub.lesson]
            gradebook.record(gb, sub.student, lesson, report, sub.timestamp or None)
            feedback.write(course, sub.student, lesson, sub.notebook, report)
            log.write(json.dumps({"student": sub.student, **report.to_dict()}) + "\n")
            log.flush()
            results.append(Graded(sub, report))
            failures += bool(report.errors) or report.score < report.max_score
            done = len(results)
            rate = done / max(1e-9, time.monotonic() - start)
            progress.update(task, advance=1, rate=f"{rate:.2f}/s",
                            status=f"{sub.student}/{sub.lesson}: {report.score:g}/{report.max_score:g}"
                                   f"  (not full marks so far: {failures})")
        for s in unknown:
            progress.console.print(f"skipped {s.student}/{s.lesson}: no such lesson in this course")
    for lesson_id in sorted({g.submission.lesson for g in results}):
        feedback.generate_html(course, lesson_id)
    return results


def _plain_console():
    from rich.console import Console
    return Console(file=sys.stderr, force_terminal=False, width=110)
