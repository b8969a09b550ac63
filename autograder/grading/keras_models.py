"""Keras models as plain data: rebuilt in safe mode and judged in the ground-truth TensorFlow process.

What crosses from the student's kernel is plain data, never a model object:
``sandbox/protocols.py``'s ``"keras_model"`` protocol sends ``{"class", "config_json", "weights",
"compiled", "compile": {"optimizer", "loss", "metrics", "config"}}`` (strings and arrays) and
``"keras_callbacks"`` sends each callback's class name and public settings.

Two halves, one module (TensorFlow is imported lazily, only by the TensorFlow-side helpers):

* **Grader side** (no TensorFlow): a hidden test's check calls
  :func:`judge_in_tensorflow` ``(KerasTruth(lesson's keras_truth module, "judge_x"), plain_model,
  seed, **params)``; the ground-truth worker (``ground_truth.pool()``) runs that function and the
  check receives a plain dict of facts, which it turns into a problem message or None. A refusal
  arrives as ``{"refused": message}`` (see :func:`refusal`).
* **TensorFlow side** (inside a lesson's ``keras_truth.py`` functions, which run in the worker):
  :func:`rebuild` turns the plain data into a ``keras.Model`` with safe mode on and no custom
  objects (a ``Lambda`` layer, a custom layer, a custom loss... raise :class:`Refused` with a
  message saying why), optionally sets the student's weights, and recompiles it from the
  student's compile settings; :func:`describe` lists structural facts (layers, units,
  activations, parameter count, the functional graph's paths), :func:`loss_facts` what the loss
  and metrics are; :func:`judge` wraps a truth function so that a refusal becomes
  ``{"refused": ...}`` and the same judgement (same architecture, compile settings, seed and
  parameters) is computed once per worker.

The grader never runs student code: it deserializes configs of built-in Keras objects in safe
mode and trains the rebuilt model itself (from the student's architecture and compile
settings, initialised afresh from ``keras.utils.set_random_seed(seed)``, so a judgement is
deterministic for a seed and does not depend on the weights the student's kernel drew).
"""
from __future__ import annotations

import functools
import hashlib
import json
import logging
from typing import Any

import numpy as np

JUDGE_TIMEOUT = 300.0  # seconds a check waits for the TensorFlow process

LAMBDA_REASON = ("a Lambda layer, which holds Python code that safe mode refuses to rebuild (the grader never "
                 "runs your code): use built-in layers instead (Activation, Rescaling, Normalization, "
                 "Flatten, Concatenate...)")


class Refused(Exception):
    """The plain model cannot be rebuilt safely; the message says why (shown to the student)."""


# -- grader side (no TensorFlow) --------------------------------------------------------------
def is_plain_model(value: Any) -> bool:
    """Whether a value from the kernel has the shape of the ``keras_model`` protocol's output."""
    return (isinstance(value, dict) and isinstance(value.get("config_json"), str)
            and isinstance(value.get("weights"), list)
            and all(isinstance(w, np.ndarray) for w in value["weights"])
            and isinstance(value.get("compile"), dict)
            and all(v is None or isinstance(v, str) for v in value["compile"].values()))


def judge_in_tensorflow(truth, plain_model: dict, seed: int, **params) -> dict:
    """Ask the ground-truth TensorFlow process to judge a student's plain model data.

    ``truth`` is a :class:`~autograder.grading.spec.KerasTruth` naming a function
    ``fn(plain_model, seed, **params) -> dict`` of a lesson's ``keras_truth`` module (usually
    wrapped in :func:`judge`). Returns its plain dict of facts, ``{"refused": message}`` when the
    model cannot be rebuilt safely, or ``{"error": message}`` when the judgement itself failed
    (our bug, or the time limit).
    """
    from . import ground_truth
    if not is_plain_model(plain_model):
        return {"refused": "the function did not return a Keras model"}
    plain = {"class": str(plain_model.get("class", "")), "config_json": plain_model["config_json"],
             "weights": [np.array(w) for w in plain_model["weights"]],
             "compiled": bool(plain_model.get("compiled")), "compile": dict(plain_model["compile"])}
    try:
        value = ground_truth.submit(truth, [((plain, int(seed)), params)]).result(JUDGE_TIMEOUT)[0]
    except Exception as exc:  # the worker died or timed out
        return {"error": f"the TensorFlow judge failed ({type(exc).__name__}: {exc})"}
    if isinstance(value, Exception):
        return {"error": f"the TensorFlow judge failed ({value})"}
    return value


