"""Scores and feedback into nbgrader's gradebook (SQLite by default), and tables out of it.

Per exercise, the score goes to the grade of its public-check cell (``check_<name>``,
the cell that carries the points) and the feedback to the comment of its answer cell
(``<name>``), which is where nbgrader's feedback page shows them. The feedback holds the
student's own text (exception messages...), so it is stored as a Markdown code block
(``untrusted.markdown``): nbgrader renders comments as Markdown with raw HTML allowed.
"""
from __future__ import annotations

import csv
import math
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


def late_plugin(course_root: Path):
    """nbgrader's late-submission plugin as the course directory's ``nbgrader_config.py`` sets it.

    ``c.AssignLatePenalties.plugin_class`` (default ``LateSubmissionPlugin``, whose
    ``penalty_method`` 'none' or 'zero' nbgrader documents) or a class of one's own in a module
    beside the config, e.g. ``"late.SubMarks"``: the same setting as for ``nbgrader autograde``.
    """
    import sys

    from nbgrader.preprocessors import AssignLatePenalties
    from traitlets.config import Config
    from traitlets.config.loader import PyFileConfigLoader

    from .coursedir import CourseError

    config = Config()
    sys.path.insert(0, str(course_root))  # as nbgrader's apps add their working directory
    try:
        if (course_root / "nbgrader_config.py").is_file():
            config = PyFileConfigLoader("nbgrader_config.py", path=str(course_root)).load_config()
        assign = AssignLatePenalties(config=config)
        assign.init_plugin()
    except Exception as e:  # a mistake in the instructor's config: say where, without a traceback
        raise CourseError(f"the late-submission plugin set in {course_root / 'nbgrader_config.py'} "
                          f"cannot be loaded: {type(e).__name__}: {e}") from None
    finally:
        sys.path.remove(str(course_root))
    return assign.plugin_inst


def _late_penalty(gb, student: str, lesson: Lesson, plugin) -> None:
    """As nbgrader's AssignLatePenalties: the plugin's penalty, within [0, score], on the notebook."""
    submission = gb.find_submission(lesson.id, student)
    notebook = gb.find_submission_notebook(lesson.id, lesson.id, student)
    penalty = None
    if plugin is not None and submission.total_seconds_late > 0:
        score = notebook.score
        penalty = plugin.late_submission_penalty(student, score, submission.total_seconds_late)
        penalty = None if penalty is None else min(max(float(penalty), 0.0), score)
    notebook.late_submission_penalty = penalty
    gb.db.commit()


def record(gb, student: str, lesson: Lesson, report: Report, timestamp: str | None,
           late_plugin=None) -> None:
    """Write one graded submission (replacing an earlier grading of it); ``late_plugin``
    (:func:`late_plugin`) sets the penalty of a submission made after the lesson's due date."""
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
    _late_penalty(gb, student, lesson, late_plugin)


def class_table(db_url: str) -> tuple[list[str], list[list]]:
    """(header, rows): one row per student, a column per lesson with a submission, the lessons
    submitted after their due date (``late``), and the total. Scores are net of late penalties."""
    with open_gradebook(db_url) as gb:
        lessons = [a.name for a in sorted(gb.assignments, key=lambda a: a.name)]
        header = ["student"] + lessons + ["late", "total", "max"]
        maxima = {a.name: a.max_score for a in gb.assignments}
        rows = []
        for student in sorted(gb.students, key=lambda s: s.id):
            row, total, late = [student.id], 0.0, []
            for name in lessons:
                try:
                    sub = gb.find_submission(name, student.id)
                except Exception:
                    row.append(None)
                    continue
                penalty = sub.late_submission_penalty or 0.0
                row.append(round(sub.score - penalty, 2))
                total += sub.score - penalty
                if sub.total_seconds_late > 0:
                    late.append(f"{name} {_duration(sub.total_seconds_late)} late"
                                + (f" (-{penalty:g})" if penalty else ""))
            rows.append(row + ["; ".join(late), round(total, 2), round(sum(maxima.values()), 2)])
        header_max = ["(max)"] + [round(maxima[n], 2) for n in lessons] + ["", "", ""]
    return header, [header_max] + rows


def _duration(seconds: float) -> str:
    for unit, size in (("d", 86400), ("h", 3600), ("min", 60)):
        if seconds >= size:
            return f"{seconds / size:.1f} {unit}"
    return f"{math.ceil(seconds)} s"


def write_csv(db_url: str, path: Path) -> int:
    """The class table as CSV (one row per student; blank where nothing was submitted)."""
    header, rows = class_table(db_url)
    with open(path, "w", newline="") as f:
        w = csv.writer(f)
        w.writerow(map(untrusted.csv_cell, header))
        for row in rows[1:]:
            w.writerow(["" if v is None else untrusted.csv_cell(v) for v in row])
    return len(rows) - 1


def exercise_scores(db_url: str) -> dict[str, dict[str, dict[str, tuple[float, float]]]]:
    """lesson -> student -> exercise -> (score, max score), for every submission in the gradebook
    (manual scores included, as nbgrader counts them)."""
    out: dict[str, dict[str, dict[str, tuple[float, float]]]] = {}
    with open_gradebook(db_url) as gb:
        for assignment in gb.assignments:
            per_student = out.setdefault(assignment.name, {})
            for sub in assignment.submissions:
                scores = per_student.setdefault(sub.student.id, {})
                for nb in sub.notebooks:
                    for grade in nb.grades:
                        if grade.name.startswith("check_"):
                            scores[grade.name[len("check_"):]] = (float(grade.score), float(grade.max_score))
    return out
