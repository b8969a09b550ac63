"""Step: judge each case's result against the reference (and Keras), case by case.

Pure functions of plain data: the exercise, its run truth and the decoded calls. No kernel,
no file, no TensorFlow (the Keras values were computed by the truth step).
"""
from __future__ import annotations

from dataclasses import dataclass, field

from .compare import compare_values
from .run import MUTATED, CallResult
from .spec import MISSING, Case, Exercise
from .truth import RunTruth, keras_judged


@dataclass
class CaseProblem:
    case: Case
    problem: str
    got: object = None
    raised: str | None = None  # the exception the student's function raised, if it did
    expected: object = MISSING
    warning_only: bool = False  # right values, but a RuntimeWarning
    warned: bool = False  # it emitted a RuntimeWarning (right values or not)


@dataclass
class Judgement:
    """The failed cases of one exercise, and internal notes (reference and Keras disagree)."""

    cases: int
    problems: list[CaseProblem] = field(default_factory=list)
    internal: list[str] = field(default_factory=list)


def against_keras(ex: Exercise, case: Case, got, expected, truth, internal: list[str]) -> str | None:
    """The student must match Keras too; reference and Keras must agree (else: our bug)."""
    if isinstance(truth, Exception) or compare_values(expected, truth, ex.tolerance, case.float32):
        note = f"internal: reference and Keras disagree for {ex.name} on {case.label} ({truth})"
        if note not in internal:
            internal.append(note)
        return None
    problem = compare_values(got, truth, ex.tolerance, case.float32, ex.require_float, ex.returns)
    return f"does not match Keras: {problem}" if problem else None


def judge_exercise(ex: Exercise, truth: RunTruth, calls: list[CallResult]) -> Judgement:
    cases = truth.cases
    keras_values = truth.keras_values()
    keras_iter = iter(keras_values) if keras_values is not None else None
    got_by_case = {(case.id or str(i)): call.value for i, (case, call) in enumerate(zip(cases, calls))
                   if call.returned}
    out = Judgement(len(cases))
    for case, call in zip(cases, calls):
        keras_value = next(keras_iter) if keras_iter is not None and keras_judged(case) else None
        expected = truth.expected(case)
        raised = None
        if not call.returned:
            raised = call.error
            problem = raised if raised.startswith("returned") else f"raised {raised}"
        elif call.mutated and not ex.may_mutate:
            problem = MUTATED
        else:
            problem = ex.judge(case, call.value, expected, got_by_case)
            if keras_value is not None and not problem:
                problem = against_keras(ex, case, call.value, expected, keras_value, out.internal)
        warning_only = not problem and call.warning is not None and not ex.allow_warnings
        if warning_only:
            problem = (f"the right values, but it emitted {call.warning} "
                       "(a numerically stable formula emits no warning)")
        if problem:
            out.problems.append(CaseProblem(case, problem, call.value, raised, expected, warning_only,
                                            call.warning is not None and not ex.allow_warnings))
    return out
