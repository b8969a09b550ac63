"""A student kernel in its own process group, with limits, timeouts and capped output."""
from __future__ import annotations

import json
import os
import queue
import shutil
import signal
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

from jupyter_client import KernelManager
from jupyter_client.kernelspec import KernelSpecManager

LAUNCHER = Path(__file__).with_name("launcher.py")
REPO = Path(__file__).resolve().parent.parent.parent
OUTPUT_CAP = 20_000  # characters of kernel output kept per execution


@dataclass
class Limits:
    """Resource limits of one student kernel."""

    cell_timeout: float = 30.0
    memory_mb: int = 4096
    address_space: bool = True  # also cap virtual memory (not for TensorFlow, which reserves a lot)
    pids_max: int = 256
    blocked_modules: tuple[str, ...] = ()
    blocked_reason: str = ""
    isolate: bool = True  # namespaces, read-only file system, no network (see launcher.py)
    hide: tuple[str, ...] = ()  # paths the student's code must not see


@dataclass
class Execution:
    """What one execute request did: status is ok, error, timeout or died."""

    status: str
    error: str = ""
    output: str = ""
    output_chars: int = 0
    seconds: float = 0.0


def remove_cgroups(name: str | None) -> None:
    """Remove the kernel's cgroups (once its processes are gone) and any stale empty ones."""
    for controller in ("pids", "memory"):
        base = Path("/sys/fs/cgroup") / controller
        if not base.is_dir():
            continue
        if name:
            for _ in range(40):
                try:
                    (base / name).rmdir()
                    break
                except FileNotFoundError:
                    break
                except OSError:
                    time.sleep(0.05)
        for stale in base.glob("course-sandbox-*"):
            try:
                stale.rmdir()
            except OSError:
                pass


