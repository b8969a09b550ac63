"""Known mistakes and correct alternatives for lesson 06_initialization.

Initializer, profile and determinism cases are property-judged: their checks (tests.py) name the
mistake themselves, so each ``feedback_says`` below is a phrase of the check's message.
"""
import textwrap

from ...grading.mistakes import alternative, mistake

TRUNC_HELPER = '''
def _truncated(stddev, shape, rng):
    w = rng.normal(0.0, stddev, size=shape)
    bad = np.abs(w) > 2 * stddev
    while bad.any():
        w[bad] = rng.normal(0.0, stddev, size=bad.sum())
        bad = np.abs(w) > 2 * stddev
    return w
'''


def _helped(code):
    return TRUNC_HELPER + textwrap.dedent(code)


MISTAKES = [
    # -- glorot_uniform ------------------------------------------------------------------------
    mistake("glorot_uniform", "fan_in only", "use fan_in + fan_out",
            feedback_says="it uses fan_in alone",
            code="""
            def glorot_uniform(fan_in, fan_out, rng):
                limit = np.sqrt(6.0 / fan_in)
                return rng.uniform(-limit, limit, size=(fan_in, fan_out))
            """),
    mistake("glorot_uniform", "missing factor 6", "limit = sqrt(6 / (fan_in + fan_out))",
            feedback_says="the limit lacks the factor 6",
            code="""
            def glorot_uniform(fan_in, fan_out, rng):
                limit = np.sqrt(1.0 / (fan_in + fan_out))
                return rng.uniform(-limit, limit, size=(fan_in, fan_out))
            """),
    mistake("glorot_uniform", "normal instead of uniform", "draw from a uniform",
            feedback_says="draw from a uniform U(-limit, limit), not a normal",
            code="""
            def glorot_uniform(fan_in, fan_out, rng):
                return rng.normal(0.0, np.sqrt(2.0 / (fan_in + fan_out)), size=(fan_in, fan_out))
            """),
    mistake("glorot_uniform", "U(0, limit)", "symmetric around 0",
            feedback_says="the distribution must be symmetric around 0",
            code="""
            def glorot_uniform(fan_in, fan_out, rng):
                limit = np.sqrt(6.0 / (fan_in + fan_out))
                return rng.uniform(0.0, limit, size=(fan_in, fan_out))
            """),
    mistake("glorot_uniform", "np.random global state", "draw every random number from the `rng` argument",
            code="""
            def glorot_uniform(fan_in, fan_out, rng):
                limit = np.sqrt(6.0 / (fan_in + fan_out))
                return np.random.uniform(-limit, limit, size=(fan_in, fan_out))
            """),
    mistake("glorot_uniform", "transposed kernel", "Keras kernels are (fan_in, fan_out)",
            code="""
            def glorot_uniform(fan_in, fan_out, rng):
                limit = np.sqrt(6.0 / (fan_in + fan_out))
                return rng.uniform(-limit, limit, size=(fan_out, fan_in))
            """),
    # -- glorot_normal -------------------------------------------------------------------------
    mistake("glorot_normal", "plain normal", "a truncated normal",
            feedback_says="draws from a truncated normal, redrawing every value beyond 2 stddev",
            code="""
            def glorot_normal(fan_in, fan_out, rng):
                return rng.normal(0.0, np.sqrt(2.0 / (fan_in + fan_out)), size=(fan_in, fan_out))
            """),
    mistake("glorot_normal", "truncation without the correction", "divide by 0.8796",
            feedback_says="without dividing the stddev by 0.87962566103423978",
            code=_helped("""
            def glorot_normal(fan_in, fan_out, rng):
                return _truncated(np.sqrt(2.0 / (fan_in + fan_out)), (fan_in, fan_out), rng)
            """)),
    mistake("glorot_normal", "notes' variance 1/(n_in + n_out)", "factor 2",
            feedback_says="the variance lacks the factor 2",
            code=_helped("""
            def glorot_normal(fan_in, fan_out, rng):
                return _truncated(np.sqrt(1.0 / (fan_in + fan_out)) / 0.87962566103423978, (fan_in, fan_out), rng)
            """)),
    mistake("glorot_normal", "clipped instead of redrawn", "redrawn, not clipped",
            feedback_says="must be redrawn (a truncated normal), not clipped",
            code="""
            def glorot_normal(fan_in, fan_out, rng):
                stddev = np.sqrt(2.0 / (fan_in + fan_out)) / 0.87962566103423978
                return np.clip(rng.normal(0.0, stddev, size=(fan_in, fan_out)), -2 * stddev, 2 * stddev)
            """),
    mistake("glorot_normal", "variance for std", "square root",
            feedback_says="the variance was used as the standard deviation",
            code=_helped("""
            def glorot_normal(fan_in, fan_out, rng):
                return _truncated(2.0 / (fan_in + fan_out) / 0.87962566103423978, (fan_in, fan_out), rng)
            """)),
    # -- he_uniform ----------------------------------------------------------------------------
    mistake("he_uniform", "fan_out", "He uses fan_in",
            feedback_says="it uses fan_out: He's variance is 2 / fan_in",
            code="""
            def he_uniform(fan_in, fan_out, rng):
                limit = np.sqrt(6.0 / fan_out)
                return rng.uniform(-limit, limit, size=(fan_in, fan_out))
            """),
    mistake("he_uniform", "Glorot's formula", "Glorot's formula",
            feedback_says="that is Glorot's 2 / (fan_in + fan_out)",
            code="""
            def he_uniform(fan_in, fan_out, rng):
                limit = np.sqrt(6.0 / (fan_in + fan_out))
                return rng.uniform(-limit, limit, size=(fan_in, fan_out))
            """),
    mistake("he_uniform", "std used as the limit", "std is not the limit",
            feedback_says="sqrt(2 / n) is the standard deviation, not the limit",
            code="""
            def he_uniform(fan_in, fan_out, rng):
                limit = np.sqrt(2.0 / fan_in)
                return rng.uniform(-limit, limit, size=(fan_in, fan_out))
            """),
    mistake("he_uniform", "normal instead of uniform", "draw from a uniform",
            feedback_says="draw from a uniform U(-limit, limit), not a normal",
            code="""
            def he_uniform(fan_in, fan_out, rng):
                return rng.normal(0.0, np.sqrt(2.0 / fan_in), size=(fan_in, fan_out))
            """),
    # -- he_normal -----------------------------------------------------------------------------
    mistake("he_normal", "plain normal", "a truncated normal",
            feedback_says="draws from a truncated normal, redrawing every value beyond 2 stddev",
            code="""
            def he_normal(fan_in, fan_out, rng):
                return rng.normal(0.0, np.sqrt(2.0 / fan_in), size=(fan_in, fan_out))
            """),
    mistake("he_normal", "truncation without the correction", "divide by 0.8796",
            feedback_says="without dividing the stddev by 0.87962566103423978",
            code=_helped("""
            def he_normal(fan_in, fan_out, rng):
                return _truncated(np.sqrt(2.0 / fan_in), (fan_in, fan_out), rng)
            """)),
    mistake("he_normal", "fan_out", "He uses fan_in",
            feedback_says="it uses fan_out: He's variance is 2 / fan_in",
            code=_helped("""
            def he_normal(fan_in, fan_out, rng):
                return _truncated(np.sqrt(2.0 / fan_out) / 0.87962566103423978, (fan_in, fan_out), rng)
            """)),
    mistake("he_normal", "LeCun's variance", "factor 2",
            feedback_says="the variance lacks the factor 2",
            code=_helped("""
            def he_normal(fan_in, fan_out, rng):
                return _truncated(np.sqrt(1.0 / fan_in) / 0.87962566103423978, (fan_in, fan_out), rng)
            """)),
    mistake("he_normal", "variance for std", "square root",
            feedback_says="the variance was used as the standard deviation",
            code=_helped("""
            def he_normal(fan_in, fan_out, rng):
                return _truncated(2.0 / fan_in / 0.87962566103423978, (fan_in, fan_out), rng)
            """)),
]

