"""Reading submitted notebooks defensively and deciding what code of theirs to run.

A submission is untrusted data. Only its *answer cells* (matched by nbgrader grade_id)
and cells the student added are taken from it; every other cell comes from the
instructor's release, so edited teaching cells, edited metadata, deleted or moved cells
cannot change what is run or how many points there are.
"""
from __future__ import annotations

import ast
import json
import re
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

from .lessons import LESSONS, Lesson

MAX_NOTEBOOK_BYTES = 50 * 2**20


class NotebookError(Exception):
    """The file cannot be read as a notebook; the message is for the student."""


@dataclass
class Cell:
    cell_type: str
    source: str
    grade_id: str | None = None
    role: str = "other"  # answer | test | locked | other

    @classmethod
    def from_json(cls, raw) -> "Cell | None":
        if not isinstance(raw, dict):
            return None
        source = raw.get("source", "")
        if isinstance(source, list):
            source = "".join(s for s in source if isinstance(s, str))
        if not isinstance(source, str):
            source = ""
        meta = raw.get("metadata")
        nbg = meta.get("nbgrader") if isinstance(meta, dict) else None
        nbg = nbg if isinstance(nbg, dict) else {}
        gid = nbg.get("grade_id")
        role = "other"
        if nbg.get("solution") is True:
            role = "answer"
        elif nbg.get("grade") is True:
            role = "test"
        elif nbg.get("locked") is True:
            role = "locked"
        return cls(str(raw.get("cell_type", "")), source, gid if isinstance(gid, str) else None, role)


def read_cells(path: Path | str) -> list[Cell]:
    """The cells of a notebook file; raises NotebookError with a readable reason."""
    path = Path(path)
    if not path.exists():
        raise NotebookError(f"no such file: {path}")
    if path.is_dir():
        raise NotebookError(f"{path} is a directory, not a notebook file")
    size = path.stat().st_size
    if size == 0:
        raise NotebookError(f"{path.name} is empty")
    if size > MAX_NOTEBOOK_BYTES:
        raise NotebookError(f"{path.name} is {size / 2**20:.0f} MB; notebooks over "
                            f"{MAX_NOTEBOOK_BYTES // 2**20} MB are not graded (clear the outputs)")
    try:
        data = json.loads(path.read_bytes().decode("utf-8"))
    except UnicodeDecodeError:
        raise NotebookError(f"{path.name} is not a text file") from None
    except json.JSONDecodeError as e:
        raise NotebookError(f"{path.name} is not valid JSON (line {e.lineno}: {e.msg}); "
                            "was it truncated or edited by hand?") from None
    if not isinstance(data, dict) or not isinstance(data.get("cells"), list):
        raise NotebookError(f"{path.name} is JSON but not a Jupyter notebook (no list of cells)")
    return [c for c in map(Cell.from_json, data["cells"]) if c is not None]


def is_keras_demo(cell: Cell) -> bool:
    """Teaching cells that compare with Keras (grade id '<lesson>-keras-NN'); not run to grade."""
    return bool(cell.grade_id) and "-keras-" in cell.grade_id


def uses_any(source: str, names: set[str]) -> bool:
    """Whether code refers to any of ``names`` (a teaching cell that calls the exercises)."""
    try:
        tree = ast.parse(source)
    except SyntaxError:
        return False
    return any(isinstance(n, ast.Name) and n.id in names for n in ast.walk(tree))


def defines(source: str, name: str) -> bool:
    return re.search(rf"^\s*def\s+{re.escape(name)}\s*\(", source, re.M) is not None


@lru_cache(maxsize=None)
def answer_ids(release_path: Path) -> tuple[str, ...]:
    """The grade ids of a released lesson's answer cells (its exercises, in order)."""
    return tuple(c.grade_id for c in read_cells(release_path) if c.role == "answer" and c.grade_id)


