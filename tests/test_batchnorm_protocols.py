"""Lesson 08_batchnorm: the two call protocols and the hidden cases, checked without a kernel.

The forward pass's cache is the student's own and stays in the kernel ("cache_stays"); the
backward pass is driven on the cache of the same namespace's forward pass
("batchnorm_forward_then_backward"), for the student, the reference and every known mistake alike.
"""
import numpy as np
import pytest

from autograder import lessons
from autograder.grading.gradcheck import numeric_gradient
from autograder.grading.truth import case_rng, for_reference
from autograder.sandbox import protocols

LESSON = "08_batchnorm"
pytestmark = pytest.mark.skipif(LESSON not in lessons.LESSONS, reason="lesson 08 not live")


def _exercises():
    return {ex.name: ex for ex in lessons.get(LESSON).exercises()}


def _inputs(seed=0, n=6, d=3):
    rng = np.random.default_rng(seed)
    return (rng.normal(2.0, 3.0, (n, d)), rng.normal(1.0, 0.5, d), rng.normal(size=d), rng.normal(size=d),
            rng.uniform(0.5, 2.0, d))


def test_cache_stays_in_the_kernel():
    ref = _exercises()["batchnorm_forward"].reference
    out = protocols.run("cache_stays", ref, (*_inputs(), True), {})
    assert len(out) == 4 and out[1] is None
    with pytest.raises(TypeError, match="not a tuple"):
        protocols.run("cache_stays", lambda *a: np.zeros(3), (*_inputs(), True), {})


def test_backward_is_driven_on_the_cache_of_its_own_namespace():
    ref = _exercises()["batchnorm_backward"].reference
    X, g, b, rm, rv = _inputs()
    dout = np.random.default_rng(1).normal(size=X.shape)
    dX, dgamma, dbeta = protocols.run("batchnorm_forward_then_backward", ref, (X, g, b, rm, rv, True, dout), {})
    forward = ref.__globals__["batchnorm_forward"]
    loss = lambda v: float(np.sum(dout * forward(v, g, b, rm, rv, True)[0]))  # noqa: E731
    assert np.allclose(dX, numeric_gradient(loss, X), rtol=1e-5, atol=1e-7)
    assert dgamma.shape == dbeta.shape == (3,)


def test_backward_without_a_forward_pass_says_why():
    ns = {"np": np}
    exec("def batchnorm_backward(dout, cache):\n    return dout, None, None\n", ns)
    with pytest.raises(NameError, match="cache of your own batchnorm_forward"):
        protocols.run("batchnorm_forward_then_backward", ns["batchnorm_backward"], (*_inputs(), True, None), {})
    exec("def batchnorm_forward(*args, **kwargs):\n    raise NotImplementedError()\n", ns)
    with pytest.raises(RuntimeError, match="not implemented yet: the backward pass is graded on its cache"):
        protocols.run("batchnorm_forward_then_backward", ns["batchnorm_backward"], (*_inputs(), True, None), {})
    exec("def batchnorm_backward(dout, cache):\n    raise NotImplementedError()\n", ns)
    with pytest.raises(NotImplementedError):  # neither written: "not attempted"
        protocols.run("batchnorm_forward_then_backward", ns["batchnorm_backward"], (*_inputs(), True, None), {})


def test_backward_variants_bring_their_own_forward_pass():
    """A backward variant must not replace the notebook's batchnorm_forward (its round's forward variant)."""
    library = lessons.get(LESSON).mistakes()
    for v in library.MISTAKES + library.ALTERNATIVES:
        if v.exercise != "batchnorm_backward":
            continue
        ns = {"np": np, "batchnorm_forward": "the notebook's"}
        exec(compile(v.code, v.name, "exec"), ns)
        assert ns["batchnorm_forward"] == "the notebook's", v.name
        assert callable(ns["batchnorm_backward"].__globals__["batchnorm_forward"]), v.name


def test_forward_variants_keep_the_solutions_cache():
    """Next to the solution's backward pass, a forward variant must give it the solution's cache."""
    library = lessons.get(LESSON).mistakes()
    X, g, b, rm, rv = _inputs(n=7)
    for v in library.MISTAKES + library.ALTERNATIVES:
        if v.exercise == "batchnorm_forward":
            out = v.function()(X.copy(), g, b, rm.copy(), rv.copy(), True)
            assert len(out[1]) == 3 and np.shape(out[1][0]) == X.shape, v.name


@pytest.mark.parametrize("seed", [0, 1, 2])
def test_every_run_has_the_separating_cases(seed):
    for name, ex in _exercises().items():
        cases = ex.cases(case_rng(seed, name))
        shapes = {c.args[0].shape[0] for c in cases}
        assert {1, 2} <= shapes, name
        assert any(c.args[0].dtype == np.float32 for c in cases), name
        assert any(np.any(np.ptp(c.args[0], axis=0) == 0) for c in cases), f"{name}: a constant column"
        assert any(c.group == "large" for c in cases), name
        assert any(c.kwargs.get("eps") == 1e-5 for c in cases), name
        if name == "batchnorm_forward":
            assert {c.args[5] for c in cases} == {True, False}
        for c in cases:
            protocols.run(c.protocol, ex.reference, for_reference(c.args), for_reference(c.kwargs))
