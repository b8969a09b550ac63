"""Keras/TensorFlow ground truth, computed in a long-lived worker process.

TensorFlow takes about 10 s to import, so it is imported once per grading process, in a
separate (trusted) process that works while the student's kernel runs. Both sides are
our own code, so the arguments travel by the standard multiprocessing channel.

In a batch, the values are also shared between grading processes through a folder of the
grading run (:func:`submit` with ``share``): the first process that needs an exercise's values
claims them, computes them and writes them there; the others wait for the file and never import
TensorFlow. On a cluster the folder is on the shared file system, so a run computes each
exercise's Keras values once in all.
"""
from __future__ import annotations

import importlib
import json
import multiprocessing as mp
import os
import sys
import threading
import time
from concurrent.futures import Future, ProcessPoolExecutor
from pathlib import Path

import numpy as np

from ..sandbox import wire

SHARE_WAIT = 120.0  # seconds to wait for another process's values before computing them here

_pool: ProcessPoolExecutor | None = None


# Optional integrations that TensorFlow and Keras import when installed (keras.wrappers pulls
# scikit-learn and SciPy, TensorFlow's utilities matplotlib and pandas): a third of the import's
# CPU, and the ground truth never uses them through TensorFlow.
OPTIONAL_INTEGRATIONS = ("sklearn", "scipy", "matplotlib", "pandas")


def _init_worker() -> None:
    os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")
    os.environ.setdefault("KERAS_BACKEND", "tensorflow")
    import_tensorflow()


def import_tensorflow() -> None:
    """Imports TensorFlow and Keras with :data:`OPTIONAL_INTEGRATIONS` hidden during the import.

    They stay importable afterwards (a ground truth that needs SciPy imports it itself).
    TensorFlow then runs its operations on one thread: the ground truth's arrays and models are
    small, and its thread pools' waiting costs CPU, the more so when several grading processes
    share the cores (``benchmarks/batch_grading.py``).
    """
    hidden = [name for name in OPTIONAL_INTEGRATIONS if name not in sys.modules]
    for name in hidden:
        sys.modules[name] = None  # `import name` raises ImportError, which TensorFlow and Keras expect
    try:
        import keras  # noqa: F401
        import tensorflow as tf
    finally:
        for name in hidden:
            if sys.modules.get(name, 0) is None:
                del sys.modules[name]
    try:
        tf.config.threading.set_intra_op_parallelism_threads(1)
        tf.config.threading.set_inter_op_parallelism_threads(1)
    except RuntimeError:  # TensorFlow already ran an operation in this process: it keeps its pools
        pass


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
        if mp.current_process().daemon:
            raise RuntimeError("this grading worker is a daemonic process, which cannot start the TensorFlow "
                               "process of the Keras ground truth: start Dask workers with "
                               "DASK_DISTRIBUTED__WORKER__DAEMON=False (see README)")
        _pool = ProcessPoolExecutor(1, mp_context=mp.get_context("spawn"), initializer=_init_worker)
        # A grading worker is itself a multiprocessing child: it joins its children when it
        # exits, before atexit handlers run, so the pool must be shut down by a finalizer.
        from multiprocessing import util
        util.Finalize(None, shutdown, exitpriority=10)
    return _pool


def submit(truth, calls: list[tuple[tuple, dict]], share: Path | None = None, key: str = "") -> Future:
    """Evaluate a :class:`~autograder.grading.spec.KerasTruth` function on every call.

    With ``share`` (a folder of the grading run) and ``key`` (what the calls are, e.g. the
    exercise's name; the run fixes the seed), the values are computed by one process only.
    """
    def compute() -> Future:
        return pool().submit(_evaluate, truth.module, truth.function, calls)
    return compute() if share is None else _shared(Path(share), key, compute)


def _shared(folder: Path, key: str, compute) -> Future:
    folder.mkdir(parents=True, exist_ok=True)
    result, claim = folder / f"{key}.npz", folder / f"{key}.claim"
    if result.exists():
        return _done(_read(result))
    try:
        os.close(os.open(claim, os.O_CREAT | os.O_EXCL | os.O_WRONLY))
    except FileExistsError:  # another process computes them: wait for its file
        out: Future = Future()

        def wait() -> None:
            deadline = time.monotonic() + SHARE_WAIT
            while time.monotonic() < deadline and claim.exists() and not result.exists():
                time.sleep(0.1)
            try:
                out.set_result(_read(result) if result.exists() else compute().result())
            except Exception as exc:
                out.set_exception(exc)
        threading.Thread(target=wait, daemon=True).start()
        return out

    future = compute()

    def publish(f: Future) -> None:
        try:
            if f.exception() is None:
                _write(result, f.result())
        except (OSError, wire.Unsupported):
            pass  # not shared: the waiting processes compute the values themselves
        finally:
            claim.unlink(missing_ok=True)  # a failed claim lets the waiting processes compute
    future.add_done_callback(publish)
    return future


def _done(value) -> Future:
    f: Future = Future()
    f.set_result(value)
    return f


def _write(path: Path, values: list) -> None:
    """Values as plain data (wire format, no pickle) in one .npz, replaced atomically."""
    enc = wire.Encoder(keep_scalars=True)
    entries = [{"error": str(v)} if isinstance(v, Exception) else {"value": enc.encode(v)} for v in values]
    tmp = path.with_name(f".{path.stem}-{os.getpid()}.npz")
    np.savez(tmp, __tree__=np.array(json.dumps(entries)), **enc.arrays)
    os.replace(tmp, path)


def _read(path: Path) -> list:
    with np.load(path, allow_pickle=False) as z:
        arrays = {k: z[k] for k in z.files}
    entries = json.loads(str(arrays.pop("__tree__")))
    return [RuntimeError(e["error"]) if "error" in e else wire.decode(e["value"], arrays) for e in entries]


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
