"""The student path in a real browser: JupyterLab, as students open the release.

`jupyter lab` runs on a free local port with a token, in a temporary copy of the release, and
headless Chromium (Debian's, driven by Playwright) opens it with every request outside that
server refused: JupyterLab needs no internet (its MathJax is bundled). Every lesson of the release
renders (its LaTeX typeset, no `$...$` left as text, nbgrader's Validate button in the toolbar);
two NumPy lessons and one Keras lesson, with the answers of the solutions put into the release's
answer cells, are run cell by cell: every public check prints its pass message, no cell shows an
error or writes to stderr, and every figure is an image the browser decoded. One screenshot per
lesson is saved (in the test's tmp dir, or $COURSE_TEST_ARTIFACTS).
"""
import json
import os
import secrets
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

from autograder import lessons
from autograder.notebooks import read_cells, with_answers

from .conftest import artifact

RUN = ["00_tensors", "01_perceptron", "10_augmentation"]  # the cheapest NumPy lessons and Keras one
SETTINGS = {  # every cell in the page (no windowing), and nothing that would fetch news
    "@jupyterlab/notebook-extension/tracker.jupyterlab-settings": {"windowingMode": "none"},
    "@jupyterlab/apputils-extension/notification.jupyterlab-settings": {"fetchNews": "false",
                                                                         "checkForUpdates": False},
}


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def answered(lesson) -> dict:
    """The release notebook with the solution's code in its answer cells (what a student hands in)."""
    answers = {c.grade_id: c.source for c in read_cells(lesson.solution_path) if c.role == "answer"}
    return with_answers(json.loads(lesson.release_path.read_text()), answers)


@pytest.fixture(scope="module")
def lab(tmp_path_factory):
    """A JupyterLab server in a copy of the release (and of the answered lessons); its URL."""
    root = tmp_path_factory.mktemp("lab")
    shutil.copytree(lessons.RELEASE, root / "lessons")
    for lid in RUN:
        folder = root / "answered" / lid
        folder.mkdir(parents=True)
        (folder / f"{lid}.ipynb").write_text(json.dumps(answered(lessons.get(lid))))
    for name, value in SETTINGS.items():
        (root / ".settings" / name).parent.mkdir(parents=True, exist_ok=True)
        (root / ".settings" / name).write_text(json.dumps(value))
    port, token = _free_port(), secrets.token_hex(16)
    env = {**os.environ, "JUPYTER_CONFIG_DIR": str(root / ".jupyter"), "JUPYTER_DATA_DIR": str(root / ".data"),
           "JUPYTER_RUNTIME_DIR": str(root / ".runtime"), "PATH": f"{Path(sys.executable).parent}:"
           + os.environ.get("PATH", "")}
    log = (root / "lab.log").open("w")
    server = subprocess.Popen(
        [sys.executable, "-m", "jupyterlab", "--no-browser", "--ServerApp.ip=127.0.0.1",
         f"--ServerApp.port={port}", "--ServerApp.port_retries=0", f"--IdentityProvider.token={token}",
         f"--ServerApp.root_dir={root}", "--ServerApp.allow_root=True",
         f"--LabApp.user_settings_dir={root / '.settings'}", f"--LabApp.workspaces_dir={root / '.workspaces'}",
         "--LabApp.expose_app_in_browser=True"],
        cwd=root, env=env, stdout=log, stderr=subprocess.STDOUT)
    base = f"http://127.0.0.1:{port}"
    try:
        for _ in range(240):
            try:
                urllib.request.urlopen(f"{base}/api/status?token={token}", timeout=2)
                break
            except OSError:
                assert server.poll() is None, (root / "lab.log").read_text()
                time.sleep(0.5)
        else:
            pytest.fail("jupyter lab did not start: " + (root / "lab.log").read_text())
        yield base, token
    finally:
        server.terminate()
        try:
            server.wait(timeout=30)
        except subprocess.TimeoutExpired:
            server.kill()
        log.close()


@pytest.fixture(scope="module")
def lab_page(lab, browser):
    """One JupyterLab tab; requests that leave the server are refused and recorded."""
    base, token = lab
    context = browser.new_context(viewport={"width": 1280, "height": 1000})
    outside = []

    def route(r):
        if r.request.url.startswith(base + "/"):
            return r.continue_()
        outside.append(r.request.url)
        return r.abort()

    context.route("**/*", route)
    page = context.new_page()
    page.set_default_timeout(120_000)
    page.goto(f"{base}/lab?reset&token={token}")
    page.wait_for_function("window.jupyterapp && window.jupyterapp.started")
    page.evaluate("window.jupyterapp.started.then(() => window.jupyterapp.shell.collapseLeft())")
    yield page, outside
    context.close()