# -- activation_stds / gradient_norms -----------------------------------------------------------
NET = '''
INITS = {
    "glorot_uniform": lambda i, o, rng: rng.uniform(-np.sqrt(6 / (i + o)), np.sqrt(6 / (i + o)), (i, o)),
    "he_uniform": lambda i, o, rng: rng.uniform(-np.sqrt(6 / i), np.sqrt(6 / i), (i, o)),
}


def _normal(var):
    def init(i, o, rng):
        s = np.sqrt(var(i, o)) / 0.87962566103423978
        w = rng.normal(0.0, s, (i, o))
        while (np.abs(w) > 2 * s).any():
            bad = np.abs(w) > 2 * s
            w[bad] = rng.normal(0.0, s, bad.sum())
        return w
    return init


INITS["glorot_normal"] = _normal(lambda i, o: 2 / (i + o))
INITS["he_normal"] = _normal(lambda i, o: 2 / i)
ACTS = {"linear": (lambda z: z, lambda z: np.ones_like(z)),
        "relu": (lambda z: np.maximum(z, 0), lambda z: (z > 0) * 1.0),
        "tanh": (np.tanh, lambda z: 1 - np.tanh(z) ** 2),
        "sigmoid": (lambda z: 1 / (1 + np.exp(-z)), lambda z: np.exp(-z) / (1 + np.exp(-z)) ** 2)}
'''

