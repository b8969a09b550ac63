"""Every lesson: the solution notebook runs cleanly, the reference gets full marks, the blank
release gets 0, public checks are fast and TensorFlow-free (test_lesson_contract checks that the
parts agree)."""
import operator
import re

import nbformat
import pytest
from nbclient import NotebookClient

from autograder import lessons

from .conftest import SEED, lesson_ids

# What a solution notebook's own trainings must reach, read from its printed outputs:
# (what, pattern of the printed value, which occurrence, comparison, target).
REPORT_ACCURACY = r"^\s*accuracy\s+([0-9.]+)\s+\d+\s*$"  # scikit-learn's classification_report
RESULTS = {
    "09_keras_mlps": [
        ("California housing MLP, test RMSE", r"test RMSE \(Keras metric\): ([0-9.]+)", 0, operator.le, 0.55),
        ("Fashion-MNIST classifier, test accuracy", r"^test accuracy ([0-9.]+)", 0, operator.ge, 0.88),
        ("breast cancer, test accuracy", REPORT_ACCURACY, 0, operator.ge, 0.95),
        ("wine, test accuracy", REPORT_ACCURACY, 1, operator.ge, 0.95),
    ],
}


def printed_values(nb, pattern: str) -> list[float]:
    """Every number the pattern's group matches in the notebook's printed outputs, in order."""
    text = "\n".join(o.get("text", "") for c in nb.cells if c.cell_type == "code"
                     for o in c.get("outputs", []) if o.get("name") == "stdout")
    return [float(v) for v in re.findall(pattern, text, flags=re.MULTILINE)]


@pytest.mark.slow
@pytest.mark.parametrize("lesson_id", lesson_ids())
def test_solution_notebook_executes_without_errors_or_warnings(lesson_id, tmp_path):
    lesson = lessons.get(lesson_id)
    nb = nbformat.read(lesson.solution_path, as_version=4)
    NotebookClient(nb, timeout=600, kernel_name="python3",
                   resources={"metadata": {"path": str(lesson.solution_path.parent)}}).execute()
    stderr = [o.get("text", "") for c in nb.cells if c.cell_type == "code"
              for o in c.get("outputs", []) if o.get("name") == "stderr"]
    assert not stderr, f"the lesson prints warnings or errors: {stderr[:3]}"
    figures = sum("image/png" in o.get("data", {}) for c in nb.cells if c.cell_type == "code"
                  for o in c.get("outputs", []))
    assert figures >= 1, "every lesson shows at least one figure"
    for what, pattern, occurrence, compare, target in RESULTS.get(lesson_id, []):
        values = printed_values(nb, pattern)
        assert len(values) > occurrence, f"{what}: not printed (pattern {pattern!r})"
        assert compare(values[occurrence], target), f"{what}: {values[occurrence]}, target {target}"


@pytest.mark.slow
@pytest.mark.parametrize("lesson_id", lesson_ids())
def test_reference_gets_full_marks(lesson_id, grader):
    """(The mistake-library tests grade the reference's other exercises on further seeds.)"""
    report = grader.grade(lessons.get(lesson_id).solution_path, seed=SEED)
    assert report.lesson == lesson_id
    lost = {k: r.feedback for k, r in report.exercises.items() if not r.passed}
    assert not lost and report.score == report.max_score > 0, lost
    assert not report.errors, report.errors


@pytest.mark.slow
@pytest.mark.parametrize("lesson_id", lesson_ids())
def test_blank_release_gets_zero(lesson_id, grader):
    report = grader.grade(lessons.get(lesson_id).release_path, seed=SEED)
    assert report.lesson == lesson_id
    assert report.score == 0 and report.max_score > 0
    assert all("Not attempted" in r.feedback for r in report.exercises.values())


@pytest.mark.slow
@pytest.mark.parametrize("lesson_id", lesson_ids())
def test_public_checks_pass_and_are_tensorflow_free(lesson_id):
    """Run the solution's answer and check cells only, in a plain kernel: they pass, and a NumPy
    lesson's checks never import TensorFlow."""
    lesson = lessons.get(lesson_id)
    nb = nbformat.read(lesson.solution_path, as_version=4)
    setup, checks = [], []
    for c in nb.cells:
        meta = c.metadata.get("nbgrader", {})
        if c.cell_type != "code" or "-keras-" in meta.get("grade_id", ""):
            continue
        (checks if meta.get("grade") else setup).append(c.source)
    probe = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell(s) for s in ["import sys", *setup, *checks]]
                                     + [nbformat.v4.new_code_cell("print('tensorflow' in sys.modules)")])
    NotebookClient(probe, timeout=600, kernel_name="python3",
                   resources={"metadata": {"path": str(lesson.solution_path.parent)}}).execute()
    printed = "".join(o.get("text", "") for o in probe.cells[-1].outputs if o.get("name") == "stdout")
    tf_loaded = printed.strip()  # (how long the checks take: benchmarks/grading_speed.py)
    if lesson.kind == "numpy":
        assert tf_loaded == "False", "a NumPy lesson must not import TensorFlow"
