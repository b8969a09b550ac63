"""Keras/TensorFlow ground truth for lesson 04_backprop (runs only in the ground-truth worker).

Everything computes in float64: a ``keras.layers.Dense`` layer holding the given kernel and bias,
``keras.activations``, and ``tf.GradientTape`` for every gradient (the upstream gradient dZ is
fed in as the weights of ``sum(dZ * output)``).
"""
import os

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")
os.environ.setdefault("KERAS_BACKEND", "tensorflow")

import keras  # noqa: E402
import numpy as np  # noqa: E402
import tensorflow as tf  # noqa: E402

F64 = "float64"


def _f64(x):
    return np.asarray(x, dtype=np.float64)


def _dense(W, b):
    W, b = _f64(W), _f64(b)
    layer = keras.layers.Dense(W.shape[1], dtype=F64)
    layer.build((None, W.shape[0]))
    layer.set_weights([W, b])
    return layer


def dense_forward(X, W, b):
    Z = _dense(W, b)(tf.constant(_f64(X))).numpy()
    return Z, (X, W, b)


def dense_backward(dZ, cache):
    X, W, b = cache
    layer = _dense(W, b)
    x = tf.Variable(_f64(X))
    with tf.GradientTape() as tape:
        value = tf.reduce_sum(tf.constant(_f64(dZ)) * layer(x))
    dX, dW, db = tape.gradient(value, [x, layer.kernel, layer.bias])
    return dX.numpy(), dW.numpy(), db.numpy()


def _activation(name):
    return keras.activations.get(name)


def activation_backward(dA, cache):
    Z, name = cache
    z = tf.Variable(_f64(Z))
    with tf.GradientTape() as tape:
        value = tf.reduce_sum(tf.constant(_f64(dA)) * _activation(name)(z))
    return tape.gradient(value, z).numpy()


def worked_example():
    x1, x2, Ya = 1.0, 2.0, 3.0
    v = {k: tf.Variable(np.float64(val)) for k, val in
         dict(w1=0.1, w2=0.2, w3=0.1, w4=0.2, w5=0.3, w6=0.4, b1=1.0, b2=0.5).items()}
    sig = keras.activations.sigmoid
    with tf.GradientTape() as tape:
        HN1i = v["w1"] * x1 + v["w3"] * x2 + v["b1"]
        HN2i = v["w2"] * x1 + v["w4"] * x2 + v["b1"]
        HN1o, HN2o = sig(HN1i), sig(HN2i)
        ONi = v["w5"] * HN1o + v["w6"] * HN2o + v["b2"]
        Yp = sig(ONi)
        Cf = 0.5 * (Ya - Yp) ** 2
    names = ["w1", "w2", "w3", "w4", "w5", "w6", "b1", "b2"]
    grads = tape.gradient(Cf, [v[k] for k in names])
    out = dict(HN1i=HN1i, HN1o=HN1o, HN2i=HN2i, HN2o=HN2o, ONi=ONi, Yp=Yp, Cf=Cf)
    out.update({"d" + k: g for k, g in zip(names, grads)})
    return {k: float(t.numpy()) for k, t in out.items()}


def mlp_backward(dout, caches):
    X = _f64(caches[0][0][0])
    layers = [_dense(dense_cache[1], dense_cache[2]) for dense_cache, _ in caches]
    acts = [_activation(act_cache[1]) for _, act_cache in caches]
    with tf.GradientTape() as tape:
        a = tf.constant(X)
        for layer, act in zip(layers, acts):
            a = act(layer(a))
        value = tf.reduce_sum(tf.constant(_f64(dout)) * a)
    variables = [w for layer in layers for w in (layer.kernel, layer.bias)]
    grads = tape.gradient(value, variables)
    return [(grads[2 * k].numpy(), grads[2 * k + 1].numpy()) for k in range(len(layers))]
