"""Hidden tests of lesson 09_keras_mlps: Keras models graded as plain data.

Every ``build_*`` is called in the student's kernel through the ``"keras_model"`` protocol
(``sandbox/protocols.py``): what comes back is the model's JSON config, its weights and its
compile settings, never the object. Each check sends that plain data to the ground-truth
TensorFlow process (``grading/keras_models.py``: ``judge_in_tensorflow``), where
``keras_truth.judge_model`` rebuilds it in safe mode (a ``Lambda`` layer, a custom layer or a
custom loss is refused: every case of the exercise fails with that reason) and returns facts.
The grader never runs student code; it trains the rebuilt model itself.

Per model exercise, cases (all property-judged: known mistakes are not replayed here, which
would import TensorFlow into the grader; the messages name the likely mistake):
- structure, for the contract's input size and for another one (the size must come from the
  argument): input shape, output units and activation, hidden layers, for the Fashion classifier
  Flatten -> 300 relu -> 100 relu -> 10 and 266,610 parameters, for wide & deep a functional
  graph where the input reaches the output layer both directly and through a hidden layer;
- compile: the loss fits the output (sigmoid + binary cross-entropy, softmax + sparse
  categorical cross-entropy, linear + MSE / MAE / Huber; logits with ``from_logits=True``), the
  metric the exercise asks for (accuracy, or RootMeanSquaredError for regressions);
- behaviour: the grader trains the rebuilt model (seeded from the run's seed; its own fresh
  initial weights; the student's optimizer and loss) on a fixed subset (``keras_truth.TASKS``)
  and compares what it learns with a threshold.

Thresholds (behaviour), measured with ``keras_truth.judge_model`` over 20 seeds (1000-1019) for
the reference answers of the solution notebook (``python benchmarks/keras_thresholds.py``; ranges
in ``THRESHOLDS``' comments): the reference passed on 20 of 20 seeds everywhere, each threshold at
least 0.1 (RMSE) or 0.05 (accuracy) beyond the worst seed; the known mistakes that these cases
catch (a learning rate that diverges) end far beyond them (accuracy 0.1, or a NaN loss).

``make_callbacks`` is judged in the grader from each callback's class and public settings
(``"keras_callbacks"`` protocol): EarlyStopping on val_loss with the given patience restoring the
best weights, ModelCheckpoint on val_loss at the given path with save_best_only,
ReduceLROnPlateau on val_loss with a smaller patience (so it lowers the learning rate before
EarlyStopping stops: both count epochs without improvement of val_loss), a CSVLogger and
TerminateOnNaN.
"""
from __future__ import annotations

import math

from ...grading import keras_models as km
from ...grading.spec import Case, Exercise, KerasTruth

TRUTH = KerasTruth("autograder.course.keras_mlps.keras_truth", "judge_model")
LN10 = math.log(10.0)

THRESHOLDS = {
    # Reference answers (the solution notebook's), 20 seeds each (1000-1019), min .. max:
    "regression_rmse": 0.75,  # test RMSE 0.576 .. 0.617 (Adam 3e-3, 2 x 50 relu)
    "wide_deep_rmse": 0.75,  # test RMSE 0.616 .. 0.645
    "fashion_initial_loss": 0.5,  # |initial loss - ln 10|: initial loss 2.263 .. 2.508
    "fashion_accuracy": 0.60,  # one pass over 5,000 images: 0.748 .. 0.796
    "binary_accuracy": 0.90,  # breast cancer, 169 test tumours: 0.953 .. 0.976
    "multiclass_accuracy": 0.80,  # wine, 58 test wines: 0.897 .. 1.000
}

REGRESSION_LOSSES = ("mse", "mae", "huber")
RMSE_NAMES = ("root_mean_squared_error", "rootmeansquarederror")
ACCURACY_NAMES = ("accuracy", "acc", "sparse_categorical_accuracy", "sparsecategoricalaccuracy",
                  "binary_accuracy", "binaryaccuracy", "categorical_accuracy")


# -- facts from the TensorFlow process -----------------------------------------------------------
def _judged(seed: int, task: str | None, judge):
    """A check that asks the TensorFlow process for the facts and judges them with ``judge``."""
    def check(got, expected, case, results):
        if not km.is_plain_model(got):
            return "the function did not return a Keras model"
        facts = km.judge_in_tensorflow(TRUTH, got, seed, task=task)
        return km.refusal(facts) or judge(facts)
    return check


