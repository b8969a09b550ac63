"""How a case calls the function under test; the same code runs in the kernel and the grader.

Self-contained (NumPy only): its source is also executed inside the student's kernel, so the
student's function and the reference are driven in exactly the same way.
"""
import collections.abc
import itertools

import numpy as np

MAX_ITEMS = 10_000  # items read from a returned iterator (an endless generator is cut here)
MAX_ITEM_ELEMENTS = 5_000_000  # array elements in all those items together (wire.MAX_ELEMENTS)


def _elements(x, depth=0):
    """Array elements in one item of an iterator (nested tuples and lists counted too)."""
    if isinstance(x, (tuple, list)) and depth < 3:
        return sum(_elements(v, depth + 1) for v in x) + 1
    return int(np.size(x)) if isinstance(x, (np.ndarray, np.generic)) else 1


def materialize(value):
    """An iterator (a generator, ``map``, ``zip``...) read into a list, in the process that
    called the function: where no container is fixed, one that yields its items is as right
    as one that returns a list. Bounded, so that an endless or huge iterator raises instead of
    hanging or filling the memory; any other value is returned as it is."""
    if not isinstance(value, collections.abc.Iterator):
        return value
    items, elements = [], 0
    for item in itertools.islice(value, MAX_ITEMS + 1):
        elements += _elements(item)
        if len(items) == MAX_ITEMS or elements > MAX_ITEM_ELEMENTS:
            raise ValueError(f"the returned iterator yields more than {MAX_ITEMS} items or "
                             f"{MAX_ITEM_ELEMENTS} numbers; return a list")
        items.append(item)
    return items


def call(func, args, kwargs):
    """One call: the value is what the function returns (an iterator read into a list)."""
    return materialize(func(*args, **kwargs))


def rule_trajectory(func, args, kwargs):
    """An update rule ``w, config = rule(w, dw, config)`` applied once per gradient.

    ``args`` is ``(w, grads, config)`` with one gradient per step along axis 0 of ``grads``;
    the value is the stack of ``w`` after every step. The rule's state stays in ``config``
    (it never leaves the kernel); a rule may update ``w`` in place.
    """
    w, grads, config = args
    steps = []
    for g in grads:
        w, config = func(w, np.array(g), config, **kwargs)
        steps.append(np.array(w, dtype=np.float64, copy=True))
    return np.stack(steps)


def _plain_json(obj):
    """A Keras serialization as a JSON string (NumPy scalars as numbers, anything else as text)."""
    import json

    def default(x):
        if isinstance(x, np.generic):
            return x.item()
        return repr(x)[:200]
    return json.dumps(obj, default=default)


def keras_model(func, args, kwargs):
    """Calls a model builder and sends back the model as plain data only (lessons 09, 10).

    The value is a dict of strings and arrays: ``class`` (the model's type name),
    ``config_json`` (``model.to_json()``), ``weights`` (``model.get_weights()``), ``compiled``
    and ``compile`` (JSON strings of the serialized ``optimizer``, ``loss`` and ``metrics``, and
    ``config`` the whole ``model.get_compile_config()``; None when not compiled). The grader
    rebuilds the model from this in safe mode (``grading/keras_models.py``); the object itself
    never leaves the kernel. Keras' name counters are reset before the call, so that the same
    builder gives the same config every time; a builder is called once per arguments.
    """
    key = (id(func), repr(args), repr(sorted(kwargs.items())))
    if key in _BUILT and _BUILT[key][0] is func:
        return _BUILT[key][1]
    value = _build_plain(func, args, kwargs)
    _BUILT[key] = (func, value)
    return value


# keras_model's values in this process: several cases (structure, compile settings, training)
# look at the model one builder gives for the same arguments, so it is built once.
_BUILT: dict = {}


def _build_plain(func, args, kwargs):
    import sys
    keras = sys.modules.get("keras")
    if keras is not None:
        keras.backend.clear_session(free_memory=False)  # a full gc.collect costs 0.25 s of CPU
    model = func(*args, **kwargs)
    if keras is None or not isinstance(model, keras.Model):
        raise TypeError(f"the function returned {type(model).__name__}, not a keras.Model "
                        "(return the model itself, e.g. `return model`)")
    config_json = model.to_json()
    if type(config_json) is not str:
        raise TypeError("model.to_json() did not return a string")
    weights = [np.array(w) for w in model.get_weights()]
    compiled = bool(getattr(model, "compiled", False))
    settings = {"optimizer": None, "loss": None, "metrics": None, "config": None}
    if compiled:
        full = model.get_compile_config() or {}
        settings = {"optimizer": _plain_json(full.get("optimizer")), "loss": _plain_json(full.get("loss")),
                    "metrics": _plain_json(full.get("metrics")), "config": _plain_json(full)}
    return {"class": str(type(model).__name__), "config_json": config_json, "weights": weights,
            "compiled": compiled, "compile": settings}


# Public settings of Keras callbacks that the grader may read (plain values only).
CALLBACK_SETTINGS = ("monitor", "patience", "restore_best_weights", "save_best_only", "save_weights_only",
                     "filepath", "min_delta", "factor", "min_lr", "cooldown", "mode", "baseline",
                     "start_from_epoch", "filename", "separator", "append", "save_freq", "verbose",
                     "log_dir", "initial_value_threshold")


