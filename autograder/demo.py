"""`course demo`: a small class graded end to end into a fresh course directory.

The demo submissions are made from the course itself, so they always fit the current
lessons: the solution notebooks, the blank release, answers from the known-mistake
library, and answers that crash, hang or damage the notebook.
"""
from __future__ import annotations

import json
import shutil
from pathlib import Path

from .coursedir import CourseDir
from .lessons import LESSONS, Lesson
from .notebooks import with_answers

CRASHING_ANSWERS = [
    "def {name}(*args, **kwargs):\n    while True:\n        pass\n",
    "def {name}(*args, **kwargs):\n    import os\n    os._exit(3)\n",
    "def {name}(*args, **kwargs):\n    raise RuntimeError('not sure how to do this')\n",
]


def _solution(lesson: Lesson) -> dict:
    return json.loads(lesson.solution_path.read_text())


def _student_notebooks(lesson: Lesson) -> dict[str, dict | bytes]:
    names = [ex.name for ex in lesson.exercises()]
    mistakes = {}
    for m in lesson.mistakes().MISTAKES:
        mistakes.setdefault(m.exercise, m)
    half = {n: mistakes[n].code for n in names[::2] if n in mistakes}
    crash = {n: answer.format(name=n) for n, answer in zip(names, CRASHING_ANSWERS)}
    return {
        "ada": _solution(lesson),                           # fully correct
        "ben": json.loads(lesson.release_path.read_text()),  # blank release
        "cleo": with_answers(_solution(lesson), half),       # typical mistakes in half the exercises
        "dev": with_answers(_solution(lesson), crash),       # one answer hangs, one exits, one raises
    }


def build_class(course: CourseDir, tmp: Path, lesson_ids: list[str] | None = None) -> int:
    """Submit the demo class through the normal submission path; returns how many."""
    n = 0
    for lesson in (LESSONS[x] for x in lesson_ids or LESSONS):
        for student, nb in _student_notebooks(lesson).items():
            path = tmp / f"{student}-{lesson.id}.ipynb"
            path.write_text(json.dumps(nb))
            course.submit(path, student, lesson.id)
            n += 1
    # A damaged upload (truncated JSON) replaced by a good resubmission: both are kept.
    first = next(iter(LESSONS.values()))
    bad = tmp / "eve-truncated.ipynb"
    bad.write_text(first.solution_path.read_text()[:2000])
    course.submit(bad, "eve", first.id)
    course.submit(first.solution_path, "eve", first.id)
    broken = tmp / "fay-broken.ipynb"
    broken.write_text(first.solution_path.read_text()[:2000])
    course.submit(broken, "fay", first.id)
    return n + 2


def run_demo(root: Path, seed: int = 2026, lesson_ids: list[str] | None = None) -> int:
    from .batch import default_jobs, grade_all
    from .console import print_class_table

    if root.exists():
        if not (root / ".course-demo").exists():
            print(f"error: {root} exists and is not a demo course directory; choose another --dir")
            return 2
        shutil.rmtree(root)
    root.mkdir(parents=True)
    (root / ".course-demo").write_text("made by `course demo`; safe to delete\n")
    course = CourseDir(root)
    tmp = root / ".uploads"
    tmp.mkdir()
    n = build_class(course, tmp, lesson_ids)
    print(f"demo class: {n} submissions of {len(lesson_ids or LESSONS)} lessons in {root / 'submitted'}")
    print("  ada: fully correct   ben: blank release   cleo: typical mistakes   "
          "dev: one answer hangs, one exits the kernel, one raises\n"
          "  eve: damaged upload, then a good resubmission   fay: damaged upload only")
    results = grade_all(course, seed=seed, jobs=default_jobs())
    print()
    print_class_table(course)
    print(f"gradebook (nbgrader):         {course.gradebook_name}")
    print(f"feedback pages:               {root / 'feedback'}/<student>/<lesson>/<lesson>.html")
    print(f"graded notebooks:             {root / 'autograded'}")
    print(f"run log with the seed:        {root / 'grading-runs'}")
    print(f"earlier submissions kept in:  {root / 'archive'}")
    from .insights import write_page
    print(f"class insights:               {write_page(course, root / 'insights')}")
    example = results[0].submission if results else None
    if example:
        print(f"for example: {course.feedback(example.student, example.lesson) / (example.lesson + '.html')}")
    return 0