def _shape(dims) -> str:
    return "(" + ", ".join("None" if d is None else str(d) for d in dims) + ("," if len(dims) == 1 else "") + ")"


def _dense(facts) -> list[dict]:
    return [lay for lay in facts["layers"] if lay["class"] == "Dense"]


def _one_input(facts, shape) -> str | None:
    inputs = facts["input_shapes"]
    if len(inputs) != 1:
        return f"the model has {len(inputs)} inputs; it takes one input"
    if inputs[0] != list(shape):
        return (f"the input shape is {_shape(inputs[0])}, expected {_shape(shape)}: start with "
                f"keras.Input(shape={_shape(shape)}) and take the size from the function's argument")
    return None


def _output(facts, kind: str, units: int) -> str | None:
    """The output layer fits the task: kind is "regression", "binary" or "multiclass"."""
    out = facts["output_shapes"]
    act = facts["output_activation"]
    if len(out) != 1:
        return f"the model has {len(out)} outputs; it has one"
    if kind == "binary" and out[0] == [2] and act in ("softmax", "linear"):
        return None  # two classes with softmax (or logits) and sparse categorical cross-entropy
    if out[0] != [units]:
        if len(out[0]) > 1:
            return (f"the output has shape {_shape(out[0])} per sample instead of ({units},): Dense acts on "
                    "the last axis only, so multi-dimensional inputs need a Flatten layer first")
        what = {"regression": "a regression on one target ends in one unit, Dense(1)",
                "binary": "a binary classifier ends in one sigmoid unit, Dense(1, activation='sigmoid')",
                "multiclass": f"one output unit per class: Dense({units})"}[kind]
        return f"the output layer has {out[0][0] if out[0] else '?'} units: {what}"
    if kind == "regression" and act != "linear":
        extra = (" (a ReLU output can never predict below 0 and stops learning where it is 0)" if act == "relu"
                 else " (a sigmoid squashes every prediction into (0, 1))" if act == "sigmoid" else "")
        return f"the output layer has activation '{act}': a regression output is one linear unit{extra}"
    if kind == "binary" and act not in ("sigmoid", "linear"):
        if act == "softmax":
            return ("the output layer has softmax over 1 unit, which always outputs 1: a binary output "
                    "is one sigmoid unit (or two softmax units with sparse categorical cross-entropy)")
        return f"the output layer has activation '{act}': a binary output is one sigmoid unit"
    if kind == "multiclass" and act not in ("softmax", "linear"):
        return (f"the output layer has activation '{act}': class probabilities come from a softmax over "
                f"the {units} units (or linear logits with from_logits=True)")
    return None


NONLINEAR_LAYERS = ("ReLU", "LeakyReLU", "PReLU", "ELU", "Softmax")


def _hidden(facts, minimum: int = 1) -> str | None:
    hidden = _dense(facts)[:-1]
    if len(hidden) < minimum:
        return "the model has no hidden layer: an MLP has at least one hidden Dense layer with a non-linear activation"
    last_dense = max(i for i, lay in enumerate(facts["layers"]) if lay["class"] == "Dense")
    before = facts["layers"][:last_dense]  # a non-linear Dense, Activation or activation layer before the output
    if not any((lay["class"] in ("Dense", "Activation") and lay["activation"] not in (None, "linear"))
               or lay["class"] in NONLINEAR_LAYERS for lay in before):
        return ("the hidden layers are all linear: without a non-linear activation (e.g. 'relu') the "
                "network is a linear model")
    if not facts.get("weights_fit", True):
        return "the weights sent back do not fit the model's architecture"
    return None


