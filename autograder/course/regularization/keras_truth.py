"""Keras/TensorFlow ground truth for lesson 07_regularization (runs only in the ground-truth worker).

* The penalties are ``keras.regularizers.L1`` / ``L2`` called on each array of the list, summed.
  Keras keeps the factor in a float32 tensor (``ops.convert_to_tensor(l1)``) and casts it to
  the weights' dtype, so for float64 weights 0.01 becomes 0.009999999776...: a relative change
  of up to 6e-8, float32 rounding of the hyper-parameter and not another formula. As in the
  optimizers' truth, the factor is given to the regularizer as a float64 tensor for float64
  weights, and Keras' own ``__call__`` does the rest.
* The gradients are ``tf.GradientTape``'s gradients of that penalty with respect to a variable
  holding ``w`` (TensorFlow's gradient of |w| is sign(w): 0 at w = 0).
* ``dropout_forward`` is ``keras.layers.Dropout`` on the deterministic paths only (inference,
  rate 0; ``training=True`` with rate > 0 is random and graded by properties). The mask of those
  paths is all ones.
* ``early_stopping`` runs the real ``keras.callbacks.EarlyStopping(monitor="val_loss",
  restore_best_weights=True)`` attached to a tiny real model: at every epoch the model's weights
  are set to a value that names the epoch (standing in for one epoch of training), the injected
  validation loss is passed in ``logs`` exactly as ``model.fit`` passes it, and training ends as
  soon as the callback sets ``model.stop_training``. The restored epoch is read back from the
  weights the callback restored, and must be its ``best_epoch``. (Driving the callback's hooks
  directly is what ``model.fit`` does, about 100 times faster; the lesson's own tests check that
  a real ``model.fit`` with the losses injected gives the same epochs.)
"""
import os

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")
os.environ.setdefault("KERAS_BACKEND", "tensorflow")

import keras  # noqa: E402
import numpy as np  # noqa: E402
import tensorflow as tf  # noqa: E402


def _regularizer(kind, lam, dtype):
    reg = keras.regularizers.L1(float(lam)) if kind == "l1" else keras.regularizers.L2(float(lam))
    if np.dtype(dtype) == np.float64:
        setattr(reg, kind, tf.constant(np.float64(lam), tf.float64))
    return reg


def _penalty(kind, weights, lam):
    total = 0.0
    for w in weights:
        w = np.asarray(w)
        total += float(_regularizer(kind, lam, w.dtype)(tf.constant(w)).numpy())
    return total


def _grad(kind, w, lam):
    w = np.asarray(w)
    var = tf.Variable(w)
    with tf.GradientTape() as tape:
        value = _regularizer(kind, lam, w.dtype)(var)
    return tape.gradient(value, var).numpy()


def l1_penalty(weights, lam):
    return _penalty("l1", weights, lam)


def l1_penalty_grad(w, lam):
    return _grad("l1", w, lam)


def l2_penalty(weights, lam):
    return _penalty("l2", weights, lam)


def l2_penalty_grad(w, lam):
    return _grad("l2", w, lam)


def dropout_forward(X, rate, rng, training=True):
    X = np.asarray(X)
    layer = keras.layers.Dropout(float(rate), dtype=X.dtype.name)
    out = np.asarray(layer(X, training=bool(training)))
    return out, np.ones_like(out)


_MODEL = {}


def _tiny_model():
    if "model" not in _MODEL:
        model = keras.Sequential([keras.Input((2,)), keras.layers.Dense(1)])
        model.compile(keras.optimizers.SGD(0.01), "mse")
        _MODEL["model"] = model
    return _MODEL["model"]


def _weights_of_epoch(model, epoch):
    return [np.full(w.shape, float(epoch + 1), dtype=w.dtype) for w in model.get_weights()]


def early_stopping(val_losses, patience, min_delta=0.0):
    model = _tiny_model()
    model.stop_training = False
    callback = keras.callbacks.EarlyStopping(monitor="val_loss", patience=patience, min_delta=min_delta,
                                             restore_best_weights=True)
    callback.set_model(model)
    callback.on_train_begin()
    for epoch, loss in enumerate(val_losses):
        model.set_weights(_weights_of_epoch(model, epoch))  # "training" during this epoch
        callback.on_epoch_end(epoch, {"loss": 0.0, "val_loss": float(loss)})
        if model.stop_training:
            break
    callback.on_train_end()
    restored = int(round(float(model.get_weights()[0].flat[0]))) - 1
    stop = int(callback.stopped_epoch) if callback.stopped_epoch > 0 else None  # Keras leaves 0: never stopped
    if restored != int(callback.best_epoch):
        raise RuntimeError(f"EarlyStopping restored epoch {restored}, but best_epoch is {callback.best_epoch}")
    return stop, int(callback.best_epoch)


# -- used by the lesson's own tests (tests/test_regularization_keras.py), not by grading -----------
def early_stopping_by_fit(val_losses, patience, min_delta=0.0):
    """``early_stopping`` with a real ``model.fit``: a callback placed before EarlyStopping writes
    the injected loss into ``logs["val_loss"]`` at the end of every epoch (the same ``logs`` dict
    reaches EarlyStopping next). Returns (stop_epoch or None, best_epoch, restored epoch, epochs run)."""
    model = _tiny_model()
    seen = []

    class Inject(keras.callbacks.Callback):
        def on_epoch_end(self, epoch, logs=None):
            logs["val_loss"] = float(val_losses[epoch])
            seen.append([w.copy() for w in self.model.get_weights()])

    callback = keras.callbacks.EarlyStopping(monitor="val_loss", patience=patience, min_delta=min_delta,
                                             restore_best_weights=True)
    x = np.linspace(-1, 1, 16, dtype="float32").reshape(8, 2)
    history = model.fit(x, x.sum(axis=1, keepdims=True) * 3 + 1, epochs=len(val_losses), batch_size=8,
                        verbose=0, callbacks=[Inject(), callback])
    final = model.get_weights()
    restored = [i for i, ws in enumerate(seen) if all(np.array_equal(a, b) for a, b in zip(ws, final))]
    stop = int(callback.stopped_epoch) if callback.stopped_epoch > 0 else None
    return stop, int(callback.best_epoch), restored, len(history.history["loss"])


def dropout_training_sample(X, rate, seed):
    """``keras.layers.Dropout(rate)`` in training mode on X, as (out, mask) with mask = out / X."""
    X = np.asarray(X)
    layer = keras.layers.Dropout(float(rate), seed=int(seed), dtype=X.dtype.name)
    out = np.asarray(layer(X, training=True))
    with np.errstate(divide="ignore", invalid="ignore"):
        mask = np.where(X != 0, out / np.where(X != 0, X, 1), 0.0)
    return out, mask.astype(X.dtype)
