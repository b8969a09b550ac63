"""Attacks through the text a student controls (SECURITY.md, "Text a student controls...").

Hostile submissions put HTML, Markdown, entities, MathJax and terminal escape sequences into
exception messages and types, returned values, warnings, printed output, notebook metadata and
cell sources. They are graded with `course grade --all`; then a real browser (headless Chromium)
opens every feedback page: no payload may run, request a URL or survive as live markup, and the
page must still show the student what went wrong.
"""
import json
import re
from pathlib import Path

import pytest
from nbconvert.filters.markdown_mistune import markdown2html_mistune

from autograder import feedback, gradebook, lessons, untrusted
from autograder.cli import _print_report
from autograder.coursedir import CourseDir
from autograder.grading.report import ExerciseResult, Report
from autograder.notebooks import with_answers

from .conftest import SEED, solution_json, write_notebook
from .test_grading_interface import run_course

LESSON = lessons.get("00_tensors")  # one_hot: 5 cases, standardize: 6, flatten_images: 5
EVIL = "https://pwned.invalid"

# Each payload, if live, sets window.__pwned or document.title, or requests a URL of EVIL.
MESSAGES = [  # exception messages
    "<img src=x onerror=\"document.title='PWNED'\"> <script>document.title='PWNED'</script>"
    " <svg onload=\"window.__pwned='svg'\">",
    "<ScRiPt>window.__pwned='case'</sCrIpT><IMG SRC=x OnErRoR=\"window.__pwned='IMG'\">"
    "<details open ontoggle=\"window.__pwned='toggle'\">",
    "<a href=\"javascript:window.__pwned='a'\">a</a> <a href=\"jav&#x09;ascript:window.__pwned='tab'\">b</a>"
    " [md](javascript:window.__pwned='md') ![img](" + EVIL + "/md.png) <" + EVIL + "/autolink>",
    "&lt;script&gt;window.__pwned='dbl'&lt;/script&gt; &#60;img src=x onerror=window.__pwned='num'&#62;"
    " &#x3C;svg onload=window.__pwned='hex'&#x3E;",
    "```\n</code></pre><script>window.__pwned='fence'</script>\n``` <script type=\"text/x-mathjax-config\">"
    "window.__pwned='mjx'</script> $$\\href{javascript:window.__pwned='tex'}{x}$$",
]
TYPE_NAMES = [  # names of exception classes and of returned objects' classes
    "<img src=x onerror=window.__pwned='type'>",
    f"<iframe src=\"{EVIL}/iframe\"></iframe><object data=\"{EVIL}/object\"></object>"
    f"<embed src=\"{EVIL}/embed\">",
    f"<link rel=stylesheet href=\"{EVIL}/link.css\"><style>@import url({EVIL}/import.css);</style>"
    f"<meta http-equiv=\"refresh\" content=\"0;url={EVIL}/refresh\">",
    f"<base href=\"{EVIL}/\"><form action=\"{EVIL}/form\">"
    "<input autofocus onfocus=\"window.__pwned='focus'\">"
    "</form><video><source onerror=\"window.__pwned='video'\"></video>",
    "<math><mtext><table><mglyph><style><img src=x onerror=window.__pwned='mxss'>"
    "<noscript><p title=\"</noscript><img src=x onerror=window.__pwned='noscript'>\">",
]
TERMINAL = [  # for terminals and notebook stream outputs
    "\x1b]0;PWNED\x07\x1b[2J\x1b[31mred\x1b[0m",
    f"\x1b]8;;{EVIL}/\x1b\\click\x1b]8;;\x1b\\ spoofed\rAll 5 checks passed.",
    "\u202eevil\u202c \x9b2J \x00nul \x7fdel",
    "lone surrogate \ud800 here",
    f"[bold red]x[/] [link={EVIL}]y[/link] [/unclosed]",
]
ALL = MESSAGES + TYPE_NAMES + TERMINAL


def rotating(name: str, payloads: list[str], body: str) -> str:
    """An answer defining ``name`` whose body takes a new payload, ``_p``, at every call."""
    return (f"import itertools, warnings\n_{name}_payloads = itertools.cycle({payloads!r})\n"
            f"def {name}(*args, **kwargs):\n    _p = next(_{name}_payloads)\n{body}")


