"""NumPy references of lesson 05_optimizers.

Update rules in the CS231n style, ``next_w, config = rule(w, dw, config)``: hyper-parameters
and state live in ``config`` (Keras' names for the hyper-parameters, a missing one takes
Keras 3's default). Each rule reproduces the corresponding ``keras.optimizers`` class step
for step (verified on float64 variables with float64 hyper-parameters; see optimizers_keras).
"""
import numpy as np


def _setup(config, **defaults):
    config = {} if config is None else config
    for key, value in defaults.items():
        config.setdefault(key, value)
    return config


def sgd(w, dw, config=None):
    """keras.optimizers.SGD(): w <- w - lr * g."""
    config = _setup(config, learning_rate=0.01)
    return w - config["learning_rate"] * dw, config


def sgd_momentum(w, dw, config=None):
    """keras.optimizers.SGD(momentum=...): v <- momentum * v - lr * g; w <- w + v."""
    config = _setup(config, learning_rate=0.01, momentum=0.0)
    v = config.get("velocity", np.zeros_like(w, dtype=np.float64))
    v = config["momentum"] * v - config["learning_rate"] * dw
    config["velocity"] = v
    return w + v, config


def nesterov_momentum(w, dw, config=None):
    """keras.optimizers.SGD(momentum=..., nesterov=True): v as above; w <- w + momentum * v - lr * g."""
    config = _setup(config, learning_rate=0.01, momentum=0.0)
    v = config.get("velocity", np.zeros_like(w, dtype=np.float64))
    v = config["momentum"] * v - config["learning_rate"] * dw
    config["velocity"] = v
    return w + config["momentum"] * v - config["learning_rate"] * dw, config


def adagrad(w, dw, config=None):
    """keras.optimizers.Adagrad(): acc <- acc + g^2 (acc starts at 0.1); w <- w - lr g / sqrt(acc + eps)."""
    config = _setup(config, learning_rate=0.001, initial_accumulator_value=0.1, epsilon=1e-7)
    acc = config.get("accumulator", np.full(np.shape(w), config["initial_accumulator_value"], dtype=np.float64))
    acc = acc + dw * dw
    config["accumulator"] = acc
    return w - config["learning_rate"] * dw / np.sqrt(acc + config["epsilon"]), config


def rmsprop(w, dw, config=None):
    """keras.optimizers.RMSprop(): v <- rho v + (1 - rho) g^2; w <- w - lr g / sqrt(v + eps)."""
    config = _setup(config, learning_rate=0.001, rho=0.9, epsilon=1e-7)
    v = config.get("cache", np.zeros(np.shape(w), dtype=np.float64))
    v = config["rho"] * v + (1 - config["rho"]) * dw * dw
    config["cache"] = v
    return w - config["learning_rate"] * dw / np.sqrt(v + config["epsilon"]), config


def adam(w, dw, config=None):
    """keras.optimizers.Adam(): alpha = lr sqrt(1 - b2^t) / (1 - b1^t); w <- w - alpha m / (sqrt(v) + eps)."""
    config = _setup(config, learning_rate=0.001, beta_1=0.9, beta_2=0.999, epsilon=1e-7)
    b1, b2 = config["beta_1"], config["beta_2"]
    t = config.get("t", 0) + 1
    m = b1 * config.get("m", np.zeros(np.shape(w))) + (1 - b1) * dw
    v = b2 * config.get("v", np.zeros(np.shape(w))) + (1 - b2) * dw * dw
    config.update(t=t, m=m, v=v)
    alpha = config["learning_rate"] * np.sqrt(1 - b2 ** t) / (1 - b1 ** t)
    return w - alpha * m / (np.sqrt(v) + config["epsilon"]), config


def exponential_decay(step, initial_learning_rate, decay_steps, decay_rate, staircase=False):
    """keras.optimizers.schedules.ExponentialDecay: lr0 * rate ** (step / decay_steps), floored if staircase."""
    p = step / decay_steps
    if staircase:
        p = np.floor(p)
    return float(initial_learning_rate * decay_rate ** p)


def minibatches(X, y, batch_size, rng=None):
    """A list of (X_batch, y_batch): every sample once, in order (shuffled with rng), last batch kept."""
    n = len(X)
    order = np.arange(n) if rng is None else rng.permutation(n)
    return [(X[order[i:i + batch_size]], y[order[i:i + batch_size]]) for i in range(0, n, batch_size)]


def train_softmax_mlp(X, y, X_val, y_val, hidden_size, epochs, batch_size, rng):
    """D -> hidden_size ReLU -> 10 softmax, sparse cross-entropy, Adam(1e-3), shuffled mini-batches.

    Returns ([(W1, b1), (W2, b2)], history): history's "loss", "accuracy", "val_loss" and
    "val_accuracy" on the whole sets, before training and after each epoch (epochs + 1 each).
    """
    X, X_val = np.asarray(X, dtype=np.float64), np.asarray(X_val, dtype=np.float64)
    y, y_val = np.asarray(y).astype(int), np.asarray(y_val).astype(int)
    d, k = X.shape[1], 10
    params = [rng.normal(0.0, np.sqrt(2.0 / d), (d, hidden_size)), np.zeros(hidden_size),
              rng.normal(0.0, np.sqrt(1.0 / hidden_size), (hidden_size, k)), np.zeros(k)]

    def forward(Xb):
        Z1 = Xb @ params[0] + params[1]
        H = np.maximum(Z1, 0.0)
        return Z1, H, H @ params[2] + params[3]

    def log_softmax(Z):
        S = Z - Z.max(axis=1, keepdims=True)
        return S - np.log(np.exp(S).sum(axis=1, keepdims=True))

    history = {"loss": [], "accuracy": [], "val_loss": [], "val_accuracy": []}

    def record():
        for prefix, Xe, ye in (("", X, y), ("val_", X_val, y_val)):
            logp = log_softmax(forward(Xe)[2])
            history[prefix + "loss"].append(float(-np.mean(logp[np.arange(len(ye)), ye])))
            history[prefix + "accuracy"].append(float(np.mean(logp.argmax(axis=1) == ye)))

    m = [np.zeros_like(p) for p in params]
    v = [np.zeros_like(p) for p in params]
    lr, beta_1, beta_2, eps = 1e-3, 0.9, 0.999, 1e-7
    record()
    t = 0
    for _ in range(epochs):
        order = rng.permutation(len(X))
        for start in range(0, len(X), batch_size):
            idx = order[start:start + batch_size]
            Xb, yb = X[idx], y[idx]
            Z1, H, Z2 = forward(Xb)
            dZ2 = np.exp(log_softmax(Z2))
            dZ2[np.arange(len(yb)), yb] -= 1.0
            dZ2 /= len(yb)
            dZ1 = (dZ2 @ params[2].T) * (Z1 > 0)
            grads = [Xb.T @ dZ1, dZ1.sum(axis=0), H.T @ dZ2, dZ2.sum(axis=0)]
            t += 1
            alpha = lr * np.sqrt(1 - beta_2 ** t) / (1 - beta_1 ** t)
            for i, g in enumerate(grads):
                m[i] = beta_1 * m[i] + (1 - beta_1) * g
                v[i] = beta_2 * v[i] + (1 - beta_2) * g * g
                params[i] = params[i] - alpha * m[i] / (np.sqrt(v[i]) + eps)
        record()
    return [(params[0], params[1]), (params[2], params[3])], history
