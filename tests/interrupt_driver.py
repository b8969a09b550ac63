"""Runs `course` with Ctrl-C arriving at a chosen moment, so that the interrupt tests do not
depend on the machine's speed: ``python tests/interrupt_driver.py PHASE ARGS...``.

Ctrl-C is SIGINT to the whole process group, as a terminal sends it (run the driver in a
session of its own). PHASE: start (the workers were just started), grading (a report was just
recorded), commit (a report is about to be recorded), pages (a feedback page is about to be
written), none.
"""
import os
import signal
import sys

from autograder import batch, cli, feedback, gradebook


def ctrl_c():
    os.killpg(os.getpgrp(), signal.SIGINT)


def install(phase):
    if phase == "start":
        original_pool = batch.Pool.__init__

        def pool_init(self, *a, **k):
            original_pool(self, *a, **k)
            ctrl_c()
        batch.Pool.__init__ = pool_init
    elif phase in ("grading", "commit"):
        original_record = gradebook.record

        def record(gb, *a, **k):
            if phase == "commit":
                ctrl_c()
            original_record(gb, *a, **k)
            if phase == "grading":
                ctrl_c()
        gradebook.record = record
    elif phase == "pages":
        original_html = feedback.generate_html

        def generate_html(*a, **k):
            ctrl_c()
            return original_html(*a, **k)
        feedback.generate_html = generate_html


if __name__ == '__main__':
    install(sys.argv[1])
    sys.exit(cli.main(sys.argv[2:]))