OPEN = """async ([path, kernel]) => {
  const app = window.jupyterapp, previous = window.__panel;
  if (previous) {  // closed without the "save changes?" dialog, its kernel shut down
    await previous.sessionContext.shutdown();
    previous.context.model.dirty = false;
    previous.dispose();
  }
  app.docRegistry.getWidgetFactory('Notebook')._preferKernel = kernel;  // no kernel just to look
  const panel = await app.commands.execute('docmanager:open', {path, factory: 'Notebook'});
  await panel.context.ready;
  await panel.revealed;
  window.__panel = panel;
  return panel.content.widgets.length;
}"""
RENDERED = """() => {
  const panel = window.__panel, node = panel.content.node;
  const md = panel.content.widgets.filter(c => c.model.type === 'markdown');
  const text = el => { const c = el.cloneNode(true);
    c.querySelectorAll('code,pre,mjx-container,.MathJax').forEach(e => e.remove()); return c.textContent };
  const raw = md.flatMap(c => [...c.node.querySelectorAll('.jp-RenderedMarkdown')].map(text))
    .join('\\n').match(/\\$[^$\\n]+\\$/g);
  return {markdown: md.length, rendered: md.filter(c => c.rendered && c.node.querySelector('.jp-RenderedMarkdown')).length,
          math: node.querySelectorAll('mjx-container').length, raw,
          validate: [...document.querySelectorAll('.jp-NotebookPanel:not(.lm-mod-hidden) .validate-button')]
                     .map(b => b.textContent.trim())};
}"""
RUN_ALL = """async () => {
  const app = window.jupyterapp, panel = window.__panel;
  await panel.sessionContext.ready;
  panel.content.activeCellIndex = 0;
  const n = panel.content.widgets.length;
  for (let i = 0; i < n; i++) {  // Shift+Enter, cell after cell (not on the last: it adds a cell)
    await Promise.race([app.commands.execute(i < n - 1 ? 'notebook:run-cell-and-select-next' : 'notebook:run-cell'),
                        new Promise((_, no) => setTimeout(() => no(new Error('cell ' + i + ' hangs')), 300000))]);
  }
  await panel.context.save();
}"""
OUTCOME = """() => {
  const cells = window.__panel.content.widgets;
  return cells.map((c, index) => [c, index]).filter(([c]) => c.model.type === 'code').map(([c, index]) => {
    const nbg = c.model.getMetadata('nbgrader') || {};
    const outputs = c.model.outputs.toJSON();
    return {id: nbg.grade_id || '', index, count: c.model.executionCount,
            text: c.node.querySelector('.jp-OutputArea') ? c.node.querySelector('.jp-OutputArea').innerText : '',
            errors: outputs.filter(o => o.output_type === 'error' || o.name === 'stderr')
                           .map(o => o.ename ? o.ename + ': ' + o.evalue : o.text),
            stderr_shown: c.node.querySelectorAll('[data-mime-type="application/vnd.jupyter.stderr"]').length,
            pngs: outputs.filter(o => o.data && o.data['image/png']).length,
            images: [...c.node.querySelectorAll('.jp-OutputArea img')].map(i => i.complete && i.naturalWidth)};
  });
}"""


def open_lesson(page, path: str, kernel: bool = False) -> int:
    return page.evaluate(OPEN, [path, kernel])


def wait_rendered(page) -> dict:
    """Wait until every markdown cell is rendered and its math typeset (or a minute went by)."""
    state = {}
    for _ in range(120):
        state = page.evaluate(RENDERED)
        if state["rendered"] == state["markdown"] and state["math"] and not state["raw"] and state["validate"]:
            page.wait_for_timeout(300)  # MathJax typesets in chunks: settle, then read again
            again = page.evaluate(RENDERED)
            if again["math"] == state["math"]:
                return again
        page.wait_for_timeout(500)
    return state


@pytest.mark.slow
def test_every_lesson_renders_and_answered_lessons_pass_their_checks_in_jupyterlab(lab_page, tmp_path):
    page, outside = lab_page
    problems = []
    for lid in lessons.LESSONS:
        open_lesson(page, f"lessons/{lid}/{lid}.ipynb")
        state = wait_rendered(page)
        if state["math"]:
            page.locator(".jp-NotebookPanel:not(.lm-mod-hidden) mjx-container").first.scroll_into_view_if_needed()
        page.screenshot(path=artifact(tmp_path, f"lab_{lid}.png"))
        if state["rendered"] != state["markdown"] or not state["math"] or state["raw"]:
            problems.append(f"{lid}: {state}")
        if state["validate"] != ["Validate"]:
            problems.append(f"{lid}: nbgrader's Validate button is missing ({state['validate']})")
    for lid in RUN:
        open_lesson(page, f"answered/{lid}/{lid}.ipynb", kernel=True)
        page.evaluate(RUN_ALL)
        # Read the outputs once every figure has been decoded (a busy machine decodes late).
        page.wait_for_function("() => [...window.__panel.node.querySelectorAll('.jp-OutputArea img')]"
                               ".every(i => i.complete)", timeout=120_000)
        cells = page.evaluate(OUTCOME)
        checks = [c for c in cells if c["id"].startswith("check_")]
        figures = [c for c in cells if c["pngs"]]
        for shot, cell in [("figure", figures[:1]), ("check", checks[:1])]:
            for c in cell:
                page.evaluate("i => window.__panel.content.widgets[i].node.scrollIntoView()", c["index"])
                page.screenshot(path=artifact(tmp_path, f"lab_{lid}_answered_{shot}.png"))
        for c in cells:
            if c["count"] is None:
                problems.append(f"{lid}: a cell did not run ({c['id'] or c['text'][:80]})")
            if c["errors"] or c["stderr_shown"]:
                problems.append(f"{lid}: {c['id'] or 'a cell'} shows an error: {c['errors']}")
            if len(c["images"]) != c["pngs"] or not all(c["images"]):
                problems.append(f"{lid}: {c['id'] or 'a cell'}'s figures are not all shown: {c['images']}")
        for c in checks:
            if f"{c['id'][len('check_'):]}: all public checks passed" not in c["text"]:
                problems.append(f"{lid}: {c['id']} does not show its pass message: {c['text'][:300]!r}")
        if not checks or not figures:
            problems.append(f"{lid}: no check cell or no figure ran ({len(checks)} checks)")
    assert not outside, f"JupyterLab asked for URLs outside its server: {sorted(set(outside))[:10]}"
    assert not problems, "\n".join(problems)
