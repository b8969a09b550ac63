"""Escaping of student-controlled text for each sink (autograder/untrusted.py); no kernel starts."""
import io
import re
from html.parser import HTMLParser

import pytest
from nbconvert.filters.markdown_mistune import markdown2html_mistune

from autograder import feedback, untrusted

# Payloads that would be live if a sink let them through (more in test_adversarial_feedback.py).
HOSTILE = [
    '<img src=x onerror="document.title=1"> <script>document.title=2</script>',
    "<ScRiPt>window.__pwned=1</sCrIpT> <svg/onload=window.__pwned=1>",
    "&lt;script&gt;window.__pwned=1&lt;/script&gt; &#60;img src=x onerror=window.__pwned=1&#62;",
    "[click](javascript:window.__pwned=1) ![x](https://pwned.invalid/a.png) <https://pwned.invalid/>",
    "```\n</code></pre><script>window.__pwned=1</script>\n```",
    "a `` b ```` c\n~~~\n<b>bold</b>\n    indented <i>x</i>",
    "$$\n<script>window.__pwned=1</script>\n$$ and $\\href{javascript:window.__pwned=1}{x}$",
    "```mermaid\n<img src=x onerror=window.__pwned=1>",
    "\x1b]0;PWNED\x07\x1b[2J\x1b[31mred\rline \u202eevil\u202c \ud800 \x9b2J \x00",
]


class _Tags(HTMLParser):
    def __init__(self, html):
        super().__init__(convert_charrefs=True)
        self.tags, self.text = [], []
        self.feed(html)

    def handle_starttag(self, tag, attrs):
        self.tags.append((tag, attrs))

    def handle_data(self, data):
        self.text.append(data)


@pytest.mark.parametrize("text", HOSTILE)
def test_markdown_block_renders_as_literal_text(text):
    """Rendered as nbgrader renders comments (nbconvert's Markdown, raw HTML allowed)."""
    rendered = _Tags(markdown2html_mistune(untrusted.markdown(text)))
    assert rendered.tags == [("pre", []), ("code", [])], rendered.tags
    assert "".join(rendered.text).strip("\n") == untrusted.plain(text)


@pytest.mark.parametrize("text", HOSTILE)
def test_html_escapes(text):
    assert _Tags(f"<p>{untrusted.html(text)}</p>").tags == [("p", [])]
    assert '"' not in untrusted.html(text) and "'" not in untrusted.html(text)


def test_terminal_shows_control_characters_instead_of_sending_them():
    shown = untrusted.terminal(HOSTILE[-1] + "\ttab\nnext line é ×")
    assert not re.search(r"[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\ud800-\udfff]", shown)
    assert "\\x1b]0;PWNED\\x07" in shown and "\\u202e" in shown and "\\x0d" in shown
    assert shown.endswith("\ttab\nnext line é ×")
    assert untrusted.terminal("plain text") == "plain text"


def test_long_text_is_cut_with_a_note():
    assert untrusted.terminal("x" * 100, limit=10) == "x" * 10 + " ... [90 more characters not shown]"
    assert len(untrusted.markdown("y" * 20000)) < untrusted.LIMIT + 100


def test_rich_text_is_not_markup():
    from rich.console import Console
    from rich.table import Table
    table = Table()
    table.add_column(untrusted.rich_text("[bold]head[/bold]"))
    table.add_row(untrusted.rich_text("[link=https://pwned.invalid]ada[/link] [/oops]"))
    out = io.StringIO()
    Console(file=out, width=120, color_system=None).print(table)
    shown = out.getvalue()
    assert "[bold]head[/bold]" in shown and "[link=https://pwned.invalid]ada[/link]" in shown


def test_csv_cells_are_never_formulas():
    assert [untrusted.csv_cell(v) for v in ["=1+1", "+1", "-1", "@SUM(A1)", "ada", 3.0]] == \
        ["'=1+1", "'+1", "'-1", "'@SUM(A1)", "ada", 3.0]


def test_clean_html_keeps_a_notebook_page_and_drops_everything_live():
    kept = ('<div class="cell" id="c1" tabindex="0"><a href="#top" name="top">Top</a>'
            '<pre><span class="k">def</span></pre><img alt="plot" src="data:image/png;base64,AAAA"></div>')
    assert untrusted.clean_html(kept) == kept
    hostile = ('<a href="javascript:alert(1)">a</a><a href="jav&#x09;ascript:alert(1)">b</a>'
               '<a href="data:text/html,x">c</a><img src=x onerror=alert(1)><svg onload=alert(1)></svg>'
               '<iframe srcdoc="x"></iframe><script>alert(1)</script><style>*{}</style>'
               '<form action="https://pwned.invalid"><button>go</button></form>'
               '<p style="background:url(https://pwned.invalid/)" onclick="alert(1)">p</p>'
               '<math><mtext><table><mglyph><style><img src=x onerror=alert(1)>')
    tags = _Tags(untrusted.clean_html(hostile)).tags
    assert {t for t, _ in tags} == {"a", "img", "p", "table"}, tags
    for tag, attrs in tags:
        for name, value in attrs:
            assert not name.startswith("on") and "javascript" not in (value or "").lower(), (tag, attrs)
            assert name != "style" or "url" not in value, (tag, attrs)


