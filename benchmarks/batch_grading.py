"""Grading a class: plain execution vs nbgrader autograde vs `course grade`, side by side.

    python benchmarks/batch_grading.py [--per-lesson 20] [--lesson 01_perceptron --lesson 02_activations]

For each lesson, two batches of submissions are graded four ways, in one run:
  mixed:   40% correct, 30% with mistakes from the known-mistake library, 10% blank, 10% crashing
           (an answer cell with a syntax error, another that exits the kernel) and 10% hanging in
           the first exercise (every cell that calls it runs into the timeout);
  no hang: the same without the hanging submissions (replaced by correct ones), so the ratios are
           not dominated by timeouts.
The four ways:
  (a) plain: execute every notebook with nbclient, serially (the floor for serial work);
  (b) nbgrader autograde on the same submissions (a fresh nbgrader course directory), and
      (b+f) with nbgrader generate_feedback after it, since course grade writes those pages too;
  (c) course grade --all, serial (--jobs 1);
  (d) course grade --all, parallel (--jobs = cores).
The same timeout (TIMEOUT) applies to a hanging cell or exercise in all four.
Prints the times, the ratios c/a, d/a and b/d, the peak resident memory of one grading worker and
of one TensorFlow ground-truth process (student kernels excluded), and the CPU seconds per
submission (every process, kernels included). For a Keras lesson (09), (a) runs only the exercise
cells (its own trainings take minutes) and (b) is left out.
"""
from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

import nbformat
from nbclient import NotebookClient
from nbclient.exceptions import DeadKernelError

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))
from autograder import lessons  # noqa: E402
from autograder.batch import default_jobs, grade_all  # noqa: E402
from autograder.coursedir import CourseDir  # noqa: E402
from autograder.grading.mistakes import rounds  # noqa: E402
from autograder.notebooks import with_answers  # noqa: E402

sys.path.insert(0, str(REPO / "benchmarks"))
from grading_speed import exercise_cells  # noqa: E402
from process_tree import ProcessTree  # noqa: E402

TIMEOUT = 20  # seconds a hanging exercise may run, the same for all four ways
HANG = "def {name}(*args, **kwargs):\n    while True:\n        pass\n"
CRASH_SYNTAX = "def broken(:\n    pass\n"
CRASH_EXIT = "import os\nos._exit(1)\n"


def batch(lesson, n: int, hang: bool) -> dict[str, dict]:
    """n submissions of the lesson, in a fixed mix (see the module docstring)."""
    solution = json.loads(lesson.solution_path.read_text())
    blank = json.loads(lesson.release_path.read_text())
    mistake_rounds = rounds(lesson.mistakes().MISTAKES)
    names = [ex.name for ex in lesson.exercises()]
    out = {}
    for i in range(n):
        kind = i % 10
        if kind < 4 or (kind == 9 and not hang):
            nb = solution
        elif kind < 7:
            rnd = mistake_rounds[i % len(mistake_rounds)]
            nb = with_answers(solution, {k: v.code for k, v in list(rnd.items())[::2]})
        elif kind == 7:
            nb = blank
        elif kind == 8:
            nb = with_answers(solution, {names[0]: CRASH_SYNTAX, names[-1]: CRASH_EXIT})
        else:
            nb = with_answers(solution, {names[0]: HANG.format(name=names[0])})
        out[f"s{i:03d}"] = nb
    return out


def plain(paths: list[Path]) -> float:
    start = time.perf_counter()
    for p in paths:
        nb = nbformat.read(p, as_version=4)
        client = NotebookClient(nb, timeout=TIMEOUT, kernel_name="python3", allow_errors=True,
                                interrupt_on_timeout=True, resources={"metadata": {"path": str(p.parent)}})
        try:
            client.execute()
        except DeadKernelError:  # a notebook that ends its kernel stops there, as in Jupyter
            pass
    return time.perf_counter() - start


def nbgrader_autograde(lesson, subs: dict[str, Path], root: Path) -> float:
    root.mkdir()
    (root / "nbgrader_config.py").write_text(
        "c = get_config()\nc.CourseDirectory.course_id = 'bench'\n"
        f"c.CourseDirectory.source_directory = {str(REPO / 'solutions')!r}\n"
        f"c.ExecutePreprocessor.timeout = {TIMEOUT}\n")
    env = {**os.environ, "PATH": f"{Path(sys.executable).parent}:{os.environ['PATH']}"}
    run = lambda *a: subprocess.run(["nbgrader", *a], cwd=root, env=env, capture_output=True, text=True)  # noqa
    r = run("generate_assignment", lesson.id, "--force")
    assert r.returncode == 0, r.stderr[-2000:]
    for student, path in subs.items():
        dest = root / "submitted" / student / lesson.id
        dest.mkdir(parents=True)
        shutil.copyfile(path, dest / lesson.notebook)
    start = time.perf_counter()
    run("autograde", lesson.id, "--force")  # fails (rc 1) when one submission's kernel died
    elapsed = time.perf_counter() - start
    graded = len(list((root / "autograded").glob(f"*/{lesson.id}/{lesson.notebook}")))
    log(f"{lesson.id}: nbgrader autograded {graded} of {len(subs)} submissions")
    start = time.perf_counter()
    run("generate_feedback", lesson.id, "--force")  # course grade writes these pages too
    return elapsed, time.perf_counter() - start


