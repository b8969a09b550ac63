"""`course collect`: a learning-management system's bulk download (a zip) into submitted/.

Each member of the archive is a file a student uploaded. Its name gives the student id through a
regular expression with nbgrader's ``zip_collect`` named groups (``student_id``, and optionally
``timestamp``; ``file_id`` and the others are ignored); the lesson is recognised from the notebook
itself, as when grading. The upload time is the ``timestamp`` group when the pattern has one, else
the member's time in the zip (its UTC extended timestamp when present, else its DOS time read in
``tz``), and it becomes nbgrader's ``timestamp.txt``. Nothing is lost: the latest upload of a
student and lesson is in submitted/, every other one in archive/ (``CourseDir.submit``/``keep``);
an upload collected before is recognised and left alone. Members are read, never extracted by
their names, and every file that cannot be placed is named with the reason.
"""
from __future__ import annotations

import re
import struct
import tempfile
import zipfile
from dataclasses import dataclass, field
from datetime import datetime, timezone
from pathlib import Path, PurePosixPath
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from .coursedir import TIMESTAMP_FORMAT, CourseDir, CourseError, check_student_id
from .lessons import LESSONS
from .notebooks import MAX_NOTEBOOK_BYTES, NotebookError, read_cells, recognize_lesson
from .untrusted import terminal

# File names of the bulk downloads of common systems (the student id is the system's own number).
PATTERNS = {
    # lastnamefirstname_[late_]<user id>_<submission id>_<uploaded name>
    "canvas": r"^(?P<name>[^_/]+)_(?:late_)?(?P<student_id>\d+)_(?P<submission_id>\d+)_(?P<file_id>[^/]+)$",
    # Full Name_<participant id>_assignsubmission_file_<uploaded name>, or the same as a folder
    "moodle": r"^(?P<name>[^_/]+)_(?P<student_id>\d+)_assignsubmission_file_/?(?P<file_id>[^/]+)$",
    # <assignment>_<username>_attempt_<YYYY-MM-DD-HH-MM-SS>_<uploaded name> (nbgrader's example)
    "blackboard": r"^(?P<assignment>[^/]+?)_(?P<student_id>[^_/]+)_attempt_"
                  r"(?P<timestamp>\d{4}-\d\d-\d\d-\d\d-\d\d-\d\d)_?(?P<file_id>[^/]*)$",
}
AUTO = "auto"  # the default: the first of PATTERNS that matches


class CollectError(CourseError):
    """The archive or the pattern cannot be used at all."""


@dataclass
class Placed:
    student: str
    lesson: str
    when: datetime
    member: str
    where: str  # "submitted"/"replaced" (now graded), "archive" (an older upload), "unchanged"
    path: Path | None = None


@dataclass
class Collected:
    placed: list[Placed] = field(default_factory=list)
    problems: list[tuple[str, str]] = field(default_factory=list)  # (member name, why not placed)


def compile_pattern(pattern: str) -> list[re.Pattern]:
    """The regular expressions to try, in order; a custom one must name a ``student_id`` group."""
    sources = list(PATTERNS.values()) if pattern == AUTO else [PATTERNS.get(pattern, pattern)]
    out = []
    for source in sources:
        try:
            rx = re.compile(source)
        except re.error as e:
            raise CollectError(f"--pattern is not a valid regular expression: {e}") from None
        if "student_id" not in rx.groupindex:
            raise CollectError("--pattern must have a named group (?P<student_id>...)")
        out.append(rx)
    return out


def _zone(name: str):
    try:
        return timezone.utc if name.upper() == "UTC" else ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        raise CollectError(f"unknown time zone {name!r} (use a name such as Europe/Berlin)") from None


def unsafe_name(name: str) -> str | None:
    """Why a member name could escape a folder if it were extracted (it never is), or None."""
    if "\\" in name or "\x00" in name or re.match(r"^[A-Za-z]:", name):
        return "a Windows or malformed path"
    p = PurePosixPath(name)
    if p.is_absolute():
        return "an absolute path"
    if ".." in p.parts:
        return "a path with '..'"
    return None