def _loss(facts, kind: str) -> str | None:
    """The compiled loss fits the output layer."""
    c = facts["compile"]
    loss, raw, logits = c["loss"], c["loss_raw"], c["from_logits"]
    act = facts["output_activation"]
    units = facts["output_shapes"][0][-1] if facts["output_shapes"] and facts["output_shapes"][0] else None
    if " " in raw:
        return (f"the loss '{raw}' is not a Keras name (the notes' spelling with spaces; Keras 3 rejects it): "
                "write 'mse' / 'mean_squared_error', 'binary_crossentropy', 'sparse_categorical_crossentropy'")
    if kind == "regression":
        if loss not in REGRESSION_LOSSES:
            return f"the loss '{raw}' does not fit a regression output: use the mean squared error ('mse')"
        return None
    if kind == "binary" and units == 1:
        if loss != "binary_crossentropy":
            return (f"the loss '{raw}' does not fit one sigmoid unit with 0/1 labels: use binary cross-entropy "
                    "('binary_crossentropy')")
    elif loss == "categorical_crossentropy":
        return ("categorical_crossentropy expects one-hot labels; with integer labels use "
                "sparse_categorical_crossentropy")
    elif loss != "sparse_categorical_crossentropy":
        return (f"the loss '{raw}' does not fit a softmax output with integer labels: use sparse categorical "
                "cross-entropy ('sparse_categorical_crossentropy')")
    if logits and act != "linear":
        return (f"the loss has from_logits=True but the output layer already applies {act}: either keep "
                f"{act} and from_logits=False, or make the output linear (logits) and keep from_logits=True")
    if not logits and act == "linear":
        return ("the output layer is linear (logits) but the loss expects probabilities: add the "
                f"{'sigmoid' if units == 1 else 'softmax'} activation, or pass from_logits=True to the loss")
    return None


def _metric(facts, names: tuple, asked: str) -> str | None:
    got = facts["compile"]["metrics"]
    if not any(m in names for m in got):
        return f"the metrics {got or '[]'} do not include {asked}, which the exercise asks for"
    return None


def _first(*problems):
    for p in problems:
        if p:
            return p
    return None


# -- the model exercises -------------------------------------------------------------------------
def _seed(rng) -> int:
    return int(rng.integers(0, 2**31 - 1))


def _regression_like(name: str, structure, rmse_key: str):
    def cases(rng):
        seed = _seed(rng)
        other = int(rng.choice([3, 5, 11, 13]))
        return [
            Case((8,), "8 standardized features (California housing): layers and output",
                 check=_judged(seed, None, lambda f: structure(f, 8)), protocol="keras_model", stochastic=True),
            Case((other,), "another number of features: layers and output",
                 check=_judged(seed, None, lambda f: structure(f, other)), protocol="keras_model",
                 stochastic=True),
            Case((8,), "8 features: loss and metrics",
                 check=_judged(seed, None, lambda f: _first(_loss(f, "regression"),
                                                            _metric(f, RMSE_NAMES, "RootMeanSquaredError"))),
                 protocol="keras_model", stochastic=True),
            Case((8,), "trained by the grader on a subset of California housing: test RMSE",
                 check=_judged(seed, "housing", lambda f: _rmse(f, THRESHOLDS[rmse_key])),
                 protocol="keras_model", stochastic=True),
        ]
    return cases


def _training_error(facts) -> str | None:
    if "training_error" in facts:
        return f"training the rebuilt model failed: {facts['training_error']}"
    return None


def _rmse(facts, threshold: float) -> str | None:
    problem = _training_error(facts)
    if problem:
        return problem
    rmse = facts["test_rmse"]
    if not rmse <= threshold:
        return (f"after the grader's short training the test RMSE is {rmse:.3g} (in $100,000), above "
                f"{threshold}: check the output (one linear unit), the loss (MSE) and the learning rate")
    return None


def regression_structure(facts, n):
    return _first(_one_input(facts, (n,)), _output(facts, "regression", 1), _hidden(facts))


def wide_and_deep_structure(facts, n):
    problem = _first(_one_input(facts, (n,)), _output(facts, "regression", 1))
    if problem:
        return problem
    if facts["class"] == "Sequential" or not facts["paths"]:
        return ("a Sequential stack cannot send the input to the output layer directly: build wide & deep "
                "with the functional API (keras.Input, layers called on tensors, keras.layers.Concatenate, "
                "keras.Model(inputs=..., outputs=...))")
    paths = facts["paths"]
    if 0 not in paths:
        return ("the input does not reach the output layer directly (the wide path): concatenate the input "
                "with the deep path's output, keras.layers.Concatenate()([inputs, hidden]), before the output layer")
    if max(paths) < 1:
        return ("the input reaches the output layer only directly: the deep path needs at least one hidden "
                "Dense layer between the input and the concatenation")
    return _hidden(facts)