@dataclass
class SandboxKernel:
    workdir: Path
    limits: Limits = field(default_factory=Limits)
    km: KernelManager | None = None
    restarts: int = 0

    def _spec_dir(self) -> Path:
        spec_root = Path(tempfile.mkdtemp(prefix="kernelspec-", dir=self.workdir))
        spec = spec_root / "course-sandbox"
        spec.mkdir()
        lim = self.limits
        argv = [sys.executable, str(LAUNCHER), "--memory-mb", str(lim.memory_mb),
                "--pids-max", str(lim.pids_max), "--block", ",".join(lim.blocked_modules),
                "--why", lim.blocked_reason, "--workdir", str(self.workdir), "--parent", str(os.getpid())]
        argv += ["--address-space"] if lim.address_space else []
        argv += ["--isolate"] if lim.isolate else []
        for path in lim.hide:
            argv += ["--hide", path]
        for path in dict.fromkeys([str(REPO), sys.prefix, sys.base_prefix]):
            argv += ["--keep", path]
        argv += ["--", "-f", "{connection_file}"]
        (spec / "kernel.json").write_text(json.dumps(
            {"argv": argv, "display_name": "course sandbox", "language": "python"}))
        return spec_root

    def start(self) -> None:
        ksm = KernelSpecManager(kernel_dirs=[str(self._spec_dir())])
        self.km = KernelManager(kernel_name="course-sandbox", kernel_spec_manager=ksm,
                                transport="ipc", ip=str(self.workdir / "kernel-ipc"),
                                connection_file=str(self.workdir / f"connection-{self.restarts}.json"))
        env = {k: v for k, v in os.environ.items() if not k.startswith(("COURSE_", "JPY_"))}
        env.update(MPLBACKEND="Agg", PYTHONHASHSEED="0", OMP_NUM_THREADS="1",
                   OPENBLAS_NUM_THREADS="1", MKL_NUM_THREADS="1", TF_CPP_MIN_LOG_LEVEL="3",
                   PYDEVD_DISABLE_FILE_VALIDATION="1", PYTHONDONTWRITEBYTECODE="1",
                   MPLCONFIGDIR=str(self._matplotlib_dir()), TMPDIR=str(self.workdir),
                   IPYTHONDIR=str(self.workdir / ".ipython"))
        self.km.start_kernel(cwd=str(self.workdir), env=env,
                             stdout=open(os.devnull, "w"), stderr=open(self.workdir / "kernel-stderr.log", "w"))
        self.kc = self.km.blocking_client()
        self.kc.start_channels()
        try:
            self.kc.wait_for_ready(timeout=30)
        except Exception:
            self.shutdown()
            raise

    def _matplotlib_dir(self) -> Path:
        """A writable matplotlib folder with the font cache copied in (no rebuild per kernel)."""
        folder = self.workdir / ".matplotlib"
        if not folder.exists():
            folder.mkdir()
            cache = Path(os.environ.get("MPLCONFIGDIR") or Path.home() / ".cache" / "matplotlib")
            for f in cache.glob("fontlist-*.json"):
                shutil.copyfile(f, folder / f.name)
        return folder

    @property
    def pid(self) -> int | None:
        proc = getattr(getattr(self.km, "provisioner", None), "process", None)
        return getattr(proc, "pid", None)

    def loaded_files(self, fragments: dict[str, str]) -> set[str]:
        """Names of the ``fragments`` (name -> path fragment) mapped into the kernel's processes.

        Read from /proc by the grader, so code in the kernel cannot hide what it loaded.
        """
        found: set[str] = set()
        pid = self.pid
        if not pid:
            return found
        try:
            import psutil
            procs = [psutil.Process(pid)] + psutil.Process(pid).children(recursive=True)
        except Exception:
            return found
        for proc in procs:
            try:
                maps = Path(f"/proc/{proc.pid}/maps").read_text()
            except OSError:
                continue
            found |= {name for name, frag in fragments.items() if frag in maps}
        return found

    def isolation(self) -> str:
        """How the kernel is isolated, read from /proc by the grader: "namespaces" when the
        kernel process has its own PID, network and mount namespaces, else "limits only"."""
        pid = self.pid
        if not pid:
            return "limits only"
        try:
            import psutil
            pids = [pid] + [c.pid for c in psutil.Process(pid).children(recursive=True)]
            own = {ns: os.readlink(f"/proc/self/ns/{ns}") for ns in ("pid", "net", "mnt")}
            for p in pids:
                if all(os.readlink(f"/proc/{p}/ns/{ns}") != link for ns, link in own.items()):
                    return "namespaces"
        except Exception:
            pass
        return "limits only"

    def execute(self, code: str, timeout: float | None = None) -> Execution:
        """Run code; never raises for what the student's code does."""
        timeout = self.limits.cell_timeout if timeout is None else timeout
        start = time.monotonic()
        if not self.alive():
            return Execution("died", "the kernel was not running")
        msg_id = self.kc.execute(code, store_history=False, allow_stdin=False, stop_on_error=False)
        deadline = start + timeout
        out, chars, status, error = [], 0, None, ""
        while True:
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                status = "timeout"
                break
            try:
                msg = self.kc.get_iopub_msg(timeout=min(remaining, 1.0))
            except queue.Empty:
                if not self.alive():
                    status = "died"
                    break
                continue
            if msg["parent_header"].get("msg_id") != msg_id:
                continue
            kind, content = msg["msg_type"], msg["content"]
            if kind == "stream":
                text = content.get("text", "")
                chars += len(text)
                if chars - len(text) < OUTPUT_CAP:
                    out.append(text[: OUTPUT_CAP - (chars - len(text))])
            elif kind == "error":
                error = f"{content.get('ename')}: {content.get('evalue')}"[:1000]
            elif kind == "status" and content.get("execution_state") == "idle":
                status = "error" if error else "ok"
                break
        seconds = time.monotonic() - start
        if status == "timeout":
            self._recover_from_timeout()
            error = f"did not finish within {timeout:g} s"
        elif status == "died":
            error = "the kernel died (crash, exit or memory limit)"
            self.restart()
        return Execution(status, error, "".join(out), chars, seconds)

    def _recover_from_timeout(self) -> None:
        """Interrupt; if the code ignores it, kill and restart the kernel."""
        try:
            self.km.interrupt_kernel()
            end = time.monotonic() + 2.0
            while time.monotonic() < end:
                msg = self.kc.get_iopub_msg(timeout=max(0.05, end - time.monotonic()))
                if msg["msg_type"] == "status" and msg["content"].get("execution_state") == "idle":
                    self._drain()
                    return
        except Exception:
            pass
        self.restart()

    def _drain(self) -> None:
        for get in (self.kc.get_iopub_msg, self.kc.get_shell_msg):
            while True:
                try:
                    get(timeout=0.05)
                except queue.Empty:
                    break

    def alive(self) -> bool:
        try:
            return bool(self.km and self.km.is_alive())
        except Exception:
            return False

    def restart(self) -> None:
        """A fresh kernel (the caller re-runs its set-up)."""
        self.shutdown()
        self.restarts += 1
        self.start()

    def shutdown(self) -> None:
        """Stop the kernel and everything in its process group."""
        if self.km is None:
            return
        pid = self.pid
        try:
            self.kc.stop_channels()
        except Exception:
            pass
        if pid:
            try:
                os.killpg(pid, signal.SIGKILL)
            except (ProcessLookupError, PermissionError):
                pass
        try:
            self.km.shutdown_kernel(now=True)
        except Exception:
            pass
        try:
            self.km.cleanup_resources()
        except Exception:
            pass
        self.km = None
        remove_cgroups(f"course-sandbox-{pid}" if pid else None)

    def __enter__(self) -> "SandboxKernel":
        self.start()
        return self

    def __exit__(self, *exc) -> None:
        self.shutdown()
