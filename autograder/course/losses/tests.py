"""Hidden tests of lesson 03_losses.

Every loss is compared with the NumPy reference and with ``keras.losses`` (default reduction,
float64); every gradient with the reference and with ``tf.GradientTape`` of the Keras loss.
Property cases (perfect predictions, a numerical gradient, gradient rows summing to 0) are
judged by checks of their own.
"""
import numpy as np

from ...grading import cases as C
from ...grading.compare import Tolerance, compare_arrays, compare_values
from ...grading.checks import one_number
from ...grading.gradcheck import numeric_gradient_wrt
from ...grading.spec import Case, Exercise
from . import reference as ref


# Regression losses and the gradients: the default (tight) tolerance. Cross-entropies from
# probabilities: an absolute 1e-6 on top, because clipping at eps = 1e-7 lets exact
# formulations differ by a few eps (Keras' sparse version renormalizes the clipped row).
TOL = Tolerance()
CE_TOL = Tolerance(atol=1e-6)
PERFECT_BOUND = 1e-6  # a perfect prediction's loss: 0, or -log(1 - eps) ~ 1e-7 after clipping


# -- checks --------------------------------------------------------------------------------
def _as_number(got):
    """The student's loss as a float, or a problem message."""
    return one_number(got, "a loss is a single number", " (the mean over the batch)", "a finite loss")


def loss_property(tol: Tolerance):
    """A loss is one finite, non-negative number that matches the expected value."""
    def check(got, expected, case, results):
        value, problem = _as_number(got)
        if problem:
            return problem
        if value < -PERFECT_BOUND:
            return "returned a negative loss; a loss is never negative"
        return compare_values(value, expected, tol, case.float32)
    return check


def perfect_property(got, expected, case, results):
    """A perfect prediction costs (almost) nothing: 0, or the clipped minimum -log(1 - eps)."""
    value, problem = _as_number(got)
    if problem:
        return problem
    if value < -PERFECT_BOUND:
        return "returned a negative loss; a loss is never negative"
    if value > PERFECT_BOUND:
        return "a perfect prediction should cost (almost) nothing, but the loss is not close to 0"
    return None


def reference_only(tol: Tolerance):
    """Judged against the reference alone (where Keras' own convention differs slightly)."""
    def check(got, expected, case, results):
        return compare_values(got, expected, tol, case.float32)
    return check


def _bce_float32_clip(y_true, p, eps=1e-7):
    """The reference with the clipping bounds rounded to float32, as float32 arithmetic has them."""
    lo, hi = np.float32(eps), np.float32(1 - eps)
    return ref.binary_crossentropy(y_true, np.clip(np.asarray(p, np.float32), lo, hi).astype(np.float64),
                                   eps=0.0)


def bce_float32_edge(got, expected, case, results):
    """float32 probabilities at exactly 0 and 1: 1 - eps rounds to 1 - 1.19e-7 in float32,
    so computing in float32 (as Keras does on float32 tensors) and upcasting are both right."""
    problem = compare_values(got, expected, CE_TOL, case.float32)
    if problem is None:
        return None
    alt = _bce_float32_clip(*case.args, **case.kwargs)
    return problem if compare_values(got, alt, CE_TOL, case.float32) else None


def numeric_gradient_property(loss):
    """The gradient agrees with central differences of the loss (with respect to argument 1)."""
    def check(got, expected, case, results):
        numeric = numeric_gradient_wrt(loss, tuple(case.args), 1)
        shape = compare_arrays(got, numeric, Tolerance(rtol=1e-5, atol=1e-9), False)
        if shape is None:
            return None
        return "does not agree with a numerical gradient (central differences) of the mean loss: " + shape
    return check


def float32_large_logits(got, expected, case, results):
    """float32 logits of size |z| are only known to about |z| * 2**-24, and a correct float32
    formula (exp(Z - logsumexp(Z)), say) can be off by that much: widen the absolute tolerance."""
    Z = np.asarray(case.args[1], dtype=np.float64)
    atol = max(TOL.atol32, 4 * 2.0 ** -24 * float(np.max(np.abs(Z))) / Z.shape[0])
    return compare_values(got, expected, Tolerance(rtol32=TOL.rtol32, atol32=atol), True)


def rows_sum_to_zero(got, expected, case, results):
    """With targets whose rows sum to 1, each row of softmax(Z) - Y sums to 0."""
    problem = compare_values(got, expected, TOL, case.float32)
    if problem:
        return problem
    sums = np.asarray(got, dtype=np.float64).sum(axis=-1)
    if not np.allclose(sums, 0.0, atol=1e-12):
        return "the rows of the gradient should each sum to 0 (softmax rows and target rows both sum to 1)"
    return None


