"""Step: answers that use a library the exercise forbids score 0 before anything runs."""
from __future__ import annotations

import ast

from ..lessons import Lesson
from ..notebooks import Program
from ..sandbox.policy import FORBIDDEN_IN_NUMPY, policy
from .spec import Exercise


def forbidden_use(source: str, banned_names: tuple[str, ...] = FORBIDDEN_IN_NUMPY) -> str | None:
    """The forbidden library an answer imports, if any (static check, trusted side)."""
    try:
        tree = ast.parse(source)
    except SyntaxError:
        return None
    for node in ast.walk(tree):
        names = []
        if isinstance(node, ast.Import):
            names = [a.name for a in node.names]
        elif isinstance(node, ast.ImportFrom) and node.module:
            names = [node.module] + [f"{node.module}.{a.name}" for a in node.names]
        elif isinstance(node, ast.Constant) and isinstance(node.value, str):
            names = [node.value] if node.value in banned_names else []
        for name in names:
            for banned in banned_names:
                if name == banned or name.startswith(banned + "."):
                    return banned
    return None


def forbidden_message(library: str) -> str:
    return (f"Your answer uses {library}, which is not allowed in this NumPy exercise: "
            "implement it with NumPy. Scored 0.")


def banned_answers(lesson: Lesson, exercises: list[Exercise], prog: Program) -> dict[str, str]:
    """Exercise name -> the forbidden library its answer cell imports."""
    rules = policy(lesson.kind)
    out = {}
    for ex in exercises:
        numpy_only = rules.numpy_only if ex.numpy_only is None else ex.numpy_only
        library = forbidden_use(prog.answer_source.get(ex.name, ""), rules.static_ban) if numpy_only else None
        if library:
            out[ex.name] = library
    return out
