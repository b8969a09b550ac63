"""Known mistakes and correct alternatives for lesson 02_activations.

Formulas that overflow without changing the result (1 / (1 + np.exp(-z)) for the sigmoid,
np.where(z > 0, z, alpha * (np.exp(z) - 1)) for ELU) are caught by the RuntimeWarning they
emit: the harness records warnings per call and a correct answer emits none.
"""
from ...grading.mistakes import alternative, mistake

MISTAKES = [
    # -- sigmoid ----------------------------------------------------------------------------
    mistake("sigmoid", "exp(z) / (1 + exp(z))",
            "exp(z) overflows to inf for large z and inf/inf is NaN: use exp(-|z|), which never "
            "overflows, with 1/(1+e) for z >= 0 and e/(1+e) for z < 0.",
            """
            def sigmoid(z):
                e = np.exp(z)
                return e / (1 + e)
            """),
    mistake("sigmoid", "naive formula that overflows",
            "1/(1 + exp(-z)) overflows in exp(-z) for large negative z (a RuntimeWarning, even if the "
            "result rounds to 0): use exp(-|z|), which never overflows, with 1/(1+e) for z >= 0 and "
            "e/(1+e) for z < 0.",
            """
            def sigmoid(z):
                return 1 / (1 + np.exp(-z))
            """),
    mistake("sigmoid", "sign of the exponent",
            "the sign of the exponent is wrong: sigmoid(z) = 1/(1 + exp(-z)) increases with z; "
            "1/(1 + exp(z)) is sigmoid(-z).",
            """
            def sigmoid(z):
                e = np.exp(-np.abs(z))
                return np.where(z >= 0, e / (1 + e), 1 / (1 + e))
            """),
    mistake("sigmoid", "softsign",
            "z/(1 + |z|) is the softsign, another S-shaped curve with range (-1, 1); the logistic "
            "sigmoid is 1/(1 + exp(-z)), with range (0, 1).",
            """
            def sigmoid(z):
                return z / (1 + np.abs(z))
            """),
    mistake("sigmoid", "clipped input",
            "clipping z (to avoid overflow) changes the result for large |z|: sigmoid(-20) is not "
            "sigmoid(-10). Use exp(-|z|), which cannot overflow, instead of clipping.",
            """
            def sigmoid(z):
                return 1 / (1 + np.exp(-np.clip(z, -10, 10)))
            """),
    # -- sigmoid_grad -------------------------------------------------------------------------
    mistake("sigmoid_grad", "returns the sigmoid",
            "sigmoid_grad returns the derivative sigmoid(z) * (1 - sigmoid(z)), not sigmoid(z) itself.",
            """
            def sigmoid_grad(z):
                e = np.exp(-np.abs(z))
                return np.where(z >= 0, 1 / (1 + e), e / (1 + e))
            """),
    mistake("sigmoid_grad", "z * (1 - z)",
            "z is the pre-activation, not the sigmoid's output: compute s = sigmoid(z) first, then "
            "return s * (1 - s).",
            """
            def sigmoid_grad(z):
                return z * (1 - z)
            """),
    mistake("sigmoid_grad", "1 - sigmoid(z)**2",
            "1 - s**2 is the derivative of tanh written with its output; the sigmoid's is s * (1 - s).",
            """
            def sigmoid_grad(z):
                e = np.exp(-np.abs(z))
                s = np.where(z >= 0, 1 / (1 + e), e / (1 + e))
                return 1 - s ** 2
            """),
    mistake("sigmoid_grad", "exp(-z) / (1 + exp(-z))**2",
            "exp(-z) overflows for large negative z and inf/inf is NaN: write the derivative as "
            "s * (1 - s) with a stable sigmoid s, or with exp(-|z|).",
            """
            def sigmoid_grad(z):
                e = np.exp(-z)
                return e / (1 + e) ** 2
            """),
    # -- tanh ---------------------------------------------------------------------------------
    mistake("tanh", "exponential definition",
            "exp(z) and exp(-z) overflow for large |z| and inf/inf is NaN: use np.tanh, or "
            "2 * sigmoid(2z) - 1 with a numerically stable sigmoid.",
            """
            def tanh(z):
                return (np.exp(z) - np.exp(-z)) / (np.exp(z) + np.exp(-z))
            """),
    mistake("tanh", "2 sigmoid(z) - 1",
            "tanh(z) = 2 * sigmoid(2z) - 1: the sigmoid's argument is 2z, not z "
            "(2 * sigmoid(z) - 1 is tanh(z/2)).",
            """
            def tanh(z):
                e = np.exp(-np.abs(z))
                s = np.where(z >= 0, 1 / (1 + e), e / (1 + e))
                return 2 * s - 1
            """),
    mistake("tanh", "returns the sigmoid",
            "tanh is zero-centred with range (-1, 1): it is 2 * sigmoid(2z) - 1, not sigmoid(z).",
            """
            def tanh(z):
                e = np.exp(-np.abs(z))
                return np.where(z >= 0, 1 / (1 + e), e / (1 + e))
            """),
    # -- tanh_grad ----------------------------------------------------------------------------
    mistake("tanh_grad", "1 - z**2",
            "z is the pre-activation, not tanh's output: the derivative is 1 - tanh(z)**2, not 1 - z**2.",
            """
            def tanh_grad(z):
                return 1 - z ** 2
            """),
    mistake("tanh_grad", "missing square",
            "square the tanh: the derivative is 1 - tanh(z)**2, not 1 - tanh(z).",
            """
            def tanh_grad(z):
                return 1 - np.tanh(z)
            """),
    mistake("tanh_grad", "returns tanh",
            "tanh_grad returns the derivative 1 - tanh(z)**2, not tanh(z) itself.",
            """
            def tanh_grad(z):
                return np.tanh(z)
            """),
    # -- relu ---------------------------------------------------------------------------------
    mistake("relu", "in place",
            "relu modified its input: z[z < 0] = 0 writes into the caller's array; use "
            "np.maximum(z, 0), which builds a new one.",
            """
            def relu(z):
                z[z < 0] = 0
                return z
            """, feedback_says="modified its input array in place"),
    mistake("relu", "np.max instead of np.maximum",
            "np.max(z, 0) is the largest entry along axis 0 (a reduction); the element-wise maximum "
            "of z and 0 is np.maximum(z, 0).",
            """
            def relu(z):
                return np.max(z, 0)
            """),
    mistake("relu", "returns the indicator",
            "relu(z) is z where z > 0 and 0 elsewhere; the indicator (z > 0) is its derivative.",
            """
            def relu(z):
                return (z > 0).astype(float)
            """),
    # -- relu_grad ----------------------------------------------------------------------------
    mistake("relu_grad", "returns relu",
            "relu_grad returns the slope of relu (1 for z > 0, 0 for z < 0), not relu(z) itself.",
            """
            def relu_grad(z):
                return np.maximum(z, 0)
            """),
    mistake("relu_grad", "boolean mask",
            "return floats (1.0 and 0.0), e.g. (z > 0).astype(z.dtype), not a boolean mask.",
            """
            def relu_grad(z):
                return z > 0
            """),
    mistake("relu_grad", "sign",
            "for z < 0 relu is flat: its slope there is 0, not -1 (np.sign(z) is not the derivative).",
            """
            def relu_grad(z):
                return np.sign(z).astype(float)
            """),
    # -- leaky_relu ---------------------------------------------------------------------------
    mistake("leaky_relu", "slope on the wrong side",
            "the small slope alpha applies to negative z; positive z pass through unchanged.",
            """
            def leaky_relu(z, alpha=0.01):
                return np.where(z > 0, alpha * z, z)
            """),
    mistake("leaky_relu", "fixed slope",
            "use the alpha argument for the negative slope instead of a fixed 0.01.",
            """
            def leaky_relu(z, alpha=0.01):
                return np.where(z > 0, z, 0.01 * z)
            """),
    mistake("leaky_relu", "Keras' default alpha",
            "the default alpha of this exercise is 0.01 (Keras' leaky_relu defaults to negative_slope=0.2).",
            """
            def leaky_relu(z, alpha=0.2):
                return np.where(z > 0, z, alpha * z)
            """),
    mistake("leaky_relu", "in place",
            "leaky_relu modified its input: z[z < 0] *= alpha writes into the caller's array; "
            "build a new array (np.where).",
            """
            def leaky_relu(z, alpha=0.01):
                z[z < 0] *= alpha
                return z
            """, feedback_says="modified its input array in place"),
    # -- leaky_relu_grad ----------------------------------------------------------------------
    mistake("leaky_relu_grad", "slope on the wrong side",
            "the slope is alpha for negative z and 1 for positive z, not the other way round.",
            """
            def leaky_relu_grad(z, alpha=0.01):
                return np.where(z > 0, alpha, 1.0)
            """),
    mistake("leaky_relu_grad", "returns leaky relu",
            "leaky_relu_grad returns the slope (1 or alpha), not leaky_relu(z) itself.",
            """
            def leaky_relu_grad(z, alpha=0.01):
                return np.where(z > 0, z, alpha * z)
            """),
    mistake("leaky_relu_grad", "relu's derivative",
            "for z < 0 the slope of leaky ReLU is alpha, not 0 (that is plain ReLU).",
            """
            def leaky_relu_grad(z, alpha=0.01):
                return (z > 0).astype(float)
            """),
    mistake("leaky_relu_grad", "fixed slope",
            "use the alpha argument for the negative slope instead of a fixed 0.01.",
            """
            def leaky_relu_grad(z, alpha=0.01):
                return np.where(z > 0, 1.0, 0.01)
            """),
    # -- elu ----------------------------------------------------------------------------------
    mistake("elu", "np.where over both branches",
            "np.where evaluates both branches, so exp(z) overflows for large positive z (a "
            "RuntimeWarning, even though that branch is not chosen): apply exp only to "
            "np.minimum(z, 0).",
            """
            def elu(z, alpha=1.0):
                return np.where(z > 0, z, alpha * (np.exp(z) - 1))
            """),
    mistake("elu", "without alpha",
            "multiply the negative branch by alpha: elu(z) = alpha * (exp(z) - 1) for z <= 0.",
            """
            def elu(z, alpha=1.0):
                return np.where(z > 0, z, np.expm1(np.minimum(z, 0)))
            """),
    mistake("elu", "without -1",
            "the negative branch is alpha * (exp(z) - 1), which tends to -alpha; without the -1 "
            "ELU jumps at 0.",
            """
            def elu(z, alpha=1.0):
                return np.where(z > 0, z, alpha * np.exp(np.minimum(z, 0)))
            """),
    mistake("elu", "in place",
            "elu modified its input: assigning to z[z < 0] writes into the caller's array; build a "
            "new array.",
            """
            def elu(z, alpha=1.0):
                neg = z < 0
                z[neg] = alpha * np.expm1(z[neg])
                return z
            """, feedback_says="modified its input array in place"),
    # -- elu_grad -----------------------------------------------------------------------------
    mistake("elu_grad", "without alpha",
            "the derivative of alpha * (exp(z) - 1) is alpha * exp(z): multiply by alpha.",
            """
            def elu_grad(z, alpha=1.0):
                return np.where(z > 0, 1.0, np.exp(np.minimum(z, 0)))
            """),
    mistake("elu_grad", "returns elu",
            "elu_grad returns the slope (1 for z > 0, alpha * exp(z) below), not elu(z) itself.",
            """
            def elu_grad(z, alpha=1.0):
                return np.where(z > 0, z, alpha * np.expm1(np.minimum(z, 0)))
            """),
    mistake("elu_grad", "kept the -1",
            "the -1 of alpha * (exp(z) - 1) is a constant: its derivative is alpha * exp(z), "
            "not alpha * (exp(z) - 1).",
            """
            def elu_grad(z, alpha=1.0):
                return np.where(z > 0, 1.0, alpha * np.expm1(np.minimum(z, 0)))
            """),
    # -- softplus -----------------------------------------------------------------------------
    mistake("softplus", "log(1 + exp(z))",
            "exp(z) overflows for large z: write softplus(z) = max(z, 0) + log1p(exp(-|z|)).",
            """
            def softplus(z):
                return np.log(1 + np.exp(z))
            """),
    mistake("softplus", "missing max(z, 0)",
            "log1p(exp(-|z|)) alone is symmetric in z: add max(z, 0), softplus(z) = max(z, 0) + "
            "log1p(exp(-|z|)).",
            """
            def softplus(z):
                return np.log1p(np.exp(-np.abs(z)))
            """),
    mistake("softplus", "sign of the exponent",
            "softplus(z) = log(1 + exp(z)) grows with z; log(1 + exp(-z)) is softplus(-z).",
            """
            def softplus(z):
                return np.maximum(-z, 0) + np.log1p(np.exp(-np.abs(z)))
            """),
    # -- softmax ------------------------------------------------------------------------------
    mistake("softmax", "no max shift",
            "exp(z) overflows for large logits: subtract the maximum along the axis "
            "(keepdims=True) before np.exp; softmax does not change when a constant is subtracted.",
            """
            def softmax(z, axis=-1):
                e = np.exp(z)
                return e / e.sum(axis=axis, keepdims=True)
            """),
    mistake("softmax", "global max shift",
            "subtract the maximum of each row (along the axis, keepdims=True), not of the whole array: "
            "a row far below the global maximum underflows to 0/0.",
            """
            def softmax(z, axis=-1):
                e = np.exp(z - np.max(z))
                return e / e.sum(axis=axis, keepdims=True)
            """),
    mistake("softmax", "ignores axis",
            "use the axis argument: normalise along `axis`, not always along the last one.",
            """
            def softmax(z, axis=-1):
                e = np.exp(z - z.max(axis=-1, keepdims=True))
                return e / e.sum(axis=-1, keepdims=True)
            """),
    mistake("softmax", "wrong axis",
            "rows are samples: by default normalise along the last axis (each row sums to 1), "
            "not along axis 0.",
            """
            def softmax(z, axis=-1):
                e = np.exp(z - z.max(axis=0, keepdims=True))
                return e / e.sum(axis=0, keepdims=True)
            """),
    mistake("softmax", "whole-array sum",
            "normalise each slice along the axis separately (sum with axis=axis, keepdims=True), "
            "not the whole array at once.",
            """
            def softmax(z, axis=-1):
                e = np.exp(z - z.max(axis=axis, keepdims=True))
                return e / e.sum()
            """),
    mistake("softmax", "no keepdims",
            "keep the reduced axis (keepdims=True) so that the max and the sum broadcast against z "
            "slice by slice.",
            """
            def softmax(z, axis=-1):
                e = np.exp(z - z.max(axis=axis))
                return e / e.sum(axis=axis)
            """),
    mistake("softmax", "in-place max shift",
            "softmax modified its input: z -= ... writes into the caller's array; compute "
            "z - z.max(axis=axis, keepdims=True) into a new array.",
            """
            def softmax(z, axis=-1):
                z -= z.max(axis=axis, keepdims=True)
                e = np.exp(z)
                return e / e.sum(axis=axis, keepdims=True)
            """, feedback_says="modified its input array in place"),
]