ANSWERS = {
    "mallory": {  # raises: payload messages, payload exception types, terminal sequences
        "one_hot": rotating("one_hot", MESSAGES, "    raise ValueError(_p)\n")
        + f"print({ALL!r})\nraise RuntimeError({MESSAGES[0]!r})  # the answer cell itself fails\n",
        "standardize": f"# </code></pre><script>window.__pwned='src'</script> {' '.join(TYPE_NAMES)}\n"
        + rotating("standardize", TYPE_NAMES, "    raise type(_p, (Exception,), {})('x')\n"),
        "flatten_images": rotating("flatten_images", TERMINAL, "    raise ValueError(_p)\n"),
    },
    "trudy": {  # returns dicts with payload keys and objects of payload classes; prints; warns
        "one_hot": f"_ALL = {ALL!r}\n"
                   "def one_hot(y, num_classes):\n    print(*_ALL)\n    return dict.fromkeys(_ALL, 1)\n",
        "standardize": rotating("standardize", TYPE_NAMES, "    print(_p)\n    return type(_p, (), {})()\n"),
        "flatten_images": rotating("flatten_images", MESSAGES + TERMINAL, "    warnings.warn(_p)\n"
                                   "    return args[0].reshape(args[0].shape[0], -1)\n"),
    },
}


def hostile_notebook(answers: dict[str, str]) -> dict:
    """The solution with these answers; its metadata, markdown and outputs carry payloads too."""
    nb = with_answers(solution_json(LESSON), answers)
    payload = " ".join(MESSAGES + TYPE_NAMES)
    nb["metadata"]["title"] = payload
    nb["metadata"].setdefault("kernelspec", {})["display_name"] = payload
    nb["metadata"].setdefault("language_info", {})["pygments_lexer"] = "html"
    for cell in nb["cells"]:
        cell["metadata"]["tags"] = [payload]
        if cell["cell_type"] == "markdown":
            cell["source"] = payload  # edited teaching cells are not taken from a submission
        else:
            cell["outputs"] = [{"output_type": "display_data", "metadata": {},
                                "data": {"text/html": payload, "text/plain": payload}}]
    nb["cells"].insert(1, {"cell_type": "markdown", "metadata": {}, "source": payload,
                           "attachments": {"x.svg": {"image/svg+xml": "PHN2ZyBvbmxvYWQ9YWxlcnQoMSk+"}}})
    nb["cells"].insert(2, {"cell_type": "code", "metadata": {}, "outputs": [], "execution_count": None,
                           "source": f"print({payload!r})"})
    return nb


WATCH = ("window.__violations = []; document.addEventListener('securitypolicyviolation', "
         "e => window.__violations.push(e.violatedDirective + ' ' + e.blockedURI));")
STATE = """() => {
  const protocol = u => { try { return new URL(u, document.baseURI).protocol } catch (e) { return '' } };
  const urls = [...document.querySelectorAll('[href],[src],[action],[formaction],[data],[srcdoc]')].flatMap(
    e => ['href', 'src', 'action', 'formaction', 'data', 'srcdoc'].filter(a => e.hasAttribute(a))
      .map(a => [e.tagName, a, e.getAttribute(a)]));
  return {
    title: document.title,
    pwned: window.__pwned === undefined ? null : String(window.__pwned),
    violations: window.__violations,
    scripts: [...document.scripts].map(s => s.src || 'inline: ' + s.textContent),
    handlers: [...document.querySelectorAll('*')].flatMap(
      e => [...e.attributes].filter(a => a.name.startsWith('on')).map(a => e.tagName + ' ' + a.name)),
    bad_urls: urls.filter(([tag, a, u]) => a === 'srcdoc' || /^(javascript|vbscript):$/.test(protocol(u))
      || (protocol(u) === 'data:' && !(tag === 'IMG' && a === 'src'))),
    embedded: [...document.querySelectorAll(
      'iframe,object,embed,base,form,input,link,meta[http-equiv=refresh],body style,svg,math:not(.tex),video,noscript')]
      .map(e => e.tagName),
    text: document.body.innerText,
  };
}"""


def visit(browser, path: Path) -> dict:
    """Open a page offline; what ran, what it asked for, and what it shows."""
    context = browser.new_context()
    page = context.new_page()
    uri = path.resolve().as_uri()
    requests, dialogs = [], []

    def route(r):
        url = r.request.url
        if url == uri:
            return r.continue_()
        if "glyphicons" not in url:  # the template's icon font (not shipped)
            requests.append(url)
        return r.abort()  # offline

    page.route("**/*", route)
    page.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
    page.add_init_script(WATCH)
    page.goto(uri, wait_until="load")
    page.wait_for_timeout(300)  # handlers of failed loads run after the load event
    state = page.evaluate(STATE)
    context.close()
    return {**state, "requests": requests, "dialogs": dialogs}


def assert_nothing_live(state: dict, path: Path) -> None:
    where = f"{path}: "
    assert state["pwned"] is None and state["title"] == LESSON.id, where + f"a payload ran: {state}"
    assert not state["dialogs"] and not state["requests"], where + f"{state['dialogs']} {state['requests']}"
    assert not state["handlers"] and not state["bad_urls"] and not state["embedded"], where + str(state)
    assert state["scripts"] == [], where + str(state["scripts"])  # the page has no script at all
    assert not state["violations"], where + f"the policy had to block {state['violations']}"


