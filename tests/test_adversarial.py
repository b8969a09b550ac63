"""Attacks on the grader (SECURITY.md): each one costs at most the attacked exercise, earns no
undeserved point, respects the time bound, leaves no process behind and no trace in the gradebook."""
import json
import subprocess
import time

import pytest

from autograder import lessons
from autograder.batch import grade_all
from autograder.coursedir import CourseDir
from autograder.grading.engine import Grader
from autograder.lessons import REPO
from autograder.notebooks import with_answers

from .conftest import SEED, solution_json, write_notebook

MARK = "987654"  # sleep duration that identifies processes started by attacks
pytestmark = pytest.mark.xdist_group("attacks")  # one test process: leftovers are looked for by MARK

ATTACKS = {
    "infinite loop": "def {name}(*a, **k):\n    while True:\n        pass\n",
    "sleep": "import time\ndef {name}(*a, **k):\n    time.sleep(3600)\n",
    "signal tampering": (
        "import signal\ndef {name}(*a, **k):\n"
        "    for s in (signal.SIGINT, signal.SIGTERM, signal.SIGALRM):\n"
        "        signal.signal(s, signal.SIG_IGN)\n"
        "    signal.alarm(0)\n    while True:\n        pass\n"),
    "memory bomb": "def {name}(*a, **k):\n    hog = []\n    while True:\n        hog.append(bytearray(2**27))\n",
    "os._exit": "import os\ndef {name}(*a, **k):\n    os._exit(1)\n",
    "sys.exit": "import sys\ndef {name}(*a, **k):\n    sys.exit(0)\n",
    "KeyboardInterrupt": "def {name}(*a, **k):\n    raise KeyboardInterrupt\n",
    "segfault": "import ctypes\ndef {name}(*a, **k):\n    ctypes.string_at(0)\n",
    "runaway recursion": "def {name}(*a, **k):\n    return {name}(*a, **k)\n",
    "background processes": (
        "import os, subprocess\n"
        f"subprocess.Popen(['sleep', '{MARK}'], start_new_session=True)\n"
        "def {name}(*a, **k):\n"
        f"    subprocess.Popen(['sleep', '{MARK}'], start_new_session=True)\n"
        "    if os.fork() == 0:\n        os.setsid()\n"
        f"        os.execvp('sleep', ['sleep', '{MARK}'])\n"
        "    return None\n"),
    "reads the hidden tests": (
        "def {name}(*a, **k):\n    import os\n"
        "    return open(os.path.join({repo!r}, 'autograder', 'course', '{module}', 'tests.py')).read()\n"),
    "imports the references": (
        "def {name}(*a, **k):\n    import importlib\n"
        "    return getattr(importlib.import_module('autograder.course.{module}.reference'), '{name}')(*a, **k)\n"),
    "network": "def {name}(*a, **k):\n    import socket\n    socket.create_connection(('1.1.1.1', 53), timeout=3)\n",
    "monkeypatched numpy": (
        "import numpy\nnumpy.allclose = lambda *a, **k: True\nnumpy.array_equal = lambda *a, **k: True\n"
        "numpy.isclose = lambda *a, **k: True\nnumpy.testing.assert_allclose = lambda *a, **k: None\n"
        "def {name}(*a, **k):\n    return numpy.zeros(3)\n"),
    "rigged comparison object": (
        "class Anything:\n    def __eq__(self, other):\n        return True\n"
        "    def __ne__(self, other):\n        return False\n"
        "def {name}(*a, **k):\n    return Anything()\n"),
    "ndarray subclass": (
        "import numpy as np\nclass Liar(np.ndarray):\n"
        "    def __eq__(self, other):\n        return np.ones(np.shape(other), bool)\n"
        "def {name}(*a, **k):\n    return np.zeros((3, 3)).view(Liar)\n"),
    "__array__ trick": (
        "class Fake:\n    def __array__(self, *a, **k):\n        import numpy as np\n"
        "        return np.zeros(3)\n"
        "def {name}(*a, **k):\n    return Fake()\n"),
    "object array": "import numpy as np\ndef {name}(*a, **k):\n    return np.array([object(), 1.0])\n",
    "NaN": "import numpy as np\ndef {name}(*a, **k):\n    return np.full((3, 3), np.nan)\n",
    "forbidden library past the import blocker": (
        "def {name}(*a, **k):\n    import sys, importlib\n"
        "    sys.meta_path[:] = [f for f in sys.meta_path if 'Blocker' not in type(f).__name__]\n"
        "    importlib.import_module('sk' + 'learn')\n    return None\n"),
    "writes the gradebook": "def {name}(*a, **k):\n    open({gradebook!r}, 'w').write('pwned')\n",
}

