"""Known mistakes and correct alternatives for lesson 03_losses."""
from ...grading.mistakes import alternative, mistake

# "no abs" and "abs of the mean" agree whenever the mean error is positive: one hint for both.
MAE_ABS_HINT = ("take the absolute value of every error (np.abs) before averaging: positive and negative "
                "errors must not cancel, neither in the mean nor before an abs of the mean.")

MISTAKES = [
    # -- mse -------------------------------------------------------------------------------
    mistake("mse", "summed",
            "average the squared errors (np.mean), do not sum them: the loss is the mean over the batch.",
            """
            def mse(y_true, y_pred):
                return float(np.sum((y_pred - y_true) ** 2))
            """),
    mistake("mse", "per-sample sums",
            "average over the outputs of each sample too: for a (N, D) batch Keras takes the mean over "
            "all N * D squared errors, not their sum per row divided by N.",
            """
            def mse(y_true, y_pred):
                return float(np.sum((y_pred - y_true) ** 2) / len(y_true))
            """),
    mistake("mse", "stray minus sign",
            "drop the leading minus sign (the lecture notes' typo): a squared error is never negative.",
            """
            def mse(y_true, y_pred):
                return float(-np.mean((y_true - y_pred) ** 2))
            """),
    mistake("mse", "root mean squared error",
            "that is the RMSE; the MSE is the mean of the squared errors, without the square root.",
            """
            def mse(y_true, y_pred):
                return float(np.sqrt(np.mean((y_pred - y_true) ** 2)))
            """),
    mistake("mse", "no batch mean",
            "return one number: after the mean over the last axis, average over the batch too.",
            """
            def mse(y_true, y_pred):
                return np.mean((y_pred - y_true) ** 2, axis=-1)
            """),
    mistake("mse", "absolute error",
            "square the errors: np.abs gives the MAE, not the MSE.",
            """
            def mse(y_true, y_pred):
                return float(np.mean(np.abs(y_pred - y_true)))
            """),
    # -- mae -------------------------------------------------------------------------------
    mistake("mae", "no abs",
            MAE_ABS_HINT,
            """
            def mae(y_true, y_pred):
                return float(np.mean(y_pred - y_true))
            """),
    mistake("mae", "squared",
            "the MAE averages |error|, not the squared error (that is the MSE).",
            """
            def mae(y_true, y_pred):
                return float(np.mean((y_pred - y_true) ** 2))
            """),
    mistake("mae", "summed",
            "average the absolute errors (np.mean), do not sum them.",
            """
            def mae(y_true, y_pred):
                return float(np.sum(np.abs(y_pred - y_true)))
            """),
    mistake("mae", "abs of the mean",
            MAE_ABS_HINT,
            """
            def mae(y_true, y_pred):
                return float(np.abs(np.mean(y_pred - y_true)))
            """),
    mistake("mae", "per-sample sums",
            "average over the outputs of each sample too: the MAE of a (N, D) batch is the mean "
            "over all N * D absolute errors.",
            """
            def mae(y_true, y_pred):
                return float(np.sum(np.abs(y_pred - y_true)) / len(y_true))
            """),
    # -- huber -----------------------------------------------------------------------------
    mistake("huber", "branches swapped",
            "the quadratic branch 0.5 * e**2 is for small errors (|e| <= delta), the linear one "
            "delta * (|e| - 0.5 * delta) for large errors; the two are swapped.",
            """
            def huber(y_true, y_pred, delta=1.0):
                a = np.abs(y_pred - y_true)
                return float(np.mean(np.where(a <= delta, delta * a - 0.5 * delta ** 2, 0.5 * a ** 2)))
            """),
    mistake("huber", "delta ignored",
            "use the delta argument instead of a fixed 1.0, both in the test |e| <= delta and in the "
            "linear branch.",
            """
            def huber(y_true, y_pred, delta=1.0):
                a = np.abs(y_pred - y_true)
                return float(np.mean(np.where(a <= 1.0, 0.5 * a ** 2, a - 0.5)))
            """),
    mistake("huber", "no one half",
            "the quadratic branch is 0.5 * e**2 (and the linear one delta * |e| - 0.5 * delta**2), "
            "so that the two meet smoothly at |e| = delta.",
            """
            def huber(y_true, y_pred, delta=1.0):
                a = np.abs(y_pred - y_true)
                return float(np.mean(np.where(a <= delta, a ** 2, delta * a - 0.5 * delta ** 2)))
            """),
    mistake("huber", "linear branch without offset",
            "the linear branch is delta * |e| - 0.5 * delta**2: without the offset the loss jumps at "
            "|e| = delta.",
            """
            def huber(y_true, y_pred, delta=1.0):
                a = np.abs(y_pred - y_true)
                return float(np.mean(np.where(a <= delta, 0.5 * a ** 2, delta * a)))
            """),
    mistake("huber", "summed",
            "average the per-element Huber losses over all elements (np.mean), do not sum them.",
            """
            def huber(y_true, y_pred, delta=1.0):
                a = np.abs(y_pred - y_true)
                return float(np.sum(np.where(a <= delta, 0.5 * a ** 2, delta * a - 0.5 * delta ** 2)))
            """),
    # -- binary_crossentropy ---------------------------------------------------------------
    mistake("binary_crossentropy", "no clipping",
            "clip the probabilities to [eps, 1 - eps] before taking logs: log(0) is -inf, and "
            "0 * log(0) is NaN.",
            """
            def binary_crossentropy(y_true, p, eps=1e-7):
                return float(np.mean(-(y_true * np.log(p) + (1 - y_true) * np.log(1 - p))))
            """),
    mistake("binary_crossentropy", "no minus sign",
            "the cross-entropy is minus the mean log-likelihood: -(y log p + (1 - y) log(1 - p)).",
            """
            def binary_crossentropy(y_true, p, eps=1e-7):
                p = np.clip(p, eps, 1 - eps)
                return float(np.mean(y_true * np.log(p) + (1 - y_true) * np.log(1 - p)))
            """),
    mistake("binary_crossentropy", "summed",
            "average over all elements (np.mean), do not sum: Keras' default reduction is the mean.",
            """
            def binary_crossentropy(y_true, p, eps=1e-7):
                p = np.clip(p, eps, 1 - eps)
                return float(np.sum(-(y_true * np.log(p) + (1 - y_true) * np.log(1 - p))))
            """),
    mistake("binary_crossentropy", "eps ignored",
            "clip with the eps argument, not a fixed 1e-7.",
            """
            def binary_crossentropy(y_true, p, eps=1e-7):
                p = np.clip(p, 1e-7, 1 - 1e-7)
                return float(np.mean(-(y_true * np.log(p) + (1 - y_true) * np.log(1 - p))))
            """),
    mistake("binary_crossentropy", "eps inside the log",
            "clip p to [eps, 1 - eps] as Keras does, rather than adding eps inside the logarithms.",
            """
            def binary_crossentropy(y_true, p, eps=1e-7):
                return float(np.mean(-(y_true * np.log(p + eps) + (1 - y_true) * np.log(1 - p + eps))))
            """),
    mistake("binary_crossentropy", "hard labels only",
            "targets may be soft (between 0 and 1): use y log p + (1 - y) log(1 - p) for every "
            "element rather than choosing a branch by the label.",
            """
            def binary_crossentropy(y_true, p, eps=1e-7):
                p = np.clip(p, eps, 1 - eps)
                return float(np.mean(np.where(y_true >= 0.5, -np.log(p), -np.log(1 - p))))
            """),
    mistake("binary_crossentropy", "per-sample sums",
            "average over the outputs of each sample too: for a (N, D) batch the loss is the mean of "
            "all N * D terms.",
            """
            def binary_crossentropy(y_true, p, eps=1e-7):
                p = np.clip(p, eps, 1 - eps)
                terms = -(y_true * np.log(p) + (1 - y_true) * np.log(1 - p))
                return float(np.sum(terms) / len(y_true))
            """),
    mistake("binary_crossentropy", "clips in place",
            "the input array is modified in place; np.clip(p, ...) without out= returns a new array.",
            """
            def binary_crossentropy(y_true, p, eps=1e-7):
                np.clip(p, eps, 1 - eps, out=p)
                return float(np.mean(-(y_true * np.log(p) + (1 - y_true) * np.log(1 - p))))
            """, feedback_says="modified its input array in place"),
    # -- binary_crossentropy_from_logits --------------------------------------------------
    mistake("binary_crossentropy_from_logits", "naive sigmoid",
            "do not go through sigmoid(z) and log: for |z| ~ 1e4 the sigmoid is exactly 0 or 1 and "
            "the log gives -inf or NaN. Use max(z, 0) - z * y + log(1 + exp(-|z|)).",
            """
            def binary_crossentropy_from_logits(y_true, z):
                p = 1 / (1 + np.exp(-z))
                return float(np.mean(-(y_true * np.log(p) + (1 - y_true) * np.log(1 - p))))
            """),
    mistake("binary_crossentropy_from_logits", "clipped sigmoid",
            "clipping sigmoid(z) caps the loss of a confident wrong logit at -log(eps) ~ 16, but its "
            "true loss is about |z|: compute from the logits with max(z, 0) - z * y + log(1 + exp(-|z|)).",
            """
            def binary_crossentropy_from_logits(y_true, z):
                p = np.clip(1 / (1 + np.exp(-z)), 1e-7, 1 - 1e-7)
                return float(np.mean(-(y_true * np.log(p) + (1 - y_true) * np.log(1 - p))))
            """),
    mistake("binary_crossentropy_from_logits", "unstable softplus",
            "log(1 + exp(z)) overflows for large z: rewrite it as max(z, 0) + log(1 + exp(-|z|)).",
            """
            def binary_crossentropy_from_logits(y_true, z):
                return float(np.mean(np.log(1 + np.exp(z)) - z * y_true))
            """),
    mistake("binary_crossentropy_from_logits", "missing log term",
            "keep the log(1 + exp(-|z|)) term: max(z, 0) - z * y alone is only the large-|z| limit.",
            """
            def binary_crossentropy_from_logits(y_true, z):
                return float(np.mean(np.maximum(z, 0) - z * y_true))
            """),
    mistake("binary_crossentropy_from_logits", "sign of z*y",
            "the middle term is - z * y (minus): the loss is max(z, 0) - z * y + log(1 + exp(-|z|)).",
            """
            def binary_crossentropy_from_logits(y_true, z):
                return float(np.mean(np.maximum(z, 0) + z * y_true + np.log1p(np.exp(-np.abs(z)))))
            """),
    mistake("binary_crossentropy_from_logits", "summed",
            "average over all elements (np.mean), do not sum.",
            """
            def binary_crossentropy_from_logits(y_true, z):
                return float(np.sum(np.maximum(z, 0) - z * y_true + np.log1p(np.exp(-np.abs(z)))))
            """),
    # -- categorical_crossentropy ---------------------------------------------------------
    mistake("categorical_crossentropy", "summed over the batch",
            "sum over the classes but average over the samples: divide by N.",
            """
            def categorical_crossentropy(Y_true, P, eps=1e-7):
                P = np.clip(P, eps, 1 - eps)
                return float(-np.sum(Y_true * np.log(P)))
            """),
    mistake("categorical_crossentropy", "mean over classes too",
            "sum over the classes (axis=-1), then average over the samples; np.mean over the whole "
            "array also divides by the number of classes.",
            """
            def categorical_crossentropy(Y_true, P, eps=1e-7):
                P = np.clip(P, eps, 1 - eps)
                return float(-np.mean(Y_true * np.log(P)))
            """),
    mistake("categorical_crossentropy", "no clipping",
            "clip P to [eps, 1 - eps] before the log: a probability of 0 gives log(0) = -inf, and "
            "0 * log(0) is NaN.",
            """
            def categorical_crossentropy(Y_true, P, eps=1e-7):
                return float(np.mean(-np.sum(Y_true * np.log(P), axis=1)))
            """),
    mistake("categorical_crossentropy", "no minus sign",
            "the cross-entropy is minus the sum of y log p: log-probabilities are negative, the loss is not.",
            """
            def categorical_crossentropy(Y_true, P, eps=1e-7):
                P = np.clip(P, eps, 1 - eps)
                return float(np.mean(np.sum(Y_true * np.log(P), axis=1)))
            """),
    mistake("categorical_crossentropy", "eps ignored",
            "clip with the eps argument, not a fixed 1e-7.",
            """
            def categorical_crossentropy(Y_true, P, eps=1e-7):
                P = np.clip(P, 1e-7, 1 - 1e-7)
                return float(np.mean(-np.sum(Y_true * np.log(P), axis=1)))
            """),
    mistake("categorical_crossentropy", "predicted class",
            "use the probability the model gives to the true class (where Y_true is 1), not the "
            "largest predicted probability.",
            """
            def categorical_crossentropy(Y_true, P, eps=1e-7):
                P = np.clip(P, eps, 1 - eps)
                return float(np.mean(-np.log(P.max(axis=1))))
            """),
    # -- sparse_categorical_crossentropy --------------------------------------------------
    # Listed first: on a column of labels, "wrong axis" gives the same values (ties go to the first).
    mistake("sparse_categorical_crossentropy", "labels not flattened",
            "labels may come as a column of shape (N, 1), as Keras accepts: flatten them first "
            "(np.asarray(y_true).reshape(-1)); indexing with a column picks an N x N block of P.",
            """
            def sparse_categorical_crossentropy(y_true, P, eps=1e-7):
                P = np.clip(P, eps, 1 - eps)
                return float(np.mean(-np.log(P[np.arange(P.shape[0]), y_true])))
            """),
    mistake("sparse_categorical_crossentropy", "wrong axis",
            "pick one probability per row: P[np.arange(N), y_true] (row i, column y_true[i]); "
            "P[:, y_true] builds an N x N matrix.",
            """
            def sparse_categorical_crossentropy(y_true, P, eps=1e-7):
                P = np.clip(P, eps, 1 - eps)
                return float(-np.mean(np.log(P[:, y_true])))
            """),
    mistake("sparse_categorical_crossentropy", "summed over the batch",
            "average the -log p of the true classes over the samples (np.mean), do not sum.",
            """
            def sparse_categorical_crossentropy(y_true, P, eps=1e-7):
                P = np.clip(P, eps, 1 - eps)
                return float(-np.sum(np.log(P[np.arange(len(y_true)), y_true])))
            """),
    mistake("sparse_categorical_crossentropy", "no clipping",
            "clip P to [eps, 1 - eps] before the log: a probability of 0 for the true class gives "
            "log(0) = -inf.",
            """
            def sparse_categorical_crossentropy(y_true, P, eps=1e-7):
                return float(-np.mean(np.log(P[np.arange(len(y_true)), y_true])))
            """),
    mistake("sparse_categorical_crossentropy", "predicted class",
            "use the probability of the true class y_true[i], not the largest predicted probability.",
            """
            def sparse_categorical_crossentropy(y_true, P, eps=1e-7):
                P = np.clip(P, eps, 1 - eps)
                return float(-np.mean(np.log(P.max(axis=1))))
            """),
    mistake("sparse_categorical_crossentropy", "labels as one-hot rows",
            "y_true holds integer class indices, one per sample: select P[i, y_true[i]] rather than "
            "multiplying P by y_true.",
            """
            def sparse_categorical_crossentropy(y_true, P, eps=1e-7):
                P = np.clip(P, eps, 1 - eps)
                return float(-np.mean(np.sum(y_true[:, None] * np.log(P), axis=1)))
            """),
    # -- softmax_crossentropy_from_logits -------------------------------------------------
    mistake("softmax_crossentropy_from_logits", "no max shift",
            "subtract each row's maximum before np.exp (log-sum-exp trick): exp of a large logit "
            "overflows to inf and gives NaN.",
            """
            def softmax_crossentropy_from_logits(Y_true, Z):
                E = np.exp(Z)
                P = E / E.sum(axis=1, keepdims=True)
                return float(np.mean(-np.sum(Y_true * np.log(P), axis=1)))
            """),
    mistake("softmax_crossentropy_from_logits", "clipped softmax",
            "compute log-softmax directly, Z - logsumexp(Z), instead of log(clip(softmax(Z))): clipping "
            "caps the loss of a confident wrong prediction at -log(eps) ~ 16.",
            """
            def softmax_crossentropy_from_logits(Y_true, Z):
                E = np.exp(Z - Z.max(axis=1, keepdims=True))
                P = np.clip(E / E.sum(axis=1, keepdims=True), 1e-7, 1 - 1e-7)
                return float(np.mean(-np.sum(Y_true * np.log(P), axis=1)))
            """),
    mistake("softmax_crossentropy_from_logits", "maximum not added back",
            "log-sum-exp: logsumexp(z) = m + log(sum(exp(z - m))); add the maximum m back.",
            """
            def softmax_crossentropy_from_logits(Y_true, Z):
                m = Z.max(axis=1, keepdims=True)
                lse = np.log(np.sum(np.exp(Z - m), axis=1, keepdims=True))
                return float(np.mean(-np.sum(Y_true * (Z - lse), axis=1)))
            """),
    mistake("softmax_crossentropy_from_logits", "softmax over the batch axis",
            "the softmax runs over the classes of each sample (axis=-1, along a row), not over the "
            "batch (axis=0).",
            """
            def softmax_crossentropy_from_logits(Y_true, Z):
                m = Z.max(axis=0, keepdims=True)
                log_p = Z - m - np.log(np.sum(np.exp(Z - m), axis=0, keepdims=True))
                return float(np.mean(-np.sum(Y_true * log_p, axis=1)))
            """),
    mistake("softmax_crossentropy_from_logits", "summed over the batch",
            "sum over the classes but average over the samples: divide by N.",
            """
            def softmax_crossentropy_from_logits(Y_true, Z):
                m = Z.max(axis=1, keepdims=True)
                log_p = Z - m - np.log(np.sum(np.exp(Z - m), axis=1, keepdims=True))
                return float(-np.sum(Y_true * log_p))
            """),
    # -- mse_grad --------------------------------------------------------------------------
    mistake("mse_grad", "no factor 2",
            "the derivative of e**2 is 2e: multiply by 2.",
            """
            def mse_grad(y_true, y_pred):
                return (y_pred - y_true) / y_pred.size
            """),
    mistake("mse_grad", "missing 1/N",
            "the loss is a mean, so its gradient is divided by the number of elements averaged "
            "(y_pred.size).",
            """
            def mse_grad(y_true, y_pred):
                return 2 * (y_pred - y_true)
            """),
    mistake("mse_grad", "wrong sign",
            "the gradient with respect to y_pred is 2 (y_pred - y_true) / n: it points away from the "
            "target (check the sign).",
            """
            def mse_grad(y_true, y_pred):
                return 2 * (y_true - y_pred) / y_pred.size
            """),
    mistake("mse_grad", "divides by the rows",
            "divide by the number of elements averaged, N * D for a (N, D) batch (y_pred.size), not "
            "by the number of rows.",
            """
            def mse_grad(y_true, y_pred):
                return 2 * (y_pred - y_true) / len(y_pred)
            """),
    # -- binary_crossentropy_from_logits_grad ---------------------------------------------
    mistake("binary_crossentropy_from_logits_grad", "missing 1/N",
            "the loss is a mean, so divide sigmoid(z) - y by the number of elements averaged (z.size).",
            """
            def binary_crossentropy_from_logits_grad(y_true, z):
                return 0.5 * (1 + np.tanh(z / 2)) - y_true
            """),
    mistake("binary_crossentropy_from_logits_grad", "wrong sign",
            "the gradient is (sigmoid(z) - y) / N: predicted minus target, not target minus predicted.",
            """
            def binary_crossentropy_from_logits_grad(y_true, z):
                return (y_true - 0.5 * (1 + np.tanh(z / 2))) / z.size
            """),
    mistake("binary_crossentropy_from_logits_grad", "divides by the rows",
            "divide by the number of elements averaged, N * D for a (N, D) batch (z.size), not by the "
            "number of rows.",
            """
            def binary_crossentropy_from_logits_grad(y_true, z):
                return (0.5 * (1 + np.tanh(z / 2)) - y_true) / len(z)
            """),
    mistake("binary_crossentropy_from_logits_grad", "extra sigmoid derivative",
            "do not multiply by sigmoid'(z) again: it cancels against the derivative of the log, and "
            "the gradient is simply (sigmoid(z) - y) / N.",
            """
            def binary_crossentropy_from_logits_grad(y_true, z):
                s = 0.5 * (1 + np.tanh(z / 2))
                return (s - y_true) * s * (1 - s) / z.size
            """),
    # -- softmax_crossentropy_from_logits_grad --------------------------------------------
    mistake("softmax_crossentropy_from_logits_grad", "missing 1/N",
            "the loss is the mean over the N samples, so divide softmax(Z) - Y by N (the number of rows).",
            """
            def softmax_crossentropy_from_logits_grad(Y_true, Z):
                E = np.exp(Z - Z.max(axis=1, keepdims=True))
                return E / E.sum(axis=1, keepdims=True) - Y_true
            """),
    mistake("softmax_crossentropy_from_logits_grad", "wrong sign",
            "the gradient is (softmax(Z) - Y) / N: predicted minus target.",
            """
            def softmax_crossentropy_from_logits_grad(Y_true, Z):
                E = np.exp(Z - Z.max(axis=1, keepdims=True))
                return (Y_true - E / E.sum(axis=1, keepdims=True)) / Z.shape[0]
            """),
    mistake("softmax_crossentropy_from_logits_grad", "divides by N * K",
            "divide by the number of samples N only: the loss sums over the classes and averages over "
            "the rows.",
            """
            def softmax_crossentropy_from_logits_grad(Y_true, Z):
                E = np.exp(Z - Z.max(axis=1, keepdims=True))
                return (E / E.sum(axis=1, keepdims=True) - Y_true) / Z.size
            """),
    mistake("softmax_crossentropy_from_logits_grad", "no max shift",
            "subtract each row's maximum before np.exp: exp of a large logit overflows and gives NaN.",
            """
            def softmax_crossentropy_from_logits_grad(Y_true, Z):
                E = np.exp(Z)
                return (E / E.sum(axis=1, keepdims=True) - Y_true) / Z.shape[0]
            """),
]

