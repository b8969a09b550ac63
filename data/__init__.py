"""Course datasets: offline set-up into the Keras cache, and NumPy loaders.

The files live where Keras looks for them (``$KERAS_HOME/datasets``, default
``~/.keras/datasets``), so ``keras.datasets.fashion_mnist.load_data()`` works offline too.
The loaders here read the same files with NumPy alone (no TensorFlow import).
"""
from __future__ import annotations

import gzip
import hashlib
import json
import os
import shutil
from pathlib import Path

import numpy as np

MANIFEST = json.loads((Path(__file__).with_name("manifest.json")).read_text())
FASHION_CLASSES = ("T-shirt/top", "Trouser", "Pullover", "Dress", "Coat",
                   "Sandal", "Shirt", "Sneaker", "Bag", "Ankle boot")


class DataMissing(RuntimeError):
    """A dataset file is absent or damaged; the message says how to get it."""


def keras_datasets_dir() -> Path:
    return Path(os.environ.get("KERAS_HOME", Path.home() / ".keras")) / "datasets"


def default_mirror() -> Path:
    return Path(os.environ.get("COURSE_DATA_MIRROR",
                               Path(__file__).resolve().parent.parent.parent / "shared" / "data"))


def sha256(path: Path) -> str:
    h = hashlib.sha256()
    with open(path, "rb") as f:
        for block in iter(lambda: f.read(1 << 20), b""):
            h.update(block)
    return h.hexdigest()


def setup(mirror: Path | None = None, log=print) -> list[str]:
    """Copy missing or damaged files from the mirror into the Keras cache; return problems."""
    mirror = default_mirror() if mirror is None else Path(mirror)
    problems = []
    for name, entry in MANIFEST.items():
        target = keras_datasets_dir() / entry["cache_dir"]
        for fname, digest in entry["files"].items():
            dest = target / fname
            if dest.exists() and sha256(dest) == digest:
                continue
            src = mirror / entry["mirror"] / fname
            if not src.exists():
                problems.append(f"{name}/{fname} is missing: not in the Keras cache ({target}) nor in "
                                f"the mirror ({src.parent}). To get it: {entry['how_to_get']}.")
                continue
            if sha256(src) != digest:
                problems.append(f"{name}/{fname} in the mirror {src} has the wrong checksum")
                continue
            target.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(src, dest)
            log(f"copied {name}/{fname} into {target}")
    return problems


def _path(dataset: str, fname: str) -> Path:
    entry = MANIFEST[dataset]
    path = keras_datasets_dir() / entry["cache_dir"] / fname
    if not path.exists():
        raise DataMissing(f"{path} not found. Run `course data setup` (or ./run.sh setup) to copy "
                          f"it from the offline mirror, or: {entry['how_to_get']}.")
    return path


def _idx(path: Path) -> np.ndarray:
    with gzip.open(path, "rb") as f:
        raw = f.read()
    ndim = raw[3]
    shape = tuple(int.from_bytes(raw[4 + 4 * i: 8 + 4 * i], "big") for i in range(ndim))
    return np.frombuffer(raw, dtype=np.uint8, offset=4 + 4 * ndim).reshape(shape)


def load_fashion_mnist():
    """((x_train, y_train), (x_test, y_test)) as uint8 arrays, like Keras' loader."""
    get = lambda f: _idx(_path("fashion-mnist", f))  # noqa: E731
    return ((get("train-images-idx3-ubyte.gz"), get("train-labels-idx1-ubyte.gz")),
            (get("t10k-images-idx3-ubyte.gz"), get("t10k-labels-idx1-ubyte.gz")))


def housing_csv_path() -> Path:
    return _path("california-housing", "housing.csv")


def make_moons(n_samples: int = 200, noise: float = 0.1, rng: np.random.Generator | None = None):
    """Two interleaving half circles, ``(X (n, 2) float64, y (n,) int64 of 0/1)``.

    The same construction as scikit-learn's ``make_moons`` (which NumPy lessons may not import),
    with the randomness taken from ``rng``.
    """
    rng = np.random.default_rng(0) if rng is None else rng
    n_out = n_samples // 2
    n_in = n_samples - n_out
    t_out, t_in = np.linspace(0, np.pi, n_out), np.linspace(0, np.pi, n_in)
    X = np.vstack([np.column_stack([np.cos(t_out), np.sin(t_out)]),
                   np.column_stack([1 - np.cos(t_in), 1 - np.sin(t_in) - 0.5])])
    y = np.concatenate([np.zeros(n_out, dtype=np.int64), np.ones(n_in, dtype=np.int64)])
    X = X + rng.normal(scale=noise, size=X.shape)
    order = rng.permutation(n_samples)
    return X[order], y[order]
