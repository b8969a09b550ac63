"""Shared fixtures: the lessons, a grader, and notebooks built from the solutions."""
import json
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
