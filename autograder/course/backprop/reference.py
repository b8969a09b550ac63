"""NumPy reference implementations for lesson 04_backprop.

Conventions (COURSE.md): rows are samples, a dense kernel ``W`` is ``(D_in, D_out)`` and a bias
``b`` is ``(D_out,)``; ``dense_forward`` caches ``(X, W, b)``, ``activation_forward`` caches
``(Z, name)``, ``mlp_forward`` caches a list of ``(dense_cache, activation_cache)`` pairs.
"""
import numpy as np



def _sigmoid(z):
    z = np.asarray(z)
    out = np.empty_like(z, dtype=np.result_type(z, np.float32))
    pos = z >= 0
    out[pos] = 1.0 / (1.0 + np.exp(-z[pos]))
    e = np.exp(z[~pos])
    out[~pos] = e / (1.0 + e)
    return out


def dense_forward(X, W, b):
    return X @ W + b, (X, W, b)


def dense_backward(dZ, cache):
    X, W, b = cache
    return dZ @ W.T, X.T @ dZ, dZ.sum(axis=0)


def _act(Z, name):
    if name == "linear":
        return Z.copy()
    if name == "sigmoid":
        return _sigmoid(Z)
    if name == "tanh":
        return np.tanh(Z)
    if name == "relu":
        return np.maximum(Z, 0)
    raise ValueError(f"unknown activation {name!r}")


def activation_forward(Z, name):
    return _act(Z, name), (Z, name)


def activation_backward(dA, cache):
    Z, name = cache
    if name == "linear":
        return dA * np.ones_like(Z)
    if name == "sigmoid":
        s = _sigmoid(Z)
        return dA * s * (1 - s)
    if name == "tanh":
        return dA * (1 - np.tanh(Z) ** 2)
    if name == "relu":
        return dA * (Z > 0)
    raise ValueError(f"unknown activation {name!r}")


def numerical_gradient(f, x, h=1e-5):
    grad = np.zeros(np.shape(x), dtype=np.float64)
    for i in np.ndindex(np.shape(x)):
        old = x[i]
        x[i] = old + h
        plus = f(x)
        x[i] = old - h
        minus = f(x)
        x[i] = old
        grad[i] = (plus - minus) / (2 * h)
    return grad


def relative_error(a, b):
    a = np.asarray(a, dtype=np.float64)
    b = np.asarray(b, dtype=np.float64)
    return float(np.max(np.abs(a - b) / np.maximum(1e-8, np.abs(a) + np.abs(b))))


WORKED = dict(x1=1.0, x2=2.0, Ya=3.0, w1=0.1, w2=0.2, w3=0.1, w4=0.2, w5=0.3, w6=0.4, b1=1.0, b2=0.5)


def worked_example():
    p = WORKED
    sig = lambda v: 1.0 / (1.0 + np.exp(-v))  # noqa: E731
    HN1i = p["w1"] * p["x1"] + p["w3"] * p["x2"] + p["b1"]
    HN2i = p["w2"] * p["x1"] + p["w4"] * p["x2"] + p["b1"]
    HN1o, HN2o = sig(HN1i), sig(HN2i)
    ONi = p["w5"] * HN1o + p["w6"] * HN2o + p["b2"]
    Yp = sig(ONi)
    Cf = 0.5 * (p["Ya"] - Yp) ** 2
    dON = (Yp - p["Ya"]) * Yp * (1 - Yp)          # dCf/dYp * dYp/dON
    dH1 = dON * p["w5"] * HN1o * (1 - HN1o)        # dCf/dHN1i
    dH2 = dON * p["w6"] * HN2o * (1 - HN2o)        # dCf/dHN2i
    out = dict(HN1i=HN1i, HN1o=HN1o, HN2i=HN2i, HN2o=HN2o, ONi=ONi, Yp=Yp, Cf=Cf,
               dw1=dH1 * p["x1"], dw2=dH2 * p["x1"], dw3=dH1 * p["x2"], dw4=dH2 * p["x2"],
               dw5=dON * HN1o, dw6=dON * HN2o, db1=dH1 + dH2, db2=dON)
    return {k: float(v) for k, v in out.items()}


def mlp_forward(X, params, activations):
    caches = []
    A = X
    for (W, b), name in zip(params, activations):
        Z, dense_cache = dense_forward(A, W, b)
        A, act_cache = activation_forward(Z, name)
        caches.append((dense_cache, act_cache))
    return A, caches


def mlp_backward(dout, caches):
    grads = []
    d = dout
    for dense_cache, act_cache in reversed(caches):
        dZ = activation_backward(d, act_cache)
        d, dW, db = dense_backward(dZ, dense_cache)
        grads.append((dW, db))
    return grads[::-1]


def train_mlp(X, y, hidden_sizes, lr, epochs, rng):
    """Full-batch gradient descent, tanh hidden layers, Glorot-uniform init, sigmoid + BCE."""
    X = np.asarray(X, dtype=np.float64)
    y = np.asarray(y, dtype=np.float64).reshape(-1, 1)
    sizes = [X.shape[1], *hidden_sizes, 1]
    params = []
    for fan_in, fan_out in zip(sizes[:-1], sizes[1:]):
        limit = np.sqrt(6.0 / (fan_in + fan_out))
        params.append((rng.uniform(-limit, limit, (fan_in, fan_out)), np.zeros(fan_out)))
    acts = ["tanh"] * len(hidden_sizes) + ["sigmoid"]
    losses = []
    n = len(X)
    for _ in range(epochs):
        p, caches = mlp_forward(X, params, acts)
        pc = np.clip(p, 1e-7, 1 - 1e-7)
        losses.append(float(-np.mean(y * np.log(pc) + (1 - y) * np.log(1 - pc))))
        # sigmoid + BCE: dL/dZ_out = (p - y) / n; pass it through the linear part of the last layer
        dZ = (p - y) / n
        grads_out = dense_backward(dZ, caches[-1][0])
        d = grads_out[0]
        grads = [(grads_out[1], grads_out[2])]
        for dense_cache, act_cache in reversed(caches[:-1]):
            dZh = activation_backward(d, act_cache)
            d, dW, db = dense_backward(dZh, dense_cache)
            grads.append((dW, db))
        grads = grads[::-1]
        params = [(W - lr * dW, b - lr * db) for (W, b), (dW, db) in zip(params, grads)]
    return params, losses
