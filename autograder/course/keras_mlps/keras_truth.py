"""TensorFlow-side judges of lesson 09_keras_mlps (run only in the ground-truth worker).

Each judge receives a student's model as plain data (``sandbox/protocols.py``'s
``"keras_model"``), rebuilds it in safe mode (``grading/keras_models.py``), and returns plain
facts: the structure, the compile settings and, with ``task``, what the rebuilt model learns
when the grader trains it itself: initialised afresh with ``keras.utils.set_random_seed(seed)``,
compiled with the student's optimizer and loss, on a fixed subset of the task's data with a
fixed short budget (``TASKS``). The hidden tests (``tests.py``) turn the facts into verdicts.
"""
import functools
import os

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")
os.environ.setdefault("KERAS_BACKEND", "tensorflow")

import numpy as np  # noqa: E402

from ...grading import keras_models as km  # noqa: E402

# Fixed subsets and budgets (the same for every run; the seed changes initialisation and order).
TASKS = {
    # name: (n_train, n_test, epochs, batch_size)
    "housing": (3000, 2000, 10, 32),
    "fashion": (5000, 2000, 1, 32),
    "breast_cancer": (400, 169, 30, 32),
    "wine": (120, 58, 60, 16),
}


def _standardize(train, test):
    mean, std = train.mean(axis=0), train.std(axis=0)
    std[std < 1e-12] = 1.0
    return ((train - mean) / std).astype(np.float32), ((test - mean) / std).astype(np.float32)


@functools.lru_cache(maxsize=None)
def task_data(task: str):
    """(x_train, y_train, x_test, y_test) of a task's fixed subset (standardized features)."""
    n_train, n_test, _, _ = TASKS[task]
    order = np.random.default_rng(0)
    if task == "fashion":
        import course_data
        (x, y), (xt, yt) = course_data.load_fashion_mnist()
        i, j = order.permutation(len(x))[:n_train], order.permutation(len(xt))[:n_test]
        return ((x[i] / 255.0).astype(np.float32), y[i].astype(np.int64),
                (xt[j] / 255.0).astype(np.float32), yt[j].astype(np.int64))
    if task == "housing":
        X, y = housing_features()
    else:
        X, y = sklearn_bundled_csv("breast_cancer.csv" if task == "breast_cancer" else "wine_data.csv")
    perm = order.permutation(len(X))
    train, test = perm[:n_train], perm[n_train:n_train + n_test]
    x_train, x_test = _standardize(X[train], X[test])
    dtype = np.float32 if task == "housing" else np.int64
    return x_train, y[train].astype(dtype), x_test, y[test].astype(dtype)


def sklearn_bundled_csv(filename: str):
    """(X, y) of a data set bundled with scikit-learn, read as its ``load_*`` functions read it.

    The file is found without importing scikit-learn (a second of CPU in this process): its
    first row is ``n_samples, n_features, class names...``, then one row per sample, the
    features and the integer target last.
    """
    import importlib.util

    spec = importlib.util.find_spec("sklearn")
    path = os.path.join(list(spec.submodule_search_locations)[0], "datasets", "data", filename)
    rows = np.loadtxt(path, delimiter=",", skiprows=1)
    with open(path) as f:
        n_samples, n_features = (int(v) for v in f.readline().split(",")[:2])
    if rows.shape != (n_samples, n_features + 1):
        raise ValueError(f"{filename}: {rows.shape} rows and columns, the header says {n_samples} x {n_features + 1}")
    return rows[:, :-1], rows[:, -1].astype(np.int64)


def housing_features():
    """The California housing CSV as scikit-learn's eight features and target (in $100,000)."""
    import csv

    import course_data
    with open(course_data.housing_csv_path()) as f:
        rows = list(csv.DictReader(f))
    get = lambda name: np.array([float(r[name]) if r[name] else np.nan for r in rows])  # noqa: E731
    households = get("households")
    X = np.column_stack([get("median_income"), get("housing_median_age"), get("total_rooms") / households,
                         get("total_bedrooms") / households, get("population"),
                         get("population") / households, get("latitude"), get("longitude")])
    y = get("median_house_value") / 1e5
    keep = np.isfinite(X).all(axis=1)
    return X[keep], y[keep]


def _accuracy(outputs: np.ndarray, y: np.ndarray, from_logits: bool) -> float:
    outputs = outputs.reshape(len(y), -1)
    if outputs.shape[1] == 1:
        predicted = (outputs[:, 0] > (0.0 if from_logits else 0.5)).astype(np.int64)
    else:
        predicted = outputs.argmax(axis=1)
    return float(np.mean(predicted == y))


@km.judge
def judge_model(plain, seed, task=None):
    """Structure and compile facts of a student's model; with ``task``, also what it learns.

    Facts: :func:`keras_models.describe`'s, ``compile`` (:func:`keras_models.loss_facts`),
    ``weights_fit``; with ``task``: ``initial_loss`` (the loss of the freshly initialised model
    on the training subset), ``final_loss`` (the mean training loss), ``test_accuracy`` or ``test_rmse`` after training
    for the task's budget, or ``training_error`` when training raised.
    """
    model = km.rebuild(plain, seed=seed)
    facts = km.describe(model)
    facts["compile"] = km.loss_facts(plain)
    facts["weights_fit"] = km.weight_shapes_fit(model, plain)
    if task is None:
        return facts
    x, y, xt, yt = task_data(task)
    _, _, epochs, batch_size = TASKS[task]
    try:
        initial = model.compute_loss(x=x[:1000], y=y[:1000], y_pred=model(x[:1000], training=False))
        # The epochs as one pass over `epochs` shuffled copies, in one traced loop.
        order = np.random.default_rng(seed)
        idx = np.concatenate([order.permutation(len(x)) for _ in range(epochs)])
        final_loss = km.train_in_one_call(model, x[idx], y[idx], batch_size)
        outputs = np.asarray(model(xt, training=False), dtype=np.float64)
    except Exception as exc:
        facts["training_error"] = f"{type(exc).__name__}: {str(exc).splitlines()[0][:300]}"
        return facts
    facts["initial_loss"] = float(np.asarray(initial))
    facts["final_loss"] = final_loss
    if task == "housing":
        facts["test_rmse"] = float(np.sqrt(np.mean((outputs.reshape(len(yt), -1)[:, 0] - yt) ** 2))) \
            if outputs.size == len(yt) else float("inf")
        if not np.isfinite(facts["test_rmse"]):
            facts["test_rmse"] = 1e30
    else:
        facts["test_accuracy"] = _accuracy(outputs, yt, facts["compile"]["from_logits"]) \
            if outputs.size % len(yt) == 0 else 0.0
    return facts
