"""The course directory names the gradebook it really uses."""
from autograder.coursedir import CourseDir


def test_the_gradebook_named_is_the_one_in_use(tmp_path, monkeypatch):
    course = CourseDir(tmp_path)
    monkeypatch.delenv("COURSE_DB_URL", raising=False)
    assert course.gradebook_name == str(tmp_path / "gradebook.db") and not course.has_gradebook()
    (tmp_path / "gradebook.db").write_bytes(b"")
    assert course.has_gradebook()
    monkeypatch.setenv("COURSE_DB_URL", "postgresql://grader:secret@db.example/course")
    assert course.gradebook_name == "postgresql://grader:***@db.example/course"
    assert course.has_gradebook()
