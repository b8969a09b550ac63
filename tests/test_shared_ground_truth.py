"""Keras ground truth shared by the grading processes of a run (grading/ground_truth.py)."""
import threading
from concurrent.futures import Future

import numpy as np
import pytest

from autograder import lessons
from autograder.grading import ground_truth
from autograder.grading.engine import Grader
from autograder.grading.mistakes import rounds
from autograder.grading.truth import TruthCache
from autograder.notebooks import with_answers

from .conftest import SEED, solution_json, write_notebook

KERAS_LESSONS = [lid for lid, lesson in lessons.LESSONS.items()
                 if any(ex.keras is not None for ex in lesson.exercises())]


def later(value, seconds: float = 0.5, error: Exception | None = None):
    """A compute function whose future resolves after a while, counting its calls."""
    calls = []

    def compute() -> Future:
        calls.append(1)
        f: Future = Future()
        threading.Timer(seconds, lambda: f.set_exception(error) if error else f.set_result(value)).start()
        return f
    return compute, calls


def test_values_round_trip_exactly(tmp_path):
    values = [np.float32(1.5), np.array(2.0), np.arange(6, dtype=np.float32).reshape(2, 3),
              (np.float64(3), 3.0, [np.zeros(1)]), {"w": np.ones(2)}, float("nan"), RuntimeError("x")]
    ground_truth._write(tmp_path / "v.npz", values)
    back = ground_truth._read(tmp_path / "v.npz")
    assert [type(v) for v in back] == [type(v) for v in values]
    assert back[0].dtype == np.float32 and back[2].dtype == np.float32 and back[1].shape == ()
    assert type(back[3][0]) is np.float64 and np.isnan(back[5]) and str(back[6]) == "x"


def test_one_process_computes_the_others_wait(tmp_path):
    compute, calls = later([np.ones(3)])
    first = ground_truth._shared(tmp_path, "ex", compute)
    second = ground_truth._shared(tmp_path, "ex", compute)  # claimed: waits for the file
    assert np.array_equal(first.result(timeout=10)[0], np.ones(3))
    assert np.array_equal(second.result(timeout=10)[0], np.ones(3))
    assert len(calls) == 1
    third = ground_truth._shared(tmp_path, "ex", compute)  # the file is there: no work at all
    assert third.done() and len(calls) == 1


def test_a_failed_claim_lets_the_waiting_process_compute(tmp_path):
    failing, _ = later(None, error=RuntimeError("TensorFlow died"))
    first = ground_truth._shared(tmp_path, "ex", failing)
    good, calls = later([np.zeros(2)], seconds=0.0)
    second = ground_truth._shared(tmp_path, "ex", good)
    with pytest.raises(RuntimeError):
        first.result(timeout=10)
    assert np.array_equal(second.result(timeout=10)[0], np.zeros(2)) and len(calls) == 1


def _same(a, b) -> bool:
    if isinstance(a, (list, tuple)):
        return type(a) is type(b) and len(a) == len(b) and all(_same(x, y) for x, y in zip(a, b))
    if isinstance(a, dict):
        return isinstance(b, dict) and a.keys() == b.keys() and all(_same(a[k], b[k]) for k in a)
    if isinstance(a, Exception):
        return isinstance(b, Exception) and str(a) == str(b)
    if isinstance(a, (np.ndarray, np.generic)):
        return type(a) is type(b) and a.dtype == b.dtype and np.array_equal(a, b, equal_nan=True)
    return type(a) is type(b) and (a == b or (a != a and b != b))


@pytest.mark.slow
def test_every_lessons_keras_values_survive_sharing(tmp_path, monkeypatch):
    """Every Keras truth of every lesson, written by one process and read by another, is exactly
    what was computed (no kernel: the truth step alone)."""
    share = tmp_path / "share"
    exercises = [ex for lid in KERAS_LESSONS for ex in lessons.get(lid).exercises() if ex.keras is not None]
    computed = {ex.name: TruthCache().get(ex, SEED, share).keras_values() for ex in exercises}
    for name, values in computed.items():
        assert not any(isinstance(v, Exception) for v in values), f"{name}: {values}"

    def no_tensorflow():
        raise AssertionError("the shared values should have been read, not computed")
    monkeypatch.setattr(ground_truth, "pool", no_tensorflow)
    for ex in exercises:
        assert _same(TruthCache().get(ex, SEED, share).keras_values(), computed[ex.name]), ex.name


@pytest.mark.slow
def test_grading_from_shared_values_equals_grading_that_computed_them(tmp_path, monkeypatch):
    lesson = lessons.get(KERAS_LESSONS[0])
    solution = solution_json(lesson)
    wrong = with_answers(solution, {k: v.code for k, v in rounds(lesson.mistakes().MISTAKES)[0].items()})
    notebooks = [write_notebook(tmp_path / "right.ipynb", solution), write_notebook(tmp_path / "wrong.ipynb", wrong)]
    share = tmp_path / "share"

    def plain(report):
        return {k: v for k, v in report.to_dict().items() if k != "seconds"}
    computed = [plain(Grader().grade(nb, SEED, share)) for nb in notebooks]
    assert any(p.suffix == ".npz" for p in (share / f"seed{SEED}").iterdir())

    def no_tensorflow():
        raise AssertionError("the shared values should have been read, not computed")
    monkeypatch.setattr(ground_truth, "pool", no_tensorflow)
    shared = [plain(Grader().grade(nb, SEED, share)) for nb in notebooks]
    assert shared == computed
    assert computed[0]["score"] == computed[0]["max_score"] and computed[1]["score"] < computed[1]["max_score"]