EXPECTED_WORDS = {
    "infinite loop": "timed out", "sleep": "timed out", "signal tampering": "timed out",
    "os._exit": "kernel died", "segfault": "kernel died",
    "forbidden library past the import blocker": "scikit-learn",
}

# Two NumPy lessons (02 has the most exercises) and a Keras lesson (TensorFlow loaded in the
# kernel, no address-space cap, a longer cell limit).
ATTACKED_LESSONS = [x for x in ("01_perceptron", "02_activations", "09_keras_mlps")
                    if x in lessons.LESSONS]


def leftover_processes() -> str:
    """Attack processes still alive once the killed ones had time to go (they are ended with
    their kernel's PID namespace, which the Linux kernel tears down asynchronously)."""
    for _ in range(300):
        out = subprocess.run(["pgrep", "-f", f"sleep {MARK}"], capture_output=True, text=True).stdout.strip()
        if not out:
            return ""
        time.sleep(0.1)
    return out


HANGING = {"infinite loop", "sleep", "signal tampering"}


@pytest.fixture(scope="module")
def fast_grader():
    """For attacks that hang: a short time limit per exercise, so that the tests do not wait
    long (the cells that import TensorFlow in a Keras lesson keep a long one)."""
    return Grader(exercise_timeout=6, cell_timeout=180)


@pytest.fixture(scope="module")
def patient_grader():
    """For everything else: limits far above what any answer needs even on a loaded machine, so
    that no verdict depends on the machine's speed."""
    return Grader(exercise_timeout=120, cell_timeout=180)


# Hanging attacks first, then the ones that end at once, so that a group graded with short
# time limits holds only attacks that need no time.
ATTACK_ORDER = ["infinite loop", "sleep", "signal tampering", "NaN", "object array", "ndarray subclass",
                "__array__ trick", "rigged comparison object", "KeyboardInterrupt", "sys.exit", "os._exit",
                "segfault", "runaway recursion", "monkeypatched numpy", "reads the hidden tests",
                "imports the references", "network", "writes the gradebook", "background processes",
                "forbidden library past the import blocker", "memory bomb"]


