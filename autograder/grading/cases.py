"""Random inputs for hidden tests: the shapes, dtypes and magnitudes every suite covers."""
from __future__ import annotations

from typing import Iterator

import numpy as np


def array(rng: np.random.Generator, shape: tuple[int, ...], scale: float = 1.0,
          dtype=np.float64) -> np.ndarray:
    """Normal values times ``scale`` in the given dtype."""
    return (rng.standard_normal(shape) * scale).astype(dtype)


def batch_shapes(rng: np.random.Generator) -> list[tuple[int, int]]:
    """(N, D) batch shapes: a single row, odd sizes and a random one."""
    return [(1, 5), (7, 3), (int(rng.integers(2, 40)), int(rng.integers(1, 12)))]


def elementwise_inputs(rng: np.random.Generator, large: float = 1e4) -> Iterator[tuple[np.ndarray, str, str]]:
    """(array, label, group) for functions that take arrays of any shape."""
    yield array(rng, (int(rng.integers(5, 30)),), 3.0), "a 1-D float64 array", "basic"
    yield array(rng, (1, 7), 3.0), "a float64 batch with a single row", "basic"
    n, d = int(rng.integers(2, 20)), int(rng.integers(2, 9))
    yield array(rng, (n, d), 3.0), "a float64 batch of odd shape", "basic"
    yield array(rng, (3, 4, 5), 3.0), "a 3-D float64 array", "basic"
    yield array(rng, (n, d), 3.0, np.float32), "a float32 batch", "float32"
    yield np.array([0.0, -0.0, 1.0, -1.0]), "exact zeros and +-1", "edge"
    big = array(rng, (6, 5), large / 3)
    big.flat[:2] = [large, -large]
    yield big, f"a float64 batch with magnitudes up to {large:g}", "large"
    yield big.astype(np.float32), f"a float32 batch with magnitudes up to {large:g}", "large"
