"""Hidden tests of lesson 01_perceptron."""
import functools
import itertools

import numpy as np

from ...grading import cases as C
from ...grading.compare import Tolerance, compare_values, describe
from ...grading.spec import Case, Exercise, rng_arg
from . import reference as ref

CORNERS = np.array([[0, 0], [0, 1], [1, 0], [1, 1]])
CORNERS_F = CORNERS.astype(np.float64)

# All 16 Boolean functions of two inputs, by their outputs on CORNERS (rows 00, 01, 10, 11).
TRUTH_TABLES = {
    "AND": (0, 0, 0, 1), "OR": (0, 1, 1, 1), "NAND": (1, 1, 1, 0), "NOR": (1, 0, 0, 0),
    "XOR": (0, 1, 1, 0), "XNOR": (1, 0, 0, 1),
    "a constant 0": (0, 0, 0, 0), "a constant 1": (1, 1, 1, 1),
    "x1": (0, 0, 1, 1), "x2": (0, 1, 0, 1), "NOT x1": (1, 1, 0, 0), "NOT x2": (1, 0, 1, 0),
    "x1 AND NOT x2": (0, 0, 1, 0), "x2 AND NOT x1": (0, 1, 0, 0),
    "x1 OR NOT x2": (1, 0, 1, 1), "x2 OR NOT x1": (1, 1, 0, 1),
}
COMPLEMENT = {"AND": "NAND", "NAND": "AND", "OR": "NOR", "NOR": "OR", "XOR": "XNOR", "XNOR": "XOR"}


def _table_name(out) -> str:
    key = tuple(int(v) for v in np.asarray(out).ravel())
    return next(name for name, table in TRUTH_TABLES.items() if table == key)


def _corner(i) -> str:
    return f"({CORNERS[i, 0]}, {CORNERS[i, 1]})"


# --- step ----------------------------------------------------------------------------------

def step_cases(rng):
    out = [Case((z,), label, group=group) for z, label, group in C.elementwise_inputs(rng)]
    z = C.array(rng, (int(rng.integers(3, 12)), 4), 2.0)
    z[rng.random(z.shape) < 0.3] = 0.0
    z[0, 0] = 0.0
    out.append(Case((z,), "a float64 batch containing exact zeros", group="edge"))
    k = rng.integers(-3, 4, size=int(rng.integers(5, 20)))
    k[0] = 0
    out.append(Case((k,), "an integer array that contains zeros", group="edge"))
    out.append(Case((np.array(0.0),), "a 0-d array (a single number) at the threshold", group="edge"))
    return out


# --- mcculloch_pitts -----------------------------------------------------------------------

def _table(n):
    return np.array(list(itertools.product([0, 1], repeat=n)), dtype=np.int64)


def mcculloch_pitts_cases(rng):
    out = [Case((_table(3), 2), "all 8 rows of 3 inputs, no inhibitory input")]
    inh = int(rng.integers(0, 4))
    out.append(Case((_table(4), 2), "all 16 rows of 4 inputs, one inhibitory input",
                    kwargs={"inhibitory": (inh,)}))
    pair = sorted(int(i) for i in rng.choice(4, size=2, replace=False))
    out.append(Case((_table(4), 1), "all 16 rows of 4 inputs, two inhibitory inputs given as a list",
                    kwargs={"inhibitory": pair}))
    out.append(Case((_table(3), 0), "all 8 rows of 3 inputs, threshold 0, one inhibitory input",
                    kwargs={"inhibitory": (int(rng.integers(0, 3)),)}))
    n = int(rng.integers(10, 30))
    x = rng.integers(0, 2, size=(n, 6))
    trio = tuple(int(i) for i in rng.choice(6, size=3, replace=False))
    out.append(Case((x, int(rng.integers(1, 3))), f"{n} random rows of 6 inputs, three inhibitory",
                    kwargs={"inhibitory": trio}))
    x = rng.integers(0, 2, size=(n, 5)).astype(np.float64)
    out.append(Case((x, int(rng.integers(1, 4))), f"{n} random rows of 5 inputs as floats (0.0 and 1.0), "
                    "one inhibitory", kwargs={"inhibitory": (int(rng.integers(0, 5)),)}))
    x = rng.integers(0, 2, size=(1, 4))
    out.append(Case((x, 1), "a single row of 4 inputs, no inhibitory input"))
    x = rng.integers(0, 2, size=(n, 3))
    out.append(Case((x, 3), f"{n} random rows of 3 inputs, a threshold the other inputs cannot reach",
                    kwargs={"inhibitory": (int(rng.integers(0, 3)),)}))
    return out


