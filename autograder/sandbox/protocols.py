"""How a case calls the function under test; the same code runs in the kernel and the grader.

Self-contained (NumPy only): its source is also executed inside the student's kernel, so the
student's function and the reference are driven in exactly the same way.
"""
import numpy as np


def call(func, args, kwargs):
    """One call: the value is whatever the function returns."""
    return func(*args, **kwargs)


def rule_trajectory(func, args, kwargs):
    """An update rule ``w, config = rule(w, dw, config)`` applied once per gradient.

    ``args`` is ``(w, grads, config)`` with one gradient per step along axis 0 of ``grads``;
    the value is the stack of ``w`` after every step. The rule's state stays in ``config``
    (it never leaves the kernel); a rule may update ``w`` in place.
    """
    w, grads, config = args
    steps = []
    for g in grads:
        w, config = func(w, np.array(g), config, **kwargs)
        steps.append(np.array(w, dtype=np.float64, copy=True))
    return np.stack(steps)


PROTOCOLS = {"call": call, "rule_trajectory": rule_trajectory}


def run(protocol, func, args, kwargs):
    return PROTOCOLS[protocol](func, args, kwargs)
