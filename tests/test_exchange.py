"""The README's JupyterHub path on one machine: nbgrader's exchange in a temporary folder, two
students (one late, past the due date in the gradebook), `course grade --all` with the late-penalty
plugin of the README, and the course's own feedback pages released and fetched through the exchange.

nbgrader's steps run in this process through the classes its commands and JupyterLab's Assignments
tab call (NbGraderAPI for the instructor, the exchange's FetchAssignment/Submit/FetchFeedback for the
students); each `nbgrader` command would cost seconds of start-up. The configs are the README's.
"""
import csv
import json
import re
from datetime import datetime, timezone
from pathlib import Path

import pytest

from autograder import lessons
from autograder.coursedir import CourseDir, CourseError
from autograder.gradebook import class_table, late_plugin, open_gradebook, record, write_csv
from autograder.grading.report import ExerciseResult, Report
from autograder.notebooks import read_cells, with_answers

from .conftest import SEED
from .test_grading_interface import run_course

LESSON = lessons.get("00_tensors")
README = Path(__file__).resolve().parent.parent / "README.md"


def readme_block(first_line: str) -> str:
    """The README's python block that starts with this comment line."""
    blocks = [b for b in re.findall(r"```python\n(.*?)```", README.read_text(), re.S)
              if b.startswith(first_line)]
    assert len(blocks) == 1, f"README has no single python block starting with {first_line!r}"
    return blocks[0]


def load_config(folder: Path, **sections):
    from traitlets.config import Config
    from traitlets.config.loader import PyFileConfigLoader
    config = PyFileConfigLoader("nbgrader_config.py", path=str(folder)).load_config()
    config.merge(Config(sections))
    return config


def student_action(action: str, config_dir: Path, home: Path, student: str):
    """What `nbgrader fetch_assignment|submit|fetch_feedback 00_tensors` does for this student."""
    from nbgrader.auth import Authenticator
    from nbgrader.coursedir import CourseDirectory
    from nbgrader.exchange import ExchangeFactory
    config = load_config(config_dir, CourseDirectory={"assignment_id": LESSON.id, "student_id": student},
                         Exchange={"assignment_dir": str(home), "cache": str(home / ".nbgrader_cache")})
    coursedir = CourseDirectory(config=config)
    getattr(ExchangeFactory(config=config), action)(
        coursedir=coursedir, authenticator=Authenticator(config=config), config=config).start()


