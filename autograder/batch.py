"""Grading every collected submission of a course directory: gradebook, feedback, run log.

Submissions are graded concurrently by long-lived worker processes (each imports the grader,
and TensorFlow for the Keras ground truth, once), locally or on a Dask cluster. This process
is the gradebook's only writer: it records each report as soon as it arrives, so an
interrupted run keeps everything graded so far, and the next run continues from there.
"""
from __future__ import annotations

import json
import os
import shutil
import sys
import time
from concurrent.futures import ProcessPoolExecutor, as_completed
from dataclasses import dataclass
from pathlib import Path

from . import feedback, gradebook
from .coursedir import CourseDir, Submission
from .grading.engine import Grader, new_seed
from .grading.report import ExerciseResult, Report
from .lessons import LESSONS
from .untrusted import terminal


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


# -- jobs and workers --------------------------------------------------------------------------
@dataclass(frozen=True)
class GraderSettings:
    """Everything that configures a grader, sent with every job (plain, picklable data)."""

    course_root: str | None = None
    exercise_timeout: float | None = None
    cell_timeout: float | None = None
    total_timeout: float = 600.0

    def grader(self) -> Grader:
        return Grader(course_root=Path(self.course_root) if self.course_root else None,
                      exercise_timeout=self.exercise_timeout, cell_timeout=self.cell_timeout,
                      total_timeout=self.total_timeout)


@dataclass(frozen=True)
class GradingJob:
    """One notebook to grade with the run's seed; ``share``: the run's shared Keras values."""

    notebook: str
    seed: int
    settings: GraderSettings = GraderSettings()
    share: str | None = None


_worker_grader: tuple[GraderSettings, Grader] | None = None


def grade_job(job: GradingJob) -> dict:
    """Runs in a worker process (local pool or Dask); returns the report as plain data."""
    global _worker_grader
    if _worker_grader is None or _worker_grader[0] != job.settings:
        _worker_grader = (job.settings, job.settings.grader())
    return _worker_grader[1].grade(job.notebook, job.seed, Path(job.share) if job.share else None).to_dict()


def _start_worker() -> None:
    import signal
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C is handled by the main process
    for lesson in LESSONS.values():  # imported while the main process opens the gradebook
        lesson.exercises()
        lesson.mistakes()


def grade_notebooks(jobs: list[GradingJob], pool: "Pool"):
    """The one batch entry point: yields (index, Report) as the reports arrive."""
    for i, report in pool.map_unordered(grade_job, [(job,) for job in jobs]):
        yield i, Report.from_dict(report)


class Pool:
    """Where reports are computed: in this process, a local process pool, or a Dask cluster."""

    def __init__(self, jobs: int = 1, cluster: str | None = None):
        self.jobs, self.cluster = max(1, jobs), cluster
        self._executor = self._client = None
        if cluster:
            import dask
            from dask.distributed import Client, LocalCluster
            # Grading workers start kernels and a TensorFlow process: not daemonic processes.
            dask.config.set({"distributed.worker.daemon": False})
            if cluster == "local":
                self._client = Client(LocalCluster(n_workers=self.jobs, threads_per_worker=1,
                                                   processes=True, dashboard_address=None))
            else:
                self._client = Client(cluster)
        elif self.jobs > 1:
            import multiprocessing as mp
            self._executor = ProcessPoolExecutor(self.jobs, mp_context=mp.get_context("spawn"),
                                                 initializer=_start_worker)

    def map_unordered(self, fn, calls: list[tuple]):
        """Submits every call now; the iterator yields (index, result) as results arrive."""
        if self._client is not None:
            from dask.distributed import as_completed as dask_completed
            futures = {self._client.submit(fn, *args, pure=False): i for i, args in enumerate(calls)}
            return ((futures[fut], fut.result()) for fut in dask_completed(futures))
        if self._executor is not None:
            import signal
            # The workers start during these submissions. They inherit a blocked SIGINT, so a
            # Ctrl-C before their initializer ignores it prints no traceback from them (it reaches
            # this process once unblocked; launcher.py unblocks it again for the kernels).
            masked = signal.pthread_sigmask(signal.SIG_BLOCK, {signal.SIGINT})
            try:
                futures = {self._executor.submit(fn, *args): i for i, args in enumerate(calls)}
            finally:
                signal.pthread_sigmask(signal.SIG_SETMASK, masked)
            return ((futures[fut], fut.result()) for fut in as_completed(futures))
        return ((i, fn(*args)) for i, args in enumerate(calls))

    def close(self, cancel: bool = False) -> None:
        if cancel:  # Ctrl-C: end the workers and their kernels now; the gradebook is consistent
            import psutil
            from multiprocessing import resource_tracker
            # multiprocessing's resource tracker stays: the pool's shutdown still talks to it
            tracker = getattr(resource_tracker._resource_tracker, "_pid", None)
            for child in psutil.Process().children(recursive=True):
                try:
                    if child.pid != tracker:
                        child.kill()
                except psutil.Error:
                    pass
        if self._executor is not None:
            self._executor.shutdown(wait=not cancel, cancel_futures=cancel)
        if self._client is not None:
            cluster = self._client.cluster
            self._client.close()
            if cluster is not None:
                cluster.close()


