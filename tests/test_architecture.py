"""The package's import graph: no cycle, and no module imports one above it (the CLI is the top;
content packages import only the grading toolkit; the sandbox imports nothing of ours but itself)."""
import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent / "autograder"
# Each layer may import only from layers to its right (and from itself).
LAYERS = [
    {"cli"},
    {"demo"},
    {"console", "insights"},
    {"batch"},
    {"collect", "feedback", "public_checks", "release"},
    {"gradebook", "coursedir", "nbgrader_api"},
    {"grading.engine"},
    {"grading.diagnose", "grading.verdict"},
    {"grading.judge"},
    {"grading.run", "grading.forbidden", "grading.truth"},
    {"course"},  # the lessons' content: tests, mistakes, references, Keras truths
    {"notebooks"},
    {"lessons"},
    {"grading"},  # the lesson authors' toolkit: spec, checks, compare, cases, mistakes, ground truth
    {"untrusted"},
    {"sandbox"},
]


def module_name(path: Path) -> str:
    rel = path.relative_to(ROOT).with_suffix("")
    parts = [p for p in rel.parts if p != "__init__"]
    return ".".join(parts)


def imports(path: Path) -> set[str]:
    """Modules of the autograder package this file imports, anywhere in it."""
    me = module_name(path).split(".")
    package = me if path.name == "__init__.py" else me[:-1]
    out = set()
    for node in ast.walk(ast.parse(path.read_text())):
        if isinstance(node, ast.ImportFrom):
            if node.level:
                base = package[: len(package) - node.level + 1]
                target = ".".join(base + ([node.module] if node.module else []))
                names = [f"{target}.{a.name}" if target else a.name for a in node.names]
                out |= {target} | set(names) if target else set(names)
            elif node.module and node.module.startswith("autograder"):
                out.add(node.module[len("autograder."):])
        elif isinstance(node, ast.Import):
            out |= {a.name[len("autograder."):] for a in node.names if a.name.startswith("autograder.")}
    return {m for m in out if m}


def graph() -> dict[str, set[str]]:
    files = {module_name(p): p for p in ROOT.rglob("*.py")}
    known = set(files)
    g = {}
    for name, path in files.items():
        deps = set()
        for m in imports(path):
            while m and m not in known:
                m = m.rpartition(".")[0]
            if m and m != name:
                deps.add(m)
        g[name] = deps
    return g


def layer_of(module: str) -> int:
    best = None
    for i, layer in enumerate(LAYERS):
        for prefix in layer:
            if module == prefix or module.startswith(prefix + "."):
                if best is None or len(prefix) > best[1]:
                    best = (i, len(prefix))
    assert best is not None, f"{module} belongs to no layer of tests/test_architecture.py"
    return best[0]


def test_no_import_cycle():
    g = graph()
    state: dict[str, int] = {}

    def visit(node, stack):
        state[node] = 1
        for dep in sorted(g.get(node, ())):
            if state.get(dep) == 1:
                pytest.fail("import cycle: " + " -> ".join(stack[stack.index(dep):] + [dep]))
            if dep not in state:
                visit(dep, stack + [dep])
        state[node] = 2

    for node in sorted(g):
        if node not in state:
            visit(node, [node])


def test_no_upward_import():
    upward = []
    for module, deps in graph().items():
        for dep in deps:
            if layer_of(dep) < layer_of(module):
                upward.append(f"{module} imports {dep}")
    assert not upward, "\n".join(sorted(upward))
