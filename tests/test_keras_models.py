"""Keras models as plain data (grading/keras_models.py, protocols "keras_model" / "keras_callbacks").

The models are built by the kernel-side protocols in a separate Python process (standing in for
the student's kernel) and cross as the wire format; this process judges them through the
ground-truth worker pool, so TensorFlow is never imported here.
"""
import os
import subprocess
import sys
import textwrap

import numpy as np
import pytest

from autograder.grading import keras_models
from autograder.grading.spec import KerasTruth
from autograder.sandbox import wire

ROUND_TRIP = KerasTruth("autograder.grading.keras_models", "round_trip")

KERNEL = textwrap.dedent('''
    import os, sys
    os.environ["TF_CPP_MIN_LOG_LEVEL"] = "3"
    import keras, numpy as np
    from autograder.sandbox import protocols, wire

    def sequential():
        model = keras.Sequential([keras.Input((5,)), keras.layers.Dense(7, activation="relu"),
                                  keras.layers.Dense(3), keras.layers.Activation("softmax")])
        model.compile(optimizer=keras.optimizers.Adam(learning_rate=0.003),
                      loss="sparse_categorical_crossentropy", metrics=["accuracy"])
        return model

    def functional():
        inp = keras.Input((5,))
        hidden = keras.layers.Dense(6, activation="relu")(inp)
        out = keras.layers.Dense(1)(keras.layers.Concatenate()([inp, hidden]))
        model = keras.Model(inp, out)
        model.compile(optimizer="sgd", loss=keras.losses.MeanSquaredError(),
                      metrics=[keras.metrics.RootMeanSquaredError()])
        return model

    def with_lambda():
        model = keras.Sequential([keras.Input((5,)), keras.layers.Lambda(lambda t: t * 2),
                                  keras.layers.Dense(1)])
        model.compile(loss="mse")
        return model

    class Doubling(keras.layers.Layer):
        def call(self, t):
            return t * 2

    def with_custom_layer():
        model = keras.Sequential([keras.Input((5,)), Doubling(), keras.layers.Dense(1)])
        model.compile(loss="mse")
        return model

    def callbacks():
        return [keras.callbacks.EarlyStopping(monitor="val_loss", patience=4, restore_best_weights=True),
                keras.callbacks.ModelCheckpoint("best.keras", save_best_only=True)]

    x = np.linspace(-1, 1, 20, dtype="float32").reshape(4, 5)
    out = {"x": x, "callbacks": protocols.run("keras_callbacks", callbacks, (), {}),
           "not_a_model": None}
    for f in (sequential, functional, with_lambda, with_custom_layer):
        plain = protocols.run("keras_model", f, (), {})
        keras.utils.set_random_seed(0)
        out[f.__name__] = plain
    for f in (sequential, functional):  # the original model's predictions with its own weights
        plain = out[f.__name__]
        model = keras.models.model_from_json(plain["config_json"])
        model.set_weights(plain["weights"])
        out[f.__name__ + "_predictions"] = np.asarray(model(x))
    try:
        protocols.run("keras_model", lambda: "a string", (), {})
    except TypeError as exc:
        out["not_a_model"] = str(exc)
    enc = wire.Encoder()
    wire.save(sys.argv[1], enc.encode(out), enc.arrays)
''')


