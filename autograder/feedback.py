"""Per-student feedback: the graded notebook (autograded/) and nbgrader's HTML page (feedback/)."""
from __future__ import annotations

import functools
import html
import json
import queue
import re
import secrets
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
    # nbgrader's release_feedback needs both beside the page; the secret names it in the exchange
    for name in ("timestamp.txt", "submission_secret.txt"):
        if (submitted.parent / name).exists():
            (folder / name).write_text((submitted.parent / name).read_text())
    return path


# The page has no script at all: its math is typeset when the page is built (LaTeX to MathML,
# which browsers render natively), so it reads the same offline, from an LMS or an e-mail, in
# nbgrader's exchange (which copies the HTML file alone), and nothing in it can run.
CONTENT_SECURITY_POLICY = ("default-src 'none'; script-src 'none'; style-src 'unsafe-inline'; "
                           "font-src 'self' data:; img-src data:; base-uri 'none'; form-action 'none'")
PAGE_STYLE = """div.panel-footer pre { white-space: pre-wrap; }
.verdict { margin-left: 1em; padding: 1px 6px; border-radius: 3px; font-weight: bold; }
.verdict-passed { background: #dff0d8; color: #2b542c; }
.verdict-failed { background: #f2dede; color: #843534; }
math[display="block"] { margin: 0.6em 0; }"""

# What latex2mathml produces; anything else it might emit (\href's href, unknown elements) is dropped.
MATH_TAGS = frozenset({
    "math", "mi", "mn", "mo", "ms", "mspace", "mtext", "mrow", "mfrac", "msqrt", "mroot", "mstyle",
    "merror", "mpadded", "mphantom", "menclose", "msub", "msup", "msubsup", "munder", "mover",
    "munderover", "mmultiscripts", "mprescripts", "none", "mtable", "mtr", "mtd"})
MATH_ATTRIBUTES = frozenset({
    "display", "mathvariant", "stretchy", "fence", "separator", "form", "lspace", "rspace", "accent",
    "accentunder", "columnalign", "columnspan", "rowspan", "rowalign", "minsize", "maxsize",
    "symmetric", "largeop", "movablelimits", "width", "height", "depth", "displaystyle",
    "scriptlevel", "linethickness", "notation", "columnlines", "rowlines", "columnspacing",
    "rowspacing", "frame"})
_NO_MATH_INSIDE = frozenset({"pre", "code", "kbd", "samp", "script", "style", "textarea", "math"})
# MathJax's delimiters as nbconvert's Markdown leaves them ($$...$$, then $...$ within a line).
_TEX = re.compile(r"\$\$(?P<block>.+?)\$\$|\$(?P<inline>[^$\n]+?)\$", re.S)


def _mathml(element, out: list[str]) -> None:
    """Serialize latex2mathml's element tree with every text escaped and only MATH_TAGS kept."""
    def text(t):  # latex2mathml stores characters as entity strings ("&#x0211D;")
        t = html.unescape(t or "").replace("\\_", "_")
        return html.escape(t[1:] if re.fullmatch(r"\\[A-Za-z]+", t) else t)  # unknown \arg -> arg

    tag = element.tag
    if tag in MATH_TAGS:
        attrs = "".join(f' {k}="{html.escape(v)}"' for k, v in element.attrib.items() if k in MATH_ATTRIBUTES)
        out.append(f'<{tag} class="tex"{attrs}>' if tag == "math" else f"<{tag}{attrs}>")
    out.append(text(element.text))
    for child in element:
        _mathml(child, out)
        out.append(text(child.tail))
    if tag in MATH_TAGS:
        out.append(f"</{tag}>")


# TeX that latex2mathml misreads, rewritten first: a row break's extra space (\\[2mm], dropped)
# and a control space at the end of a line.
_TEX_FIXES = [(re.compile(r"\\\\\[[^\]]*\]"), r"\\\\"), (re.compile(r"(?<!\\)\\\n"), r"\\ ")]


