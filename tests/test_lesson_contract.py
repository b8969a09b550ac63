"""Each lesson's parts agree, checked in seconds without a kernel or TensorFlow: the hidden
tests, the reference, the Keras truth, the known mistakes and the notebooks name the same
exercises, with the same points."""
import ast
import json

import pytest

from autograder import lessons
from autograder.grading.spec import keras_functions
from autograder.notebooks import read_cells

from .conftest import lesson_ids


def _nbgrader_cells(path):
    return [(c["metadata"]["nbgrader"], c) for c in json.loads(path.read_text())["cells"]
            if "nbgrader" in c.get("metadata", {})]


@pytest.mark.parametrize("lesson_id", lesson_ids())
def test_every_exercise_has_its_parts(lesson_id):
    lesson = lessons.get(lesson_id)
    exercises = lesson.exercises()
    names = [ex.name for ex in exercises]
    assert len(set(names)) == len(names), "an exercise is listed twice"
    library = lesson.mistakes()
    for ex in exercises:
        assert ex.points > 0, f"{ex.name} has no points"
        if ex.keras is not None:
            assert ex.keras.function in keras_functions(ex.keras.module), ex.name
    assert {m.exercise for m in library.MISTAKES} == set(names), "every exercise needs known mistakes"
    assert {a.exercise for a in library.ALTERNATIVES} == set(names), "every exercise needs a correct alternative"
    for variant in library.MISTAKES + library.ALTERNATIVES:
        tree = ast.parse(variant.code)
        defined = {n.name for n in tree.body if isinstance(n, ast.FunctionDef)}
        assert variant.exercise in defined, f"'{variant.name}' does not define {variant.exercise}()"
    for m in library.MISTAKES:
        assert m.hint or m.feedback_says, f"mistake '{m.name}' of {m.exercise} says nothing to the student"


@pytest.mark.parametrize("lesson_id", lesson_ids())
@pytest.mark.parametrize("side", ["solution", "release"])
def test_notebook_cells_match_the_hidden_tests(lesson_id, side):
    """One answer cell per exercise in the hidden tests' order, one check cell with its points."""
    lesson = lessons.get(lesson_id)
    path = lesson.solution_path if side == "solution" else lesson.release_path
    names = [ex.name for ex in lesson.exercises()]
    answers = [c.grade_id for c in read_cells(path) if c.role == "answer"]
    assert answers == names, "answer cells (grade_id = function name) in the order of the hidden tests"
    points = {meta["grade_id"]: meta.get("points") for meta, _ in _nbgrader_cells(path) if meta.get("grade")}
    assert points == {f"check_{ex.name}": ex.points for ex in lesson.exercises()}
    ids = [meta["grade_id"] for meta, _ in _nbgrader_cells(path)]
    assert len(ids) == len(set(ids)), "grade ids are unique"


@pytest.mark.parametrize("lesson_id", lesson_ids())
def test_solution_notebook_is_stored_without_outputs(lesson_id):
    nb = json.loads(lessons.get(lesson_id).solution_path.read_text())
    with_outputs = [i for i, c in enumerate(nb["cells"]) if c["cell_type"] == "code" and c.get("outputs")]
    assert not with_outputs, f"cells {with_outputs} have stored outputs"
