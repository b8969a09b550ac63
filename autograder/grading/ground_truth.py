"""Keras/TensorFlow ground truth, computed in a long-lived worker process.

TensorFlow takes about 10 s to import, so it is imported once per grading run, in a
separate (trusted) process that works while the student's kernel runs. Both sides are
our own code, so the arguments travel by the standard multiprocessing channel.
"""
from __future__ import annotations

import importlib
import multiprocessing as mp
import os
from concurrent.futures import Future, ProcessPoolExecutor

_pool: ProcessPoolExecutor | None = None


def _init_worker() -> None:
    os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")
    os.environ.setdefault("KERAS_BACKEND", "tensorflow")


def _evaluate(module: str, function: str, calls: list[tuple[tuple, dict]]) -> list:
    fn = getattr(importlib.import_module(module), function)
    out = []
    for args, kwargs in calls:
        try:
            out.append(fn(*args, **kwargs))
        except Exception as exc:  # a ground-truth failure is reported, never silently passed
            out.append(RuntimeError(f"{type(exc).__name__}: {exc}"))
    return out


def pool() -> ProcessPoolExecutor:
    global _pool
    if _pool is None:
        _pool = ProcessPoolExecutor(1, mp_context=mp.get_context("spawn"), initializer=_init_worker)
        # A grading worker is itself a multiprocessing child: it joins its children when it
        # exits, before atexit handlers run, so the pool must be shut down by a finalizer.
        from multiprocessing import util
        util.Finalize(None, shutdown, exitpriority=10)
    return _pool


def submit(truth, calls: list[tuple[tuple, dict]]) -> Future:
    """Evaluate a :class:`~autograder.grading.spec.KerasTruth` function on every call."""
    return pool().submit(_evaluate, truth.module, truth.function, calls)


def shutdown() -> None:
    """End the worker now: it holds no state worth waiting for (and a clean join can hang
    when this runs from a grading worker's exit handlers)."""
    global _pool
    if _pool is not None:
        processes = list((getattr(_pool, "_processes", None) or {}).values())
        _pool.shutdown(wait=False, cancel_futures=True)
        for proc in processes:
            proc.terminate()
            proc.join(timeout=5)
        _pool = None
