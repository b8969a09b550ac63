'''Known mistakes and correct alternatives for lesson 08_batchnorm.

The backward pass is graded on the cache of the *same notebook's* forward pass (protocol
"batchnorm_forward_then_backward" looks ``batchnorm_forward`` up in the backward function's
namespace). A backward variant therefore brings its own forward pass (:func:`backward_variant`),
bound to its backward function only, so that it never replaces the notebook's
``batchnorm_forward``: in the mistake-library tests a round holds one forward and one backward
variant, and each must be judged on its own.

The other way round, a forward variant is graded next to the solution's backward pass whenever
its round has no backward variant, so every forward variant returns the solution notebook's cache
``(x_hat, gamma, std)``. The forward mistakes whose training-mode cache is wrong (or that modify
their inputs, or warn in training mode, which the backward exercise sees too) are listed first: ``rounds()`` then puts each
of them next to a backward mistake, which uses its own forward pass. There are at least as many
backward mistakes as such forward mistakes.
'''
import textwrap

from ...grading.mistakes import alternative, mistake


def forward_code(train: str = "", infer: str = "", signature: str = "momentum=0.99, eps=1e-3",
                 out: str = "out = gamma * x_hat + beta") -> str:
    """A batchnorm_forward answer cell with the solution's cache; pieces replaced for a variant."""
    train = train or """
        mean = X.mean(axis=0)
        var = X.var(axis=0)
        new_mean = running_mean * momentum + mean * (1 - momentum)
        new_var = running_var * momentum + var * (1 - momentum)
        std = np.sqrt(var + eps)
        x_hat = (X - mean) / std"""
    infer = infer or """
        std = np.sqrt(running_var + eps)
        x_hat = (X - running_mean) / std
        new_mean, new_var = running_mean.copy(), running_var.copy()"""
    body = (f"def batchnorm_forward(X, gamma, beta, running_mean, running_var, training, {signature}):\n"
            f"    if training:\n{textwrap.indent(textwrap.dedent(train).strip(), ' ' * 8)}\n"
            f"    else:\n{textwrap.indent(textwrap.dedent(infer).strip(), ' ' * 8)}\n"
            f"    {out}\n"
            "    return out, (x_hat, gamma, std), new_mean, new_var\n")
    return body


# The forward pass a backward variant brings along: the reference computation, caching what the
# backward bodies below unpack.
OWN_FORWARD = """
def _own_forward(X, gamma, beta, running_mean, running_var, training, momentum=0.99, eps=1e-3):
    mean = X.mean(axis=0)
    var = X.var(axis=0)
    std = np.sqrt(var + eps)
    x_hat = (X - mean) / std
    out = gamma * x_hat + beta
    new_mean = running_mean * momentum + mean * (1 - momentum)
    new_var = running_var * momentum + var * (1 - momentum)
    return out, (X, x_hat, mean, var, std, gamma, eps), new_mean, new_var
"""


def backward_variant(backward: str, forward: str = OWN_FORWARD) -> str:
    """A batchnorm_backward answer cell that is driven with its own forward pass ``_own_forward``.

    The backward function is rebuilt with a private namespace in which ``batchnorm_forward`` is
    that forward pass (the protocol looks the forward pass up there), so the notebook's
    ``batchnorm_forward`` stays whatever the forward answer cell defined.
    """
    return (textwrap.dedent(backward).strip() + "\n\n\n" + textwrap.dedent(forward).strip() + "\n\n\n"
            "import types as _types\n"
            "_own = {'__builtins__': __builtins__, 'np': np, 'batchnorm_forward': _own_forward}\n"
            "batchnorm_backward = _types.FunctionType(batchnorm_backward.__code__, _own, 'batchnorm_backward')\n")


def _backward(dx: str, dgamma: str = "(dout * x_hat).sum(axis=0)", dbeta: str = "dout.sum(axis=0)",
              dx_hat: str = "dout * gamma", forward: str = OWN_FORWARD) -> str:
    return backward_variant(f"""
        def batchnorm_backward(dout, cache):
            X, x_hat, mean, var, std, gamma, eps = cache
            N = dout.shape[0]
            dx_hat = {dx_hat}
            dX = {dx}
            return dX, {dgamma}, {dbeta}
        """, forward)