def upload_time(info: zipfile.ZipInfo, match: re.Match, tz) -> datetime:
    """The upload time in UTC: the name's ``timestamp`` group, else the member's time in the zip."""
    stamp = match.groupdict().get("timestamp")
    if stamp:
        digits = [int(x) for x in re.findall(r"\d+", stamp)][:6]
        try:
            return datetime(*digits, tzinfo=tz).astimezone(timezone.utc)
        except (TypeError, ValueError):
            pass  # not a date after all: use the zip's time
    extra = info.extra
    while len(extra) >= 4:  # Info-ZIP extended timestamp (0x5455): mtime in UTC seconds
        tag, size = struct.unpack("<HH", extra[:4])
        body = extra[4:4 + size]
        if tag == 0x5455 and size >= 5 and body[0] & 1:
            return datetime.fromtimestamp(struct.unpack("<i", body[1:5])[0], timezone.utc)
        extra = extra[4 + size:]
    return datetime(*info.date_time, tzinfo=tz).astimezone(timezone.utc)


def _match(patterns: list[re.Pattern], name: str) -> re.Match | None:
    """The first pattern matching the member's path in the archive, or else its file name."""
    for candidate in (name, PurePosixPath(name).name):
        for rx in patterns:
            m = rx.match(candidate)
            if m and m.group("student_id"):
                return m
    return None


def _same(a: Path, stamp: Path, data: bytes, when: datetime) -> bool:
    return (a.exists() and stamp.exists() and stamp.read_text().strip() == when.strftime(TIMESTAMP_FORMAT)
            and a.read_bytes() == data)


def _collected_before(course: CourseDir, student: str, lesson: str, data: bytes, when: datetime) -> bool:
    folders = [course.submitted(student, lesson)] + course.archived(student, lesson)
    return any(_same(f / f"{lesson}.ipynb", f / "timestamp.txt", data, when) for f in folders)


def _submitted_time(course: CourseDir, student: str, lesson: str) -> datetime | None:
    """When the submission in submitted/ was made (None if there is none; the epoch if unknown)."""
    folder = course.submitted(student, lesson)
    if not folder.exists():
        return None
    try:
        import dateutil.parser
        when = dateutil.parser.parse((folder / "timestamp.txt").read_text().strip())
        return when if when.tzinfo else when.replace(tzinfo=timezone.utc)
    except (OSError, ValueError, OverflowError):
        return datetime.fromtimestamp(0, timezone.utc)


