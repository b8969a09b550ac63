"""Known mistakes and correct alternatives for lesson 05_optimizers."""
from ...grading.mistakes import alternative, mistake

STATE_HINT = ("keep the rule's state (velocity, accumulators, step count) in `config` so that the next "
              "call continues from it: here it restarts from zero at every step.")
DEFAULTS_HINT = ("a key missing from `config` takes Keras' default: use config.get(key, default) or "
                 "config.setdefault(key, default) instead of config[key].")

MISTAKES = [
    # -- sgd -------------------------------------------------------------------------------
    mistake("sgd", "gradient ascent",
            "step against the gradient: w - learning_rate * dw, not w + learning_rate * dw.",
            """
            def sgd(w, dw, config=None):
                config = {} if config is None else config
                config.setdefault("learning_rate", 1e-2)
                return w + config["learning_rate"] * dw, config
            """),
    mistake("sgd", "hard-coded learning rate",
            "read the learning rate from config['learning_rate'] (0.01 only when it is missing).",
            """
            def sgd(w, dw, config=None):
                return w - 0.01 * dw, config
            """),
    mistake("sgd", "no defaults",
            DEFAULTS_HINT,
            """
            def sgd(w, dw, config=None):
                return w - config["learning_rate"] * dw, config
            """),
    # -- sgd_momentum ------------------------------------------------------------------------
    mistake("sgd_momentum", "velocity sign",
            "Keras' velocity points downhill: v = momentum * v - learning_rate * dw, then w = w + v "
            "(with v = momentum * v + learning_rate * dw you must subtract it, w = w - v).",
            """
            def sgd_momentum(w, dw, config=None):
                config = {} if config is None else config
                config.setdefault("learning_rate", 1e-2)
                config.setdefault("momentum", 0.0)
                v = config.get("velocity", np.zeros_like(w))
                v = config["momentum"] * v - config["learning_rate"] * dw
                config["velocity"] = v
                return w - v, config
            """),
    mistake("sgd_momentum", "velocity not stored",
            STATE_HINT,
            """
            def sgd_momentum(w, dw, config=None):
                config = {} if config is None else config
                lr, mu = config.get("learning_rate", 1e-2), config.get("momentum", 0.0)
                v = np.zeros_like(w)
                v = mu * v - lr * dw
                return w + v, config
            """),
    mistake("sgd_momentum", "CS231n default momentum",
            "Keras' SGD defaults to momentum=0.0 (CS231n's 0.9 is not Keras' default): use 0.0 when the key is missing.",
            """
            def sgd_momentum(w, dw, config=None):
                config = {} if config is None else config
                config.setdefault("learning_rate", 1e-2)
                config.setdefault("momentum", 0.9)
                v = config.get("velocity", np.zeros_like(w))
                v = config["momentum"] * v - config["learning_rate"] * dw
                config["velocity"] = v
                return w + v, config
            """),
    # -- nesterov_momentum -------------------------------------------------------------------
    mistake("nesterov_momentum", "plain momentum",
            "that is plain momentum (w + v): Nesterov steps to w + momentum * v - learning_rate * dw "
            "with the updated v, a look-ahead along the new velocity.",
            """
            def nesterov_momentum(w, dw, config=None):
                config = {} if config is None else config
                lr, mu = config.get("learning_rate", 1e-2), config.get("momentum", 0.0)
                v = mu * config.get("velocity", np.zeros_like(w)) - lr * dw
                config["velocity"] = v
                return w + v, config
            """),
    mistake("nesterov_momentum", "look-ahead without the gradient",
            "Nesterov's step is w + momentum * v - learning_rate * dw: keep the gradient term after the "
            "look-ahead along the new velocity.",
            """
            def nesterov_momentum(w, dw, config=None):
                config = {} if config is None else config
                lr, mu = config.get("learning_rate", 1e-2), config.get("momentum", 0.0)
                v = mu * config.get("velocity", np.zeros_like(w)) - lr * dw
                config["velocity"] = v
                return w + mu * v, config
            """),
    mistake("nesterov_momentum", "velocity not stored",
            STATE_HINT,
            """
            def nesterov_momentum(w, dw, config=None):
                config = {} if config is None else config
                lr, mu = config.get("learning_rate", 1e-2), config.get("momentum", 0.0)
                v = -lr * dw
                return w + mu * v - lr * dw, config
            """),
    # -- adagrad -----------------------------------------------------------------------------
    mistake("adagrad", "accumulator starts at 0",
            "Keras' accumulator starts at initial_accumulator_value (0.1 by default), not at 0.",
            """
            def adagrad(w, dw, config=None):
                config = {} if config is None else config
                lr, eps = config.get("learning_rate", 1e-3), config.get("epsilon", 1e-7)
                acc = config.get("acc", np.zeros_like(w)) + dw * dw
                config["acc"] = acc
                return w - lr * dw / np.sqrt(acc + eps), config
            """),
    mistake("adagrad", "eps outside the root",
            "Keras' Adagrad divides by sqrt(accumulator + epsilon), with epsilon inside the square root.",
            """
            def adagrad(w, dw, config=None):
                config = {} if config is None else config
                lr, eps = config.get("learning_rate", 1e-3), config.get("epsilon", 1e-7)
                acc = config.get("acc", np.full_like(w, config.get("initial_accumulator_value", 0.1))) + dw * dw
                config["acc"] = acc
                return w - lr * dw / (np.sqrt(acc) + eps), config
            """),
    mistake("adagrad", "CS231n default learning rate",
            "Keras' Adagrad defaults to learning_rate=0.001: use it when the key is missing.",
            """
            def adagrad(w, dw, config=None):
                config = {} if config is None else config
                lr, eps = config.get("learning_rate", 1e-2), config.get("epsilon", 1e-7)
                acc = config.get("acc", np.full_like(w, config.get("initial_accumulator_value", 0.1))) + dw * dw
                config["acc"] = acc
                return w - lr * dw / np.sqrt(acc + eps), config
            """),
    mistake("adagrad", "accumulator not stored",
            STATE_HINT,
            """
            def adagrad(w, dw, config=None):
                config = {} if config is None else config
                lr, eps = config.get("learning_rate", 1e-3), config.get("epsilon", 1e-7)
                acc = np.full_like(w, config.get("initial_accumulator_value", 0.1)) + dw * dw
                return w - lr * dw / np.sqrt(acc + eps), config
            """),
    mistake("adagrad", "absolute gradients accumulated",
            "AdaGrad accumulates the squared gradient, acc += dw**2, and divides by sqrt(acc + epsilon).",
            """
            def adagrad(w, dw, config=None):
                config = {} if config is None else config
                lr, eps = config.get("learning_rate", 1e-3), config.get("epsilon", 1e-7)
                acc = config.get("acc", np.full_like(w, config.get("initial_accumulator_value", 0.1))) + np.abs(dw)
                config["acc"] = acc
                return w - lr * dw / np.sqrt(acc + eps), config
            """),
    # -- rmsprop -----------------------------------------------------------------------------
    mistake("rmsprop", "gradient instead of its square",
            "the moving average is of the squared gradient: v = rho * v + (1 - rho) * dw**2.",
            """
            def rmsprop(w, dw, config=None):
                config = {} if config is None else config
                lr, rho, eps = config.get("learning_rate", 1e-3), config.get("rho", 0.9), config.get("epsilon", 1e-7)
                v = rho * config.get("cache", np.zeros_like(w)) + (1 - rho) * dw
                config["cache"] = v
                return w - lr * dw / np.sqrt(np.abs(v) + eps), config
            """),
    mistake("rmsprop", "eps outside the root",
            "Keras' RMSprop divides by sqrt(v + epsilon), with epsilon inside the square root "
            "(CS231n's sqrt(v) + epsilon differs where gradients are small).",
            """
            def rmsprop(w, dw, config=None):
                config = {} if config is None else config
                lr, rho, eps = config.get("learning_rate", 1e-3), config.get("rho", 0.9), config.get("epsilon", 1e-7)
                v = rho * config.get("cache", np.zeros_like(w)) + (1 - rho) * dw * dw
                config["cache"] = v
                return w - lr * dw / (np.sqrt(v) + eps), config
            """),
    mistake("rmsprop", "CS231n default rho",
            "Keras' RMSprop defaults to rho=0.9 (CS231n's decay_rate is 0.99).",
            """
            def rmsprop(w, dw, config=None):
                config = {} if config is None else config
                lr, rho, eps = config.get("learning_rate", 1e-3), config.get("rho", 0.99), config.get("epsilon", 1e-7)
                v = rho * config.get("cache", np.zeros_like(w)) + (1 - rho) * dw * dw
                config["cache"] = v
                return w - lr * dw / np.sqrt(v + eps), config
            """),
    mistake("rmsprop", "rho and 1 - rho swapped",
            "rho weighs the old average: v = rho * v + (1 - rho) * dw**2.",
            """
            def rmsprop(w, dw, config=None):
                config = {} if config is None else config
                lr, rho, eps = config.get("learning_rate", 1e-3), config.get("rho", 0.9), config.get("epsilon", 1e-7)
                v = (1 - rho) * config.get("cache", np.zeros_like(w)) + rho * dw * dw
                config["cache"] = v
                return w - lr * dw / np.sqrt(v + eps), config
            """),
    mistake("rmsprop", "average not stored",
            STATE_HINT,
            """
            def rmsprop(w, dw, config=None):
                config = {} if config is None else config
                lr, rho, eps = config.get("learning_rate", 1e-3), config.get("rho", 0.9), config.get("epsilon", 1e-7)
                v = (1 - rho) * dw * dw
                return w - lr * dw / np.sqrt(v + eps), config
            """),
    # -- adam --------------------------------------------------------------------------------
    mistake("adam", "no bias correction",
            "correct the bias of the zero-initialised averages: Keras' step size is "
            "learning_rate * sqrt(1 - beta_2**t) / (1 - beta_1**t), with t counting from 1.",
            """
            def adam(w, dw, config=None):
                config = {} if config is None else config
                lr, b1, b2 = config.get("learning_rate", 1e-3), config.get("beta_1", 0.9), config.get("beta_2", 0.999)
                eps = config.get("epsilon", 1e-7)
                m = b1 * config.get("m", np.zeros_like(w)) + (1 - b1) * dw
                v = b2 * config.get("v", np.zeros_like(w)) + (1 - b2) * dw * dw
                config["m"], config["v"] = m, v
                return w - lr * m / (np.sqrt(v) + eps), config
            """),
    mistake("adam", "eps inside the square root",
            "Adam adds epsilon outside the root: sqrt(v) + epsilon (RMSprop's Keras form puts it inside).",
            """
            def adam(w, dw, config=None):
                config = {} if config is None else config
                lr, b1, b2 = config.get("learning_rate", 1e-3), config.get("beta_1", 0.9), config.get("beta_2", 0.999)
                eps = config.get("epsilon", 1e-7)
                t = config.get("t", 0) + 1
                m = b1 * config.get("m", np.zeros_like(w)) + (1 - b1) * dw
                v = b2 * config.get("v", np.zeros_like(w)) + (1 - b2) * dw * dw
                config.update(t=t, m=m, v=v)
                alpha = lr * np.sqrt(1 - b2 ** t) / (1 - b1 ** t)
                return w - alpha * m / np.sqrt(v + eps), config
            """),
    mistake("adam", "textbook epsilon",
            "Keras adds epsilon to sqrt(v) after folding both bias corrections into the step size "
            "(eps-hat form), not to sqrt(v_hat) as in the paper's Algorithm 1: the two differ where "
            "gradients are small.",
            """
            def adam(w, dw, config=None):
                config = {} if config is None else config
                lr, b1, b2 = config.get("learning_rate", 1e-3), config.get("beta_1", 0.9), config.get("beta_2", 0.999)
                eps = config.get("epsilon", 1e-7)
                t = config.get("t", 0) + 1
                m = b1 * config.get("m", np.zeros_like(w)) + (1 - b1) * dw
                v = b2 * config.get("v", np.zeros_like(w)) + (1 - b2) * dw * dw
                config.update(t=t, m=m, v=v)
                m_hat, v_hat = m / (1 - b1 ** t), v / (1 - b2 ** t)
                return w - lr * m_hat / (np.sqrt(v_hat) + eps), config
            """),
    mistake("adam", "state not stored",
            STATE_HINT,
            """
            def adam(w, dw, config=None):
                config = {} if config is None else config
                lr, b1, b2 = config.get("learning_rate", 1e-3), config.get("beta_1", 0.9), config.get("beta_2", 0.999)
                eps = config.get("epsilon", 1e-7)
                t = 1
                m = (1 - b1) * dw
                v = (1 - b2) * dw * dw
                alpha = lr * np.sqrt(1 - b2 ** t) / (1 - b1 ** t)
                return w - alpha * m / (np.sqrt(v) + eps), config
            """),
    mistake("adam", "step count from 0",
            "count steps from t = 1: the first update uses beta_1**1 and beta_2**1 in the bias correction.",
            """
            def adam(w, dw, config=None):
                config = {} if config is None else config
                lr, b1, b2 = config.get("learning_rate", 1e-3), config.get("beta_1", 0.9), config.get("beta_2", 0.999)
                eps = config.get("epsilon", 1e-7)
                t = config.get("t", 1)
                m = b1 * config.get("m", np.zeros_like(w)) + (1 - b1) * dw
                v = b2 * config.get("v", np.zeros_like(w)) + (1 - b2) * dw * dw
                config.update(t=t + 1, m=m, v=v)
                alpha = lr * np.sqrt(1 - b2 ** (t + 1)) / (1 - b1 ** (t + 1))
                return w - alpha * m / (np.sqrt(v) + eps), config
            """),
    # -- exponential_decay -------------------------------------------------------------------
    mistake("exponential_decay", "staircase rounds",
            "staircase floors step / decay_steps (np.floor or //), it does not round it.",
            """
            def exponential_decay(step, initial_learning_rate, decay_steps, decay_rate, staircase=False):
                p = step / decay_steps
                if staircase:
                    p = np.round(p)
                return float(initial_learning_rate * decay_rate ** p)
            """),
    mistake("exponential_decay", "staircase ignored",
            "with staircase=True the exponent is floor(step / decay_steps): the rate drops in steps.",
            """
            def exponential_decay(step, initial_learning_rate, decay_steps, decay_rate, staircase=False):
                return float(initial_learning_rate * decay_rate ** (step / decay_steps))
            """),
    mistake("exponential_decay", "decay per step",
            "the exponent is step / decay_steps: decay_rate is reached after decay_steps steps, not after one.",
            """
            def exponential_decay(step, initial_learning_rate, decay_steps, decay_rate, staircase=False):
                p = step // decay_steps if staircase else step
                return float(initial_learning_rate * decay_rate ** p)
            """),
    mistake("exponential_decay", "linear decay",
            "the decay is exponential: initial_learning_rate * decay_rate ** (step / decay_steps).",
            """
            def exponential_decay(step, initial_learning_rate, decay_steps, decay_rate, staircase=False):
                p = step // decay_steps if staircase else step / decay_steps
                return initial_learning_rate * max(0.0, 1.0 - (1.0 - decay_rate) * p)
            """),
    # -- minibatches -------------------------------------------------------------------------
    mistake("minibatches", "drops the last batch",
            "keep the last, smaller batch: every sample is used once per epoch.",
            """
            def minibatches(X, y, batch_size, rng=None):
                idx = np.arange(len(X)) if rng is None else rng.permutation(len(X))
                n_full = len(X) // batch_size
                return [(X[idx[i * batch_size:(i + 1) * batch_size]], y[idx[i * batch_size:(i + 1) * batch_size]])
                        for i in range(n_full)]
            """,
            feedback_says="keep the last, smaller batch"),
    mistake("minibatches", "with replacement",
            "draw a permutation (rng.permutation), not random indices with replacement.",
            """
            def minibatches(X, y, batch_size, rng=None):
                n = len(X)
                idx = np.arange(n) if rng is None else rng.integers(0, n, size=n)
                return [(X[idx[i:i + batch_size]], y[idx[i:i + batch_size]]) for i in range(0, n, batch_size)]
            """,
            feedback_says="every sample must appear exactly once per call"),
    mistake("minibatches", "X and y shuffled separately",
            "shuffle X and y with the same permutation.",
            """
            def minibatches(X, y, batch_size, rng=None):
                n = len(X)
                if rng is not None:
                    X, y = X[rng.permutation(n)], y[rng.permutation(n)]
                return [(X[i:i + batch_size], y[i:i + batch_size]) for i in range(0, n, batch_size)]
            """,
            feedback_says="X and y are no longer paired"),
    mistake("minibatches", "rng ignored",
            "shuffle the samples when rng is given.",
            """
            def minibatches(X, y, batch_size, rng=None):
                return [(X[i:i + batch_size], y[i:i + batch_size]) for i in range(0, len(X), batch_size)]
            """,
            feedback_says="the order of the samples should be shuffled"),
    mistake("minibatches", "endless generator",
            "yield each batch of one pass over the data and then stop: one call is one epoch, "
            "each sample exactly once.",
            """
            def minibatches(X, y, batch_size, rng=None):
                while True:
                    idx = np.arange(len(X)) if rng is None else rng.permutation(len(X))
                    for i in range(0, len(X), batch_size):
                        yield X[idx[i:i + batch_size]], y[idx[i:i + batch_size]]
            """),
    mistake("minibatches", "always shuffles",
            "without rng keep the original order (shuffle only when rng is given).",
            """
            def minibatches(X, y, batch_size, rng=None):
                rng = np.random.default_rng() if rng is None else rng
                idx = rng.permutation(len(X))
                return [(X[idx[i:i + batch_size]], y[idx[i:i + batch_size]]) for i in range(0, len(X), batch_size)]
            """,
            feedback_says="entries are wrong"),
]