# --- gate_weights --------------------------------------------------------------------------

def _gate_check(got, expected, case, results):
    gate = case.args[0]
    if not isinstance(got, (tuple, list)) or len(got) != 2:
        return f"returned {describe(got)}; expected a tuple (w, b)"
    w, b = got
    try:
        w = np.asarray(w, dtype=np.float64)
        b = np.asarray(b, dtype=np.float64)
    except (TypeError, ValueError):
        return "w and b must be numbers: w an array of shape (2,), b a single number"
    if w.shape != (2,):
        hint = ("; keep the bias out of w and return it separately as b" if w.size == 3 else "")
        return f"w has shape {w.shape}; expected (2,), one weight per input{hint}"
    if b.size != 1:
        return f"b has shape {b.shape}; expected a single number"
    if not (np.all(np.isfinite(w)) and np.isfinite(b).all()):
        return "w or b is not finite"
    z = CORNERS_F @ w + b.reshape(())
    out = ref.step(z)
    want = np.array(TRUTH_TABLES[gate], dtype=np.float64)
    if np.array_equal(out, want):
        return None
    name = _table_name(out)
    msg = f"step(X @ w + b) computes {name} instead of {gate}"
    wrong = np.flatnonzero(out != want)
    ties = [i for i in wrong if z[i] == 0]
    if COMPLEMENT.get(gate) == name:
        msg += (f": {gate} is the complement (NOT) of {name}, and a step unit is complemented by "
                "negating both w and b")
    elif ties:
        msg += (f": for the input {_corner(ties[0])}, X @ w + b is exactly 0 and step(0) = 1; "
                "move the threshold so that no corner lies on the line")
    elif name.startswith("a constant"):
        msg += ": check the sign of b; b is minus the threshold (the unit fires when w . x >= -b)"
    else:
        msg += "; it is wrong for the input" + ("s " if len(wrong) > 1 else " ") + ", ".join(
            _corner(i) for i in wrong)
    return msg


def gate_weights_cases(rng):
    return [Case((gate,), f'the gate "{gate}"', check=_gate_check) for gate in ("AND", "OR", "NAND", "NOR")]


# --- perceptron_predict --------------------------------------------------------------------

def perceptron_predict_cases(rng):
    out = []
    for n, d in C.batch_shapes(rng):
        X = C.array(rng, (n, d), 2.0)
        out.append(Case((X, C.array(rng, (d,)), float(rng.normal())), f"a float64 batch of shape ({n}, {d})"))
    n = int(rng.integers(4, 9))
    out.append(Case((C.array(rng, (n, n), 2.0), C.array(rng, (n,)), float(rng.normal())),
                    f"a square float64 batch of shape ({n}, {n})"))
    X = rng.integers(-2, 3, size=(12, 3)).astype(np.float64)
    w = rng.integers(1, 3, size=3).astype(np.float64)
    X[0] = rng.integers(1, 3, size=3)
    X[3:6] = X[0]
    b = -float(X[0] @ w)  # rows 0 and 3 to 5 score exactly 0; b <= -3
    out.append(Case((X, w, b), "points lying exactly on the decision boundary", group="edge"))
    X = C.array(rng, (9, 4), 2.0, np.float32)
    out.append(Case((X, C.array(rng, (4,), 1.0, np.float32), float(rng.normal())), "a float32 batch",
                    group="float32"))
    out.append(Case((CORNERS, np.array([1.0, 1.0]), -1.5), "the four corners of the unit square (integers) "
                    "with AND weights"))
    return out


# --- perceptron_fit ------------------------------------------------------------------------

FIT_NAMES = ("w", "b", "errors_per_epoch")
FIT_TOL = Tolerance(rtol=1e-9, atol=1e-12, rtol32=1e-6, atol32=1e-8)
RANDOM_MSG = ("two calls with the same arguments and rng=None returned different results: without "
              "an rng the function must be deterministic (start from zero weights, visit the samples "
              "in order, draw no random numbers)")
INTS_MSG = ("errors_per_epoch should hold ints (the number of misclassified samples in each epoch), "
            "not floats: convert each count with int()")
FRESH_MSG = ("on XOR data the error count settles at 4 in every epoch, which is what happens when the "
             "samples are visited in the same order in every epoch: when rng is given, draw a fresh "
             "permutation (rng.permutation) at the start of every epoch")
STUCK_MSG = ("on XOR data the error count settles at 4 in every epoch, and without an rng the results "
             "differ from the Rosenblatt rule's too: check the update first (change w and b only for a "
             "misclassified sample, by lr * (y - y_hat) * x and lr * (y - y_hat))")