PROFILE = NET + '''
def activation_stds(init, activation, depth, width, n_samples, rng):
    init = INITS[init] if isinstance(init, str) else init
    f, _ = ACTS[activation]
    a = {X}
    out = []
    for _ in range(depth):
        z = a @ init(width, width, rng)
        a = f(z)
        out.append({STAT})
    return {RET}
'''


def _stds(X="rng.standard_normal((n_samples, width))", STAT="np.std(a)", RET="out"):
    return PROFILE.replace("{X}", X).replace("{STAT}", STAT).replace("{RET}", RET)


MISTAKES += [
    mistake("activation_stds", "pre-activation", "the std of Z = A W before the activation",
            feedback_says="the std of Z = A W before the activation", code=_stds(STAT="np.std(z)")),
    mistake("activation_stds", "variance instead of std", "the variance instead of the standard deviation",
            feedback_says="the variance instead of the standard deviation", code=_stds(STAT="np.var(a)")),
    mistake("activation_stds", "layers reversed", "last layer first: return layer 1 first",
            feedback_says="last layer first", code=_stds(RET="out[::-1]")),
    mistake("activation_stds", "input layer included", "the input's std counted as layer 1",
            feedback_says="the input's std counted as layer 1",
            code=_stds(RET="[float(np.std(x0))] + out[:-1]").replace(
                "    a = rng.standard_normal((n_samples, width))",
                "    a = x0 = rng.standard_normal((n_samples, width))")),
    mistake("activation_stds", "np.random global state", "draw every random number from the `rng` argument",
            code=_stds(X="np.random.standard_normal((n_samples, width))")),
    mistake("activation_stds", "names only", "init given as a function",
            code=_stds().replace("init = INITS[init] if isinstance(init, str) else init", "init = INITS[init]")),
]

GRAD = NET + '''
def gradient_norms(init, activation, depth, width, n_samples, rng):
    init = INITS[init] if isinstance(init, str) else init
    f, df = ACTS[activation]
    a = {X}
    cache = []
    for _ in range(depth):
        W = init(width, width, rng)
        z = a @ W
        cache.append((a, W, z))
        a = f(z)
    g = np.ones_like(a) {SCALE}
    norms = []
    for a_in, W, z in reversed(cache):
        dz = g {DERIV}
        dW = a_in.T @ dz
        norms.append({NORM})
        g = dz @ W.T
    return {RET}
'''


def _grads(X="rng.standard_normal((n_samples, width))", SCALE="/ n_samples", DERIV="* df(z)",
           NORM="np.linalg.norm(dW)", RET="norms[::-1]"):
    return (GRAD.replace("{X}", X).replace("{SCALE}", SCALE).replace("{DERIV}", DERIV)
            .replace("{NORM}", NORM).replace("{RET}", RET))