def recognize_lesson(cells: list[Cell]) -> Lesson | None:
    """The lesson whose exercises this notebook has most of (grade ids, then definitions)."""
    best, best_score = None, 0
    ids = {c.grade_id for c in cells}
    for lesson in LESSONS.values():
        if not lesson.release_path.exists():
            continue
        names = answer_ids(lesson.release_path)
        code = "\n".join(c.source for c in cells if c.cell_type == "code")
        score = 2 * sum(n in ids for n in names) + sum(defines(code, n) for n in names)
        if score > best_score:
            best, best_score = lesson, score
    return best


@dataclass(frozen=True)
class ProgramCell:
    """One code cell to run: an answer (``exercise`` names it), a cell the student added, or a
    cell of the release (``index``: its position among the release's code cells, from 1)."""

    kind: str  # "answer" | "added" | "lesson"
    source: str
    exercise: str | None = None
    index: int = 0

    @property
    def label(self) -> str:
        if self.kind == "answer":
            return f"answer cell '{self.exercise}'"
        return "a cell you added" if self.kind == "added" else f"lesson cell {self.index}"


@dataclass
class Program:
    """The code cells to run, in order, and notes about how they were assembled."""

    cells: list[ProgramCell] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    answer_source: dict[str, str] = field(default_factory=dict)


def assemble(submitted: list[Cell], release: list[Cell], exercise_names: list[str]) -> Program:
    """Release cells in release order, with the student's answers and added cells."""
    prog = Program()
    known = {c.grade_id: c for c in release if c.grade_id}
    answers: dict[str, list[str]] = {}
    extras: dict[str | None, list[str]] = {}
    anchor = None
    for cell in submitted:
        if cell.cell_type != "code":
            continue
        rel = known.get(cell.grade_id)
        if rel is not None and rel.role == "answer":
            answers.setdefault(cell.grade_id, []).append(cell.source)
        elif rel is None:
            if cell.source.strip():
                extras.setdefault(anchor, []).append(cell.source)
            continue
        anchor = cell.grade_id

    release_code = [c for c in release if c.cell_type == "code"]
    names = set(exercise_names)
    for i, rel in enumerate(release_code):
        if rel.role == "test" or is_keras_demo(rel) or (rel.role != "answer" and uses_any(rel.source, names)):
            pass  # public checks, demonstrations of the student's functions, Keras comparisons
        elif rel.role == "answer":
            copies = answers.get(rel.grade_id, [])
            if len(copies) > 1:
                prog.notes.append(
                    f"the answer cell '{rel.grade_id}' appears {len(copies)} times; the last copy "
                    "counts, as it would when the notebook runs top to bottom")
            if copies:
                prog.cells.append(ProgramCell("answer", copies[-1], exercise=rel.grade_id))
                prog.answer_source[rel.grade_id] = copies[-1]
        else:
            prog.cells.append(ProgramCell("lesson", rel.source, index=i + 1))
        if i == 0:
            prog.cells += [ProgramCell("added", s) for s in extras.pop(None, [])]
        prog.cells += [ProgramCell("added", s) for s in extras.get(rel.grade_id, [])]

    added = "\n".join(c.source for c in prog.cells if c.kind == "added")
    for name in exercise_names:
        if name in answers:
            continue
        if defines(added, name):
            prog.notes.append(f"the answer cell '{name}' is missing; the definition of {name}() "
                              "found in a cell you added is graded instead")
            prog.answer_source[name] = added
        elif name in known:
            prog.notes.append(f"the answer cell '{name}' is missing from the notebook")
    return prog


def with_answers(notebook: dict, answers: dict[str, str]) -> dict:
    """A copy of a notebook (as JSON) whose answer cells for ``answers`` hold other code."""
    nb = json.loads(json.dumps(notebook))
    for cell in nb["cells"]:
        gid = cell.get("metadata", {}).get("nbgrader", {}).get("grade_id")
        if gid in answers and cell.get("metadata", {}).get("nbgrader", {}).get("solution"):
            cell["source"] = answers[gid]
    return nb
