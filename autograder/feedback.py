"""Per-student feedback: the graded notebook (autograded/) and nbgrader's HTML page (feedback/)."""
from __future__ import annotations

import base64
import functools
import hashlib
import json
import queue
import re
import threading
from pathlib import Path

from . import untrusted
from .coursedir import CourseDir
from .grading.report import Report
from .lessons import Lesson
from .notebooks import Cell, NotebookError, read_cells


def _student_answers(notebook: Path) -> dict[str, str]:
    try:
        cells = read_cells(notebook)
    except NotebookError:
        return {}
    answers: dict[str, str] = {}
    for c in cells:
        if c.role == "answer" and c.grade_id and c.cell_type == "code":
            answers[c.grade_id] = c.source  # the last copy counts, as when grading
    return answers


def _summary(report: Report) -> str:
    lines = [f"# Autograder feedback: {report.score:g} / {report.max_score:g} points", ""]
    for name, r in report.exercises.items():
        mark = "passed" if r.passed else "needs work"
        lines.append(f"- `{name}`: {r.score:g} / {r.max_score:g} ({mark})")
    if report.errors:
        lines += ["", "**About your notebook:**", "",
                  untrusted.markdown("\n".join(f"- {e}" for e in report.errors))]
    lines += ["", f"*Graded with seed {report.seed}. The hidden tests use fresh random inputs; the "
                  "comment under each answer says what failed.*"]
    return "\n".join(lines)


def graded_notebook(lesson: Lesson, submitted: Path, report: Report) -> dict:
    """The release notebook with the student's answers, a summary, and feedback under each check."""
    nb = json.loads(lesson.release_path.read_text())
    answers = _student_answers(submitted)
    for raw in nb["cells"]:
        cell = Cell.from_json(raw)
        if cell.role == "answer":
            raw["source"] = answers.get(cell.grade_id, "# (no answer cell for this exercise was found)")
        if raw["cell_type"] == "code":
            raw["outputs"], raw["execution_count"] = [], None
        if cell.role == "test" and cell.grade_id and cell.grade_id.startswith("check_"):
            result = report.exercises.get(cell.grade_id[len("check_"):])
            if result is not None:
                raw["outputs"] = [{"output_type": "stream", "name": "stdout",
                                   "text": f"Hidden tests: {result.score:g} / {result.max_score:g}\n"
                                           f"{untrusted.terminal(result.feedback)}\n"}]
    nb["cells"].insert(0, {"cell_type": "markdown", "metadata": {}, "source": _summary(report),
                           "id": "autograder-summary"})
    return nb


def write(course: CourseDir, student: str, lesson: Lesson, submitted: Path, report: Report) -> Path:
    folder = course.autograded(student, lesson.id)
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / lesson.notebook
    path.write_text(json.dumps(graded_notebook(lesson, submitted, report), indent=1))
    stamp = submitted.parent / "timestamp.txt"
    if stamp.exists():
        (folder / "timestamp.txt").write_text(stamp.read_text())
    return path


# The page's only scripts: MathJax (as nbconvert loads it, with nbconvert's settings) and its
# settings. MathJax runs `text/x-mathjax-config` blocks through eval, which the policy forbids,
# so the settings are a plain inline script, allowed by its hash.
MATHJAX_URL = "https://cdnjs.cloudflare.com/ajax/libs/mathjax/2.7.7/MathJax.js?config=TeX-AMS_CHTML-full,Safe"
MATHJAX_CDN = "https://cdnjs.cloudflare.com"
MATHJAX_SETTINGS = r"""window.MathJax = {
  TeX: {equationNumbers: {autoNumber: "AMS", useLabelIds: true}},
  tex2jax: {inlineMath: [["$", "$"], ["\\(", "\\)"]], displayMath: [["$$", "$$"], ["\\[", "\\]"]],
            processEscapes: true, processEnvironments: true},
  displayAlign: "center", messageStyle: "none", CommonHTML: {linebreaks: {automatic: true}}
};"""
_SETTINGS_HASH = base64.b64encode(hashlib.sha256(MATHJAX_SETTINGS.encode()).digest()).decode()
CONTENT_SECURITY_POLICY = (
    f"default-src 'none'; script-src 'sha256-{_SETTINGS_HASH}' {MATHJAX_CDN}; "
    f"style-src 'unsafe-inline' {MATHJAX_CDN}; font-src 'self' {MATHJAX_CDN} data:; img-src data:; "
    "base-uri 'none'; form-action 'none'")
PAGE_STYLE = "div.panel-footer pre { white-space: pre-wrap; }"  # long feedback lines wrap


