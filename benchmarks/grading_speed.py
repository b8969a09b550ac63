"""Grading one submission vs simply executing it, per lesson, measured side by side.

    python benchmarks/grading_speed.py [--repeat 3] [--lesson 00_tensors ...] [--no-full]

(a) plain: execute the filled-in solution notebook with nbclient (a fresh python3 kernel,
    every cell, teaching demonstrations and the Keras lessons' own trainings included);
(e) exercise cells: the same, but only the cells a student runs to check the exercises (set-up
    cells, answer cells, public checks; no demonstration or Keras comparison cells);
(b) grade: the grading engine on the same notebook (sandboxed kernel, harness, comparisons and,
    for Keras lessons, the grader's own trainings in its TensorFlow process, kept warm: one
    submission of a batch);
(b0) `course grade` on it in a fresh process (cold: the CLI's imports and, for Keras
    lessons, the TensorFlow worker's start);
(c) checks: the public check cells alone, after the answers are defined.
Wall-clock seconds and CPU seconds (this process and every process it starts: kernels, the
TensorFlow worker); medians. Targets: b/a <= 1.5 for NumPy lessons; for a Keras lesson, grading
CPU <= 20 s and <= 3x the exercise cells' CPU.
"""
from __future__ import annotations

import argparse
import json
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import nbformat
from nbclient import NotebookClient

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(Path(__file__).resolve().parent))
from autograder import lessons  # noqa: E402
from autograder.grading.engine import Grader  # noqa: E402
from autograder.notebooks import Cell, is_keras_demo, uses_any  # noqa: E402
from process_tree import ProcessTree  # noqa: E402


def execute(path: Path) -> tuple[float, float]:
    """Wall and CPU seconds of executing a notebook in a fresh kernel."""
    nb = nbformat.read(path, as_version=4)
    with ProcessTree() as tree:
        start = time.perf_counter()
        NotebookClient(nb, timeout=900, kernel_name="python3",
                       resources={"metadata": {"path": str(path.parent)}}).execute()
        wall = time.perf_counter() - start
    return wall, tree.cpu


def course_grade(path: Path) -> tuple[float, float, dict]:
    """Wall, CPU and CPU by process of ``course grade`` on one notebook, in a fresh process."""
    cli = [str(Path(sys.executable).parent / "course")]  # the environment's console script
    with ProcessTree() as tree:
        start = time.perf_counter()
        done = subprocess.run(cli + ["grade", "--seed", "0", str(path)], capture_output=True, text=True,
                              cwd=str(ROOT))
        wall = time.perf_counter() - start
    if done.returncode != 0:
        raise RuntimeError(f"course grade failed: {done.stdout[-2000:]}{done.stderr[-2000:]}")
    return wall, tree.cpu, tree.cpu_by_role


def exercise_cells(lesson, notebook: dict) -> dict:
    """A copy of a notebook of the lesson with only the cells a student runs for the exercises."""
    names = {ex.name for ex in lesson.exercises()}
    keep = []
    for cell in notebook["cells"]:
        c = Cell.from_json(cell)
        if c is None or c.cell_type != "code":
            continue
        if c.role in ("answer", "test") or not (is_keras_demo(c) or uses_any(c.source, names)):
            keep.append(cell)
    return {**notebook, "cells": keep}


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--repeat", type=int, default=3)
    ap.add_argument("--lesson", action="append")
    ap.add_argument("--no-full", action="store_true", help="skip (a), the whole notebook (slow for Keras lessons)")
    args = ap.parse_args()
    grader = Grader()
    rows, splits = [], []
    with tempfile.TemporaryDirectory(prefix="speed-") as tmp:
        for lesson_id in args.lesson or list(lessons.LESSONS):
            lesson = lessons.get(lesson_id)
            path = lesson.solution_path
            short = Path(tmp) / f"{lesson_id}-exercises.ipynb"
            short.write_text(json.dumps(exercise_cells(lesson, json.loads(path.read_text()))))
            colds = [course_grade(path) for _ in range(args.repeat)]
            cold = sorted(colds, key=lambda c: c[1])[len(colds) // 2]  # the run of median CPU
            grader.grade(path, seed=0)  # warm-up: imports, and the Keras ground-truth worker if any
            plain, ex, grade, checks, roles = [], [], [], [], []
            for i in range(args.repeat):
                plain.append(execute(path) if not args.no_full else (float("nan"),) * 2)
                ex.append(execute(short))
                with ProcessTree() as tree:
                    start = time.perf_counter()
                    report = grader.grade(path, seed=i + 1)  # not the warm-up's seed (cached judgements)
                    wall = time.perf_counter() - start
                grade.append((wall, tree.cpu))
                roles.append(tree.cpu_by_role)
                assert report.score == report.max_score, report.to_dict()
                from autograder.public_checks import run_checks
                checks.append(run_checks(path)[2])
            med = lambda pairs, k: statistics.median(p[k] for p in pairs)  # noqa: E731
            rows.append((lesson_id, med(plain, 0), med(plain, 1), med(ex, 0), med(ex, 1),
                         med(grade, 0), med(grade, 1), statistics.median(checks)))
            split = ", ".join(f"{role} {statistics.median(r[role] for r in roles):.1f}" for role in roles[0])
            cold_split = ", ".join(f"{role} {cpu:.1f}" for role, cpu in cold[2].items())
            splits.append(f"{lesson_id}: (b) CPU by process: {split}; (b0) `course grade` in a fresh process "
                          f"(cold: imports{', the TensorFlow worker started' if cold[2]['tensorflow'] else ''}): "
                          f"wall {cold[0]:.1f}, CPU {cold[1]:.1f} ({cold_split})")
    print(f"{'lesson':18s} {'(a) wall':>9s} {'cpu':>6s} {'(e) wall':>9s} {'cpu':>6s} {'(b) wall':>9s}"
          f" {'cpu':>6s} {'b/a':>5s} {'b/e cpu':>8s} {'(c) checks':>11s}")
    for lesson_id, aw, ac, ew, ec, bw, bc, c in rows:
        print(f"{lesson_id:18s} {aw:9.2f} {ac:6.1f} {ew:9.2f} {ec:6.1f} {bw:9.2f} {bc:6.1f} {bw / aw:5.2f}"
              f" {bc / ec:8.2f} {c:11.3f}")
    for line in splits:
        print(line)
    print(f"seconds, medians of {args.repeat} runs (CPU: this process and all it starts); targets: b/a <= 1.5 "
          "(NumPy lessons), Keras lessons: (b) cpu <= 20 and b/e cpu <= 3, checks < 1 s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
