"""Starts a student kernel in a sandbox. Runs as ``python launcher.py [options] -- KERNEL ARGS``.

Kept free of ``autograder`` imports: it runs by path, isolates itself, then replaces itself
(``execv``) with a Python that blocks the forbidden modules and starts ipykernel.

With ``--isolate`` and root (or unprivileged user namespaces), the kernel gets:
- its own PID namespace, as PID 1: when it ends, the kernel ends every process it started,
  new sessions included; it dies with the launcher (parent-death signal);
- its own network namespace with no interface up (it talks to the grader over Unix sockets);
- its own mount namespace: every file system read-only, a private empty tmp folder holding
  only its work folder, the hidden tests, references, solutions and gradebook covered;
- no capabilities and no_new_privs, so none of this can be undone from inside;
- cgroup limits on processes and memory where the cgroup file systems are writable.
Without them it still gets its own session and the resource limits (see SECURITY.md).
"""
import argparse
import ctypes
import os
import resource
import signal
import sys

CLONE_NEWNS, CLONE_NEWPID, CLONE_NEWNET, CLONE_NEWUSER = 0x20000, 0x20000000, 0x40000000, 0x10000000
MS_RDONLY, MS_NOSUID, MS_NODEV, MS_REMOUNT, MS_BIND, MS_REC, MS_PRIVATE = 1, 2, 4, 32, 4096, 16384, 1 << 18
PR_SET_PDEATHSIG, PR_CAPBSET_DROP, PR_SET_NO_NEW_PRIVS = 1, 24, 38

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

_libc = ctypes.CDLL(None, use_errno=True)


def _check(result: int, what: str) -> None:
    if result != 0:
        err = ctypes.get_errno()
        raise OSError(err, f"{what}: {os.strerror(err)}")


def _mount(source, target, fstype, flags, data=None) -> None:
    _check(_libc.mount(source and source.encode(), target.encode(), fstype and fstype.encode(),
                       ctypes.c_ulong(flags), data and data.encode()), f"mount {target}")


def join_cgroups(name: str, pids_max: int, memory_mb: int) -> None:
    """Best effort: a pids and a memory cgroup (v1) for this process and its descendants."""
    for controller, limits in (("pids", {"pids.max": pids_max}),
                               ("memory", {"memory.limit_in_bytes": memory_mb * 2**20,
                                           "memory.memsw.limit_in_bytes": memory_mb * 2**20})):
        path = f"/sys/fs/cgroup/{controller}/{name}"
        try:
            os.makedirs(path, exist_ok=True)
            for key, value in limits.items():
                if value and os.path.exists(f"{path}/{key}"):
                    with open(f"{path}/{key}", "w") as f:
                        f.write(str(value))
            with open(f"{path}/cgroup.procs", "w") as f:
                f.write(str(os.getpid()))
        except OSError:
            pass


def enter_namespaces() -> bool:
    """New mount, network and PID namespaces (as root, or via a user namespace)."""
    flags = CLONE_NEWNS | CLONE_NEWNET | CLONE_NEWPID
    if os.geteuid() == 0 and _libc.unshare(flags) == 0:
        return True
    uid, gid = os.geteuid(), os.getegid()
    if _libc.unshare(flags | CLONE_NEWUSER) != 0:
        return False
    try:
        with open("/proc/self/setgroups", "w") as f:
            f.write("deny")
        with open("/proc/self/uid_map", "w") as f:
            f.write(f"0 {uid} 1")
        with open("/proc/self/gid_map", "w") as f:
            f.write(f"0 {gid} 1")
    except OSError:
        pass
    return True


def _under(path: str, folder: str) -> bool:
    return path == folder or path.startswith(folder.rstrip("/") + "/")


def build_filesystem(workdir: str, hide: list[str], keep: list[str]) -> None:
    """Inside the new mount namespace: read-only world, private temporary folders, secrets covered.

    The temporary folders (the work folder's parent, /tmp, /var/tmp, /dev/shm) become empty
    tmpfs; the work folder and the ``keep`` paths that lived there (the course's code and
    environment, when they sit in /tmp) are bound back at the same paths.
    """
    _mount(None, "/", None, MS_REC | MS_PRIVATE)
    _mount("proc", "/proc", "proc", MS_NOSUID | MS_NODEV)
    covers: list[str] = []
    for c in sorted({os.path.dirname(workdir.rstrip("/")), "/tmp", "/var/tmp", "/dev/shm"}, key=len):
        if os.path.isdir(c) and not any(_under(c, x) for x in covers):
            covers.append(c)
    back = [(p, os.open(p, os.O_PATH | os.O_DIRECTORY)) for p in dict.fromkeys([workdir] + keep)
            if os.path.isdir(p) and any(_under(p, c) and p != c for c in covers)]
    for c in covers:
        _mount("tmpfs", c, "tmpfs", MS_NOSUID | MS_NODEV, "mode=1777,size=64m")
    for path, fd in back:
        os.makedirs(path, exist_ok=True)
        _mount(f"/proc/self/fd/{fd}", path, None, MS_BIND | MS_REC)
        os.close(fd)
    for path in hide:
        if not os.path.exists(path):
            continue
        if os.path.isdir(path):
            _mount("tmpfs", path, "tmpfs", MS_NOSUID | MS_NODEV | MS_RDONLY, "mode=000,size=4k")
        else:
            _mount("/dev/null", path, None, MS_BIND)
    with open("/proc/self/mountinfo") as f:
        points = [line.split()[4] for line in f]
    for point in points:
        if point in covers or point == workdir or any(_under(point, x) for x in ("/proc", "/sys", "/dev")):
            continue
        _libc.mount(None, point.encode(), None, ctypes.c_ulong(MS_REMOUNT | MS_BIND | MS_RDONLY), None)


