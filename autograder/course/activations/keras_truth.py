"""Keras/TensorFlow ground truth for lesson 02_activations.

Runs only in the ground-truth worker process (``autograder.grading.ground_truth``).
Inputs are converted with their own dtype, so float64 cases are computed in float64
(Keras' floatx, float32, would otherwise make every float64 comparison meaningless).
Derivatives come from ``tf.GradientTape``: for an element-wise function the gradient of
the sum of the outputs is the element-wise derivative.
"""
import os
import warnings

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")
os.environ.setdefault("KERAS_BACKEND", "tensorflow")

import keras  # noqa: E402
import numpy as np  # noqa: E402
import tensorflow as tf  # noqa: E402


def _tensor(z):
    z = np.asarray(z)
    if z.dtype.kind != "f":
        z = z.astype(np.float64)
    return tf.constant(z, dtype=z.dtype)


def _value(fn, z):
    return np.asarray(fn(_tensor(z)))


def _derivative(fn, z):
    x = _tensor(z)
    with tf.GradientTape() as tape:
        tape.watch(x)
        y = fn(x)
    return np.asarray(tape.gradient(y, x))


def sigmoid(z):
    return _value(keras.activations.sigmoid, z)


def sigmoid_grad(z):
    return _derivative(keras.activations.sigmoid, z)


def tanh(z):
    return _value(keras.activations.tanh, z)


def tanh_grad(z):
    return _derivative(keras.activations.tanh, z)


def relu(z):
    return _value(keras.activations.relu, z)


def relu_grad(z):
    return _derivative(keras.activations.relu, z)


def leaky_relu(z, alpha=0.01):
    return _value(lambda x: keras.activations.leaky_relu(x, negative_slope=alpha), z)


def leaky_relu_grad(z, alpha=0.01):
    return _derivative(lambda x: keras.activations.leaky_relu(x, negative_slope=alpha), z)


def elu(z, alpha=1.0):
    return _value(lambda x: keras.activations.elu(x, alpha=alpha), z)


def elu_grad(z, alpha=1.0):
    return _derivative(lambda x: keras.activations.elu(x, alpha=alpha), z)


def softplus(z):
    return _value(keras.activations.softplus, z)


def softmax(z, axis=-1):
    with warnings.catch_warnings():
        # Keras warns about a softmax over an axis of size 1 (always 1.0): a legitimate case here.
        warnings.filterwarnings("ignore", message=".*softmax over axis.*")
        return _value(lambda x: keras.activations.softmax(x, axis=axis), z)
