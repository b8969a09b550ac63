"""The grader reports, from outside the kernel, whether the kernel was isolated (SECURITY.md)."""
import os

import pytest

from autograder import lessons
from autograder.grading.engine import Grader
from autograder.sandbox.kernel import Limits, SandboxKernel

from .conftest import SEED, solution_json, write_notebook


def kernel_isolation(tmp_path, isolate: bool) -> str:
    with SandboxKernel(tmp_path, Limits(isolate=isolate)) as kernel:
        assert kernel.execute("x = 1").status == "ok"
        return kernel.isolation()


@pytest.mark.skipif(os.geteuid() != 0, reason="namespaces are guaranteed only as root")
def test_kernel_in_namespaces_is_reported_isolated(tmp_path):
    assert kernel_isolation(tmp_path, isolate=True) == "namespaces"


def test_kernel_without_namespaces_is_reported(tmp_path):
    assert kernel_isolation(tmp_path, isolate=False) == "limits only"


def test_report_says_how_the_kernel_was_isolated(tmp_path):
    lesson = lessons.get("00_tensors")
    nb = write_notebook(tmp_path / "ada.ipynb", solution_json(lesson))
    report = Grader(limits=Limits(isolate=False)).grade(nb, seed=SEED)
    assert report.score == report.max_score
    assert report.to_dict()["sandbox"] == "limits only"
    if os.geteuid() == 0:
        assert Grader().grade(nb, seed=SEED).to_dict()["sandbox"] == "namespaces"