def refusal(facts: dict) -> str | None:
    """The problem message for a refused model or a failed judgement, else None."""
    if "refused" in facts:
        return f"the model cannot be graded: {facts['refused']}"
    if "error" in facts:
        return f"internal grading error: {facts['error']}"
    return None


# -- TensorFlow side --------------------------------------------------------------------------
def _keras():
    import os
    os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")
    os.environ.setdefault("KERAS_BACKEND", "tensorflow")
    import keras
    return keras


def _is_keras_module(module) -> bool:
    return isinstance(module, str) and (module == "keras" or module.startswith("keras."))


def check_safe(config: Any, what: str = "the model") -> None:
    """Refuse what safe mode would refuse, or what is not a built-in Keras object, with a reason.

    A second line of defence before ``deserialize_keras_object(..., safe_mode=True)``: every
    serialized object must come from a ``keras`` module (Keras' own functions appear as
    ``{"module": "builtins", "class_name": "function", "config": <a Keras name>}``).
    """
    if isinstance(config, list):
        for item in config:
            check_safe(item, what)
        return
    if not isinstance(config, dict):
        return
    cls = config.get("class_name")
    if cls == "Lambda" or cls == "__lambda__":
        raise Refused(f"{what} contains {LAMBDA_REASON}")
    if isinstance(cls, str) and ("module" in config or "registered_name" in config):
        module = config.get("module")
        keras_function = module == "builtins" and cls == "function" and isinstance(config.get("config"), str)
        if not (_is_keras_module(module) or keras_function):
            origin = "defined in your notebook" if module in (None, "__main__", "builtins") else f"from {module}"
            raise Refused(f"{what} contains '{cls}', a custom object {origin}: safe mode rebuilds only "
                          "built-in Keras layers, losses and metrics (custom layers, custom losses and "
                          "Lambda layers need custom objects, which the grader does not load)")
        if config.get("registered_name") not in (None, cls, "function"):
            raise Refused(f"{what} contains '{cls}' registered as '{config['registered_name']}', "
                          "a custom object: only built-in Keras objects are rebuilt")
    for value in config.values():
        check_safe(value, what)


def _deserialize(config: Any, what: str):
    keras = _keras()
    check_safe(config, what)
    try:
        return keras.saving.deserialize_keras_object(config, safe_mode=True)
    except Exception as exc:
        raise Refused(f"{what} could not be rebuilt in safe mode ({type(exc).__name__}: "
                      f"{str(exc)[:300]})") from None


def _loads(text: str | None, what: str):
    if text is None:
        return None
    try:
        return json.loads(text)
    except (TypeError, ValueError):
        raise Refused(f"{what} is not valid JSON") from None


def rebuild(plain: dict, seed: int | None = None, weights: bool = False, compile: bool = True):
    """The student's model rebuilt from plain data in safe mode, without custom objects.

    With ``seed``, Keras is seeded first (``clear_session`` + ``set_random_seed``), so the
    fresh initial weights are the same for every run with that seed. ``weights=True`` sets the
    student's own weights (they must fit the architecture). ``compile=True`` recompiles it from
    the student's optimizer, loss and metrics (refused when it was not compiled), without XLA.
    """
    keras = _keras()
    if seed is not None:
        # free_memory=False: no full garbage collection, which costs 0.25 s of CPU per call
        # with TensorFlow loaded (Python's own collector still frees the old models).
        keras.backend.clear_session(free_memory=False)
        keras.utils.set_random_seed(int(seed))
    config = _loads(plain.get("config_json"), "the model's architecture")
    if not isinstance(config, dict):
        raise Refused("the model's architecture is not a Keras config")
    config.pop("compile_config", None)  # compiled below from the settings, in safe mode too
    model = _deserialize(config, "the model")
    if not isinstance(model, keras.Model):
        raise Refused(f"the config describes a {type(model).__name__}, not a keras.Model")
    if weights:
        try:
            model.set_weights([np.asarray(w) for w in plain["weights"]])
        except Exception as exc:
            raise Refused(f"the model's weights do not fit its architecture ({exc})") from None
    if compile:
        settings = plain.get("compile") or {}
        if not plain.get("compiled") or settings.get("loss") in (None, "null"):
            raise Refused("the model is not compiled: call model.compile(optimizer=..., loss=..., "
                          "metrics=[...]) before returning it")
        optimizer = _loads(settings.get("optimizer"), "the optimizer")
        loss = _loads(settings.get("loss"), "the loss")
        metrics = _loads(settings.get("metrics"), "the metrics") or []
        if isinstance(loss, (list, dict)) and not (isinstance(loss, dict) and "class_name" in loss):
            raise Refused("the model has several losses; one output takes one loss")
        metrics = metrics if isinstance(metrics, list) else [metrics]
        try:
            model.compile(optimizer=_setting(optimizer, "the optimizer") if optimizer is not None else "rmsprop",
                          loss=_setting(loss, "the loss"), metrics=[_setting(m, "the metrics") for m in metrics],
                          jit_compile=False)
        except Refused:
            raise
        except Exception as exc:
            raise Refused(f"the model could not be compiled from its settings ({type(exc).__name__}: "
                          f"{str(exc)[:300]})") from None
    return model