ALTERNATIVES = [
    alternative("sgd", "in place", """
        def sgd(w, dw, config=None):
            if config is None:
                config = {}
            config.setdefault("learning_rate", 1e-2)
            w -= config["learning_rate"] * dw
            return w, config
        """),
    alternative("sgd_momentum", "positive velocity (CS231n sign)", """
        def sgd_momentum(w, dw, config=None):
            config = {} if config is None else config
            lr, mu = config.get("learning_rate", 1e-2), config.get("momentum", 0.0)
            v = mu * config.get("v", np.zeros_like(w)) + lr * dw
            config["v"] = v
            w -= v
            return w, config
        """),
    alternative("nesterov_momentum", "CS231n form", """
        def nesterov_momentum(w, dw, config=None):
            config = {} if config is None else config
            lr, mu = config.get("learning_rate", 1e-2), config.get("momentum", 0.0)
            v_prev = config.get("velocity", np.zeros_like(w))
            v = mu * v_prev - lr * dw
            config["velocity"] = v
            return w - mu * v_prev + (1 + mu) * v, config
        """),
    alternative("adagrad", "loop over entries", """
        def adagrad(w, dw, config=None):
            config = {} if config is None else config
            lr = config.get("learning_rate", 0.001)
            eps = config.get("epsilon", 1e-7)
            if "G" not in config:
                config["G"] = np.full(w.shape, config.get("initial_accumulator_value", 0.1))
            G = config["G"]
            new_w = w.copy()
            for i in np.ndindex(w.shape):
                G[i] += dw[i] ** 2
                new_w[i] = w[i] - lr * dw[i] / np.sqrt(G[i] + eps)
            return new_w, config
        """),
    alternative("rmsprop", "in place with defaults dict", """
        DEFAULTS = {"learning_rate": 0.001, "rho": 0.9, "epsilon": 1e-7}

        def rmsprop(w, dw, config=None):
            config = {} if config is None else config
            for k, v in DEFAULTS.items():
                config.setdefault(k, v)
            s = config.setdefault("s", np.zeros_like(w))
            s *= config["rho"]
            s += (1 - config["rho"]) * dw ** 2
            w -= config["learning_rate"] * dw / np.sqrt(s + config["epsilon"])
            return w, config
        """),
    alternative("adam", "bias-corrected averages with eps-hat", """
        def adam(w, dw, config=None):
            config = {} if config is None else config
            lr, b1, b2 = config.get("learning_rate", 1e-3), config.get("beta_1", 0.9), config.get("beta_2", 0.999)
            eps = config.get("epsilon", 1e-7)
            t = config.get("t", 0) + 1
            m = b1 * config.get("m", np.zeros_like(w)) + (1 - b1) * dw
            v = b2 * config.get("v", np.zeros_like(w)) + (1 - b2) * dw * dw
            config.update(t=t, m=m, v=v)
            m_hat, v_hat = m / (1 - b1 ** t), v / (1 - b2 ** t)
            eps_hat = eps / np.sqrt(1 - b2 ** t)
            return w - lr * m_hat / (np.sqrt(v_hat) + eps_hat), config
        """),
    alternative("exponential_decay", "integer division and exp/log", """
        import math

        def exponential_decay(step, initial_learning_rate, decay_steps, decay_rate, staircase=False):
            p = step // decay_steps if staircase else step / decay_steps
            return initial_learning_rate * math.exp(p * math.log(decay_rate))
        """),
    alternative("minibatches", "list of lists via shuffled indices", """
        def minibatches(X, y, batch_size, rng=None):
            idx = np.arange(len(X))
            if rng is not None:
                rng.shuffle(idx)
            out = []
            start = 0
            while start < len(X):
                sel = idx[start:start + batch_size]
                out.append([X[sel], y[sel]])
                start += batch_size
            return out
        """),
    alternative("minibatches", "a generator (yield)", """
        def minibatches(X, y, batch_size, rng=None):
            order = np.arange(len(X)) if rng is None else rng.permutation(len(X))
            for start in range(0, len(X), batch_size):
                idx = order[start:start + batch_size]
                yield X[idx], y[idx]
        """),
]


