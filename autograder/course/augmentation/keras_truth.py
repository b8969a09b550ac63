"""Keras/TensorFlow ground truth for lesson 10_augmentation (runs only in the ground-truth worker).

``flip_horizontal`` is ``tf.image.flip_left_right``; ``adjust_brightness`` is
``tf.image.adjust_brightness`` followed by ``tf.clip_by_value(..., 0, 1)`` for float32 images
(for float64 ones ``tf.image.adjust_brightness`` computes in float32, so the same addition is
done with ``tf.add`` in float64). (N, H, W) batches get a channel axis for TensorFlow and lose
it again.
"""
import os

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")
os.environ.setdefault("KERAS_BACKEND", "tensorflow")

import numpy as np  # noqa: E402
import tensorflow as tf  # noqa: E402


def _nhwc(images):
    x = np.asarray(images)
    return (x[..., None], True) if x.ndim == 3 else (x, False)


def flip_horizontal(images):
    x, added = _nhwc(images)
    out = tf.image.flip_left_right(tf.constant(x)).numpy()
    return out[..., 0] if added else out


def adjust_brightness(images, delta):
    x, added = _nhwc(images)
    t = tf.constant(x)
    brighter = tf.image.adjust_brightness(t, delta) if t.dtype == tf.float32 else \
        tf.add(t, tf.constant(delta, dtype=t.dtype))
    out = tf.clip_by_value(brighter, tf.constant(0, t.dtype), tf.constant(1, t.dtype)).numpy()
    return out[..., 0] if added else out


# -- build_augmentation_pipeline: judged here, in the TensorFlow process ----------------------
from ...grading import keras_models  # noqa: E402

SETTINGS = ("mode", "height_factor", "width_factor", "factor", "value_range", "fill_mode", "fill_value",
            "stddev", "rate")


def _plain(value):
    if isinstance(value, (list, tuple)):
        return [_plain(v) for v in value]
    if isinstance(value, np.generic):
        return value.item()
    return value if value is None or isinstance(value, (str, int, float, bool)) else repr(value)


def _images(seed, n, shape):
    """Test images in [0, 1]: random textures, black-and-white images and all-white ones."""
    rng = np.random.default_rng(seed)
    x = rng.uniform(0.0, 1.0, size=(n,) + tuple(shape))
    x[1::4] = np.round(x[1::4])
    x[2::8] = 1.0
    return x.astype(np.float32)


@keras_models.judge
def judge_augmentation_pipeline(plain, seed, shape=(28, 28, 1), n=16, batches=6):
    """Facts about a student's augmentation pipeline, rebuilt in safe mode from plain data.

    ``layers``: class and augmentation settings of every layer; ``inference``: the largest
    change of any value with training=False and the output shape; ``training``: over
    ``batches`` batches of ``n`` images with training=True, the fraction of images changed,
    the output shapes, the smallest and largest output value.
    """
    model = keras_models.rebuild(plain, seed=seed, weights=False, compile=False)
    layers = []
    for layer in model.layers:
        cfg = layer.get_config()
        layers.append({"class": type(layer).__name__,
                       **{k: _plain(cfg[k]) for k in SETTINGS if k in cfg}})
    facts = {"class": type(model).__name__, "layers": layers}
    try:
        x = _images(seed, n, shape)
        out = np.asarray(model(x, training=False))
        facts["inference"] = {"shape": list(out.shape),
                              "max_change": float(np.max(np.abs(out - x))) if out.shape == x.shape else None}
        changed, shapes, lo, hi = [], set(), np.inf, -np.inf
        for b in range(batches):
            x = _images(seed + 1 + b, n, shape)
            out = np.asarray(model(x, training=True))
            shapes.add(tuple(out.shape))
            if out.shape == x.shape:
                changed += list(np.max(np.abs(out - x).reshape(n, -1), axis=1) > 1e-6)
            lo, hi = min(lo, float(np.min(out))), max(hi, float(np.max(out)))
    except Exception as exc:
        raise keras_models.Refused(
            f"calling the pipeline on a batch of images of shape (N, {', '.join(map(str, shape))}) failed "
            f"({type(exc).__name__}: {str(exc)[:200]})") from None
    facts["training"] = {"shapes": sorted(list(s) for s in shapes), "min": lo, "max": hi,
                         "changed": float(np.mean(changed)) if changed else 0.0,
                         "images": n * batches}
    facts["input_shape"] = [n, *shape]
    return facts