ALTERNATIVES = [
    alternative("sigmoid", "via tanh", """
        def sigmoid(z):
            return 0.5 * (1.0 + np.tanh(0.5 * z))
        """),
    alternative("sigmoid", "loop with math.exp", """
        import math

        def _sigmoid_scalar(x):
            if x >= 0:
                return 1.0 / (1.0 + math.exp(-x))
            e = math.exp(x)
            return e / (1.0 + e)

        def sigmoid(z):
            return np.vectorize(_sigmoid_scalar, otypes=[np.float64])(z)
        """),
    alternative("sigmoid", "masked float32-friendly", """
        def sigmoid(z):
            z = np.asarray(z)
            out = np.empty_like(z, dtype=np.result_type(z, np.float32))
            pos = z >= 0
            out[pos] = 1 / (1 + np.exp(-z[pos]))
            e = np.exp(z[~pos])
            out[~pos] = e / (1 + e)
            return out
        """),
    alternative("sigmoid_grad", "s * (1 - s)", """
        def _stable_sigmoid(z):
            e = np.exp(-np.abs(z))
            return np.where(z >= 0, 1 / (1 + e), e / (1 + e))

        def sigmoid_grad(z):
            s = _stable_sigmoid(z)
            return s * (1 - s)
        """),
    alternative("sigmoid_grad", "via tanh", """
        def sigmoid_grad(z):
            return 0.25 * (1 - np.tanh(z / 2) ** 2)
        """),
    alternative("tanh", "2 sigmoid(2z) - 1", """
        def _sigmoid(z):
            e = np.exp(-np.abs(z))
            return np.where(z >= 0, 1 / (1 + e), e / (1 + e))

        def tanh(z):
            return 2 * _sigmoid(2 * z) - 1
        """),
    alternative("tanh", "stable exponentials", """
        def tanh(z):
            e = np.exp(-2 * np.abs(z))
            return np.sign(z) * (1 - e) / (1 + e)
        """),
    alternative("tanh_grad", "(1 - t)(1 + t)", """
        def tanh_grad(z):
            t = np.tanh(z)
            return (1 - t) * (1 + t)
        """),
    alternative("tanh_grad", "4 s (1 - s)", """
        def tanh_grad(z):
            e = np.exp(-np.abs(2 * z))
            s = np.where(z >= 0, 1 / (1 + e), e / (1 + e))
            return 4 * s * (1 - s)
        """),
    alternative("relu", "np.where", """
        def relu(z):
            return np.where(z > 0, z, 0.0)
        """),
    alternative("relu", "copy and mask", """
        def relu(z):
            out = np.array(z, dtype=float, copy=True)
            out[out < 0] = 0.0
            return out
        """),
    alternative("relu", "z * (z > 0)", """
        def relu(z):
            return z * (z > 0)
        """),
    alternative("relu_grad", "1 at zero", """
        def relu_grad(z):
            return np.where(z >= 0, 1.0, 0.0)
        """),
    alternative("relu_grad", "heaviside", """
        def relu_grad(z):
            return np.heaviside(z, 0.5)
        """),
    alternative("leaky_relu", "maximum", """
        def leaky_relu(z, alpha=0.01):
            return np.maximum(z, alpha * z)
        """),
    alternative("leaky_relu", "loop", """
        def leaky_relu(z, alpha=0.01):
            return np.vectorize(lambda x: x if x > 0 else alpha * x, otypes=[float])(z)
        """),
    alternative("leaky_relu_grad", "1 at zero", """
        def leaky_relu_grad(z, alpha=0.01):
            return np.where(z >= 0, 1.0, alpha).astype(np.result_type(z, np.float32))
        """),
    alternative("elu", "exp minus one", """
        def elu(z, alpha=1.0):
            return np.where(z > 0, z, alpha * (np.exp(np.minimum(z, 0)) - 1))
        """),
    alternative("elu", "masked copy", """
        def elu(z, alpha=1.0):
            out = np.array(z, dtype=float)
            neg = out <= 0
            out[neg] = alpha * np.expm1(out[neg])
            return out
        """),
    alternative("elu_grad", "elu + alpha", """
        def elu_grad(z, alpha=1.0):
            elu = np.where(z > 0, z, alpha * np.expm1(np.minimum(z, 0)))
            return np.where(z >= 0, 1.0, elu + alpha)
        """),
    alternative("softplus", "logaddexp", """
        def softplus(z):
            return np.logaddexp(0, z)
        """),
    alternative("softplus", "threshold", """
        def softplus(z):
            small = np.minimum(z, 30.0)
            return np.where(z > 30.0, z, np.log1p(np.exp(small)))
        """),
    alternative("softmax", "log-sum-exp", """
        def softmax(z, axis=-1):
            m = np.max(z, axis=axis, keepdims=True)
            lse = m + np.log(np.sum(np.exp(z - m), axis=axis, keepdims=True))
            return np.exp(z - lse)
        """),
    alternative("softmax", "loop over slices", """
        def softmax(z, axis=-1):
            def one(v):
                e = np.exp(v - v.max())
                return e / e.sum()
            return np.apply_along_axis(one, axis, z)
        """),
]
