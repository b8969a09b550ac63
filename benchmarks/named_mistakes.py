"""How many held-out wrong answers lose points, and how many get a named hint ("Likely mistake").

Grades every entry of ``benchmarks/held_out_mistakes.py`` (written independently of the
known-mistake library) in the reference notebook of its lesson, with a fixed seed, and prints
per lesson: entries, how many lose points, how many of those the feedback names. With
``--hints`` it also prints each entry's hint, to read them for wrong ones.

    python benchmarks/named_mistakes.py [--hints] [LESSON ...]
"""
from __future__ import annotations

import json
import sys
import tempfile
from collections import defaultdict
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from held_out_mistakes import CORPUS  # noqa: E402

from autograder import lessons  # noqa: E402
from autograder.grading.engine import Grader  # noqa: E402
from autograder.grading.mistakes import Variant, rounds  # noqa: E402
from autograder.notebooks import with_answers  # noqa: E402

SEED = 20261201
HINT = "Likely mistake: "


def main(args: list[str]) -> None:
    show = "--hints" in args
    only = [a for a in args if not a.startswith("--")]
    by_lesson: dict[str, list[Variant]] = defaultdict(list)
    for lesson_id, exercise, name, code in CORPUS:
        if not only or lesson_id in only:
            by_lesson[lesson_id].append(Variant(exercise, name, code))
    grader, totals = Grader(), [0, 0, 0]
    print(f"{'lesson':16s} {'entries':>7s} {'lose pts':>8s} {'named':>6s}")
    with tempfile.TemporaryDirectory() as tmp:
        for lesson_id, variants in by_lesson.items():
            lesson = lessons.get(lesson_id)
            solution = json.loads(lesson.solution_path.read_text())
            lost = named = 0
            lines = []
            for i, rnd in enumerate(rounds(variants)):
                path = Path(tmp) / f"{lesson_id}-{i}.ipynb"
                path.write_text(json.dumps(with_answers(solution, {k: v.code for k, v in rnd.items()})))
                report = grader.grade(path, seed=SEED + i)
                for ex, v in rnd.items():
                    res = report.exercises[ex]
                    hint = next((ln[len(HINT):] for ln in res.feedback.splitlines() if ln.startswith(HINT)), "")
                    if res.score < res.max_score:
                        lost += 1
                        named += bool(hint)
                    status = "KEPT FULL MARKS" if res.score >= res.max_score else (
                        "named" if hint else "UNNAMED")
                    first = res.feedback.splitlines()[1] if "\n" in res.feedback else res.feedback
                    lines.append(f"  {ex} / {v.name}: {status}" + (f"\n      hint: {hint}" if hint else
                                                                   f"\n      first problem: {first}"))
            print(f"{lesson_id:16s} {len(variants):7d} {lost:8d} {named:6d}", flush=True)
            if show:
                print("\n".join(lines), flush=True)
            totals[0] += len(variants)
            totals[1] += lost
            totals[2] += named
    n, lost, named = totals
    print(f"{'all':16s} {n:7d} {lost:8d} {named:6d}   named: {100 * named / max(lost, 1):.0f} % of those losing points")


if __name__ == "__main__":
    main(sys.argv[1:])
