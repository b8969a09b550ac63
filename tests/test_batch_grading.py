"""Batch grading: parallel and Dask runs give the serial results; Ctrl-C keeps the gradebook
consistent and the next run continues where it stopped."""
import json
import signal
import subprocess
import sys
import time

import pytest

from autograder.batch import grade_all
from autograder.coursedir import CourseDir
from autograder.demo import build_class
from autograder.gradebook import open_gradebook

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
    with_keras = ("00_tensors", "01_perceptron", "02_activations")  # workers share the Keras values
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


@pytest.mark.slow
def test_interrupt_keeps_gradebook_consistent_and_rerun_continues(tmp_path):
    course = demo_course(tmp_path / "course", tmp_path / "up")
    total = len(course.submissions())
    cmd = [sys.executable, "-m", "autograder.cli", "grade", "--all", "--jobs", "2",
           "--course-dir", str(course.root), "--seed", str(SEED)]
    proc = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    runs = course.root / "grading-runs"
    deadline = time.monotonic() + 300
    while time.monotonic() < deadline:
        logs = list(runs.glob("*.jsonl")) if runs.exists() else []
        if logs and len(logs[0].read_text().splitlines()) >= 2:  # header + 1 report
            break
        time.sleep(0.05)
    proc.send_signal(signal.SIGINT)
    out, err = proc.communicate(timeout=120)
    assert proc.returncode == 130, err
    graded = [json.loads(x) for x in logs[0].read_text().splitlines()[1:]]
    assert 1 <= len(graded) < total
    with open_gradebook(course.db_url) as gb:
        recorded = {(st.id, sub.assignment.name) for st in gb.students for sub in st.submissions}
    assert recorded == {(r["student"], r["lesson"]) for r in graded}
    for _ in range(50):  # killed processes take a moment to disappear
        leftovers = subprocess.run(["pgrep", "-f", f"launcher.py.*{course.root.parent}"],
                                   capture_output=True, text=True).stdout.split()
        if not leftovers:
            break
        time.sleep(0.1)
    assert not leftovers, "kernels survived the interrupt"

    again = subprocess.run(cmd, capture_output=True, text=True, timeout=600)
    assert again.returncode == 0, again.stderr
    assert f"graded {total - len(graded)} submissions" in again.stdout
    with open_gradebook(course.db_url) as gb:
        assert sum(len(st.submissions) for st in gb.students) == total
