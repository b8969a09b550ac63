"""Grading one submission vs simply executing it, per lesson, measured side by side.

    python benchmarks/grading_speed.py [--repeat 3] [--lesson 00_tensors ...]

(a) plain: execute the filled-in notebook with nbclient (a fresh python3 kernel, every cell);
(b) grade: `course grade` on the same notebook (sandboxed kernel, harness, comparisons);
(c) checks: the public check cells alone, after the answers are defined.
Prints medians and the ratio b/a (target: at most 1.5 for NumPy lessons).
"""
from __future__ import annotations

import argparse
import statistics
import sys
import time
from pathlib import Path

import nbformat
from nbclient import NotebookClient

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
from autograder import lessons  # noqa: E402
from autograder.grading.engine import Grader  # noqa: E402


def plain_execution(path: Path) -> float:
    nb = nbformat.read(path, as_version=4)
    start = time.perf_counter()
    NotebookClient(nb, timeout=600, kernel_name="python3",
                   resources={"metadata": {"path": str(path.parent)}}).execute()
    return time.perf_counter() - start


def public_checks(path: Path) -> float:
    from autograder.public_checks import run_checks
    return run_checks(path)[2]


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--repeat", type=int, default=3)
    ap.add_argument("--lesson", action="append")
    args = ap.parse_args()
    grader = Grader()
    rows = []
    for lesson_id in args.lesson or list(lessons.LESSONS):
        path = lessons.get(lesson_id).solution_path
        grader.grade(path, seed=0)  # warm-up: imports, and the Keras ground-truth worker if any
        plain, grade, checks = [], [], []
        for i in range(args.repeat):
            plain.append(plain_execution(path))
            start = time.perf_counter()
            report = grader.grade(path, seed=i)
            grade.append(time.perf_counter() - start)
            assert report.score == report.max_score, report.to_dict()
            checks.append(public_checks(path))
        a, b, c = (statistics.median(x) for x in (plain, grade, checks))
        rows.append((lesson_id, a, b, b / a, c))
    print(f"{'lesson':18s} {'(a) plain s':>12s} {'(b) grade s':>12s} {'b/a':>6s} {'(c) checks s':>13s}")
    for lesson_id, a, b, ratio, c in rows:
        print(f"{lesson_id:18s} {a:12.2f} {b:12.2f} {ratio:6.2f} {c:13.3f}")
    print(f"medians of {args.repeat} runs; targets: b/a <= 1.5, checks < 1 s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
