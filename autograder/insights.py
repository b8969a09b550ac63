"""`course report --html DIR`: one page on where the class stands and where it struggles.

Per lesson, the distribution of each exercise's scores (matplotlib, PNG next to the page and
embedded in it) and the known mistakes the grader diagnosed most often, with their counts; the
class table too. Scores come from the gradebook; the diagnosed mistakes from the reports stored
with it (``reports/``, written with each grading). Student ids are folder names, so they are
escaped like all student text; mistake names and hints are the course's own.
"""
from __future__ import annotations

import base64
import io
import time
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from pathlib import Path

from . import untrusted
from .batch import load_report
from .coursedir import CourseDir
from .gradebook import class_table, exercise_scores
from .lessons import LESSONS

PAGE = "index.html"
COLORS = {"zero": "#d62728", "partial": "#ff9f1c", "full": "#2ca02c"}


@dataclass
class Mistake:
    lesson: str
    exercise: str
    hint: str
    names: list[str]  # the library's mistakes with this hint (several may share one)
    students: list[str] = field(default_factory=list)


@dataclass
class LessonStats:
    lesson: str
    title: str
    exercises: list[str]
    scores: dict[str, dict[str, tuple[float, float]]]  # student -> exercise -> (score, max)
    mistakes: list[Mistake]
    unreported: int = 0  # graded submissions without a stored report (graded before reports were kept)
    figure: bytes = b""


def _mistake_names(lesson) -> dict[tuple[str, str], list[str]]:
    names: dict[tuple[str, str], list[str]] = defaultdict(list)
    for m in lesson.mistakes().MISTAKES:
        names[(m.exercise, m.hint)].append(m.name)
    return names


def collect(course: CourseDir) -> list[LessonStats]:
    """Scores (from the gradebook) and diagnosed mistakes (from the stored reports), per lesson."""
    scores = exercise_scores(course.db_url)
    out = []
    for lesson_id in sorted(scores):
        lesson = LESSONS.get(lesson_id)
        if lesson is None or not scores[lesson_id]:
            continue
        known = _mistake_names(lesson)
        found: dict[tuple[str, str], Mistake] = {}
        unreported = 0
        for student in sorted(scores[lesson_id]):
            saved = load_report(course, student, lesson_id)  # saved with the gradebook's grading
            unreported += saved is None
            for name, result in (saved[1].exercises.items() if saved else ()):
                if result.likely_mistake and not result.passed:
                    key = (name, result.likely_mistake)
                    m = found.setdefault(key, Mistake(lesson_id, name, result.likely_mistake,
                                                      known.get(key, [])))
                    m.students.append(student)
        mistakes = sorted(found.values(), key=lambda m: (-len(m.students), m.exercise, m.hint))
        out.append(LessonStats(lesson_id, lesson.title, [ex.name for ex in lesson.exercises()],
                               scores[lesson_id], mistakes, unreported))
    return out


def _kind(score: float, top: float) -> str:
    return "full" if top and score >= top - 1e-9 else "zero" if score <= 1e-9 else "partial"


