"""Lesson 07_regularization against Keras itself, beyond what grading compares.

* ``keras.layers.Dropout`` in training mode passes every property check that ``dropout_forward``'s
  training cases apply (kept fraction, scale, zeros, mean, independence, same seed -> same mask),
  so those checks describe Keras' behaviour and not only the reference's.
* The early-stopping cases, replayed with a real ``model.fit`` (the validation losses injected into
  ``logs`` before EarlyStopping reads them), give the reference's epochs, the weights of
  ``best_epoch`` are the ones restored, and training runs exactly up to the stop.

Both run in the ground-truth worker process (TensorFlow is never imported here).
"""
import pytest

from autograder import lessons
from autograder.grading import ground_truth
from autograder.grading.spec import KerasTruth, RngArg
from autograder.grading.truth import case_rng
from autograder.course.regularization import reference as ref
from autograder.course.regularization import tests as T

MODULE = "autograder.course.regularization.keras_truth"
SEEDS = [20261123, 7]


def _exercise(name):
    return next(ex for ex in lessons.get("07_regularization").exercises() if ex.name == name)


@pytest.mark.slow
@pytest.mark.parametrize("seed", SEEDS)
def test_keras_dropout_passes_the_property_checks(seed):
    cases = [c for c in _exercise("dropout_forward").cases(case_rng(seed, "dropout_forward")) if c.stochastic]
    calls = [((c.args[0], c.args[1], c.args[2].seed), {}) for c in cases]
    # the same-seed pair must give the same mask, the other seed another one
    values = ground_truth.submit(KerasTruth(MODULE, "dropout_training_sample"), calls).result(timeout=300)
    results = {}
    problems = []
    for case, value in zip(cases, values):
        assert not isinstance(value, Exception), value
        results[case.id] = value
    for case, value in zip(cases, values):
        problem = T.dropout_property(value, None, case, results)
        if problem:
            problems.append(f"{case.label}: {problem}")
    assert not problems, problems
    assert all(isinstance(c.args[2], RngArg) for c in cases)


@pytest.mark.slow
def test_early_stopping_cases_replayed_with_model_fit():
    # the designed cases (never stopping, stopping at once, patience 1, plateaus, min_delta > 0 and
    # < 0, the lowest loss after the stop, one epoch); the random curves are left out for time
    cases = _exercise("early_stopping").cases(case_rng(SEEDS[0], "early_stopping"))[:-3]
    calls = [(tuple(c.args), dict(c.kwargs)) for c in cases]
    values = ground_truth.submit(KerasTruth(MODULE, "early_stopping_by_fit"), calls).result(timeout=600)
    for case, value in zip(cases, values):
        assert not isinstance(value, Exception), value
        stop, best, restored, epochs_run = value
        want = ref.early_stopping(*case.args, **case.kwargs)
        assert (stop, best) == want, f"{case.label}: model.fit gives {(stop, best)}, the reference {want}"
        assert restored == [best], f"{case.label}: the restored weights are those of epochs {restored}"
        assert epochs_run == (len(case.args[0]) if stop is None else stop + 1), case.label
