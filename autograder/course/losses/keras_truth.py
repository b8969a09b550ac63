"""Keras/TensorFlow ground truth for lesson 03_losses (runs only in the ground-truth worker).

Every loss is a ``keras.losses`` object with its default reduction ("sum_over_batch_size")
computing in float64; every gradient is ``tf.GradientTape``'s gradient of that loss with
respect to the prediction (or the logits), on float64 tensors.
"""
import contextlib
import os

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")
os.environ.setdefault("KERAS_BACKEND", "tensorflow")

import keras  # noqa: E402
import numpy as np  # noqa: E402
import tensorflow as tf  # noqa: E402

F64 = "float64"


@contextlib.contextmanager
def _epsilon(eps):
    """Keras reads its clipping epsilon from the global config: set it for one call."""
    old = keras.config.epsilon()
    keras.config.set_epsilon(float(eps))
    try:
        yield
    finally:
        keras.config.set_epsilon(old)


def _loss(loss_obj, y_true, y_pred) -> float:
    return float(loss_obj(np.asarray(y_true, dtype=np.float64),
                          np.asarray(y_pred, dtype=np.float64)).numpy())


def _grad(loss_obj, y_true, x) -> np.ndarray:
    var = tf.Variable(np.asarray(x, dtype=np.float64))
    target = tf.constant(np.asarray(y_true, dtype=np.float64))
    with tf.GradientTape() as tape:
        value = loss_obj(target, var)
    return tape.gradient(value, var).numpy()


def mse(y_true, y_pred):
    return _loss(keras.losses.MeanSquaredError(dtype=F64), y_true, y_pred)


def mae(y_true, y_pred):
    return _loss(keras.losses.MeanAbsoluteError(dtype=F64), y_true, y_pred)


def huber(y_true, y_pred, delta=1.0):
    return _loss(keras.losses.Huber(delta=delta, dtype=F64), y_true, y_pred)


def binary_crossentropy(y_true, p, eps=1e-7):
    with _epsilon(eps):
        return _loss(keras.losses.BinaryCrossentropy(dtype=F64), y_true, p)


def binary_crossentropy_from_logits(y_true, z):
    return _loss(keras.losses.BinaryCrossentropy(from_logits=True, dtype=F64), y_true, z)


def categorical_crossentropy(Y_true, P, eps=1e-7):
    with _epsilon(eps):
        return _loss(keras.losses.CategoricalCrossentropy(dtype=F64), Y_true, P)


def sparse_categorical_crossentropy(y_true, P, eps=1e-7):
    with _epsilon(eps):
        return _loss(keras.losses.SparseCategoricalCrossentropy(dtype=F64), y_true, P)


def softmax_crossentropy_from_logits(Y_true, Z):
    return _loss(keras.losses.CategoricalCrossentropy(from_logits=True, dtype=F64), Y_true, Z)


def mse_grad(y_true, y_pred):
    return _grad(keras.losses.MeanSquaredError(dtype=F64), y_true, y_pred)


def binary_crossentropy_from_logits_grad(y_true, z):
    return _grad(keras.losses.BinaryCrossentropy(from_logits=True, dtype=F64), y_true, z)


def softmax_crossentropy_from_logits_grad(Y_true, Z):
    return _grad(keras.losses.CategoricalCrossentropy(from_logits=True, dtype=F64), Y_true, Z)