PAIRED_MSG = "index X and y with the same permutation"
XOR_Y = np.array([0, 1, 1, 0])


def _is_int(v) -> bool:
    """A Python int, or a NumPy integer (which crosses the wire as an array of size 1)."""
    if isinstance(v, bool):
        return False
    if isinstance(v, (int, np.integer)):
        return True
    return isinstance(v, np.ndarray) and v.size == 1 and v.dtype.kind in "iu"


def _as_int(v) -> int:
    return int(np.asarray(v).reshape(()))


def _fit_structure(got, d):
    """The returned (w, b, errors_per_epoch) has the right kinds and shapes."""
    if not isinstance(got, (tuple, list)) or len(got) != 3:
        return f"returned {describe(got)}; expected a tuple (w, b, errors_per_epoch)"
    w, b, errors = got
    if not isinstance(errors, (list, tuple)):
        return f"errors_per_epoch is {describe(errors)}; expected a list of ints, one per epoch"
    if not all(_is_int(e) for e in errors):
        return INTS_MSG
    if not isinstance(w, np.ndarray) or w.shape != (d,):
        what = f"has shape {w.shape}" if isinstance(w, np.ndarray) else f"is {describe(w)}"
        return f"w {what}; expected an array of shape ({d},), one weight per feature (the bias goes in b)"
    if isinstance(b, (tuple, list, dict, str)) or b is None or np.asarray(b).size != 1:
        return f"b is {describe(b)}; expected a single number"
    if not (np.all(np.isfinite(np.asarray(w, dtype=np.float64)))
            and np.isfinite(np.asarray(b, dtype=np.float64)).all()):
        return "w or b is not finite"
    return None


def _fit_check(got, expected, case, results):
    """Deterministic (rng=None): exactly the reference's run; twins must agree with each other."""
    problem = _fit_structure(got, case.args[0].shape[1])
    if problem:
        return problem
    twin = {"twin-a": "twin-b", "twin-b": "twin-a"}.get(case.id)
    if twin in results and compare_values(got, results[twin], Tolerance(0, 0, 0, 0), False) is not None:
        return RANDOM_MSG
    return compare_values(got, expected, FIT_TOL, case.float32, names=FIT_NAMES)


def _misclassified(X, y, w, b) -> int:
    pred = ref.perceptron_predict(np.asarray(X, dtype=np.float64), np.asarray(w, dtype=np.float64),
                                  float(np.asarray(b, dtype=np.float64).reshape(())))
    return int(np.sum(pred != y))


def _fit_separable_check(got, expected, case, results, twin=None):
    """With an rng: properties only. The data are separable and epochs exceeds the
    convergence theorem's bound on the number of updates, so any visiting order converges.
    ``twin`` is (id, X, y, kwargs) of a deterministic case on separable data, to tell a broken
    shuffle from a broken update rule: the shuffle is blamed only when that run is exactly right."""
    X, y = case.args
    epochs = case.kwargs["epochs"]
    problem = _fit_structure(got, X.shape[1])
    if problem:
        return problem
    w, b, errors = got
    errors = [_as_int(e) for e in errors]
    if not errors:
        return "errors_per_epoch is empty: at least one epoch must run"
    if len(errors) > epochs:
        return f"ran {len(errors)} epochs, more than epochs={epochs}"
    if 0 in errors[:-1]:
        return ("errors_per_epoch goes on after an epoch with no error: stop after the first "
                "error-free epoch (its 0 is the last entry)")
    wrong = _misclassified(X, y, w, b)
    if errors[-1] != 0:
        if wrong == 0 and len(errors) < epochs:
            return ("the training stopped without recording the error-free epoch: append its 0 to "
                    "errors_per_epoch, then stop")
        msg = ("with an rng, the errors never reached 0 on linearly separable data, although epochs "
               "is large enough for the perceptron to converge in any visiting order")
        if _rule_is_right(results, twin):
            msg += (f"; without an rng it converges, so look at the shuffling: {PAIRED_MSG} "
                    "so that each sample keeps its label")
        return msg
    if wrong:
        return (f"the last epoch had no error, yet the returned w and b misclassify {wrong} of "
                f"{len(y)} training samples: return the weights as they are at the end")
    return None


def _rule_is_right(results, twin) -> bool:
    """The student's deterministic run ``twin`` = (id, X, y, kwargs) is the reference's."""
    if twin is None or twin[0] not in results:
        return False
    want = ref.perceptron_fit(twin[1], twin[2], **twin[3])
    return compare_values(results[twin[0]], want, FIT_TOL, False, names=FIT_NAMES) is None


