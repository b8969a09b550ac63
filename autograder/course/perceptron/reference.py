"""Reference implementations for lesson 01_perceptron."""
import numpy as np


def step(z):
    """Heaviside step with step(0) = 1, as floats, for any shape."""
    return np.where(np.asarray(z) >= 0, 1.0, 0.0)


def mcculloch_pitts(x, threshold, inhibitory=()):
    """Threshold logic with absolute inhibition: any active inhibitory input vetoes."""
    x = np.asarray(x)
    is_inhibitory = np.zeros(x.shape[1], dtype=bool)
    is_inhibitory[list(inhibitory)] = True
    excitation = x[:, ~is_inhibitory].sum(axis=1)
    vetoed = (x[:, is_inhibitory] != 0).any(axis=1)
    return np.where(vetoed, 0.0, np.where(excitation >= threshold, 1.0, 0.0))


_GATES = {
    "AND": (np.array([1.0, 1.0]), -1.5),
    "OR": (np.array([1.0, 1.0]), -0.5),
    "NAND": (np.array([-1.0, -1.0]), 1.5),
    "NOR": (np.array([-1.0, -1.0]), 0.5),
}


def gate_weights(gate):
    w, b = _GATES[gate]
    return w.copy(), float(b)


def perceptron_predict(X, w, b):
    return step(np.asarray(X) @ np.asarray(w) + b)


def perceptron_fit(X, y, lr=1.0, epochs=100, rng=None):
    """Rosenblatt's rule from zero weights; stops after the first epoch without an error."""
    X = np.asarray(X, dtype=np.float64)
    y = np.asarray(y, dtype=np.float64)
    n, d = X.shape
    w = np.zeros(d)
    b = 0.0
    errors_per_epoch = []
    for _ in range(epochs):
        order = np.arange(n) if rng is None else rng.permutation(n)
        errors = 0
        for i in order:
            y_hat = 1.0 if X[i] @ w + b >= 0 else 0.0
            delta = y[i] - y_hat
            if delta != 0:
                w = w + lr * delta * X[i]
                b = b + lr * delta
                errors += 1
        errors_per_epoch.append(errors)
        if errors == 0:
            break
    return w, float(b), errors_per_epoch


def xor_network():
    """Hidden units OR and NAND; the output unit is their AND."""
    return {
        "W1": np.array([[1.0, -1.0], [1.0, -1.0]]),
        "b1": np.array([-0.5, 1.5]),
        "W2": np.array([1.0, 1.0]),
        "b2": -1.5,
    }
