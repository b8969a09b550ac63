"""Known mistakes and correct alternatives for lesson 04_backprop."""
from ...grading.mistakes import alternative, mistake

TRAIN_FROZEN_HINT = ("update every layer's weights and biases with its own gradient: a network whose hidden "
                     "layer never changes can only draw a (nearly) straight boundary.")

STABLE_SIGMOID = ("use a numerically stable sigmoid, as in lesson 02: np.exp(-z) overflows for z below "
                  "about -709 (compute it from np.exp(-np.abs(z)), or clip z)")

MISTAKES = [
    # -- dense_forward -----------------------------------------------------------------------
    mistake("dense_forward", "transposed W",
            "a Keras kernel W is (D_in, D_out): compute Z = X @ W + b, without transposing W.",
            """
            def dense_forward(X, W, b):
                return X @ W.T + b, (X, W, b)
            """),
    mistake("dense_forward", "no bias",
            "add the bias b to every row: Z = X @ W + b.",
            """
            def dense_forward(X, W, b):
                return X @ W, (X, W, b)
            """),
    # -- dense_backward ----------------------------------------------------------------------
    mistake("dense_backward", "db not summed",
            "db is the sum of dZ over the batch (axis 0), one number per unit: every sample adds its share.",
            """
            def dense_backward(dZ, cache):
                X, W, b = cache
                return dZ @ W.T, X.T @ dZ, dZ
            """),
    mistake("dense_backward", "db averaged",
            "db is the sum of dZ over the batch, not its mean: any 1/N already sits in dZ (from the loss).",
            """
            def dense_backward(dZ, cache):
                X, W, b = cache
                return dZ @ W.T, X.T @ dZ, dZ.mean(axis=0)
            """),
    mistake("dense_backward", "dX without transpose",
            "dX = dZ @ W.T: the gradient flows back through the transpose of the kernel, shape (N, D_in).",
            """
            def dense_backward(dZ, cache):
                X, W, b = cache
                return dZ @ W, X.T @ dZ, dZ.sum(axis=0)
            """),
    mistake("dense_backward", "dW transposed",
            "dW = X.T @ dZ has the kernel's shape (D_in, D_out); dZ.T @ X is its transpose.",
            """
            def dense_backward(dZ, cache):
                X, W, b = cache
                return dZ @ W.T, dZ.T @ X, dZ.sum(axis=0)
            """),
    # -- activation_forward ------------------------------------------------------------------
    mistake("activation_forward", "relu as max with 1",
            "relu is max(Z, 0), elementwise (np.maximum(Z, 0)).",
            """
            def activation_forward(Z, name):
                f = {"linear": lambda z: z, "sigmoid": lambda z: 0.5 * (1 + np.tanh(0.5 * z)),
                     "tanh": np.tanh, "relu": lambda z: np.minimum(z, 1)}
                return f[name](Z), (Z, name)
            """, feedback_says="A: "),
    mistake("activation_forward", "cache holds the output",
            "cache the activation's input Z (and the name), not its output A: cache = (Z, name).",
            """
            def activation_forward(Z, name):
                f = {"linear": lambda z: z, "sigmoid": lambda z: 0.5 * (1 + np.tanh(0.5 * z)),
                     "tanh": np.tanh, "relu": lambda z: np.maximum(z, 0)}
                A = f[name](Z)
                return A, (A, name)
            """, feedback_says="the cache holds the output A"),
    mistake("activation_forward", "naive sigmoid",
            STABLE_SIGMOID,
            """
            def activation_forward(Z, name):
                if name == "sigmoid":
                    A = 1 / (1 + np.exp(-Z))
                elif name == "tanh":
                    A = np.tanh(Z)
                elif name == "relu":
                    A = np.maximum(Z, 0)
                else:
                    A = Z * 1.0
                return A, (Z, name)
            """),
    # -- activation_backward -----------------------------------------------------------------
    mistake("activation_backward", "dA times A",
            "multiply dA by the activation's derivative at Z, sigma'(Z) = sigma(Z)(1 - sigma(Z)) for the "
            "sigmoid, not by the activation itself.",
            """
            def activation_backward(dA, cache):
                Z, name = cache
                if name == "linear":
                    return dA
                if name == "sigmoid":
                    return dA * 0.5 * (1 + np.tanh(0.5 * Z))
                if name == "tanh":
                    return dA * (1 - np.tanh(Z) ** 2)
                return dA * (Z > 0)
            """),
    mistake("activation_backward", "relu mask on dA",
            "relu lets the gradient through where its input Z is positive: mask with Z > 0, not dA > 0.",
            """
            def activation_backward(dA, cache):
                Z, name = cache
                if name == "linear":
                    return dA
                if name == "sigmoid":
                    s = 0.5 * (1 + np.tanh(0.5 * Z))
                    return dA * s * (1 - s)
                if name == "tanh":
                    return dA * (1 - np.tanh(Z) ** 2)
                return dA * (dA > 0)
            """),
    mistake("activation_backward", "tanh 1 - Z^2",
            "tanh'(Z) = 1 - tanh(Z)**2: square the output tanh(Z), not the input Z.",
            """
            def activation_backward(dA, cache):
                Z, name = cache
                if name == "linear":
                    return dA
                if name == "sigmoid":
                    s = 0.5 * (1 + np.tanh(0.5 * Z))
                    return dA * s * (1 - s)
                if name == "tanh":
                    return dA * (1 - Z ** 2)
                return dA * (Z > 0)
            """),
    mistake("activation_backward", "naive sigmoid",
            STABLE_SIGMOID,
            """
            def activation_backward(dA, cache):
                Z, name = cache
                if name == "sigmoid":
                    s = 1 / (1 + np.exp(-Z))
                    return dA * s * (1 - s)
                if name == "tanh":
                    return dA * (1 - np.tanh(Z) ** 2)
                if name == "relu":
                    return dA * (Z > 0)
                return dA * 1.0
            """),
    mistake("activation_backward", "1 / cosh^2 overflows",
            "np.cosh overflows for |z| above about 710 (a RuntimeWarning even where the result rounds to 0): "
            "write tanh's derivative as 1 - np.tanh(z)**2, which stays finite.",
            """
            def activation_backward(dA, cache):
                Z, name = cache
                if name == "sigmoid":
                    s = 0.5 * (1 + np.tanh(0.5 * Z))
                    return dA * s * (1 - s)
                if name == "tanh":
                    return dA / np.cosh(Z) ** 2
                if name == "relu":
                    return np.where(Z > 0, dA, 0.0)
                return dA * 1.0
            """),
    # -- numerical_gradient ------------------------------------------------------------------
    mistake("numerical_gradient", "one-sided differences",
            "use central differences (f(x + h) - f(x - h)) / (2h): one-sided ones are only accurate to O(h).",
            """
            def numerical_gradient(f, x, h=1e-5):
                grad = np.zeros(x.shape)
                fx = f(x)
                for i in np.ndindex(x.shape):
                    old = x[i]
                    x[i] = old + h
                    grad[i] = (f(x) - fx) / h
                    x[i] = old
                return grad
            """),
    mistake("numerical_gradient", "h instead of 2h",
            "the two points x + h and x - h are 2h apart: divide by 2 * h.",
            """
            def numerical_gradient(f, x, h=1e-5):
                grad = np.zeros(x.shape)
                for i in np.ndindex(x.shape):
                    old = x[i]
                    x[i] = old + h
                    plus = f(x)
                    x[i] = old - h
                    minus = f(x)
                    x[i] = old
                    grad[i] = (plus - minus) / h
                return grad
            """),
    mistake("numerical_gradient", "x not restored",
            "put every element of x back (x[i] = old) after perturbing it.",
            """
            def numerical_gradient(f, x, h=1e-5):
                grad = np.zeros(x.shape)
                for i in np.ndindex(x.shape):
                    old = x[i]
                    x[i] = old + h
                    plus = f(x)
                    x[i] = old - h
                    minus = f(x)
                    grad[i] = (plus - minus) / (2 * h)
                return grad
            """, feedback_says="modified its input array in place"),
    # -- relative_error ----------------------------------------------------------------------
    mistake("relative_error", "max denominator",
            "divide by |a| + |b| (floored at 1e-8), not by max(|a|, |b|).",
            """
            def relative_error(a, b):
                a, b = np.asarray(a, float), np.asarray(b, float)
                return float(np.max(np.abs(a - b) / np.maximum(1e-8, np.maximum(np.abs(a), np.abs(b)))))
            """),
    mistake("relative_error", "no 1e-8 floor",
            "floor the denominator at 1e-8 (np.maximum(1e-8, |a| + |b|)) so that zeros give 0, not NaN.",
            """
            def relative_error(a, b):
                a, b = np.asarray(a, float), np.asarray(b, float)
                return float(np.max(np.abs(a - b) / (np.abs(a) + np.abs(b))))
            """),
    mistake("relative_error", "ratio of maxima",
            "take the element-wise ratio |a - b| / max(1e-8, |a| + |b|) first, then its maximum.",
            """
            def relative_error(a, b):
                a, b = np.asarray(a, float), np.asarray(b, float)
                return float(np.max(np.abs(a - b)) / max(1e-8, np.max(np.abs(a) + np.abs(b))))
            """),
    # -- worked_example ----------------------------------------------------------------------
    mistake("worked_example", "the notes' derivatives",
            "dCf/dYp = Yp - Ya (not Ya - Yp) and dYp/dON = Yp (1 - Yp): the lecture notes get both wrong.",
            """
            def worked_example():
                s = lambda v: 1 / (1 + np.exp(-v))
                x1, x2, Ya = 1.0, 2.0, 3.0
                w1, w2, w3, w4, w5, w6, b1, b2 = 0.1, 0.2, 0.1, 0.2, 0.3, 0.4, 1.0, 0.5
                HN1i = w1 * x1 + w3 * x2 + b1; HN2i = w2 * x1 + w4 * x2 + b1
                HN1o, HN2o = s(HN1i), s(HN2i)
                ONi = w5 * HN1o + w6 * HN2o + b2; Yp = s(ONi); Cf = 0.5 * (Ya - Yp) ** 2
                dON = (Ya - Yp)
                d1 = dON * w5 * HN1o * (1 - HN1o); d2 = dON * w6 * HN2o * (1 - HN2o)
                return dict(HN1i=HN1i, HN1o=HN1o, HN2i=HN2i, HN2o=HN2o, ONi=ONi, Yp=Yp, Cf=Cf,
                            dw1=d1 * x1, dw2=d2 * x1, dw3=d1 * x2, dw4=d2 * x2, dw5=dON * HN1o, dw6=dON * HN2o,
                            db1=d1 + d2, db2=dON)
            """),
    mistake("worked_example", "sign of dCf/dYp",
            "dCf/dYp = Yp - Ya: the derivative of 1/2 (Ya - Yp)^2 with respect to Yp carries a minus sign.",
            """
            def worked_example():
                s = lambda v: 1 / (1 + np.exp(-v))
                x1, x2, Ya = 1.0, 2.0, 3.0
                w1, w2, w3, w4, w5, w6, b1, b2 = 0.1, 0.2, 0.1, 0.2, 0.3, 0.4, 1.0, 0.5
                HN1i = w1 * x1 + w3 * x2 + b1; HN2i = w2 * x1 + w4 * x2 + b1
                HN1o, HN2o = s(HN1i), s(HN2i)
                ONi = w5 * HN1o + w6 * HN2o + b2; Yp = s(ONi); Cf = 0.5 * (Ya - Yp) ** 2
                dON = (Ya - Yp) * Yp * (1 - Yp)
                d1 = dON * w5 * HN1o * (1 - HN1o); d2 = dON * w6 * HN2o * (1 - HN2o)
                return dict(HN1i=HN1i, HN1o=HN1o, HN2i=HN2i, HN2o=HN2o, ONi=ONi, Yp=Yp, Cf=Cf,
                            dw1=d1 * x1, dw2=d2 * x1, dw3=d1 * x2, dw4=d2 * x2, dw5=dON * HN1o, dw6=dON * HN2o,
                            db1=d1 + d2, db2=dON)
            """),
    mistake("worked_example", "db1 from one unit",
            "b1 is shared by both hidden units: db1 is the sum of the two paths, dCf/dHN1i + dCf/dHN2i.",
            """
            def worked_example():
                s = lambda v: 1 / (1 + np.exp(-v))
                x1, x2, Ya = 1.0, 2.0, 3.0
                w1, w2, w3, w4, w5, w6, b1, b2 = 0.1, 0.2, 0.1, 0.2, 0.3, 0.4, 1.0, 0.5
                HN1i = w1 * x1 + w3 * x2 + b1; HN2i = w2 * x1 + w4 * x2 + b1
                HN1o, HN2o = s(HN1i), s(HN2i)
                ONi = w5 * HN1o + w6 * HN2o + b2; Yp = s(ONi); Cf = 0.5 * (Ya - Yp) ** 2
                dON = (Yp - Ya) * Yp * (1 - Yp)
                d1 = dON * w5 * HN1o * (1 - HN1o); d2 = dON * w6 * HN2o * (1 - HN2o)
                return dict(HN1i=HN1i, HN1o=HN1o, HN2i=HN2i, HN2o=HN2o, ONi=ONi, Yp=Yp, Cf=Cf,
                            dw1=d1 * x1, dw2=d2 * x1, dw3=d1 * x2, dw4=d2 * x2, dw5=dON * HN1o, dw6=dON * HN2o,
                            db1=d1, db2=dON)
            """),
    mistake("worked_example", "cost without the 1/2",
            "the cost is Cf = 1/2 (Ya - Yp)^2, so dCf/dYp = Yp - Ya (the 1/2 cancels the 2 of the square).",
            """
            def worked_example():
                s = lambda v: 1 / (1 + np.exp(-v))
                x1, x2, Ya = 1.0, 2.0, 3.0
                w1, w2, w3, w4, w5, w6, b1, b2 = 0.1, 0.2, 0.1, 0.2, 0.3, 0.4, 1.0, 0.5
                HN1i = w1 * x1 + w3 * x2 + b1; HN2i = w2 * x1 + w4 * x2 + b1
                HN1o, HN2o = s(HN1i), s(HN2i)
                ONi = w5 * HN1o + w6 * HN2o + b2; Yp = s(ONi); Cf = (Ya - Yp) ** 2
                dON = 2 * (Yp - Ya) * Yp * (1 - Yp)
                d1 = dON * w5 * HN1o * (1 - HN1o); d2 = dON * w6 * HN2o * (1 - HN2o)
                return dict(HN1i=HN1i, HN1o=HN1o, HN2i=HN2i, HN2o=HN2o, ONi=ONi, Yp=Yp, Cf=Cf,
                            dw1=d1 * x1, dw2=d2 * x1, dw3=d1 * x2, dw4=d2 * x2, dw5=dON * HN1o, dw6=dON * HN2o,
                            db1=d1 + d2, db2=dON)
            """),
    # -- mlp_forward -------------------------------------------------------------------------
    mistake("mlp_forward", "activation on the last layer skipped",
            "apply every layer's activation, the last one included: activations has one name per layer.",
            """
            def mlp_forward(X, params, activations):
                f = {"linear": lambda z: z, "sigmoid": lambda z: 0.5 * (1 + np.tanh(0.5 * z)),
                     "tanh": np.tanh, "relu": lambda z: np.maximum(z, 0)}
                A, caches = X, []
                for k, ((W, b), name) in enumerate(zip(params, activations)):
                    Z = A @ W + b
                    caches.append(((A, W, b), (Z, name)))
                    A = Z if k == len(params) - 1 else f[name](Z)
                return A, caches
            """, feedback_says="out: "),
    mistake("mlp_forward", "naive sigmoid",
            STABLE_SIGMOID,
            """
            def mlp_forward(X, params, activations):
                f = {"linear": lambda z: z, "sigmoid": lambda z: 1 / (1 + np.exp(-z)),
                     "tanh": np.tanh, "relu": lambda z: np.maximum(z, 0)}
                A, caches = X, []
                for (W, b), name in zip(params, activations):
                    Z = A @ W + b
                    caches.append(((A, W, b), (Z, name)))
                    A = f[name](Z)
                return A, caches
            """),
    mistake("mlp_forward", "activation cache holds the output",
            "each layer's activation cache is (Z, name) with Z the pre-activation A_prev @ W + b, "
            "not the layer's output.",
            """
            def mlp_forward(X, params, activations):
                f = {"linear": lambda z: z, "sigmoid": lambda z: 0.5 * (1 + np.tanh(0.5 * z)),
                     "tanh": np.tanh, "relu": lambda z: np.maximum(z, 0)}
                A, caches = X, []
                for (W, b), name in zip(params, activations):
                    A_prev = A
                    A = f[name](A_prev @ W + b)
                    caches.append(((A_prev, W, b), (A, name)))
                return A, caches
            """),
    # -- mlp_backward ------------------------------------------------------------------------
    mistake("mlp_backward", "grads in reverse order",
            "backprop visits the layers from last to first; return the grads in the layers' order "
            "(reverse the list you built).",
            """
            def mlp_backward(dout, caches):
                grads, d = [], dout
                for (X, W, b), (Z, name) in reversed(caches):
                    if name == "sigmoid":
                        s = 0.5 * (1 + np.tanh(0.5 * Z)); dZ = d * s * (1 - s)
                    elif name == "tanh":
                        dZ = d * (1 - np.tanh(Z) ** 2)
                    elif name == "relu":
                        dZ = d * (Z > 0)
                    else:
                        dZ = d
                    grads.append((X.T @ dZ, dZ.sum(axis=0)))
                    d = dZ @ W.T
                return grads
            """),
    mistake("mlp_backward", "activation derivative skipped",
            "pass the upstream gradient through each layer's activation derivative before its dense layer.",
            """
            def mlp_backward(dout, caches):
                grads, d = [], dout
                for (X, W, b), (Z, name) in reversed(caches):
                    grads.append((X.T @ d, d.sum(axis=0)))
                    d = d @ W.T
                return grads[::-1]
            """),
    # -- train_mlp ---------------------------------------------------------------------------
    mistake("train_mlp", "first layer frozen", TRAIN_FROZEN_HINT,
            """
            def train_mlp(X, y, hidden_sizes, lr, epochs, rng):
                y = np.asarray(y, float).reshape(-1, 1)
                sizes = [X.shape[1], *hidden_sizes, 1]
                params = [(rng.normal(0, 0.01, (a, b)), np.zeros(b)) for a, b in zip(sizes[:-1], sizes[1:])]
                losses = []
                for _ in range(epochs):
                    H = X
                    for W, b in params[:-1]:
                        H = np.tanh(H @ W + b)
                    W, b = params[-1]
                    p = 1 / (1 + np.exp(-(H @ W + b)))
                    pc = np.clip(p, 1e-7, 1 - 1e-7)
                    losses.append(float(-np.mean(y * np.log(pc) + (1 - y) * np.log(1 - pc))))
                    dZ = (p - y) / len(X)
                    params[-1] = (W - lr * H.T @ dZ, b - lr * dZ.sum(axis=0))
                return params, losses
            """, feedback_says="classifies only"),
    mistake("train_mlp", "gradient ascent", "step against the gradient: W -= lr * dW (the loss should go down).",
            """
            def train_mlp(X, y, hidden_sizes, lr, epochs, rng):
                y = np.asarray(y, float).reshape(-1, 1)
                sizes = [X.shape[1], *hidden_sizes, 1]
                params = [(rng.normal(0, 1 / np.sqrt(a), (a, b)), np.zeros(b)) for a, b in zip(sizes[:-1], sizes[1:])]
                losses = []
                for _ in range(epochs):
                    As = [X]
                    for W, b in params[:-1]:
                        As.append(np.tanh(As[-1] @ W + b))
                    W, b = params[-1]
                    p = 1 / (1 + np.exp(-np.clip(As[-1] @ W + b, -500, 500)))
                    pc = np.clip(p, 1e-7, 1 - 1e-7)
                    losses.append(float(-np.mean(y * np.log(pc) + (1 - y) * np.log(1 - pc))))
                    dZ = (p - y) / len(X)
                    new = []
                    for k in range(len(params) - 1, -1, -1):
                        W, b = params[k]
                        dW, db = As[k].T @ dZ, dZ.sum(axis=0)
                        if k > 0:
                            dZ = (dZ @ W.T) * (1 - As[k] ** 2)
                        new.append((W + lr * dW, b + lr * db))
                    params = new[::-1]
                return params, losses
            """, feedback_says="did not go down"),
]

