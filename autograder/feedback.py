"""Per-student feedback: the graded notebook (autograded/) and nbgrader's HTML page (feedback/)."""
from __future__ import annotations

import json
import queue
import threading
from pathlib import Path

from .coursedir import CourseDir
from .grading.report import Report
from .lessons import Lesson
from .notebooks import Cell, NotebookError, read_cells


def _student_answers(notebook: Path) -> dict[str, str]:
    try:
        cells = read_cells(notebook)
    except NotebookError:
        return {}
    answers: dict[str, str] = {}
    for c in cells:
        if c.role == "answer" and c.grade_id and c.cell_type == "code":
            answers[c.grade_id] = c.source  # the last copy counts, as when grading
    return answers


def _summary(report: Report) -> str:
    lines = [f"# Autograder feedback: {report.score:g} / {report.max_score:g} points", ""]
    for name, r in report.exercises.items():
        mark = "passed" if r.passed else "needs work"
        lines.append(f"- `{name}`: {r.score:g} / {r.max_score:g} ({mark})")
    if report.errors:
        lines += ["", "**About your notebook:**", ""] + [f"- {e}" for e in report.errors]
    lines += ["", f"*Graded with seed {report.seed}. The hidden tests use fresh random inputs; the "
                  "comment under each answer says what failed.*"]
    return "\n".join(lines)


def graded_notebook(lesson: Lesson, submitted: Path, report: Report) -> dict:
    """The release notebook with the student's answers, a summary, and feedback under each check."""
    nb = json.loads(lesson.release_path.read_text())
    answers = _student_answers(submitted)
    for raw in nb["cells"]:
        cell = Cell.from_json(raw)
        if cell.role == "answer":
            raw["source"] = answers.get(cell.grade_id, "# (no answer cell for this exercise was found)")
        if raw["cell_type"] == "code":
            raw["outputs"], raw["execution_count"] = [], None
        if cell.role == "test" and cell.grade_id and cell.grade_id.startswith("check_"):
            result = report.exercises.get(cell.grade_id[len("check_"):])
            if result is not None:
                raw["outputs"] = [{"output_type": "stream", "name": "stdout",
                                   "text": f"Hidden tests: {result.score:g} / {result.max_score:g}\n"
                                           f"{result.feedback}\n"}]
    nb["cells"].insert(0, {"cell_type": "markdown", "metadata": {}, "source": _summary(report),
                           "id": "autograder-summary"})
    return nb


def write(course: CourseDir, student: str, lesson: Lesson, submitted: Path, report: Report) -> Path:
    folder = course.autograded(student, lesson.id)
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / lesson.notebook
    path.write_text(json.dumps(graded_notebook(lesson, submitted, report), indent=1))
    stamp = submitted.parent / "timestamp.txt"
    if stamp.exists():
        (folder / "timestamp.txt").write_text(stamp.read_text())
    return path


def generate_html(course: CourseDir, lesson_id: str, student: str | None = None) -> None:
    """nbgrader's generate_feedback: autograded/ + gradebook -> feedback/<student>/<lesson>/*.html."""
    from traitlets.config import Config

    from .nbgrader_api import make_api

    config = Config()
    config.CourseDirectory.root = str(course.root)
    config.CourseDirectory.db_url = course.db_url
    config.CourseDirectory.course_id = "dl-fundamentals"
    api = make_api(config)
    result = api.generate_feedback(lesson_id, student_id=student, force=True)
    if not result.get("success"):
        raise RuntimeError(f"nbgrader generate_feedback failed for {lesson_id}: "
                           f"{result.get('error') or result.get('log')}")


class FeedbackPages:
    """Writes the students' HTML pages in a background thread while grading goes on.

    ``add`` queues a student as soon as their report is in the gradebook; ``finish`` waits
    until every queued page is written and raises if one failed.
    """

    def __init__(self, course: CourseDir):
        self.course = course
        self._queue: queue.Queue = queue.Queue()
        self._errors: list[str] = []
        self._thread = threading.Thread(target=self._work, name="feedback pages", daemon=True)
        self._thread.start()

    def add(self, lesson_id: str, student: str) -> None:
        self._queue.put((lesson_id, student))

    def _work(self) -> None:
        while (item := self._queue.get()) is not None:
            try:
                generate_html(self.course, *item)
            except Exception as exc:  # reported by finish(); the other pages are still written
                self._errors.append(f"{item[1]}/{item[0]}: {exc}")

    def finish(self) -> None:
        self._queue.put(None)
        self._thread.join()
        if self._errors:
            raise RuntimeError("some feedback pages could not be written: " + "; ".join(self._errors))