def train_in_one_call(model, x: np.ndarray, y: np.ndarray, batch_size: int) -> float:
    """Trains a compiled model on ``(x, y)`` in order, batch by batch; the mean training loss.

    The same updates as ``model.fit(x, y, batch_size=batch_size, shuffle=False, epochs=1)`` on
    the whole batches (a last partial batch is dropped), the model's own ``compute_loss``
    (regularization losses included) and optimizer, but in one traced TensorFlow loop, without
    fit's data pipeline, metrics and callbacks: about half of fit's CPU for the small models
    of the lessons, most of which is tracing (``benchmarks/grading_speed.py``).
    """
    import tensorflow as tf
    n = len(x) // int(batch_size)
    if n < 1:
        raise ValueError(f"fewer samples ({len(x)}) than one batch ({batch_size})")
    xb = tf.constant(np.asarray(x[: n * batch_size]).reshape((n, batch_size) + np.shape(x)[1:]))
    yb = tf.constant(np.asarray(y[: n * batch_size]).reshape((n, batch_size) + np.shape(y)[1:]))
    variables = model.trainable_variables
    model.optimizer.build(variables)

    def step(i, total):
        with tf.GradientTape() as tape:
            y_pred = model(xb[i], training=True)
            loss = model.compute_loss(x=xb[i], y=yb[i], y_pred=y_pred, training=True)
        model.optimizer.apply(tape.gradient(loss, variables), variables)
        return i + 1, total + tf.cast(loss, tf.float64)

    @tf.function(jit_compile=False)
    def loop():
        return tf.while_loop(lambda i, total: i < n, step, [tf.constant(0), tf.constant(0.0, tf.float64)])[1]
    # One trace per model is the design: TensorFlow's warning about frequent retracing
    # (it counts the traces of this code across models) would only be noise in the grader's output.
    tf_logger = logging.getLogger("tensorflow")
    level = tf_logger.level
    tf_logger.setLevel(logging.ERROR)
    try:
        return float(loop()) / n
    finally:
        tf_logger.setLevel(level)


def _setting(value, what: str):
    """A compile setting: a Keras name (string) as it is, a serialized object deserialized."""
    if isinstance(value, str):
        return value
    if isinstance(value, dict):
        return _deserialize(value, what)
    raise Refused(f"{what} is neither a Keras name nor a serialized Keras object")


def weight_shapes_fit(model, plain: dict) -> bool:
    """Whether the student's weights have the shapes of the rebuilt model's (same architecture)."""
    got = [tuple(np.shape(w)) for w in plain.get("weights", [])]
    return got == [tuple(w.shape) for w in model.get_weights()]


def _history(value) -> list[str]:
    """Layer names a serialized call argument takes its tensors from (``keras_history``)."""
    out = []
    if isinstance(value, dict):
        history = value.get("config", {}).get("keras_history") if value.get("class_name") == "__keras_tensor__" \
            else None
        if isinstance(history, list) and history:
            out.append(str(history[0]))
        else:
            for v in value.values():
                out += _history(v)
    elif isinstance(value, list):
        for v in value:
            out += _history(v)
    return out


