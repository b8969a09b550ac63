"""The judging steps on hand-made results: no kernel starts and TensorFlow is never imported."""
import subprocess
import sys
from concurrent.futures import Future

import numpy as np

from autograder.grading.diagnose import diagnose
from autograder.grading.judge import judge_exercise
from autograder.grading.mistakes import mistake
from autograder.grading.run import CallResult, decode_calls
from autograder.grading.spec import Case, Exercise, KerasTruth
from autograder.grading.truth import RunTruth
from autograder.grading import verdict
from autograder.sandbox import wire

X = np.array([[1.0, -2.0], [3.0, 0.5]])
BIG = np.array([[1e4, -1e4]])


def square_cases(rng):
    return [Case((X,), "a float64 batch"), Case((BIG,), "large magnitudes", group="large")]


def exercise(**kw):
    return Exercise("square", 2, square_cases, reference=np.square, keras=None, **kw)


def truth_of(ex, keras_values=None):
    future = None
    if keras_values is not None:
        future = Future()
        future.set_result(keras_values)
    return RunTruth(ex, ex.cases(np.random.default_rng(0)), future)


def test_right_answers_pass_and_score_full_marks():
    ex = exercise()
    t = truth_of(ex)
    judgement = judge_exercise(ex, t, [CallResult(X ** 2), CallResult(BIG ** 2)])
    assert judgement.problems == []
    result = verdict.scored(ex, judgement, diagnose(ex, judgement.problems, []))
    assert result.passed and result.score == 2.0 and result.feedback == "All 2 checks passed."


def test_a_wrong_value_fails_its_case_and_the_known_mistake_is_named():
    ex = exercise()
    doubled = mistake("square", "doubles", hint="square the values, do not double them",
                      code="def square(x):\n    return 2 * x\n")
    judgement = judge_exercise(ex, truth_of(ex), [CallResult(2 * X), CallResult(BIG ** 2)])
    assert [p.case.label for p in judgement.problems] == ["a float64 batch"]
    hints = diagnose(ex, judgement.problems, [doubled])
    result = verdict.scored(ex, judgement, hints)
    assert result.score == 1.0 and not result.passed
    assert "1 of 2 checks failed" in result.feedback
    assert "Likely mistake: square the values, do not double them" in result.feedback


def test_a_mistake_that_gives_other_values_is_not_named():
    ex = exercise()
    doubled = mistake("square", "doubles", hint="do not double", code="def square(x):\n    return 2 * x\n")
    judgement = judge_exercise(ex, truth_of(ex), [CallResult(X + 1), CallResult(BIG ** 2)])
    assert not diagnose(ex, judgement.problems, [doubled])


def test_raised_mutated_and_warning_cases_have_their_own_messages():
    ex = exercise()
    calls = [CallResult(error="ValueError: no (line 2 of the cell)"),
             CallResult(BIG ** 2, mutated=True)]
    problems = [p.problem for p in judge_exercise(ex, truth_of(ex), calls).problems]
    assert problems[0] == "raised ValueError: no (line 2 of the cell)"
    assert "modified its input array in place" in problems[1]
    warned = judge_exercise(ex, truth_of(ex), [CallResult(X ** 2), CallResult(BIG ** 2, warning="RuntimeWarning: overflow")])
    assert "the right values, but it emitted RuntimeWarning: overflow" in warned.problems[0].problem
    allowed = exercise(allow_warnings=True)
    assert not judge_exercise(allowed, truth_of(allowed), [CallResult(X ** 2), CallResult(BIG ** 2, warning="w")]).problems


def test_failing_only_on_large_inputs_points_at_overflow_and_not_attempted_is_said():
    ex = exercise()
    judgement = judge_exercise(ex, truth_of(ex), [CallResult(X ** 2), CallResult(np.full((1, 2), np.inf))])
    assert "not for large magnitudes" in verdict.scored(ex, judgement, diagnose(ex, judgement.problems, [])).feedback
    blank = [CallResult(error="NotImplementedError: "), CallResult(error="NotImplementedError: ")]
    judgement = judge_exercise(ex, truth_of(ex), blank)
    result = verdict.scored(ex, judgement, diagnose(ex, judgement.problems, []))
    assert result.score == 0 and result.feedback.startswith("Not attempted yet")


def test_keras_values_are_compared_and_a_disagreement_with_the_reference_is_an_internal_note():
    ex = Exercise("square", 2, square_cases, reference=np.square, keras=KerasTruth("m", "square"))
    agree = truth_of(ex, [X ** 2, BIG ** 2])
    assert not judge_exercise(ex, agree, [CallResult(X ** 2), CallResult(BIG ** 2)]).problems
    disagree = truth_of(ex, [X ** 2 + 1, BIG ** 2])
    judgement = judge_exercise(ex, disagree, [CallResult(X ** 2), CallResult(BIG ** 2)])
    assert not judgement.problems and judgement.internal and "reference and Keras disagree" in judgement.internal[0]