@pytest.mark.slow
@pytest.mark.filterwarnings("ignore:Passing unrecognized arguments:DeprecationWarning")  # nbgrader's typo
def test_jupyterhub_exchange_end_to_end(tmp_path):
    from autograder.nbgrader_api import make_api

    course, exchange, hub = tmp_path / "course", tmp_path / "exchange", tmp_path / "etc-jupyter"
    for d in (course, hub, exchange):
        d.mkdir()
    exchange.chmod(0o777)  # as the hub's admin creates it: every user writes into inbound/
    paths = {"/srv/course": str(course), "/srv/nbgrader/exchange": str(exchange),
             "/srv/dl-course/lessons": str(lessons.RELEASE)}

    def place(text):
        for placeholder, real in paths.items():
            text = text.replace(placeholder, real)
        return text

    instructor = place(readme_block("# COURSE_DIR/nbgrader_config.py"))
    # One system user owns every file here; on a hub nbgrader's owner check stays on.
    (course / "nbgrader_config.py").write_text(instructor + "c.ExchangeCollect.check_owner = False\n")
    (course / "late.py").write_text(readme_block("# COURSE_DIR/late.py"))
    (hub / "nbgrader_config.py").write_text(place(readme_block("# /etc/jupyter/nbgrader_config.py")))
    api = make_api(load_config(course))

    def ok(result):
        assert result["success"], result.get("error") or result.get("log")

    ok(api.release_assignment(LESSON.id))
    homes = {s: tmp_path / "home" / s for s in ("ada", "ben")}
    answers = {c.grade_id: c.source for c in read_cells(LESSON.solution_path) if c.role == "answer"}
    skipped = LESSON.exercises()[-1]  # ben leaves the last exercise unanswered
    for student, home in homes.items():
        home.mkdir(parents=True)
        student_action("FetchAssignment", hub, home, student)
        fetched = home / LESSON.id / LESSON.notebook
        release = json.loads(LESSON.release_path.read_text())
        assert json.loads(fetched.read_text()) == release
        mine = answers if student == "ada" else {k: v for k, v in answers.items() if k != skipped.name}
        fetched.write_text(json.dumps(with_answers(release, mine)))

    student_action("Submit", hub, homes["ada"], "ada")
    with open_gradebook(CourseDir(course).db_url) as gb:  # `nbgrader db assignment add --duedate=now`
        gb.update_or_create_assignment(LESSON.id, duedate=datetime.now(timezone.utc).replace(tzinfo=None))
    student_action("Submit", hub, homes["ben"], "ben")  # after the due date
    ok(api.collect(LESSON.id))
    for student in homes:
        folder = course / "submitted" / student / LESSON.id
        assert {p.name for p in folder.iterdir()} == {LESSON.notebook, "timestamp.txt", "submission_secret.txt"}

    graded = run_course("grade", "--all", "--jobs", "1", "--course-dir", str(course), "--seed", str(SEED))
    assert graded.returncode == 0, graded.stderr
    assert "graded 2 submissions" in graded.stdout
    ben_line = next(line for line in graded.stdout.splitlines() if " ben " in line)
    assert re.search(rf"{LESSON.id} [\d.]+ (s|min|h) late \(-1\)", ben_line), graded.stdout

    full = float(sum(ex.points for ex in LESSON.exercises()))
    with open_gradebook(CourseDir(course).db_url) as gb:
        ada, ben = gb.find_submission(LESSON.id, "ada"), gb.find_submission(LESSON.id, "ben")
        assert ada.total_seconds_late == 0 and not ada.late_submission_penalty
        assert ada.score == ada.max_score == full
        assert ben.total_seconds_late > 0 and ben.late_submission_penalty == 1.0  # SubMarks: 1 per started hour
        assert ben.score == full - skipped.points
    header, rows = class_table(CourseDir(course).db_url)
    table = {row[0]: dict(zip(header, row)) for row in rows[1:]}
    assert table["ada"][LESSON.id] == full and table["ada"]["late"] == ""
    assert table["ben"][LESSON.id] == table["ben"]["total"] == full - skipped.points - 1
    write_csv(CourseDir(course).db_url, tmp_path / "grades.csv")
    ben_csv = [r for r in csv.DictReader((tmp_path / "grades.csv").open()) if r["student"] == "ben"][0]
    assert ben_csv["late"].startswith(f"{LESSON.id} ") and float(ben_csv[LESSON.id]) == full - skipped.points - 1

    ok(api.release_feedback(LESSON.id))
    for student, home in homes.items():
        student_action("FetchFeedback", hub, home, student)
        pages = list((home / LESSON.id / "feedback").glob(f"*/{LESSON.id}.html"))
        stamp = (course / "submitted" / student / LESSON.id / "timestamp.txt").read_text().strip()
        assert [p.parent.name for p in pages] == [stamp]  # the feedback of the collected submission
        ours = course / "feedback" / student / LESSON.id / f"{LESSON.id}.html"
        assert pages[0].read_bytes() == ours.read_bytes()  # the course's own (secured) page
        assert "Autograder feedback" in pages[0].read_text()


def test_late_plugin_none_by_default_and_nbgraders_zero(tmp_path):
    """Without a setting nothing is deducted (late is still flagged); penalty_method 'zero' takes all."""
    course = CourseDir(tmp_path)
    report = Report("x.ipynb", 1, LESSON.id)
    for ex in LESSON.exercises():
        report.exercises[ex.name] = ExerciseResult(float(ex.points), float(ex.points), True, "ok")
    with open_gradebook(course.db_url) as gb:
        gb.update_or_create_assignment(LESSON.id, duedate=datetime(2026, 12, 1, 12, 0))
        record(gb, "ada", LESSON, report, "2026-12-01 13:30:00.000000 UTC", late_plugin(tmp_path))
        assert gb.find_submission(LESSON.id, "ada").late_submission_penalty == 0.0
    assert class_table(course.db_url)[1][1][-3] == f"{LESSON.id} 1.5 h late"

    (tmp_path / "nbgrader_config.py").write_text('c = get_config()\n'
                                                 'c.LateSubmissionPlugin.penalty_method = "zero"\n')
    with open_gradebook(course.db_url) as gb:
        record(gb, "ada", LESSON, report, "2026-12-01 13:30:00.000000 UTC", late_plugin(tmp_path))
        record(gb, "ben", LESSON, report, "2026-12-01 11:59:00.000000 UTC", late_plugin(tmp_path))
    header, rows = class_table(course.db_url)
    table = {row[0]: dict(zip(header, row)) for row in rows[1:]}
    full = float(report.max_score)
    assert table["ada"][LESSON.id] == 0.0 and table["ada"]["late"] == f"{LESSON.id} 1.5 h late (-{full:g})"
    assert table["ben"][LESSON.id] == full and table["ben"]["late"] == ""

    (tmp_path / "nbgrader_config.py").write_text('c = get_config()\n'
                                                 'c.AssignLatePenalties.plugin_class = "nosuch.Policy"\n')
    with pytest.raises(CourseError, match="late-submission plugin set in .*nbgrader_config.py cannot be loaded"):
        late_plugin(tmp_path)
