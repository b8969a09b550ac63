"""Hidden tests of lesson 02_activations.

Every exercise is element-wise (softmax: along an axis) and takes arrays of any shape.
Values are compared with the NumPy reference and with Keras (``keras.activations`` and,
for the derivatives, ``tf.GradientTape``), computed in the input's own dtype; tolerances
are the default relative ones (float32 inputs at float32 precision).

Cases judged by a custom ``check`` (kinks, properties) are compared with the reference
only, as the engine does for every checked case:
- at a kink (z = 0 for relu and leaky relu, and for elu when alpha != 1) any subgradient,
  a value between the left and the right slope, is accepted; Keras returns the left one;
- properties: sigmoid(-z) = 1 - sigmoid(z), tanh(-z) = -tanh(z),
  softplus(z) - softplus(-z) = z, softmax sums to 1 along the axis with values in [0, 1]
  (exact 0 is allowed: exp underflows for logits 1e4 apart, in Keras too) and is
  invariant to adding a constant along the axis.

Keras and the reference agree on every case within the tolerance (both float32 and
float64, magnitudes up to 1e4). Known differences, all within it:
- TensorFlow's LeakyRelu op keeps its slope as a float32 attribute, so on float64 tensors
  Keras multiplies by alpha rounded to float32: a relative error up to 2**-24 (6e-8),
  just under the float64 rtol of 1e-7;
- TensorFlow computes elu's derivative from its output, alpha * (expm1(z) + 1) (exactly 0
  for z < -37 in float64 and z < -17 in float32), and the sigmoid's and tanh's from their
  rounded outputs: accurate in absolute terms only, which the tolerance's atol accepts.

An overflowing formula whose overflow does not change the result, e.g. 1 / (1 + np.exp(-z))
(exp(1e4) = inf gives exactly the right 0.0) or np.where(z > 0, z, alpha * (np.exp(z) - 1))
(the overflowing branch is discarded), is caught by its RuntimeWarning: the harness records
the warnings of every call, and no correct answer emits one (``Exercise.allow_warnings``).
The public checks of the notebook turn overflow into an error, so students see it there too.
"""
import numpy as np

from ...grading import cases as C
from ...grading.compare import Tolerance, compare_values
from ...grading.spec import Case, Exercise

TOL = Tolerance()


# -- inputs --------------------------------------------------------------------------------
def _inputs(rng):
    """(z, label, group): the course's element-wise inputs plus a 0-d array ("any shape")."""
    out = list(C.elementwise_inputs(rng))
    out.append((np.array(rng.standard_normal() * 3), "a 0-d array (a single number)", "basic"))
    return out


def _edge_input(rng):
    """Exact zeros (both signs) and +-1 among random values: where the kinks are."""
    z = C.array(rng, (3, 6), 2.0)
    z.flat[:4] = [0.0, -0.0, 1.0, -1.0]
    z.flat[rng.choice(np.arange(4, z.size), 3, replace=False)] = 0.0
    return z


# -- checks --------------------------------------------------------------------------------
def _kink_check(left, right):
    """At exact zeros of z accept any value between left(case) and right(case)."""

    def check(got, expected, case, results):
        z = np.asarray(case.args[0])
        g = np.asarray(got) if isinstance(got, np.ndarray) else None
        if g is None or g.shape != z.shape or g.dtype.kind not in "fiu":
            return compare_values(got, expected, TOL, case.float32, require_float=True)
        lo, hi = sorted((left(case), right(case)))
        rtol, atol = TOL.for_precision(case.float32)
        at_kink = z == 0
        slack = atol + rtol * max(abs(lo), abs(hi))
        ok = (g >= lo - slack) & (g <= hi + slack)
        if np.any(at_kink & ~ok):
            return (f"at z = 0 the derivative should be a subgradient: any value between the "
                    f"left slope {lo:g} and the right slope {hi:g}")
        adjusted = np.where(at_kink, g, expected).astype(np.asarray(expected).dtype)
        return compare_values(got, adjusted, TOL, case.float32, require_float=True)

    return check


def _alpha(case, default):
    return float(case.kwargs.get("alpha", default))