def test_results_from_the_kernel_are_decoded_defensively():
    cases = square_cases(None)
    enc = wire.Encoder()
    tree = {"results": [{"id": 0, "value": enc.encode(X ** 2), "args_after": enc.encode((X,)), "warnings": []},
                        "not a dict", {"id": 7, "value": 1}]}
    calls = decode_calls(cases, tree, enc.arrays)
    assert calls[0].returned and np.array_equal(calls[0].value, X ** 2) and not calls[0].mutated
    assert calls[1].error == "no result came back for this call"
    changed = {"results": [{"id": 0, "value": enc.encode(1.0), "args_after": enc.encode((X + 1,))}]}
    assert decode_calls(cases[:1], changed, enc.arrays)[0].mutated


def test_the_judging_steps_do_not_import_tensorflow():
    code = ("import sys, autograder.grading.engine, autograder.lessons as L\n"
            "[lesson.exercises() for lesson in L.LESSONS.values()]\n"
            "assert 'tensorflow' not in sys.modules and 'keras' not in sys.modules")
    subprocess.run([sys.executable, "-c", code], check=True)


def test_a_numpy_only_answer_may_not_reach_keras_through_a_name_imported_elsewhere():
    from autograder.grading.forbidden import forbidden_aliases, uses_alias
    aliases = forbidden_aliases(["import keras\nimport tensorflow as tf\nfrom keras import ops as O\n",
                                 "import numpy as np\n"])
    assert aliases == {"keras": "keras", "tf": "tensorflow", "O": "keras"}
    assert uses_alias("def f(x):\n    return tf.reverse(x, [2])\n", aliases) == "tensorflow"
    assert uses_alias("def f(x):\n    return keras.ops.flip(x, 2)\n", aliases) == "keras"
    assert uses_alias("def f(x):\n    return np.flip(x, 2)\n", aliases) is None
    assert uses_alias("def f(O):\n    return O[:, :, ::-1]\n", aliases) is None  # its own name


# -- diagnoses by output pattern (no known mistake needed) ----------------------------------
def _pattern_feedback(reference, cases, outputs, returns=()):
    ex = Exercise("f", 2, lambda rng: cases, reference=reference, keras=None, returns=returns)
    judgement = judge_exercise(ex, truth_of(ex), [CallResult(o) for o in outputs])
    return verdict.scored(ex, judgement, diagnose(ex, judgement.problems, [])).feedback


def _batches():
    rng = np.random.default_rng(3)
    return [Case((rng.normal(size=(n, 3)),), f"batch {n}") for n in (4, 7)]


def test_a_flipped_sign_a_transpose_and_a_complement_are_named_without_a_known_mistake():
    cases = _batches()
    assert "opposite sign" in _pattern_feedback(np.tanh, cases, [-np.tanh(c.args[0]) for c in cases])
    assert "transpose" in _pattern_feedback(np.tanh, cases, [np.tanh(c.args[0]).T for c in cases])
    sig = lambda z: 1 / (1 + np.exp(-z))  # noqa: E731
    assert "1 minus the expected" in _pattern_feedback(sig, cases, [sig(-c.args[0]) for c in cases])


def test_a_factor_of_the_batch_size_and_a_constant_factor_are_told_apart():
    cases = _batches()
    mean = lambda x: float(np.mean(x ** 2))  # noqa: E731
    summed = _pattern_feedback(mean, cases, [float(np.sum(np.mean(c.args[0] ** 2, axis=1))) for c in cases])
    assert "N, the number of samples" in summed and "a sum over the samples" in summed
    halved = _pattern_feedback(mean, cases, [0.5 * mean(c.args[0]) for c in cases])
    assert "exactly 0.5 times" in halved


def test_shifted_classes_and_the_wrong_softmax_axis_are_named():
    labels = [np.array([0, 2, 1, 3]), np.array([3, 3, 0, 1, 2])]
    cases = [Case((y,), "labels") for y in labels]
    one_hot = lambda y: np.eye(4)[y]  # noqa: E731
    fb = _pattern_feedback(one_hot, cases, [np.eye(4)[(y - 1) % 4] for y in labels])
    assert "moved by one position along the last axis" in fb
    cases = _batches()
    soft = lambda z, axis=-1: np.exp(z) / np.exp(z).sum(axis=axis, keepdims=True)  # noqa: E731
    fb = _pattern_feedback(soft, cases, [soft(c.args[0], axis=0) for c in cases])
    assert "sum to 1 along axis 0 instead of axis 1" in fb