def tex_to_mathml(tex: str, display: bool) -> str | None:
    """One formula as MathML (trusted markup whatever the TeX says), or None if it does not parse."""
    from latex2mathml.converter import convert_to_element

    for pattern, replacement in _TEX_FIXES:
        tex = pattern.sub(replacement, tex)
    try:
        element = convert_to_element(tex, display="block" if display else "inline")
    except Exception:  # latex2mathml raises many kinds; the page then shows the TeX itself
        return None
    out: list[str] = []
    _mathml(element, out)
    return "".join(out)


def typeset_math(fragment: str) -> str:
    """An HTML fragment whose $...$ and $$...$$ (outside code) are MathML."""
    from bs4 import BeautifulSoup, NavigableString

    soup, typeset, mark = BeautifulSoup(fragment, "html.parser"), [], secrets.token_hex(8)
    for node in list(soup.find_all(string=_TEX)):
        if type(node) is not NavigableString or any(p.name in _NO_MATH_INSIDE for p in node.parents):
            continue  # comments, CDATA; code, preformatted text (where student text is)
        parts, last = [], 0
        for m in _TEX.finditer(node):
            mathml = tex_to_mathml(m["block"] or m["inline"], display=m["block"] is not None)
            if mathml is not None:
                parts += [html.escape(node[last:m.start()], quote=False), mathml]
                last = m.end()
        if parts:  # a placeholder now, the markup after serializing (one parse for the page)
            typeset.append("".join(parts) + html.escape(node[last:], quote=False))
            node.replace_with(f"{mark}{len(typeset) - 1}{mark}")
    return re.sub(f"{mark}(\\d+){mark}", lambda m: typeset[int(m[1])], soup.decode())


_SCORE = re.compile(r"Score:\s*([\d.]+)\s*/\s*([\d.]+)")


def show_verdicts(body) -> None:
    """Put each exercise's verdict (its check cell's score) in the heading of the student's answer."""
    for anchor in body.find_all("a", attrs={"name": re.compile("^check_")}):
        name = anchor["name"][len("check_"):]
        score_heading, answer = anchor.find_next_sibling("div"), body.find("a", attrs={"name": f"comment-{name}"})
        found = _SCORE.search(score_heading.get_text()) if score_heading else None
        heading = answer.find_next_sibling("div", class_="panel-heading") if answer else None
        if not found or heading is None or heading.find(class_="verdict"):
            continue
        score, points = float(found[1]), float(found[2])
        passed = score >= points
        verdict = body.new_tag("span", attrs={"class": f"verdict verdict-{'passed' if passed else 'failed'}"})
        verdict.string = f"{name}: {score:g} / {points:g} points, {'passed' if passed else 'needs work'}"
        heading.find("span", class_="nbgrader-label").insert_after(verdict)


def secure_page(page: str) -> str:
    """A feedback page rebuilt with nothing live from the notebook left in it, and its math typeset.

    The head keeps its title and style sheets (the template's) and gets a Content-Security-Policy
    that allows no script; the body, where everything from the notebook and the gradebook is,
    gets the exercises' verdicts next to the answers, goes through an allowlist sanitizer
    (``untrusted.clean_html``), and then has its LaTeX replaced by MathML (``typeset_math``).
    Student text in it was already escaped where it was written; this is the second line of defence.
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
    show_verdicts(body)
    clean = untrusted.clean_html(body.decode_contents())
    return "\n".join([
        "<!DOCTYPE html>", "<html>", "<head>", '<meta charset="utf-8">',
        f'<meta http-equiv="Content-Security-Policy" content="{CONTENT_SECURITY_POLICY}">',
        f"<title>{untrusted.html(title)}</title>",
        *(f"<style>{s}</style>" for s in styles),
        "</head>", f"<body>{typeset_math(clean)}</body>", "</html>", ""])


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