def collect(course: CourseDir, archive: Path, pattern: str = AUTO, lesson: str | None = None,
            tz: str = "UTC") -> Collected:
    """Place every notebook of ``archive`` under submitted/ (or archive/); see the module's text."""
    patterns, zone = compile_pattern(pattern), _zone(tz)
    if lesson is not None and lesson not in LESSONS:
        raise CollectError(f"unknown lesson {lesson!r} (known: {', '.join(LESSONS)})")
    try:
        zf = zipfile.ZipFile(archive)
    except FileNotFoundError:
        raise CollectError(f"no such file: {archive}") from None
    except (zipfile.BadZipFile, OSError) as e:
        raise CollectError(f"{archive} is not a readable zip archive ({e})") from None
    result = Collected()
    found: list[tuple[str, str, datetime, str, Path]] = []  # each upload waits in a temporary file
    with zf, tempfile.TemporaryDirectory(prefix="course-collect-") as tmp:
        for i, info in enumerate(zf.infolist()):
            name = info.filename
            if info.is_dir():
                continue
            why = _refusal(info)
            if why is None and not name.lower().endswith(".ipynb"):
                why = "not a notebook (only .ipynb files are collected)"
            m = _match(patterns, name) if why is None else None
            if why is None and m is None:
                why = "no student id: the name does not match the file-name pattern (--pattern)"
            if why is None:
                try:
                    check_student_id(m.group("student_id"))
                except CourseError as e:
                    why = str(e)
            if why is None:
                data, why = _read(zf, info)
            if why is None:
                probe = Path(tmp) / f"{i}.ipynb"
                probe.write_bytes(data)
                try:
                    found_lesson = recognize_lesson(read_cells(probe))
                except NotebookError as e:
                    why = f"not a readable notebook: {e}"
                else:
                    if found_lesson is None:
                        why = "unknown lesson: not a notebook of a lesson of this course"
                    elif lesson is not None and found_lesson.id != lesson:
                        why = f"a notebook of lesson {found_lesson.id}, not of {lesson} (--lesson)"
            if why is not None:
                result.problems.append((name, why))
                continue
            found.append((m.group("student_id"), found_lesson.id, upload_time(info, m, zone), name, probe))

        # Oldest first, so that each student's latest upload of a lesson ends in submitted/.
        for student, lesson_id, when, name, upload in sorted(found, key=lambda f: f[:3]):
            if _collected_before(course, student, lesson_id, upload.read_bytes(), when):
                result.placed.append(Placed(student, lesson_id, when, name, "unchanged"))
                continue
            current = _submitted_time(course, student, lesson_id)
            if current is not None and current > when:
                path = course.keep(upload, student, lesson_id, when)
                result.placed.append(Placed(student, lesson_id, when, name, "archive", path))
            else:
                replaced = course.submitted(student, lesson_id).exists()
                path = course.submit(upload, student, lesson_id, when)
                result.placed.append(Placed(student, lesson_id, when, name,
                                            "replaced" if replaced else "submitted", path))
    return result


def _refusal(info: zipfile.ZipInfo) -> str | None:
    why = unsafe_name(info.filename)
    if why:
        return f"refused: {why} in the archive"
    if (info.external_attr >> 16) & 0o170000 == 0o120000:
        return "refused: a symbolic link"
    if info.flag_bits & 0x1:
        return "refused: encrypted"
    if info.filename.lower().endswith((".zip", ".tar", ".gz", ".tgz", ".7z", ".rar")):
        return "an archive inside the archive: extract it and collect it on its own"
    if info.file_size > MAX_NOTEBOOK_BYTES:
        return f"{info.file_size / 2**20:.0f} MB; notebooks over {MAX_NOTEBOOK_BYTES // 2**20} MB are not collected"
    return None


def _read(zf: zipfile.ZipFile, info: zipfile.ZipInfo) -> tuple[bytes, str | None]:
    """The member's bytes (at most the notebook limit, whatever its header claims), or why not."""
    try:
        with zf.open(info) as f:
            data = f.read(MAX_NOTEBOOK_BYTES + 1)
    except (zipfile.BadZipFile, zipfile.LargeZipFile, OSError, EOFError, NotImplementedError,
            RuntimeError, ValueError) as e:  # CRC error, truncated data, unsupported compression
        return b"", f"damaged in the archive ({e})"
    if len(data) > MAX_NOTEBOOK_BYTES:
        return b"", f"over {MAX_NOTEBOOK_BYTES // 2**20} MB; not collected"
    return data, None


def describe(result: Collected) -> list[str]:
    """What happened to each file, for the terminal (member names are the students' text)."""
    lines = []
    labels = {"submitted": "placed  ", "replaced": "placed  ", "archive": "archived", "unchanged": "same    "}
    for p in result.placed:
        note = {"replaced": "  (the earlier submission moved to archive/)",
                "archive": "  (older than the submission in submitted/, kept in archive/)",
                "unchanged": "  (collected before; left as it is)"}.get(p.where, "")
        lines.append(f"  {labels[p.where]}  {terminal(p.student)}/{p.lesson}  "
                     f"uploaded {p.when.strftime('%Y-%m-%d %H:%M:%S UTC')}  <- {terminal(p.member)}{note}")
    return lines