# -- train_softmax_mlp (the capstone) ------------------------------------------------------------
# Its cases are judged by properties, so the check's message names each mistake (feedback_says).
# The mistakes are one correct answer with one thing changed (each replacement must apply).
_CAPSTONE = '''
def train_softmax_mlp(X, y, X_val, y_val, hidden_size, epochs, batch_size, rng):
    X, X_val = np.asarray(X, dtype=np.float64), np.asarray(X_val, dtype=np.float64)
    y, y_val = np.asarray(y).astype(int), np.asarray(y_val).astype(int)
    d = X.shape[1]
    params = [rng.normal(0.0, np.sqrt(2.0 / d), (d, hidden_size)), np.zeros(hidden_size),
              rng.normal(0.0, np.sqrt(1.0 / hidden_size), (hidden_size, 10)), np.zeros(10)]

    def forward(Xb):
        Z1 = Xb @ params[0] + params[1]
        H = np.maximum(Z1, 0.0)
        return Z1, H, H @ params[2] + params[3]

    def softmax(Z):
        E = np.exp(Z - Z.max(axis=1, keepdims=True))
        return E / E.sum(axis=1, keepdims=True)

    def evaluate(Xe, ye):
        logp = np.log(np.clip(softmax(forward(Xe)[2]), 1e-7, 1 - 1e-7))
        return float(-np.mean(logp[np.arange(len(ye)), ye])), float(np.mean(logp.argmax(axis=1) == ye))

    history = {"loss": [], "accuracy": [], "val_loss": [], "val_accuracy": []}

    def record():
        for prefix, Xe, ye in (("", X, y), ("val_", X_val, y_val)):
            loss, acc = evaluate(Xe, ye)
            history[prefix + "loss"].append(loss)
            history[prefix + "accuracy"].append(acc)

    m = [np.zeros_like(p) for p in params]
    v = [np.zeros_like(p) for p in params]
    t = 0
    record()
    for _ in range(epochs):
        order = rng.permutation(len(X))
        for start in range(0, len(X), batch_size):
            idx = order[start:start + batch_size]
            Xb, yb = X[idx], y[idx]
            Z1, H, Z2 = forward(Xb)
            dZ2 = (softmax(Z2) - np.eye(10)[yb]) / len(yb)
            dZ1 = (dZ2 @ params[2].T) * (Z1 > 0)
            grads = [Xb.T @ dZ1, dZ1.sum(axis=0), H.T @ dZ2, dZ2.sum(axis=0)]
            t += 1
            for i, g in enumerate(grads):
                m[i] = 0.9 * m[i] + 0.1 * g
                v[i] = 0.999 * v[i] + 0.001 * g * g
                m_hat, v_hat = m[i] / (1 - 0.9 ** t), v[i] / (1 - 0.999 ** t)
                params[i] = params[i] - 1e-3 * m_hat / (np.sqrt(v_hat) + 1e-7)
        record()
    return [(params[0], params[1]), (params[2], params[3])], history
'''
_CAPSTONE_MOMENTUM = (
    ("    m = [np.zeros_like(p) for p in params]\n    v = [np.zeros_like(p) for p in params]\n",
     "    velocity = [np.zeros_like(p) for p in params]\n"),
    ("""                m[i] = 0.9 * m[i] + 0.1 * g
                v[i] = 0.999 * v[i] + 0.001 * g * g
                m_hat, v_hat = m[i] / (1 - 0.9 ** t), v[i] / (1 - 0.999 ** t)
                params[i] = params[i] - 1e-3 * m_hat / (np.sqrt(v_hat) + 1e-7)""",
     """                velocity[i] = 0.9 * velocity[i] - 0.05 * g
                params[i] = params[i] + velocity[i]"""))


