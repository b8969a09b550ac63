"""Class insights (`course report --html`) and regrading after a hidden test was fixed.

One small graded class serves both: the insights' counts match the gradebook, the figure exists,
student ids are escaped; a regrade after a too strict tolerance is fixed (and the points
changed) updates the gradebook and the pages, where nbgrader raises when a release changes
after submissions (jupyter/nbgrader#1646, #1699) or keeps grading with the tests the student
received (#1322): here the hidden tests are the instructor's and apply at every grading.
"""
import base64
import dataclasses
import json
import os
import re
import shutil
import subprocess
import sys
from collections import Counter

import pytest

from autograder import cli, insights
from autograder.batch import grade_all, outdated_points, stored_report
from autograder.coursedir import CourseDir
from autograder.feedback import stale_pages
from autograder.gradebook import check_cell, open_gradebook
from autograder.grading.compare import Tolerance
from autograder.lessons import LESSONS
from autograder.notebooks import with_answers

from .conftest import SEED, solution_json

pytestmark = [pytest.mark.slow, pytest.mark.xdist_group("class-insights")]  # one graded class

LESSON = LESSONS["00_tensors"]
HOSTILE = "<img src=x onerror=alert(1)>&x"  # a folder name from a bulk import: never markup
FIXED = "standardize"
STRICT = Tolerance(0.0, 0.0, 0.0, 0.0)  # the "too strict" first version: exact equality
ALTERNATIVE = """def standardize(X, mean=None, std=None):
    mean = X.mean(axis=0) if mean is None else mean
    std = X.std(axis=0) if std is None else std
    return (X - mean) * (1.0 / np.where(std < 1e-12, 1.0, std)), mean, std
"""  # correct; rounds differently from the reference


def _first_mistakes():
    first = {}
    for m in LESSON.mistakes().MISTAKES:
        first.setdefault(m.exercise, m.code)
    return first


class HiddenTests:
    """The lesson's hidden tests as loaded by the grader (``jobs=1`` grades in this process),
    changed as an instructor would change tests.py, and restored afterwards."""

    def __init__(self):
        self.exercises = LESSON.exercises()
        self.original = list(self.exercises)

    def change(self, name, **changes):
        i = next(i for i, ex in enumerate(self.exercises) if ex.name == name)
        self.exercises[i] = dataclasses.replace(self.original[i], **changes)

    def restore(self):
        self.exercises[:] = self.original


@pytest.fixture
def hidden_tests():
    tests = HiddenTests()
    yield tests
    tests.restore()


@pytest.fixture(scope="module")
def graded_class(tmp_path_factory):
    """Three submissions graded with a too strict tolerance for standardize: a correct
    alternative, known mistakes everywhere, and the same under a hostile student id."""
    root = tmp_path_factory.mktemp("insights")
    course, up = CourseDir(root / "course"), root / "up"
    up.mkdir()
    notebooks = {
        "bea": with_answers(solution_json(LESSON), {FIXED: ALTERNATIVE}),
        "cleo": with_answers(solution_json(LESSON), _first_mistakes()),
    }
    for student, nb in notebooks.items():
        (up / f"{student}.ipynb").write_text(json.dumps(nb))
        course.submit(up / f"{student}.ipynb", student, LESSON.id)
    # `course submit` refuses such an id; a folder put into submitted/ by hand is taken as it is.
    hostile = course.submitted(HOSTILE, LESSON.id)
    hostile.mkdir(parents=True)
    (hostile / LESSON.notebook).write_text(json.dumps(notebooks["cleo"]))
    tests = HiddenTests()
    tests.change(FIXED, tolerance=STRICT)
    try:
        grade_all(course, seed=SEED, jobs=1, show_progress=False)
    finally:
        tests.restore()
    return course


def _diagnosed_in_gradebook(course):
    """(exercise, hint) -> how many gradebook comments name that mistake (the feedback's line)."""
    out = Counter()
    with open_gradebook(course.db_url) as gb:
        for sub in gb.find_assignment(LESSON.id).submissions:
            for ex in LESSON.exercises():
                comment = gb.find_comment(ex.name, LESSON.id, LESSON.id, sub.student.id).auto_comment
                out.update((ex.name, h) for h in re.findall(r"^Likely mistake: (.*)$", comment, re.M))
    return out