# -- inputs --------------------------------------------------------------------------------
def _labels(rng, shape, dtype=np.float64):
    return rng.integers(0, 2, size=shape).astype(dtype)


def _probs(rng, shape, dtype=np.float64):
    return rng.uniform(0.001, 0.999, size=shape).astype(dtype)


def _with_exact_ends(rng, p, y):
    """Probabilities at exactly 0 and 1, both right and wrong, next to ordinary ones."""
    p = p.copy()
    flat_p, flat_y = p.reshape(-1), y.reshape(-1)
    idx = rng.permutation(flat_p.size)
    k = max(1, flat_p.size // 5)
    right, wrong = idx[:k], idx[k:2 * k]
    flat_p[right] = flat_y[right]          # confident and right
    flat_p[wrong] = 1.0 - flat_y[wrong]    # confident and wrong: clipping decides the loss
    return p


def _softmax_rows(rng, n, k, scale=2.0, dtype=np.float64):
    Z = rng.standard_normal((n, k)) * scale
    E = np.exp(Z - Z.max(axis=1, keepdims=True))
    return (E / E.sum(axis=1, keepdims=True)).astype(dtype)


def _one_hot(labels, k, dtype=np.float64):
    return np.eye(k, dtype=dtype)[labels]


def _soft_targets(rng, n, k):
    return _softmax_rows(rng, n, k, scale=1.0)


def _confident_rows(rng, labels, k):
    """Rows of exact zeros and ones: right for about half the samples, wrong for the others."""
    n = len(labels)
    predicted = np.where(rng.random(n) < 0.5, labels, (labels + rng.integers(1, k, size=n)) % k)
    P = _softmax_rows(rng, n, k)
    sure = rng.random(n) < 0.8
    sure[:2] = True
    P[sure] = _one_hot(predicted[sure], k)
    return P


def regression_pairs(rng):
    """(y_true, y_pred, label) for the regression losses and mse_grad."""
    n, d = int(rng.integers(5, 30)), int(rng.integers(2, 9))
    out = []

    def pair(shape, scale=2.0, dtype=np.float64):
        y = C.array(rng, shape, 3.0)
        return y.astype(dtype), (y + C.array(rng, shape, scale)).astype(dtype)

    out.append((*pair((n,)), "1-D float64 targets and predictions"))
    out.append((*pair((1,)), "a single sample (N = 1)"))
    out.append((*pair((1, 5)), "a single sample with 5 outputs, shape (1, 5)"))
    out.append((*pair((7, 3)), "a float64 batch of odd shape (N, D)"))
    out.append((*pair((n, d)), "a float64 batch of shape (N, D)"))
    out.append((*pair((n, d), dtype=np.float32), "a float32 batch of shape (N, D)"))
    y, yp = pair((n,), scale=0.5)
    yp[:2] += np.array([60.0, -45.0])
    out.append((y, yp, "a batch with a few outliers"))
    return out


# -- cases per exercise ------------------------------------------------------------------
def mse_cases(rng):
    out = [Case((y, yp), label) for y, yp, label in regression_pairs(rng)]
    y, yp, label = regression_pairs(rng)[4]
    out.append(Case((y, yp), label + " (a loss is never negative)", check=loss_property(TOL)))
    y = C.array(rng, (6, 4), 3.0)
    out.append(Case((y, y.copy()), "a perfect prediction", check=perfect_property))
    return out


mae_cases = mse_cases


def huber_cases(rng):
    out = [Case((y, yp), label) for y, yp, label in regression_pairs(rng)]
    n, d = int(rng.integers(5, 30)), int(rng.integers(2, 9))
    for delta, label in [(0.5, "delta = 0.5"), (2.5, "delta = 2.5"), (0.1, "a small delta (0.1)")]:
        y = C.array(rng, (n, d), 3.0)
        out.append(Case((y, y + C.array(rng, (n, d), 2 * delta)), f"a float64 batch with {label}",
                        kwargs={"delta": delta}))
    y = C.array(rng, (n, d), 3.0, np.float32)
    out.append(Case((y, y + C.array(rng, (n, d), 1.0, np.float32)), "a float32 batch with delta = 0.7",
                    kwargs={"delta": 0.7}))
    y = C.array(rng, (n,), 3.0)
    out.append(Case((y, y + C.array(rng, (n,), 2.0)), "errors on both sides of delta (a loss is never negative)",
                    check=loss_property(TOL)))
    y = C.array(rng, (6, 4), 3.0)
    out.append(Case((y, y.copy()), "a perfect prediction", check=perfect_property))
    return out


def bce_cases(rng):
    n, d = int(rng.integers(5, 30)), int(rng.integers(2, 9))
    out = []
    y = _labels(rng, (n,))
    out.append(Case((y, _probs(rng, (n,))), "1-D labels of 0 and 1 and probabilities strictly between"))
    out.append(Case((_labels(rng, (1,)), _probs(rng, (1,))), "a single sample (N = 1)"))
    out.append(Case((_labels(rng, (7, 3)), _probs(rng, (7, 3))), "a multi-label batch of odd shape (N, D)"))
    out.append(Case((rng.uniform(0, 1, (n, d)), _probs(rng, (n, d))), "soft targets between 0 and 1"))
    out.append(Case((_labels(rng, (n, d), np.float32), _probs(rng, (n, d), np.float32)),
                    "a float32 multi-label batch"))
    y = _labels(rng, (n, d))
    out.append(Case((y, _with_exact_ends(rng, _probs(rng, (n, d)), y)),
                    "probabilities of exactly 0 and 1 (right and wrong)", group="edge"))
    y = _labels(rng, (n,))
    p = _with_exact_ends(rng, _probs(rng, (n,)), y)
    p[-1] = 1e-4 if y[-1] == 1 else 1 - 1e-4
    out.append(Case((y, p), "probabilities of exactly 0 and 1 with eps = 1e-3", kwargs={"eps": 1e-3},
                    group="edge"))
    y = _labels(rng, (n, d), np.float32)
    out.append(Case((y, _with_exact_ends(rng, _probs(rng, (n, d), np.float32), y)),
                    "float32 probabilities of exactly 0 and 1", check=bce_float32_edge, group="edge"))
    y = _labels(rng, (n,))
    out.append(Case((y, _probs(rng, (n,))), "1-D labels (a loss is never negative)", check=loss_property(CE_TOL)))
    y = _labels(rng, (n, d))
    out.append(Case((y, y.copy()), "a perfect prediction (probabilities equal to the labels)",
                    check=perfect_property, group="edge"))
    return out


def _large_logits(rng, shape, dtype=np.float64):
    z = C.array(rng, shape, 1e4 / 3)
    z.flat[:2] = [1e4, -1e4]
    return z.astype(dtype)


def bce_logits_inputs(rng):
    """(args, label, group) shared by the loss and its gradient."""
    n, d = int(rng.integers(5, 30)), int(rng.integers(2, 9))
    yield (_labels(rng, (n,)), C.array(rng, (n,), 3.0)), "1-D labels of 0 and 1 and moderate logits", "basic"
    yield (_labels(rng, (1,)), C.array(rng, (1,), 3.0)), "a single sample (N = 1)", "basic"
    yield (_labels(rng, (7, 3)), C.array(rng, (7, 3), 3.0)), "a multi-label batch of odd shape (N, D)", "basic"
    yield (rng.uniform(0, 1, (n, d)), C.array(rng, (n, d), 3.0)), "soft targets between 0 and 1", "basic"
    yield ((_labels(rng, (n, d), np.float32), C.array(rng, (n, d), 3.0, np.float32)),
           "a float32 multi-label batch", "float32")
    yield (np.array([0.0, 1.0, 0.0, 1.0, 1.0, 0.0]), np.array([0.0, 0.0, 1.0, -1.0, 1.0, -1.0])), \
        "logits of exactly 0 and +-1", "edge"
    y = _labels(rng, (6, 5))
    yield (y, _large_logits(rng, (6, 5))), "float64 logits with magnitudes up to 1e4", "large"
    yield ((y.astype(np.float32), _large_logits(rng, (6, 5), np.float32)),
           "float32 logits with magnitudes up to 1e4", "large")


def bce_logits_cases(rng):
    out = [Case(args, label, group=group) for args, label, group in bce_logits_inputs(rng)]
    y = _labels(rng, (9, 4))
    out.append(Case((y, np.where(y == 1, 1e4, -1e4)), "a perfect prediction with logits of +-1e4",
                    check=perfect_property, group="large"))
    y = _labels(rng, (int(rng.integers(5, 30)),))
    out.append(Case((y, C.array(rng, y.shape, 3.0)), "1-D labels (a loss is never negative)",
                    check=loss_property(TOL)))
    return out


def cce_cases(rng):
    n, k = int(rng.integers(5, 30)), int(rng.integers(3, 8))
    out = []
    labels = rng.integers(0, k, size=n)
    out.append(Case((_one_hot(labels, k), _softmax_rows(rng, n, k)), f"one-hot targets, {k} classes"))
    out.append(Case((_one_hot(rng.integers(0, 3, 1), 3), _softmax_rows(rng, 1, 3)), "a single sample (N = 1)"))
    out.append(Case((_one_hot(rng.integers(0, 10, 7), 10), _softmax_rows(rng, 7, 10)),
                    "a batch of odd shape, 10 classes"))
    out.append(Case((_soft_targets(rng, n, k), _softmax_rows(rng, n, k)), "soft targets (rows summing to 1)"))
    out.append(Case((_one_hot(labels, k, np.float32), _softmax_rows(rng, n, k, dtype=np.float32)),
                    "a float32 batch"))
    out.append(Case((_one_hot(labels, k), _confident_rows(rng, labels, k)),
                    "probabilities of exactly 0 and 1 (right and wrong)", group="edge"))
    out.append(Case((_one_hot(labels, k), _confident_rows(rng, labels, k)),
                    "probabilities of exactly 0 and 1 with eps = 1e-3", kwargs={"eps": 1e-3}, group="edge"))
    out.append(Case((_one_hot(labels, k, np.float32), _confident_rows(rng, labels, k).astype(np.float32)),
                    "float32 probabilities of exactly 0 and 1", group="edge"))
    out.append(Case((_one_hot(labels, k), _softmax_rows(rng, n, k)), "one-hot targets (a loss is never negative)",
                    check=loss_property(CE_TOL)))
    Y = _one_hot(labels, k)
    out.append(Case((Y, Y.copy()), "a perfect prediction (P equal to the one-hot targets)",
                    check=perfect_property, group="edge"))
    return out


def sparse_cases(rng):
    n, k = int(rng.integers(5, 30)), int(rng.integers(3, 6))
    out = []
    labels = rng.integers(0, k, size=n)
    out.append(Case((labels, _softmax_rows(rng, n, k)), f"integer labels, {k} classes"))
    out.append(Case((rng.integers(0, 3, 1), _softmax_rows(rng, 1, 3)), "a single sample (N = 1)"))
    out.append(Case((rng.integers(0, 10, 7), _softmax_rows(rng, 7, 10)), "a batch of odd shape, 10 classes"))
    out.append(Case((labels.astype(np.int32), _softmax_rows(rng, n, k)), "int32 labels"))
    out.append(Case((labels.reshape(-1, 1), _softmax_rows(rng, n, k)),
                    "labels as a column of shape (N, 1), which Keras accepts"))
    out.append(Case((labels, _softmax_rows(rng, n, k, dtype=np.float32)), "float32 probabilities"))
    few = np.full(n, k - 1)
    few[:2] = 0
    out.append(Case((few, _softmax_rows(rng, n, k)), "labels that do not use every class"))
    out.append(Case((labels, _confident_rows(rng, labels, k)),
                    "probabilities of exactly 0 and 1 (right and wrong)", group="edge"))
    # Keras renormalizes each clipped row (it feeds log(P) to a softmax), which moves the loss by
    # about (K - 2) * eps: with eps = 1e-3 that is visible, so this case follows the lesson's formula.
    out.append(Case((labels, _confident_rows(rng, labels, k)),
                    "probabilities of exactly 0 and 1 with eps = 1e-3", kwargs={"eps": 1e-3},
                    check=reference_only(CE_TOL), group="edge"))
    out.append(Case((labels, _softmax_rows(rng, n, k)), "integer labels (a loss is never negative)",
                    check=loss_property(CE_TOL)))
    out.append(Case((labels, _one_hot(labels, k)), "a perfect prediction (P one-hot at the labels)",
                    check=perfect_property, group="edge"))
    return out


def softmax_inputs(rng):
    """(args, label, group) shared by softmax cross-entropy and its gradient."""
    n, k = int(rng.integers(5, 30)), int(rng.integers(3, 8))
    labels = rng.integers(0, k, size=n)
    yield (_one_hot(labels, k), C.array(rng, (n, k), 3.0)), f"one-hot targets, {k} classes", "basic"
    yield (_one_hot(rng.integers(0, 3, 1), 3), C.array(rng, (1, 3), 3.0)), "a single sample (N = 1)", "basic"
    yield ((_one_hot(rng.integers(0, 10, 7), 10), C.array(rng, (7, 10), 3.0)),
           "a batch of odd shape, 10 classes", "basic")
    yield (_soft_targets(rng, n, k), C.array(rng, (n, k), 3.0)), "soft targets (rows summing to 1)", "basic"
    yield ((_one_hot(labels, k, np.float32), C.array(rng, (n, k), 3.0, np.float32)),
           "a float32 batch", "float32")
    yield (_one_hot(labels, k), np.zeros((n, k))), "logits that are all equal", "edge"
    yield ((_one_hot(labels, k), C.array(rng, (n, k), 3.0) + 800.0),
           "logits shifted by a large constant", "large")
    Y = _one_hot(rng.integers(0, 5, 6), 5)
    yield (Y, _large_logits(rng, (6, 5))), "float64 logits with magnitudes up to 1e4", "large"
    yield ((Y.astype(np.float32), _large_logits(rng, (6, 5), np.float32)),
           "float32 logits with magnitudes up to 1e4", "large")


def softmax_cases(rng):
    out = [Case(args, label, group=group) for args, label, group in softmax_inputs(rng)]
    labels = rng.integers(0, 4, size=8)
    Y = _one_hot(labels, 4)
    out.append(Case((Y, 1e4 * Y), "a perfect prediction with logits of 1e4", check=perfect_property,
                    group="large"))
    out.append(Case((Y, C.array(rng, (8, 4), 3.0)), "one-hot targets (a loss is never negative)",
                    check=loss_property(TOL)))
    return out


def mse_grad_cases(rng):
    out = [Case((y, yp), label) for y, yp, label in regression_pairs(rng)]
    y = C.array(rng, (6, 4), 3.0)
    out.append(Case((y, y.copy()), "a perfect prediction (the gradient is 0)"))
    y = C.array(rng, (5, 3), 3.0)
    out.append(Case((y, y + C.array(rng, (5, 3), 2.0)), "a (5, 3) batch, against a numerical gradient",
                    check=numeric_gradient_property(ref.mse)))
    return out


def bce_logits_grad_cases(rng):
    out = [Case(args, label, group=group) for args, label, group in bce_logits_inputs(rng)]
    y = _labels(rng, (4, 3))
    out.append(Case((y, C.array(rng, (4, 3), 2.0)), "a (4, 3) batch, against a numerical gradient",
                    check=numeric_gradient_property(ref.binary_crossentropy_from_logits)))
    y = _labels(rng, (7,))
    out.append(Case((y, C.array(rng, (7,), 2.0)), "1-D labels, against a numerical gradient",
                    check=numeric_gradient_property(ref.binary_crossentropy_from_logits)))
    return out


def softmax_grad_cases(rng):
    out = []
    for args, label, group in softmax_inputs(rng):
        wide = group == "large" and args[1].dtype == np.float32
        out.append(Case(args, label, group=group, check=float32_large_logits if wide else None))
    Y = _one_hot(rng.integers(0, 4, 5), 4)
    out.append(Case((Y, C.array(rng, (5, 4), 2.0)), "a (5, 4) batch, against a numerical gradient",
                    check=numeric_gradient_property(ref.softmax_crossentropy_from_logits)))
    n = int(rng.integers(5, 30))
    out.append(Case((_soft_targets(rng, n, 6), C.array(rng, (n, 6), 3.0)),
                    "soft targets (each gradient row sums to 0)", check=rows_sum_to_zero))
    return out


EXERCISES = [
    Exercise("mse", 1, mse_cases),
    Exercise("mae", 1, mae_cases),
    Exercise("huber", 2, huber_cases),
    Exercise("binary_crossentropy", 2, bce_cases, tolerance=CE_TOL),
    Exercise("binary_crossentropy_from_logits", 3, bce_logits_cases),
    Exercise("categorical_crossentropy", 2, cce_cases, tolerance=CE_TOL),
    Exercise("sparse_categorical_crossentropy", 2, sparse_cases, tolerance=CE_TOL),
    Exercise("softmax_crossentropy_from_logits", 3, softmax_cases),
    Exercise("mse_grad", 1, mse_grad_cases, require_float=True),
    Exercise("binary_crossentropy_from_logits_grad", 2, bce_logits_grad_cases, require_float=True),
    Exercise("softmax_crossentropy_from_logits_grad", 2, softmax_grad_cases, require_float=True),
]
