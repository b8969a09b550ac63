"""nbgrader configuration for the course: solutions/ is the source, lessons/ the release."""
c = get_config()  # noqa: F821 (provided by traitlets)

c.CourseDirectory.course_id = "dl-fundamentals"
c.CourseDirectory.source_directory = "solutions"
c.CourseDirectory.release_directory = "lessons"
c.CourseDirectory.db_url = "sqlite:///gradebook.db"
# Notebooks are stored without outputs; nothing in the source should execute at release time.
c.ClearSolutions.code_stub = {"python": "# YOUR CODE HERE\nraise NotImplementedError()"}
c.ClearSolutions.enforce_metadata = True