def fashion_structure(facts):
    problem = _one_input(facts, (28, 28))
    if problem:
        return problem
    if not any(lay["class"] == "Flatten" for lay in facts["layers"]):
        return ("there is no Flatten layer: a Dense layer acts on the last axis only, so the (28, 28) image "
                "must be flattened to 784 values first (keras.layers.Flatten())")
    dense = _dense(facts)
    sizes = [lay["units"] for lay in dense]
    if sizes != [300, 100, 10]:
        return f"the Dense layers have {sizes} units; the exercise fixes 300, 100 and 10"
    acts = [lay["activation"] for lay in dense[:2]]
    if acts != ["relu", "relu"]:
        return f"the hidden layers have activations {acts}; the exercise fixes 'relu' for both"
    problem = _output(facts, "multiclass", 10)
    if problem:
        return problem
    if facts["params"] != 266610:
        return f"the model has {facts['params']:,} parameters; Flatten -> 300 -> 100 -> 10 has 266,610"
    return None


def _accuracy(facts, threshold: float, what: str) -> str | None:
    problem = _training_error(facts)
    if problem:
        return problem
    acc = facts["test_accuracy"]
    if not acc >= threshold:
        return (f"after the grader's short training the test accuracy is {acc:.3f}, below {threshold}: "
                f"check {what}, the loss and the learning rate")
    return None


def _initial_loss(facts) -> str | None:
    problem = _training_error(facts)
    if problem:
        return problem
    loss = facts["initial_loss"]
    if not abs(loss - LN10) <= THRESHOLDS["fashion_initial_loss"]:
        return (f"the freshly initialised model's loss is {loss:.3g}, far from ln 10 = {LN10:.3f} (ten "
                "balanced classes, nearly uniform predictions): check the output activation and the loss")
    return None


def fashion_cases(rng):
    seed = _seed(rng)

    def case(label, task, judge):
        return Case((), label, check=_judged(seed, task, judge), protocol="keras_model", stochastic=True)
    return [
        case("the layers: Flatten, 300 relu, 100 relu, 10 outputs", None, fashion_structure),
        case("loss and metrics", None, lambda f: _first(_loss(f, "multiclass"),
                                                        _metric(f, ACCURACY_NAMES, "accuracy"))),
        case("the initial loss of the freshly initialised model", "fashion", _initial_loss),
        case("trained by the grader for one short epoch on a subset of Fashion-MNIST: test accuracy", "fashion",
             lambda f: _accuracy(f, THRESHOLDS["fashion_accuracy"], "the output layer")),
    ]


def _classifier_cases(kind: str, main_args: tuple, other_args, task: str, key: str):
    def structure(n, units):
        return lambda f: _first(_one_input(f, (n,)), _output(f, kind, units), _hidden(f))

    def cases(rng):
        seed = _seed(rng)
        other = other_args(rng)
        units = 1 if kind == "binary" else main_args[1]
        other_units = 1 if kind == "binary" else other[1]
        return [
            Case(main_args, f"{main_args[0]} standardized features: layers and output",
                 check=_judged(seed, None, structure(main_args[0], units)), protocol="keras_model",
                 stochastic=True),
            Case(other, "another number of features" + (" and classes" if kind == "multiclass" else "")
                 + ": layers and output", check=_judged(seed, None, structure(other[0], other_units)),
                 protocol="keras_model", stochastic=True),
            Case(main_args, "loss and metrics",
                 check=_judged(seed, None, lambda f: _first(_loss(f, kind), _metric(f, ACCURACY_NAMES, "accuracy"))),
                 protocol="keras_model", stochastic=True),
            Case(main_args, f"trained by the grader on a subset of the {task.replace('_', ' ')} data: test accuracy",
                 check=_judged(seed, task, lambda f: _accuracy(f, THRESHOLDS[key], "the output layer")),
                 protocol="keras_model", stochastic=True),
        ]
    return cases


# -- callbacks -----------------------------------------------------------------------------------
def _callbacks_check(path: str, patience: int, aspect: str):
    def check(got, expected, case, results):
        if not isinstance(got, list) or not all(isinstance(c, dict) and isinstance(c.get("settings"), dict)
                                                for c in got):
            return "the function did not return a list of Keras callbacks"
        by_class = {}
        for cb in got:
            if not str(cb.get("module", "")).startswith("keras"):
                return f"'{cb.get('class')}' is not a Keras callback: use the classes of keras.callbacks"
            by_class.setdefault(cb.get("class"), cb["settings"])
        return CALLBACK_ASPECTS[aspect](by_class, path, patience)
    return check


def _missing(by_class, name, what):
    return None if name in by_class else f"there is no {name} callback ({what})"