def drop_privileges() -> None:
    for cap in range(64):
        _libc.prctl(PR_CAPBSET_DROP, cap, 0, 0, 0)
    _check(_libc.prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0), "no_new_privs")


def main(argv=None):
    p = argparse.ArgumentParser()
    p.add_argument("--memory-mb", type=int, default=0)
    p.add_argument("--address-space", action="store_true", help="also cap the address space")
    p.add_argument("--file-mb", type=int, default=256)
    p.add_argument("--pids-max", type=int, default=256)
    p.add_argument("--block", default="", help="comma-separated module names")
    p.add_argument("--why", default="")
    p.add_argument("--isolate", action="store_true")
    p.add_argument("--parent", type=int, default=0, help="the grading process that starts this kernel")
    p.add_argument("--workdir", default="")
    p.add_argument("--hide", action="append", default=[])
    p.add_argument("--keep", action="append", default=[], help="folders to keep visible (read-only)")
    p.add_argument("kernel_args", nargs=argparse.REMAINDER)
    a = p.parse_args(argv)
    kernel_args = [x for x in a.kernel_args if x != "--"]

    _libc.prctl(PR_SET_PDEATHSIG, signal.SIGKILL, 0, 0, 0)  # dies with the grader that started it
    signal.pthread_sigmask(signal.SIG_UNBLOCK, {signal.SIGINT})  # the kernel is interrupted by SIGINT
    if a.parent and os.getppid() != a.parent:
        os._exit(70)  # the grader died before the line above took effect (e.g. Ctrl-C of a batch)
    if os.getpid() != os.getpgid(0):
        os.setsid()  # own process group: the grader can end everything the kernel starts
    if a.memory_mb and a.address_space:
        limit = a.memory_mb * 2**20
        resource.setrlimit(resource.RLIMIT_AS, (limit, limit))
    if a.file_mb:
        limit = a.file_mb * 2**20
        resource.setrlimit(resource.RLIMIT_FSIZE, (limit, limit))
    resource.setrlimit(resource.RLIMIT_CORE, (0, 0))

    blocked = sorted(filter(None, a.block.split(",")))
    code = BOOTSTRAP.format(blocked=set(blocked), why=a.why, kernel_args=kernel_args)
    argv_kernel = [sys.executable, "-c", code]

    isolated = False
    if a.isolate:
        if os.geteuid() == 0:
            join_cgroups(f"course-sandbox-{os.getpid()}", a.pids_max, a.memory_mb)
        isolated = enter_namespaces()
    if not isolated:
        os.execv(sys.executable, argv_kernel)

    child = os.fork()
    if child == 0:  # PID 1 of the new PID namespace (its parent is outside: getppid() is 0)
        _libc.prctl(PR_SET_PDEATHSIG, signal.SIGKILL, 0, 0, 0)
        try:
            workdir = os.path.abspath(a.workdir)
            build_filesystem(workdir, [os.path.abspath(h) for h in a.hide],
                             [os.path.abspath(k) for k in a.keep])
            os.chdir(workdir)  # the old working directory is on the now read-only file system
            drop_privileges()
        except OSError as exc:
            print(f"sandbox set-up failed: {exc}", file=sys.stderr)
            os._exit(70)
        os.execv(sys.executable, argv_kernel)
    # The launcher stays as the kernel's parent: the grader's signals reach the kernel through
    # the process group; the launcher ignores SIGINT and passes SIGTERM on.
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    signal.signal(signal.SIGTERM, lambda *_: os.kill(child, signal.SIGKILL))
    while True:
        try:
            _, status = os.waitpid(child, 0)
            break
        except ChildProcessError:
            status = 0
            break
        except InterruptedError:
            continue
    os._exit(os.waitstatus_to_exitcode(status) & 0xFF)


if __name__ == "__main__":
    main()