DX = "(dx_hat - dx_hat.mean(axis=0) - x_hat * (dx_hat * x_hat).mean(axis=0)) / std"

UNBIASED_HINT = ("batch norm normalizes with the biased batch variance (divide by N, np.var's default "
                 "ddof=0), as Keras does; the unbiased N - 1 version is not defined for a single sample.")
EPS_HINT = ("eps goes inside the square root: x_hat = (X - mean) / sqrt(var + eps). It keeps a "
            "constant column (variance 0) finite and matters wherever the variance is small.")
BACKWARD_FROM_FORWARD = ("the backward pass is graded on the cache of your own batchnorm_forward in training "
                         "mode: ")

MISTAKES = [
    # -- batchnorm_forward: first the ones whose training-mode cache is wrong ---------------------
    mistake("batchnorm_forward", "unbiased variance", UNBIASED_HINT, forward_code(train="""
        mean = X.mean(axis=0)
        var = X.var(axis=0, ddof=1)
        new_mean = running_mean * momentum + mean * (1 - momentum)
        new_var = running_var * momentum + var * (1 - momentum)
        std = np.sqrt(var + eps)
        x_hat = (X - mean) / std""")),
    mistake("batchnorm_forward", "eps outside the square root", EPS_HINT, forward_code(train="""
        mean = X.mean(axis=0)
        var = X.var(axis=0)
        new_mean = running_mean * momentum + mean * (1 - momentum)
        new_var = running_var * momentum + var * (1 - momentum)
        std = np.sqrt(var) + eps
        x_hat = (X - mean) / std""", infer="""
        std = np.sqrt(running_var) + eps
        x_hat = (X - running_mean) / std
        new_mean, new_var = running_mean.copy(), running_var.copy()""")),
    mistake("batchnorm_forward", "no eps",
            "add eps to the variance before the square root, sqrt(var + eps): a column with variance 0 "
            "(a constant column, or any batch of one sample) otherwise divides by zero.",
            forward_code(train="""
        mean = X.mean(axis=0)
        var = X.var(axis=0)
        new_mean = running_mean * momentum + mean * (1 - momentum)
        new_var = running_var * momentum + var * (1 - momentum)
        std = np.sqrt(var)
        x_hat = (X - mean) / std""", infer="""
        std = np.sqrt(running_var)
        x_hat = (X - running_mean) / std
        new_mean, new_var = running_mean.copy(), running_var.copy()""")),
    mistake("batchnorm_forward", "PyTorch's eps default",
            "the default eps is Keras' 1e-3 (the contract's signature: momentum=0.99, eps=1e-3), not "
            "PyTorch's 1e-5.", forward_code(signature="momentum=0.99, eps=1e-5")),
    mistake("batchnorm_forward", "one-pass variance",
            "compute the variance as the mean of squared deviations from the batch mean (np.var does): "
            "E[x^2] - E[x]^2 subtracts two huge, nearly equal numbers when the mean is large compared "
            "with the spread, and loses every digit.", forward_code(train="""
        mean = X.mean(axis=0)
        var = (X ** 2).mean(axis=0) - mean ** 2
        new_mean = running_mean * momentum + mean * (1 - momentum)
        new_var = running_var * momentum + var * (1 - momentum)
        std = np.sqrt(var + eps)
        x_hat = (X - mean) / std""")),
    mistake("batchnorm_forward", "running statistics in training",
            "in training mode, normalize with the statistics of the current batch (its mean and "
            "variance), then update the running statistics; the running ones are for inference.",
            forward_code(train="""
        mean = X.mean(axis=0)
        var = X.var(axis=0)
        new_mean = running_mean * momentum + mean * (1 - momentum)
        new_var = running_var * momentum + var * (1 - momentum)
        std = np.sqrt(running_var + eps)
        x_hat = (X - running_mean) / std""")),
    mistake("batchnorm_forward", "statistics over the features",
            "batch norm's statistics are per feature, over the batch: mean and variance along axis 0, "
            "one number per column (shape (D,)). Along axis 1 is layer normalization.",
            forward_code(train="""
        mean = X.mean(axis=1, keepdims=True)
        var = X.var(axis=1, keepdims=True)
        new_mean = running_mean * momentum + mean.mean() * (1 - momentum)
        new_var = running_var * momentum + var.mean() * (1 - momentum)
        std = np.sqrt(var + eps)
        x_hat = (X - mean) / std""")),
    mistake("batchnorm_forward", "running statistics updated in place", "", forward_code(train="""
        mean = X.mean(axis=0)
        var = X.var(axis=0)
        running_mean *= momentum
        running_mean += mean * (1 - momentum)
        running_var *= momentum
        running_var += var * (1 - momentum)
        new_mean, new_var = running_mean, running_var
        std = np.sqrt(var + eps)
        x_hat = (X - mean) / std"""), feedback_says="modified its input array in place"),
    mistake("batchnorm_forward", "unbiased running variance",
            "Keras updates the running variance with the same biased batch variance it normalizes with "
            "(divide by N); PyTorch's running variance uses the unbiased one (N - 1).", forward_code(train="""
        mean = X.mean(axis=0)
        var = X.var(axis=0)
        new_mean = running_mean * momentum + mean * (1 - momentum)
        new_var = running_var * momentum + X.var(axis=0, ddof=1) * (1 - momentum)
        std = np.sqrt(var + eps)
        x_hat = (X - mean) / std""")),
    # -- batchnorm_forward: training-mode cache right ---------------------------------------------
    mistake("batchnorm_forward", "momentum on the new statistic",
            "Keras' momentum weighs the running statistic: new = running * momentum + batch * (1 - momentum). "
            "(PyTorch's momentum=0.1 weighs the new batch statistic instead.)", forward_code(train="""
        mean = X.mean(axis=0)
        var = X.var(axis=0)
        new_mean = running_mean * (1 - momentum) + mean * momentum
        new_var = running_var * (1 - momentum) + var * momentum
        std = np.sqrt(var + eps)
        x_hat = (X - mean) / std""")),
    mistake("batchnorm_forward", "batch statistics at inference",
            "in inference mode (training=False) normalize with the running statistics, not the batch's: "
            "a prediction must not depend on the other samples of the batch.", forward_code(infer="""
        mean, var = X.mean(axis=0), X.var(axis=0)
        std = np.sqrt(var + eps)
        x_hat = (X - mean) / std
        new_mean, new_var = running_mean.copy(), running_var.copy()""")),
    mistake("batchnorm_forward", "running statistics updated at inference",
            "in inference mode the running statistics are used and returned unchanged; only training "
            "updates them.", forward_code(infer="""
        std = np.sqrt(running_var + eps)
        x_hat = (X - running_mean) / std
        new_mean = running_mean * momentum + X.mean(axis=0) * (1 - momentum)
        new_var = running_var * momentum + X.var(axis=0) * (1 - momentum)""")),
    mistake("batchnorm_forward", "no scale and shift",
            "after normalizing, scale and shift: out = gamma * x_hat + beta. gamma and beta are learned, so "
            "the layer can undo the normalization where that helps.", forward_code(out="out = x_hat * 1.0")),
    mistake("batchnorm_forward", "gamma and beta swapped",
            "out = gamma * x_hat + beta: gamma scales, beta shifts.", forward_code(out="out = beta * x_hat + gamma")),
    # -- batchnorm_backward (each with its own forward pass) ---------------------------------------
    mistake("batchnorm_backward", "dgamma and dbeta over the features",
            "dgamma and dbeta sum over the batch (axis 0), one number per feature: shape (D,), like gamma.",
            _backward(DX, dgamma="(dout * x_hat).sum(axis=1)", dbeta="dout.sum(axis=1)")),
    mistake("batchnorm_backward", "dgamma and dbeta averaged",
            "dgamma and dbeta are sums over the batch, not means: every sample adds its share (any 1/N is "
            "already in dout, from the loss).",
            _backward(DX, dgamma="(dout * x_hat).mean(axis=0)", dbeta="dout.mean(axis=0)")),
    mistake("batchnorm_backward", "dgamma and dbeta of shape (1, D)",
            "dgamma and dbeta have gamma's shape (D,): sum without keepdims.",
            _backward(DX, dgamma="(dout * x_hat).sum(axis=0, keepdims=True)", dbeta="dout.sum(axis=0, keepdims=True)")),
    mistake("batchnorm_backward", "dX missing the mean terms",
            "the batch mean and variance depend on every sample: dX has two more terms, "
            "dX = (dx_hat - mean(dx_hat) - x_hat * mean(dx_hat * x_hat)) / sqrt(var + eps), means over the "
            "batch, with dx_hat = dout * gamma.", _backward("dx_hat / std")),
    mistake("batchnorm_backward", "dX missing the variance term",
            "the path through the variance is missing: dX = (dx_hat - mean(dx_hat) - x_hat * "
            "mean(dx_hat * x_hat)) / sqrt(var + eps).", _backward("(dx_hat - dx_hat.mean(axis=0)) / std")),
    mistake("batchnorm_backward", "dX with sums instead of means",
            "the mean and variance terms carry a 1/N: dX = (dx_hat - mean(dx_hat) - x_hat * "
            "mean(dx_hat * x_hat)) / sqrt(var + eps), means over the batch.",
            _backward("(dx_hat - dx_hat.sum(axis=0) - x_hat * (dx_hat * x_hat).sum(axis=0)) / std")),
    mistake("batchnorm_backward", "dX without gamma",
            "the upstream gradient of x_hat is dout * gamma (out = gamma * x_hat + beta): multiply by gamma "
            "before going back through the normalization.", _backward(DX, dx_hat="dout * 1.0")),
    mistake("batchnorm_backward", "dgamma from X",
            "dgamma = sum over the batch of dout * x_hat, the normalized input (out = gamma * x_hat + beta), "
            "not of dout * X.", _backward(DX, dgamma="(dout * X).sum(axis=0)")),
    mistake("batchnorm_backward", "no eps in the backward pass",
            "the forward pass divided by sqrt(var + eps): the backward pass must use the same "
            "sqrt(var + eps), eps included.", _backward(
                "(dx_hat - dx_hat.mean(axis=0) - x_hat * (dx_hat * x_hat).mean(axis=0)) / np.sqrt(var)")),
    # -- batchnorm_backward right, on the cache of a wrong forward pass ------------------------------
    mistake("batchnorm_backward", "a right backward pass on an unbiased-variance forward pass",
            BACKWARD_FROM_FORWARD + "it normalizes with the unbiased variance (N - 1); use the biased one (divide "
            "by N), then this backward pass is right.", _backward(DX, forward=OWN_FORWARD.replace(
                "var = X.var(axis=0)", "var = X.var(axis=0, ddof=1)"))),
    mistake("batchnorm_backward", "a right backward pass on an eps-outside forward pass",
            BACKWARD_FROM_FORWARD + "it divides by sqrt(var) + eps; put eps inside the square root, "
            "sqrt(var + eps), in the forward and the backward pass.", _backward(DX, forward=OWN_FORWARD.replace(
                "std = np.sqrt(var + eps)", "std = np.sqrt(var) + eps"))),
]

