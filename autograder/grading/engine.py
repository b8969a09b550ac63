"""Grades one submitted notebook. No student code runs in this process.

The student's code runs in a sandboxed kernel (``sandbox.kernel``); the harness there
calls the student's functions on inputs drawn here from the run's seed and sends back
plain data. Expected values, comparisons, scores and feedback are all computed here.
"""
from __future__ import annotations

import ast
import copy
import json
import secrets
import shutil
import tempfile
import time
import zlib
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

from ..lessons import Lesson
from ..sandbox.policy import FORBIDDEN_IN_NUMPY, limits_for, policy
from .mistakes import Raised
from ..notebooks import NotebookError, Program, assemble, read_cells, recognize_lesson
from ..sandbox import wire
from ..sandbox.kernel import Limits, SandboxKernel
from . import ground_truth
from .compare import compare_values
from .report import ExerciseResult, Report
from ..sandbox import protocols
from .spec import MISSING, Case, Exercise, FuncArg, RngArg

SANDBOX = Path(__file__).resolve().parent.parent / "sandbox"
HARNESS_NAME = "__course_harness__"
SETUP_RESTARTS = 3
MAX_RESULT_BYTES = 400 * 2**20


def case_rng(seed: int, exercise: str) -> np.random.Generator:
    """Each exercise draws from its own stream, so adding cases elsewhere changes nothing."""
    return np.random.default_rng([seed, zlib.crc32(exercise.encode())])


def forbidden_use(source: str) -> str | None:
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
            names = [node.value] if node.value in FORBIDDEN_IN_NUMPY else []
        for name in names:
            for banned in FORBIDDEN_IN_NUMPY:
                if name == banned or name.startswith(banned + "."):
                    return banned
    return None


def _for_reference(value):
    """Arguments as the reference sees them: fresh copies, generators made from seeds."""
    if isinstance(value, (RngArg, FuncArg)):
        return value.make()
    if isinstance(value, tuple):
        return tuple(_for_reference(v) for v in value)
    if isinstance(value, list):
        return [_for_reference(v) for v in value]
    if isinstance(value, dict):
        return {k: _for_reference(v) for k, v in value.items()}
    return copy.deepcopy(value)


def _read_results(stem: Path):
    """The harness's output for one exercise, or None when missing, too large or malformed."""
    json_path, npz_path = Path(str(stem) + ".json"), Path(str(stem) + ".npz")
    try:
        if json_path.is_symlink() or npz_path.is_symlink():
            return None
        if json_path.stat().st_size > 20 * 2**20 or npz_path.stat().st_size > MAX_RESULT_BYTES:
            return None
        tree, arrays = wire.load(str(stem))
        return (tree, arrays) if isinstance(tree, dict) and isinstance(tree.get("results"), list) else None
    except Exception:
        return None


def _keras_judged(case: Case) -> bool:
    return case.check is None and not case.stochastic and case.expected is MISSING


def _wire_special(x):
    if isinstance(x, RngArg):
        return {"__rng__": x.seed}
    return {"__func__": x.source} if isinstance(x, FuncArg) else None


def forbidden_message(library: str) -> str:
    return (f"Your answer uses {library}, which is not allowed in this NumPy exercise: "
            "implement it with NumPy. Scored 0.")


@dataclass
class Outcome:
    """How running one exercise in the kernel went (before any judgement of its results)."""

    status: str = "ok"  # ok | failed | forbidden
    message: str = ""
    notes: list[str] = field(default_factory=list)  # e.g. the answer cell raised when run


class RunTruth:
    """One exercise's cases for one seed, and their expected values, computed once."""

    def __init__(self, ex: Exercise, cases: list[Case], keras_future=None):
        self.ex, self.cases, self._future = ex, cases, keras_future
        self._expected: dict[int, object] = {}
        self._keras = None

    def expected(self, case: Case):
        if case.expected is not MISSING or self.ex.reference is None:
            return case.expected
        if id(case) not in self._expected:
            self._expected[id(case)] = protocols.run(case.protocol, self.ex.reference,
                                                     _for_reference(case.args), _for_reference(case.kwargs))
        return self._expected[id(case)]

    def keras_values(self) -> list:
        if self._keras is None:
            self._keras = self._future.result()
        return self._keras