def test_insights_page_counts_match_the_gradebook(graded_class, tmp_path, capsys):
    course = graded_class
    assert cli.main(["report", "--html", str(tmp_path / "page"), "--course-dir", str(course.root)]) == 0
    page = tmp_path / "page" / "index.html"
    assert f"class insights (score distributions, frequent mistakes): {page}" in capsys.readouterr().out
    html = page.read_text()

    # The figure: a PNG next to the page and the same one embedded in it.
    png = (tmp_path / "page" / f"{LESSON.id}.png").read_bytes()
    assert png.startswith(b"\x89PNG")
    embedded = re.findall(r'src="data:image/png;base64,([^"]+)"', html)
    assert [base64.b64decode(e) for e in embedded] == [png]

    # Mistake counts are those of the gradebook's comments; cleo and the hostile id share theirs.
    [stats] = insights.collect(course)
    counted = Counter({(m.exercise, m.hint): len(m.students) for m in stats.mistakes})
    assert counted == _diagnosed_in_gradebook(course)
    assert max(counted.values()) == 2  # cleo and the hostile copy of cleo
    top = stats.mistakes[0]
    assert top.names and top.hint and f"<b>{' / '.join(top.names)}</b>" in html
    assert '<td class="count">2<br>' in html

    # Score distributions: one value per graded submission and exercise, the gradebook's.
    with open_gradebook(course.db_url) as gb:
        for ex in LESSON.exercises():
            for sub in gb.find_assignment(LESSON.id).submissions:
                grade = gb.find_grade(check_cell(ex.name), LESSON.id, LESSON.id, sub.student.id)
                assert stats.scores[sub.student.id][ex.name] == (grade.score, grade.max_score)
    assert len(stats.scores) == 3 and stats.unreported == 0

    # The hostile id is text everywhere on the page (mistake table and class table).
    assert HOSTILE not in html and "<img src=x" not in html
    assert html.count("&lt;img src=x onerror=alert(1)&gt;&amp;x") >= 2
    assert len(re.findall(r"<img ", html)) == 1  # only the figure


def _score(course, student, exercise):
    with open_gradebook(course.db_url) as gb:
        grade = gb.find_grade(check_cell(exercise), LESSON.id, LESSON.id, student)
        return grade.score, grade.max_score


def test_regrade_after_a_too_strict_test_updates_gradebook_and_pages(graded_class, tmp_path, hidden_tests):
    course = CourseDir(tmp_path / "course")
    shutil.copytree(graded_class.root, course.root)
    subs = {s.student: s for s in course.submissions()}
    before = {st: stored_report(course, sub) for st, sub in subs.items()}
    assert _score(course, "bea", FIXED) == (1.0, 3.0)  # 2 of 6 checks pass at exact equality
    page = course.feedback("bea", LESSON.id) / LESSON.notebook.replace(".ipynb", ".html")
    assert "Hidden tests: 1 / 3" in page.read_text()

    # Without --regrade nothing graded is graded again.
    assert grade_all(course, seed=SEED + 1, jobs=1, show_progress=False, regrade=False) == []

    # The fix: the real tolerance, and standardize now worth 4 points; bea regraded.
    hidden_tests.change(FIXED, points=4)
    regraded = grade_all(course, seed=SEED + 1, jobs=1, show_progress=False, regrade=True,
                         students={"bea"}, exercises={FIXED})
    assert [g.submission.student for g in regraded] == ["bea"]
    for student in ("bea",):
        assert _score(course, student, FIXED) == (4.0, 4.0)
        after = stored_report(course, subs[student])
        assert after.seed == before[student].seed == SEED  # replayable: graded with its own seed
        assert {k: v for k, v in after.exercises.items() if k != FIXED} == \
               {k: v for k, v in before[student].exercises.items() if k != FIXED}
        for ex in LESSON.exercises():  # the gradebook holds the merged report
            assert _score(course, student, ex.name)[0] == after.exercises[ex.name].score
    text = page.read_text()
    assert "Hidden tests: 4 / 4" in text and "Hidden tests: 1 / 3" not in text
    assert stale_pages(course) == []
    # cleo and the hostile id were graded with the old points: flagged, not silently mixed.
    assert outdated_points(course) == {(LESSON.id, FIXED): 2}
    assert _score(course, "cleo", FIXED)[1] == 4.0  # nbgrader's max comes from the cell
    with open_gradebook(course.db_url) as gb:
        assert gb.find_assignment(LESSON.id).max_score == sum(ex.points for ex in LESSON.exercises())


NOISE = re.compile(r"oneDNN|absl|tensorflow|cuda|cpu_feature_guard|warn|deprecat", re.I)


def test_course_grade_is_quiet_and_names_the_gradebook_it_wrote(graded_class, tmp_path):
    """`course grade --all` as the instructor runs it (worker processes, kernels, nbgrader): no
    start-up lines, no warning; the real tests.py (the fixed tolerance) gives bea full marks, in
    the gradebook COURSE_DB_URL names. (TensorFlow's quiet start: test_grading_interface.)"""
    course = CourseDir(tmp_path / "course")
    shutil.copytree(graded_class.root, course.root)
    elsewhere = tmp_path / "server" / "grades.db"
    elsewhere.parent.mkdir()
    shutil.move(course.root / "gradebook.db", elsewhere)
    env = {**os.environ, "COURSE_DB_URL": f"sqlite:///{elsewhere}"}
    proc = subprocess.run([sys.executable, "-m", "autograder.cli", "grade", "--all", "--regrade",
                           "--student", "bea", "--exercise", FIXED, "--jobs", "2",
                           "--course-dir", str(course.root)],
                          capture_output=True, text=True, timeout=600, env=env)
    assert proc.returncode == 0, proc.stderr
    assert proc.stderr == ""
    assert not NOISE.findall(proc.stdout), proc.stdout
    assert f"graded 1 submissions (exercise {FIXED}); gradebook: {elsewhere};" in proc.stdout
    assert not (course.root / "gradebook.db").exists()
    with open_gradebook(f"sqlite:///{elsewhere}") as gb:
        grade = gb.find_grade(check_cell(FIXED), LESSON.id, LESSON.id, "bea")
        assert (grade.score, grade.max_score) == (3.0, 3.0)