def _activation_name(value) -> str:
    if isinstance(value, str):
        return value
    if isinstance(value, dict):
        return str(value.get("config") if value.get("class_name") == "function" else value.get("class_name"))
    return "linear" if value is None else str(value)


def describe(model) -> dict:
    """Structural facts of a rebuilt model, as plain data.

    ``class`` (Sequential / Functional), ``input_shapes`` and ``output_shapes`` (without the
    batch axis), ``layers`` (in order: class, name, units, activation, trainable parameters),
    ``params`` (total parameter count), ``output_activation`` (the activation of the last
    Dense, or of the Activation / Softmax layer after it: "softmax", "sigmoid", "linear"...),
    ``output_units``, ``weightless`` (layer classes without trainable weights, e.g. Flatten,
    Concatenate), and for functional models ``paths``: for every path from an input to the last
    layer, the number of layers with trainable weights strictly before the last trainable layer
    (0: the input reaches the output layer directly, e.g. through a Concatenate).
    """
    config = json.loads(model.to_json()).get("config", {})
    layers = []
    for layer in model.layers:
        cfg = layer.get_config()
        layers.append({"class": type(layer).__name__, "name": layer.name, "units": cfg.get("units"),
                       "activation": _activation_name(cfg.get("activation")) if "activation" in cfg else None,
                       "trainable_params": int(sum(int(np.prod(w.shape)) for w in layer.trainable_weights)),
                       "output_shape": _shape(layer.output.shape) if _has_output(layer) else None})
    facts = {"class": type(model).__name__, "layers": layers, "params": int(model.count_params()),
             "input_shapes": [_shape(t.shape) for t in model.inputs],
             "output_shapes": [_shape(t.shape) for t in model.outputs]}
    output_activation, output_units = "none", None
    for layer in reversed(layers):
        if layer["class"] == "Softmax":
            output_activation = "softmax"
            break
        if layer["class"] == "Activation":
            output_activation = layer["activation"]
            break
        if layer["trainable_params"] or layer["class"] == "Dense":
            output_activation = layer["activation"] or "linear"
            break
    for layer in reversed(layers):
        if layer["class"] == "Dense":
            output_units = layer["units"]
            break
    facts["output_activation"], facts["output_units"] = output_activation, output_units
    facts["paths"] = _paths(config, {lay["name"]: lay for lay in layers}) if "input_layers" in config else []
    return facts


def _has_output(layer) -> bool:
    try:
        layer.output  # noqa: B018
        return True
    except Exception:
        return False


def _shape(shape) -> list:
    return [None if d is None else int(d) for d in tuple(shape)[1:]]


def _paths(config: dict, by_name: dict) -> list[int]:
    """Per input-to-output path of a functional config: trainable layers before the last one."""
    parents = {}
    for layer in config.get("layers", []):
        parents[layer["name"]] = sorted(set(_history(layer.get("inbound_nodes", []))))
    inputs = {str(i[0]) for i in _history_list(config.get("input_layers"))}
    outputs = [str(o[0]) for o in _history_list(config.get("output_layers"))]
    counts: list[int] = []

    def walk(name: str, seen_last: bool, hidden: int, depth: int) -> None:
        if depth > 200 or len(counts) > 1000:
            return
        trainable = bool(by_name.get(name, {}).get("trainable_params"))
        if name in inputs:
            counts.append(hidden)
            return
        if trainable and not seen_last:
            seen_last, add = True, 0  # the output layer itself
        else:
            add = 1 if trainable else 0
        for parent in parents.get(name, []):
            walk(parent, seen_last, hidden + add, depth + 1)
    for out in outputs:
        walk(out, False, 0, 0)
    return sorted(set(counts))


def _history_list(value) -> list:
    """``input_layers`` / ``output_layers``: one ``[name, node, tensor]`` or a list of them."""
    if isinstance(value, list) and value and isinstance(value[0], str):
        return [value]
    return [v for v in value or [] if isinstance(v, list) and v]


