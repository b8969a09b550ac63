"""Step: an exercise's score and the feedback text the student reads."""
from __future__ import annotations

from collections import Counter

from .judge import Judgement
from .report import ExerciseResult
from .spec import Exercise

MAX_LISTED = 5  # distinct problems listed in the feedback


def not_graded(ex: Exercise, reason: str, cell_note: str = "") -> ExerciseResult:
    text = f"Not graded: {reason}." + (f" {cell_note}" if cell_note else "")
    return ExerciseResult(0.0, float(ex.points), False, text)


def scored(ex: Exercise, judgement: Judgement, hints: Counter, cell_note: str = "") -> ExerciseResult:
    n, problems = judgement.cases, judgement.problems
    passed = n - len(problems)
    score = round(float(ex.points) * passed / n, 2) if n else 0.0
    if not problems:
        return ExerciseResult(score, float(ex.points), True, f"All {n} checks passed.")
    if n and all(p.problem.startswith("raised NotImplementedError") for p in problems):
        return ExerciseResult(0.0, float(ex.points), False,
                              "Not attempted yet: the answer cell still raises NotImplementedError.")
    lines = [f"{len(problems)} of {n} checks failed:"]
    seen = set()
    for p in problems:
        if p.problem in seen or len(seen) >= MAX_LISTED:
            continue
        seen.add(p.problem)
        lines.append(f"- {p.case.label}: {p.problem}")
    if {p.case.group for p in problems} == {"large"} and passed:
        lines.append("It works for moderate inputs but not for large magnitudes: look for "
                     "overflow (exp of a large number) and use a numerically stable formula.")
    likely = hints.most_common(1)[0][0] if hints else ""
    if likely:
        lines.append("Likely mistake: " + likely)
    if cell_note:
        lines.append(cell_note)
    return ExerciseResult(score, float(ex.points), False, "\n".join(lines), likely)
