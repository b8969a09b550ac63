"""The instructor's workflow end to end: submit, resubmit, grade --all, report, feedback."""
import csv
import json

import pytest

from autograder import lessons
from autograder.gradebook import open_gradebook
from autograder.notebooks import with_answers

from .conftest import SEED, solution_json, write_notebook
from .test_grading_interface import run_course

LESSON = lessons.get("00_tensors")
FULL = float(sum(ex.points for ex in LESSON.exercises()))  # the lesson's max score


@pytest.mark.slow
def test_submit_grade_all_report(tmp_path):
    course = tmp_path / "course"
    uploads = tmp_path / "uploads"
    uploads.mkdir()
    wrong = write_notebook(uploads / "w.ipynb", with_answers(solution_json(LESSON), {
        "one_hot": "def one_hot(y, num_classes):\n    return np.eye(num_classes, dtype=int)[y]\n"}))
    submit = lambda nb, who: run_course("submit", str(nb), "--student", who, "--course-dir", str(course))  # noqa
    assert submit(wrong, "ada").returncode == 0
    second = submit(LESSON.solution_path, "ada")  # resubmission: latest graded, earlier one kept
    assert second.returncode == 0 and "earlier submission is kept" in second.stdout
    assert submit(LESSON.release_path, "ben").returncode == 0
    bad = submit(LESSON.release_path, "../evil")
    assert bad.returncode == 2 and "invalid student id" in bad.stderr
    notjson = uploads / "x.ipynb"
    notjson.write_text("nope")
    assert submit(notjson, "cy").returncode == 2

    archived = list((course / "archive" / "ada" / "00_tensors").iterdir())
    assert len(archived) == 1 and (archived[0] / "00_tensors.ipynb").read_text() == wrong.read_text()

    graded = run_course("grade", "--all", "--course-dir", str(course), "--seed", str(SEED))
    assert graded.returncode == 0, graded.stderr
    assert "graded 2 submissions" in graded.stdout
    assert "ada" in graded.stdout and "ben" in graded.stdout

    with open_gradebook(f"sqlite:///{course / 'gradebook.db'}") as gb:
        ada = gb.find_submission("00_tensors", "ada")
        ben = gb.find_submission("00_tensors", "ben")
        assert (ada.score, ada.max_score) == (FULL, FULL)
        assert (ben.score, ben.max_score) == (0.0, FULL)
        grade = gb.find_grade("check_one_hot", "00_tensors", "00_tensors", "ben")
        assert grade.auto_score == 0.0 and grade.max_score == 2.0
        comment = gb.find_comment("one_hot", "00_tensors", "00_tensors", "ben")
        assert "NotImplementedError" in comment.auto_comment

    html = (course / "feedback" / "ben" / "00_tensors" / "00_tensors.html").read_text()
    assert "Autograder feedback" in html and "NotImplementedError" in html
    runs = list((course / "grading-runs").glob("*.jsonl"))
    assert len(runs) == 1 and json.loads(runs[0].read_text().splitlines()[0])["seed"] == SEED

    out = tmp_path / "grades.csv"
    rep = run_course("report", "--csv", str(out), "--course-dir", str(course))
    assert rep.returncode == 0
    rows = list(csv.DictReader(out.open()))
    assert [(r["student"], r["00_tensors"]) for r in rows] == [("ada", str(FULL)), ("ben", "0.0")]

    # Rerunning continues: nothing new to grade. Regrading keeps one row per student and lesson.
    again = run_course("grade", "--all", "--course-dir", str(course))
    assert again.returncode == 0 and "nothing new to grade" in again.stdout
    assert submit(wrong, "ada").returncode == 0
    again = run_course("grade", "--all", "--course-dir", str(course))
    assert "graded 1 submissions" in again.stdout
    assert run_course("grade", "--all", "--regrade", "--course-dir", str(course)).returncode == 0
    with open_gradebook(f"sqlite:///{course / 'gradebook.db'}") as gb:
        assert len(gb.find_student("ada").submissions) == 1
        assert gb.find_submission("00_tensors", "ada").score < FULL


def test_report_without_gradebook_is_a_clear_error(tmp_path):
    proc = run_course("report", "--course-dir", str(tmp_path))
    assert proc.returncode == 2 and "no gradebook" in proc.stderr


@pytest.mark.slow
def test_check_lists_public_checks(tmp_path):
    proc = run_course("check", str(LESSON.release_path))
    assert proc.returncode == 1 and "TODO  one_hot" in proc.stdout
    proc = run_course("check", str(LESSON.solution_path))
    n = len(LESSON.exercises())
    assert proc.returncode == 0 and f"{n} of {n} exercises pass" in proc.stdout
    broken = write_notebook(tmp_path / "b.ipynb", with_answers(solution_json(LESSON), {
        "standardize": "def standardize(X, mean=None, std=None):\n    return X, 0, 1\n"}))
    proc = run_course("check", str(broken))
    assert proc.returncode == 1 and "FAIL  standardize" in proc.stdout and "AssertionError" in proc.stdout


def test_release_is_in_sync_and_leaks_nothing():
    proc = run_course("release", "--check")
    assert proc.returncode == 0, proc.stdout + proc.stderr
