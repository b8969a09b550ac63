"""Grading a class: plain execution vs nbgrader autograde vs `course grade`, side by side.

    python benchmarks/batch_grading.py [--per-lesson 20] [--lesson 01_perceptron --lesson 02_activations]

For each lesson, a batch of submissions (correct, partly wrong from the known-mistake library,
blank, and one that hangs) is graded four ways, in one run:
  (a) plain: execute every notebook with nbclient, serially (the floor for serial work);
  (b) nbgrader autograde on the same submissions (a fresh nbgrader course directory);
  (c) course grade --all, serial (--jobs 1);
  (d) course grade --all, parallel (--jobs = cores).
Prints the times, the ratios c/a, d/a and b/d, and the peak resident memory of a grading worker.
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

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))
from autograder import lessons  # noqa: E402
from autograder.batch import default_jobs, grade_all  # noqa: E402
from autograder.coursedir import CourseDir  # noqa: E402
from autograder.mistakes import rounds  # noqa: E402
from autograder.notebooks import with_answers  # noqa: E402

HANG = "def {name}(*args, **kwargs):\n    while True:\n        pass\n"


def batch(lesson, n: int) -> dict[str, dict]:
    """n submissions: 40% correct, 30% with mistakes, 20% blank, the rest hang in one exercise."""
    solution = json.loads(lesson.solution_path.read_text())
    blank = json.loads(lesson.release_path.read_text())
    mistake_rounds = rounds(lesson.mistakes().MISTAKES)
    first = lesson.exercises()[0].name
    out = {}
    for i in range(n):
        kind = i % 10
        if kind < 4:
            nb = solution
        elif kind < 7:
            rnd = mistake_rounds[i % len(mistake_rounds)]
            nb = with_answers(solution, {k: v.code for k, v in list(rnd.items())[::2]})
        elif kind < 9:
            nb = blank
        else:
            nb = with_answers(solution, {first: HANG.format(name=first)})
        out[f"s{i:03d}"] = nb
    return out


def plain(paths: list[Path]) -> float:
    start = time.perf_counter()
    for p in paths:
        nb = nbformat.read(p, as_version=4)
        NotebookClient(nb, timeout=30, kernel_name="python3", allow_errors=True,
                       interrupt_on_timeout=True, resources={"metadata": {"path": str(p.parent)}}).execute()
    return time.perf_counter() - start


def nbgrader_autograde(lesson, subs: dict[str, Path], root: Path) -> float:
    root.mkdir()
    (root / "nbgrader_config.py").write_text(
        "c = get_config()\nc.CourseDirectory.course_id = 'bench'\n"
        f"c.CourseDirectory.source_directory = {str(REPO / 'solutions')!r}\n"
        "c.ExecutePreprocessor.timeout = 30\n")
    env = {**os.environ, "PATH": f"{Path(sys.executable).parent}:{os.environ['PATH']}"}
    run = lambda *a: subprocess.run(["nbgrader", *a], cwd=root, env=env, capture_output=True, text=True)  # noqa
    r = run("generate_assignment", lesson.id, "--force")
    assert r.returncode == 0, r.stderr[-2000:]
    for student, path in subs.items():
        dest = root / "submitted" / student / lesson.id
        dest.mkdir(parents=True)
        shutil.copyfile(path, dest / lesson.notebook)
    start = time.perf_counter()
    r = run("autograde", lesson.id, "--force")
    elapsed = time.perf_counter() - start
    assert r.returncode == 0, r.stderr[-2000:]
    return elapsed


def course_grade(lesson, subs: dict[str, Path], root: Path, jobs: int) -> tuple[float, float]:
    course = CourseDir(root)
    for student, path in subs.items():
        course.submit(path, student, lesson.id)
    peak = [0.0]
    stop = threading.Event()

    def watch():  # peak RSS of any one grading process (not the student kernels)
        import psutil
        me = psutil.Process()
        while not stop.is_set():
            for p in [me] + me.children():
                try:
                    if "launcher.py" not in " ".join(p.cmdline()):
                        peak[0] = max(peak[0], p.memory_info().rss / 2**20)
                except psutil.Error:
                    pass
            time.sleep(0.2)

    t = threading.Thread(target=watch, daemon=True)
    t.start()
    start = time.perf_counter()
    grade_all(course, seed=1, jobs=jobs, show_progress=False)
    elapsed = time.perf_counter() - start
    stop.set()
    return elapsed, peak[0]


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--per-lesson", type=int, default=20)
    ap.add_argument("--lesson", action="append")
    args = ap.parse_args()
    jobs = default_jobs()
    rows = []
    for lesson_id in args.lesson or ["01_perceptron", "02_activations"]:
        lesson = lessons.get(lesson_id)
        with tempfile.TemporaryDirectory(prefix="bench-") as tmp:
            tmp = Path(tmp)
            (tmp / "up").mkdir()
            subs = {}
            for student, nb in batch(lesson, args.per_lesson).items():
                subs[student] = tmp / "up" / f"{student}.ipynb"
                subs[student].write_text(json.dumps(nb))
            a = plain(list(subs.values()))
            b = nbgrader_autograde(lesson, subs, tmp / "nbgrader")
            c, _ = course_grade(lesson, subs, tmp / "serial", 1)
            d, mem = course_grade(lesson, subs, tmp / "parallel", jobs)
            rows.append((lesson_id, len(subs), a, b, c, d, mem))
    print(f"\n{len(rows[0:1]) and rows[0][1]} submissions per lesson, {jobs} cores")
    print(f"{'lesson':16s} {'(a) plain':>10s} {'(b) nbgrader':>13s} {'(c) serial':>11s} {'(d) parallel':>13s}"
          f" {'c/a':>6s} {'d/a':>6s} {'b/d':>6s} {'worker MB':>10s}")
    for lesson_id, n, a, b, c, d, mem in rows:
        print(f"{lesson_id:16s} {a:10.1f} {b:13.1f} {c:11.1f} {d:13.1f} {c / a:6.2f} {d / a:6.2f} {b / d:6.2f}"
              f" {mem:10.0f}")
    print("seconds; targets: c/a <= 1.2, d/a <= 0.75, b/d >= 2, worker < 2048 MB")
    return 0


if __name__ == "__main__":
    sys.exit(main())
