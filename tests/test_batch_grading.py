"""Batch grading: parallel and Dask runs give the serial results; Ctrl-C keeps the gradebook
consistent and the next run continues where it stopped."""
import subprocess
import sys
import time
from pathlib import Path

import pytest

from autograder.batch import grade_all
from autograder.coursedir import CourseDir
from autograder.demo import build_class
from autograder.gradebook import open_gradebook
from autograder.lessons import LESSONS

from .conftest import SEED


def demo_course(root, tmp, lesson_ids=("00_tensors", "01_perceptron")):
    course = CourseDir(root)
    tmp.mkdir()
    build_class(course, tmp, list(lesson_ids))
    return course


def comparable(results):
    return {(g.submission.student, g.submission.lesson):
            {k: v for k, v in g.report.to_dict().items() if k not in ("seconds", "notebook")}
            for g in results}


@pytest.mark.slow
def test_parallel_and_dask_match_serial(tmp_path):
    with_keras = ("00_tensors", "02_activations")  # workers share the Keras values of 02
    serial = demo_course(tmp_path / "serial", tmp_path / "up1", with_keras)
    parallel = demo_course(tmp_path / "parallel", tmp_path / "up2", with_keras)
    dask = demo_course(tmp_path / "dask", tmp_path / "up3", with_keras)
    kw = dict(seed=SEED, show_progress=False, exercise_timeout=5)
    a = grade_all(serial, jobs=1, **kw)
    b = grade_all(parallel, jobs=2, **kw)
    c = grade_all(dask, jobs=2, cluster="local", **kw)
    assert len(a) == len(serial.submissions()) > 4
    assert comparable(a) == comparable(b) == comparable(c)
    for course in (serial, parallel, dask):
        with open_gradebook(course.db_url) as gb:
            assert sum(len(st.submissions) for st in gb.students) == len(a)
        assert not list((course.root / "grading-runs").glob("*.truth")), "the shared values were not cleaned up"


DRIVER = Path(__file__).with_name("interrupt_driver.py")


def _interrupted_run(course, phase):
    cmd = [sys.executable, str(DRIVER), phase, "grade", "--all", "--jobs", "2",
           "--course-dir", str(course.root), "--seed", str(SEED)]
    proc = subprocess.run(cmd, capture_output=True, text=True, timeout=600, start_new_session=True)
    return proc, cmd


def _kernels_left(course):
    for _ in range(300):  # killed processes go when their PID namespace is torn down (asynchronous)
        leftovers = subprocess.run(["pgrep", "-f", f"launcher.py.*{course.root.parent}"],
                                   capture_output=True, text=True).stdout.split()
        if not leftovers:
            return []
        time.sleep(0.1)
    return leftovers


def small_class(root, lesson_id="00_tensors"):
    """Four quick submissions of one lesson: three correct, one blank."""
    course = CourseDir(root)
    lesson = LESSONS[lesson_id]
    for student in ("ada", "bea", "cy"):
        course.submit(lesson.solution_path, student, lesson_id)
    course.submit(lesson.release_path, "dan", lesson_id)
    return course


def _recorded(course):
    if not (course.root / "gradebook.db").exists():
        return set()
    with open_gradebook(course.db_url) as gb:
        return {(st.id, sub.assignment.name) for st in gb.students for sub in st.submissions}


@pytest.mark.slow
@pytest.mark.parametrize("phase", ["start", "commit", "grading", "pages"])
def test_ctrl_c_in_any_phase_exits_130_quietly_and_the_next_run_continues(phase, tmp_path):
    course = small_class(tmp_path / "course")
    total = len(course.submissions())
    proc, cmd = _interrupted_run(course, phase)
    assert proc.returncode == 130, proc.stderr
    assert proc.stderr == "interrupted; everything graded so far is in the gradebook\n"
    recorded = _recorded(course)
    assert len(recorded) < total
    if phase in ("grading", "pages"):
        assert recorded, "the report recorded before Ctrl-C stays"
    assert not _kernels_left(course), "kernels survived the interrupt"

    cmd[2] = "none"
    again = subprocess.run(cmd, capture_output=True, text=True, timeout=600)
    assert again.returncode == 0, again.stderr
    assert len(_recorded(course)) == total
    pages = {p.parent.parent.name for p in (course.root / "feedback").glob("*/00_tensors/00_tensors.html")}
    assert pages == {"ada", "bea", "cy", "dan"}, "every graded submission has its page"