MISTAKES += [
    mistake("gradient_norms", "no activation derivative", "multiply by the activation's derivative",
            feedback_says="multiply by the activation's derivative", code=_grads(DERIV="")),
    mistake("gradient_norms", "layers reversed", "last layer first: return layer 1 first",
            feedback_says="last layer first", code=_grads(RET="norms")),
    mistake("gradient_norms", "squared norm", "the squared norm instead of the Frobenius norm",
            feedback_says="the squared norm instead of the Frobenius norm", code=_grads(NORM="np.sum(dW ** 2)")),
    mistake("gradient_norms", "sum instead of mean", "L is the mean over the batch",
            feedback_says="L is the mean over the batch", code=_grads(SCALE="")),
    mistake("gradient_norms", "gradient of the output", "dL/dA of the layer's output instead of dL/dW",
            feedback_says="dL/dA of the layer's output instead of dL/dW",
            code=_grads(NORM="np.linalg.norm(g)")),
    mistake("gradient_norms", "np.random global state", "draw every random number from the `rng` argument",
            code=_grads(X="np.random.standard_normal((n_samples, width))")),
]

# -- clipping -----------------------------------------------------------------------------------
MISTAKES += [
    mistake("clip_by_value", "lower bound 0", "clip to [-clip_value, clip_value], not [0, clip_value]",
            code="""
            def clip_by_value(g, clip_value):
                return np.clip(g, 0, clip_value)
            """),
    mistake("clip_by_value", "upper bound only", "clip both sides: negative entries below -clip_value too",
            code="""
            def clip_by_value(g, clip_value):
                return np.minimum(g, clip_value)
            """),
    mistake("clip_by_value", "in place", "modified its input array in place",
            code="""
            def clip_by_value(g, clip_value):
                np.clip(g, -clip_value, clip_value, out=g)
                return g
            """),
    mistake("clip_by_norm", "element-wise", "clip_by_norm rescales the whole tensor when its L2 norm exceeds "
            "clip_norm; clipping each element is clip_by_value",
            code="""
            def clip_by_norm(g, clip_norm):
                return np.clip(g, -clip_norm, clip_norm)
            """),
    mistake("clip_by_norm", "always rescaled", "leave g unchanged when its norm is at most clip_norm",
            code="""
            def clip_by_norm(g, clip_norm):
                norm = np.sqrt(np.sum(g ** 2))
                return g * clip_norm / norm if norm > 0 else g.copy()
            """),
    mistake("clip_by_norm", "per row", "the norm is over all entries of the tensor, not per row",
            code="""
            def clip_by_norm(g, clip_norm):
                g = np.atleast_1d(g)
                norms = np.sqrt(np.sum(g ** 2, axis=-1, keepdims=True))
                return g * clip_norm / np.maximum(norms, clip_norm)
            """),
    mistake("clip_by_norm", "squared norm", "compare and divide by the L2 norm sqrt(sum(g**2)), not its square",
            code="""
            def clip_by_norm(g, clip_norm):
                sq = np.sum(g ** 2)
                return g * clip_norm / sq if sq > clip_norm else g.copy()
            """),
    mistake("clip_by_global_norm", "per-tensor", "rescale all tensors together by the global norm "
            "sqrt(sum of every tensor's squared norm), not each tensor by its own norm",
            code="""
            def clip_by_global_norm(grads, clip_norm):
                out = []
                for g in grads:
                    n = np.sqrt(np.sum(g ** 2))
                    out.append(g * clip_norm / max(n, clip_norm))
                return out
            """),
    mistake("clip_by_global_norm", "sum of norms", "the global norm is sqrt(sum of squared norms), not the sum "
            "of the tensors' norms",
            code="""
            def clip_by_global_norm(grads, clip_norm):
                total = sum(np.sqrt(np.sum(g ** 2)) for g in grads)
                return [g * clip_norm / max(total, clip_norm) for g in grads]
            """),
    mistake("clip_by_global_norm", "in place", "do not modify the arrays of `grads` in place",
            code="""
            def clip_by_global_norm(grads, clip_norm):
                total = np.sqrt(sum(np.sum(g ** 2) for g in grads))
                for g in grads:
                    g *= clip_norm / max(total, clip_norm)
                return grads
            """),
    mistake("clip_by_global_norm", "TF's pair", "return only the list of clipped arrays (the first item of "
            "tf.clip_by_global_norm's result), not the global norm too",
            code="""
            def clip_by_global_norm(grads, clip_norm):
                total = np.sqrt(sum(np.sum(g ** 2) for g in grads))
                return [g * clip_norm / max(total, clip_norm) for g in grads], total
            """),
]

