"""Known mistakes and correct alternatives for lesson 07_regularization."""
from ...grading.mistakes import alternative, mistake
from .tests import KEEP_PROB, MASK_SCALE, NO_SCALE, OTHER_SEED, SAME_SEED, TIMES_KEEP

LIST_HINT = ("`weights` is a list of arrays of different shapes: compute the penalty of each array and add them "
             "up (np.abs(weights) or np.array(weights) needs arrays of one shape)")
FIRST_ONLY = "add the penalty of EVERY array in the list, not only the first one"
SUBGRADIENT_NAN = "at w = 0 the gradient is NaN or infinite: w / |w| divides 0 by 0 there"

MISTAKES = [
    # -- l1_penalty ----------------------------------------------------------------------------
    mistake("l1_penalty", "no absolute value",
            "L1 sums the absolute values, lam * sum(|w|): without np.abs positive and negative weights cancel",
            """
            def l1_penalty(weights, lam):
                return lam * sum(np.sum(w) for w in weights)
            """),
    mistake("l1_penalty", "first array only", FIRST_ONLY,
            """
            def l1_penalty(weights, lam):
                return lam * np.sum(np.abs(weights[0]))
            """),
    mistake("l1_penalty", "one array of the list", LIST_HINT,
            """
            def l1_penalty(weights, lam):
                return lam * np.sum(np.abs(np.array(weights)))
            """),
    mistake("l1_penalty", "mean instead of sum",
            "Keras' L1 is lam * SUM(|w|), not the mean: do not divide by the number of weights",
            """
            def l1_penalty(weights, lam):
                return lam * sum(np.mean(np.abs(w)) for w in weights)
            """),
    mistake("l1_penalty", "squares (L2)", "that is the L2 penalty (squares): L1 is lam * sum(|w|)",
            """
            def l1_penalty(weights, lam):
                return lam * sum(np.sum(w ** 2) for w in weights)
            """),
    # -- l1_penalty_grad -----------------------------------------------------------------------
    mistake("l1_penalty_grad", "w / |w|", SUBGRADIENT_NAN,
            """
            def l1_penalty_grad(w, lam):
                return lam * w / np.abs(w)
            """),
    mistake("l1_penalty_grad", "lam * w", "the derivative of lam * |w| is lam * sign(w), not lam * w",
            """
            def l1_penalty_grad(w, lam):
                return lam * w
            """),
    mistake("l1_penalty_grad", "sign without lam", "multiply sign(w) by lam: the gradient of lam * |w| is lam * sign(w)",
            """
            def l1_penalty_grad(w, lam):
                return np.sign(w)
            """),
    mistake("l1_penalty_grad", "constant lam", "the gradient of lam * |w| is lam * sign(w): it is -lam for negative weights",
            """
            def l1_penalty_grad(w, lam):
                return lam * np.ones_like(w)
            """),
    # -- l2_penalty ----------------------------------------------------------------------------
    mistake("l2_penalty", "a 1/2 factor",
            "Keras' L2 has no 1/2: it is lam * sum(w**2) (the 1/2 of textbooks is not in keras.regularizers.L2)",
            """
            def l2_penalty(weights, lam):
                return 0.5 * lam * sum(np.sum(w ** 2) for w in weights)
            """),
    mistake("l2_penalty", "norm, not squared",
            "L2 is lam times the SQUARED norm, lam * sum(w**2): do not take the square root",
            """
            def l2_penalty(weights, lam):
                return lam * sum(np.sqrt(np.sum(w ** 2)) for w in weights)
            """),
    mistake("l2_penalty", "first array only", FIRST_ONLY,
            """
            def l2_penalty(weights, lam):
                return lam * np.sum(weights[0] ** 2)
            """),
    mistake("l2_penalty", "one array of the list", LIST_HINT,
            """
            def l2_penalty(weights, lam):
                return lam * np.sum(np.square(np.array(weights)))
            """),
    mistake("l2_penalty", "mean instead of sum",
            "Keras' L2 is lam * SUM(w**2), not the mean: do not divide by the number of weights",
            """
            def l2_penalty(weights, lam):
                return lam * sum(np.mean(w ** 2) for w in weights)
            """),
    # -- l2_penalty_grad -----------------------------------------------------------------------
    mistake("l2_penalty_grad", "gradient of the 1/2 form",
            "the gradient of lam * sum(w**2) is 2 * lam * w (lam * w is the gradient of the textbook form with 1/2)",
            """
            def l2_penalty_grad(w, lam):
                return lam * w
            """),
    mistake("l2_penalty_grad", "no lam", "multiply by lam: the gradient of lam * sum(w**2) is 2 * lam * w",
            """
            def l2_penalty_grad(w, lam):
                return 2 * w
            """),
    mistake("l2_penalty_grad", "squared", "the derivative of w**2 is 2 * w, not w**2: the gradient is 2 * lam * w",
            """
            def l2_penalty_grad(w, lam):
                return lam * w ** 2
            """),
    # -- dropout_forward -----------------------------------------------------------------------
    mistake("dropout_forward", "rate as keep probability", KEEP_PROB,
            """
            def dropout_forward(X, rate, rng, training=True):
                if not training or rate == 0:
                    return X.copy(), np.ones_like(X)
                mask = (rng.random(X.shape) < rate) / rate
                return X * mask, mask
            """),
    mistake("dropout_forward", "no scaling", NO_SCALE,
            """
            def dropout_forward(X, rate, rng, training=True):
                if not training:
                    return X.copy(), np.ones_like(X)
                mask = (rng.random(X.shape) >= rate).astype(float)
                return X * mask, mask
            """),
    mistake("dropout_forward", "mask without the scale", MASK_SCALE,
            """
            def dropout_forward(X, rate, rng, training=True):
                if not training:
                    return X.copy(), np.ones_like(X)
                keep = (rng.random(X.shape) >= rate).astype(float)
                return X * keep / (1 - rate), keep
            """),
    mistake("dropout_forward", "multiplied by (1 - rate)", TIMES_KEEP,
            """
            def dropout_forward(X, rate, rng, training=True):
                if not training:
                    return X.copy(), np.ones_like(X)
                mask = (rng.random(X.shape) >= rate) * (1 - rate)
                return X * mask, mask
            """),
    mistake("dropout_forward", "scaling at inference",
            "with inverted dropout nothing is scaled at inference: training=False returns a copy of X and a mask of "
            "ones (the scaling by 1/(1 - rate) already happened in training)",
            """
            def dropout_forward(X, rate, rng, training=True):
                if not training:
                    return X * (1 - rate), np.full(X.shape, 1 - rate)
                mask = (rng.random(X.shape) >= rate) / (1 - rate)
                return X * mask, mask
            """),
    mistake("dropout_forward", "one mask for the whole batch",
            "every entry is dropped or kept on its own: draw a mask of X's full shape, rng.random(X.shape)",
            feedback_says="every entry is dropped or kept on its own", code="""
            def dropout_forward(X, rate, rng, training=True):
                if not training:
                    return X.copy(), np.ones_like(X)
                mask = (rng.random(X.shape[1:]) >= rate) / (1 - rate)
                return X * mask, mask
            """),
    mistake("dropout_forward", "fixed seed", OTHER_SEED,
            """
            def dropout_forward(X, rate, rng, training=True):
                if not training:
                    return X.copy(), np.ones_like(X)
                mask = (np.random.default_rng(0).random(X.shape) >= rate) / (1 - rate)
                return X * mask, mask
            """),
    mistake("dropout_forward", "global np.random", SAME_SEED,
            """
            def dropout_forward(X, rate, rng, training=True):
                if not training:
                    return X.copy(), np.ones_like(X)
                mask = (np.random.random(X.shape) >= rate) / (1 - rate)
                return X * mask, mask
            """),
    # -- dropout_backward ----------------------------------------------------------------------
    mistake("dropout_backward", "mask ignored",
            "multiply by the mask: dropped units get no gradient and kept ones are scaled as in the forward pass",
            """
            def dropout_backward(dout, mask):
                return dout.copy()
            """),
    mistake("dropout_backward", "0/1 mask",
            "the mask already carries the scale 1/(1 - rate): return dout * mask as it is, without turning it into 0/1",
            """
            def dropout_backward(dout, mask):
                return dout * (mask > 0)
            """),
    mistake("dropout_backward", "divides by the mask",
            "multiply by the mask, do not divide: the backward pass of out = X * mask is dout * mask",
            """
            def dropout_backward(dout, mask):
                with np.errstate(divide="ignore", invalid="ignore"):
                    return np.where(mask != 0, dout / np.where(mask != 0, mask, 1), 0.0)
            """),
    # -- early_stopping ------------------------------------------------------------------------
    mistake("early_stopping", "min_delta ignored",
            "an epoch improves only when loss < best - |min_delta|: min_delta is ignored here",
            """
            def early_stopping(val_losses, patience, min_delta=0.0):
                best, best_epoch, wait = None, 0, 0
                for epoch, loss in enumerate(val_losses):
                    if best is None or loss < best:
                        best, best_epoch, wait = loss, epoch, 0
                    else:
                        wait += 1
                        if wait >= patience:
                            return epoch, best_epoch
                return None, best_epoch
            """),
    mistake("early_stopping", "ties improve",
            "a loss equal to the best is not an improvement (Keras uses a strict <): plateaus count towards the patience",
            """
            def early_stopping(val_losses, patience, min_delta=0.0):
                best, best_epoch, wait = None, 0, 0
                for epoch, loss in enumerate(val_losses):
                    if best is None or loss <= best - abs(min_delta):
                        best, best_epoch, wait = loss, epoch, 0
                    else:
                        wait += 1
                        if wait >= patience:
                            return epoch, best_epoch
                return None, best_epoch
            """),
    mistake("early_stopping", "one epoch late",
            "it stops one epoch late: Keras stops at the epoch where the number of epochs without improvement "
            "REACHES patience (wait >= patience), not when it exceeds it",
            """
            def early_stopping(val_losses, patience, min_delta=0.0):
                best, best_epoch, wait = None, 0, 0
                for epoch, loss in enumerate(val_losses):
                    if best is None or loss < best - abs(min_delta):
                        best, best_epoch, wait = loss, epoch, 0
                    else:
                        wait += 1
                        if wait > patience:
                            return epoch, best_epoch
                return None, best_epoch
            """),
    mistake("early_stopping", "1-based epochs",
            "epochs are 0-based indices into val_losses (Keras' epoch, stopped_epoch and best_epoch); "
            "Keras only prints them 1-based",
            """
            def early_stopping(val_losses, patience, min_delta=0.0):
                best, best_epoch, wait = None, 1, 0
                for epoch, loss in enumerate(val_losses, start=1):
                    if best is None or loss < best - abs(min_delta):
                        best, best_epoch, wait = loss, epoch, 0
                    else:
                        wait += 1
                        if wait >= patience:
                            return epoch, best_epoch
                return None, best_epoch
            """),
    mistake("early_stopping", "running minimum",
            "the reference value is the loss of the last improving epoch: a lower loss that does not beat it by "
            "min_delta does not replace it (and is not the best epoch)",
            """
            def early_stopping(val_losses, patience, min_delta=0.0):
                best, best_epoch, wait = None, 0, 0
                for epoch, loss in enumerate(val_losses):
                    if best is None or loss < best - abs(min_delta):
                        best, best_epoch, wait = loss, epoch, 0
                    else:
                        best = min(best, loss)
                        wait += 1
                        if wait >= patience:
                            return epoch, best_epoch
                return None, best_epoch
            """),
    mistake("early_stopping", "argmin of every loss",
            "the best epoch is the last improving epoch SEEN before the stop: losses after the stop are never "
            "seen, and with min_delta > 0 the lowest loss need not be an improvement",
            """
            def early_stopping(val_losses, patience, min_delta=0.0):
                best, wait, stop = None, 0, None
                for epoch, loss in enumerate(val_losses):
                    if best is None or loss < best - abs(min_delta):
                        best, wait = loss, 0
                    else:
                        wait += 1
                        if wait >= patience:
                            stop = epoch
                            break
                return stop, int(np.argmin(val_losses))
            """),
    mistake("early_stopping", "stopped_epoch 0 when it never stops",
            "when it never stops, stop_epoch is None (Keras leaves stopped_epoch at 0 then, which is not an epoch "
            "where it stopped)",
            """
            def early_stopping(val_losses, patience, min_delta=0.0):
                best, best_epoch, wait = None, 0, 0
                for epoch, loss in enumerate(val_losses):
                    if best is None or loss < best - abs(min_delta):
                        best, best_epoch, wait = loss, epoch, 0
                    else:
                        wait += 1
                        if wait >= patience:
                            return epoch, best_epoch
                return 0, best_epoch
            """),
    mistake("early_stopping", "no restore without a stop",
            "when it never stops, Keras 3 still restores the best weights at the end of training: best_epoch is the "
            "last improving epoch, not the last epoch",
            """
            def early_stopping(val_losses, patience, min_delta=0.0):
                best, best_epoch, wait = None, 0, 0
                for epoch, loss in enumerate(val_losses):
                    if best is None or loss < best - abs(min_delta):
                        best, best_epoch, wait = loss, epoch, 0
                    else:
                        wait += 1
                        if wait >= patience:
                            return epoch, best_epoch
                return None, len(val_losses) - 1
            """),
]