def course_grade(lesson, subs: dict[str, Path], root: Path, jobs: int) -> tuple[float, ProcessTree]:
    course = CourseDir(root)
    for student, path in subs.items():
        course.submit(path, student, lesson.id)
    with ProcessTree(interval=0.2) as tree:
        start = time.perf_counter()
        grade_all(course, seed=1, jobs=jobs, show_progress=False, exercise_timeout=TIMEOUT)
        elapsed = time.perf_counter() - start
    return elapsed, tree


def log(msg: str) -> None:
    print(f"[{time.strftime('%H:%M:%S')}] {msg}", file=sys.stderr, flush=True)


def measure(lesson, n: int, hang: bool, jobs: int, nbgrader: bool) -> tuple:
    with tempfile.TemporaryDirectory(prefix="bench-") as tmp:
        tmp = Path(tmp)
        (tmp / "up").mkdir()
        subs = {}
        for student, nb in batch(lesson, n, hang).items():
            subs[student] = tmp / "up" / f"{student}.ipynb"
            subs[student].write_text(json.dumps(nb))
        variant = "mixed" if hang else "no hang"
        if lesson.kind == "numpy":
            a = plain(list(subs.values()))
        else:  # the Keras lessons' own trainings take minutes: the exercise cells only
            short = {}
            for student, path in subs.items():
                short[student] = path.with_suffix(".exercises.ipynb")
                short[student].write_text(json.dumps(exercise_cells(lesson, json.loads(path.read_text()))))
            a = plain(list(short.values()))
        log(f"{lesson.id} {variant}: (a) plain {a:.1f} s")
        b = feedback = float("nan")
        if nbgrader:
            b, feedback = nbgrader_autograde(lesson, subs, tmp / "nbgrader")
            log(f"{lesson.id} {variant}: (b) nbgrader autograde {b:.1f} s, then generate_feedback {feedback:.1f} s")
        c, tree_c = course_grade(lesson, subs, tmp / "serial", 1)
        log(f"{lesson.id} {variant}: (c) course grade serial {c:.1f} s, {tree_c.cpu:.0f} s CPU")
        d, tree_d = course_grade(lesson, subs, tmp / "parallel", jobs)
        log(f"{lesson.id} {variant}: (d) course grade --jobs {jobs} {d:.1f} s, {tree_d.cpu:.0f} s CPU")
        peak = {role: max(tree_c.peak_mb[role], tree_d.peak_mb[role]) for role in ("grader", "tensorflow")}
        return lesson.id, variant, a, b, b + feedback, c, d, peak, tree_c.cpu / n


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--per-lesson", type=int, default=20)
    ap.add_argument("--lesson", action="append")
    ap.add_argument("--variant", choices=["mixed", "no-hang", "both"], default="both")
    ap.add_argument("--no-nbgrader", action="store_true",
                    help="skip (b): nbgrader executes every cell, the Keras lessons' trainings included")
    args = ap.parse_args()
    jobs = default_jobs()
    hangs = {"mixed": [True], "no-hang": [False], "both": [True, False]}[args.variant]
    rows = []
    for lesson_id in args.lesson or ["01_perceptron", "02_activations", "09_keras_mlps"]:
        lesson = lessons.get(lesson_id)
        for hang in hangs:
            rows.append(measure(lesson, args.per_lesson, hang, jobs, nbgrader=not args.no_nbgrader
                                and lesson.kind == "numpy"))
    print(f"\n{args.per_lesson} submissions per lesson and batch, {jobs} cores, timeout {TIMEOUT} s")
    print(f"{'lesson':16s} {'batch':8s} {'(a) plain':>10s} {'(b) nbgrader':>13s} {'(b+f)':>7s} {'(c) serial':>11s}"
          f" {'(d) parallel':>13s} {'c/a':>6s} {'d/a':>6s} {'b/d':>6s} {'(b+f)/d':>8s} {'grader MB':>10s}"
          f" {'TF MB':>7s} {'CPU/sub':>8s}")
    for lesson_id, variant, a, b, bf, c, d, peak, cpu in rows:
        print(f"{lesson_id:16s} {variant:8s} {a:10.1f} {b:13.1f} {bf:7.1f} {c:11.1f} {d:13.1f} {c / a:6.2f}"
              f" {d / a:6.2f} {b / d:6.2f} {bf / d:8.2f} {peak['grader']:10.0f} {peak['tensorflow']:7.0f}"
              f" {cpu:8.1f}")
    print("seconds; (a) plain execution (Keras lessons: their exercise cells only), (b) nbgrader autograde\n"
          "(NumPy lessons only: for a Keras lesson it would run the notebook's own trainings), (b+f) adds\n"
          "nbgrader generate_feedback (course grade writes the same HTML pages); peak resident memory of one\n"
          "grading process and of one TensorFlow process; CPU seconds per submission in the serial batch.\n"
          "Targets: c/a <= 1.2, d/a <= 0.75, b/d >= 2, grading process < 2048 MB, TensorFlow process < 2560 MB")
    return 0

if __name__ == "__main__":
    sys.exit(main())
