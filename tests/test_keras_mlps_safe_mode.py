"""Lesson 09_keras_mlps: a model that safe mode cannot rebuild (a Lambda layer, a custom layer)
scores a clear 0 on its exercise, and the other exercises are still graded in full."""
import pytest

from autograder import lessons
from autograder.notebooks import with_answers

from .conftest import SEED, solution_json, write_notebook

LAMBDA = '''
import keras

def build_regression_mlp(n_features):
    model = keras.Sequential([keras.Input(shape=(n_features,)), keras.layers.Lambda(lambda x: x * 1.0),
                              keras.layers.Dense(30, activation="relu"), keras.layers.Dense(1)])
    model.compile(optimizer="adam", loss="mse", metrics=[keras.metrics.RootMeanSquaredError()])
    return model
'''

CUSTOM_LAYER = '''
import keras

class Doubling(keras.layers.Layer):
    def call(self, x):
        return 2.0 * x

def build_binary_classifier(n_features):
    model = keras.Sequential([keras.Input(shape=(n_features,)), Doubling(), keras.layers.Dense(16, activation="relu"),
                              keras.layers.Dense(1, activation="sigmoid")])
    model.compile(optimizer="adam", loss="binary_crossentropy", metrics=["accuracy"])
    return model
'''


@pytest.mark.slow
def test_unsafe_models_score_zero_and_the_rest_is_graded(grader, tmp_path):
    lesson = lessons.get("09_keras_mlps")
    nb = with_answers(solution_json(lesson), {"build_regression_mlp": LAMBDA, "build_binary_classifier": CUSTOM_LAYER})
    report = grader.grade(write_notebook(tmp_path / "unsafe.ipynb", nb), seed=SEED)
    lam, custom = report.exercises["build_regression_mlp"], report.exercises["build_binary_classifier"]
    assert lam.score == 0 and "Lambda layer" in lam.feedback and "safe mode" in lam.feedback, lam.feedback
    assert custom.score == 0 and "'Doubling', a custom object" in custom.feedback, custom.feedback
    others = {k: r for k, r in report.exercises.items() if k not in ("build_regression_mlp", "build_binary_classifier")}
    assert all(r.passed and r.score == r.max_score for r in others.values()), {k: r.feedback for k, r in others.items()}
