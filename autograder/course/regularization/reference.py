"""NumPy references of lesson 07_regularization (Keras' conventions, COURSE.md)."""
import numpy as np


def l1_penalty(weights, lam):
    """Keras' L1: lam * sum |w| over every array of the list."""
    return float(lam * sum(np.abs(np.asarray(w, dtype=np.float64)).sum() for w in weights))


def l1_penalty_grad(w, lam):
    """lam * sign(w); 0 at w = 0 (any value in [-lam, lam] is a subgradient there)."""
    w = np.asarray(w)
    return lam * np.sign(w)


def l2_penalty(weights, lam):
    """Keras' L2: lam * sum w**2 over every array of the list (no 1/2)."""
    return float(lam * sum(np.square(np.asarray(w, dtype=np.float64)).sum() for w in weights))


def l2_penalty_grad(w, lam):
    w = np.asarray(w)
    return 2 * lam * w


def dropout_forward(X, rate, rng, training=True):
    """Inverted dropout: drop with probability ``rate``, scale the kept entries by 1/(1 - rate)."""
    X = np.asarray(X)
    if not training or rate == 0:
        return X.copy(), np.ones_like(X, dtype=np.result_type(X.dtype, np.float32))
    keep = rng.random(X.shape) >= rate
    mask = keep / (1.0 - rate)
    return X * mask, mask


def dropout_backward(dout, mask):
    return dout * mask


def early_stopping(val_losses, patience, min_delta=0.0):
    """Replays keras.callbacks.EarlyStopping(monitor="val_loss", restore_best_weights=True)."""
    delta = abs(min_delta)
    best, best_epoch, wait = None, 0, 0
    for epoch, loss in enumerate(val_losses):
        wait += 1
        if best is None or loss - (-delta) < best:  # Keras: monitor_op(current - min_delta, best), min mode
            best, best_epoch, wait = loss, epoch, 0
            continue
        if wait >= patience and epoch > 0:
            return epoch, best_epoch
    return None, best_epoch
