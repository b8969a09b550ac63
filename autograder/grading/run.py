"""Step: run the submission in a sandboxed kernel and bring back each exercise's results.

The program's cells run first (cells that hang or crash the kernel are skipped on a fresh
kernel), then the harness calls each exercise's function on its cases. What comes back is
decoded here into plain :class:`CallResult` values, so no later step reads the work folder.
"""
from __future__ import annotations

import json
import shutil
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

from ..notebooks import Program
from ..sandbox import wire
from ..sandbox.kernel import Limits, SandboxKernel
from .spec import Case, FuncArg, RngArg

SANDBOX = Path(__file__).resolve().parent.parent / "sandbox"
HARNESS_NAME = "__course_harness__"
SETUP_RESTARTS = 3
MAX_RESULT_BYTES = 400 * 2**20
MAX_TREE_BYTES = 20 * 2**20
MUTATED = "modified its input array in place; work on a copy or build a new array"


@dataclass
class CallResult:
    """What one call of the student's function gave: a value, or an error message."""

    value: object = None
    error: str | None = None  # the exception it raised, or why its value could not be read
    warning: str | None = None  # the first RuntimeWarning it emitted, if any
    mutated: bool = False  # it changed an input array in place

    @property
    def returned(self) -> bool:
        return self.error is None


@dataclass
class ExerciseRun:
    """How running one exercise went, and its calls' results (one per case, in case order)."""

    status: str = "ok"  # ok | failed | forbidden
    message: str = ""  # why it failed, or the forbidden libraries it loaded
    notes: list[str] = field(default_factory=list)  # e.g. the answer cell raised when run
    calls: list[CallResult] | None = None  # None: no results came back


@dataclass
class RunSettings:
    limits: Limits
    watched_files: dict
    total_timeout: float = 600.0
    exercise_timeout: float | None = None


def _wire_special(x):
    if isinstance(x, RngArg):
        return {"__rng__": x.seed}
    return {"__func__": x.source} if isinstance(x, FuncArg) else None


def write_calls(workdir: Path, cases: dict[str, list[Case]]) -> None:
    enc = wire.Encoder(special=_wire_special)
    calls = []
    for name, case_list in cases.items():
        for i, case in enumerate(case_list):
            calls.append({"id": i, "exercise": name, "func": name, "protocol": case.protocol,
                          "args": enc.encode(tuple(case.args)), "kwargs": enc.encode(case.kwargs)})
    (workdir / "calls.json").write_text(json.dumps({"calls": calls}))
    np.savez(workdir / "calls.npz", **enc.arrays)


def read_results(stem: Path):
    """The harness's output for one exercise, or None when missing, too large or malformed."""
    json_path, npz_path = Path(str(stem) + ".json"), Path(str(stem) + ".npz")
    try:
        if json_path.is_symlink() or npz_path.is_symlink():
            return None
        if json_path.stat().st_size > MAX_TREE_BYTES or npz_path.stat().st_size > MAX_RESULT_BYTES:
            return None
        tree, arrays = wire.load(str(stem))
        return (tree, arrays) if isinstance(tree, dict) and isinstance(tree.get("results"), list) else None
    except Exception:
        return None


def decode_calls(cases: list[Case], tree: dict, arrays: dict) -> list[CallResult]:
    """The harness's results as one :class:`CallResult` per case (untrusted data, read defensively)."""
    by_id = {r.get("id"): r for r in tree["results"] if isinstance(r, dict)}
    out = []
    for i, case in enumerate(cases):
        res = by_id.get(i, {"error": "no result came back for this call"})
        if "error" in res:
            out.append(CallResult(error=str(res["error"])[:500]))
            continue
        try:
            got = wire.decode(res["value"], arrays)
            after = wire.decode(res.get("args_after"), arrays)
        except Exception:
            out.append(CallResult(error="returned a value that could not be read"))
            continue
        warned = res.get("warnings") if isinstance(res.get("warnings"), list) else []
        before = [a for a in case.args if isinstance(a, np.ndarray)]
        mutated = isinstance(after, tuple) and len(after) == len(before) and not all(
            isinstance(a, np.ndarray) and a.shape == b.shape and np.array_equal(a, b, equal_nan=True)
            for a, b in zip(after, before))
        out.append(CallResult(got, warning=str(warned[0])[:200] if warned else None, mutated=mutated))
    return out


