"""Keras/TensorFlow ground truth for lesson 06_initialization (runs only in the ground-truth worker).

Initializers: a kernel drawn by the ``keras.initializers`` object itself (float64, seeded from the
case's generator), summarised exactly as the ``sample_summary`` protocol summarises the student's
and the reference's kernels. Clipping: ``tf.clip_by_value``, ``tf.clip_by_norm`` and the first item
of ``tf.clip_by_global_norm``, on tensors of the inputs' dtype.
"""
import os

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")
os.environ.setdefault("KERAS_BACKEND", "tensorflow")

import keras  # noqa: E402
import numpy as np  # noqa: E402
import tensorflow as tf  # noqa: E402

from ...sandbox.protocols import sample_summary  # noqa: E402


def _summary(cls, fan_in, fan_out, rng):
    init = cls(seed=int(rng.integers(2**31)))
    w = np.asarray(init(shape=(fan_in, fan_out), dtype="float64"))
    return sample_summary(lambda: w, (), {})


def glorot_uniform(fan_in, fan_out, rng):
    return _summary(keras.initializers.GlorotUniform, fan_in, fan_out, rng)


def glorot_normal(fan_in, fan_out, rng):
    return _summary(keras.initializers.GlorotNormal, fan_in, fan_out, rng)


def he_uniform(fan_in, fan_out, rng):
    return _summary(keras.initializers.HeUniform, fan_in, fan_out, rng)


def he_normal(fan_in, fan_out, rng):
    return _summary(keras.initializers.HeNormal, fan_in, fan_out, rng)


def clip_by_value(g, clip_value):
    g = np.asarray(g)
    return tf.clip_by_value(tf.constant(g), -clip_value, clip_value).numpy()


def clip_by_norm(g, clip_norm):
    g = np.asarray(g)
    return tf.clip_by_norm(tf.constant(g), clip_norm).numpy()


def clip_by_global_norm(grads, clip_norm):
    """As the ``call_and_list_inputs`` protocol returns it: (clipped list, the inputs unchanged)."""
    tensors = [tf.constant(np.asarray(g)) for g in grads]
    clipped, _ = tf.clip_by_global_norm(tensors, clip_norm)
    return [t.numpy() for t in clipped], [np.array(g, copy=True) for g in grads]
