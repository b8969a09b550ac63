"""`course grade PATH... --json`: the interface of COURSE.md, and damaged or odd submissions."""
import json
import subprocess
import sys

import pytest

from autograder import lessons
from autograder.notebooks import with_answers

from .conftest import SEED, solution_json, write_notebook

LESSON = lessons.get("00_tensors")
FULL = float(sum(ex.points for ex in LESSON.exercises()))  # the lesson's max score


def run_course(*args, cwd=None):
    return subprocess.run([sys.executable, "-m", "autograder.cli", *args], capture_output=True,
                          text=True, cwd=cwd, timeout=600)


def nb_with(tmp_path, name, answers):
    return write_notebook(tmp_path / name, with_answers(solution_json(LESSON), answers))


@pytest.mark.slow
def test_json_lines_in_order_for_good_and_damaged_notebooks(tmp_path):
    missing = tmp_path / "missing.ipynb"
    folder = tmp_path / "folder.ipynb"
    folder.mkdir()
    not_json = tmp_path / "not_json.ipynb"
    not_json.write_text("this is not JSON {")
    not_nb = tmp_path / "not_nb.ipynb"
    not_nb.write_text(json.dumps({"hello": [1, 2]}))
    empty = tmp_path / "empty.ipynb"
    empty.write_text("")
    truncated = tmp_path / "truncated.ipynb"
    truncated.write_text(LESSON.solution_path.read_text()[:3000])
    unknown = tmp_path / "unknown.ipynb"
    unknown.write_text(json.dumps({"cells": [{"cell_type": "code", "source": "def hello():\n  pass",
                                              "metadata": {}}], "metadata": {}, "nbformat": 4}))
    # The lesson is recognised from the notebook, not from its name or folder.
    renamed = tmp_path / "01_perceptron.ipynb"
    renamed.write_text(LESSON.solution_path.read_text())
    keras_checked = lessons.get("02_activations").solution_path  # starts the TensorFlow process
    paths = [renamed, missing, folder, not_json, not_nb, empty, truncated, unknown, LESSON.release_path,
             keras_checked]
    proc = run_course("grade", *map(str, paths), "--json", "--seed", str(SEED))
    assert proc.returncode == 0, proc.stderr
    assert proc.stderr == "", proc.stderr  # no TensorFlow/absl start-up lines, no warning
    reports = [json.loads(line) for line in proc.stdout.splitlines()]
    assert [r["notebook"] for r in reports] == list(map(str, paths))
    for r in reports:
        assert {"lesson", "score", "max_score", "exercises", "errors"} <= set(r)
        assert r["seed"] == SEED
    *reports, keras = reports
    assert keras["lesson"] == "02_activations" and keras["score"] == keras["max_score"], keras
    full, *damaged, blank = reports
    assert full["lesson"] == "00_tensors" and full["score"] == full["max_score"] == FULL
    assert all(set(e) == {"score", "max_score", "passed", "feedback"} for e in full["exercises"].values())
    for r, words in zip(damaged, ["no such file", "directory", "not valid JSON", "not a Jupyter notebook",
                                  "is empty", "not valid JSON", "not a notebook of this course"]):
        assert r["score"] == 0 and r["errors"] and words in r["errors"][0], r
    assert blank["score"] == 0 and blank["max_score"] == FULL


def test_usage_errors_exit_non_zero():
    assert run_course("grade").returncode == 2
    assert run_course("grade", "x.ipynb", "--all").returncode == 2
    assert run_course("frobnicate").returncode == 2
    assert run_course("submit", "x.ipynb").returncode == 2  # --student is required
    for cmd in ["release", "check", "submit", "grade", "report", "demo", "data"]:
        proc = run_course(cmd, "--help")
        assert proc.returncode == 0 and "usage: course" in proc.stdout


@pytest.mark.slow
def test_edited_metadata_cannot_inflate_points(tmp_path, grader):
    nb = solution_json(LESSON)
    for cell in nb["cells"]:
        meta = cell["metadata"].get("nbgrader", {})
        if meta.get("grade"):
            meta["points"] = 100
        if meta.get("locked") and cell["cell_type"] == "code":
            meta["locked"] = False
            cell["source"] = "import numpy as np\nprint('edited teaching cell')"
    report = grader.grade(write_notebook(tmp_path / "edited.ipynb", nb), seed=SEED)
    assert report.max_score == FULL and report.score == FULL


@pytest.mark.slow
def test_duplicated_missing_and_moved_answer_cells(tmp_path, grader):
    nb = solution_json(LESSON)
    cells = nb["cells"]
    idx = {c["metadata"].get("nbgrader", {}).get("grade_id"): i for i, c in enumerate(cells)}
    # A second, wrong copy of one_hot placed BEFORE the right one: the last copy counts.
    wrong = json.loads(json.dumps(cells[idx["one_hot"]]))
    wrong["source"] = "def one_hot(y, num_classes):\n    return None\n"
    cells.insert(1, wrong)
    # flatten_images: answer cell deleted, the function written in a plain cell of the student's.
    flat = cells.pop(next(i for i, c in enumerate(cells)
                          if c["metadata"].get("nbgrader", {}).get("grade_id") == "flatten_images"))
    cells.append({"cell_type": "code", "metadata": {}, "outputs": [], "execution_count": None,
                  "source": flat["source"]})
    # standardize: moved to the top of the notebook.
    std = cells.pop(next(i for i, c in enumerate(cells)
                         if c["metadata"].get("nbgrader", {}).get("grade_id") == "standardize"))
    cells.insert(0, std)
    report = grader.grade(write_notebook(tmp_path / "odd.ipynb", nb), seed=SEED)
    assert report.score == FULL, report.to_dict()
    text = " ".join(report.errors)
    assert "appears 2 times; the last copy counts" in text
    assert "'flatten_images' is missing" in text and "graded instead" in text


@pytest.mark.slow
def test_raising_looping_and_printing_answers_cost_only_their_exercise(tmp_path, grader):
    nb = nb_with(tmp_path, "bad.ipynb", {
        "one_hot": "def one_hot(y, num_classes):\n    while True:\n        pass\n",
        "flatten_images": "def flatten_images(images):\n    print('x' * 10_000_000)\n"
                          "    return images.reshape(len(images), -1)\n",
    })
    report = grader.grade(nb, seed=SEED)
    ex = report.exercises
    assert ex["one_hot"].score == 0 and "timed out" in ex["one_hot"].feedback
    assert ex["standardize"].score == 3.0
    assert ex["flatten_images"].score == 1.0  # printing is allowed; the output is capped


@pytest.mark.slow
def test_kernel_exit_and_top_level_hang_are_survived(tmp_path, grader):
    nb = solution_json(LESSON)
    nb["cells"].insert(2, {"cell_type": "code", "metadata": {}, "outputs": [], "execution_count": None,
                           "source": "import signal, time\nsignal.signal(signal.SIGINT, signal.SIG_IGN)\n"
                                     "while True:\n    time.sleep(1)\n"})
    nb = with_answers(nb, {"standardize": "def standardize(X, mean=None, std=None):\n"
                                          "    import os\n    os._exit(1)\n"})
    report = grader.grade(write_notebook(tmp_path / "exit.ipynb", nb), seed=SEED)
    ex = report.exercises
    assert ex["standardize"].score == 0 and "kernel died" in ex["standardize"].feedback
    assert ex["one_hot"].score == 2.0 and ex["flatten_images"].score == 1.0