def _bootstrap() -> str:
    """Code that loads the harness into a private namespace of the kernel."""
    return "".join(
        f"exec(compile({(SANDBOX / name).read_text()!r}, {name[:-3]!r}, 'exec'), {HARNESS_NAME})\n"
        for name in ("wire.py", "protocols.py", "harness.py"))


def run_submission(prog: Program, cases: dict[str, list[Case]], settings: RunSettings,
                   timeouts: dict[str, float]) -> tuple[dict[str, ExerciseRun], str]:
    """Run the program, then each exercise in turn (in ``cases`` order), recovering from hangs
    and crashes. Returns the exercises' runs and how the kernel was isolated."""
    workdir = Path(tempfile.mkdtemp(prefix="course-grade-"))
    try:
        (workdir / "results").mkdir()
        write_calls(workdir, cases)
        runs, isolation = _run_in_kernel(prog, workdir, list(cases), settings, timeouts)
        for name, run in runs.items():
            if run.status == "ok":
                results = read_results(workdir / "results" / name)
                run.calls = decode_calls(cases[name], *results) if results is not None else None
        return runs, isolation
    finally:
        shutil.rmtree(workdir, ignore_errors=True)


def _run_in_kernel(prog: Program, workdir: Path, names: list[str], settings: RunSettings,
                   timeouts: dict[str, float]) -> tuple[dict[str, ExerciseRun], str]:
    runs = {name: ExerciseRun() for name in names}
    deadline = time.monotonic() + settings.total_timeout
    bootstrap = f"{HARNESS_NAME} = {{}}\n" + _bootstrap()
    skip: set[int] = set()
    cell_errors: dict[str, str] = {}
    watch = settings.watched_files
    isolation = ""

    kernel = SandboxKernel(workdir, settings.limits)
    try:
        kernel.start()
        isolation = kernel.isolation()
        ready, loaded = False, set()
        for name in names:
            run = runs[name]
            if time.monotonic() > deadline:
                run.status, run.message = "failed", "the submission used up its total time limit"
                continue
            if not ready:
                _setup(kernel, prog, skip, cell_errors, bootstrap)
                ready, loaded = True, kernel.loaded_files(watch)
            if loaded:
                run.status, run.message = "forbidden", " and ".join(sorted(loaded))
                continue
            restarts = kernel.restarts
            call = f"{HARNESS_NAME}['run_exercise']({str(workdir)!r}, {name!r}, get_ipython().user_ns)"
            limit = min(timeouts[name], settings.exercise_timeout or timeouts[name])
            result = kernel.execute(call, timeout=min(limit, max(1.0, deadline - time.monotonic())))
            if result.status == "timeout":
                run.status, run.message = "failed", f"timed out: the calls did not finish within {limit:g} s"
            elif result.status == "died":
                run.status, run.message = "failed", "the kernel died while running it (crash, exit or memory limit)"
            elif result.status == "error":
                run.status, run.message = "failed", f"it could not be run ({result.error})"
            ready = kernel.restarts == restarts and kernel.alive()
            if ready and watch:
                used = kernel.loaded_files(watch)
                if used:
                    run.status, run.message = "forbidden", " and ".join(sorted(used))
                    ready = False  # a fresh kernel for the next exercise
                    kernel.restart()
        for name, err in cell_errors.items():
            if name in runs:
                runs[name].notes.append(err)
    finally:
        kernel.shutdown()
    return runs, isolation


def _setup(kernel: SandboxKernel, prog: Program, skip: set[int], cell_errors: dict, bootstrap: str) -> None:
    """Run the program's cells (skipping ones that hung or crashed), then the harness."""
    for _ in range(SETUP_RESTARTS + 1):
        restarts = kernel.restarts
        for i, cell in enumerate(prog.cells):
            if i in skip:
                continue
            res = kernel.execute(cell.source)
            if res.status == "error" and cell.kind == "answer":
                cell_errors[cell.exercise] = f"Running your answer cell raised {res.error}."
            if res.status in ("timeout", "died"):
                skip.add(i)
                if cell.kind == "answer":
                    cell_errors[cell.exercise] = f"Your answer cell {res.error}; it was skipped."
                if kernel.restarts != restarts:
                    break  # fresh kernel: run everything again without that cell
        else:
            kernel.execute(bootstrap)
            return