def _early_stopping(by_class, path, patience):
    s = by_class.get("EarlyStopping")
    if s is None:
        return _missing(by_class, "EarlyStopping", "it stops training when val_loss stops improving")
    if s.get("monitor") != "val_loss":
        return (f"EarlyStopping monitors '{s.get('monitor')}': it must watch the validation loss, "
                "monitor='val_loss' (the training loss keeps falling while the model overfits)")
    if s.get("patience") != patience:
        return f"EarlyStopping has patience {s.get('patience')}; use the function's argument patience"
    if s.get("restore_best_weights") is not True:
        return ("EarlyStopping does not restore the best weights: pass restore_best_weights=True, else the "
                "model keeps the weights of the last, worse epochs")
    return None


def _checkpoint(by_class, path, patience):
    s = by_class.get("ModelCheckpoint")
    if s is None:
        return _missing(by_class, "ModelCheckpoint", "it saves the best model to checkpoint_path")
    if s.get("filepath") != path:
        return "ModelCheckpoint does not save to the given checkpoint_path"
    if s.get("monitor") != "val_loss":
        return f"ModelCheckpoint monitors '{s.get('monitor')}'; it must watch monitor='val_loss'"
    if s.get("save_best_only") is not True:
        return ("ModelCheckpoint saves after every epoch: pass save_best_only=True to keep the best model "
                "(by val_loss)")
    return None


def _reduce_lr(by_class, path, patience):
    s = by_class.get("ReduceLROnPlateau")
    if s is None:
        return _missing(by_class, "ReduceLROnPlateau", "it lowers the learning rate when val_loss plateaus")
    if s.get("monitor") != "val_loss":
        return f"ReduceLROnPlateau monitors '{s.get('monitor')}'; it must watch monitor='val_loss'"
    factor = s.get("factor")
    if not isinstance(factor, (int, float)) or not 0 < factor < 1:
        return f"ReduceLROnPlateau has factor {factor}; it multiplies the learning rate by a factor in (0, 1)"
    p = s.get("patience")
    if not isinstance(p, int) or p >= patience:
        return (f"ReduceLROnPlateau has patience {p}, not smaller than EarlyStopping's {patience}: it never "
                "lowers the learning rate before EarlyStopping stops training (give it a smaller patience)")
    return None


def _logger_and_nan(by_class, path, patience):
    return _first(_missing(by_class, "CSVLogger", "it writes each epoch's metrics to a CSV file"),
                  _missing(by_class, "TerminateOnNaN", "it stops training when the loss becomes NaN"))


CALLBACK_ASPECTS = {"early": _early_stopping, "checkpoint": _checkpoint, "reduce": _reduce_lr,
                    "logger": _logger_and_nan}


def callback_cases(rng):
    out = []
    for i, patience in enumerate([int(rng.integers(3, 6)), int(rng.integers(6, 11))]):
        path = f"/tmp/course-checkpoints/run{int(rng.integers(1000, 9999))}/best_model.keras"
        for aspect, what in [("early", "EarlyStopping"), ("checkpoint", "ModelCheckpoint"),
                             ("reduce", "ReduceLROnPlateau"), ("logger", "CSVLogger and TerminateOnNaN")]:
            if i == 1 and aspect == "logger":
                continue
            out.append(Case((path, patience), f"{what}, with patience {'3-5' if i == 0 else '6-10'}",
                            check=_callbacks_check(path, patience, aspect), protocol="keras_callbacks",
                            stochastic=True))
    return out


def _model_exercise(name, points, cases):
    return Exercise(name, points, cases, reference=None, keras=None, timeout=120.0)


EXERCISES = [
    _model_exercise("build_regression_mlp", 3, _regression_like("build_regression_mlp", regression_structure,
                                                                "regression_rmse")),
    _model_exercise("build_fashion_classifier", 4, fashion_cases),
    _model_exercise("build_wide_and_deep", 3, _regression_like("build_wide_and_deep", wide_and_deep_structure,
                                                               "wide_deep_rmse")),
    _model_exercise("build_binary_classifier", 3, _classifier_cases(
        "binary", (30,), lambda rng: (int(rng.choice([4, 7, 9])),), "breast_cancer", "binary_accuracy")),
    _model_exercise("build_multiclass_classifier", 3, _classifier_cases(
        "multiclass", (13, 3), lambda rng: (int(rng.choice([4, 7])), int(rng.choice([2, 5, 6]))), "wine",
        "multiclass_accuracy")),
    Exercise("make_callbacks", 3, callback_cases, reference=None, keras=None, timeout=120.0),
]
