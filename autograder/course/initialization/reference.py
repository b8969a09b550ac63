"""NumPy references of lesson 06_initialization (written independently of the notebook).

Initializers follow Keras 3 (``keras.initializers.GlorotUniform`` ... ``HeNormal``): a kernel of
shape ``(fan_in, fan_out)``; the uniform ones U(-l, l), the normal ones a *truncated* normal whose
stddev is sqrt(2 / n) / 0.87962566103423978 with values beyond two of that stddev redrawn.
"""
import numpy as np

TRUNC_CORRECTION = 0.87962566103423978  # std of a standard normal truncated to [-2, 2]


def _uniform(limit, shape, rng):
    return rng.uniform(-limit, limit, size=shape)


def _truncated_normal(std, shape, rng):
    """N(0, stddev^2) with stddev = std / 0.8796..., values beyond 2 stddev redrawn."""
    stddev = std / TRUNC_CORRECTION
    out = rng.normal(0.0, stddev, size=shape)
    bad = np.abs(out) > 2 * stddev
    while bad.any():
        out[bad] = rng.normal(0.0, stddev, size=int(bad.sum()))
        bad = np.abs(out) > 2 * stddev
    return out


def glorot_uniform(fan_in, fan_out, rng):
    return _uniform(np.sqrt(6.0 / (fan_in + fan_out)), (fan_in, fan_out), rng)


def glorot_normal(fan_in, fan_out, rng):
    return _truncated_normal(np.sqrt(2.0 / (fan_in + fan_out)), (fan_in, fan_out), rng)


def he_uniform(fan_in, fan_out, rng):
    return _uniform(np.sqrt(6.0 / fan_in), (fan_in, fan_out), rng)


def he_normal(fan_in, fan_out, rng):
    return _truncated_normal(np.sqrt(2.0 / fan_in), (fan_in, fan_out), rng)


INITIALIZERS = {"glorot_uniform": glorot_uniform, "glorot_normal": glorot_normal,
                "he_uniform": he_uniform, "he_normal": he_normal}


def _act(name, z):
    """(activation, its derivative) at z."""
    if name == "linear":
        return z, np.ones_like(z)
    if name == "relu":
        return np.maximum(z, 0.0), (z > 0).astype(z.dtype)
    if name == "tanh":
        a = np.tanh(z)
        return a, 1.0 - a * a
    if name == "sigmoid":
        a = 0.5 * (1.0 + np.tanh(0.5 * z))  # stable sigmoid
        return a, a * (1.0 - a)
    raise ValueError(f"unknown activation {name!r}")


def _forward(init, activation, depth, width, n_samples, rng):
    init_fn = INITIALIZERS[init] if isinstance(init, str) else init
    a = rng.standard_normal((n_samples, width))
    layers = []  # (input, W, derivative at Z, output)
    for _ in range(depth):
        W = np.asarray(init_fn(width, width, rng), dtype=np.float64)
        out, deriv = _act(activation, a @ W)
        layers.append((a, W, deriv, out))
        a = out
    return layers


def activation_stds(init, activation, depth, width, n_samples, rng):
    return [float(np.std(out)) for _, _, _, out in _forward(init, activation, depth, width, n_samples, rng)]


def gradient_norms(init, activation, depth, width, n_samples, rng):
    layers = _forward(init, activation, depth, width, n_samples, rng)
    grad = np.full((n_samples, width), 1.0 / n_samples)  # dL/dA of the last layer
    norms = []
    for a_in, W, deriv, _ in reversed(layers):
        dz = grad * deriv
        norms.append(float(np.linalg.norm(a_in.T @ dz)))
        grad = dz @ W.T
    return norms[::-1]


def clip_by_value(g, clip_value):
    return np.clip(np.asarray(g), -clip_value, clip_value)


def clip_by_norm(g, clip_norm):
    g = np.asarray(g)
    norm = np.sqrt(np.sum(np.square(g.astype(np.float64))))
    if norm > clip_norm:
        return (g * (clip_norm / norm)).astype(g.dtype)
    return g.copy()


def clip_by_global_norm(grads, clip_norm):
    arrays = [np.asarray(g) for g in grads]
    global_norm = np.sqrt(sum(float(np.sum(np.square(g.astype(np.float64)))) for g in arrays))
    scale = clip_norm / max(clip_norm, global_norm)
    return [(g * scale).astype(g.dtype) for g in arrays]