def keras_callbacks(func, args, kwargs):
    """Calls a callback factory and sends back each callback as plain data.

    The value is a list of dicts ``{"class": type name, "module": its module, "settings": {...}}``
    with the public settings of :data:`CALLBACK_SETTINGS` that the callback has, when they are
    plain values (str, int, float, bool, None); a path-like value is sent as a string.
    """
    callbacks = func(*args, **kwargs)
    if not isinstance(callbacks, (list, tuple)):
        raise TypeError(f"the function returned {type(callbacks).__name__}, not a list of callbacks")
    out = []
    for cb in callbacks:
        settings = {}
        for name in CALLBACK_SETTINGS:
            try:
                value = getattr(cb, name)
            except Exception:
                continue
            if hasattr(value, "__fspath__"):
                value = str(value.__fspath__())
            if isinstance(value, np.generic):
                value = value.item()
            if value is None or type(value) in (str, int, float, bool):
                settings[name] = value
        out.append({"class": str(type(cb).__name__), "module": str(type(cb).__module__),
                    "settings": settings})
    return out


PROTOCOLS = {"call": call, "rule_trajectory": rule_trajectory, "keras_model": keras_model,
             "keras_callbacks": keras_callbacks}


def cache_stays(func, args, kwargs):
    """A forward pass returning ``(out, cache, ...)`` whose cache is the student's own (any
    structure, lesson 08): the cache stays in the kernel. The value is the returned tuple with
    item 1 replaced by None."""
    result = func(*args, **kwargs)
    if not isinstance(result, (tuple, list)) or len(result) < 2:
        raise TypeError(f"the function returned {type(result).__name__}, not a tuple (out, cache, ...)")
    return (result[0], None) + tuple(result[2:])


def _forward_then_backward(forward_name):
    """A protocol for ``backward(dout, cache)`` graded on the cache of the same code's forward pass.

    The forward function is looked up by name in the backward function's namespace (the
    student's notebook, the reference module, a known mistake's cell), so the student's, the
    reference's and each mistake's pair are driven alike. ``args`` is the forward pass's
    positional arguments followed by ``dout``; ``kwargs`` go to the forward pass. The value is
    what the backward function returns; the cache never leaves the kernel.
    """
    def protocol(func, args, kwargs):
        namespace = getattr(func, "__globals__", None)
        if not isinstance(namespace, dict):
            raise TypeError("define the backward function with def: its forward pass is looked up next to it")
        forward = namespace.get(forward_name)
        if not callable(forward):
            raise NameError(f"function '{forward_name}' is not defined: the backward pass is graded "
                            f"on the cache of your own {forward_name}")
        *forward_args, dout = args
        try:
            result = forward(*forward_args, **kwargs)
        except NotImplementedError:
            try:  # "not attempted" only when the backward function is not written either
                func(dout, None)
            except NotImplementedError:
                raise NotImplementedError(f"{forward_name} is not implemented yet") from None
            except Exception:
                pass
            raise RuntimeError(f"{forward_name} is not implemented yet: the backward pass is graded "
                               "on its cache") from None
        except Exception as exc:
            raise RuntimeError(f"your {forward_name} raised {type(exc).__name__}: {exc} (the backward "
                               "pass is graded on its cache)") from None
        if not isinstance(result, (tuple, list)) or len(result) < 2:
            raise TypeError(f"{forward_name} returned {type(result).__name__}, not a tuple (out, cache, ...): "
                            "the backward pass is graded on its cache")
        return func(dout, result[1])
    return protocol


PROTOCOLS["cache_stays"] = cache_stays
PROTOCOLS["batchnorm_forward_then_backward"] = _forward_then_backward("batchnorm_forward")


# -- lesson 06 (initialization) ------------------------------------------------------------
def sample_summary(func, args, kwargs):
    """A random sample (an initializer's kernel) summarised by scale-free statistics, so that
    two samples of the same distribution agree within a tolerance whatever the draws: ``log
    std``, ``mean / std``, ``max |w| / std`` and the ``fraction within one std``."""
    w = np.asarray(func(*args, **kwargs), dtype=np.float64).reshape(-1)
    std = float(np.std(w))
    if not (w.size and np.all(np.isfinite(w)) and std > 0):
        nan = float("nan")
        return {"log std": nan, "mean / std": nan, "max |w| / std": nan, "fraction within one std": nan}
    return {"log std": float(np.log(std)), "mean / std": float(np.mean(w)) / std,
            "max |w| / std": float(np.max(np.abs(w))) / std,
            "fraction within one std": float(np.mean(np.abs(w) <= std))}


def call_and_list_inputs(func, args, kwargs):
    """One call whose first argument is a list (or tuple) of arrays; the value is ``(what it
    returned, copies of those arrays after the call)``, so that in-place changes to arrays
    inside the list are seen too."""
    value = func(*args, **kwargs)
    return value, [np.array(a, copy=True) for a in args[0] if isinstance(a, np.ndarray)]


PROTOCOLS["sample_summary"] = sample_summary
PROTOCOLS["call_and_list_inputs"] = call_and_list_inputs


def run(protocol, func, args, kwargs):
    return PROTOCOLS[protocol](func, args, kwargs)
