"""Building the student release (lessons/) from the instructor's source (solutions/) with nbgrader."""
from __future__ import annotations

import json
import re
import shutil
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

from .lessons import CATALOGUE, RELEASE, REPO, SOLUTIONS

LEAK_MARKERS = ("### BEGIN SOLUTION", "### END SOLUTION", "### BEGIN HIDDEN TESTS",
                "### END HIDDEN TESTS", "autograder.course")


def nbgrader_config(release_dir: Path, db_url: str):
    """nbgrader_config.py of the repository, pointed at the given release folder and gradebook."""
    from traitlets.config.loader import PyFileConfigLoader
    config = PyFileConfigLoader("nbgrader_config.py", path=str(REPO)).load_config()
    config.CourseDirectory.root = str(REPO)
    config.CourseDirectory.source_directory = str(SOLUTIONS)
    config.CourseDirectory.release_directory = str(release_dir)
    config.CourseDirectory.db_url = db_url
    return config


def source_lessons() -> list[str]:
    """Lesson folders present in solutions/, in catalogue order."""
    known = [lesson.id for lesson in CATALOGUE]
    found = sorted(p.name for p in SOLUTIONS.iterdir() if p.is_dir() and not p.name.startswith("."))
    return [x for x in known if x in found] + [x for x in found if x not in known]


def generate(release_dir: Path, db_url: str, lesson_ids: list[str] | None = None, log=print) -> None:
    """Run nbgrader's generate_assignment for each lesson into ``release_dir``."""
    from .nbgrader_api import make_api

    api = make_api(nbgrader_config(release_dir, db_url))
    for lesson_id in lesson_ids or source_lessons():
        result = api.generate_assignment(lesson_id, force=True, create=True)
        if not result.get("success"):
            raise RuntimeError(f"nbgrader could not generate {lesson_id}:\n{result.get('error', '')}"
                               f"\n{result.get('log', '')}")
        log(f"released {lesson_id}")


def _cells(path: Path) -> list[dict]:
    return json.loads(path.read_text())["cells"]


def _solution_blocks(source: str) -> list[str]:
    blocks = re.findall(r"### BEGIN SOLUTION\n(.*?)### END SOLUTION", source, re.S)
    return [b.strip() for b in blocks if b.strip()]


def leaks(release_dir: Path = RELEASE) -> list[str]:
    """Solution code or hidden tests that a release would hand to students."""
    problems = []
    for nb_path in sorted(release_dir.glob("*/*.ipynb")):
        text = nb_path.read_text()
        for marker in LEAK_MARKERS:
            if marker in text:
                problems.append(f"{nb_path.relative_to(release_dir)} contains '{marker}'")
        source_nb = SOLUTIONS / nb_path.parent.name / nb_path.name
        if not source_nb.exists():
            continue
        released = "\n".join("".join(c["source"]) for c in _cells(nb_path))
        for cell in _cells(source_nb):
            for block in _solution_blocks("".join(cell["source"])):
                if block in released:
                    gid = cell.get("metadata", {}).get("nbgrader", {}).get("grade_id")
                    problems.append(f"{nb_path.relative_to(release_dir)}: the solution of '{gid}' is in the release")
    return problems


@dataclass
class CheckResult:
    stale: list[str] = field(default_factory=list)
    leaks: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.stale and not self.leaks


def check() -> CheckResult:
    """Regenerate into a temporary folder and compare with lessons/; scan lessons/ for leaks."""
    result = CheckResult(leaks=leaks(RELEASE))
    tmp = Path(tempfile.mkdtemp(prefix="course-release-"))
    try:
        generate(tmp / "release", f"sqlite:///{tmp / 'gradebook.db'}", log=lambda *_: None)
        fresh = {p.relative_to(tmp / "release") for p in (tmp / "release").rglob("*") if p.is_file()}
        committed = {p.relative_to(RELEASE) for p in RELEASE.rglob("*")
                     if p.is_file() and ".ipynb_checkpoints" not in p.parts}
        for rel in sorted(fresh | committed):
            if rel not in committed:
                result.stale.append(f"lessons/{rel} is missing")
            elif rel not in fresh:
                result.stale.append(f"lessons/{rel} has no source in solutions/")
            elif not _same(tmp / "release" / rel, RELEASE / rel):
                result.stale.append(f"lessons/{rel} is out of date")
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    return result


def _same(a: Path, b: Path) -> bool:
    if a.suffix == ".ipynb":
        return json.loads(a.read_text()) == json.loads(b.read_text())
    return a.read_bytes() == b.read_bytes()


def release(log=print) -> None:
    """Regenerate lessons/ from solutions/ (the instructor's gradebook records the lessons)."""
    generate(RELEASE, f"sqlite:///{REPO / 'gradebook.db'}", log=log)
    found = leaks(RELEASE)
    if found:
        raise RuntimeError("the release would leak:\n" + "\n".join(found))