def _fit_xor_check(got, expected, case, results, twin=None):
    """With an rng on XOR: every epoch has an error (no line separates XOR), all epochs run,
    and the order changes from epoch to epoch. ``twin`` (see :func:`_rule_is_right`) tells a
    missing reshuffle from a wrong update rule, which can also give 4 errors in every epoch."""
    X, _ = case.args
    epochs = case.kwargs["epochs"]
    problem = _fit_structure(got, X.shape[1])
    if problem:
        return problem
    errors = [_as_int(e) for e in got[2]]
    if any(e <= 0 for e in errors):
        return ("errors_per_epoch has an epoch without error on XOR data, which no line separates: "
                "count the samples misclassified (the updates made) during each epoch")
    if len(errors) != epochs:
        return (f"errors_per_epoch has {len(errors)} entries; on XOR data every epoch has an error, "
                f"so exactly epochs={epochs} epochs must run")
    if epochs >= 12 and all(e == 4 for e in errors[3:]):
        return FRESH_MSG if _rule_is_right(results, twin) else STUCK_MSG
    return None


def _separable(rng, n, d, integer=False, margin=0.3):
    """n points with labels from a random hyperplane, none closer to it than ``margin``
    (measured with the bias trick's augmented, normalised weights), and the number of
    updates the convergence theorem allows: (R / margin)**2."""
    while True:
        wb = rng.standard_normal(d + 1)
        wb[-1] *= 0.5
        wb /= np.linalg.norm(wb)
        pts = []
        while len(pts) < n:
            x = rng.integers(-4, 5, size=d).astype(np.float64) if integer else rng.uniform(-3, 3, size=d)
            if abs(x @ wb[:-1] + wb[-1]) >= margin:
                pts.append(x)
        X = np.array(pts)
        y = (X @ wb[:-1] + wb[-1] >= 0).astype(np.int64)
        if 0 < y.sum() < n:
            break
    R = np.sqrt(np.max(np.sum(X ** 2, axis=1)) + 1.0)
    return X, y, int(np.ceil((R / margin) ** 2)) + 1


def perceptron_fit_cases(rng):
    out = []
    X, y, bound = _separable(rng, int(rng.integers(15, 30)), 2)
    for cid, label in [("twin-a", "a separable 2-D float64 dataset, lr=0.1"),
                       ("twin-b", "the same call again (the result must be the same)")]:
        out.append(Case((X, y), label, kwargs={"lr": 0.1, "epochs": bound}, check=_fit_check, id=cid))
    gate = ["AND", "OR", "NAND", "NOR"][int(rng.integers(0, 4))]
    order = rng.permutation(4)
    out.append(Case((CORNERS_F[order], np.array(TRUTH_TABLES[gate])[order]),
                    "the four corners of the unit square labelled by a logic gate, default lr and epochs",
                    check=_fit_check, id="gate"))
    Xi, yi, bound_i = _separable(rng, int(rng.integers(10, 25)), 2, integer=True)
    out.append(Case((Xi.astype(np.int64), yi), "a separable dataset of integer features (int64), lr=1",
                    kwargs={"lr": 1.0, "epochs": bound_i}, check=_fit_check, id="int"))
    out.append(Case((Xi.astype(np.int64), yi), "a separable dataset of integer features (int64), lr=0.5",
                    kwargs={"lr": 0.5, "epochs": bound_i}, check=_fit_check, id="int-half"))
    needed = len(ref.perceptron_fit(Xi, yi, epochs=bound_i)[2])
    if needed >= 2:
        out.append(Case((Xi, yi.astype(np.float64)), "an epoch budget too small to reach an error-free epoch",
                        kwargs={"epochs": needed - 1}, check=_fit_check, id="budget"))
    X5, y5, bound5 = _separable(rng, 2 * int(rng.integers(8, 15)) + 1, 5, margin=0.5)
    out.append(Case((X5, y5), f"a separable 5-D float64 dataset of {len(y5)} samples, lr=0.01",
                    kwargs={"lr": 0.01, "epochs": bound5}, check=_fit_check, id="5d"))
    x1 = C.array(rng, (1, 3))
    out.append(Case((x1, np.array([0])), "a single sample of class 0", check=_fit_check, id="one"))
    out.append(Case((Xi.astype(np.float32), yi), "a float32 dataset of small integers",
                    kwargs={"epochs": bound_i}, check=_fit_check, id="f32"))
    out.append(Case((CORNERS_F, XOR_Y), "XOR data (not separable), a few epochs",
                    kwargs={"epochs": int(rng.integers(3, 10))}, check=_fit_check, id="xor"))
    # With an rng: judged by properties, whatever the order of the random draws.
    twin = ("twin-a", X, y, {"lr": 0.1, "epochs": bound})
    Xs, ys, bound_s = _separable(rng, int(rng.integers(20, 40)), 2)
    for k in range(2):
        out.append(Case((Xs, ys), "a separable 2-D dataset with an rng (shuffled epochs)",
                        kwargs={"epochs": bound_s, "rng": rng_arg(int(rng.integers(2**31)))},
                        check=functools.partial(_fit_separable_check, twin=twin),
                        id=f"rng-sep-{k}", stochastic=True))
    out.append(Case((CORNERS_F, XOR_Y), "XOR data with an rng, 20 epochs",
                    kwargs={"epochs": 20, "rng": rng_arg(int(rng.integers(2**31)))},
                    check=functools.partial(_fit_xor_check, twin=twin), id="rng-xor", stochastic=True))
    out.append(Case((CORNERS_F, XOR_Y), "XOR data with an rng, a few epochs, lr=0.5",
                    kwargs={"lr": 0.5, "epochs": int(rng.integers(3, 9)),
                            "rng": rng_arg(int(rng.integers(2**31)))},
                    check=functools.partial(_fit_xor_check, twin=twin), id="rng-xor-short", stochastic=True))
    return out