def pending(course: CourseDir, subs: list[Submission], regrade: bool) -> list[Submission]:
    """Submissions not yet graded at their current timestamp (all of them with ``regrade``)."""
    if regrade or not course.has_gradebook():
        return subs
    todo = []
    with gradebook.open_gradebook(course.db_url) as gb:
        for sub in subs:
            try:
                graded = gb.find_submission(sub.lesson, sub.student)
                stamp = (course.autograded(sub.student, sub.lesson) / "timestamp.txt")
                graded_at = stamp.read_text().strip() if stamp.exists() else ""
                # a folder put into submitted/ without timestamp.txt is graded once
                if graded_at == sub.timestamp and (graded.timestamp is not None or not sub.timestamp):
                    continue
            except Exception:
                pass
            todo.append(sub)
    return todo


def load_report(course: CourseDir, student: str, lesson: str) -> tuple[str, Report] | None:
    """(upload time, report) of the grading in the gradebook, as saved with it."""
    try:
        d = json.loads(course.report(student, lesson).read_text())
        return d.get("timestamp", ""), Report.from_dict(d)
    except (OSError, ValueError, KeyError, TypeError, AttributeError):
        return None


def stored_report(course: CourseDir, sub: Submission) -> Report | None:
    """The report in the gradebook for this very submission (same upload time), if there is one."""
    found = load_report(course, sub.student, sub.lesson)
    return found[1] if found and found[0] == sub.timestamp else None


def save_report(course: CourseDir, sub: Submission, report: Report) -> None:
    path = course.report(sub.student, sub.lesson)
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_suffix(".tmp")
    tmp.write_text(json.dumps({"student": sub.student, "timestamp": sub.timestamp, **report.to_dict()}))
    tmp.replace(path)


def merge_exercises(old: Report, new: Report, names: set[str]) -> Report:
    """``old`` with the results of the exercises ``names`` taken from ``new`` (same lesson).

    Exercises the lesson gained since ``old`` come from ``new``; ones it lost are dropped.
    """
    merged = Report(new.notebook, new.seed, new.lesson, errors=list(new.errors), seconds=new.seconds,
                    sandbox=new.sandbox)
    merged.exercises = {name: (result if name in names or name not in old.exercises
                               else old.exercises[name]) for name, result in new.exercises.items()}
    return merged


def select(subs: list[Submission], students: set[str] | None, exercises: set[str] | None) -> list[Submission]:
    """The submissions of these students, of the lessons that hold these exercises."""
    lessons = None if not exercises else {
        lesson.id for lesson in LESSONS.values() if exercises & {ex.name for ex in lesson.exercises()}}
    return [s for s in subs if (not students or s.student in students) and (lessons is None or s.lesson in lessons)]


def outdated_points(course: CourseDir) -> dict[tuple[str, str], int]:
    """(lesson, exercise) -> how many stored gradings used other points than the hidden tests' now."""
    out: dict[tuple[str, str], int] = {}
    for sub in course.submissions():
        lesson = LESSONS.get(sub.lesson)
        report = stored_report(course, sub) if lesson else None
        if report is None or report.lesson != sub.lesson:
            continue
        for ex in lesson.exercises():
            r = report.exercises.get(ex.name)
            if r is not None and r.max_score != float(ex.points):
                out[(lesson.id, ex.name)] = out.get((lesson.id, ex.name), 0) + 1
    return out


