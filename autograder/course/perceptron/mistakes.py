"""Known mistakes and correct alternatives for lesson 01_perceptron.

The code of a variant is a complete answer cell run with only ``np`` available, so the
perceptron variants compute the step themselves instead of calling the student's ``step``.
"""
from ...grading.mistakes import alternative, mistake

# The correct training loop that the perceptron_fit mistakes below each change in one place.
_FIT = """
def perceptron_fit(X, y, lr=1.0, epochs=100, rng=None):
    w = np.zeros(X.shape[1])
    b = 0.0
    errors_per_epoch = []
    for epoch in range(epochs):
        order = np.arange(len(X)) if rng is None else rng.permutation(len(X))
        errors = 0
        for i in order:
            y_hat = 1.0 if X[i] @ w + b >= 0 else 0.0
            update = lr * (y[i] - y_hat)
            w = w + update * X[i]
            b = b + update
            errors += int(update != 0)
        errors_per_epoch.append(errors)
        if errors == 0:
            break
    return w, b, errors_per_epoch
"""


def _fit(*replacements):
    code = _FIT
    for old, new in replacements:
        assert old in code, old
        code = code.replace(old, new)
    return code


MISTAKES = [
    # -- step -------------------------------------------------------------------------------
    mistake("step", "strict inequality",
            "step(0) must be 1: compare with z >= 0, not z > 0.",
            """
            def step(z):
                return (np.asarray(z) > 0).astype(float)
            """),
    mistake("step", "booleans",
            "return floats (1.0 and 0.0), not booleans: use np.where(z >= 0, 1.0, 0.0) or .astype(float).",
            """
            def step(z):
                return np.asarray(z) >= 0
            """),
    mistake("step", "integers",
            "return floats (1.0 and 0.0), not the integers 1 and 0: use np.where(z >= 0, 1.0, 0.0).",
            """
            def step(z):
                return np.where(np.asarray(z) >= 0, 1, 0)
            """),
    mistake("step", "from np.sign",
            "np.sign(0) is 0, so (np.sign(z) + 1) / 2 is 0.5 at z = 0; step(0) must be 1.",
            """
            def step(z):
                return (np.sign(z) + 1) / 2
            """),
    mistake("step", "loop over the first axis",
            "step must work for arrays of any shape (1-D, 2-D, 3-D...): use vectorized NumPy "
            "(np.where) instead of a loop over the first axis.",
            """
            def step(z):
                return np.array([1.0 if v >= 0 else 0.0 for v in z])
            """),
    # -- mcculloch_pitts ----------------------------------------------------------------------
    mistake("mcculloch_pitts", "no veto",
            "inhibition is absolute: when any inhibitory input is 1 the output is 0, whatever the sum.",
            """
            def mcculloch_pitts(x, threshold, inhibitory=()):
                keep = [j for j in range(x.shape[1]) if j not in inhibitory]
                return (x[:, keep].sum(axis=1) >= threshold).astype(float)
            """),
    mistake("mcculloch_pitts", "plain threshold unit",
            "inhibitory inputs are not added to the sum: sum only the other inputs, and let any "
            "active inhibitory input force the output to 0.",
            """
            def mcculloch_pitts(x, threshold, inhibitory=()):
                return (x.sum(axis=1) >= threshold).astype(float)
            """),
    mistake("mcculloch_pitts", "strict threshold",
            "the neuron fires when the sum reaches the threshold: use >= threshold, not >.",
            """
            def mcculloch_pitts(x, threshold, inhibitory=()):
                inh = list(inhibitory)
                keep = [j for j in range(x.shape[1]) if j not in inh]
                vetoed = x[:, inh].sum(axis=1) > 0
                return np.where(vetoed, 0.0, (x[:, keep].sum(axis=1) > threshold).astype(float))
            """),
    mistake("mcculloch_pitts", "subtractive inhibition",
            "McCulloch-Pitts inhibition is absolute, not subtractive: an active inhibitory input "
            "forces the output to 0 instead of lowering the sum by 1.",
            """
            def mcculloch_pitts(x, threshold, inhibitory=()):
                inh = list(inhibitory)
                keep = [j for j in range(x.shape[1]) if j not in inh]
                total = x[:, keep].sum(axis=1) - x[:, inh].sum(axis=1)
                return (total >= threshold).astype(float)
            """),
    mistake("mcculloch_pitts", "veto needs all inhibitory inputs",
            "a single active inhibitory input is enough to veto the output: use any(), not all().",
            """
            def mcculloch_pitts(x, threshold, inhibitory=()):
                inh = list(inhibitory)
                keep = [j for j in range(x.shape[1]) if j not in inh]
                vetoed = np.all(x[:, inh] == 1, axis=1) if inh else np.zeros(len(x), dtype=bool)
                return np.where(vetoed, 0.0, (x[:, keep].sum(axis=1) >= threshold).astype(float))
            """),
    # -- gate_weights -------------------------------------------------------------------------
    mistake("gate_weights", "NAND and NOR not negated",
            "NAND is NOT AND and NOR is NOT OR: negate both w and b of the AND and OR units.",
            """
            def gate_weights(gate):
                w, b = {"AND": ([1.0, 1.0], -1.5), "OR": ([1.0, 1.0], -0.5),
                        "NAND": ([1.0, 1.0], -1.5), "NOR": ([1.0, 1.0], -0.5)}[gate]
                return np.array(w), b
            """, feedback_says="is the complement (NOT) of"),
    mistake("gate_weights", "threshold on a corner",
            "a corner lies exactly on the line w . x + b = 0 and step(0) = 1 there: use thresholds "
            "between the sums, such as 1.5 for AND and 0.5 for OR.",
            """
            def gate_weights(gate):
                w, b = {"AND": ([1.0, 1.0], -1.0), "OR": ([1.0, 1.0], 0.0),
                        "NAND": ([-1.0, -1.0], 1.0), "NOR": ([-1.0, -1.0], 0.0)}[gate]
                return np.array(w), b
            """, feedback_says="is exactly 0 and step(0) = 1"),
    mistake("gate_weights", "bias equals the threshold",
            "the bias is minus the threshold: a unit that fires when w . x >= theta has b = -theta.",
            """
            def gate_weights(gate):
                w, b = {"AND": ([1.0, 1.0], 1.5), "OR": ([1.0, 1.0], 0.5),
                        "NAND": ([-1.0, -1.0], -1.5), "NOR": ([-1.0, -1.0], -0.5)}[gate]
                return np.array(w), b
            """, feedback_says="b is minus the threshold"),
    mistake("gate_weights", "bias inside w",
            "return w with one weight per input, shape (2,), and the bias separately as b.",
            """
            def gate_weights(gate):
                wb = {"AND": [1.0, 1.0, -1.5], "OR": [1.0, 1.0, -0.5],
                      "NAND": [-1.0, -1.0, 1.5], "NOR": [-1.0, -1.0, 0.5]}[gate]
                return np.array(wb), 0.0
            """, feedback_says="keep the bias out of w"),
    mistake("gate_weights", "AND and OR swapped",
            "AND needs a threshold above 1 (both inputs on), OR a threshold between 0 and 1.",
            """
            def gate_weights(gate):
                w, b = {"AND": ([1.0, 1.0], -0.5), "OR": ([1.0, 1.0], -1.5),
                        "NAND": ([-1.0, -1.0], 0.5), "NOR": ([-1.0, -1.0], 1.5)}[gate]
                return np.array(w), b
            """, feedback_says="computes OR instead of AND"),
    # -- perceptron_predict -------------------------------------------------------------------
    mistake("perceptron_predict", "no bias",
            "add the bias: the prediction is step(X @ w + b).",
            """
            def perceptron_predict(X, w, b):
                return np.where(X @ w >= 0, 1.0, 0.0)
            """),
    mistake("perceptron_predict", "strict inequality",
            "a point exactly on the boundary (X @ w + b == 0) is classified as 1: use >= 0.",
            """
            def perceptron_predict(X, w, b):
                return np.where(X @ w + b > 0, 1.0, 0.0)
            """),
    mistake("perceptron_predict", "transposed product",
            "rows of X are samples: compute X @ w (one score per row), not X.T @ w.",
            """
            def perceptron_predict(X, w, b):
                return np.where(X.T @ w + b >= 0, 1.0, 0.0)
            """),
    mistake("perceptron_predict", "raw scores",
            "apply the step function to the scores: the prediction is step(X @ w + b), 0 or 1.",
            """
            def perceptron_predict(X, w, b):
                return X @ w + b
            """),
    mistake("perceptron_predict", "labels -1 and +1",
            "the classes are 0 and 1 in this lesson, not -1 and +1: return step(X @ w + b).",
            """
            def perceptron_predict(X, w, b):
                return np.where(X @ w + b >= 0, 1.0, -1.0)
            """),
    # -- perceptron_fit -----------------------------------------------------------------------
    mistake("perceptron_fit", "does not stop",
            "stop after the first epoch with no error; its 0 is the last entry of errors_per_epoch.",
            _fit(("        if errors == 0:\n            break\n", ""))),
    mistake("perceptron_fit", "stops without recording the 0",
            "record the error-free epoch as a final 0 in errors_per_epoch, then stop.",
            _fit(("        errors_per_epoch.append(errors)\n        if errors == 0:\n            break\n",
                  "        if errors == 0:\n            break\n        errors_per_epoch.append(errors)\n")),
            feedback_says="the training stopped without recording the error-free epoch"),
    mistake("perceptron_fit", "no bias update",
            "update the bias too: b += lr * (y - y_hat), as the weight of a constant input 1.",
            _fit(("            b = b + update\n", ""))),
    mistake("perceptron_fit", "wrong sign",
            "the update is lr * (y - y_hat) * x: a sample of class 1 predicted as 0 must pull w "
            "towards x, not push it away.",
            _fit(("update = lr * (y[i] - y_hat)", "update = lr * (y_hat - y[i])"))),
    mistake("perceptron_fit", "random initial weights",
            "start from zero weights (np.zeros), not random ones.",
            _fit(("w = np.zeros(X.shape[1])", "w = np.random.randn(X.shape[1]) * 0.01")),
            feedback_says="without an rng the function must be deterministic"),
    mistake("perceptron_fit", "errors counted after the epoch",
            "count the mistakes made during the epoch (the updates), not the samples that the "
            "weights misclassify after it.",
            _fit(("        errors_per_epoch.append(errors)\n",
                  "        errors = int(np.sum((X @ w + b >= 0) != (y == 1)))\n"
                  "        errors_per_epoch.append(errors)\n"))),
    mistake("perceptron_fit", "strict inequality",
            "predict 1 when w . x + b >= 0 (step(0) = 1): with zero initial weights the very first "
            "prediction is 1.",
            _fit(("X[i] @ w + b >= 0", "X[i] @ w + b > 0"))),
    mistake("perceptron_fit", "ignores rng",
            "when rng is given, visit the samples in a fresh random order in every epoch.",
            _fit(("np.arange(len(X)) if rng is None else rng.permutation(len(X))", "np.arange(len(X))")),
            feedback_says="draw a fresh permutation"),
    mistake("perceptron_fit", "shuffles only once",
            "draw a new permutation in every epoch, not one for the whole training.",
            _fit(("    for epoch in range(epochs):\n"
                  "        order = np.arange(len(X)) if rng is None else rng.permutation(len(X))\n",
                  "    order = np.arange(len(X)) if rng is None else rng.permutation(len(X))\n"
                  "    for epoch in range(epochs):\n")),
            feedback_says="draw a fresh permutation"),
    mistake("perceptron_fit", "X and y shuffled separately",
            "shuffle with one permutation per epoch and use it for both X and y.",
            _fit(("        order = np.arange(len(X)) if rng is None else rng.permutation(len(X))\n",
                  "        order = np.arange(len(X))\n"
                  "        Xo, yo = X, y\n"
                  "        if rng is not None:\n"
                  "            Xo, yo = X[rng.permutation(len(X))], y[rng.permutation(len(X))]\n"),
                 ("y_hat = 1.0 if X[i] @ w", "y_hat = 1.0 if Xo[i] @ w"),
                 ("update = lr * (y[i] - y_hat)", "update = lr * (yo[i] - y_hat)"),
                 ("w = w + update * X[i]", "w = w + update * Xo[i]")),
            feedback_says="index X and y with the same permutation"),
    mistake("perceptron_fit", "float error counts",
            "errors_per_epoch holds ints: count with int() instead of adding float differences.",
            _fit(("errors += int(update != 0)", "errors += abs(y[i] - y_hat)")),
            feedback_says="errors_per_epoch should hold ints"),
    mistake("perceptron_fit", "integer zero weights",
            "start from float zeros, np.zeros(X.shape[1]): np.zeros_like of an integer row is an integer "
            "array, which cannot take the updates.",
            _fit(("w = np.zeros(X.shape[1])", "w = np.zeros_like(X[0])"),
                 ("            w = w + update * X[i]\n", "            w += update * X[i]\n"))),
    mistake("perceptron_fit", "one epoch too many",
            "run at most epochs epochs: range(epochs), not range(epochs + 1).",
            _fit(("for epoch in range(epochs):", "for epoch in range(epochs + 1):"))),
    mistake("perceptron_fit", "bias update without lr",
            "scale the bias update by the learning rate too: b += lr * (y - y_hat).",
            _fit(("            b = b + update\n", "            b = b + (y[i] - y_hat)\n"))),
    # -- xor_network --------------------------------------------------------------------------
    mistake("xor_network", "computes OR",
            "the output unit must fire for (0, 1) and (1, 0) but not for (1, 1): give it a negative "
            "weight from a hidden unit that detects (1, 1), such as an AND unit.",
            """
            def xor_network():
                return {"W1": np.array([[1.0, 1.0], [1.0, 1.0]]), "b1": np.array([-0.5, -1.5]),
                        "W2": np.array([1.0, 1.0]), "b2": -0.5}
            """, feedback_says="computes OR instead of XOR"),
    mistake("xor_network", "computes AND",
            "the output unit's threshold is too high: (0, 1) and (1, 0) must give 1.",
            """
            def xor_network():
                return {"W1": np.array([[1.0, 1.0], [1.0, 1.0]]), "b1": np.array([-0.5, -1.5]),
                        "W2": np.array([1.0, 1.0]), "b2": -1.5}
            """, feedback_says="computes AND instead of XOR"),
    mistake("xor_network", "computes XNOR",
            "the output is inverted: negate the output unit's weights and bias.",
            """
            def xor_network():
                return {"W1": np.array([[1.0, 1.0], [1.0, 1.0]]), "b1": np.array([-0.5, -1.5]),
                        "W2": np.array([-1.0, 1.0]), "b2": 0.5}
            """, feedback_says="computes XNOR instead of XOR"),
    mistake("xor_network", "AND unit with a tie",
            "with b = -1 the 'AND' hidden unit has pre-activation 0 at (0, 1) and (1, 0), and step(0) = 1, "
            "so it acts as OR: use b = -1.5.",
            """
            def xor_network():
                return {"W1": np.array([[1.0, 1.0], [1.0, 1.0]]), "b1": np.array([-0.5, -1.0]),
                        "W2": np.array([1.0, -1.0]), "b2": -0.5}
            """, feedback_says="pre-activation is exactly 0, and step(0) = 1"),
    mistake("xor_network", "W2 as a row",
            "W2 maps the H hidden units to one output: shape (H,) or (H, 1), not (1, H).",
            """
            def xor_network():
                return {"W1": np.array([[1.0, -1.0], [1.0, -1.0]]), "b1": np.array([-0.5, 1.5]),
                        "W2": np.array([[1.0, 1.0]]), "b2": -1.5}
            """, feedback_says="the shapes do not fit"),
]

