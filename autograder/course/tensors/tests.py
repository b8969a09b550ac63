"""Hidden tests of lesson 00_tensors."""
import numpy as np

from ...grading import cases as C
from ...grading.compare import Tolerance, compare_values
from ...grading.spec import Case, Exercise


def one_hot_cases(rng):
    out = []
    for n, k in [(1, 3), (int(rng.integers(5, 40)), 10), (int(rng.integers(3, 9)), 2)]:
        y = rng.integers(0, k, size=n)
        out.append(Case((y, k), f"{n} integer labels and {k} classes"))
    y = rng.integers(0, 3, size=6)
    out.append(Case((y, 7), "labels that do not use every class"))
    out.append(Case((y.astype(np.int32), 3), "int32 labels"))
    out.append(Case((y.reshape(-1, 1), 7), "labels as a column of shape (N, 1), which to_categorical accepts"))
    return out


NAMES = ("X_std", "mean", "std")
TOL = Tolerance()


def _standardize_check(got, expected, case, results):
    """The std may be returned as computed (0) or as used (1) in a constant column."""
    problem = compare_values(got, expected, TOL, case.float32, names=NAMES)
    if problem is None or not (isinstance(got, (tuple, list)) and len(got) == 3):
        return problem
    std_as_used = np.where(expected[2] < 1e-12, 1.0, expected[2])
    return compare_values(got, (expected[0], expected[1], std_as_used),
                          TOL, case.float32, names=NAMES)




def standardize_cases(rng):
    out = []
    for n, d in C.batch_shapes(rng)[1:]:
        X = C.array(rng, (n, d), 5.0) + rng.uniform(-50, 50, size=d)
        out.append(Case((X,), f"a float64 batch of shape ({n}, {d})"))
    X = C.array(rng, (9, 4), 2.0) * 1e3
    X[:, 2] = 7.0
    out.append(Case((X,), "a batch with a constant column", check=_standardize_check))
    train, test = C.array(rng, (12, 3), 3.0) + 10, C.array(rng, (5, 3), 3.0) + 10
    out.append(Case((test, train.mean(axis=0), train.std(axis=0)),
                    "test data with the training mean and std given"))
    out.append(Case((C.array(rng, (6, 5), 4.0, np.float32) + 3,), "a float32 batch"))
    X = np.repeat(C.array(rng, (1, 4)), 5, axis=0)
    out.append(Case((X,), "a batch whose rows are all equal", check=_standardize_check))
    return out


def flatten_cases(rng):
    out = []
    for shape, label in [((1, 28, 28), "a single 28x28 image"),
                         ((int(rng.integers(2, 9)), 5, 7), "a batch of 5x7 images"),
                         ((3, 4, 6, 3), "a batch of colour (H, W, 3) images"),
                         ((2, 3, 1), "a batch of 3x1 images")]:
        out.append(Case((rng.integers(0, 256, size=shape).astype(np.uint8),), label + " (uint8)"))
    out.append(Case((C.array(rng, (4, 2, 3, 2, 2)),), "a 5-D float64 tensor (a batch of videos)"))
    return out


def _dense(rng, n, d_in, d_out, label, dtype=np.float64):
    X = C.array(rng, (n, d_in), 1.0, dtype)
    W = C.array(rng, (d_in, d_out), 1 / np.sqrt(d_in), dtype)
    b = C.array(rng, (d_out,), 1.0, dtype) + 0.5  # never all near 0: a missing bias must show
    return Case((X, W, b), label)


def dense_layer_cases(rng):
    """Every mistake of the library gives values (not only an exception) on the square case."""
    n, d_in, d_out = (int(v) for v in rng.choice(np.arange(2, 13), size=3, replace=False))
    out = [_dense(rng, 1, 5, 3, "a single sample (N = 1)"),
           _dense(rng, n, d_in, d_out, "a float64 batch with N, D_in and D_out all different"),
           _dense(rng, 7, 4, 1, "a layer with one output unit (D_out = 1)"),
           _dense(rng, 6, 1, 3, "a layer with one input feature (D_in = 1)"),
           _dense(rng, 4, 4, 4, "a square case: N = D_in = D_out"),
           _dense(rng, n, d_in, d_out, "a float32 batch", np.float32)]
    images = Case((rng.integers(0, 256, size=(3, 784)) / 255.0, C.array(rng, (784, 10), 0.05),
                   C.array(rng, (10,))), "flattened 28x28 images in [0, 1] into 10 units")
    return out + [images]


EXERCISES = [
    Exercise("one_hot", 2, one_hot_cases, require_float=True),
    Exercise("standardize", 3, standardize_cases, tolerance=TOL, returns=NAMES),
    Exercise("flatten_images", 1, flatten_cases),
    # Checked against the NumPy reference only: a Keras truth would start TensorFlow for every
    # grading of this first lesson; the same layer is compared with keras.layers.Dense in
    # lesson 04 (dense_forward).
    Exercise("dense_layer", 2, dense_layer_cases, keras=None),
]
