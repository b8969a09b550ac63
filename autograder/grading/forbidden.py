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


def forbidden_aliases(sources: list[str], banned_names: tuple[str, ...] = FORBIDDEN_IN_NUMPY) -> dict[str, str]:
    """Names that cells bind to a forbidden library (``import tensorflow as tf`` -> {"tf": ...})."""
    def banned(module: str) -> str | None:
        return next((b for b in banned_names if module == b or module.startswith(b + ".")), None)
    out: dict[str, str] = {}
    for source in sources:
        try:
            tree = ast.parse(source)
        except SyntaxError:
            continue
        for node in ast.walk(tree):
            if isinstance(node, ast.Import):
                for a in node.names:
                    if banned(a.name):
                        out[a.asname or a.name.split(".")[0]] = banned(a.name)
            elif isinstance(node, ast.ImportFrom) and node.module and banned(node.module):
                for a in node.names:
                    out[a.asname or a.name] = banned(node.module)
    return out


def uses_alias(source: str, aliases: dict[str, str]) -> str | None:
    """The forbidden library an answer reaches through a name bound elsewhere (``tf.clip...``)."""
    try:
        tree = ast.parse(source)
    except SyntaxError:
        return None
    names = [n for n in ast.walk(tree) if isinstance(n, ast.Name)]
    own = {n.id for n in names if not isinstance(n.ctx, ast.Load)}
    own |= {a.arg for n in ast.walk(tree) if isinstance(n, (ast.FunctionDef, ast.Lambda))
            for a in n.args.args + n.args.kwonlyargs + n.args.posonlyargs}
    for n in names:
        if isinstance(n.ctx, ast.Load) and n.id in aliases and n.id not in own:
            return aliases[n.id]
    return None


def forbidden_message(library: str) -> str:
    return (f"Your answer uses {library}, which is not allowed in this NumPy exercise: "
            "implement it with NumPy. Scored 0.")


def banned_answers(lesson: Lesson, exercises: list[Exercise], prog: Program) -> dict[str, str]:
    """Exercise name -> the forbidden library its answer cell imports."""
    rules = policy(lesson.kind)
    aliases = forbidden_aliases([c.source for c in prog.cells], rules.static_ban) if rules.static_ban else {}
    out = {}
    for ex in exercises:
        numpy_only = rules.numpy_only if ex.numpy_only is None else ex.numpy_only
        if not numpy_only:
            continue
        source = prog.answer_source.get(ex.name, "")
        library = forbidden_use(source, rules.static_ban) or uses_alias(source, aliases)
        if library:
            out[ex.name] = library
    return out