ALTERNATIVES = [
    alternative("glorot_uniform", "float32, scaled unit uniform", """
        def glorot_uniform(fan_in, fan_out, rng):
            limit = np.sqrt(6.0 / (fan_in + fan_out))
            return (limit * (2 * rng.random((fan_in, fan_out)) - 1)).astype(np.float32)
        """),
    alternative("glorot_normal", "truncnorm by resampling the whole block", """
        def glorot_normal(fan_in, fan_out, rng):
            s = np.sqrt(2.0 / (fan_in + fan_out)) / 0.87962566103423978
            need = fan_in * fan_out
            kept = np.empty(0)
            while kept.size < need:
                z = rng.standard_normal(2 * need + 10)
                kept = np.concatenate([kept, z[np.abs(z) <= 2]])
            return (s * kept[:need]).reshape(fan_in, fan_out)
        """),
    alternative("he_uniform", "loops", """
        def he_uniform(fan_in, fan_out, rng):
            limit = (6.0 / fan_in) ** 0.5
            W = np.zeros((fan_in, fan_out))
            for i in range(fan_in):
                W[i] = rng.uniform(-limit, limit, size=fan_out)
            return W
        """),
    alternative("he_normal", "inverse CDF of the truncated normal (NumPy only)", """
        def he_normal(fan_in, fan_out, rng):
            s = np.sqrt(2.0 / fan_in) / 0.87962566103423978
            w = s * rng.standard_normal((fan_in, fan_out))
            out = np.abs(w) > 2 * s
            while out.any():
                w[out] = s * rng.standard_normal(int(out.sum()))
                out = np.abs(w) > 2 * s
            return w.astype(np.float32)
        """),
    alternative("activation_stds", "per-layer weights drawn first, np.array result", NET + '''
def activation_stds(init, activation, depth, width, n_samples, rng):
    init = INITS.get(init) if isinstance(init, str) else init
    Ws = [init(width, width, rng) for _ in range(depth)]
    a = rng.normal(size=(n_samples, width))
    f = ACTS[activation][0]
    stds = np.empty(depth)
    for k, W in enumerate(Ws):
        a = f(a @ W)
        stds[k] = a.std()
    return stds
'''),
    alternative("gradient_norms", "explicit chain rule with a list", NET + '''
def gradient_norms(init, activation, depth, width, n_samples, rng):
    if isinstance(init, str):
        init = INITS[init]
    f, df = ACTS[activation]
    x = rng.standard_normal((n_samples, width))
    inputs, Ws, zs = [], [], []
    a = x
    for _ in range(depth):
        W = init(width, width, rng)
        inputs.append(a); Ws.append(W)
        z = a @ W
        zs.append(z)
        a = f(z)
    norms = [0.0] * depth
    dA = np.full(a.shape, 1.0 / n_samples)
    for k in range(depth - 1, -1, -1):
        dZ = dA * df(zs[k])
        norms[k] = float(np.sqrt(np.sum((inputs[k].T @ dZ) ** 2)))
        dA = dZ @ Ws[k].T
    return norms
'''),
    alternative("clip_by_value", "minimum of maximum", """
        def clip_by_value(g, clip_value):
            return np.minimum(np.maximum(g, -clip_value), clip_value)
        """),
    alternative("clip_by_norm", "TF's formula", """
        def clip_by_norm(g, clip_norm):
            norm = np.linalg.norm(np.ravel(g))
            return g * clip_norm / max(norm, clip_norm)
        """),
    alternative("clip_by_global_norm", "tuple of arrays, scale factor", """
        def clip_by_global_norm(grads, clip_norm):
            sq = 0.0
            for g in grads:
                sq += float(np.vdot(g, g))
            scale = min(1.0, clip_norm / np.sqrt(sq)) if sq > 0 else 1.0
            return tuple(np.asarray(g) * scale for g in grads)
        """),
]
