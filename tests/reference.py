"""Running Tcl scripts under the reference (tclsh + tcllib) and under tclsmtp.

Both run as separate processes on a script file, the way users run them, so
their stdout, stderr and exit status can be compared.

The reference is tcllib 2.0 (mime 1.7.2, smtp 1.5.2): its sources are in
../shared/reference/tcllib-2.0/modules beside the repository's root, put in
front of auto_path through TCLLIBPATH (so its packages win over Debian's
tcllib 1.21, which only supplies what 2.0's folder lacks, e.g. tls). Pass
``tcllib=DEBIAN`` to run under Debian's tcllib 1.21 alone, where a test shows
a 1.21-vs-2.0 difference.
"""
from __future__ import annotations

import os
import shutil
import subprocess
import sys
import tempfile
from dataclasses import dataclass
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parent.parent
# The reference tcllib: absolute, so that a script that changes directory
# still loads it.
REFERENCE_TCLLIB = (REPO_ROOT.parent / "shared" / "reference" / "tcllib-2.0" / "modules").resolve()
DEBIAN = None  # tcllib=DEBIAN: the tclsh's own tcllib (Debian's 1.21)
TCLLIB_HINT = (("install Tcl and Debian's tcllib: apt-get install -y tcl tcllib tcl-tls "
                "(scripts/dev test does it); the reference tcllib 2.0 is read from "
                f"{REFERENCE_TCLLIB}") if REFERENCE_TCLLIB.is_dir() else
               (f"the reference tcllib 2.0 is missing: no {REFERENCE_TCLLIB} (shared/ must "
                "lie beside the repository's root, as ../shared)"))


def tcllib_env(env: dict | None = None, tcllib: Path | None = REFERENCE_TCLLIB) -> dict:
    """``env`` with ``tcllib`` in front of TCLLIBPATH (unchanged for DEBIAN)."""
    env = dict(env or {})
    if tcllib is not None:
        rest = env.get("TCLLIBPATH", os.environ.get("TCLLIBPATH", ""))
        env["TCLLIBPATH"] = ("{" + str(tcllib) + "} " + rest).strip()
    return env


@dataclass
class Run:
    returncode: int
    stdout: str
    stderr: str


def require_tcllib() -> None:
    """Fails unless tclsh finds tcllib 2.0 (the reference) and Debian's 1.21."""
    if shutil.which("tclsh") is None:
        raise AssertionError(f"tclsh not found; {TCLLIB_HINT}")
    script = "puts [package require mime]; puts [package require smtp]"
    for tcllib, expected in ((REFERENCE_TCLLIB, "1.7.2\n1.5.2\n"), (DEBIAN, "1.7.0\n1.5.1\n")):
        probe = subprocess.run(["tclsh"], input=script, capture_output=True, text=True,
                               timeout=60, env={**os.environ, **tcllib_env(None, tcllib)})
        if probe.returncode != 0 or probe.stdout != expected:
            raise AssertionError(f"tclsh with TCLLIBPATH={tcllib_env(None, tcllib).get('TCLLIBPATH')} "
                                 f"gives mime/smtp {probe.stdout.split()} ({probe.stderr.strip()}), "
                                 f"expected {expected.split()}; {TCLLIB_HINT}")


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
              env: dict | None = None, tcllib: Path | None = REFERENCE_TCLLIB) -> Run:
    """The script under tclsh with tcllib: the reference (2.0 unless ``tcllib`` says)."""
    path = _write(script)
    try:
        return _run(["tclsh", str(path), *args], stdin, timeout, tcllib_env(env, tcllib))
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
             env: dict | None = None, options: tuple[str, ...] = (),
             tcllib: Path | None = REFERENCE_TCLLIB) -> tuple[Run, Run]:
    """The same script file under tclsh+tcllib and under `tclsmtp run`.

    One file serves both, so argv0 and `info script` are the same path.
    """
    path = _write(script)
    try:
        ref = _run(["tclsh", str(path), *args], stdin, timeout, tcllib_env(env, tcllib))
        ours = _run([sys.executable, "-m", "tclsmtp", "run", *options, str(path), *args],
                    stdin, timeout, env)
        return ref, ours
    finally:
        path.unlink()
