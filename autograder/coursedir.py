"""The instructor's course directory, in nbgrader's layout.

    submitted/<student>/<lesson>/<lesson>.ipynb + timestamp.txt   latest submission
    archive/<student>/<lesson>/<timestamp>/                       every earlier one
    autograded/<student>/<lesson>/<lesson>.ipynb                  what was graded, with feedback
    feedback/<student>/<lesson>/<lesson>.html                     nbgrader's feedback page
    gradebook.db                                                  nbgrader's SQLite gradebook
    reports/<student>/<lesson>.json                               the report in the gradebook, as JSON
    grading-runs/<run>.jsonl                                      every report of a run, with its seed
"""
from __future__ import annotations

import os
import re
import shutil
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path

from .lessons import REPO

STUDENT_ID = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_.@-]{0,63}$")
TIMESTAMP_FORMAT = "%Y-%m-%d %H:%M:%S.%f %Z"


class CourseError(Exception):
    """A usage problem the instructor or student can fix; the message says how."""


def default_root() -> Path:
    return Path(os.environ.get("COURSE_DIR", REPO))


def now_utc() -> datetime:
    return datetime.now(timezone.utc)


@dataclass(frozen=True)
class Submission:
    student: str
    lesson: str
    notebook: Path
    timestamp: str


@dataclass(frozen=True)
class CourseDir:
    root: Path

    @property
    def db_url(self) -> str:
        """$COURSE_DB_URL (say a PostgreSQL server) or the SQLite file in the course directory."""
        return os.environ.get("COURSE_DB_URL") or f"sqlite:///{self.root / 'gradebook.db'}"

    @property
    def gradebook_name(self) -> str:
        """Where the gradebook is, for messages: the SQLite file, or the URL without its password."""
        url = self.db_url
        if url.startswith("sqlite:///"):
            return url[len("sqlite:///"):]
        from sqlalchemy.engine import make_url
        return make_url(url).render_as_string(hide_password=True)

    def has_gradebook(self) -> bool:
        url = self.db_url
        return not url.startswith("sqlite:///") or Path(url[len("sqlite:///"):]).exists()

    def submitted(self, student: str, lesson: str) -> Path:
        return self.root / "submitted" / student / lesson

    def autograded(self, student: str, lesson: str) -> Path:
        return self.root / "autograded" / student / lesson

    def feedback(self, student: str, lesson: str) -> Path:
        return self.root / "feedback" / student / lesson

    def report(self, student: str, lesson: str) -> Path:
        """The JSON report of the grading in the gradebook (outside autograded/, which nbgrader
        copies into the students' feedback)."""
        return self.root / "reports" / student / f"{lesson}.json"

    def submit(self, notebook: Path, student: str, lesson: str, when: datetime | None = None) -> Path:
        """Copy a notebook into submitted/; an earlier submission moves to archive/."""
        check_student_id(student)
        when = when or now_utc()
        folder = self.submitted(student, lesson)
        if folder.exists():
            old = (folder / "timestamp.txt").read_text().strip() if (folder / "timestamp.txt").exists() \
                else "unknown-time"
            dest = self._archive_folder(student, lesson, old)
            dest.parent.mkdir(parents=True, exist_ok=True)
            shutil.move(str(folder), dest)
        return self._place(notebook, folder, lesson, when)

    def keep(self, notebook: Path, student: str, lesson: str, when: datetime) -> Path:
        """Store a notebook as an earlier submission (in archive/), e.g. an upload older than the
        one in submitted/; the submission that is graded stays as it is."""
        check_student_id(student)
        return self._place(notebook, self._archive_folder(student, lesson, when.strftime(TIMESTAMP_FORMAT)),
                           lesson, when)

    def _archive_folder(self, student: str, lesson: str, stamp: str) -> Path:
        dest = self.root / "archive" / student / lesson / _safe(stamp)
        n = 1
        while dest.exists():
            dest = dest.with_name(f"{_safe(stamp)}-{n}")
            n += 1
        return dest

    @staticmethod
    def _place(notebook: Path, folder: Path, lesson: str, when: datetime) -> Path:
        folder.mkdir(parents=True)
        shutil.copyfile(notebook, folder / f"{lesson}.ipynb")
        (folder / "timestamp.txt").write_text(when.strftime(TIMESTAMP_FORMAT))
        return folder / f"{lesson}.ipynb"

    def archived(self, student: str, lesson: str) -> list[Path]:
        base = self.root / "archive" / student / lesson
        return sorted(base.iterdir()) if base.exists() else []

    def submissions(self) -> list[Submission]:
        """Every latest submission, sorted by student then lesson."""
        out = []
        base = self.root / "submitted"
        if not base.exists():
            return out
        for student_dir in sorted(p for p in base.iterdir() if p.is_dir()):
            for lesson_dir in sorted(p for p in student_dir.iterdir() if p.is_dir()):
                stamp = lesson_dir / "timestamp.txt"
                notebook = lesson_dir / f"{lesson_dir.name}.ipynb"
                if not notebook.exists():
                    found = sorted(lesson_dir.glob("*.ipynb"))
                    notebook = found[0] if found else notebook
                out.append(Submission(student_dir.name, lesson_dir.name, notebook,
                                      stamp.read_text().strip() if stamp.exists() else ""))
        return out


def check_student_id(student: str) -> None:
    if not STUDENT_ID.match(student or ""):
        raise CourseError(f"invalid student id {student!r}: use letters, digits and . _ @ - "
                          "(at most 64 characters, starting with a letter or digit)")


def _safe(stamp: str) -> str:
    return re.sub(r"[^0-9A-Za-z.-]+", "_", stamp).strip("_") or "unknown-time"