def lesson_figure(stats: LessonStats) -> bytes:
    """Small multiples: a histogram of each exercise's scores, then of the lesson's totals."""
    import matplotlib
    matplotlib.use("Agg")
    import matplotlib.pyplot as plt
    import numpy as np

    panels = []
    for name in stats.exercises + ["lesson total"]:
        if name == "lesson total":
            values = [(sum(s for s, _ in ex.values()), sum(m for _, m in ex.values()))
                      for ex in stats.scores.values()]
        else:
            values = [ex[name] for ex in stats.scores.values() if name in ex]
        if values:
            panels.append((name, values))
    cols = min(4, len(panels))
    rows = -(-len(panels) // cols)
    fig, axes = plt.subplots(rows, cols, figsize=(3.2 * cols, 2.5 * rows), squeeze=False)
    for ax in axes.flat[len(panels):]:
        ax.set_visible(False)
    for ax, (name, values) in zip(axes.flat, panels):
        top = max(m for _, m in values) or 1.0
        scores = np.array([s for s, _ in values])
        kinds = [_kind(s, m) for s, m in values]
        w = top / 12
        partial = [s for s, k in zip(scores, kinds) if k == "partial"]
        counts, edges = np.histogram(partial, np.linspace(0, top, 7))
        ax.bar((edges[:-1] + edges[1:]) / 2, counts, width=np.diff(edges) * 0.85, color=COLORS["partial"],
               label="partly")
        ax.bar([0], [kinds.count("zero")], width=w, color=COLORS["zero"], label="zero")
        ax.bar([top], [kinds.count("full")], width=w, color=COLORS["full"], label="full marks")
        ax.axvline(scores.mean(), color="#333", linestyle="--", linewidth=1, label="mean")
        ax.set_xlim(-w, top + w)
        ax.set_ylim(0, max(1, kinds.count("zero"), kinds.count("full"), counts.max()) * 1.2)
        ax.yaxis.set_major_locator(matplotlib.ticker.MaxNLocator(integer=True))
        ax.set_title(f"{name}\nmean {scores.mean():.2f} / {top:g}, full marks {kinds.count('full')}"
                     f" of {len(values)}", fontsize=9, fontweight="bold" if name == "lesson total" else "normal")
        ax.set_xlabel("points", fontsize=8)
        ax.set_ylabel("students", fontsize=8)
        ax.tick_params(labelsize=8)
        ax.grid(axis="y", alpha=0.3)
    fig.suptitle(f"{stats.lesson}: score distribution per exercise ({len(stats.scores)} submissions)",
                 fontsize=11)
    fig.legend(*axes.flat[0].get_legend_handles_labels(), loc="lower center", ncol=4, fontsize=8,
               frameon=False)
    fig.tight_layout(rect=(0, 0.3 / (2.5 * rows), 1, 1))
    buf = io.BytesIO()
    fig.savefig(buf, format="png", dpi=110)
    plt.close(fig)
    return buf.getvalue()


STYLE = """
body { font-family: system-ui, -apple-system, "Segoe UI", sans-serif; margin: 2em auto; max-width: 1200px;
       color: #222; padding: 0 1em; }
h1 { margin-bottom: 0.2em; } .meta { color: #666; margin-top: 0; }
table { border-collapse: collapse; margin: 0.8em 0 1.6em; font-size: 0.92em; }
th, td { border: 1px solid #ddd; padding: 0.3em 0.6em; text-align: right; vertical-align: top; }
th { background: #f3f3f3; } td.text, th.text { text-align: left; }
td.full { background: #e6f4e6; } td.partial { background: #fff1dc; } td.zero { background: #fbe3e3; }
td.count { font-weight: bold; font-size: 1.1em; }
.bar { display: inline-block; height: 0.8em; background: #d62728; opacity: 0.75; vertical-align: middle; }
.students { color: #555; font-size: 0.85em; }
section.lesson { border-top: 2px solid #ccc; margin-top: 2em; }
img { max-width: 100%; }
nav a { margin-right: 0.8em; }
"""
CSP = "default-src 'none'; img-src data:; style-src 'unsafe-inline'; base-uri 'none'; form-action 'none'"


def _esc(text) -> str:
    return untrusted.html(text)


def _mistake_rows(mistakes: list[Mistake], submissions: dict[str, int], with_lesson: bool) -> list[str]:
    most = max((len(m.students) for m in mistakes), default=1)
    rows = []
    for m in mistakes:
        n = len(m.students)
        name = " / ".join(m.names) or "(no named mistake of the library: a relation found in the outputs)"
        shown = ", ".join(_esc(s) for s in m.students[:12]) + (" ..." if n > 12 else "")
        rows.append(
            "<tr>" + (f'<td class="text"><a href="#{_esc(m.lesson)}">{_esc(m.lesson)}</a></td>' if with_lesson else "")
            + f'<td class="text"><code>{_esc(m.exercise)}</code></td>'
            + f'<td class="text"><b>{_esc(name)}</b><br>{_esc(m.hint)}</td>'
            + f'<td class="count">{n}<br><span class="bar" style="width: {round(60 * n / most)}px"></span></td>'
            + f'<td>{n / max(1, submissions[m.lesson]):.0%}</td>'
            + f'<td class="text students">{shown}</td></tr>')
    return rows


def _mistake_table(mistakes: list[Mistake], submissions: dict[str, int], with_lesson: bool) -> str:
    if not mistakes:
        return "<p>No known mistake was diagnosed.</p>"
    head = ("<th class='text'>lesson</th>" if with_lesson else "") + (
        "<th class='text'>exercise</th><th class='text'>known mistake and the hint students got</th>"
        "<th>students</th><th>of submissions</th><th class='text'>who</th>")
    return f"<table><tr>{head}</tr>" + "".join(_mistake_rows(mistakes, submissions, with_lesson)) + "</table>"


def _class_table(course: CourseDir) -> str:
    """The table of `course report`, cells coloured by full, partial or zero marks."""
    header, rows = class_table(course.db_url)
    maxima = dict(zip(header, rows[0]))
    def head(h):
        text = f'<a href="#{_esc(h)}">{_esc(h)}</a>' if h in LESSONS else _esc(h)
        return f"<th class='{'text' if h == 'student' else ''}'>{text}</th>"

    out = ["<table><tr>" + "".join(map(head, header)) + "</tr>"]
    for i, row in enumerate(rows):
        cells = [f'<td class="text">{_esc(row[0])}</td>']
        for h, v in zip(header[1:], row[1:]):
            top = row[-1] if h == "total" else maxima.get(h)
            numbers = isinstance(v, (int, float)) and isinstance(top, (int, float)) and top
            kind = _kind(v, top) if i and h != "max" and numbers else ""
            cells.append(f'<td class="{kind}">{"-" if v is None else _esc(v)}</td>')
        out.append("<tr>" + "".join(cells) + "</tr>")
    return "".join(out) + "</table>"


def _exercise_table(stats: LessonStats) -> str:
    rows = []
    for name in stats.exercises:
        values = [ex[name] for ex in stats.scores.values() if name in ex]
        if not values:
            continue
        kinds = Counter(_kind(s, m) for s, m in values)
        mean = sum(s for s, _ in values) / len(values)
        top = max(m for _, m in values)
        rows.append(f'<tr><td class="text"><code>{_esc(name)}</code></td><td>{mean:.2f} / {top:g}</td>'
                    f'<td class="full">{kinds["full"]}</td><td class="partial">{kinds["partial"]}</td>'
                    f'<td class="zero">{kinds["zero"]}</td></tr>')
    return ("<table><tr><th class='text'>exercise</th><th>mean</th><th>full marks</th><th>partly</th>"
            "<th>zero</th></tr>" + "".join(rows) + "</table>")


def render(course: CourseDir, lessons: list[LessonStats]) -> str:
    submissions = {s.lesson: len(s.scores) for s in lessons}
    every = sorted((m for s in lessons for m in s.mistakes), key=lambda m: (-len(m.students), m.lesson))
    students = {st for s in lessons for st in s.scores}
    parts = [
        "<!DOCTYPE html>", '<html lang="en"><head><meta charset="utf-8">',
        f'<meta http-equiv="Content-Security-Policy" content="{CSP}">',
        "<title>Class insights</title>", f"<style>{STYLE}</style></head><body>",
        "<h1>Class insights</h1>",
        f'<p class="meta">{len(students)} students, {sum(submissions.values())} graded submissions; '
        f"gradebook {_esc(course.gradebook_name)}; written {time.strftime('%Y-%m-%d %H:%M')}.</p>",
        "<nav>" + "".join(f'<a href="#{_esc(s.lesson)}">{_esc(s.lesson)}</a>' for s in lessons) + "</nav>",
        "<h2>The known mistakes diagnosed most often</h2>",
        "<p>The grader runs the library of known mistakes on each failed case and names the one the "
        "student's output matches; each row counts the students whose feedback names it.</p>",
        _mistake_table(every[:15], submissions, True),
        "<h2>Class table</h2>", _class_table(course),
    ]
    for s in lessons:
        img = base64.b64encode(s.figure).decode()
        parts += [f'<section class="lesson" id="{_esc(s.lesson)}"><h2>{_esc(s.lesson)}: {_esc(s.title)}</h2>',
                  f'<img src="data:image/png;base64,{img}" alt="score distribution of {_esc(s.lesson)}">',
                  _exercise_table(s), "<h3>Known mistakes diagnosed</h3>",
                  _mistake_table(s.mistakes, submissions, False)]
        if s.unreported:
            parts.append(f"<p>{s.unreported} of {len(s.scores)} graded submissions have no stored report "
                         "(graded before reports were kept): their mistakes are not counted here; "
                         "<code>course grade --all --regrade</code> records them.</p>")
        parts.append("</section>")
    parts += ["</body></html>", ""]
    return "\n".join(parts)


def write_page(course: CourseDir, folder: Path) -> Path:
    """Write ``folder/index.html`` (and a PNG per lesson beside it); returns the page's path."""
    folder.mkdir(parents=True, exist_ok=True)
    lessons = collect(course)
    for s in lessons:
        s.figure = lesson_figure(s)
        (folder / f"{s.lesson}.png").write_bytes(s.figure)
    page = folder / PAGE
    page.write_text(render(course, lessons), encoding="utf-8")
    return page