# --- xor_network ---------------------------------------------------------------------------

XOR_HINTS = {
    "OR": ("(1, 1) must give 0, so the output unit needs a negative weight from a hidden unit that "
           "detects (1, 1), such as an AND unit"),
    "AND": "(0, 1) and (1, 0) must give 1: lower the output unit's threshold or change its hidden units",
    "XNOR": ("that is the complement of XOR: negate the output unit's weights and bias, keeping its "
             "pre-activation away from 0"),
}


def _xor_check(got, expected, case, results):
    if not isinstance(got, dict):
        return f"returned {describe(got)}; expected a dict with the keys W1, b1, W2, b2"
    missing = [k for k in ("W1", "b1", "W2", "b2") if k not in got]
    if missing:
        return f"the returned dict lacks the keys {missing}"
    try:
        W1, b1, W2, b2 = (np.asarray(got[k], dtype=np.float64) for k in ("W1", "b1", "W2", "b2"))
    except (TypeError, ValueError):
        return "W1, b1, W2 and b2 must be arrays of numbers"
    shape_msg = ("the shapes do not fit: W1 must be (2, H), b1 (H,), W2 (H,) or (H, 1), and b2 a single "
                 f"number; got W1 {W1.shape}, b1 {b1.shape}, W2 {W2.shape}, b2 {b2.shape}")
    if W1.ndim != 2 or W1.shape[0] != 2 or b1.shape not in ((W1.shape[1],), (1, W1.shape[1])) \
            or W2.shape not in ((W1.shape[1],), (W1.shape[1], 1)) or b2.size != 1:
        return shape_msg
    if not all(np.all(np.isfinite(a)) for a in (W1, b1, W2, b2)):
        return "some weights are not finite"
    z1 = CORNERS_F @ W1 + b1.reshape(-1)
    h = ref.step(z1)
    z2 = (h @ W2.reshape(-1)) + b2.reshape(())
    out = ref.step(z2)
    want = np.array(TRUTH_TABLES["XOR"], dtype=np.float64)
    if np.array_equal(out, want):
        return None
    name = _table_name(out)
    msg = f"step(step(X @ W1 + b1) @ W2 + b2) computes {name} instead of XOR"
    if name in XOR_HINTS:
        msg += ": " + XOR_HINTS[name]
    elif name.startswith("a constant"):
        msg += ": the output is the same for every input"
    ties = [(i, "hidden") for i in range(4) if np.any(z1[i] == 0)] + [(i, "output") for i in range(4) if z2[i] == 0]
    if ties:
        i, where = ties[0]
        msg += (f" (for the input {_corner(i)} a {where} pre-activation is exactly 0, and step(0) = 1: "
                "keep every pre-activation away from 0)")
    return msg


def xor_network_cases(rng):
    return [Case((), "the network's output on the four inputs (0, 0), (0, 1), (1, 0), (1, 1)", check=_xor_check)]


EXERCISES = [
    Exercise("step", 1, step_cases, require_float=True),
    Exercise("mcculloch_pitts", 2, mcculloch_pitts_cases),
    Exercise("gate_weights", 2, gate_weights_cases, returns=("w", "b")),
    Exercise("perceptron_predict", 1, perceptron_predict_cases),
    Exercise("perceptron_fit", 3, perceptron_fit_cases, returns=FIT_NAMES),
    Exercise("xor_network", 2, xor_network_cases),
]