ALTERNATIVES = [
    alternative("gate_weights", "plain Python lists and numbers", """
        def gate_weights(gate):
            return {"AND": ([1, 1], -1.5), "OR": ([1, 1], -0.5),
                    "NAND": ([-1, -1], 1.5), "NOR": ([-1, -1], 0.5)}[gate]
        """),
    alternative("xor_network", "nested lists and an int bias", """
        def xor_network():
            return {"W1": [[1, 1], [1, 1]], "b1": [-0.5, -1.5], "W2": [[2], [-4]], "b2": -1}
        """),
    alternative("step", "heaviside", """
        def step(z):
            return np.heaviside(z, 1.0)
        """),
    alternative("step", "float32 result", """
        def step(z):
            return np.greater_equal(z, 0).astype(np.float32)
        """),
    alternative("step", "copy and assign", """
        def step(z):
            out = np.zeros(np.shape(z))
            out[np.asarray(z) >= 0] = 1.0
            return out
        """),
    alternative("mcculloch_pitts", "loop over rows, integer output", """
        def mcculloch_pitts(x, threshold, inhibitory=()):
            out = []
            for row in x:
                if any(row[j] == 1 for j in inhibitory):
                    out.append(0)
                else:
                    total = sum(v for j, v in enumerate(row) if j not in inhibitory)
                    out.append(int(total >= threshold))
            return np.array(out)
        """),
    alternative("mcculloch_pitts", "np.delete, boolean output", """
        def mcculloch_pitts(x, threshold, inhibitory=()):
            excit = np.delete(x, list(inhibitory), axis=1).sum(axis=1)
            vetoed = x[:, list(inhibitory)].max(axis=1, initial=0) > 0
            return (excit >= threshold) & ~vetoed
        """),
    alternative("gate_weights", "other weights", """
        def gate_weights(gate):
            table = {"AND": ([2, 2], -3), "OR": ([2, 2], -1), "NAND": ([-2, -2], 3), "NOR": ([-2, -2], 1)}
            w, b = table[gate]
            return np.array(w, dtype=float), float(b)
        """),
    alternative("gate_weights", "asymmetric weights", """
        def gate_weights(gate):
            if gate == "AND":
                return np.array([0.7, 0.4]), -1.0
            if gate == "OR":
                return np.array([0.3, 0.9]), -0.2
            if gate == "NAND":
                return np.array([-0.7, -0.4]), 1.0
            return np.array([-0.3, -0.9]), 0.2
        """),
    alternative("perceptron_predict", "heaviside", """
        def perceptron_predict(X, w, b):
            return np.heaviside(X @ w + b, 1.0)
        """),
    alternative("perceptron_predict", "loop, integer labels", """
        def perceptron_predict(X, w, b):
            labels = []
            for x in X:
                score = b
                for xj, wj in zip(x, w):
                    score += xj * wj
                labels.append(1 if score >= 0 else 0)
            return np.array(labels)
        """),
    alternative("perceptron_fit", "bias trick", """
        def perceptron_fit(X, y, lr=1.0, epochs=100, rng=None):
            Xa = np.hstack([np.asarray(X, dtype=float), np.ones((len(X), 1))])
            wa = np.zeros(Xa.shape[1])
            errors_per_epoch = []
            for _ in range(epochs):
                idx = np.arange(len(Xa))
                if rng is not None:
                    rng.shuffle(idx)
                mistakes = 0
                for i in idx:
                    y_hat = 1.0 if Xa[i] @ wa >= 0 else 0.0
                    if y_hat != y[i]:
                        wa += lr * (y[i] - y_hat) * Xa[i]
                        mistakes += 1
                errors_per_epoch.append(mistakes)
                if mistakes == 0:
                    break
            return wa[:-1], float(wa[-1]), errors_per_epoch
        """),
    alternative("perceptron_fit", "rng.choice and numpy counts", """
        def perceptron_fit(X, y, lr=1.0, epochs=100, rng=None):
            n, d = X.shape
            w, b = np.zeros(d), 0.0
            history = []
            epoch = 0
            while epoch < epochs:
                order = range(n) if rng is None else rng.choice(n, size=n, replace=False)
                wrong = np.int64(0)
                for i in order:
                    err = y[i] - (1.0 if np.dot(w, X[i]) + b >= 0 else 0.0)
                    w = w + lr * err * X[i]
                    b += lr * err
                    wrong += err != 0
                history.append(wrong)
                epoch += 1
                if wrong == 0:
                    break
            return w, b, history
        """),
    alternative("xor_network", "OR and AND, output OR AND NOT AND", """
        def xor_network():
            return {"W1": np.array([[1.0, 1.0], [1.0, 1.0]]), "b1": np.array([-0.5, -1.5]),
                    "W2": np.array([1.0, -2.0]), "b2": -0.5}
        """),
    alternative("xor_network", "column W2, three hidden units", """
        def xor_network():
            W1 = np.array([[1.0, -1.0, 0.0], [-1.0, 1.0, 0.0]])
            b1 = np.array([-0.5, -0.5, -1.0])
            W2 = np.array([[1.0], [1.0], [0.0]])
            return {"W1": W1, "b1": b1, "W2": W2, "b2": np.array([-0.5])}
        """),
]
