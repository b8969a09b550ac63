"""CPU time and peak memory of this process and everything it starts, for the benchmarks.

Child processes that end during a measurement (student kernels) are sampled every 50 ms, so
their CPU time is counted up to their last sample (a lower bound, short by at most 50 ms of
each process's life); processes alive at the start (a warm TensorFlow worker) count only what
they use during the measurement. This process's CPU leaves out the sampling thread's own.
"""
from __future__ import annotations

import threading
import time

import psutil

TENSORFLOW_MAP = "/tensorflow/"  # a process that mapped TensorFlow's libraries


def _cpu(p: psutil.Process) -> float:
    t = p.cpu_times()
    return t.user + t.system


class ProcessTree:
    """``with ProcessTree() as tree: ...`` then ``tree.cpu`` (seconds) and the peak resident
    memory in MB of any one process by role: ``tree.peak_mb["tensorflow"]`` and ``["grader"]``
    (student kernels, started through the sandbox launcher, are ``"kernel"``)."""

    def __init__(self, interval: float = 0.05):
        self.interval = interval
        self.me = psutil.Process()
        self.start: dict[int, float] = {}
        self.last: dict[int, float] = {}
        self.role: dict[int, str] = {}
        self.peak_mb = {"grader": 0.0, "tensorflow": 0.0, "kernel": 0.0}
        self._stop = threading.Event()
        self._sampler_cpu = 0.0  # CPU seconds of the sampling thread so far

    def _role(self, p: psutil.Process) -> str:
        if p.pid not in self.role or self.role[p.pid] == "grader":
            cmd = " ".join(p.cmdline())
            if "launcher.py" in cmd or "_CourseImportBlocker" in cmd or "ipykernel" in cmd:
                self.role[p.pid] = "kernel"
            elif any(TENSORFLOW_MAP in (m.path or "") for m in p.memory_maps(grouped=True)):
                self.role[p.pid] = "tensorflow"
            else:
                self.role[p.pid] = "grader"  # looked at again later: TensorFlow may load later
        return self.role[p.pid]

    def _sample(self, first: bool = False) -> None:
        try:
            procs = [self.me] + self.me.children(recursive=True)
        except psutil.Error:
            return
        for p in procs:
            try:
                # this process: without the CPU of this sampling thread (psutil's scans cost seconds)
                cpu = _cpu(p) if p.pid != self.me.pid else time.process_time() - self._sampler_cpu
                if p.pid not in self.start:
                    self.start[p.pid] = cpu if first else 0.0
                self.last[p.pid] = cpu
                role = self._role(p)
                self.peak_mb[role] = max(self.peak_mb[role], p.memory_info().rss / 2**20)
            except psutil.Error:
                pass

    def _watch(self) -> None:
        while not self._stop.wait(self.interval):
            self._sample()
            self._sampler_cpu = time.thread_time()

    def __enter__(self) -> "ProcessTree":
        self._sample(first=True)
        self._thread = threading.Thread(target=self._watch, daemon=True)
        self._thread.start()
        return self

    def __exit__(self, *exc) -> None:
        self._stop.set()
        self._thread.join()
        self._sample()

    @property
    def cpu(self) -> float:
        return sum(self.last[pid] - self.start[pid] for pid in self.last)

    @property
    def cpu_by_role(self) -> dict[str, float]:
        """CPU seconds per role: ``grader``, ``tensorflow`` (the ground-truth worker), ``kernel``."""
        out = {"grader": 0.0, "tensorflow": 0.0, "kernel": 0.0}
        for pid in self.last:
            out[self.role.get(pid, "grader")] += self.last[pid] - self.start[pid]
        return out
