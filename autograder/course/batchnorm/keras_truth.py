"""Keras/TensorFlow ground truth for lesson 08_batchnorm (runs only in the ground-truth worker).

Both exercises use ``keras.layers.BatchNormalization(momentum=..., epsilon=..., dtype="float64")``
itself, holding the case's gamma, beta and moving statistics (inputs are cast to float64):

* ``batchnorm_forward`` calls the layer with ``training=True`` or ``False`` and reads its
  ``moving_mean`` / ``moving_variance`` after the call. It returns what the "cache_stays"
  protocol returns for the student: ``(out, None, new_running_mean, new_running_var)``.
* ``batchnorm_backward`` receives the arguments of the "forward_then_backward" protocol,
  ``(X, gamma, beta, running_mean, running_var, training, dout)`` plus the forward pass's keyword
  arguments, and returns ``tf.GradientTape``'s gradients of ``sum(dout * layer(X, training=True))``
  with respect to X, gamma and beta: ``dout`` is the upstream gradient.
"""
import os

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")
os.environ.setdefault("KERAS_BACKEND", "tensorflow")

import keras  # noqa: E402
import numpy as np  # noqa: E402
import tensorflow as tf  # noqa: E402


def _f64(x):
    return np.asarray(x, dtype=np.float64)


def _layer(gamma, beta, running_mean, running_var, momentum, eps):
    layer = keras.layers.BatchNormalization(momentum=momentum, epsilon=eps, dtype="float64")
    layer.build((None, len(gamma)))
    layer.set_weights([_f64(gamma), _f64(beta), _f64(running_mean), _f64(running_var)])
    return layer


def batchnorm_forward(X, gamma, beta, running_mean, running_var, training, momentum=0.99, eps=1e-3):
    layer = _layer(gamma, beta, running_mean, running_var, momentum, eps)
    out = layer(tf.constant(_f64(X)), training=bool(training)).numpy()
    return out, None, layer.moving_mean.numpy(), layer.moving_variance.numpy()


def batchnorm_backward(X, gamma, beta, running_mean, running_var, training, dout, momentum=0.99, eps=1e-3):
    layer = _layer(gamma, beta, running_mean, running_var, momentum, eps)
    x = tf.Variable(_f64(X))
    with tf.GradientTape() as tape:
        value = tf.reduce_sum(tf.constant(_f64(dout)) * layer(x, training=bool(training)))
    dX, dgamma, dbeta = tape.gradient(value, [x, layer.gamma, layer.beta])
    return dX.numpy(), dgamma.numpy(), dbeta.numpy()