class Grader:
    """Grades notebooks of any lesson; holds nothing between notebooks but settings.

    ``course_root``: the course directory whose gradebook and submissions student code must
    not see (the repository's are always hidden). ``limits`` replaces the per-lesson limits.
    """

    def __init__(self, limits: Limits | None = None, total_timeout: float = 600.0,
                 course_root: Path | None = None, cell_timeout: float | None = None,
                 exercise_timeout: float | None = None):
        self.limits = limits
        self.total_timeout = total_timeout
        self.course_root = course_root
        self.cell_timeout = cell_timeout
        self.exercise_timeout = exercise_timeout
        self._truths: dict[tuple[str, int], RunTruth] = {}

    def grade(self, path: Path | str, seed: int | None = None, share: Path | None = None) -> Report:
        """Grade one notebook. ``share``: a folder of the grading run where grading processes
        share the Keras ground truth (see ground_truth.submit)."""
        start = time.monotonic()
        seed = secrets.randbits(31) if seed is None else int(seed)
        report = Report(str(path), seed)
        try:
            self._grade(Path(path), report, share)
        except NotebookError as e:
            report.errors.append(str(e))
        report.seconds = time.monotonic() - start
        return report

    # -- steps -------------------------------------------------------------------------
    def _grade(self, path: Path, report: Report, share: Path | None = None) -> None:
        cells = read_cells(path)
        lesson = recognize_lesson(cells)
        if lesson is None:
            raise NotebookError(f"{path.name} is not a notebook of this course: it contains none "
                                "of the lessons' exercises")
        report.lesson = lesson.id
        exercises = lesson.exercises()
        for ex in exercises:
            report.exercises[ex.name] = ExerciseResult(0.0, float(ex.points), False, "not graded")
        prog = assemble(cells, read_cells(lesson.release_path), [ex.name for ex in exercises])
        report.errors += prog.notes

        to_run = []
        for ex in exercises:
            numpy_only = policy(lesson.kind).numpy_only if ex.numpy_only is None else ex.numpy_only
            banned = forbidden_use(prog.answer_source.get(ex.name, "")) if numpy_only else None
            if banned:
                report.exercises[ex.name].feedback = forbidden_message(banned)
            else:
                to_run.append(ex)
        truth = {ex.name: self._truth_for_run(ex, report.seed, share) for ex in to_run}
        cases = {name: t.cases for name, t in truth.items()}

        workdir = Path(tempfile.mkdtemp(prefix="course-grade-"))
        try:
            (workdir / "results").mkdir()
            self._write_calls(workdir, cases)
            outcomes = self._run_in_kernel(lesson, prog, workdir, to_run, report)
            mistakes = lesson.mistakes().MISTAKES
            for ex in to_run:
                known = [m for m in mistakes if m.exercise == ex.name and m.hint]
                report.exercises[ex.name] = self._judge(ex, truth[ex.name], outcomes[ex.name],
                                                        workdir, known, report.errors)
        finally:
            shutil.rmtree(workdir, ignore_errors=True)

    def _write_calls(self, workdir: Path, cases: dict[str, list[Case]]) -> None:
        enc = wire.Encoder(special=_wire_special)
        calls = []
        for name, case_list in cases.items():
            for i, case in enumerate(case_list):
                calls.append({"id": i, "exercise": name, "func": name, "protocol": case.protocol,
                              "args": enc.encode(tuple(case.args)), "kwargs": enc.encode(case.kwargs)})
        (workdir / "calls.json").write_text(json.dumps({"calls": calls}))
        np.savez(workdir / "calls.npz", **enc.arrays)

    def _limits(self, lesson: Lesson) -> Limits:
        if self.limits is not None:
            return self.limits
        return limits_for(lesson.kind, self.course_root, self.cell_timeout)

    def _run_in_kernel(self, lesson: Lesson, prog: Program, workdir: Path,
                       exercises: list[Exercise], report: Report) -> dict[str, Outcome]:
        """Run the program, then each exercise in turn, recovering from hangs and crashes."""
        outcomes = {ex.name: Outcome() for ex in exercises}
        deadline = time.monotonic() + self.total_timeout
        bootstrap = (f"{HARNESS_NAME} = {{}}\n"
                     f"exec(compile({(SANDBOX / 'wire.py').read_text()!r}, 'wire', 'exec'), {HARNESS_NAME})\n"
                     f"exec(compile({(SANDBOX / 'protocols.py').read_text()!r}, 'protocols', 'exec'), {HARNESS_NAME})\n"
                     f"exec(compile({(SANDBOX / 'harness.py').read_text()!r}, 'harness', 'exec'), {HARNESS_NAME})\n")
        skip: set[int] = set()
        cell_errors: dict[str, str] = {}
        watch = policy(lesson.kind).watched_files

        kernel = SandboxKernel(workdir, self._limits(lesson))
        try:
            kernel.start()
            report.sandbox = kernel.isolation()
            ready, loaded = False, set()
            for ex in exercises:
                out = outcomes[ex.name]
                if time.monotonic() > deadline:
                    out.status, out.message = "failed", "the submission used up its total time limit"
                    continue
                if not ready:
                    self._setup(kernel, prog, skip, cell_errors, bootstrap)
                    ready, loaded = True, kernel.loaded_files(watch)
                if loaded:
                    out.status, out.message = "forbidden", " and ".join(sorted(loaded))
                    continue
                restarts = kernel.restarts
                call = (f"{HARNESS_NAME}['run_exercise']({str(workdir)!r}, {ex.name!r}, "
                        "get_ipython().user_ns)")
                limit = min(ex.timeout, self.exercise_timeout or ex.timeout)
                result = kernel.execute(call, timeout=min(limit, max(1.0, deadline - time.monotonic())))
                if result.status == "timeout":
                    out.status, out.message = "failed", f"timed out: the calls did not finish within {limit:g} s"
                elif result.status == "died":
                    out.status, out.message = "failed", "the kernel died while running it (crash, exit or memory limit)"
                elif result.status == "error":
                    out.status, out.message = "failed", f"it could not be run ({result.error})"
                ready = kernel.restarts == restarts and kernel.alive()
                if ready and watch:
                    used = kernel.loaded_files(watch)
                    if used:
                        out.status, out.message = "forbidden", " and ".join(sorted(used))
                        ready = False  # a fresh kernel for the next exercise
                        kernel.restart()
            for name, err in cell_errors.items():
                if name in outcomes:
                    outcomes[name].notes.append(err)
        finally:
            kernel.shutdown()
        return outcomes

    def _setup(self, kernel: SandboxKernel, prog: Program, skip: set[int], cell_errors: dict,
               bootstrap: str) -> None:
        """Run the program's cells (skipping ones that hung or crashed), then the harness."""
        for _ in range(SETUP_RESTARTS + 1):
            restarts = kernel.restarts
            for i, (label, source) in enumerate(prog.cells):
                if i in skip:
                    continue
                res = kernel.execute(source)
                if res.status in ("error",) and label.startswith("answer cell '"):
                    name = label.split("'")[1]
                    cell_errors[name] = f"Running your answer cell raised {res.error}."
                if res.status in ("timeout", "died"):
                    skip.add(i)
                    if label.startswith("answer cell '"):
                        cell_errors[label.split("'")[1]] = f"Your answer cell {res.error}; it was skipped."
                    if kernel.restarts != restarts:
                        break  # fresh kernel: run everything again without that cell
            else:
                kernel.execute(bootstrap)
                return

    def _truth_for_run(self, ex: Exercise, seed: int, share: Path | None = None) -> "RunTruth":
        """The exercise's cases for this seed, with their reference and Keras values.

        Every submission of a grading run uses the run's seed, so this is computed once per
        process and reused for the rest of the batch (the Keras values in the background, and
        with ``share`` once for all the run's processes).
        """
        key = (ex.name, seed)
        if key not in self._truths:
            if len(self._truths) > 256:
                self._truths.clear()
            cases = ex.cases(case_rng(seed, ex.name))
            future = None
            if ex.keras is not None:
                future = ground_truth.submit(ex.keras, [(_for_reference(c.args), _for_reference(c.kwargs))
                                                        for c in cases if _keras_judged(c)],
                                             share=share / f"seed{seed}" if share else None,
                                             key=f"{ex.keras.module}.{ex.name}")
            self._truths[key] = RunTruth(ex, cases, future)
        return self._truths[key]

    def _judge(self, ex: Exercise, truth: "RunTruth", outcome: Outcome, workdir: Path,
               mistakes: list, errors: list | None = None) -> ExerciseResult:
        cases = truth.cases
        keras_values = iter(truth.keras_values()) if ex.keras is not None else None
        stem = workdir / "results" / ex.name
        cell_note = " ".join(outcome.notes)
        if outcome.status == "forbidden":
            return ExerciseResult(0.0, float(ex.points), False, forbidden_message(outcome.message))
        results = _read_results(stem) if outcome.status == "ok" else None
        if results is None:
            reason = outcome.message or "no results came back"
            text = f"Not graded: {reason}." + (f" {cell_note}" if cell_note else "")
            return ExerciseResult(0.0, float(ex.points), False, text)
        tree, arrays = results
        by_id = {r.get("id"): r for r in tree["results"] if isinstance(r, dict)}

        got_by_case: dict[str, object] = {}
        warned_cases: dict[int, str] = {}
        decoded: list[tuple[Case, object, str | None]] = []
        for i, case in enumerate(cases):
            res = by_id.get(i, {"error": "no result came back for this call"})
            if "error" in res:
                decoded.append((case, None, str(res["error"])[:500]))
                continue
            try:
                got = wire.decode(res["value"], arrays)
                after = wire.decode(res.get("args_after"), arrays)
            except Exception:
                decoded.append((case, None, "returned a value that could not be read"))
                continue
            got_by_case[case.id or str(i)] = got
            warned = res.get("warnings") if isinstance(res.get("warnings"), list) else []
            decoded.append((case, got, None))
            if warned and not ex.allow_warnings:
                warned_cases[id(case)] = str(warned[0])[:200]
            before = [a for a in case.args if isinstance(a, np.ndarray)]
            if not ex.may_mutate and isinstance(after, tuple) and len(after) == len(before) and not all(
                    isinstance(a, np.ndarray) and a.shape == b.shape and np.array_equal(a, b, equal_nan=True)
                    for a, b in zip(after, before)):
                decoded[-1] = (case, got, "modified its input array in place; "
                                          "work on a copy or build a new array")

        problems: list[tuple[Case, str]] = []
        hints: Counter = Counter()
        for case, got, error in decoded:
            keras_value = next(keras_values) if keras_values is not None and _keras_judged(case) else None
            expected = truth.expected(case)
            raised = error if error is not None and got is None else None
            if raised is not None:
                problem = raised if raised.startswith("returned") else f"raised {raised}"
            else:
                problem = error or ex.judge(case, got, expected, got_by_case)
                if keras_value is not None and not problem:
                    problem = self._against_keras(ex, case, got, expected, keras_value, errors)
            warning_only = not problem and id(case) in warned_cases
            if warning_only:
                problem = (f"the right values, but it emitted {warned_cases[id(case)]} "
                           "(a numerically stable formula emits no warning)")
            if problem:
                problems.append((case, problem))
                if not case.stochastic and expected is not MISSING:
                    hints.update(self._diagnose(ex, case, got, raised, expected, mistakes, warning_only))
        return self._feedback(ex, cases, problems, hints, cell_note)

    @staticmethod
    def _against_keras(ex: Exercise, case: Case, got, expected, truth, errors) -> str | None:
        """The student must match Keras too; reference and Keras must agree (else: our bug)."""
        if isinstance(truth, Exception) or compare_values(expected, truth, ex.tolerance, case.float32):
            note = f"internal: reference and Keras disagree for {ex.name} on {case.label} ({truth})"
            if errors is not None and note not in errors:
                errors.append(note)
            return None
        problem = compare_values(got, truth, ex.tolerance, case.float32, ex.require_float, ex.returns)
        return f"does not match Keras: {problem}" if problem else None

    @staticmethod
    def _diagnose(ex: Exercise, case: Case, got, error: str | None, expected, mistakes: list,
                  warning_only: bool = False) -> list[str]:
        """Hints of the known mistakes that behave like the student's answer on this case."""
        matched = []
        for m in mistakes:
            out, warned = m.run_noting_warnings(_for_reference(case.args), _for_reference(case.kwargs),
                                                case.protocol)
            if isinstance(out, Raised):
                if error and error.startswith(out.exception + ":"):
                    matched.append(m.hint)
                continue
            wrong = ex.judge(case, out, expected, {}) is not None
            if error or not (wrong or (warning_only and warned and not ex.allow_warnings)):
                continue  # the mistake is right on this case, so it explains nothing
            if compare_values(got, out, ex.tolerance, case.float32) is None and (
                    not ex.require_float or np.asarray(got).dtype.kind == np.asarray(out).dtype.kind):
                matched.append(m.hint)
        return matched

    @staticmethod
    def _feedback(ex: Exercise, cases: list[Case], problems: list[tuple[Case, str]],
                  hints: Counter, cell_note: str) -> ExerciseResult:
        n = len(cases)
        passed = n - len(problems)
        score = round(float(ex.points) * passed / n, 2) if n else 0.0
        if not problems:
            return ExerciseResult(score, float(ex.points), True, f"All {n} checks passed.")
        if n and all(p.startswith("raised NotImplementedError") for _, p in problems):
            return ExerciseResult(0.0, float(ex.points), False,
                                  "Not attempted yet: the answer cell still raises NotImplementedError.")
        lines = [f"{len(problems)} of {n} checks failed:"]
        seen = set()
        for case, problem in problems:
            if problem in seen or len(seen) >= 5:
                continue
            seen.add(problem)
            lines.append(f"- {case.label}: {problem}")
        groups_failed = {c.group for c, _ in problems}
        if groups_failed == {"large"} and passed:
            lines.append("It works for moderate inputs but not for large magnitudes: look for "
                         "overflow (exp of a large number) and use a numerically stable formula.")
        if hints:
            lines.append("Likely mistake: " + hints.most_common(1)[0][0])
        if cell_note:
            lines.append(cell_note)
        return ExerciseResult(score, float(ex.points), False, "\n".join(lines))


def grade_notebook(path: Path | str, seed: int | None = None) -> Report:
    return Grader().grade(path, seed)
