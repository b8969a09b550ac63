"""What the commands print: the class table (student text shown as text, never as markup)."""
from __future__ import annotations

import sys

from rich.console import Console
from rich.table import Table

from .gradebook import class_table
from .untrusted import rich_text


def print_class_table(course) -> None:
    """The class gradebook as a table on standard output."""
    header, rows = class_table(course.db_url)
    table = Table(title="Class gradebook")
    for h in header:  # student ids and lesson names are shown as they are, never as rich markup
        table.add_column(rich_text(h), justify="left" if h == "student" else "right", no_wrap=True,
                         min_width=len(h))
    for row in rows:
        table.add_row(*[rich_text("-" if v is None else v) for v in row])
    wide = sum(len(h) + 3 for h in header) + 4
    Console(width=None if sys.stdout.isatty() else max(100, wide)).print(table)
