'''A held-out corpus of plausible wrong answers for the exercises of lessons 00-05.

Written independently of the known-mistake library (``autograder/course/*/mistakes.py``) to
measure how often the feedback names a mistake the library was not tuned to; never import it
into the library or into the grader. ``benchmarks/named_mistakes.py`` grades every entry.
Each entry: (lesson id, exercise, short name, the whole answer cell). Six entries first written
here turned out to be correct answers when the graders kept full marks for them (an inhibitory
input counted in the sum, gate and XOR thresholds exactly on a corner with step(0) = 1, the
element-wise relative error, momentum with the velocity scaled by 1/lr, CS231n's Nesterov) and
were removed.
'''

CORPUS = [
    # -- 00_tensors ------------------------------------------------------------------------
    ("00_tensors", "one_hot", "labels used as column-1", '''
def one_hot(y, num_classes):
    out = np.zeros((len(y), num_classes))
    out[np.arange(len(y)), np.asarray(y) - 1] = 1.0
    return out
'''),
    ("00_tensors", "one_hot", "classes from the data", '''
def one_hot(y, num_classes):
    k = int(np.max(y)) + 1
    return np.eye(k)[y]
'''),
    ("00_tensors", "one_hot", "transposed (K, N)", '''
def one_hot(y, num_classes):
    return np.eye(num_classes)[:, y]
'''),
    ("00_tensors", "one_hot", "integer dtype", '''
def one_hot(y, num_classes):
    out = np.zeros((len(y), num_classes), dtype=int)
    out[np.arange(len(y)), y] = 1
    return out
'''),
    ("00_tensors", "standardize", "row statistics (axis=1)", '''
def standardize(X, mean=None, std=None):
    if mean is None:
        mean = X.mean(axis=1, keepdims=True)
    if std is None:
        std = X.std(axis=1, keepdims=True)
    std = np.where(std < 1e-12, 1.0, std)
    return (X - mean) / std, mean, std
'''),
    ("00_tensors", "standardize", "sample std (ddof=1)", '''
def standardize(X, mean=None, std=None):
    if mean is None:
        mean = X.mean(axis=0)
    if std is None:
        std = X.std(axis=0, ddof=1)
    safe = np.where(std < 1e-12, 1.0, std)
    return (X - mean) / safe, mean, std
'''),
    ("00_tensors", "standardize", "no zero-std guard", '''
def standardize(X, mean=None, std=None):
    if mean is None:
        mean = X.mean(axis=0)
    if std is None:
        std = X.std(axis=0)
    return (X - mean) / std, mean, std
'''),
    ("00_tensors", "standardize", "always recomputes the statistics", '''
def standardize(X, mean=None, std=None):
    mean = X.mean(axis=0)
    std = X.std(axis=0)
    safe = np.where(std < 1e-12, 1.0, std)
    return (X - mean) / safe, mean, std
'''),
    ("00_tensors", "standardize", "divides by the variance", '''
def standardize(X, mean=None, std=None):
    if mean is None:
        mean = X.mean(axis=0)
    if std is None:
        std = X.std(axis=0)
    safe = np.where(std < 1e-12, 1.0, std)
    return (X - mean) / safe ** 2, mean, std
'''),
    ("00_tensors", "flatten_images", "flattens everything", '''
def flatten_images(images):
    return images.reshape(-1)
'''),
    ("00_tensors", "flatten_images", "keeps only two image axes", '''
def flatten_images(images):
    return images.reshape(images.shape[0], images.shape[1] * images.shape[2])
'''),
    ("00_tensors", "flatten_images", "column-major order", '''
def flatten_images(images):
    return images.reshape(images.shape[0], -1, order="F")
'''),
    ("00_tensors", "flatten_images", "scales to [0, 1]", '''
def flatten_images(images):
    return images.reshape(len(images), -1) / 255.0
'''),
    # -- 01_perceptron ---------------------------------------------------------------------
    ("01_perceptron", "step", "strict inequality", '''
def step(z):
    return np.where(np.asarray(z) > 0, 1.0, 0.0)
'''),
    ("01_perceptron", "step", "sign function", '''
def step(z):
    return np.sign(z)
'''),
    ("01_perceptron", "step", "bool result", '''
def step(z):
    return np.asarray(z) >= 0
'''),
    ("01_perceptron", "mcculloch_pitts", "inhibitory inputs subtract", '''
def mcculloch_pitts(x, threshold, inhibitory=()):
    x = np.asarray(x, dtype=float)
    sign = np.ones(x.shape[1])
    sign[list(inhibitory)] = -1
    return (x @ sign >= threshold).astype(float)
'''),
    ("01_perceptron", "mcculloch_pitts", "strict threshold", '''
def mcculloch_pitts(x, threshold, inhibitory=()):
    x = np.asarray(x)
    inh = list(inhibitory)
    exc = [j for j in range(x.shape[1]) if j not in inh]
    veto = x[:, inh].sum(axis=1) > 0
    return np.where(veto, 0.0, (x[:, exc].sum(axis=1) > threshold) * 1.0)
'''),
    ("01_perceptron", "gate_weights", "NAND/NOR with the AND/OR bias", '''
def gate_weights(gate):
    w = np.array([1.0, 1.0])
    if gate == "AND":
        return w, -1.5
    if gate == "OR":
        return w, -0.5
    if gate == "NAND":
        return -w, -1.5
    return -w, -0.5
'''),
    ("01_perceptron", "gate_weights", "threshold as b", '''
def gate_weights(gate):
    table = {"AND": ([1.0, 1.0], 1.5), "OR": ([1.0, 1.0], 0.5),
             "NAND": ([-1.0, -1.0], -1.5), "NOR": ([-1.0, -1.0], -0.5)}
    w, b = table[gate]
    return np.array(w), b
'''),
    ("01_perceptron", "perceptron_predict", "bias subtracted", '''
def perceptron_predict(X, w, b):
    return np.where(X @ w - b >= 0, 1.0, 0.0)
'''),
    ("01_perceptron", "perceptron_predict", "strict inequality", '''
def perceptron_predict(X, w, b):
    return (X @ w + b > 0).astype(float)
'''),
    ("01_perceptron", "perceptron_predict", "labels -1/+1", '''
def perceptron_predict(X, w, b):
    return np.where(X @ w + b >= 0, 1.0, -1.0)
'''),
    ("01_perceptron", "perceptron_predict", "returns the scores", '''
def perceptron_predict(X, w, b):
    return X @ w + b
'''),
    ("01_perceptron", "perceptron_fit", "no early stop", '''
def perceptron_fit(X, y, lr=1.0, epochs=100, rng=None):
    n, d = X.shape
    w, b, errs = np.zeros(d), 0.0, []
    for _ in range(epochs):
        order = np.arange(n) if rng is None else rng.permutation(n)
        e = 0
        for i in order:
            p = 1.0 if X[i] @ w + b >= 0 else 0.0
            if p != y[i]:
                w = w + lr * (y[i] - p) * X[i]
                b += lr * (y[i] - p)
                e += 1
        errs.append(e)
    return w, float(b), errs
'''),
    ("01_perceptron", "perceptron_fit", "bias never updated", '''
def perceptron_fit(X, y, lr=1.0, epochs=100, rng=None):
    n, d = X.shape
    w, b, errs = np.zeros(d), 0.0, []
    for _ in range(epochs):
        order = np.arange(n) if rng is None else rng.permutation(n)
        e = 0
        for i in order:
            p = 1.0 if X[i] @ w + b >= 0 else 0.0
            if p != y[i]:
                w = w + lr * (y[i] - p) * X[i]
                e += 1
        errs.append(e)
        if e == 0:
            break
    return w, float(b), errs
'''),
    ("01_perceptron", "perceptron_fit", "update sign reversed", '''
def perceptron_fit(X, y, lr=1.0, epochs=100, rng=None):
    n, d = X.shape
    w, b, errs = np.zeros(d), 0.0, []
    for _ in range(epochs):
        order = np.arange(n) if rng is None else rng.permutation(n)
        e = 0
        for i in order:
            p = 1.0 if X[i] @ w + b >= 0 else 0.0
            if p != y[i]:
                w = w + lr * (p - y[i]) * X[i]
                b += lr * (p - y[i])
                e += 1
        errs.append(e)
        if e == 0:
            break
    return w, float(b), errs
'''),
    ("01_perceptron", "perceptron_fit", "updates on every sample", '''
def perceptron_fit(X, y, lr=1.0, epochs=100, rng=None):
    n, d = X.shape
    w, b, errs = np.zeros(d), 0.0, []
    for _ in range(epochs):
        order = np.arange(n) if rng is None else rng.permutation(n)
        e = 0
        for i in order:
            p = 1.0 if X[i] @ w + b >= 0 else 0.0
            t = 1.0 if y[i] == 1 else -1.0
            w = w + lr * t * X[i]
            b += lr * t
            e += int(p != y[i])
        errs.append(e)
        if e == 0:
            break
    return w, float(b), errs
'''),
    ("01_perceptron", "perceptron_fit", "errors counted after the epoch", '''
def perceptron_fit(X, y, lr=1.0, epochs=100, rng=None):
    n, d = X.shape
    w, b, errs = np.zeros(d), 0.0, []
    for _ in range(epochs):
        order = np.arange(n) if rng is None else rng.permutation(n)
        for i in order:
            p = 1.0 if X[i] @ w + b >= 0 else 0.0
            w = w + lr * (y[i] - p) * X[i]
            b += lr * (y[i] - p)
        e = int(np.sum(np.where(X @ w + b >= 0, 1, 0) != y))
        errs.append(e)
        if e == 0:
            break
    return w, float(b), errs
'''),
    ("01_perceptron", "xor_network", "OR of OR and AND", '''
def xor_network():
    return {"W1": np.array([[1.0, 1.0], [1.0, 1.0]]), "b1": np.array([-0.5, -1.5]),
            "W2": np.array([1.0, 1.0]), "b2": -0.5}
'''),
    ("01_perceptron", "xor_network", "W1 as (H, 2) rows", '''
def xor_network():
    return {"W1": np.array([[1.0, 1.0], [-1.0, -1.0]]), "b1": np.array([-0.5, 1.5]),
            "W2": np.array([1.0, 1.0]), "b2": -1.5}
'''),
    # -- 02_activations --------------------------------------------------------------------
    ("02_activations", "sigmoid", "exp of +z", '''
def sigmoid(z):
    z = np.clip(z, -500, 500)
    return 1.0 / (1.0 + np.exp(z))
'''),
    ("02_activations", "sigmoid", "naive formula", '''
def sigmoid(z):
    return 1 / (1 + np.exp(-z))
'''),
    ("02_activations", "sigmoid", "tanh-shaped", '''
def sigmoid(z):
    return np.tanh(z)
'''),
    ("02_activations", "sigmoid_grad", "s times s", '''
def sigmoid_grad(z):
    s = 0.5 * (1 + np.tanh(0.5 * z))
    return s * s
'''),
    ("02_activations", "sigmoid_grad", "sigmoid itself", '''
def sigmoid_grad(z):
    return 0.5 * (1 + np.tanh(0.5 * z))
'''),
    ("02_activations", "sigmoid_grad", "z(1 - z)", '''
def sigmoid_grad(z):
    return z * (1 - z)
'''),
    ("02_activations", "tanh", "2 sigmoid(z) - 1 of 2z missing", '''
def tanh(z):
    return 2.0 / (1.0 + np.exp(-np.clip(z, -500, 500))) - 1.0
'''),
    ("02_activations", "tanh", "naive exp ratio", '''
def tanh(z):
    return (np.exp(z) - np.exp(-z)) / (np.exp(z) + np.exp(-z))
'''),
    ("02_activations", "tanh", "sign flipped", '''
def tanh(z):
    return np.tanh(-z)
'''),
    ("02_activations", "tanh_grad", "1 - tanh", '''
def tanh_grad(z):
    return 1 - np.tanh(z)
'''),
    ("02_activations", "tanh_grad", "1 + tanh^2", '''
def tanh_grad(z):
    return 1 + np.tanh(z) ** 2
'''),
    ("02_activations", "tanh_grad", "1 - z^2", '''
def tanh_grad(z):
    return 1 - z ** 2
'''),
    ("02_activations", "relu", "min instead of max", '''
def relu(z):
    return np.minimum(z, 0.0)
'''),
    ("02_activations", "relu", "absolute value", '''
def relu(z):
    return np.abs(z)
'''),
    ("02_activations", "relu", "in place", '''
def relu(z):
    z[z < 0] = 0.0
    return z
'''),
    ("02_activations", "relu_grad", "returns relu", '''
def relu_grad(z):
    return np.maximum(z, 0.0)
'''),
    ("02_activations", "relu_grad", "negative side slope 1", '''
def relu_grad(z):
    return np.where(z > 0, 1.0, -1.0)
'''),
    ("02_activations", "relu_grad", "reversed", '''
def relu_grad(z):
    return np.where(z > 0, 0.0, 1.0)
'''),
    ("02_activations", "leaky_relu", "alpha on the positive side", '''
def leaky_relu(z, alpha=0.01):
    return np.where(z > 0, alpha * z, z)
'''),
    ("02_activations", "leaky_relu", "ignores alpha", '''
def leaky_relu(z, alpha=0.01):
    return np.where(z > 0, z, 0.01 * z)
'''),
    ("02_activations", "leaky_relu", "Keras default slope 0.2", '''
def leaky_relu(z, alpha=0.2):
    return np.where(z > 0, z, alpha * z)
'''),
    ("02_activations", "leaky_relu_grad", "gradient zero on the left", '''
def leaky_relu_grad(z, alpha=0.01):
    return np.where(z > 0, 1.0, 0.0)
'''),
    ("02_activations", "leaky_relu_grad", "alpha * z on the left", '''
def leaky_relu_grad(z, alpha=0.01):
    return np.where(z > 0, 1.0, alpha * z)
'''),
    ("02_activations", "leaky_relu_grad", "slopes swapped", '''
def leaky_relu_grad(z, alpha=0.01):
    return np.where(z > 0, alpha, 1.0)
'''),
    ("02_activations", "elu", "missing -1", '''
def elu(z, alpha=1.0):
    return np.where(z > 0, z, alpha * np.exp(np.minimum(z, 0)))
'''),
    ("02_activations", "elu", "alpha times z", '''
def elu(z, alpha=1.0):
    return np.where(z > 0, z, alpha * z)
'''),
    ("02_activations", "elu", "overflowing branch", '''
def elu(z, alpha=1.0):
    return np.where(z > 0, z, alpha * (np.exp(z) - 1))
'''),
    ("02_activations", "elu_grad", "forgets alpha", '''
def elu_grad(z, alpha=1.0):
    return np.where(z > 0, 1.0, np.exp(np.minimum(z, 0)))
'''),
    ("02_activations", "elu_grad", "elu itself on the left", '''
def elu_grad(z, alpha=1.0):
    return np.where(z > 0, 1.0, alpha * (np.exp(np.minimum(z, 0)) - 1))
'''),
    ("02_activations", "elu_grad", "zero on the left", '''
def elu_grad(z, alpha=1.0):
    return np.where(z > 0, 1.0, 0.0)
'''),
    ("02_activations", "softplus", "naive log(1 + exp)", '''
def softplus(z):
    return np.log(1 + np.exp(z))
'''),
    ("02_activations", "softplus", "log1p of exp(-z)", '''
def softplus(z):
    return np.log1p(np.exp(-np.abs(z)))
'''),
    ("02_activations", "softplus", "exp(-z)", '''
def softplus(z):
    return np.maximum(z, 0) - z + np.log1p(np.exp(-np.abs(z)))
'''),
    ("02_activations", "softmax", "sum over everything", '''
def softmax(z, axis=-1):
    e = np.exp(z - np.max(z))
    return e / e.sum()
'''),
    ("02_activations", "softmax", "axis ignored (always rows of 2-D)", '''
def softmax(z, axis=-1):
    e = np.exp(z - np.max(z, axis=-1, keepdims=True))
    return e / np.sum(e, axis=-1, keepdims=True)
'''),
    ("02_activations", "softmax", "no keepdims", '''
def softmax(z, axis=-1):
    z = np.asarray(z)
    e = np.exp(z - np.max(z, axis=axis, keepdims=True))
    s = e.sum(axis=axis)
    return e / (s if z.ndim == 1 else np.expand_dims(s, 0))
'''),
    ("02_activations", "softmax", "max of the whole array", '''
def softmax(z, axis=-1):
    e = np.exp(z - np.max(z))
    return e / e.sum(axis=axis, keepdims=True)
'''),
    # -- 03_losses ---------------------------------------------------------------------------
    ("03_losses", "mse", "sum instead of mean", '''
def mse(y_true, y_pred):
    return float(np.sum((y_true - y_pred) ** 2))
'''),
    ("03_losses", "mse", "half mse", '''
def mse(y_true, y_pred):
    return float(0.5 * np.mean((y_true - y_pred) ** 2))
'''),
    ("03_losses", "mse", "root mean square", '''
def mse(y_true, y_pred):
    return float(np.sqrt(np.mean((y_true - y_pred) ** 2)))
'''),
    ("03_losses", "mse", "mean of errors squared", '''
def mse(y_true, y_pred):
    return float(np.mean(y_true - y_pred) ** 2)
'''),
    ("03_losses", "mae", "no abs", '''
def mae(y_true, y_pred):
    return float(np.mean(y_true - y_pred))
'''),
    ("03_losses", "mae", "sum over the batch", '''
def mae(y_true, y_pred):
    return float(np.sum(np.abs(y_true - y_pred)))
'''),
    ("03_losses", "mae", "sum per sample then mean", '''
def mae(y_true, y_pred):
    a = np.abs(y_true - y_pred)
    return float(np.mean(a.sum(axis=-1)) if a.ndim > 1 else np.mean(a))
'''),
    ("03_losses", "huber", "no 0.5 in the quadratic part", '''
def huber(y_true, y_pred, delta=1.0):
    a = np.abs(y_true - y_pred)
    return float(np.mean(np.where(a <= delta, a ** 2, delta * a - 0.5 * delta ** 2)))
'''),
    ("03_losses", "huber", "linear part without the offset", '''
def huber(y_true, y_pred, delta=1.0):
    a = np.abs(y_true - y_pred)
    return float(np.mean(np.where(a <= delta, 0.5 * a ** 2, delta * a)))
'''),
    ("03_losses", "huber", "delta ignored", '''
def huber(y_true, y_pred, delta=1.0):
    a = np.abs(y_true - y_pred)
    return float(np.mean(np.where(a <= 1.0, 0.5 * a ** 2, a - 0.5)))
'''),
    ("03_losses", "binary_crossentropy", "no clipping", '''
def binary_crossentropy(y_true, p, eps=1e-7):
    return float(-np.mean(y_true * np.log(p) + (1 - y_true) * np.log(1 - p)))
'''),
    ("03_losses", "binary_crossentropy", "only the positive term", '''
def binary_crossentropy(y_true, p, eps=1e-7):
    p = np.clip(p, eps, 1 - eps)
    return float(-np.mean(y_true * np.log(p)))
'''),
    ("03_losses", "binary_crossentropy", "eps added inside the log", '''
def binary_crossentropy(y_true, p, eps=1e-7):
    return float(-np.mean(y_true * np.log(p + eps) + (1 - y_true) * np.log(1 - p + eps)))
'''),
    ("03_losses", "binary_crossentropy", "sum over the batch", '''
def binary_crossentropy(y_true, p, eps=1e-7):
    p = np.clip(p, eps, 1 - eps)
    return float(-np.sum(y_true * np.log(p) + (1 - y_true) * np.log(1 - p)))
'''),
    ("03_losses", "binary_crossentropy_from_logits", "naive sigmoid then log", '''
def binary_crossentropy_from_logits(y_true, z):
    p = 1 / (1 + np.exp(-z))
    return float(-np.mean(y_true * np.log(p) + (1 - y_true) * np.log(1 - p)))
'''),
    ("03_losses", "binary_crossentropy_from_logits", "log1p(exp(z)) unstable", '''
def binary_crossentropy_from_logits(y_true, z):
    return float(np.mean(np.log1p(np.exp(z)) - z * y_true))
'''),
    ("03_losses", "binary_crossentropy_from_logits", "wrong sign of the zy term", '''
def binary_crossentropy_from_logits(y_true, z):
    return float(np.mean(np.maximum(z, 0) + z * y_true + np.log1p(np.exp(-np.abs(z)))))
'''),
    ("03_losses", "categorical_crossentropy", "mean over classes too", '''
def categorical_crossentropy(Y_true, P, eps=1e-7):
    P = np.clip(P, eps, 1 - eps)
    return float(-np.mean(Y_true * np.log(P)))
'''),
    ("03_losses", "categorical_crossentropy", "sum over everything", '''
def categorical_crossentropy(Y_true, P, eps=1e-7):
    P = np.clip(P, eps, 1 - eps)
    return float(-np.sum(Y_true * np.log(P)))
'''),
    ("03_losses", "categorical_crossentropy", "no clipping", '''
def categorical_crossentropy(Y_true, P, eps=1e-7):
    return float(np.mean(-np.sum(Y_true * np.log(P), axis=1)))
'''),
    ("03_losses", "categorical_crossentropy", "binary formula", '''
def categorical_crossentropy(Y_true, P, eps=1e-7):
    P = np.clip(P, eps, 1 - eps)
    return float(np.mean(-np.sum(Y_true * np.log(P) + (1 - Y_true) * np.log(1 - P), axis=-1)))
'''),
    ("03_losses", "sparse_categorical_crossentropy", "labels shifted by one", '''
def sparse_categorical_crossentropy(y_true, P, eps=1e-7):
    P = np.clip(P, eps, 1 - eps)
    y = np.asarray(y_true).astype(int)
    return float(-np.mean(np.log(P[np.arange(len(y)), (y + 1) % P.shape[1]])))
'''),
    ("03_losses", "sparse_categorical_crossentropy", "whole columns picked", '''
def sparse_categorical_crossentropy(y_true, P, eps=1e-7):
    P = np.clip(P, eps, 1 - eps)
    return float(-np.mean(np.log(P[:, y_true])))
'''),
    ("03_losses", "sparse_categorical_crossentropy", "no clipping", '''
def sparse_categorical_crossentropy(y_true, P, eps=1e-7):
    return float(-np.mean(np.log(P[np.arange(len(y_true)), y_true])))
'''),
    ("03_losses", "sparse_categorical_crossentropy", "sum over the batch", '''
def sparse_categorical_crossentropy(y_true, P, eps=1e-7):
    P = np.clip(P, eps, 1 - eps)
    return float(-np.sum(np.log(P[np.arange(len(y_true)), y_true])))
'''),
    ("03_losses", "softmax_crossentropy_from_logits", "no max shift", '''
def softmax_crossentropy_from_logits(Y_true, Z):
    e = np.exp(Z)
    P = e / e.sum(axis=-1, keepdims=True)
    return float(np.mean(-np.sum(Y_true * np.log(P), axis=-1)))
'''),
    ("03_losses", "softmax_crossentropy_from_logits", "log-sum-exp without the log", '''
def softmax_crossentropy_from_logits(Y_true, Z):
    m = Z.max(axis=-1, keepdims=True)
    ls = Z - m - np.sum(np.exp(Z - m), axis=-1, keepdims=True)
    return float(np.mean(-np.sum(Y_true * ls, axis=-1)))
'''),
    ("03_losses", "softmax_crossentropy_from_logits", "softmax over the batch axis", '''
def softmax_crossentropy_from_logits(Y_true, Z):
    m = Z.max(axis=0, keepdims=True)
    ls = Z - m - np.log(np.sum(np.exp(Z - m), axis=0, keepdims=True))
    return float(np.mean(-np.sum(Y_true * ls, axis=-1)))
'''),
    ("03_losses", "mse_grad", "no 2", '''
def mse_grad(y_true, y_pred):
    return (y_pred - y_true) / np.size(y_pred)
'''),
    ("03_losses", "mse_grad", "sign flipped", '''
def mse_grad(y_true, y_pred):
    return 2 * (y_true - y_pred) / np.size(y_pred)
'''),
    ("03_losses", "mse_grad", "divides by N only", '''
def mse_grad(y_true, y_pred):
    return 2 * (y_pred - y_true) / len(y_pred)
'''),
    ("03_losses", "mse_grad", "no division", '''
def mse_grad(y_true, y_pred):
    return 2.0 * (y_pred - y_true)
'''),
    ("03_losses", "binary_crossentropy_from_logits_grad", "no 1/N", '''
def binary_crossentropy_from_logits_grad(y_true, z):
    e = np.exp(-np.abs(z))
    s = np.where(z >= 0, 1 / (1 + e), e / (1 + e))
    return s - y_true
'''),
    ("03_losses", "binary_crossentropy_from_logits_grad", "y - sigmoid", '''
def binary_crossentropy_from_logits_grad(y_true, z):
    e = np.exp(-np.abs(z))
    s = np.where(z >= 0, 1 / (1 + e), e / (1 + e))
    return (y_true - s) / np.size(z)
'''),
    ("03_losses", "binary_crossentropy_from_logits_grad", "naive sigmoid", '''
def binary_crossentropy_from_logits_grad(y_true, z):
    return (1 / (1 + np.exp(-z)) - y_true) / np.size(z)
'''),
    ("03_losses", "softmax_crossentropy_from_logits_grad", "no 1/N", '''
def softmax_crossentropy_from_logits_grad(Y_true, Z):
    E = np.exp(Z - Z.max(axis=-1, keepdims=True))
    return E / E.sum(axis=-1, keepdims=True) - Y_true
'''),
    ("03_losses", "softmax_crossentropy_from_logits_grad", "divides by N*K", '''
def softmax_crossentropy_from_logits_grad(Y_true, Z):
    E = np.exp(Z - Z.max(axis=-1, keepdims=True))
    return (E / E.sum(axis=-1, keepdims=True) - Y_true) / Z.size
'''),
    ("03_losses", "softmax_crossentropy_from_logits_grad", "Y - softmax", '''
def softmax_crossentropy_from_logits_grad(Y_true, Z):
    E = np.exp(Z - Z.max(axis=-1, keepdims=True))
    return (Y_true - E / E.sum(axis=-1, keepdims=True)) / Z.shape[0]
'''),
    # -- 04_backprop ---------------------------------------------------------------------------
    ("04_backprop", "dense_forward", "W transposed", '''
def dense_forward(X, W, b):
    Z = X @ W.T + b if W.shape[1] == X.shape[1] else X @ W + b
    return Z.T if W.shape[0] == W.shape[1] else Z, (X, W, b)
'''),
    ("04_backprop", "dense_forward", "no bias", '''
def dense_forward(X, W, b):
    return X @ W, (X, W, b)
'''),
    ("04_backprop", "dense_forward", "caches Z", '''
def dense_forward(X, W, b):
    Z = X @ W + b
    return Z, (Z, W, b)
'''),
    ("04_backprop", "dense_backward", "db not summed (mean)", '''
def dense_backward(dZ, cache):
    X, W, b = cache
    return dZ @ W.T, X.T @ dZ, dZ.mean(axis=0)
'''),
    ("04_backprop", "dense_backward", "dW transposed", '''
def dense_backward(dZ, cache):
    X, W, b = cache
    return dZ @ W.T, (X.T @ dZ).T, dZ.sum(axis=0)
'''),
    ("04_backprop", "dense_backward", "dW averaged over the batch", '''
def dense_backward(dZ, cache):
    X, W, b = cache
    return dZ @ W.T, X.T @ dZ / X.shape[0], dZ.sum(axis=0)
'''),
    ("04_backprop", "dense_backward", "db summed over the wrong axis", '''
def dense_backward(dZ, cache):
    X, W, b = cache
    return dZ @ W.T, X.T @ dZ, dZ.sum(axis=1)[: len(b)] if dZ.shape[0] >= len(b) else np.zeros_like(b)
'''),
    ("04_backprop", "activation_forward", "naive sigmoid", '''
def activation_forward(Z, name):
    if name == "sigmoid":
        A = 1 / (1 + np.exp(-Z))
    elif name == "tanh":
        A = np.tanh(Z)
    elif name == "relu":
        A = np.maximum(0, Z)
    else:
        A = Z
    return A, (Z, name)
'''),
    ("04_backprop", "activation_forward", "caches A", '''
def activation_forward(Z, name):
    f = {"linear": lambda z: z, "sigmoid": lambda z: 0.5 * (1 + np.tanh(0.5 * z)),
         "tanh": np.tanh, "relu": lambda z: np.maximum(z, 0)}[name]
    A = f(Z)
    return A, (A, name)
'''),
    ("04_backprop", "activation_forward", "relu as leaky", '''
def activation_forward(Z, name):
    f = {"linear": lambda z: z, "sigmoid": lambda z: 0.5 * (1 + np.tanh(0.5 * z)),
         "tanh": np.tanh, "relu": lambda z: np.where(z > 0, z, 0.01 * z)}[name]
    return f(Z), (Z, name)
'''),
    ("04_backprop", "activation_backward", "forgets dA", '''
def activation_backward(dA, cache):
    Z, name = cache
    s = 0.5 * (1 + np.tanh(0.5 * Z))
    return {"linear": np.ones_like(Z), "sigmoid": s * (1 - s), "tanh": 1 - np.tanh(Z) ** 2,
            "relu": (Z > 0) * 1.0}[name]
'''),
    ("04_backprop", "activation_backward", "sigmoid derivative from Z", '''
def activation_backward(dA, cache):
    Z, name = cache
    g = {"linear": np.ones_like(Z), "sigmoid": Z * (1 - Z), "tanh": 1 - np.tanh(Z) ** 2,
         "relu": (Z > 0) * 1.0}[name]
    return dA * g
'''),
    ("04_backprop", "activation_backward", "tanh derivative 1 - tanh", '''
def activation_backward(dA, cache):
    Z, name = cache
    s = 0.5 * (1 + np.tanh(0.5 * Z))
    g = {"linear": np.ones_like(Z), "sigmoid": s * (1 - s), "tanh": 1 - np.tanh(Z),
         "relu": (Z > 0) * 1.0}[name]
    return dA * g
'''),
    ("04_backprop", "activation_backward", "naive sigmoid", '''
def activation_backward(dA, cache):
    Z, name = cache
    s = 1 / (1 + np.exp(-Z))
    g = {"linear": np.ones_like(Z), "sigmoid": s * (1 - s), "tanh": 1 - np.tanh(Z) ** 2,
         "relu": (Z > 0) * 1.0}[name]
    return dA * g
'''),
    ("04_backprop", "numerical_gradient", "forward difference", '''
def numerical_gradient(f, x, h=1e-5):
    g = np.zeros_like(x, dtype=float)
    fx = f(x)
    for i in np.ndindex(x.shape):
        old = x[i]
        x[i] = old + h
        g[i] = (f(x) - fx) / h
        x[i] = old
    return g
'''),
    ("04_backprop", "numerical_gradient", "divides by h", '''
def numerical_gradient(f, x, h=1e-5):
    g = np.zeros_like(x, dtype=float)
    for i in np.ndindex(x.shape):
        old = x[i]
        x[i] = old + h
        fp = f(x)
        x[i] = old - h
        fm = f(x)
        x[i] = old
        g[i] = (fp - fm) / h
    return g
'''),
    ("04_backprop", "numerical_gradient", "does not restore x", '''
def numerical_gradient(f, x, h=1e-5):
    g = np.zeros_like(x, dtype=float)
    for i in np.ndindex(x.shape):
        old = x[i]
        x[i] = old + h
        fp = f(x)
        x[i] = old - h
        fm = f(x)
        g[i] = (fp - fm) / (2 * h)
    return g
'''),
    ("04_backprop", "relative_error", "no absolute values in the denominator", '''
def relative_error(a, b):
    return float(np.max(np.abs(a - b)) / max(1e-8, np.max(a + b)))
'''),
    ("04_backprop", "relative_error", "norms", '''
def relative_error(a, b):
    return float(np.linalg.norm(a - b) / max(1e-8, np.linalg.norm(a) + np.linalg.norm(b)))
'''),
    ("04_backprop", "worked_example", "the notes' dCf/dYp sign", '''
def worked_example():
    s = lambda v: 1 / (1 + np.exp(-v))
    x1, x2, Ya = 1.0, 2.0, 3.0
    w1, w2, w3, w4, w5, w6, b1, b2 = 0.1, 0.2, 0.1, 0.2, 0.3, 0.4, 1.0, 0.5
    HN1i = w1 * x1 + w3 * x2 + b1; HN2i = w2 * x1 + w4 * x2 + b1
    HN1o, HN2o = s(HN1i), s(HN2i)
    ONi = w5 * HN1o + w6 * HN2o + b2
    Yp = s(ONi)
    Cf = 0.5 * (Ya - Yp) ** 2
    d_on = (Ya - Yp) * Yp * (1 - Yp)
    d1 = d_on * w5 * HN1o * (1 - HN1o); d2 = d_on * w6 * HN2o * (1 - HN2o)
    return dict(HN1i=HN1i, HN1o=HN1o, HN2i=HN2i, HN2o=HN2o, ONi=ONi, Yp=Yp, Cf=Cf,
                dw1=d1 * x1, dw2=d2 * x1, dw3=d1 * x2, dw4=d2 * x2, dw5=d_on * HN1o, dw6=d_on * HN2o,
                db1=d1 + d2, db2=d_on)
'''),
    ("04_backprop", "worked_example", "sigmoid derivative left out", '''
def worked_example():
    s = lambda v: 1 / (1 + np.exp(-v))
    x1, x2, Ya = 1.0, 2.0, 3.0
    w1, w2, w3, w4, w5, w6, b1, b2 = 0.1, 0.2, 0.1, 0.2, 0.3, 0.4, 1.0, 0.5
    HN1i = w1 * x1 + w3 * x2 + b1; HN2i = w2 * x1 + w4 * x2 + b1
    HN1o, HN2o = s(HN1i), s(HN2i)
    ONi = w5 * HN1o + w6 * HN2o + b2
    Yp = s(ONi)
    Cf = 0.5 * (Ya - Yp) ** 2
    d_on = (Yp - Ya)
    d1 = d_on * w5 * HN1o * (1 - HN1o); d2 = d_on * w6 * HN2o * (1 - HN2o)
    return dict(HN1i=HN1i, HN1o=HN1o, HN2i=HN2i, HN2o=HN2o, ONi=ONi, Yp=Yp, Cf=Cf,
                dw1=d1 * x1, dw2=d2 * x1, dw3=d1 * x2, dw4=d2 * x2, dw5=d_on * HN1o, dw6=d_on * HN2o,
                db1=d1 + d2, db2=d_on)
'''),
    ("04_backprop", "worked_example", "db1 from one unit only", '''
def worked_example():
    s = lambda v: 1 / (1 + np.exp(-v))
    x1, x2, Ya = 1.0, 2.0, 3.0
    w1, w2, w3, w4, w5, w6, b1, b2 = 0.1, 0.2, 0.1, 0.2, 0.3, 0.4, 1.0, 0.5
    HN1i = w1 * x1 + w3 * x2 + b1; HN2i = w2 * x1 + w4 * x2 + b1
    HN1o, HN2o = s(HN1i), s(HN2i)
    ONi = w5 * HN1o + w6 * HN2o + b2
    Yp = s(ONi)
    Cf = 0.5 * (Ya - Yp) ** 2
    d_on = (Yp - Ya) * Yp * (1 - Yp)
    d1 = d_on * w5 * HN1o * (1 - HN1o); d2 = d_on * w6 * HN2o * (1 - HN2o)
    return dict(HN1i=HN1i, HN1o=HN1o, HN2i=HN2i, HN2o=HN2o, ONi=ONi, Yp=Yp, Cf=Cf,
                dw1=d1 * x1, dw2=d2 * x1, dw3=d1 * x2, dw4=d2 * x2, dw5=d_on * HN1o, dw6=d_on * HN2o,
                db1=d1, db2=d_on)
'''),
    ("04_backprop", "mlp_forward", "activation skipped on the last layer", '''
def mlp_forward(X, params, activations):
    g = {"linear": lambda z: z, "sigmoid": lambda z: 0.5 * (1 + np.tanh(0.5 * z)),
         "tanh": np.tanh, "relu": lambda z: np.maximum(z, 0)}
    A, caches = X, []
    for k, ((W, b), name) in enumerate(zip(params, activations)):
        Z = A @ W + b
        caches.append(((A, W, b), (Z, name)))
        A = g[name](Z) if k < len(params) - 1 else Z
    return A, caches
'''),
    ("04_backprop", "mlp_forward", "dense cache holds X for every layer", '''
def mlp_forward(X, params, activations):
    g = {"linear": lambda z: z, "sigmoid": lambda z: 0.5 * (1 + np.tanh(0.5 * z)),
         "tanh": np.tanh, "relu": lambda z: np.maximum(z, 0)}
    A, caches = X, []
    for (W, b), name in zip(params, activations):
        Z = A @ W + b
        caches.append(((X, W, b), (Z, name)))
        A = g[name](Z)
    return A, caches
'''),
    ("04_backprop", "mlp_forward", "naive sigmoid", '''
def mlp_forward(X, params, activations):
    g = {"linear": lambda z: z, "sigmoid": lambda z: 1 / (1 + np.exp(-z)),
         "tanh": np.tanh, "relu": lambda z: np.maximum(z, 0)}
    A, caches = X, []
    for (W, b), name in zip(params, activations):
        Z = A @ W + b
        caches.append(((A, W, b), (Z, name)))
        A = g[name](Z)
    return A, caches
'''),
    ("04_backprop", "mlp_backward", "activation gradient skipped", '''
def mlp_backward(dout, caches):
    grads, d = [], dout
    for (X, W, b), (Z, name) in reversed(caches):
        grads.append((X.T @ d, d.sum(axis=0)))
        d = d @ W.T
    return grads[::-1]
'''),
    ("04_backprop", "mlp_backward", "grads in reverse order", '''
def mlp_backward(dout, caches):
    grads, d = [], dout
    for (X, W, b), (Z, name) in reversed(caches):
        s = 0.5 * (1 + np.tanh(0.5 * Z))
        g = {"linear": 1.0, "sigmoid": s * (1 - s), "tanh": 1 - np.tanh(Z) ** 2, "relu": (Z > 0) * 1.0}[name]
        d = d * g
        grads.append((X.T @ d, d.sum(axis=0)))
        d = d @ W.T
    return grads
'''),
    ("04_backprop", "mlp_backward", "dW averaged", '''
def mlp_backward(dout, caches):
    grads, d = [], dout
    for (X, W, b), (Z, name) in reversed(caches):
        s = 0.5 * (1 + np.tanh(0.5 * Z))
        g = {"linear": 1.0, "sigmoid": s * (1 - s), "tanh": 1 - np.tanh(Z) ** 2, "relu": (Z > 0) * 1.0}[name]
        d = d * g
        grads.append((X.T @ d / len(X), d.sum(axis=0) / len(X)))
        d = d @ W.T
    return grads[::-1]
'''),
    ("04_backprop", "train_mlp", "gradient ascent", '''
def train_mlp(X, y, hidden_sizes, lr, epochs, rng):
    sizes = [X.shape[1], *hidden_sizes, 1]
    params = [(rng.normal(0, 1, (a, b)), np.zeros(b)) for a, b in zip(sizes[:-1], sizes[1:])]
    y = y.reshape(-1, 1).astype(float)
    losses = []
    for _ in range(epochs):
        A, cache = X, []
        for k, (W, b) in enumerate(params):
            Z = A @ W + b
            cache.append((A, Z))
            A = np.tanh(Z) if k < len(params) - 1 else 0.5 * (1 + np.tanh(0.5 * Z))
        p = np.clip(A, 1e-7, 1 - 1e-7)
        losses.append(float(-np.mean(y * np.log(p) + (1 - y) * np.log(1 - p))))
        d = (A - y) / len(X)
        new = []
        for k in range(len(params) - 1, -1, -1):
            A_in, Z = cache[k]
            W, b = params[k]
            if k < len(params) - 1:
                d = d * (1 - np.tanh(Z) ** 2)
            new.append((W + lr * A_in.T @ d, b + lr * d.sum(axis=0)))
            d = d @ W.T
        params = new[::-1]
    return params, losses
'''),
    ("04_backprop", "train_mlp", "zero initialisation", '''
def train_mlp(X, y, hidden_sizes, lr, epochs, rng):
    sizes = [X.shape[1], *hidden_sizes, 1]
    params = [(np.zeros((a, b)), np.zeros(b)) for a, b in zip(sizes[:-1], sizes[1:])]
    y = y.reshape(-1, 1).astype(float)
    losses = []
    for _ in range(epochs):
        A, cache = X, []
        for k, (W, b) in enumerate(params):
            Z = A @ W + b
            cache.append((A, Z))
            A = np.tanh(Z) if k < len(params) - 1 else 0.5 * (1 + np.tanh(0.5 * Z))
        p = np.clip(A, 1e-7, 1 - 1e-7)
        losses.append(float(-np.mean(y * np.log(p) + (1 - y) * np.log(1 - p))))
        d = (A - y) / len(X)
        new = []
        for k in range(len(params) - 1, -1, -1):
            A_in, Z = cache[k]
            W, b = params[k]
            if k < len(params) - 1:
                d = d * (1 - np.tanh(Z) ** 2)
            new.append((W - lr * A_in.T @ d, b - lr * d.sum(axis=0)))
            d = d @ W.T
        params = new[::-1]
    return params, losses
'''),
    ("04_backprop", "train_mlp", "no hidden activation derivative", '''
def train_mlp(X, y, hidden_sizes, lr, epochs, rng):
    sizes = [X.shape[1], *hidden_sizes, 1]
    params = [(rng.normal(0, 1, (a, b)), np.zeros(b)) for a, b in zip(sizes[:-1], sizes[1:])]
    y = y.reshape(-1, 1).astype(float)
    losses = []
    for _ in range(epochs):
        A, cache = X, []
        for k, (W, b) in enumerate(params):
            Z = A @ W + b
            cache.append((A, Z))
            A = np.tanh(Z) if k < len(params) - 1 else 0.5 * (1 + np.tanh(0.5 * Z))
        p = np.clip(A, 1e-7, 1 - 1e-7)
        losses.append(float(-np.mean(y * np.log(p) + (1 - y) * np.log(1 - p))))
        d = (A - y) / len(X)
        new = []
        for k in range(len(params) - 1, -1, -1):
            A_in, Z = cache[k]
            W, b = params[k]
            new.append((W - lr * A_in.T @ d, b - lr * d.sum(axis=0)))
            d = d @ W.T
        params = new[::-1]
    return params, losses
'''),
    # -- 05_optimizers ----------------------------------------------------------------------
    ("05_optimizers", "sgd", "plus instead of minus", '''
def sgd(w, dw, config=None):
    config = {} if config is None else config
    return w + config.get("learning_rate", 0.01) * dw, config
'''),
    ("05_optimizers", "sgd", "default learning rate 1e-3", '''
def sgd(w, dw, config=None):
    config = {} if config is None else config
    return w - config.get("learning_rate", 1e-3) * dw, config
'''),
    ("05_optimizers", "sgd", "learning rate squared", '''
def sgd(w, dw, config=None):
    config = {} if config is None else config
    lr = config.get("learning_rate", 0.01)
    return w - lr * lr * dw, config
'''),
    ("05_optimizers", "sgd_momentum", "velocity not stored", '''
def sgd_momentum(w, dw, config=None):
    config = {} if config is None else config
    lr, mu = config.get("learning_rate", 0.01), config.get("momentum", 0.9)
    v = mu * np.zeros_like(w) - lr * dw
    return w + v, config
'''),
    ("05_optimizers", "sgd_momentum", "momentum default 0.9", '''
def sgd_momentum(w, dw, config=None):
    config = {} if config is None else config
    lr, mu = config.get("learning_rate", 0.01), config.get("momentum", 0.9)
    v = mu * config.get("velocity", np.zeros_like(w)) - lr * dw
    config["velocity"] = v
    return w + v, config
'''),
    ("05_optimizers", "sgd_momentum", "(1 - mu) dampening", '''
def sgd_momentum(w, dw, config=None):
    config = {} if config is None else config
    lr, mu = config.get("learning_rate", 0.01), config.get("momentum", 0.0)
    v = mu * config.get("velocity", np.zeros_like(w)) - (1 - mu) * lr * dw
    config["velocity"] = v
    return w + v, config
'''),
    ("05_optimizers", "nesterov_momentum", "plain momentum", '''
def nesterov_momentum(w, dw, config=None):
    config = {} if config is None else config
    lr, mu = config.get("learning_rate", 0.01), config.get("momentum", 0.0)
    v = mu * config.get("velocity", np.zeros_like(w)) - lr * dw
    config["velocity"] = v
    return w + v, config
'''),
    ("05_optimizers", "nesterov_momentum", "old velocity in the lookahead", '''
def nesterov_momentum(w, dw, config=None):
    config = {} if config is None else config
    lr, mu = config.get("learning_rate", 0.01), config.get("momentum", 0.0)
    v_old = config.get("velocity", np.zeros_like(w))
    v = mu * v_old - lr * dw
    config["velocity"] = v
    return w + mu * v_old - lr * dw, config
'''),
    ("05_optimizers", "adagrad", "accumulator starts at 0", '''
def adagrad(w, dw, config=None):
    config = {} if config is None else config
    lr, eps = config.get("learning_rate", 0.001), config.get("epsilon", 1e-7)
    acc = config.get("accumulator", np.zeros_like(w)) + dw ** 2
    config["accumulator"] = acc
    return w - lr * dw / np.sqrt(acc + eps), config
'''),
    ("05_optimizers", "adagrad", "eps outside the root", '''
def adagrad(w, dw, config=None):
    config = {} if config is None else config
    lr, eps = config.get("learning_rate", 0.001), config.get("epsilon", 1e-7)
    acc = config.get("accumulator", np.full_like(w, config.get("initial_accumulator_value", 0.1))) + dw ** 2
    config["accumulator"] = acc
    return w - lr * dw / (np.sqrt(acc) + eps), config
'''),
    ("05_optimizers", "adagrad", "no square root", '''
def adagrad(w, dw, config=None):
    config = {} if config is None else config
    lr, eps = config.get("learning_rate", 0.001), config.get("epsilon", 1e-7)
    acc = config.get("accumulator", np.full_like(w, config.get("initial_accumulator_value", 0.1))) + dw ** 2
    config["accumulator"] = acc
    return w - lr * dw / (acc + eps), config
'''),
    ("05_optimizers", "adagrad", "default lr 0.01", '''
def adagrad(w, dw, config=None):
    config = {} if config is None else config
    lr, eps = config.get("learning_rate", 0.01), config.get("epsilon", 1e-7)
    acc = config.get("accumulator", np.full_like(w, config.get("initial_accumulator_value", 0.1))) + dw ** 2
    config["accumulator"] = acc
    return w - lr * dw / np.sqrt(acc + eps), config
'''),
    ("05_optimizers", "rmsprop", "rho on the gradient", '''
def rmsprop(w, dw, config=None):
    config = {} if config is None else config
    lr, rho, eps = config.get("learning_rate", 0.001), config.get("rho", 0.9), config.get("epsilon", 1e-7)
    v = (1 - rho) * config.get("v", np.zeros_like(w)) + rho * dw ** 2
    config["v"] = v
    return w - lr * dw / np.sqrt(v + eps), config
'''),
    ("05_optimizers", "rmsprop", "eps outside the root", '''
def rmsprop(w, dw, config=None):
    config = {} if config is None else config
    lr, rho, eps = config.get("learning_rate", 0.001), config.get("rho", 0.9), config.get("epsilon", 1e-7)
    v = rho * config.get("v", np.zeros_like(w)) + (1 - rho) * dw ** 2
    config["v"] = v
    return w - lr * dw / (np.sqrt(v) + eps), config
'''),
    ("05_optimizers", "rmsprop", "default rho 0.99", '''
def rmsprop(w, dw, config=None):
    config = {} if config is None else config
    lr, rho, eps = config.get("learning_rate", 0.001), config.get("rho", 0.99), config.get("epsilon", 1e-7)
    v = rho * config.get("v", np.zeros_like(w)) + (1 - rho) * dw ** 2
    config["v"] = v
    return w - lr * dw / np.sqrt(v + eps), config
'''),
    ("05_optimizers", "rmsprop", "cache starts at g^2", '''
def rmsprop(w, dw, config=None):
    config = {} if config is None else config
    lr, rho, eps = config.get("learning_rate", 0.001), config.get("rho", 0.9), config.get("epsilon", 1e-7)
    v = rho * config["v"] + (1 - rho) * dw ** 2 if "v" in config else dw ** 2
    config["v"] = v
    return w - lr * dw / np.sqrt(v + eps), config
'''),
    ("05_optimizers", "adam", "no bias correction", '''
def adam(w, dw, config=None):
    config = {} if config is None else config
    lr, b1, b2, eps = (config.get("learning_rate", 0.001), config.get("beta_1", 0.9),
                       config.get("beta_2", 0.999), config.get("epsilon", 1e-7))
    m = b1 * config.get("m", np.zeros_like(w)) + (1 - b1) * dw
    v = b2 * config.get("v", np.zeros_like(w)) + (1 - b2) * dw ** 2
    config["m"], config["v"] = m, v
    return w - lr * m / (np.sqrt(v) + eps), config
'''),
    ("05_optimizers", "adam", "t never incremented", '''
def adam(w, dw, config=None):
    config = {} if config is None else config
    lr, b1, b2, eps = (config.get("learning_rate", 0.001), config.get("beta_1", 0.9),
                       config.get("beta_2", 0.999), config.get("epsilon", 1e-7))
    t = 1
    m = b1 * config.get("m", np.zeros_like(w)) + (1 - b1) * dw
    v = b2 * config.get("v", np.zeros_like(w)) + (1 - b2) * dw ** 2
    config["m"], config["v"] = m, v
    alpha = lr * np.sqrt(1 - b2 ** t) / (1 - b1 ** t)
    return w - alpha * m / (np.sqrt(v) + eps), config
'''),
    ("05_optimizers", "adam", "v from the raw gradient", '''
def adam(w, dw, config=None):
    config = {} if config is None else config
    lr, b1, b2, eps = (config.get("learning_rate", 0.001), config.get("beta_1", 0.9),
                       config.get("beta_2", 0.999), config.get("epsilon", 1e-7))
    t = config.get("t", 0) + 1
    m = b1 * config.get("m", np.zeros_like(w)) + (1 - b1) * dw
    v = b2 * config.get("v", np.zeros_like(w)) + (1 - b2) * np.abs(dw)
    config["m"], config["v"], config["t"] = m, v, t
    alpha = lr * np.sqrt(1 - b2 ** t) / (1 - b1 ** t)
    return w - alpha * m / (np.sqrt(v) + eps), config
'''),
    ("05_optimizers", "adam", "betas swapped", '''
def adam(w, dw, config=None):
    config = {} if config is None else config
    lr, b1, b2, eps = (config.get("learning_rate", 0.001), config.get("beta_1", 0.9),
                       config.get("beta_2", 0.999), config.get("epsilon", 1e-7))
    t = config.get("t", 0) + 1
    m = b2 * config.get("m", np.zeros_like(w)) + (1 - b2) * dw
    v = b1 * config.get("v", np.zeros_like(w)) + (1 - b1) * dw ** 2
    config["m"], config["v"], config["t"] = m, v, t
    alpha = lr * np.sqrt(1 - b2 ** t) / (1 - b1 ** t)
    return w - alpha * m / (np.sqrt(v) + eps), config
'''),
    ("05_optimizers", "exponential_decay", "staircase ignored", '''
def exponential_decay(step, initial_learning_rate, decay_steps, decay_rate, staircase=False):
    return initial_learning_rate * decay_rate ** (step / decay_steps)
'''),
    ("05_optimizers", "exponential_decay", "rounds always", '''
def exponential_decay(step, initial_learning_rate, decay_steps, decay_rate, staircase=False):
    return initial_learning_rate * decay_rate ** (step // decay_steps)
'''),
    ("05_optimizers", "exponential_decay", "exp of the rate", '''
def exponential_decay(step, initial_learning_rate, decay_steps, decay_rate, staircase=False):
    p = step // decay_steps if staircase else step / decay_steps
    return initial_learning_rate * np.exp(-decay_rate * p)
'''),
    ("05_optimizers", "exponential_decay", "staircase rounds to nearest", '''
def exponential_decay(step, initial_learning_rate, decay_steps, decay_rate, staircase=False):
    p = np.round(step / decay_steps) if staircase else step / decay_steps
    return initial_learning_rate * decay_rate ** p
'''),
    ("05_optimizers", "minibatches", "drops the last partial batch", '''
def minibatches(X, y, batch_size, rng=None):
    idx = np.arange(len(X)) if rng is None else rng.permutation(len(X))
    return [(X[idx[i:i + batch_size]], y[idx[i:i + batch_size]])
            for i in range(0, len(X) - batch_size + 1, batch_size)]
'''),
    ("05_optimizers", "minibatches", "shuffles X and y separately", '''
def minibatches(X, y, batch_size, rng=None):
    if rng is not None:
        X = X[rng.permutation(len(X))]
        y = y[rng.permutation(len(y))]
    return [(X[i:i + batch_size], y[i:i + batch_size]) for i in range(0, len(X), batch_size)]
'''),
    ("05_optimizers", "minibatches", "samples with replacement", '''
def minibatches(X, y, batch_size, rng=None):
    idx = np.arange(len(X)) if rng is None else rng.integers(0, len(X), size=len(X))
    return [(X[idx[i:i + batch_size]], y[idx[i:i + batch_size]]) for i in range(0, len(X), batch_size)]
'''),
    ("05_optimizers", "minibatches", "off-by-one stride", '''
def minibatches(X, y, batch_size, rng=None):
    idx = np.arange(len(X)) if rng is None else rng.permutation(len(X))
    return [(X[idx[i:i + batch_size]], y[idx[i:i + batch_size]]) for i in range(0, len(X), batch_size + 1)]
'''),
]