def attack_groups(lesson_id: str) -> list[tuple[str, ...]]:
    """Every attack, as many at a time as the lesson has exercises but one: each attack replaces
    one answer, and the last exercise stays correct, to show that nothing reaches it."""
    size = max(1, len(lessons.get(lesson_id).exercises()) - 1)
    # The hanging ones, filled up with attacks that end at once (the short time limit then
    # applies to no correct answer but the last), then the rest in as few gradings of even sizes.
    first, rest = ATTACK_ORDER[:size], ATTACK_ORDER[size:]
    count = -(-len(rest) // size)
    bounds = [round(i * len(rest) / count) for i in range(count + 1)]
    return [tuple(first)] + [tuple(rest[a:b]) for a, b in zip(bounds, bounds[1:])]


def test_every_attack_is_tried_on_every_attacked_lesson():
    assert sorted(ATTACK_ORDER) == sorted(ATTACKS) and len(set(ATTACK_ORDER)) == len(ATTACKS)
    for lesson_id in ATTACKED_LESSONS:
        groups = attack_groups(lesson_id)
        assert sorted(a for g in groups for a in g) == sorted(ATTACKS)
        assert all(not (HANGING & set(g)) or g == groups[0] for g in groups)  # one group waits


@pytest.mark.slow
@pytest.mark.parametrize("lesson_id, group", [(x, g) for x in ATTACKED_LESSONS for g in attack_groups(x)],
                         ids=lambda v: v if isinstance(v, str) else "+".join(v).replace(" ", "-"))
def test_attacks_cost_only_their_exercise(lesson_id, group, fast_grader, patient_grader, tmp_path):
    lesson = lessons.get(lesson_id)
    names = [ex.name for ex in lesson.exercises()]
    targets = dict(zip(names, group))
    has_reference = (REPO / "autograder" / "course" / lesson.module / "reference.py").exists()
    answers = {name: ATTACKS[attack].format(name=name, repo=str(REPO), module=lesson.module,
                                            gradebook=str(REPO / "gradebook.db"))
               .replace(".reference')", ".reference')" if has_reference else ".keras_truth')")
               for name, attack in targets.items()}
    nb = write_notebook(tmp_path / "attack.ipynb", with_answers(solution_json(lesson), answers))
    report = (fast_grader if HANGING & set(group) else patient_grader).grade(nb, seed=SEED)
    for name, attack in targets.items():
        hit = report.exercises[name]
        assert hit.score == 0, f"{attack} earned {hit.score} on {name}: {hit.feedback}"
        # A Keras lesson's kernel may load scikit-learn; the attack still returns no model.
        if attack in EXPECTED_WORDS and (lesson.kind == "numpy" or attack != "forbidden library past the import blocker"):
            assert EXPECTED_WORDS[attack] in hit.feedback, (attack, hit.feedback)
    others = {k: r.feedback for k, r in report.exercises.items() if k not in targets and not r.passed}
    assert not others, f"{group} disturbed other exercises: {others}"
    assert not leftover_processes(), "processes started by the student survived grading"
    assert not (REPO / "pwn").exists()


@pytest.mark.slow
def test_batch_gradebook_untouched_by_attacks(tmp_path):
    lesson = lessons.get("00_tensors")
    course = CourseDir(tmp_path / "course")
    gradebook = course.root / "gradebook.db"
    target = lesson.exercises()[0].name
    for student, attack in [("mallory", "writes the gradebook"), ("ada", None)]:
        answers = {target: ATTACKS[attack].format(name=target, gradebook=str(gradebook))} if attack else {}
        nb = write_notebook(tmp_path / f"{student}.ipynb", with_answers(solution_json(lesson), answers))
        course.submit(nb, student, lesson.id)
    graded = grade_all(course, seed=SEED, exercise_timeout=4, show_progress=False)
    scores = {g.submission.student: g.report.score for g in graded}
    full = float(sum(ex.points for ex in lesson.exercises()))
    lost = lesson.exercises()[0].points  # the attacked exercise's
    assert scores["ada"] == full and scores["mallory"] == full - lost
    from autograder.gradebook import open_gradebook
    with open_gradebook(course.db_url) as gb:
        assert gb.find_submission(lesson.id, "ada").score == full
        assert gb.find_submission(lesson.id, "mallory").score == full - lost


@pytest.mark.slow
def test_huge_outputs_and_missing_ids_in_notebook(tmp_path, patient_grader):
    lesson = lessons.get("00_tensors")
    nb = solution_json(lesson)
    for cell in nb["cells"]:
        cell.pop("id", None)
        if cell["cell_type"] == "code":
            cell["outputs"] = [{"output_type": "stream", "name": "stdout", "text": "x" * 2_000_000}]
    report = patient_grader.grade(write_notebook(tmp_path / "big.ipynb", nb), seed=SEED)
    assert report.score == sum(ex.points for ex in lesson.exercises())
    nb["cells"][3]["outputs"][0]["text"] = "x" * (60 * 2**20)
    report = patient_grader.grade(write_notebook(tmp_path / "huge.ipynb", nb), seed=SEED)
    assert report.score == 0 and "clear the outputs" in report.errors[0]
    assert json.loads(report.to_json())["max_score"] == 0
