"""`course collect`: an LMS's bulk download into submitted/ (upload times kept, nothing overwritten,
every file it cannot place named), and `course report --csv` as a spreadsheet reads it."""
import csv
import io
import json
import re
import struct
import zipfile
from datetime import datetime, timezone

import pytest

from autograder import collect as C
from autograder import lessons
from autograder.coursedir import CourseDir
from autograder.gradebook import open_gradebook, record, write_csv
from autograder.grading.report import ExerciseResult, Report

from .test_grading_interface import run_course

T0, T1 = lessons.get("00_tensors"), lessons.get("01_perceptron")
SOLUTION, BLANK = T0.solution_path.read_bytes(), T0.release_path.read_bytes()


def make_zip(path, members):
    """members: (name, bytes, a date_time, () for a default one, or ZipInfo attributes as a dict)."""
    with zipfile.ZipFile(path, "w") as zf:
        for name, data, when in members:
            info = zipfile.ZipInfo(name, date_time=when if isinstance(when, tuple) and when
                                   else (2026, 11, 30, 12, 0, 0))
            for k, v in (when if isinstance(when, dict) else {}).items():
                setattr(info, k, v)
            zf.writestr(info, data)
    return path


def stamp(course, student, lesson="00_tensors"):
    return (course.submitted(student, lesson) / "timestamp.txt").read_text()


def test_collect_places_every_upload_and_names_every_file_it_cannot(tmp_path):
    course = CourseDir(tmp_path / "course")
    bulk = make_zip(tmp_path / "canvas.zip", [
        ("lovelaceada_12345_901_00_tensors.ipynb", BLANK, (2026, 11, 30, 9, 0, 0)),   # first upload
        ("lovelaceada_12345_902_00_tensors-1.ipynb", SOLUTION, (2026, 11, 30, 10, 5, 2)),  # resubmission
        ("hopper_late_777_903_perceptron.ipynb", T1.solution_path.read_bytes(), (2026, 12, 2, 8, 0, 0)),
        ("Grace Hopper_555_assignsubmission_file_/my work.ipynb", SOLUTION, (2026, 11, 29, 23, 59, 58)),
        ("notes_12345_904_notes.pdf", b"%PDF-1.4", ()),
        ("renamed.ipynb", SOLUTION, ()),
        ("someone_1_905_other.ipynb", json.dumps({"cells": [], "metadata": {}}).encode(), ()),
        ("../lovelaceada_12345_906_escape.ipynb", SOLUTION, ()),
        ("/abs_12345_907_x.ipynb", SOLUTION, ()),
        ("broken_12345_908_x.ipynb", SOLUTION[:500], ()),
        ("inner_12345_909_x.zip", b"PK\x05\x06" + bytes(18), ()),
        ("link_12345_910_x.ipynb", b"/etc/passwd", {"external_attr": 0o120777 << 16}),
    ])
    proc = run_course("collect", str(bulk), "--course-dir", str(course.root))
    assert proc.returncode == 1, proc.stdout + proc.stderr
    assert "3 new submission(s) to grade" in proc.stdout, proc.stdout
    problems = proc.stderr
    for member, why in [("notes_12345_904_notes.pdf", "not a notebook"),
                        ("renamed.ipynb", "no student id"),
                        ("someone_1_905_other.ipynb", "unknown lesson"),
                        ("../lovelaceada_12345_906_escape.ipynb", "refused: a path with '..'"),
                        ("/abs_12345_907_x.ipynb", "refused: an absolute path"),
                        ("broken_12345_908_x.ipynb", "not a readable notebook"),
                        ("inner_12345_909_x.zip", "an archive inside the archive"),
                        ("link_12345_910_x.ipynb", "refused: a symbolic link")]:
        assert f"  {member}: {why}" in problems, problems
    assert "could not place 8 file(s)" in problems
    assert not (tmp_path / "escape.ipynb").exists() and not list(tmp_path.glob("*escape*"))

    # The latest upload is graded, the first one is kept; upload times become timestamp.txt.
    assert (course.submitted("12345", "00_tensors") / "00_tensors.ipynb").read_bytes() == SOLUTION
    assert stamp(course, "12345") == "2026-11-30 10:05:02.000000 UTC"
    [kept] = course.archived("12345", "00_tensors")
    assert (kept / "00_tensors.ipynb").read_bytes() == BLANK and "09:00:00" in (kept / "timestamp.txt").read_text()
    assert (course.submitted("777", "01_perceptron") / "01_perceptron.ipynb").exists()  # from the notebook
    assert stamp(course, "555") == "2026-11-29 23:59:58.000000 UTC"  # Moodle's folder layout
    assert {s.student for s in course.submissions()} == {"12345", "555", "777"}

    # The same download again changes nothing; an older upload collected later never replaces a newer one.
    again = C.collect(course, bulk)
    assert {p.where for p in again.placed} == {"unchanged"} and len(again.problems) == 8
    older = make_zip(tmp_path / "older.zip", [("lovelaceada_12345_900_draft.ipynb", SOLUTION[:-1] + b" ",
                                               (2026, 11, 29, 8, 0, 0))])
    [p] = C.collect(course, older).placed
    assert p.where == "archive" and stamp(course, "12345") == "2026-11-30 10:05:02.000000 UTC"
    assert len(course.archived("12345", "00_tensors")) == 2
    assert C.collect(course, bulk, lesson="01_perceptron").problems[0][1].startswith(
        "a notebook of lesson 00_tensors, not of 01_perceptron")