def _capstone(*changes):
    """The correct answer above with (old, new) replacements, each of which must apply."""
    code = _CAPSTONE
    for old, new in changes:
        assert old in code, old
        code = code.replace(old, new)
    return code


CAPSTONE_MISTAKES = [
    mistake("train_softmax_mlp", "gradient ascent",
            "the update climbs the loss; step against the gradient (w - learning_rate * dw).",
            _capstone(("params[i] - 1e-3 * m_hat", "params[i] + 1e-3 * m_hat")),
            feedback_says="step against the gradient"),
    mistake("train_softmax_mlp", "softmax without the max shift",
            "subtract each row's maximum logit before np.exp",
            _capstone(("np.exp(Z - Z.max(axis=1, keepdims=True))", "np.exp(Z)"),
                      ("np.log(np.clip(softmax(forward(Xe)[2]), 1e-7, 1 - 1e-7))", "np.log(softmax(forward(Xe)[2]))"))),
    mistake("train_softmax_mlp", "labels taken as 1 to 10",
            "learned the labels shifted by one",
            _capstone(("np.asarray(y).astype(int), np.asarray(y_val).astype(int)",
                       "np.asarray(y).astype(int) - 1, np.asarray(y_val).astype(int) - 1  # labels 1..10"))),
    mistake("train_softmax_mlp", "gradient summed over the batch (SGD with momentum)",
            "average the gradient over the batch",
            _capstone(*_CAPSTONE_MOMENTUM, ("np.eye(10)[yb]) / len(yb)", "np.eye(10)[yb])"))),
    mistake("train_softmax_mlp", "initial weights N(0, 1)",
            "far from ln 10",
            _capstone(("rng.normal(0.0, np.sqrt(2.0 / d),", "rng.normal(0.0, 1.0,"),
                      ("rng.normal(0.0, np.sqrt(1.0 / hidden_size),", "rng.normal(0.0, 1.0,"))),
    mistake("train_softmax_mlp", "np.random's global functions",
            "two calls with the same seed gave different results",
            _capstone(("rng.normal(0.0, np.sqrt(2.0 / d),", "np.random.normal(0.0, np.sqrt(2.0 / d),"),
                      ("rng.normal(0.0, np.sqrt(1.0 / hidden_size),", "np.random.normal(0.0, np.sqrt(1.0 / hidden_size),"),
                      ("rng.permutation(len(X))", "np.random.permutation(len(X))"))),
]
CAPSTONE_ALTERNATIVES = [
    alternative("train_softmax_mlp", "Adam's textbook form, Keras-clipped loss, one-hot labels", _CAPSTONE),
    alternative("train_softmax_mlp", "this lesson's adam and minibatches, float32", """
        def train_softmax_mlp(X, y, X_val, y_val, hidden_size, epochs, batch_size, rng):
            X, X_val = np.asarray(X, np.float32), np.asarray(X_val, np.float32)
            W1 = (rng.standard_normal((X.shape[1], hidden_size)) * np.sqrt(2 / X.shape[1])).astype(np.float32)
            W2 = (rng.standard_normal((hidden_size, 10)) * np.sqrt(1 / hidden_size)).astype(np.float32)
            params = [W1, np.zeros(hidden_size, np.float32), W2, np.zeros(10, np.float32)]
            configs = [{"learning_rate": 1e-3} for _ in params]

            def logits(A):
                return np.maximum(A @ params[0] + params[1], 0) @ params[2] + params[3]

            def log_softmax(Z):
                Z = Z - Z.max(axis=-1, keepdims=True)
                return Z - np.log(np.sum(np.exp(Z), axis=-1, keepdims=True))

            history = {k: [] for k in ("loss", "accuracy", "val_loss", "val_accuracy")}
            for epoch in range(epochs + 1):
                if epoch > 0:
                    for Xb, yb in minibatches(X, y, batch_size, rng):
                        Z1 = Xb @ params[0] + params[1]
                        H = np.maximum(Z1, 0)
                        dZ2 = np.exp(log_softmax(H @ params[2] + params[3]))
                        dZ2[np.arange(len(yb)), yb] -= 1
                        dZ2 /= len(yb)
                        dZ1 = np.where(Z1 > 0, dZ2 @ params[2].T, 0)
                        grads = [Xb.T @ dZ1, dZ1.sum(0), H.T @ dZ2, dZ2.sum(0)]
                        for i in range(4):
                            params[i], configs[i] = adam(params[i], grads[i], configs[i])
                for name, A, labels in (("", X, y), ("val_", X_val, y_val)):
                    lp = log_softmax(logits(A))
                    history[name + "loss"].append(float(-lp[np.arange(len(labels)), labels].mean()))
                    history[name + "accuracy"].append(float(np.mean(lp.argmax(-1) == labels)))
            return [(params[0], params[1]), (params[2], params[3])], history
        """),
]
MISTAKES += CAPSTONE_MISTAKES
ALTERNATIVES += CAPSTONE_ALTERNATIVES
