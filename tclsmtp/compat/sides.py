"""Running one script under the reference (tclsh + tcllib) and under tclsmtp.

The reference side runs `tclsh SCRIPT ARG...` itself. To redirect its sends
to the recording server it adds one directory in front of TCLLIBPATH whose
pkgIndex.tcl (the *redirect prelude*, REDIRECT_PRELUDE below) wraps the
`package ifneeded` script of tcllib's smtp: once smtp is loaded, it defines
`::smtp::socket`, which smtp::initialize's `socket -async $server $port`
finds before the global `socket`, and which connects to the recording
server instead. Nothing else changes: the script is still the file tclsh
runs (argv0, argv, `info script`, errorInfo and exit status are tclsh's own);
smtp's options, errors, debug lines ("Trying $server...") and failover loop
are tcllib's; only the address a socket connects to differs. A script can
see the prelude only through `$auto_path` (one more directory) and
`info commands ::smtp::*` (one more command).

`--tcllib DIR` (``tcllib=`` below) puts DIR in front of TCLLIBPATH too, after
the prelude's directory: `package require` takes the highest version found,
and of equal versions the one earlier on auto_path, so DIR's tcllib wins over
the installed one (e.g. tcllib 2.0's sources over Debian's tcllib 1.21).

The tclsmtp side runs `python -m tclsmtp run [--route 127.0.0.1:PORT] SCRIPT
ARG...`, or, with the helper transport, the reference tclsh itself with
TCLLIBPATH from `tclsmtp tcl-path` (and TCLSMTP_ROUTE for the route).
"""
from __future__ import annotations

import os
import shutil
import subprocess
import sys
import time
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Optional

from ..server import Connection

INSTALL_HINT = (
    "install Tcl and tcllib (and tcl-tls for STARTTLS scripts):\n"
    "  Debian/Ubuntu:  apt-get install tcl tcllib tcl-tls\n"
    "  Fedora/RHEL:    dnf install tcl tcllib tcltls\n"
    "  macOS:          brew install tcl-tk, then tcllib from https://core.tcl-lang.org/tcllib\n"
    "or name another tclsh with --tclsh PATH")

REDIRECT_PRELUDE = r"""# tclsmtp compat: the redirect prelude (see tclsmtp/compat/sides.py).
# Sourced by tclsh's package scan as a pkgIndex.tcl; wraps the package
# ifneeded script of smtp so that, once tcllib's smtp is loaded, every
# connection smtp::initialize opens goes to the recording server.
apply {{} {
    foreach version [package versions smtp] {
        set script [package ifneeded smtp $version]
        if {[string first ::tclsmtp_compat::redirect $script] < 0} {
            package ifneeded smtp $version "$script\n::tclsmtp_compat::redirect"
        }
    }
}}
namespace eval ::tclsmtp_compat {}
proc ::tclsmtp_compat::redirect {} {
    # smtp::initialize calls `socket -async $server $port` from namespace
    # ::smtp, so this command is found before the global one.
    proc ::smtp::socket {args} {
        tailcall ::socket {*}[lreplace $args end-1 end @HOST@ @PORT@]
    }
}
"""


class ReferenceMissing(RuntimeError):
    """tclsh or tcllib is not installed: the comparison cannot run."""


@dataclass(frozen=True)
class Reference:
    """The reference found on this machine."""
    tclsh: str
    tcl: str
    mime: str
    smtp: str
    tls: Optional[str]
    tcllib: Optional[str] = None   # --tcllib DIR (absolute), None: tclsh's own tcllib

    @property
    def writes_boundary_twice(self) -> bool:
        """mime 1.7.0 (fixed in 1.7.2) writes a multipart boundary= parameter twice."""
        return self.mime == "1.7.0"


def tcllib_dir(directory: str) -> str:
    """--tcllib DIR as an absolute path; ReferenceMissing if it is no directory."""
    path = Path(directory).expanduser()
    if not path.is_dir():
        raise ReferenceMissing(f"--tcllib {directory}: no such directory (give the folder "
                               f"holding tcllib's modules, e.g. tcllib-2.0/modules)")
    return str(path.resolve())