LOSS_NAMES = {  # serialized loss -> (kind, from_logits default)
    "mse": "mse", "mean_squared_error": "mse", "MeanSquaredError": "mse",
    "mae": "mae", "mean_absolute_error": "mae", "MeanAbsoluteError": "mae",
    "huber": "huber", "Huber": "huber", "huber_loss": "huber",
    "binary_crossentropy": "binary_crossentropy", "BinaryCrossentropy": "binary_crossentropy",
    "categorical_crossentropy": "categorical_crossentropy",
    "CategoricalCrossentropy": "categorical_crossentropy",
    "sparse_categorical_crossentropy": "sparse_categorical_crossentropy",
    "SparseCategoricalCrossentropy": "sparse_categorical_crossentropy",
    "binary_focal_crossentropy": "binary_focal_crossentropy",
    "BinaryFocalCrossentropy": "binary_focal_crossentropy",
}


def loss_facts(plain: dict) -> dict:
    """What the compile settings say, read from their JSON (no deserialization needed).

    ``loss`` ("mse", "binary_crossentropy", "sparse_categorical_crossentropy"... or the raw
    name), ``from_logits`` (bool), ``metrics`` (lower-case names, e.g. "accuracy",
    "sparse_categorical_accuracy", "root_mean_squared_error"), ``optimizer`` (class name).
    """
    settings = plain.get("compile") or {}
    loss = _loads(settings.get("loss"), "the loss")
    name, logits = "none", False
    if isinstance(loss, str):
        name = loss
    elif isinstance(loss, dict):
        cfg = loss.get("config")
        if loss.get("class_name") == "function" and isinstance(cfg, str):
            name = cfg
        else:
            name = str(loss.get("class_name"))
            logits = bool(isinstance(cfg, dict) and cfg.get("from_logits"))
    metrics = _loads(settings.get("metrics"), "the metrics") or []
    names = []
    for m in metrics if isinstance(metrics, list) else [metrics]:
        if isinstance(m, str):
            names.append(m.lower())
        elif isinstance(m, dict):
            cfg = m.get("config")
            names.append(str(cfg if isinstance(cfg, str) else m.get("class_name")).lower())
            if isinstance(cfg, dict) and cfg.get("name"):
                names.append(str(cfg["name"]).lower())
    optimizer = _loads(settings.get("optimizer"), "the optimizer")
    opt = optimizer.get("class_name") if isinstance(optimizer, dict) else optimizer
    return {"loss": LOSS_NAMES.get(name, name), "loss_raw": name, "from_logits": logits,
            "metrics": names, "optimizer": str(opt)}


def _key(plain: dict, seed, params: dict, function: str) -> str:
    h = hashlib.sha256()
    for part in (function, plain.get("config_json", ""), json.dumps(plain.get("compile"), sort_keys=True),
                 repr(seed), json.dumps(params, sort_keys=True, default=repr)):
        h.update(str(part).encode())
        h.update(b"\0")
    return h.hexdigest()


def judge(fn):
    """Decorates a lesson's TensorFlow-side judge ``fn(plain, seed, **params) -> dict``.

    A :class:`Refused` model gives ``{"refused": message}``; the result of the same judgement
    (architecture, compile settings, seed, parameters; the student's weights play no part) is
    kept in this worker, so several cases judging the same model train it once.
    """
    cache: dict[str, dict] = {}

    @functools.wraps(fn)
    def wrapper(plain, seed, **params):
        key = _key(plain, seed, params, fn.__name__)
        if key not in cache:
            if len(cache) > 256:
                cache.clear()
            try:
                cache[key] = fn(plain, seed, **params)
            except Refused as exc:
                cache[key] = {"refused": str(exc)}
        return cache[key]
    return wrapper


def round_trip(plain: dict, seed: int, x=None) -> dict:
    """TensorFlow side, generic: rebuild with the student's own weights and describe the model.

    Returns :func:`describe`'s facts, ``weights_fit``, the compile facts (:func:`loss_facts`)
    and, when ``x`` is given, ``predictions``: the rebuilt model's output on ``x`` (it equals the
    student's model's output when the round trip is faithful). Not cached (the weights matter).
    """
    try:
        model = rebuild(plain, seed=seed, weights=True, compile=bool(plain.get("compiled")))
        facts = describe(model)
        facts["weights_fit"] = weight_shapes_fit(model, plain)
        facts["compile"] = loss_facts(plain) if plain.get("compiled") else None
        if x is not None:
            facts["predictions"] = np.asarray(model(np.asarray(x, dtype=np.float32), training=False))
        return facts
    except Refused as exc:
        return {"refused": str(exc)}
