"""Feedback pages read well offline: math typeset without script or network, verdicts by the answers.

A made-up grading (scores in the gradebook, as `course grade` writes them) gets its page, opened in
headless Chromium with the network off: the math is MathML the browser laid out, no `$...$` is
left in the text, the page has no script, and each answer's heading carries its exercise's verdict.
"""
import json
import re

import pytest

from autograder import feedback, gradebook, lessons
from autograder.coursedir import CourseDir
from autograder.grading.report import ExerciseResult, Report

from .conftest import SEED, artifact

LESSON = lessons.get("02_activations")  # the lesson with the most math


def test_typeset_math_leaves_code_alone_and_emits_only_plain_mathml():
    out = feedback.typeset_math(
        "<p>loss $z = x \\cdot w + b$ and $$\\href{javascript:alert(1)}{x} \\text{&lt;img src=x onerror=alert(1)&gt;}$$"
        " costs $5</p><pre>$a$</pre><code>$b$</code><p>$\\frac{$ stays</p>")
    assert out.count('<math class="tex"') == 2 and '<math class="tex" display="block">' in out
    assert "<pre>$a$</pre><code>$b$</code>" in out and "$\\frac{$ stays" in out and "costs $5" in out
    assert "href" not in out and "<img" not in out and "onerror=alert(1)&gt;</mtext>" in out
    tags = set(re.findall(r"<(\w+)", out.split("<pre>")[0]))
    assert tags - {"p"} <= feedback.MATH_TAGS and "mo" in tags


def test_every_formula_of_the_release_becomes_mathml():
    """No formula of any lesson is left as TeX in a page (the release is what the pages show)."""
    from nbconvert.filters.markdown_mistune import markdown2html_mistune

    left = []
    for lesson in lessons.LESSONS.values():
        for cell in json.loads(lesson.release_path.read_text())["cells"]:
            if cell["cell_type"] == "markdown":
                out = feedback.typeset_math(markdown2html_mistune("".join(cell["source"])))
                text = re.sub(r"<(pre|code)>.*?</\1>", "", re.sub(r"<math .*?</math>", "", out, flags=re.S), flags=re.S)
                left += [f"{lesson.id}: {t}" for t in re.findall(r"\$[^$\n]+\$", text)]
                left += [f"{lesson.id}: {t}" for t in re.findall(r"<m[ion]>([^<]*\\[^<]*)</m[ion]>", out)]
                left += [f"{lesson.id}: {t}" for t in re.findall(r"<mn>([^<]*[A-Za-z][^<]*)</mn>", out)]
    assert not left, left


@pytest.fixture(scope="module")
def graded_page(tmp_path_factory):
    """The page of a made-up grading (no kernel): every exercise passed but the second."""
    course = CourseDir(tmp_path_factory.mktemp("offline") / "course")
    submitted = course.submit(LESSON.solution_path, "ada", LESSON.id)
    report = Report(str(submitted), SEED, LESSON.id)
    for i, ex in enumerate(LESSON.exercises()):
        score = ex.points / 2 if i == 1 else float(ex.points)
        report.exercises[ex.name] = ExerciseResult(score, float(ex.points), i != 1, "a hint")
    with gradebook.open_gradebook(course.db_url) as gb:
        gradebook.record(gb, "ada", LESSON, report, None)
    feedback.write(course, "ada", LESSON, submitted, report)
    feedback.generate_html(course, LESSON.id, "ada")
    return course.feedback("ada", LESSON.id) / f"{LESSON.id}.html", report


STATE = """() => {
  const text = el => { const c = el.cloneNode(true); c.querySelectorAll('pre,code,math').forEach(e => e.remove());
                       return c.textContent };
  const maths = [...document.querySelectorAll('math')];
  return {
    scripts: document.scripts.length,
    maths: maths.length,
    mathml: maths.every(m => m.namespaceURI === 'http://www.w3.org/1998/Math/MathML'),
    unlaid: maths.filter(m => { const r = m.getBoundingClientRect(); return !(r.width > 0 && r.height > 0) })
      .map(m => m.textContent),
    markup: [...new Set(maths.flatMap(m => [...m.querySelectorAll('*')].map(e => e.localName)))],
    raw_tex: [...document.querySelectorAll('.text_cell_render')].map(text).join('\\n')
      .match(/\\$[^$\\n]+\\$/g),
    verdicts: Object.fromEntries([...document.querySelectorAll('a[name^="comment-"]')].map(a =>
      [a.name.slice(8), a.nextElementSibling.querySelector('.verdict')?.textContent])),
  };
}"""


@pytest.mark.slow
def test_page_shows_math_and_verdicts_offline(graded_page, browser, tmp_path):
    path, report = graded_page
    WRONG = LESSON.exercises()[1].name
    context = browser.new_context(offline=True, viewport={"width": 1100, "height": 1400})
    page = context.new_page()
    uri, requests = path.resolve().as_uri(), []

    def route(r):
        if r.request.url != uri and "glyphicons" not in r.request.url:  # the template's icon font
            requests.append(r.request.url)
        return r.continue_() if r.request.url == uri else r.abort()

    page.route("**/*", route)
    page.goto(uri, wait_until="load")
    state = page.evaluate(STATE)
    page.locator(f'a[name="comment-{WRONG}"] + .panel-heading').scroll_into_view_if_needed()
    page.screenshot(path=artifact(tmp_path, "feedback_offline_answer.png"))
    page.evaluate("window.scrollTo(0, 0)")
    page.screenshot(path=artifact(tmp_path, "feedback_offline_top.png"))
    context.close()

    assert not requests and state["scripts"] == 0, (requests, state["scripts"])
    assert state["maths"] > 10 and state["mathml"] and not state["unlaid"], state
    assert set(state["markup"]) <= feedback.MATH_TAGS, state["markup"]
    assert state["raw_tex"] is None, f"TeX left as text: {state['raw_tex']}"
    expected = {name: f"{name}: {r.score:g} / {r.max_score:g} points, {'passed' if r.passed else 'needs work'}"
                for name, r in report.exercises.items()}
    assert state["verdicts"] == {name: expected[name] for name in state["verdicts"]}
    assert len(state["verdicts"]) >= 3 and WRONG in state["verdicts"]