ALTERNATIVES = [
    alternative("l1_penalty", "loop over every entry", """
        def l1_penalty(weights, lam):
            total = 0.0
            for w in weights:
                for v in np.asarray(w).ravel():
                    total += abs(float(v))
            return lam * total
        """),
    alternative("l1_penalty", "concatenate the flattened arrays", """
        def l1_penalty(weights, lam):
            flat = np.concatenate([np.ravel(w) for w in weights])
            return float(lam * np.linalg.norm(flat, 1))
        """),
    alternative("l1_penalty_grad", "lam at zero (right derivative)", """
        def l1_penalty_grad(w, lam):
            return np.where(w >= 0, lam, -lam)
        """),
    alternative("l1_penalty_grad", "half lam at zero, float32 kept", """
        def l1_penalty_grad(w, lam):
            g = np.sign(w) * lam
            g[w == 0] = 0.5 * lam
            return g.astype(w.dtype)
        """),
    alternative("l2_penalty", "squared norms", """
        def l2_penalty(weights, lam):
            return lam * sum(np.linalg.norm(np.ravel(w)) ** 2 for w in weights)
        """),
    alternative("l2_penalty", "dot products in the weights' dtype", """
        def l2_penalty(weights, lam):
            return lam * sum(np.vdot(w, w) for w in weights)
        """),
    alternative("l2_penalty_grad", "w + w", """
        def l2_penalty_grad(w, lam):
            return lam * (w + w)
        """),
    alternative("dropout_forward", "binomial mask, out scaled separately", """
        def dropout_forward(X, rate, rng, training=True):
            if not training or rate == 0:
                return np.array(X, copy=True), np.ones(X.shape)
            keep = rng.binomial(1, 1 - rate, size=X.shape)
            return X * keep / (1 - rate), keep / (1 - rate)
        """),
    alternative("dropout_forward", "float32 mask, permutation-free uniform draw", """
        def dropout_forward(X, rate, rng, training=True):
            if training and rate > 0:
                u = rng.uniform(0.0, 1.0, size=X.shape)
                mask = np.where(u > rate, 1.0 / (1.0 - rate), 0.0).astype(X.dtype)
            else:
                mask = np.ones_like(X)
            return X * mask, mask
        """),
    alternative("dropout_backward", "np.multiply", """
        def dropout_backward(dout, mask):
            return np.multiply(dout, mask)
        """),
    alternative("dropout_backward", "where", """
        def dropout_backward(dout, mask):
            return np.where(mask != 0, dout * mask, 0.0).astype(np.result_type(dout, mask))
        """),
    alternative("early_stopping", "epochs since the best", """
        def early_stopping(val_losses, patience, min_delta=0.0):
            best_epoch = 0
            for epoch in range(1, len(val_losses)):
                if val_losses[epoch] < val_losses[best_epoch] - abs(min_delta):
                    best_epoch = epoch
                elif epoch - best_epoch >= patience:
                    return epoch, best_epoch
            return None, best_epoch
        """),
    alternative("early_stopping", "a while loop and NumPy values", """
        def early_stopping(val_losses, patience, min_delta=0.0):
            losses = np.asarray(val_losses, dtype=float)
            best, best_epoch, wait, epoch = np.inf, np.int64(0), 0, 0
            while epoch < len(losses):
                if epoch == 0 or losses[epoch] + abs(min_delta) < best:
                    best, best_epoch, wait = losses[epoch], np.int64(epoch), 0
                else:
                    wait += 1
                    if wait == patience:
                        return np.int64(epoch), best_epoch
                epoch += 1
            return None, best_epoch
        """),
]