def secure_page(page: str) -> str:
    """A feedback page rebuilt with nothing live from the notebook left in it.

    The head keeps its title and style sheets (the template's) and gets a Content-Security-Policy
    and MathJax; the body, where everything from the notebook and the gradebook is, goes
    through an allowlist sanitizer (``untrusted.clean_html``). Student text in it was already
    escaped where it was written; this is the second line of defence.
    """
    from bs4 import BeautifulSoup

    soup = BeautifulSoup(page, "html.parser")
    head = soup.head or soup.new_tag("head")
    title = head.title.get_text() if head.title else ""
    # A style element's text ends at "</style" in a browser; none of the template's holds that.
    styles = [s.string or "" for s in head.find_all("style", recursive=False)]
    styles = [s for s in styles if not re.search("</style", s, re.I)] + [PAGE_STYLE]
    body = soup.body or soup.new_tag("body")
    for nested in body.find_all("body"):  # nbgrader's template wraps nbconvert's <body> in its own
        nested.unwrap()
    return "\n".join([
        "<!DOCTYPE html>", "<html>", "<head>", '<meta charset="utf-8">',
        f'<meta http-equiv="Content-Security-Policy" content="{CONTENT_SECURITY_POLICY}">',
        f"<title>{untrusted.html(title)}</title>",
        *(f"<style>{s}</style>" for s in styles),
        f"<script>{MATHJAX_SETTINGS}</script>",
        f'<script src="{MATHJAX_URL}"></script>',
        "</head>", f"<body>{untrusted.clean_html(body.decode_contents())}</body>", "</html>", ""])


@functools.cache
def _secure_exporter():
    """nbconvert's HTML exporter, whose pages come out through ``secure_page``."""
    from nbconvert.exporters import HTMLExporter

    class SecureFeedbackExporter(HTMLExporter):
        def from_notebook_node(self, nb, resources=None, **kw):
            page, resources = super().from_notebook_node(nb, resources, **kw)
            return secure_page(page), resources

    return SecureFeedbackExporter


def generate_html(course: CourseDir, lesson_id: str, student: str | None = None) -> None:
    """nbgrader's generate_feedback: autograded/ + gradebook -> feedback/<student>/<lesson>/*.html.

    The pages are secured (``secure_page``) before nbgrader writes them.
    """
    from traitlets.config import Config

    from .nbgrader_api import make_api

    config = Config()
    config.CourseDirectory.root = str(course.root)
    config.CourseDirectory.db_url = course.db_url
    config.CourseDirectory.course_id = "dl-fundamentals"
    config.GenerateFeedback.exporter_class = _secure_exporter()
    api = make_api(config)
    result = api.generate_feedback(lesson_id, student_id=student, force=True)
    if not result.get("success"):
        raise RuntimeError(f"nbgrader generate_feedback failed for {lesson_id}: "
                           f"{result.get('error') or result.get('log')}")


class FeedbackPages:
    """Writes the students' HTML pages in a background thread while grading goes on.

    ``add`` queues a student as soon as their report is in the gradebook; ``finish`` waits
    until every queued page is written and raises if one failed. After Ctrl-C it only lets the
    page being written finish: the others are written by the next run (:func:`stale_pages`).
    """

    def __init__(self, course: CourseDir):
        self.course = course
        self._queue: queue.Queue = queue.Queue()
        self._errors: list[str] = []
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._work, name="feedback pages", daemon=True)
        self._thread.start()

    def add(self, lesson_id: str, student: str) -> None:
        self._queue.put((lesson_id, student))

    def _work(self) -> None:
        while (item := self._queue.get()) is not None:
            for attempt in range(3):  # the gradebook may be busy with the grading's own writes
                if self._stop.is_set():
                    break
                try:
                    generate_html(self.course, *item)
                    break
                except Exception as exc:  # reported by finish(); the other pages are still written
                    if attempt == 2:
                        self._errors.append(f"{item[1]}/{item[0]}: {exc}")

    def finish(self, interrupted: bool = False) -> None:
        if interrupted:
            self._stop.set()
        self._queue.put(None)
        self._thread.join()
        if self._errors and not interrupted:
            raise RuntimeError("some feedback pages could not be written: " + "; ".join(self._errors))


def stale_pages(course: CourseDir) -> list[tuple[str, str]]:
    """(lesson, student) of graded notebooks whose page is missing or older than the grading."""
    out = []
    root = course.root / "autograded"
    for graded in sorted(root.glob("*/*/*.ipynb")) if root.is_dir() else []:
        student, lesson = graded.parent.parent.name, graded.parent.name
        if graded.stem != lesson:
            continue
        page = course.feedback(student, lesson) / f"{lesson}.html"
        if not page.exists() or page.stat().st_mtime < graded.stat().st_mtime:
            out.append((lesson, student))
    return out
