"""Grades every lesson's reference, blank release and a notebook of known mistakes with a fixed
seed and writes the reports (without timings and paths) as one JSON file.

Used to show that a refactoring changes no verdict: run it before and after, then compare:
    python scripts/snapshot_reports.py before.json
    python scripts/snapshot_reports.py after.json && cmp before.json after.json
"""
from __future__ import annotations

import json
import sys
import tempfile
from pathlib import Path

SEED = 20261201


def _mistakes_of(lesson) -> dict[str, str]:
    """One known mistake per exercise (the first listed), as answer-cell sources."""
    try:
        variants = lesson.mistakes().MISTAKES
    except AttributeError:
        variants = lesson.library().MISTAKES
    first: dict[str, str] = {}
    for v in variants:
        first.setdefault(v.exercise, v.code)
    return first


def main(out: str, only: list[str]) -> None:
    from autograder import lessons
    from autograder.grading.engine import Grader
    from autograder.notebooks import with_answers

    grader, snapshot = Grader(), {}
    with tempfile.TemporaryDirectory() as tmp:
        for lesson in lessons.LESSONS.values():
            if only and lesson.id not in only:
                continue
            solution = json.loads(lesson.solution_path.read_text())
            wrong = Path(tmp) / f"{lesson.id}-mistakes.ipynb"
            wrong.write_text(json.dumps(with_answers(solution, _mistakes_of(lesson))))
            for kind, path in (("reference", lesson.solution_path), ("blank", lesson.release_path),
                               ("mistakes", wrong)):
                report = grader.grade(path, seed=SEED).to_dict()
                for volatile in ("seconds", "notebook", "sandbox"):
                    report.pop(volatile, None)
                snapshot[f"{lesson.id}/{kind}"] = report
                print(f"{lesson.id:18s} {kind:9s} {report['score']:6g} / {report['max_score']:g}",
                      flush=True)
    Path(out).write_text(json.dumps(snapshot, indent=1, sort_keys=True) + "\n")


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2:])
