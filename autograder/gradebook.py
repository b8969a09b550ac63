"""Scores and feedback into nbgrader's gradebook (SQLite by default), and tables out of it.

Per exercise, the score goes to the grade of its public-check cell (``check_<name>``,
the cell that carries the points) and the feedback to the comment of its answer cell
(``<name>``), which is where nbgrader's feedback page shows them. The feedback holds the
student's own text (exception messages...), so it is stored as a Markdown code block
(``untrusted.markdown``): nbgrader renders comments as Markdown with raw HTML allowed.
"""
from __future__ import annotations

import csv
import warnings
from pathlib import Path

from . import untrusted
from .grading.report import Report
from .lessons import Lesson


def check_cell(exercise: str) -> str:
    return f"check_{exercise}"


def open_gradebook(db_url: str):
    from nbgrader.api import Gradebook
    from sqlalchemy.exc import SAWarning

    from .nbgrader_api import ensure_alembic_on_path
    ensure_alembic_on_path()
    # nbgrader builds a submission's rows before adding them to the session; SQLAlchemy 2
    # warns about that pattern although the cascade adds them all on commit.
    warnings.filterwarnings("ignore", message="Object of type <Submitted", category=SAWarning)
    return Gradebook(db_url, course_id="dl-fundamentals")


def ensure_lesson(gb, lesson: Lesson) -> None:
    """Create the lesson's assignment, notebook and cells in the gradebook if needed.

    Points come from the hidden tests (the instructor's side), never from a submission.
    """
    gb.update_or_create_assignment(lesson.id)
    gb.update_or_create_notebook(lesson.id, lesson.id)
    for ex in lesson.exercises():
        gb.update_or_create_grade_cell(check_cell(ex.name), lesson.id, lesson.id,
                                       max_score=float(ex.points), cell_type="code")
        gb.update_or_create_solution_cell(ex.name, lesson.id, lesson.id)


def record(gb, student: str, lesson: Lesson, report: Report, timestamp: str | None) -> None:
    """Write one graded submission (replacing an earlier grading of it)."""
    ensure_lesson(gb, lesson)
    gb.update_or_create_student(student)
    gb.update_or_create_submission(lesson.id, student, **({"timestamp": timestamp} if timestamp else {}))
    for ex in lesson.exercises():
        result = report.exercises.get(ex.name)
        grade = gb.find_grade(check_cell(ex.name), lesson.id, lesson.id, student)
        grade.auto_score = result.score if result else 0.0
        grade.needs_manual_grade = False
        comment = gb.find_comment(ex.name, lesson.id, lesson.id, student)
        text = result.feedback if result else "; ".join(report.errors) or "not graded"
        comment.auto_comment = untrusted.markdown(text)
    gb.db.commit()


def class_table(db_url: str) -> tuple[list[str], list[list]]:
    """(header, rows): one row per student, a column per lesson with a submission, and the total."""
    with open_gradebook(db_url) as gb:
        lessons = [a.name for a in sorted(gb.assignments, key=lambda a: a.name)]
        header = ["student"] + lessons + ["total", "max"]
        maxima = {a.name: a.max_score for a in gb.assignments}
        rows = []
        for student in sorted(gb.students, key=lambda s: s.id):
            row, total = [student.id], 0.0
            for name in lessons:
                try:
                    sub = gb.find_submission(name, student.id)
                    row.append(round(sub.score, 2))
                    total += sub.score
                except Exception:
                    row.append(None)
            rows.append(row + [round(total, 2), round(sum(maxima.values()), 2)])
        header_max = ["(max)"] + [round(maxima[n], 2) for n in lessons] + ["", ""]
    return header, [header_max] + rows


def write_csv(db_url: str, path: Path) -> int:
    """The class table as CSV (one row per student; blank where nothing was submitted)."""
    header, rows = class_table(db_url)
    with open(path, "w", newline="") as f:
        w = csv.writer(f)
        w.writerow(map(untrusted.csv_cell, header))
        for row in rows[1:]:
            w.writerow(["" if v is None else untrusted.csv_cell(v) for v in row])
    return len(rows) - 1