@pytest.fixture(scope="module")
def graded_course(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("xss")
    course = CourseDir(tmp / "course")
    for student, answers in ANSWERS.items():
        course.submit(write_notebook(tmp / f"{student}.ipynb", hostile_notebook(answers)), student, LESSON.id)
    proc = run_course("grade", "--all", "--jobs", "2", "--seed", str(SEED), "--course-dir", str(course.root))
    assert proc.returncode == 0, proc.stdout + proc.stderr
    return course, proc


@pytest.mark.slow
def test_hostile_text_is_dead_in_every_page_and_still_readable(graded_course, browser):
    course, proc = graded_course
    pages = sorted((course.root / "feedback").glob("*/*/*.html"))
    assert [p.parent.parent.name for p in pages] == ["mallory", "trudy"]
    texts = {}
    for page in pages:
        state = visit(browser, page)
        assert_nothing_live(state, page)
        texts[page.parent.parent.name] = state["text"]
    # The feedback still says what went wrong, in the student's own words, as text.
    assert "raised ValueError: " + MESSAGES[0] in texts["mallory"]  # the example
    assert all(t in texts["mallory"] for t in [TYPE_NAMES[0], "\\x1b]0;PWNED\\x07", "RuntimeError: "])
    assert TYPE_NAMES[0] in texts["trudy"] and "UserWarning: " + MESSAGES[0] in texts["trudy"]
    assert "window.__pwned='src'" in texts["mallory"]  # the answer's source, shown as code
    assert "\x1b" not in proc.stdout + proc.stderr


@pytest.mark.slow
def test_hostile_text_is_escaped_in_gradebook_notebooks_and_terminal(graded_course, capsys):
    course, _ = graded_course
    with gradebook.open_gradebook(course.db_url) as gb:
        for student in ANSWERS:
            for ex in LESSON.exercises():
                comment = gb.find_comment(ex.name, LESSON.id, LESSON.id, student).auto_comment
                rendered = markdown2html_mistune(comment)  # as nbgrader renders it
                assert re.findall(r"<(\w+)", rendered) == ["pre", "code"], rendered
    control = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\ud800-\udfff]")
    for path in (course.root / "autograded").glob("*/*/*.ipynb"):
        nb = json.loads(path.read_text())
        streams = [o["text"] for c in nb["cells"] for o in c.get("outputs", [])
                   if o["output_type"] == "stream"]
        assert streams and not any(control.search(s) for s in streams), path
    run_log = next((course.root / "grading-runs").glob("*.jsonl"))
    for line in run_log.read_text().splitlines()[1:]:
        _print_report(Report.from_dict(json.loads(line)))
    printed = capsys.readouterr().out
    assert "raised ValueError: " in printed and "\\x1b]0;PWNED" in printed and not control.search(printed)


def test_report_errors_and_any_feedback_text_are_dead(tmp_path, browser):
    """Whatever text a report carries (errors, feedback), through gradebook, notebook and page."""
    course = CourseDir(tmp_path / "course")
    submitted = course.submit(LESSON.solution_path, "oscar", LESSON.id)
    report = Report(str(submitted), SEED, LESSON.id, errors=ALL)
    for i, ex in enumerate(LESSON.exercises()):
        report.exercises[ex.name] = ExerciseResult(0.0, float(ex.points), False, "\n".join(ALL[i::3]))
    with gradebook.open_gradebook(course.db_url) as gb:
        gradebook.record(gb, "oscar", LESSON, report, None)
    feedback.write(course, "oscar", LESSON, submitted, report)
    feedback.generate_html(course, LESSON.id, "oscar")
    page = course.feedback("oscar", LESSON.id) / f"{LESSON.id}.html"
    state = visit(browser, page)
    assert_nothing_live(state, page)
    assert MESSAGES[0] in state["text"] and untrusted.plain(TERMINAL[1]) in state["text"]


def test_the_policy_alone_stops_scripts_that_got_into_a_page(tmp_path, browser):
    """Second line of defence: markup slipped into a secured page still cannot run or fetch."""
    page = feedback.secure_page(f"<html><head><title>{LESSON.id}</title></head><body><p>x</p></body></html>")
    slipped = (f"<script>window.__pwned='inline'</script><img src=x onerror=\"window.__pwned='img'\">"
               f"<img src=\"{EVIL}/img.png\"><iframe src=\"{EVIL}/frame\"></iframe>")
    path = tmp_path / "page.html"
    path.write_text(page.replace("<body>", "<body>" + slipped))
    state = visit(browser, path)
    assert state["pwned"] is None and state["title"] == LESSON.id and not state["requests"], state
    assert {v.split()[0] for v in state["violations"]} >= {"script-src-elem", "script-src-attr", "img-src"}
