"""Plain-data wire format between the grader and the student's kernel.

A value is stored as JSON plus an ``.npz`` of arrays: arrays become ``{"__array__": key}``,
tuples ``{"__tuple__": [...]}``, NumPy scalars (if asked) ``{"__scalar__": key}``, non-finite
floats ``{"__float__": "nan"}``, random generators (arguments only) ``{"__rng__": seed}``.
Nothing is ever pickled: the grader reads results with ``np.load(allow_pickle=False)`` and
``json.loads``.

This module is self-contained (NumPy and the standard library only) because its source
is also executed inside the student's kernel by the harness.
"""
import json
import math

import numpy as np

MAX_ELEMENTS = 5_000_000  # a result larger than this is refused, not transported


class Unsupported(Exception):
    """A value that cannot cross as plain data (the message says what it was)."""


def _type_name(x):
    t = type(x)
    return t.__name__ if t.__module__ == "builtins" else f"{t.__module__}.{t.__name__}"


class Encoder:
    """Collects arrays while turning a value into a JSON-able tree."""

    def __init__(self, special=None, keep_scalars=False):
        self.arrays = {}
        self.special = special  # grader side: turns its own marker objects into trees
        self.keep_scalars = keep_scalars  # NumPy scalars come back as scalars, not 0-d arrays

    def _array(self, a):
        key = f"a{len(self.arrays)}"
        self.arrays[key] = a
        return {"__array__": key}

    def encode(self, x, depth=0):
        if depth > 20:
            raise Unsupported("a value nested more than 20 levels deep")
        t = type(x)
        if x is None or t is bool or t is str:
            return x
        if t is int:
            return x if abs(x) < 2**53 else float(x)
        if t is float:
            return x if math.isfinite(x) else {"__float__": repr(x)}
        if t is tuple or t is list:
            items = [self.encode(v, depth + 1) for v in x]
            return {"__tuple__": items} if t is tuple else items
        if t is dict:
            out = {}
            for k, v in x.items():
                if type(k) is not str:
                    raise Unsupported(f"a dict with a key of type {_type_name(k)}")
                out[k] = self.encode(v, depth + 1)
            return {"__dict__": out}
        if self.special is not None:
            tree = self.special(x)
            if tree is not None:
                return tree
        if isinstance(x, np.random.Generator):
            raise Unsupported("a random generator")
        if isinstance(x, (np.ndarray, np.generic)):
            # Exact plain copy: drops ndarray subclasses and any overridden methods.
            a = np.array(x, copy=True, subok=False)
            if a.dtype.kind not in "biuf":
                raise Unsupported(f"an array of dtype {a.dtype}")
            if a.size > MAX_ELEMENTS:
                raise Unsupported(f"an array with {a.size} elements")
            ref = self._array(np.array(a, copy=True, subok=False, order="C"))  # keeps 0-d as 0-d
            if self.keep_scalars and isinstance(x, np.generic):
                return {"__scalar__": ref["__array__"]}
            return ref
        raise Unsupported(f"a value of type {_type_name(x)}")


def decode(tree, arrays, rng_factory=None, func_factory=None):
    """Rebuild a value from its tree and arrays.

    Arguments only: ``rng_factory(seed)`` makes random generators, ``func_factory(source)``
    makes the grader's plain NumPy functions (``{"__func__": "lambda x: ..."}``).
    """
    again = lambda v: decode(v, arrays, rng_factory, func_factory)  # noqa: E731
    if isinstance(tree, list):
        return [again(v) for v in tree]
    if isinstance(tree, dict):
        if "__array__" in tree:
            return np.array(arrays[tree["__array__"]])
        if "__scalar__" in tree:
            return np.array(arrays[tree["__scalar__"]])[()]
        if "__tuple__" in tree:
            return tuple(again(v) for v in tree["__tuple__"])
        if "__float__" in tree:
            return float(tree["__float__"])
        if "__rng__" in tree or "__func__" in tree:
            if rng_factory is None or func_factory is None:
                raise ValueError("generators and functions only travel as arguments")
            return rng_factory(int(tree["__rng__"])) if "__rng__" in tree else func_factory(tree["__func__"])
        if "__dict__" in tree:
            return {k: again(v) for k, v in tree["__dict__"].items()}
        raise ValueError(f"unknown wire object with keys {sorted(tree)}")
    return tree


def save(path_stem, tree_obj, arrays):
    """Write ``stem.json`` and ``stem.npz``."""
    with open(path_stem + ".json", "w") as f:
        json.dump(tree_obj, f)
    np.savez(path_stem + ".npz", **arrays)


def load(path_stem):
    """Read what :func:`save` wrote, refusing pickles."""
    with open(path_stem + ".json") as f:
        tree_obj = json.load(f)
    with np.load(path_stem + ".npz", allow_pickle=False) as z:
        arrays = {k: z[k] for k in z.files}
    return tree_obj, arrays
