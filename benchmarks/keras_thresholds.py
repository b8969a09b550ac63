"""Lesson 09's behaviour thresholds measured: the reference answers trained by the grader over many seeds.

    python benchmarks/keras_thresholds.py [--seeds 20] [--first 1000]

Builds the solution notebook's models in this process (its ``build_*`` cells), turns them into
plain data as the kernel does (``sandbox/protocols.py``), and judges each with the grader's own
TensorFlow-side judge (``keras_truth.judge_model``) for every seed. Prints, per behaviour case,
the range over the seeds, the threshold of ``tests.THRESHOLDS``, how many seeds pass, and the
margin between the worst seed and the threshold.
"""
from __future__ import annotations

import argparse
import math
import os
import sys
from pathlib import Path

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")
os.environ.setdefault("KERAS_BACKEND", "tensorflow")
ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from autograder import lessons  # noqa: E402
from autograder.notebooks import read_cells  # noqa: E402

LESSON = "09_keras_mlps"
# (builder, args, task, fact, threshold key); a seed passes when the hidden test's judge finds no problem
CASES = [
    ("build_regression_mlp", (8,), "housing", "test_rmse", "regression_rmse"),
    ("build_wide_and_deep", (8,), "housing", "test_rmse", "wide_deep_rmse"),
    ("build_fashion_classifier", (), "fashion", "initial_loss", "fashion_initial_loss"),
    ("build_fashion_classifier", (), "fashion", "test_accuracy", "fashion_accuracy"),
    ("build_binary_classifier", (30,), "breast_cancer", "test_accuracy", "binary_accuracy"),
    ("build_multiclass_classifier", (13, 3), "wine", "test_accuracy", "multiclass_accuracy"),
]


def hidden_test_judge(fact: str, threshold: float):
    """The hidden tests' own judgement of a fact (None: passes), from ``keras_mlps/tests.py``."""
    from autograder.course.keras_mlps import tests
    return {"test_rmse": lambda f: tests._rmse(f, threshold),
            "test_accuracy": lambda f: tests._accuracy(f, threshold, "the output layer"),
            "initial_loss": tests._initial_loss}[fact]


def solution_builders() -> dict:
    """The solution notebook's builder functions, defined in this process."""
    import keras
    namespace = {"keras": keras}
    for cell in read_cells(lessons.get(LESSON).solution_path):
        if cell.cell_type == "code" and cell.role == "answer":
            exec(compile(cell.source, f"<{LESSON} answer>", "exec"), namespace)  # our own solution
    return namespace


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--seeds", type=int, default=20)
    ap.add_argument("--first", type=int, default=1000)
    args = ap.parse_args()
    from autograder.grading import ground_truth
    ground_truth.import_tensorflow()  # as the grader's TensorFlow process does
    from autograder.course.keras_mlps import keras_truth
    from autograder.course.keras_mlps.tests import THRESHOLDS
    from autograder.sandbox import protocols
    builders = solution_builders()
    plains = {}
    values: dict[int, list[float]] = {i: [] for i in range(len(CASES))}
    passed = [0] * len(CASES)
    seeds = range(args.first, args.first + args.seeds)
    for seed in seeds:
        for i, (name, fargs, task, fact, key) in enumerate(CASES):
            if (name, fargs) not in plains:
                plains[name, fargs] = protocols.keras_model(builders[name], fargs, {})
            facts = keras_truth.judge_model(plains[name, fargs], seed, task=task)
            values[i].append(float(facts.get(fact, float("nan"))))
            passed[i] += hidden_test_judge(fact, THRESHOLDS[key])(facts) is None
        print(f"seed {seed} done", file=sys.stderr, flush=True)
    print(f"{'builder':28s} {'fact':14s} {'min':>7s} {'max':>7s} {'threshold':>9s} {'pass':>6s} {'margin':>7s}")
    for i, (name, _, _, fact, key) in enumerate(CASES):
        got, threshold, ok = values[i], THRESHOLDS[key], passed[i]
        if fact == "initial_loss":
            worst = max(abs(v - math.log(10)) for v in got)
            margin = threshold - worst
        elif fact == "test_rmse":
            margin = threshold - max(got)
        else:
            margin = min(got) - threshold
        print(f"{name:28s} {fact:14s} {min(got):7.3f} {max(got):7.3f} {threshold:9.3f} {ok:3d}/{len(got):<2d} "
              f"{margin:7.3f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
