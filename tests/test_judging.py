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