def test_secure_page_has_no_script_and_a_policy():
    page = ("<!DOCTYPE html><html><head><meta charset='utf-8'><title>00_tensors &amp; co</title>"
            "<style>body { color: black; }</style><script>window.__pwned=1</script>"
            "<script type='text/x-mathjax-config'>window.__pwned=1</script></head>"
            "<body><div class='c'>$x$ <script>window.__pwned=1</script><img src=x onerror=alert(1)></div>"
            "</body></html>")
    out = feedback.secure_page(page)
    parsed = _Tags(out)
    names = [t for t, _ in parsed.tags]
    assert names[:3] == ["html", "head", "meta"] and names[3] == "meta"
    meta = dict(parsed.tags[3][1])
    assert meta["http-equiv"] == "Content-Security-Policy"
    policy = dict(d.strip().split(" ", 1) for d in meta["content"].split(";"))
    assert policy["script-src"] == "'none'" and policy["default-src"] == "'none'"
    assert "<script" not in out.replace("&lt;script", "")  # the inline script only as text
    assert '<math class="tex" display="inline"><mrow><mi>x</mi></mrow></math>' in out  # typeset
    assert "<title>00_tensors &amp; co</title>" in out and "body { color: black; }" in out
    assert not [a for _, attrs in parsed.tags for a, _ in attrs if a.startswith("on")]


def test_secure_page_keeps_every_element_of_a_real_feedback_page(tmp_path, monkeypatch):
    """The sanitizer removes nothing from a page of a good submission (no kernel: a made-up report)."""
    from autograder import gradebook, lessons
    from autograder.coursedir import CourseDir
    from autograder.grading.report import ExerciseResult, Report

    lesson = lessons.get("02_activations")  # the lesson with the most math
    course = CourseDir(tmp_path)
    submitted = course.submit(lesson.solution_path, "ada", lesson.id)
    text = "1 of 2 checks failed:\n- a case: wrong"
    report = Report(str(submitted), 1, lesson.id, errors=["a note"],
                    exercises={ex.name: ExerciseResult(1.0, 2.0, False, text) for ex in lesson.exercises()})
    with gradebook.open_gradebook(course.db_url) as gb:
        gradebook.record(gb, "ada", lesson, report, None)
    feedback.write(course, "ada", lesson, submitted, report)
    monkeypatch.setattr(feedback, "secure_page", lambda page: page)
    feedback.generate_html(course, lesson.id, "ada")
    page = (course.feedback("ada", lesson.id) / f"{lesson.id}.html").read_text()
    monkeypatch.undo()
    # What the page gains (verdict badges, MathML) is checked in test_feedback_offline.
    monkeypatch.setattr(feedback, "show_verdicts", lambda body: None)
    monkeypatch.setattr(feedback, "typeset_math", lambda fragment: fragment)

    def body(html):
        parsed = _Tags(html[html.index("<body"):])
        return sorted((t, sorted(a)) for t, a in parsed.tags if t != "body"), "".join(parsed.text).split()

    assert body(feedback.secure_page(page)) == body(page)


def test_class_table_and_csv_show_student_ids_as_text(tmp_path, capsys):
    from autograder import gradebook, lessons
    from autograder.console import print_class_table
    from autograder.coursedir import CourseDir
    from autograder.grading.report import Report

    course = CourseDir(tmp_path)
    lesson = lessons.get("00_tensors")
    hostile = ["[bold]eve[/bold]\x1b]0;PWNED\x07", "=HYPERLINK(\"https://pwned.invalid\")"]
    with gradebook.open_gradebook(course.db_url) as gb:
        for student in hostile:
            gradebook.record(gb, student, lesson, Report("x.ipynb", 1, lesson.id), None)
    print_class_table(course)
    out = capsys.readouterr().out
    assert "[bold]eve[/bold]\\x1b]0;PWNED\\x07" in out and "\x1b" not in out
    gradebook.write_csv(course.db_url, tmp_path / "grades.csv")
    assert "'=HYPERLINK" in (tmp_path / "grades.csv").read_text()
