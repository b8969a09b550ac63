"""Starts a student kernel under limits. Runs as ``python launcher.py [options] -- KERNEL ARGS``.

Kept free of ``autograder`` imports: it is run by path, sets the limits on its own
process, then replaces itself (``execv``) by a Python that blocks the forbidden modules
and starts ipykernel. Limits set here are inherited by everything the kernel starts.
"""
import argparse
import os
import resource
import sys

# Executed by the kernel's interpreter before ipykernel starts.
BOOTSTRAP = r"""
import sys, importlib.abc
_BLOCKED = {blocked!r}
_WHY = {why!r}
class _CourseImportBlocker(importlib.abc.MetaPathFinder):
    def find_spec(self, name, path=None, target=None):
        top = name.partition(".")[0]
        if top in _BLOCKED or name in _BLOCKED:
            raise ImportError(f"'{{name}}' is not available here: {{_WHY}}")
        return None
sys.meta_path.insert(0, _CourseImportBlocker())
sys.argv = ["ipykernel_launcher"] + {kernel_args!r}
from ipykernel import kernelapp
kernelapp.launch_new_instance()
"""


def main(argv=None):
    p = argparse.ArgumentParser()
    p.add_argument("--memory-mb", type=int, default=0)
    p.add_argument("--cpu-seconds", type=int, default=0)
    p.add_argument("--file-mb", type=int, default=256)
    p.add_argument("--block", default="", help="comma-separated module names")
    p.add_argument("--why", default="")
    p.add_argument("kernel_args", nargs=argparse.REMAINDER)
    a = p.parse_args(argv)
    kernel_args = [x for x in a.kernel_args if x != "--"]

    if os.getpid() != os.getpgid(0):
        os.setsid()  # own process group: the grader can end everything the kernel starts
    if a.memory_mb:
        limit = a.memory_mb * 2**20
        resource.setrlimit(resource.RLIMIT_AS, (limit, limit))
    if a.cpu_seconds:
        resource.setrlimit(resource.RLIMIT_CPU, (a.cpu_seconds, a.cpu_seconds + 5))
    if a.file_mb:
        limit = a.file_mb * 2**20
        resource.setrlimit(resource.RLIMIT_FSIZE, (limit, limit))
    resource.setrlimit(resource.RLIMIT_CORE, (0, 0))

    blocked = sorted(filter(None, a.block.split(",")))
    code = BOOTSTRAP.format(blocked=set(blocked), why=a.why, kernel_args=kernel_args)
    os.execv(sys.executable, [sys.executable, "-c", code])


if __name__ == "__main__":
    main()
