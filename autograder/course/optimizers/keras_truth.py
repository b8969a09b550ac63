"""Keras ground truth for lesson 05_optimizers (runs only in the ground-truth worker).

Each rule's truth runs the matching ``keras.optimizers`` object on a float64
``keras.Variable``, one ``optimizer.apply([g], [var])`` per gradient, and returns the
stacked trajectory of the variable (what the "rule_trajectory" protocol returns).

Keras keeps a float learning rate in a float32 variable and turns Python-float
hyper-parameters into float32 constants before casting them to the variable's dtype, so
with plain floats a float64 trajectory drifts by ~1e-6 (relative) from exact arithmetic.
That is float32 rounding of the hyper-parameters, not a different rule: here they are
given as float64 (``np.float64`` values; the learning rate as a callable returning a
float64 tensor), and Keras then agrees with the references to ~1e-15.
"""
import os

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")
os.environ.setdefault("KERAS_BACKEND", "tensorflow")

import keras  # noqa: E402
import numpy as np  # noqa: E402
import tensorflow as tf  # noqa: E402

F64 = np.float64


def _lr(config, default):
    value = float(config.get("learning_rate", default))
    return lambda: tf.constant(value, tf.float64)


def _trajectory(optimizer, w0, grads):
    var = keras.Variable(np.array(w0, dtype=np.float64), dtype="float64")
    out = []
    for g in np.asarray(grads, dtype=np.float64):
        optimizer.apply([tf.constant(g, tf.float64)], [var])
        out.append(np.array(var.numpy(), dtype=np.float64))
    return np.stack(out)


def sgd(w0, grads, config):
    return _trajectory(keras.optimizers.SGD(_lr(config, 0.01)), w0, grads)


def _momentum(w0, grads, config, nesterov):
    momentum = F64(config.get("momentum", 0.0))
    opt = keras.optimizers.SGD(_lr(config, 0.01), momentum=momentum, nesterov=nesterov)
    return _trajectory(opt, w0, grads)


def sgd_momentum(w0, grads, config):
    return _momentum(w0, grads, config, False)


def nesterov_momentum(w0, grads, config):
    return _momentum(w0, grads, config, True)


def adagrad(w0, grads, config):
    opt = keras.optimizers.Adagrad(_lr(config, 0.001),
                                   initial_accumulator_value=F64(config.get("initial_accumulator_value", 0.1)),
                                   epsilon=F64(config.get("epsilon", 1e-7)))
    return _trajectory(opt, w0, grads)


def rmsprop(w0, grads, config):
    opt = keras.optimizers.RMSprop(_lr(config, 0.001), rho=F64(config.get("rho", 0.9)),
                                   epsilon=F64(config.get("epsilon", 1e-7)))
    return _trajectory(opt, w0, grads)


def adam(w0, grads, config):
    opt = keras.optimizers.Adam(_lr(config, 0.001), beta_1=F64(config.get("beta_1", 0.9)),
                                beta_2=F64(config.get("beta_2", 0.999)),
                                epsilon=F64(config.get("epsilon", 1e-7)))
    return _trajectory(opt, w0, grads)


def exponential_decay(step, initial_learning_rate, decay_steps, decay_rate, staircase=False):
    schedule = keras.optimizers.schedules.ExponentialDecay(
        F64(initial_learning_rate), decay_steps, F64(decay_rate), staircase=staircase)
    return float(schedule(step))
