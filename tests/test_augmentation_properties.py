"""Lesson 10_augmentation: the property-judged cases (random_translate, add_gaussian_noise) accept
the reference and the correct alternatives on many seeds, judged in-process (no kernel, no
TensorFlow), and SciPy is banned from the lesson's NumPy answers."""
import pytest

from autograder import lessons
from autograder.grading.forbidden import forbidden_use
from autograder.grading.truth import case_rng, for_reference
from autograder.sandbox.policy import policy

LESSON = "10_augmentation"
PROPERTY_JUDGED = ("random_translate", "add_gaussian_noise")


def _problems(ex, fn, seed):
    cases = ex.cases(case_rng(seed, ex.name))
    results, problems = {}, []
    outputs = []
    for i, case in enumerate(cases):
        out = fn(*for_reference(case.args), **for_reference(case.kwargs))
        outputs.append(out)
        results[case.id or str(i)] = out
    for case, out in zip(cases, outputs):
        problem = ex.judge(case, out, None, results)
        if problem:
            problems.append(f"{case.label}: {problem}")
    return problems


@pytest.mark.parametrize("name", PROPERTY_JUDGED)
def test_reference_passes_the_property_checks_on_many_seeds(name):
    lesson = lessons.get(LESSON)
    ex = next(e for e in lesson.exercises() if e.name == name)
    failures = {seed: p for seed in range(20) if (p := _problems(ex, ex.reference, 1000 + seed))}
    assert not failures, failures


@pytest.mark.parametrize("name", PROPERTY_JUDGED)
def test_alternatives_pass_the_property_checks(name):
    lesson = lessons.get(LESSON)
    ex = next(e for e in lesson.exercises() if e.name == name)
    for variant in lesson.mistakes().ALTERNATIVES:
        if variant.exercise == name:
            for seed in (5, 6, 7):
                assert not _problems(ex, variant.function(), seed), variant.name


def test_global_np_random_is_named():
    """A translation drawing from np.random's global generator fails with a message saying so."""
    lesson = lessons.get(LESSON)
    ex = next(e for e in lesson.exercises() if e.name == "random_translate")
    variant = next(v for v in lesson.mistakes().MISTAKES if v.name == "global np.random")
    problems = _problems(ex, variant.function(), 3)
    assert problems and any("rng argument" in p for p in problems), problems


def test_scipy_is_banned_from_the_numpy_answers():
    lesson = lessons.get(LESSON)
    ban = policy(lesson.kind).static_ban
    assert forbidden_use("from scipy.ndimage import shift\n", ban) == "scipy"
    assert forbidden_use("import scipy.ndimage as ndi\n", ban) == "scipy"
    assert forbidden_use("import keras\n", ban) == "keras"
    numpy_only = {ex.name: ex.numpy_only for ex in lesson.exercises()}
    assert numpy_only == {"flip_horizontal": True, "random_translate": True, "add_gaussian_noise": True,
                          "adjust_brightness": True, "build_augmentation_pipeline": False}