ALTERNATIVES = [
    alternative("mse", "a 0-d array", """
        def mse(y_true, y_pred):
            return np.asarray(np.mean(np.square(np.subtract(y_pred, y_true))))
        """),
    alternative("huber", "a NumPy scalar (no float())", """
        def huber(y_true, y_pred, delta=1.0):
            a = np.abs(y_pred - y_true)
            return np.mean(np.where(a <= delta, 0.5 * a ** 2, delta * (a - 0.5 * delta)))
        """),
    alternative("mse", "loop", """
        def mse(y_true, y_pred):
            yt, yp = np.ravel(y_true), np.ravel(y_pred)
            total = 0.0
            for a, b in zip(yt, yp):
                total += (float(b) - float(a)) ** 2
            return total / yt.size
        """),
    alternative("mse", "Keras order, float32 kept", """
        def mse(y_true, y_pred):
            per_sample = np.mean(np.square(y_true - y_pred), axis=-1)
            return np.mean(per_sample)
        """),
    alternative("mae", "Keras order", """
        def mae(y_true, y_pred):
            return np.mean(np.mean(np.abs(y_true - y_pred), axis=-1))
        """),
    alternative("mae", "loop", """
        def mae(y_true, y_pred):
            yt, yp = np.ravel(y_true), np.ravel(y_pred)
            return sum(abs(float(b) - float(a)) for a, b in zip(yt, yp)) / yt.size
        """),
    alternative("huber", "minimum form", """
        def huber(y_true, y_pred, delta=1.0):
            a = np.abs(y_true - y_pred)
            q = np.minimum(a, delta)
            return float(np.mean(0.5 * q ** 2 + delta * (a - q)))
        """),
    alternative("huber", "loop with strict test", """
        def huber(y_true, y_pred, delta=1.0):
            total, n = 0.0, 0
            for a, b in zip(np.ravel(y_true), np.ravel(y_pred)):
                e = abs(float(b) - float(a))
                total += 0.5 * e * e if e < delta else delta * (e - 0.5 * delta)
                n += 1
            return total / n
        """),
    alternative("binary_crossentropy", "float64 arithmetic", """
        def binary_crossentropy(y_true, p, eps=1e-7):
            y = np.asarray(y_true, dtype=np.float64)
            p = np.clip(np.asarray(p, dtype=np.float64), eps, 1 - eps)
            return float(-np.mean(y * np.log(p) + (1 - y) * np.log1p(-p)))
        """),
    alternative("binary_crossentropy", "input dtype kept, Keras order", """
        def binary_crossentropy(y_true, p, eps=1e-7):
            p = np.clip(p, eps, 1 - eps)
            bce = -(y_true * np.log(p) + (1 - y_true) * np.log(1 - p))
            return np.mean(np.mean(bce, axis=-1))
        """),
    alternative("binary_crossentropy_from_logits", "logaddexp", """
        def binary_crossentropy_from_logits(y_true, z):
            return float(np.mean(np.logaddexp(0, z) - z * y_true))
        """),
    alternative("binary_crossentropy_from_logits", "branch on the sign", """
        def binary_crossentropy_from_logits(y_true, z):
            z = np.asarray(z, dtype=np.float64)
            y = np.asarray(y_true, dtype=np.float64)
            pos = np.log1p(np.exp(-np.where(z >= 0, z, 0))) + (1 - y) * np.where(z >= 0, z, 0)
            neg = np.log1p(np.exp(np.where(z < 0, z, 0))) - y * np.where(z < 0, z, 0)
            return float(np.mean(np.where(z >= 0, pos, neg)))
        """),
    alternative("binary_crossentropy_from_logits", "float32 kept", """
        def binary_crossentropy_from_logits(y_true, z):
            return np.mean(np.maximum(z, 0) - z * y_true + np.log1p(np.exp(-np.abs(z))))
        """),
    alternative("categorical_crossentropy", "loop", """
        def categorical_crossentropy(Y_true, P, eps=1e-7):
            total = 0.0
            for y_row, p_row in zip(Y_true, P):
                p_row = np.clip(p_row, eps, 1 - eps)
                total -= float(np.dot(y_row, np.log(p_row)))
            return total / len(Y_true)
        """),
    alternative("categorical_crossentropy", "einsum, float64", """
        def categorical_crossentropy(Y_true, P, eps=1e-7):
            logP = np.log(np.clip(np.asarray(P, dtype=np.float64), eps, 1 - eps))
            return -np.einsum("ik,ik->", np.asarray(Y_true, dtype=np.float64), logP) / len(P)
        """),
    alternative("sparse_categorical_crossentropy", "one-hot then categorical", """
        def sparse_categorical_crossentropy(y_true, P, eps=1e-7):
            Y = np.eye(P.shape[1])[np.ravel(y_true)]
            return float(np.mean(-np.sum(Y * np.log(np.clip(P, eps, 1 - eps)), axis=1)))
        """),
    alternative("sparse_categorical_crossentropy", "take_along_axis", """
        def sparse_categorical_crossentropy(y_true, P, eps=1e-7):
            picked = np.take_along_axis(P, np.asarray(y_true).reshape(-1, 1).astype(int), axis=1)
            return float(np.mean(-np.log(np.clip(picked, eps, 1 - eps))))
        """),
    alternative("sparse_categorical_crossentropy", "loop", """
        def sparse_categorical_crossentropy(y_true, P, eps=1e-7):
            losses = [-np.log(min(max(float(P[i, int(k)]), eps), 1 - eps)) for i, k in enumerate(np.ravel(y_true))]
            return sum(losses) / len(losses)
        """),
    alternative("softmax_crossentropy_from_logits", "logaddexp.reduce", """
        def softmax_crossentropy_from_logits(Y_true, Z):
            lse = np.logaddexp.reduce(Z, axis=1, keepdims=True)
            return float(np.mean(np.sum(Y_true * (lse - Z), axis=1)))
        """),
    alternative("softmax_crossentropy_from_logits", "row loop, float32 kept", """
        def softmax_crossentropy_from_logits(Y_true, Z):
            out = []
            for y, z in zip(Y_true, Z):
                m = z.max()
                lse = m + np.log(np.sum(np.exp(z - m)))
                out.append(np.sum(y * (lse - z)))
            return np.mean(out)
        """),
    alternative("mse_grad", "loop", """
        def mse_grad(y_true, y_pred):
            g = np.zeros(np.shape(y_pred))
            n = g.size
            for i in np.ndindex(g.shape):
                g[i] = 2.0 * (y_pred[i] - y_true[i]) / n
            return g
        """),
    alternative("mse_grad", "float32 kept", """
        def mse_grad(y_true, y_pred):
            return (2 / y_pred.size) * (y_pred - y_true)
        """),
    alternative("binary_crossentropy_from_logits_grad", "stable sigmoid by cases", """
        def binary_crossentropy_from_logits_grad(y_true, z):
            e = np.exp(-np.abs(z))
            s = np.where(z >= 0, 1 / (1 + e), e / (1 + e))
            return (s - y_true) / z.size
        """),
    alternative("binary_crossentropy_from_logits_grad", "sigmoid via logaddexp", """
        def binary_crossentropy_from_logits_grad(y_true, z):
            s = np.exp(-np.logaddexp(0, -np.asarray(z, dtype=np.float64)))
            return (s - y_true) / np.size(z)
        """),
    alternative("softmax_crossentropy_from_logits_grad", "exp of log-softmax", """
        def softmax_crossentropy_from_logits_grad(Y_true, Z):
            lse = np.logaddexp.reduce(Z, axis=-1, keepdims=True)
            return (np.exp(Z - lse) - Y_true) / Z.shape[0]
        """),
    alternative("softmax_crossentropy_from_logits_grad", "row loop", """
        def softmax_crossentropy_from_logits_grad(Y_true, Z):
            G = np.empty(Z.shape)
            for i in range(Z.shape[0]):
                e = np.exp(Z[i] - np.max(Z[i]))
                G[i] = e / e.sum() - Y_true[i]
            return G / Z.shape[0]
        """),
]