@lru_cache(maxsize=None)
def find_reference(tclsh: str = "tclsh", tcllib: Optional[str] = None) -> Reference:
    """Probe tclsh and tcllib once; ReferenceMissing says how to install them.

    ``tcllib``: a directory put in front of TCLLIBPATH (`--tcllib DIR`); its
    mime and smtp must be the ones loaded.
    """
    path = shutil.which(tclsh)
    if path is None:
        raise ReferenceMissing(f"tclsh not found ({tclsh!r} is not on PATH); {INSTALL_HINT}")
    if tcllib is not None:
        tcllib = tcllib_dir(tcllib)
    probe = ("puts [info patchlevel]\n"
             "puts [package require mime]\n"
             "puts [package require smtp]\n"
             "if {[catch {package require tls} v]} {puts {}} else {puts $v}\n"
             "puts [list [package ifneeded mime [package present mime]] "
             "[package ifneeded smtp [package present smtp]]]\n")
    try:
        p = subprocess.run([path], input=probe, capture_output=True, text=True, timeout=60,
                           env=reference_env(dict(os.environ), None, tcllib))
    except (OSError, subprocess.TimeoutExpired) as e:
        raise ReferenceMissing(f"cannot run {path}: {e}; {INSTALL_HINT}") from None
    lines = p.stdout.splitlines()
    if p.returncode != 0 or len(lines) < 5:
        problem = p.stderr.strip().splitlines()[0] if p.stderr.strip() else "no output"
        where = f" with --tcllib {tcllib}" if tcllib else ""
        raise ReferenceMissing(f"tcllib's mime and smtp are not available to {path}{where} "
                               f"({problem}); {INSTALL_HINT}")
    if tcllib is not None and lines[4].count(tcllib) < 2:
        raise ReferenceMissing(f"--tcllib {tcllib}: tclsh loads mime {lines[1]} and smtp "
                               f"{lines[2]} from elsewhere ({lines[4]}): that folder holds no "
                               f"newer mime and smtp")
    return Reference(tclsh=path, tcl=lines[0], mime=lines[1], smtp=lines[2],
                     tls=lines[3] or None, tcllib=tcllib)


@dataclass
class SideResult:
    """What one run of the script did."""
    name: str                     # "tcllib" or "tclsmtp"
    command: list[str]
    returncode: Optional[int]     # None: killed after the timeout
    stdout: bytes
    stderr: bytes
    connections: list[Connection] = field(default_factory=list)
    seconds: float = 0.0
    port: int = 0                 # the recording server's port in this run

    @property
    def timed_out(self) -> bool:
        return self.returncode is None


def prelude_dir(directory: Path, host: str, port: int) -> Path:
    """Write the redirect prelude as directory/redirect/pkgIndex.tcl."""
    target = directory / "redirect"
    target.mkdir(parents=True, exist_ok=True)
    text = REDIRECT_PRELUDE.replace("@HOST@", host).replace("@PORT@", str(port))
    (target / "pkgIndex.tcl").write_text(text, encoding="utf-8")
    return target


def _tcl_list(items: list[str]) -> str:
    """A Tcl list of plain paths (TCLLIBPATH is one)."""
    return " ".join("{" + i + "}" if any(c in i for c in " \t{}\"\\$[];") else i for i in items)


def reference_command(ref: Reference, script: Path, args: list[str]) -> list[str]:
    return [ref.tclsh, str(script), *args]


def tclsmtp_command(script: Path, args: list[str], route: Optional[tuple[str, int]]) -> list[str]:
    cmd = [sys.executable, "-m", "tclsmtp", "run"]
    if route is not None:
        cmd += ["--route", f"{route[0]}:{route[1]}"]
    return cmd + [str(script), *args]


def reference_env(base: dict[str, str], redirect_dir: Optional[Path],
                  tcllib: Optional[str] = None) -> dict[str, str]:
    """The reference's environment: the redirect prelude's directory, then
    --tcllib's, in front of TCLLIBPATH."""
    env = dict(base)
    front = [str(d) for d in (redirect_dir, tcllib) if d is not None]
    if front:
        existing = env.get("TCLLIBPATH", "")
        env["TCLLIBPATH"] = (_tcl_list(front) + " " + existing).strip()
    return env


def helper_env(base: dict[str, str], route: Optional[tuple[str, int]]) -> dict[str, str]:
    """The tclsmtp side as a plain tclsh: TCLLIBPATH from ``tclsmtp tcl-path``
    first; the helper reads its route from TCLSMTP_ROUTE."""
    from ..helper.tclpath import write_tcl_path
    env = dict(base)
    existing = env.get("TCLLIBPATH", "")
    env["TCLLIBPATH"] = (_tcl_list([str(write_tcl_path())]) + " " + existing).strip()
    if route is not None:
        env["TCLSMTP_ROUTE"] = f"{route[0]}:{route[1]}"
    return env


def run_side(name: str, command: list[str], env: dict[str, str], stdin: Optional[bytes],
             timeout: float, cwd: Optional[Path] = None) -> SideResult:
    """Run one side to completion (or kill it after ``timeout`` seconds)."""
    start = time.monotonic()
    proc = subprocess.Popen(command, stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, env=env, cwd=cwd,
                            start_new_session=True)
    try:
        out, err = proc.communicate(stdin or b"", timeout=timeout)
        code: Optional[int] = proc.returncode
    except subprocess.TimeoutExpired:
        proc.kill()
        out, err = proc.communicate()
        code = None
    return SideResult(name=name, command=command, returncode=code, stdout=out, stderr=err,
                      seconds=time.monotonic() - start)


def base_environment(extra: dict[str, str]) -> dict[str, str]:
    env = dict(os.environ)
    env.update(extra)
    return env