def test_a_pattern_is_named_only_when_it_holds_on_every_failing_case():
    cases = _batches()
    mixed = [-np.tanh(cases[0].args[0]), 2 * np.tanh(cases[1].args[0])]
    assert "Likely mistake" not in _pattern_feedback(np.tanh, cases, mixed)
    # one failing scalar shows no factor; a raised case makes no claim possible
    mean = lambda x: float(np.mean(x))  # noqa: E731
    one = _pattern_feedback(mean, cases, [2 * mean(cases[0].args[0]), mean(cases[1].args[0])])
    assert "Likely mistake" not in one
    ex = Exercise("f", 2, lambda rng: cases, reference=np.tanh, keras=None)
    judgement = judge_exercise(ex, truth_of(ex), [CallResult(-np.tanh(cases[0].args[0])),
                                                  CallResult(error="ValueError: x")])
    assert not diagnose(ex, judgement.problems, [])
    # a known mistake that matches wins over a pattern
    negated = mistake("f", "negated", hint="the known hint", code="def f(x):\n    return -np.tanh(x)\n")
    judgement = judge_exercise(ex, truth_of(ex), [CallResult(-np.tanh(c.args[0])) for c in cases])
    assert list(diagnose(ex, judgement.problems, [negated])) == ["the known hint"]


def test_a_pattern_names_the_item_of_a_tuple_it_holds_for():
    cases = _batches()
    pair = lambda x: (x.sum(axis=0), x.T @ x)  # noqa: E731
    outputs = [(c.args[0].sum(axis=0), 3 * (c.args[0].T @ c.args[0])) for c in cases]
    fb = _pattern_feedback(pair, cases, outputs, returns=("db", "dW"))
    assert "Likely mistake: dW: every wrong value is exactly 3 times" in fb


def test_an_offset_an_in_place_change_and_an_overflow_warning_are_named():
    cases = _batches()
    fb = _pattern_feedback(np.tanh, cases, [np.tanh(c.args[0]) + 0.5 for c in cases])
    assert "off by the same amount (+0.5)" in fb
    ex = Exercise("f", 2, lambda rng: cases, reference=np.tanh, keras=None)
    right = [np.tanh(c.args[0]) for c in cases]
    judgement = judge_exercise(ex, truth_of(ex), [CallResult(v, mutated=True) for v in right])
    assert "changes its input array in place" in next(iter(diagnose(ex, judgement.problems, [])))
    judgement = judge_exercise(ex, truth_of(ex), [CallResult(v, warning="RuntimeWarning: overflow") for v in right])
    assert "overflows, divides by zero or gives an invalid value" in next(iter(diagnose(ex, judgement.problems, [])))


def test_a_returned_iterator_is_read_into_a_list_within_bounds():
    import itertools

    import pytest

    from autograder.sandbox import protocols
    pairs = protocols.call(lambda n: ((i, i * i) for i in range(n)), (3,), {})
    assert pairs == [(0, 0), (1, 1), (2, 4)]
    listed = [np.zeros(2)]
    assert protocols.call(lambda: listed, (), {}) is listed  # containers and arrays stay as they are
    with pytest.raises(ValueError, match="more than"):
        protocols.call(lambda: itertools.count(), (), {})  # endless: cut, not run forever
    with pytest.raises(ValueError, match="more than"):
        protocols.call(lambda: itertools.repeat(np.zeros(10**6)), (), {})  # huge: cut early


def test_wrong_only_for_negative_inputs_and_scaled_update_steps_are_named():
    cases = _batches()
    relu = lambda z: np.maximum(z, 0)  # noqa: E731
    fb = _pattern_feedback(relu, cases, [np.abs(c.args[0]) for c in cases])
    assert "wrong exactly where it is negative" in fb
    rng = np.random.default_rng(5)
    rule_cases = [Case((rng.normal(size=3), rng.normal(size=(6, 3)), {}), "steps", protocol="rule_trajectory")
                  for _ in range(2)]
    sgd = lambda w, dw, config: (w - 0.01 * dw, config)  # noqa: E731
    slow = [c.args[0] - 0.001 * np.cumsum(c.args[1], axis=0) for c in rule_cases]
    fb = _pattern_feedback(sgd, rule_cases, slow)
    assert "the updates (w after each step minus w before): every wrong value is exactly 0.1 times" in fb


def test_a_missing_upstream_gradient_factor_is_named():
    rng = np.random.default_rng(9)
    cases = [Case((rng.normal(size=(n, 3)), (rng.normal(size=(n, 3)), "tanh")), "dA and a cache") for n in (3, 5)]
    backward = lambda dA, cache: dA * (1 - np.tanh(cache[0]) ** 2)  # noqa: E731
    fb = _pattern_feedback(backward, cases, [1 - np.tanh(c.args[1][0]) ** 2 for c in cases])
    assert "a factor is missing (for a backward pass: the upstream gradient)" in fb
