"""One way to get nbgrader's Python API (release generation, feedback pages)."""
from __future__ import annotations

import logging
import os
import sys


def ensure_alembic_on_path() -> None:
    """nbgrader runs `alembic` from PATH; make it the one of this environment."""
    bindir = os.path.dirname(sys.executable)
    if bindir not in os.environ.get("PATH", "").split(os.pathsep):
        os.environ["PATH"] = bindir + os.pathsep + os.environ.get("PATH", "")


def make_api(config):
    """An NbGraderAPI on the given config, quiet: results are checked, not logged.

    The API probes nbgrader's exchange folder, which this course does not use; that probe
    logs a CRITICAL line about an unwritable /usr/local/share/nbgrader/exchange.
    """
    from nbgrader.apps import NbGraderAPI
    from nbgrader.coursedir import CourseDirectory

    ensure_alembic_on_path()
    # nbgrader also logs each database error it raises (to tornado's logger); the course
    # reports what failed itself, so those lines would only repeat it on the terminal.
    logging.getLogger("tornado.application").setLevel(logging.CRITICAL + 1)
    traitlets_log = logging.getLogger("traitlets")
    level = traitlets_log.level
    traitlets_log.setLevel(logging.CRITICAL + 1)
    try:
        config.NbGraderAPI.log_level = logging.CRITICAL
        api = NbGraderAPI(CourseDirectory(config=config), config=config)
    finally:
        traitlets_log.setLevel(level)
    return api
