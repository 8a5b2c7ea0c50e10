"""Shared by the smtp benchmarks: a postfix smtp-sink on loopback, and
running one Tcl script under tclsh+tcllib, under `tclsmtp run` and under a
plain tclsh with tclsmtp's helper transport."""
from __future__ import annotations

import os
import resource
import shutil
import socket
import subprocess
import sys
import tempfile
import time
from contextlib import contextmanager
from typing import Iterator, Optional

_SINK_PIDS: dict[int, int] = {}          # port -> smtp-sink's pid


def free_port() -> int:
    s = socket.socket()
    s.bind(("127.0.0.1", 0))
    port = s.getsockname()[1]
    s.close()
    return port


@contextmanager
def smtp_sink() -> Iterator[int]:
    """postfix's smtp-sink (apt-get install postfix) on a free loopback port."""
    sink = shutil.which("smtp-sink") or "/usr/sbin/smtp-sink"
    if not os.path.exists(sink):
        raise SystemExit("smtp-sink not found: apt-get install -y postfix")
    port = free_port()
    cmd = [sink]
    if os.geteuid() == 0:
        cmd += ["-u", "nobody"]
    proc = subprocess.Popen(cmd + [f"127.0.0.1:{port}", "1000"],
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    _SINK_PIDS[port] = proc.pid
    try:
        for _ in range(200):
            try:
                socket.create_connection(("127.0.0.1", port), timeout=0.1).close()
                break
            except OSError:
                time.sleep(0.01)
        yield port
    finally:
        _SINK_PIDS.pop(port, None)
        proc.terminate()
        proc.wait()


def sink_cpu_seconds(port: int) -> Optional[float]:
    """CPU time smtp-sink (on ``port``) has used so far, from Linux's
    /proc/PID/schedstat (nanoseconds); None where there is none."""
    try:
        with open(f"/proc/{_SINK_PIDS[port]}/schedstat") as f:
            return int(f.read().split()[0]) / 1e9
    except (KeyError, OSError, ValueError, IndexError):
        return None


def run_script(text: str, engine: str, *args: str) -> tuple[float, str, float]:
    """Run the script with "tcllib", "tclsmtp" (`tclsmtp run`) or "helper"
    (plain tclsh, TCLLIBPATH from `tclsmtp tcl-path`): (wall-clock seconds,
    stdout, CPU seconds of the process and its children)."""
    with tempfile.NamedTemporaryFile("w", suffix=".tcl", delete=False) as f:
        f.write(text)
        path = f.name
    try:
        env = dict(os.environ)
        if engine == "tcllib":
            cmd = ["tclsh", path, *args]
        elif engine == "helper":
            # A plain tclsh with TCLLIBPATH from `tclsmtp tcl-path`: the
            # helper-process transport.
            from tclsmtp.helper.tclpath import write_tcl_path
            cmd = ["tclsh", path, *args]
            env["TCLLIBPATH"] = str(write_tcl_path())
            env.pop("PYTHONDONTWRITEBYTECODE", None)
            env["PYTHONPYCACHEPREFIX"] = os.path.join(tempfile.gettempdir(), "tclsmtp-bench-pycache")
        else:
            cmd = [sys.executable, "-m", "tclsmtp", "run", path, *args]
            # As installed: compiled modules are cached (pip writes them at
            # install time). A checkout run with PYTHONDONTWRITEBYTECODE=1
            # would compile every module on every start instead.
            env.pop("PYTHONDONTWRITEBYTECODE", None)
            env["PYTHONPYCACHEPREFIX"] = os.path.join(tempfile.gettempdir(), "tclsmtp-bench-pycache")
        before = resource.getrusage(resource.RUSAGE_CHILDREN)
        start = time.perf_counter()
        p = subprocess.run(cmd, capture_output=True, text=True, env=env)
        elapsed = time.perf_counter() - start
        after = resource.getrusage(resource.RUSAGE_CHILDREN)
        cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
        if p.returncode != 0:
            raise SystemExit(f"{engine} failed ({p.returncode}):\n{p.stdout}{p.stderr}")
        return elapsed, p.stdout, cpu
    finally:
        os.unlink(path)