def _values_then(prop):
    """A check: the values must match the reference, then ``prop`` must hold."""

    def check(got, expected, case, results):
        problem = compare_values(got, expected, TOL, case.float32, require_float=True)
        return problem or prop(np.asarray(got, dtype=np.float64), case, results)

    return check


def _symmetry(partner_id, relation, message):
    """got (for -z) against the student's own output for z (case ``partner_id``)."""

    def prop(got, case, results):
        partner = results.get(partner_id)
        if partner is None:
            return None  # judged alone (e.g. when diagnosing): the values were checked
        partner = np.asarray(partner, dtype=np.float64)
        if partner.shape != got.shape:
            return None
        rtol, atol = TOL.for_precision(case.float32)
        want = relation(partner, np.asarray(case.args[0], dtype=np.float64))
        if not np.allclose(got, want, rtol=rtol, atol=atol):
            return message
        return None

    return prop


# -- cases ---------------------------------------------------------------------------------
def _plain_cases(rng, kwargs=lambda i: {}, kink=None, suffix=lambda kw: ""):
    out = []
    for i, (z, label, group) in enumerate(_inputs(rng)):
        kw = kwargs(i)
        check = None
        if label.startswith("exact zeros"):
            z = _edge_input(rng)
            label = "an array with exact zeros (+0.0 and -0.0) and +-1"
            group = "edge"
            check = kink
        out.append(Case((z,), label + suffix(kw), kwargs=kw, group=group, check=check))
    return out


def sigmoid_cases(rng):
    out = _plain_cases(rng)
    z = C.array(rng, (int(rng.integers(3, 12)), 4), 4.0)
    out.append(Case((z,), "a float64 batch (to compare with its negation)", id="sym"))
    out.append(Case((-z,), "the negated batch: sigmoid(-z) must be 1 - sigmoid(z)",
                    check=_values_then(_symmetry("sym", lambda s, _: 1.0 - s,
                                                 "sigmoid(-z) is not 1 - sigmoid(z)"))))
    return out


def sigmoid_grad_cases(rng):
    return _plain_cases(rng)


def tanh_cases(rng):
    out = _plain_cases(rng)
    z = C.array(rng, (int(rng.integers(3, 12)), 4), 3.0)
    out.append(Case((z,), "a float64 batch (to compare with its negation)", id="sym"))
    out.append(Case((-z,), "the negated batch: tanh(-z) must be -tanh(z)",
                    check=_values_then(_symmetry("sym", lambda t, _: -t,
                                                 "tanh(-z) is not -tanh(z)"))))
    return out


def tanh_grad_cases(rng):
    return _plain_cases(rng)


def relu_cases(rng):
    return _plain_cases(rng)


def relu_grad_cases(rng):
    return _plain_cases(rng, kink=_kink_check(lambda c: 0.0, lambda c: 1.0))


# leaky ReLU slopes stay in (0, 1), where max(z, alpha * z) is leaky ReLU too.
def _leaky_kwargs(rng):
    alphas = [0.01, 0.2, 0.3, float(rng.uniform(0.02, 0.5))]

    def kwargs(i):
        return {} if i == 2 else {"alpha": alphas[i % len(alphas)]}

    return kwargs


def _alpha_label(kw):
    return ", alpha given" if "alpha" in kw else ", default alpha"


def leaky_relu_cases(rng):
    return _plain_cases(rng, _leaky_kwargs(rng), suffix=_alpha_label)


def leaky_relu_grad_cases(rng):
    kink = _kink_check(lambda c: _alpha(c, 0.01), lambda c: 1.0)
    return _plain_cases(rng, _leaky_kwargs(rng), kink=kink, suffix=_alpha_label)


def _elu_kwargs(rng):
    alphas = [1.0, 0.5, 1.7, float(rng.uniform(0.1, 2.0))]

    def kwargs(i):
        return {} if i == 2 else {"alpha": alphas[i % len(alphas)]}

    return kwargs


def elu_cases(rng):
    return _plain_cases(rng, _elu_kwargs(rng), suffix=_alpha_label)


def elu_grad_cases(rng):
    kink = _kink_check(lambda c: _alpha(c, 1.0), lambda c: 1.0)
    return _plain_cases(rng, _elu_kwargs(rng), kink=kink, suffix=_alpha_label)