ALTERNATIVES = [
    alternative("dense_backward", "a list of the three", """
        def dense_backward(dZ, cache):
            X, W, b = cache
            return [dZ @ W.T, X.T @ dZ, np.sum(dZ, axis=0)]
        """),
    alternative("activation_forward", "cache as a list, stable sigmoid via tanh", """
        def activation_forward(Z, name):
            f = {"linear": lambda z: z + 0.0, "sigmoid": lambda z: 0.5 * (1.0 + np.tanh(0.5 * z)),
                 "tanh": np.tanh, "relu": lambda z: np.where(z > 0, z, 0.0)}[name]
            return f(Z), [Z, name]
        """),
    alternative("dense_forward", "einsum", """
        def dense_forward(X, W, b):
            Z = np.einsum("nd,dk->nk", X, W) + b[None, :]
            return Z, (X, W, b)
        """),
    alternative("dense_backward", "einsum and loops", """
        def dense_backward(dZ, cache):
            X, W, b = cache
            dX = np.einsum("nk,dk->nd", dZ, W)
            dW = np.zeros_like(W, dtype=np.result_type(X, dZ))
            for n in range(X.shape[0]):
                dW += np.outer(X[n], dZ[n])
            db = np.einsum("nk->k", dZ)
            return dX, dW, db
        """),
    alternative("activation_forward", "if chain, tanh via exp", """
        def activation_forward(Z, name):
            if name == "linear":
                A = Z * 1
            elif name == "sigmoid":
                A = 0.5 * (1 + np.tanh(0.5 * Z))
            elif name == "tanh":
                A = np.tanh(Z)
            elif name == "relu":
                A = np.where(Z > 0, Z, 0)
            else:
                raise ValueError(name)
            return A, (Z, name)
        """),
    alternative("activation_backward", "via the forward output", """
        def activation_backward(dA, cache):
            Z, name = cache
            if name == "sigmoid":
                s = 0.5 * (1 + np.tanh(0.5 * Z))
                return dA * s * (1 - s)
            if name == "tanh":
                t = np.tanh(Z)
                return dA * (1 - t) * (1 + t)
            if name == "relu":
                return np.where(Z > 0, dA, 0)
            return dA.copy()
        """),
    alternative("numerical_gradient", "flat view and copies", """
        def numerical_gradient(f, x, h=1e-5):
            grad = np.zeros(x.size)
            flat = x.reshape(-1)
            for i in range(x.size):
                old = flat[i]
                flat[i] = old + h
                fp = f(x)
                flat[i] = old - h
                fm = f(x)
                flat[i] = old
                grad[i] = (fp - fm) / (2 * h)
            return grad.reshape(x.shape)
        """),
    alternative("relative_error", "loop", """
        def relative_error(a, b):
            a = np.asarray(a, dtype=float).ravel()
            b = np.asarray(b, dtype=float).ravel()
            worst = 0.0
            for u, v in zip(a, b):
                worst = max(worst, abs(u - v) / max(1e-8, abs(u) + abs(v)))
            return worst
        """),
    alternative("worked_example", "vectorized 2-2-1 network", """
        def worked_example():
            x = np.array([1.0, 2.0]); Ya = 3.0
            W1 = np.array([[0.1, 0.2], [0.1, 0.2]]); b1 = 1.0
            w2 = np.array([0.3, 0.4]); b2 = 0.5
            hi = x @ W1 + b1
            ho = 1 / (1 + np.exp(-hi))
            on = ho @ w2 + b2
            yp = 1 / (1 + np.exp(-on))
            d_on = (yp - Ya) * yp * (1 - yp)
            d_hi = d_on * w2 * ho * (1 - ho)
            dW1 = np.outer(x, d_hi)
            return {"HN1i": hi[0], "HN1o": ho[0], "HN2i": hi[1], "HN2o": ho[1], "ONi": on, "Yp": yp,
                    "Cf": 0.5 * (Ya - yp) ** 2, "dw1": dW1[0, 0], "dw2": dW1[0, 1], "dw3": dW1[1, 0],
                    "dw4": dW1[1, 1], "dw5": d_on * ho[0], "dw6": d_on * ho[1], "db1": d_hi.sum(), "db2": d_on}
        """),
    alternative("mlp_forward", "self-contained", """
        def mlp_forward(X, params, activations):
            f = {"linear": lambda z: z, "sigmoid": lambda z: 0.5 * (1 + np.tanh(0.5 * z)),
                 "tanh": np.tanh, "relu": lambda z: np.maximum(z, 0)}
            A, caches = X, []
            for (W, b), name in zip(params, activations):
                Z = A @ W + b
                caches.append(((A, W, b), (Z, name)))
                A = f[name](Z)
            return A, caches
        """),
    alternative("mlp_backward", "insert at the front", """
        def mlp_backward(dout, caches):
            grads, d = [], dout
            for k in range(len(caches) - 1, -1, -1):
                (X, W, b), (Z, name) = caches[k]
                if name == "sigmoid":
                    s = 0.5 * (1 + np.tanh(0.5 * Z)); dZ = d * s * (1 - s)
                elif name == "tanh":
                    dZ = d * (1 - np.tanh(Z) ** 2)
                elif name == "relu":
                    dZ = np.where(Z > 0, d, 0.0)
                else:
                    dZ = d
                grads.insert(0, (np.einsum("nd,nk->dk", X, dZ), dZ.sum(axis=0)))
                d = dZ @ W.T
            return grads
        """),
    alternative("train_mlp", "relu, He init, mini-batches", """
        def train_mlp(X, y, hidden_sizes, lr, epochs, rng):
            y = np.asarray(y, float).reshape(-1, 1)
            sizes = [X.shape[1], *hidden_sizes, 1]
            params = [(rng.normal(0, np.sqrt(2 / a), (a, b)), np.zeros(b)) for a, b in zip(sizes[:-1], sizes[1:])]
            sig = lambda z: 0.5 * (1 + np.tanh(0.5 * z))
            def forward(Xb):
                As, Zs = [Xb], []
                for k, (W, b) in enumerate(params):
                    Z = As[-1] @ W + b
                    Zs.append(Z)
                    As.append(sig(Z) if k == len(params) - 1 else np.maximum(Z, 0))
                return As, Zs
            losses = []
            for _ in range(epochs):
                order = rng.permutation(len(X))
                for s in range(0, len(X), 16):
                    j = order[s:s + 16]
                    As, Zs = forward(X[j])
                    dZ = (As[-1] - y[j]) / len(j)
                    for k in range(len(params) - 1, -1, -1):
                        W, b = params[k]
                        dW, db = As[k].T @ dZ, dZ.sum(axis=0)
                        if k > 0:
                            dZ = (dZ @ W.T) * (Zs[k - 1] > 0)
                        params[k] = (W - lr * dW, b - lr * db)
                p = np.clip(forward(X)[0][-1], 1e-7, 1 - 1e-7)
                losses.append(float(-np.mean(y * np.log(p) + (1 - y) * np.log(1 - p))))
            return params, losses
        """),
]
