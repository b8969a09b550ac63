"""Shared fixtures: the lessons, a grader, and notebooks built from the solutions."""
import json
import os
import shutil
from pathlib import Path

import pytest

from autograder import lessons
from autograder.grading.engine import Grader

SEED = 20261123  # fixed so that a failure can be replayed; the grading tests also vary it


@pytest.fixture(scope="session")
def grader():
    return Grader()


def lesson_ids():
    return list(lessons.LESSONS)


def write_notebook(path: Path, nb: dict) -> Path:
    path.write_text(json.dumps(nb))
    return path


def solution_json(lesson) -> dict:
    return json.loads(lesson.solution_path.read_text())


CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")


def missing(what: str):
    """Skip for want of a tool, except in CI and as root (where `./run.sh setup` installs it)."""
    message = f"{what}; `./run.sh setup` installs it (apt-get as root, pip)"
    if os.environ.get("CI", "").lower() in ("1", "true", "yes") or os.geteuid() == 0:
        pytest.fail(message)  # CI and root machines must run the browser tests
    pytest.skip(message)


@pytest.fixture(scope="session")
def browser():
    """Debian's headless chromium, driven by Playwright (which downloads no browser here)."""
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        missing("Playwright for Python is not installed")
    if not CHROMIUM:
        missing("chromium is not installed")
    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM)
        yield b
        b.close()


def artifact(tmp_path: Path, name: str) -> Path:
    """Where a test saves a screenshot: its tmp dir, or $COURSE_TEST_ARTIFACTS when set."""
    folder = Path(os.environ.get("COURSE_TEST_ARTIFACTS") or tmp_path)
    folder.mkdir(parents=True, exist_ok=True)
    return folder / name
