"""Runs inside the student's kernel: calls the student's functions on the grader's inputs.

The grader executes this file's source (after ``wire.py``'s and ``protocols.py``'s) in a private namespace in the
kernel, then asks it to run one exercise at a time. It only *calls* functions and writes
what they returned as plain data; every judgement happens in the grader's own process.
It contains no expected value, reference or test logic.
"""
import contextlib
import io
import json
import os
import time
import traceback
import warnings

import numpy as np

OUTPUT_CAP = 2000  # characters of printed output kept per call
# Floating-point trouble a correct answer never causes (underflow to 0 is harmless).
WARN_ON = {"over": "warn", "divide": "warn", "invalid": "warn", "under": "ignore"}


class _CappedText(io.TextIOBase):
    def __init__(self):
        self.parts, self.size = [], 0

    def write(self, s):
        if self.size < OUTPUT_CAP:
            self.parts.append(s[: OUTPUT_CAP - self.size])
        self.size += len(s)
        return len(s)

    def text(self):
        return "".join(self.parts)


def _describe_exception(exc, cell_prefix="<ipython-input"):
    """'ValueError: msg (line 3 of your code)' without frames of the harness."""
    line = None
    for frame in traceback.extract_tb(exc.__traceback__):
        if frame.filename.startswith(cell_prefix) or frame.filename.startswith("/tmp/ipykernel"):
            line = frame.lineno
    msg = f"{type(exc).__name__}: {exc}"[:400]
    return msg + (f" (line {line} of the cell)" if line else "")


def _rng_factory(seed):
    return np.random.default_rng(seed)


def _func_factory(source):
    """The grader's test functions (plain NumPy expressions such as ``lambda x: np.sum(x**3)``)."""
    return eval(source, {"np": np})


def run_exercise(job_dir, exercise, user_ns):
    """Run every call of one exercise; write results/<exercise>.json and .npz."""
    with open(os.path.join(job_dir, "calls.json")) as f:
        job = json.load(f)
    with np.load(os.path.join(job_dir, "calls.npz"), allow_pickle=False) as z:
        arrays = {k: z[k] for k in z.files}
    enc = Encoder()  # noqa: F821 (defined by wire.py, executed first)
    results = []
    for call in job["calls"]:
        if call["exercise"] != exercise:
            continue
        out = {"id": call["id"]}
        func = user_ns.get(call["func"])
        if not callable(func):
            out["error"] = f"NameError: function '{call['func']}' is not defined"
            results.append(out)
            continue
        args = decode(call["args"], arrays, _rng_factory, _func_factory)  # noqa: F821
        kwargs = decode(call["kwargs"], arrays, _rng_factory, _func_factory)  # noqa: F821
        printed = _CappedText()
        start = time.perf_counter()
        caught = []
        try:
            with contextlib.redirect_stdout(printed), contextlib.redirect_stderr(printed), \
                    warnings.catch_warnings(record=True) as caught, np.errstate(**WARN_ON):
                warnings.simplefilter("always")
                value = run(call.get("protocol", "call"), func, args, kwargs)  # noqa: F821 (protocols.py)
        except (Exception, SystemExit) as exc:  # KeyboardInterrupt (the grader's timeout) propagates
            out["error"] = _describe_exception(exc)
        else:
            try:
                out["value"] = enc.encode(value)
            except Unsupported as exc:  # noqa: F821
                out["error"] = f"returned {exc}, which is not plain numbers"
            except Exception as exc:
                out["error"] = f"its return value could not be read ({type(exc).__name__})"
        out["seconds"] = time.perf_counter() - start
        out["warnings"] = sorted({f"{w.category.__name__}: {w.message}"[:200] for w in caught or []})[:3]
        out["printed"] = printed.size
        # The arguments as they are after the call, so the grader can see in-place changes.
        try:
            out["args_after"] = enc.encode(tuple(a for a in args if isinstance(a, np.ndarray)))
        except Exception:
            out["args_after"] = None
        results.append(out)
    stem = os.path.join(job_dir, "results", exercise)
    save(stem, {"results": results}, enc.arrays)  # noqa: F821
    return len(results)
