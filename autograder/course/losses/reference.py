"""Reference implementations for lesson 03_losses (NumPy, float64 arithmetic).

Conventions (Keras 3, default reduction "sum_over_batch_size"):
- MSE, MAE, Huber and binary cross-entropy average over the last axis per sample, then
  over the batch: for 1-D ``y`` of shape (N,) and 2-D ``y`` of shape (N, D) alike, the loss
  is the mean over every element.
- Cross-entropies from probabilities clip them to [eps, 1 - eps] before the log.
- Categorical cross-entropies sum over the class axis (the last one) and average over
  the samples (the other axes).
- Gradients are those of the mean loss with respect to the prediction / the logits.
"""
import numpy as np


def _f64(x):
    return np.asarray(x, dtype=np.float64)


def mse(y_true, y_pred):
    err = _f64(y_pred) - _f64(y_true)
    return float(np.mean(err * err))


def mae(y_true, y_pred):
    return float(np.mean(np.abs(_f64(y_pred) - _f64(y_true))))


def huber(y_true, y_pred, delta=1.0):
    a = np.abs(_f64(y_pred) - _f64(y_true))
    quadratic = np.minimum(a, delta)
    linear = a - quadratic
    return float(np.mean(0.5 * quadratic ** 2 + delta * linear))


def binary_crossentropy(y_true, p, eps=1e-7):
    y = _f64(y_true)
    p = np.clip(_f64(p), eps, 1.0 - eps)
    return float(np.mean(-(y * np.log(p) + (1.0 - y) * np.log1p(-p))))


def binary_crossentropy_from_logits(y_true, z):
    y, z = _f64(y_true), _f64(z)
    # log(1 + exp(z)) - z y, written so that exp never overflows
    return float(np.mean(np.maximum(z, 0.0) - z * y + np.log1p(np.exp(-np.abs(z)))))


def categorical_crossentropy(Y_true, P, eps=1e-7):
    Y = _f64(Y_true)
    P = np.clip(_f64(P), eps, 1.0 - eps)
    return float(np.mean(-np.sum(Y * np.log(P), axis=-1)))


def sparse_categorical_crossentropy(y_true, P, eps=1e-7):
    P = np.clip(_f64(P), eps, 1.0 - eps)
    labels = np.asarray(y_true).astype(np.int64)
    if labels.ndim == P.ndim:  # a column of labels, (N, 1), as Keras accepts
        labels = labels[..., 0]
    picked = np.take_along_axis(P, labels[..., None], axis=-1)[..., 0]
    return float(np.mean(-np.log(picked)))


def _log_softmax(Z):
    shifted = Z - np.max(Z, axis=-1, keepdims=True)
    return shifted - np.log(np.sum(np.exp(shifted), axis=-1, keepdims=True))


def softmax_crossentropy_from_logits(Y_true, Z):
    return float(np.mean(-np.sum(_f64(Y_true) * _log_softmax(_f64(Z)), axis=-1)))


def mse_grad(y_true, y_pred):
    y_pred = _f64(y_pred)
    return 2.0 * (y_pred - _f64(y_true)) / y_pred.size


def binary_crossentropy_from_logits_grad(y_true, z):
    z = _f64(z)
    e = np.exp(-np.abs(z))  # sigmoid without overflow
    sig = np.where(z >= 0, 1.0 / (1.0 + e), e / (1.0 + e))
    return (sig - _f64(y_true)) / z.size


def softmax_crossentropy_from_logits_grad(Y_true, Z):
    Z = _f64(Z)
    n_samples = Z.size // Z.shape[-1]
    return (np.exp(_log_softmax(Z)) - _f64(Y_true)) / n_samples
