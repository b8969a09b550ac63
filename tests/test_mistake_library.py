"""The hidden tests are themselves tested: every known mistake loses points on its exercise
and is named in the feedback; every correct alternative keeps full marks."""
import pytest

from autograder import lessons
from autograder.grading.mistakes import rounds
from autograder.notebooks import with_answers

from .conftest import SEED, lesson_ids, solution_json, write_notebook


@pytest.mark.slow
@pytest.mark.parametrize("lesson_id", lesson_ids())
def test_every_mistake_loses_points_and_is_named(lesson_id, grader, tmp_path):
    lesson = lessons.get(lesson_id)
    mistakes = lesson.mistakes().MISTAKES
    failures = []
    for i, rnd in enumerate(rounds(mistakes)):
        nb = with_answers(solution_json(lesson), {k: v.code for k, v in rnd.items()})
        report = grader.grade(write_notebook(tmp_path / f"m{i}.ipynb", nb), seed=SEED + i)
        for name, res in report.exercises.items():
            variant = rnd.get(name)
            if variant is None:
                if res.score != res.max_score:
                    failures.append(f"{name} (reference) lost points next to mistakes: {res.feedback}")
            elif res.score >= res.max_score:
                failures.append(f"mistake '{variant.name}' of {name} kept full marks")
            elif variant.feedback_says not in res.feedback:
                failures.append(f"mistake '{variant.name}' of {name} not named; feedback was:\n{res.feedback}")
    assert not failures, "\n".join(failures)


@pytest.mark.slow
@pytest.mark.parametrize("lesson_id", lesson_ids())
def test_correct_alternatives_keep_full_marks(lesson_id, grader, tmp_path):
    lesson = lessons.get(lesson_id)
    alternatives = lesson.mistakes().ALTERNATIVES
    for i, rnd in enumerate(rounds(alternatives)):
        nb = with_answers(solution_json(lesson), {k: v.code for k, v in rnd.items()})
        report = grader.grade(write_notebook(tmp_path / f"a{i}.ipynb", nb), seed=SEED + 100 + i)
        lost = {k: r.feedback for k, r in report.exercises.items() if r.score != r.max_score}
        assert not lost, f"correct alternatives lost points: {lost}"
