"""Running Tcl scripts under the reference (tclsh + tcllib) and under tclsmtp.

Both run as separate processes on a script file, the way users run them, so
their stdout, stderr and exit status can be compared.
"""
from __future__ import annotations

import os
import shutil
import subprocess
import sys
import tempfile
from dataclasses import dataclass
from pathlib import Path

TCLLIB_HINT = "install the reference: apt-get install -y tcllib tcl-tls (scripts/dev test does it)"


@dataclass
class Run:
    returncode: int
    stdout: str
    stderr: str


def require_tcllib() -> None:
    if shutil.which("tclsh") is None:
        raise AssertionError(f"tclsh not found; {TCLLIB_HINT}")
    probe = subprocess.run(["tclsh"], input="puts [package require mime]; puts [package require smtp]",
                           capture_output=True, text=True, timeout=60)
    if probe.returncode != 0:
        raise AssertionError(f"tcllib not found by tclsh ({probe.stderr.strip()}); {TCLLIB_HINT}")


def _write(script: str) -> Path:
    fd, name = tempfile.mkstemp(suffix=".tcl", prefix="tclsmtp-test-")
    with os.fdopen(fd, "w", encoding="utf-8") as f:
        f.write(script)
    return Path(name)


def _run(cmd: list[str], stdin: str | None, timeout: float, env: dict | None) -> Run:
    p = subprocess.run(cmd, input=stdin if stdin is not None else "", capture_output=True,
                       timeout=timeout, env={**os.environ, **(env or {})},
                       encoding="utf-8", errors="surrogateescape")
    return Run(p.returncode, p.stdout, p.stderr)


def run_tclsh(script: str, *args: str, stdin: str | None = None, timeout: float = 120,
              env: dict | None = None) -> Run:
    """The script under tclsh with tcllib: the reference."""
    path = _write(script)
    try:
        return _run(["tclsh", str(path), *args], stdin, timeout, env)
    finally:
        path.unlink()


def run_tclsmtp(script: str, *args: str, stdin: str | None = None, timeout: float = 120,
                env: dict | None = None, options: tuple[str, ...] = ()) -> Run:
    """The same script under `tclsmtp run`."""
    path = _write(script)
    try:
        return _run([sys.executable, "-m", "tclsmtp", "run", *options, str(path), *args],
                    stdin, timeout, env)
    finally:
        path.unlink()


def run_both(script: str, *args: str, stdin: str | None = None, timeout: float = 120,
             env: dict | None = None, options: tuple[str, ...] = ()) -> tuple[Run, Run]:
    """The same script file under tclsh+tcllib and under `tclsmtp run`.

    One file serves both, so argv0 and `info script` are the same path.
    """
    path = _write(script)
    try:
        ref = _run(["tclsh", str(path), *args], stdin, timeout, env)
        ours = _run([sys.executable, "-m", "tclsmtp", "run", *options, str(path), *args],
                    stdin, timeout, env)
        return ref, ours
    finally:
        path.unlink()