@pytest.fixture(scope="module")
def plain(tmp_path_factory):
    stem = str(tmp_path_factory.mktemp("kernel") / "models")
    env = dict(os.environ, TF_CPP_MIN_LOG_LEVEL="3")
    subprocess.run([sys.executable, "-c", KERNEL, stem], check=True, env=env, timeout=300,
                   cwd=os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
    tree, arrays = wire.load(stem)
    return wire.decode(tree, arrays)


def test_the_protocol_sends_plain_data_only(plain):
    model = plain["sequential"]
    assert keras_models.is_plain_model(model)
    assert set(model) == {"class", "config_json", "weights", "compiled", "compile"}
    assert model["class"] == "Sequential" and model["compiled"] is True
    assert all(isinstance(v, str) for v in model["compile"].values())
    assert [w.shape for w in model["weights"]] == [(5, 7), (7,), (7, 3), (3,)]
    assert "not a keras.Model" in plain["not_a_model"]
    early, checkpoint = plain["callbacks"]
    assert early["class"] == "EarlyStopping" and early["settings"]["monitor"] == "val_loss"
    assert early["settings"]["patience"] == 4 and early["settings"]["restore_best_weights"] is True
    assert checkpoint["settings"]["filepath"] == "best.keras" and checkpoint["settings"]["save_best_only"]


@pytest.mark.parametrize("name", ["sequential", "functional"])
def test_models_round_trip_through_the_tensorflow_process(plain, name):
    facts = keras_models.judge_in_tensorflow(ROUND_TRIP, plain[name], seed=1, x=plain["x"])
    assert keras_models.refusal(facts) is None, facts
    assert facts["weights_fit"]
    np.testing.assert_allclose(facts["predictions"], plain[name + "_predictions"], rtol=1e-5, atol=1e-6)
    if name == "sequential":
        assert facts["class"] == "Sequential" and facts["params"] == 5 * 7 + 7 + 7 * 3 + 3
        assert facts["output_activation"] == "softmax" and facts["output_units"] == 3
        assert facts["compile"]["loss"] == "sparse_categorical_crossentropy"
        assert "accuracy" in facts["compile"]["metrics"] and facts["compile"]["optimizer"] == "Adam"
    else:
        assert facts["class"] == "Functional" and facts["input_shapes"] == [[5]]
        assert facts["paths"] == [0, 1], "the input reaches the output directly and through one hidden layer"
        assert facts["compile"]["loss"] == "mse" and "root_mean_squared_error" in facts["compile"]["metrics"]
    assert "tensorflow" not in sys.modules, "the grader process must not import TensorFlow"


@pytest.mark.parametrize("name, says", [("with_lambda", "Lambda layer"),
                                        ("with_custom_layer", "'Doubling', a custom object")])
def test_lambda_and_custom_layers_are_refused_with_a_reason(plain, name, says):
    facts = keras_models.judge_in_tensorflow(ROUND_TRIP, plain[name], seed=1)
    message = keras_models.refusal(facts)
    assert message and says in message and "safe mode" in message, facts
    assert "tensorflow" not in sys.modules


def test_unsafe_configs_are_refused_before_deserialization():
    for config in ({"module": "os", "class_name": "system", "config": {}},
                   {"module": "keras.layers", "class_name": "Dense",
                    "config": {"activation": {"class_name": "__lambda__", "config": {"code": "..."}}}},
                   {"module": "keras.layers", "class_name": "Dense", "registered_name": "evil>Dense"}):
        with pytest.raises(keras_models.Refused):
            keras_models.check_safe(config)
    assert keras_models.refusal(keras_models.judge_in_tensorflow(ROUND_TRIP, {"config_json": 3}, 1))


def test_a_builder_is_called_once_per_arguments(monkeypatch):
    """The structure, compile and training cases of one exercise share one build (kernel CPU)."""
    from types import SimpleNamespace

    from autograder.sandbox import protocols

    class Model:
        compiled = False

        def to_json(self):
            return "{}"

        def get_weights(self):
            return []

    fake = SimpleNamespace(Model=Model, backend=SimpleNamespace(clear_session=lambda **kw: None))
    monkeypatch.setitem(sys.modules, "keras", fake)
    monkeypatch.setattr(protocols, "_BUILT", {})
    calls = []

    def build(n):
        calls.append(n)
        return Model()

    first = protocols.keras_model(build, (8,), {})
    assert protocols.keras_model(build, (8,), {}) is first and calls == [8]
    protocols.keras_model(build, (3,), {})
    assert calls == [8, 3]

    def other(n):  # another function (a known mistake, say) is built on its own
        calls.append(-n)
        return Model()
    protocols.keras_model(other, (8,), {})
    assert calls == [8, 3, -8]


def test_the_bundled_data_sets_are_read_as_scikit_learn_reads_them():
    import sklearn.datasets

    from autograder.course.keras_mlps.keras_truth import sklearn_bundled_csv
    for filename, load in [("breast_cancer.csv", sklearn.datasets.load_breast_cancer),
                           ("wine_data.csv", sklearn.datasets.load_wine)]:
        X, y = sklearn_bundled_csv(filename)
        data = load()
        np.testing.assert_array_equal(X, data.data)
        np.testing.assert_array_equal(y, data.target)


def test_the_tensorflow_worker_hides_optional_integrations_only_while_it_imports():
    code = textwrap.dedent("""
        import sys
        from autograder.grading import ground_truth
        ground_truth.import_tensorflow()
        import tensorflow as tf
        assert tf.config.threading.get_intra_op_parallelism_threads() == 1
        assert not any(name in sys.modules for name in ground_truth.OPTIONAL_INTEGRATIONS), sorted(sys.modules)
        import scipy.stats, sklearn.datasets  # importable afterwards
        print("ok")
    """)
    env = {**os.environ, "TF_CPP_MIN_LOG_LEVEL": "3", "KERAS_BACKEND": "tensorflow"}
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, env=env, timeout=300,
                          cwd=os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
    assert done.returncode == 0 and done.stdout.strip() == "ok", done.stderr[-2000:]