def grade_all(course: CourseDir, seed: int | None = None, jobs: int = 1, cluster: str | None = None,
              regrade: bool = True, show_progress: bool = True, exercise_timeout: float | None = None,
              settings: GraderSettings | None = None, students: set[str] | None = None,
              exercises: set[str] | None = None) -> list[Graded]:
    """Grade the latest submissions; each report is committed to the gradebook as it arrives.

    ``students``, ``exercises``: only these students' submissions, of the lessons holding these
    exercises. A regrade of ``exercises`` changes only their results: a submission graded before
    is graded again with the seed of that grading (its other exercises would come out the same)
    and keeps its other results; a submission not graded yet is graded in full.
    """
    from rich.console import Console
    from rich.progress import (BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn,
                               TimeRemainingColumn)

    seed = new_seed() if seed is None else int(seed)
    settings = settings or GraderSettings(str(course.root), exercise_timeout)
    every = course.submissions()
    for s in every:
        if s.lesson not in LESSONS:
            print(f"skipped {terminal(s.student)}/{terminal(s.lesson)}: no such lesson in this course",
                  file=sys.stderr)
    subs = pending(course, select([s for s in every if s.lesson in LESSONS], students, exercises), regrade)
    previous = {i: stored_report(course, s) for i, s in enumerate(subs)} if exercises and regrade else {}
    run_dir = course.root / "grading-runs"
    run_dir.mkdir(parents=True, exist_ok=True)
    run_log = run_dir / f"{time.strftime('%Y%m%d-%H%M%S')}-seed{seed}.jsonl"
    results: list[Graded] = []
    not_full = 0
    share = run_dir / f"{run_log.stem}.truth"  # Keras values shared by the run's workers
    work = [GradingJob(str(s.notebook), previous[i].seed if previous.get(i) else seed, settings, str(share))
            for i, s in enumerate(subs)]
    progress = Progress(TextColumn("[bold]grading"), BarColumn(), MofNCompleteColumn(),
                        TextColumn("{task.fields[rate]}"), TimeElapsedColumn(), TextColumn("ETA"),
                        TimeRemainingColumn(), TextColumn("{task.fields[status]}", markup=False),
                        disable=not (show_progress and sys.stderr.isatty()),  # a bar only on a terminal
                        console=Console(file=sys.stderr), transient=True)
    interrupted, pool, pages = False, None, None
    try:  # Ctrl-C at any moment from here on: workers and kernels end, the gradebook stays consistent
        pool = Pool(jobs, cluster)
        pages = feedback.FeedbackPages(course)
        late = gradebook.late_plugin(course.root)  # nbgrader's, as the course's nbgrader_config.py sets it
        redo = {(sub.lesson, sub.student) for sub in subs}
        for lesson_id, student in feedback.stale_pages(course):  # e.g. left by an interrupted run
            if (lesson_id, student) not in redo and lesson_id in LESSONS:
                pages.add(lesson_id, student)
        reports = grade_notebooks(work, pool)  # the workers start while the gradebook opens
        with open(run_log, "w") as log, gradebook.open_gradebook(course.db_url) as gb, progress:
            log.write(json.dumps({"run": run_log.stem, "seed": seed, "submissions": len(subs),
                                  "workers": pool.jobs, "cluster": cluster}) + "\n")
            task = progress.add_task("grading", total=len(subs), rate="", status="starting workers")
            start = time.monotonic()
            for i, report in reports:
                sub = subs[i]
                report = _check_lesson(sub, report)
                old = previous.get(i)
                if old is not None and old.lesson == report.lesson == sub.lesson:
                    report = merge_exercises(old, report, exercises)
                lesson = LESSONS[sub.lesson]
                gradebook.record(gb, sub.student, lesson, report, sub.timestamp or None, late_plugin=late)
                save_report(course, sub, report)
                feedback.write(course, sub.student, lesson, sub.notebook, report)
                pages.add(lesson.id, sub.student)
                log.write(json.dumps({"student": sub.student, **report.to_dict()}) + "\n")
                log.flush()
                results.append(Graded(sub, report))
                not_full += report.score < report.max_score
                rate = len(results) / max(1e-9, time.monotonic() - start)
                progress.update(task, advance=1, rate=f"{rate:.2f}/s",
                                status=f"last {sub.student}/{sub.lesson} {report.score:g}/{report.max_score:g}"
                                       f", below full marks: {not_full}")
    except KeyboardInterrupt:
        interrupted = True
        raise
    finally:
        if pool is not None:
            pool.close(cancel=interrupted)
        shutil.rmtree(share, ignore_errors=True)
        if pages is not None:
            pages.finish(interrupted)  # after Ctrl-C, the next run writes the pages left
    results.sort(key=lambda g: (g.submission.student, g.submission.lesson))
    return results


def default_jobs() -> int:
    return max(1, len(os.sched_getaffinity(0)))