def test_upload_times_patterns_and_unusable_archives(tmp_path):
    course = CourseDir(tmp_path / "course")
    utc = int(datetime(2026, 12, 1, 7, 30, tzinfo=timezone.utc).timestamp())
    extended = struct.pack("<HHBi", 0x5455, 5, 1, utc)  # Info-ZIP's UTC time wins over the DOS time
    bulk = make_zip(tmp_path / "b.zip", [
        ("Lesson 0_ada_attempt_2026-12-01-09-30-00_00_tensors.ipynb", SOLUTION, ()),
        ("lovelaceada_1_2_x.ipynb", SOLUTION, {"extra": extended}),
        ("ben-00.ipynb", SOLUTION, (2026, 12, 1, 10, 0, 0)),
    ])
    C.collect(course, bulk, tz="Europe/Berlin")
    assert stamp(course, "ada") == "2026-12-01 08:30:00.000000 UTC"  # Blackboard's name, read in Berlin time
    assert stamp(course, "1") == "2026-12-01 07:30:00.000000 UTC"
    assert not course.submitted("ben", "00_tensors").exists()
    C.collect(course, bulk, pattern=r"^(?P<student_id>[a-z]+)-\d+\.ipynb$", tz="Europe/Berlin")
    assert stamp(course, "ben") == "2026-12-01 09:00:00.000000 UTC"

    for kwargs, message in [({"pattern": "(?P<student>x)"}, "(?P<student_id>...)"),
                            ({"pattern": "(unclosed"}, "not a valid regular expression"),
                            ({"tz": "Mars/Olympus"}, "unknown time zone"),
                            ({"lesson": "99_nothing"}, "unknown lesson")]:
        with pytest.raises(C.CollectError, match=re.escape(message)):
            C.collect(course, bulk, **kwargs)
    (tmp_path / "corrupt.zip").write_bytes(b"PK\x03\x04 this is not a zip")
    with pytest.raises(C.CollectError, match="not a readable zip archive"):
        C.collect(course, tmp_path / "corrupt.zip")
    member = io.BytesIO()
    make_zip(member, [("lovelaceada_1_2_x.ipynb", SOLUTION, ())])
    damaged = bytearray(member.getvalue())
    damaged[damaged.index(b'"cells"') + 2] ^= 0xFF  # stored, not compressed: the CRC check fails
    (tmp_path / "crc.zip").write_bytes(bytes(damaged))
    [(_, why)] = C.collect(course, tmp_path / "crc.zip").problems
    assert why.startswith("damaged in the archive")


def test_report_csv_reads_as_a_gradebook_import(tmp_path):
    """What an LMS import needs: one row per student id, a number per lesson, a total; text never
    read as a formula. (pandas and openpyxl are not in the environment; csv is what they build on.)"""
    course = CourseDir(tmp_path)

    def report(lesson, fraction):
        r = Report("x.ipynb", 1, lesson.id)
        for ex in lesson.exercises():
            r.exercises[ex.name] = ExerciseResult(ex.points * fraction, float(ex.points), fraction == 1, "")
        return r

    with open_gradebook(course.db_url) as gb:
        record(gb, "12345", T0, report(T0, 1.0), "2026-11-30 10:05:02.000000 UTC")
        record(gb, "12345", T1, report(T1, 0.5), None)
        record(gb, "=cmd|' /C calc'!A0", T0, report(T0, 0.25), None)
        record(gb, "777", T1, report(T1, 1.0), None)
    write_csv(course.db_url, tmp_path / "grades.csv")
    text = (tmp_path / "grades.csv").read_bytes().decode("utf-8")
    table = list(csv.reader(io.StringIO(text)))  # comma-separated, quoted where needed
    assert len({len(row) for row in table}) == 1 and len(table) == 4
    rows = list(csv.DictReader(io.StringIO(text)))
    assert list(rows[0])[:3] == ["student", "00_tensors", "01_perceptron"] and {"late", "total"} <= set(rows[0])
    by_id = {r["student"]: r for r in rows}
    assert set(by_id) == {"12345", "777", "'=cmd|' /C calc'!A0"}  # shown as text, not run as a formula
    for r in rows:
        lesson_scores = [float(r[x]) for x in ("00_tensors", "01_perceptron") if r[x] != ""]
        assert float(r["total"]) == pytest.approx(sum(lesson_scores))
    full0 = float(sum(ex.points for ex in T0.exercises()))
    assert float(by_id["12345"]["00_tensors"]) == full0 and by_id["777"]["00_tensors"] == ""
    assert not any(v[:1] in "=+-@" for r in rows for v in r.values() if v)