def softplus_cases(rng):
    out = _plain_cases(rng)
    z = C.array(rng, (int(rng.integers(3, 12)), 5), 5.0)
    out.append(Case((z,), "a float64 batch (to compare with its negation)", id="sym"))
    out.append(Case((-z,), "the negated batch: softplus(z) - softplus(-z) must be z",
                    check=_values_then(_symmetry("sym", lambda s, negz: s + negz,
                                                 "softplus(z) - softplus(-z) is not z"))))
    return out


# -- softmax ---------------------------------------------------------------------------------
def _distribution(got, case, results):
    axis = case.kwargs.get("axis", -1)
    if np.any(got < 0) or np.any(got > 1):
        return "some probabilities are outside [0, 1]"
    rtol, atol = TOL.for_precision(case.float32)
    if not np.allclose(got.sum(axis=axis), 1.0, rtol=0, atol=max(atol, 10 * rtol)):
        return "the probabilities do not sum to 1 along the axis"
    return None


def _shift_invariant(got, case, results):
    base = results.get("shift-base")
    if base is None or np.shape(base) != got.shape:
        return None
    rtol, atol = TOL.for_precision(case.float32)
    if not np.allclose(got, np.asarray(base, dtype=np.float64), rtol=rtol, atol=atol):
        return "softmax(z + c) differs from softmax(z): adding a constant to a row must not change it"
    return None


def softmax_cases(rng):
    out = []
    n, k = int(rng.integers(2, 20)), int(rng.integers(2, 9))
    out.append(Case((C.array(rng, (int(rng.integers(3, 12)),), 3.0),), "a 1-D float64 vector of logits"))
    out.append(Case((C.array(rng, (1, k), 3.0),), "a float64 batch with a single row"))
    out.append(Case((C.array(rng, (n, k), 3.0),), "a float64 batch of odd shape"))
    out.append(Case((C.array(rng, (n, k), 3.0, np.float32),), "a float32 batch", group="float32"))
    out.append(Case((C.array(rng, (n, 1), 3.0),), "a batch with a single column"))
    out.append(Case((C.array(rng, (n, k + 1), 3.0),), "a float64 batch with axis=0", kwargs={"axis": 0}))
    out.append(Case((C.array(rng, (3, 4, 5), 3.0),), "a 3-D float64 array with axis=1", kwargs={"axis": 1}))
    out.append(Case((C.array(rng, (2, 3, 6), 3.0),), "a 3-D float64 array with the default axis"))
    for z, label, group in C.elementwise_inputs(rng):
        if group == "large":
            out.append(Case((z,), label, group=group))
    z = C.array(rng, (n, k + 2), 6.0)
    out.append(Case((z,), "a float64 batch: each row must sum to 1 with values in [0, 1]",
                    check=_values_then(_distribution)))
    out.append(Case((z.T.copy(),), "the transposed batch with axis=0: each column must sum to 1",
                    kwargs={"axis": 0}, check=_values_then(_distribution)))
    base = C.array(rng, (int(rng.integers(2, 9)), 6), 3.0)
    out.append(Case((base,), "a float64 batch (to compare with a shifted copy)", id="shift-base"))
    rows = (base.shape[0], 1)
    shift = rng.uniform(500.0, 5000.0, size=rows) * rng.choice([-1.0, 1.0], size=rows)
    out.append(Case((base + shift,), "the same batch plus a large constant per row: "
                    "softmax must be shift invariant", group="large",
                    check=_values_then(_shift_invariant)))
    return out


def _exercise(name, cases):
    """2 points, compared with the reference and with its Keras counterpart; floats only."""
    return Exercise(name, 2, cases, require_float=True)


EXERCISES = [
    _exercise("sigmoid", sigmoid_cases),
    _exercise("sigmoid_grad", sigmoid_grad_cases),
    _exercise("tanh", tanh_cases),
    _exercise("tanh_grad", tanh_grad_cases),
    _exercise("relu", relu_cases),
    _exercise("relu_grad", relu_grad_cases),
    _exercise("leaky_relu", leaky_relu_cases),
    _exercise("leaky_relu_grad", leaky_relu_grad_cases),
    _exercise("elu", elu_cases),
    _exercise("elu_grad", elu_grad_cases),
    _exercise("softplus", softplus_cases),
    _exercise("softmax", softmax_cases),
]