ALTERNATIVES = [
    alternative("batchnorm_forward", "a loop over the features", """
        def batchnorm_forward(X, gamma, beta, running_mean, running_var, training, momentum=0.99, eps=1e-3):
            N, D = X.shape
            out = np.empty(X.shape, dtype=np.result_type(X, gamma, beta))
            x_hat = np.empty_like(out)
            std = np.empty(D, dtype=out.dtype)
            new_mean = np.array(running_mean, copy=True)
            new_var = np.array(running_var, copy=True)
            for j in range(D):
                col = X[:, j]
                if training:
                    m = sum(col) / N
                    v = sum((c - m) ** 2 for c in col) / N
                    new_mean[j] = momentum * running_mean[j] + (1 - momentum) * m
                    new_var[j] = momentum * running_var[j] + (1 - momentum) * v
                else:
                    m, v = running_mean[j], running_var[j]
                std[j] = (v + eps) ** 0.5
                x_hat[:, j] = (col - m) / std[j]
                out[:, j] = gamma[j] * x_hat[:, j] + beta[j]
            return out, (x_hat, gamma, std), new_mean, new_var
        """),
    alternative("batchnorm_forward", "float64 throughout, moving-average form", """
        def batchnorm_forward(X, gamma, beta, running_mean, running_var, training, momentum=0.99, eps=1e-3):
            X = np.asarray(X, dtype=np.float64)
            if training:
                mean = np.mean(X, axis=0)
                var = np.mean((X - mean) ** 2, axis=0)
                new_mean = running_mean + (1 - momentum) * (mean - running_mean)
                new_var = running_var + (1 - momentum) * (var - running_var)
            else:
                mean, var = running_mean, running_var
                new_mean, new_var = running_mean, running_var
            inv = 1.0 / np.sqrt(var + eps)
            x_hat = (X - mean) * inv
            return gamma * x_hat + beta, (x_hat, gamma, 1.0 / inv), new_mean, new_var
        """),
    alternative("batchnorm_forward", "shared normalization, keyword-style defaults", """
        def batchnorm_forward(X, gamma, beta, running_mean, running_var, training, momentum=0.99, eps=1e-3):
            mean = X.mean(axis=0) if training else running_mean
            var = X.var(axis=0) if training else running_var
            std = np.sqrt(var + eps)
            x_hat = (X - mean) / std
            out = x_hat * gamma + beta
            if not training:
                return out, (x_hat, gamma, std), running_mean.copy(), running_var.copy()
            return (out, (x_hat, gamma, std), momentum * running_mean + (1.0 - momentum) * mean,
                    momentum * running_var + (1.0 - momentum) * var)
        """),
    alternative("batchnorm_backward", "the computational graph, node by node", backward_variant("""
        def batchnorm_backward(dout, cache):
            X, mean, xc, var, std, inv, x_hat, gamma, eps = cache
            N = X.shape[0]
            dbeta = dout.sum(axis=0)
            dgamma = (dout * x_hat).sum(axis=0)
            dx_hat = dout * gamma
            dinv = (dx_hat * xc).sum(axis=0)
            dxc = dx_hat * inv
            dstd = -dinv / std ** 2
            dvar = dstd * 0.5 / np.sqrt(var + eps)
            dsq = np.ones_like(X) * dvar / N
            dxc = dxc + 2 * xc * dsq
            dmean = -dxc.sum(axis=0)
            dX = dxc + np.ones_like(X) * dmean / N
            return dX, dgamma, dbeta
        """, forward="""
        def _own_forward(X, gamma, beta, running_mean, running_var, training, momentum=0.99, eps=1e-3):
            N = X.shape[0]
            mean = X.sum(axis=0) / N
            xc = X - mean
            var = (xc ** 2).sum(axis=0) / N
            std = np.sqrt(var + eps)
            inv = 1.0 / std
            x_hat = xc * inv
            out = gamma * x_hat + beta
            cache = (X, mean, xc, var, std, inv, x_hat, gamma, eps)
            return (out, cache, momentum * running_mean + (1 - momentum) * mean,
                    momentum * running_var + (1 - momentum) * var)
        """)),
    alternative("batchnorm_backward", "a dict cache, x_hat recomputed", backward_variant("""
        def batchnorm_backward(dout, cache):
            X, gamma, eps = cache["X"], cache["gamma"], cache["eps"]
            N = X.shape[0]
            mean = X.mean(axis=0)
            var = X.var(axis=0)
            x_hat = (X - mean) / np.sqrt(var + eps)
            dgamma = np.sum(dout * x_hat, axis=0)
            dbeta = np.sum(dout, axis=0)
            dX = gamma / (N * np.sqrt(var + eps)) * (N * dout - dbeta - x_hat * dgamma)
            return dX, dgamma, dbeta
        """, forward="""
        def _own_forward(X, gamma, beta, running_mean, running_var, training, momentum=0.99, eps=1e-3):
            mean, var = X.mean(axis=0), X.var(axis=0)
            out = gamma * (X - mean) / np.sqrt(var + eps) + beta
            cache = {"X": X, "gamma": gamma, "eps": eps}
            return out, cache, momentum * running_mean + (1 - momentum) * mean, momentum * running_var + (1 - momentum) * var
        """)),
    alternative("batchnorm_backward", "the Jacobian of each column", backward_variant("""
        def batchnorm_backward(dout, cache):
            X, x_hat, mean, var, std, gamma, eps = cache
            N, D = X.shape
            dX = np.zeros(X.shape)
            for j in range(D):
                # d x_hat_i / d x_k = (delta_ik - 1/N - x_hat_i x_hat_k / N) / std
                J = (np.eye(N) - 1.0 / N - np.outer(x_hat[:, j], x_hat[:, j]) / N) / std[j]
                dX[:, j] = J.T @ (dout[:, j] * gamma[j])
            return dX, (dout * x_hat).sum(axis=0), dout.sum(axis=0)
        """)),
]
