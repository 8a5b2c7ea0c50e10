"""Running one script under the reference (tclsh + tcllib) and under tclsmtp.

The reference side runs `tclsh SCRIPT ARG...` itself, with one directory in
front of TCLLIBPATH whose pkgIndex.tcl (the *prelude*, STEADY_PRELUDE and
REDIRECT_PRELUDE below) wraps the `package ifneeded` scripts of tcllib's
packages:
- mime: a generated multipart boundary is derived from `clock seconds` on
  every call, so a part's boundary changes when a second ticks between two
  of its calls (tclsmtp keeps one: docs/compat.md). Each part's calls see
  the second of its first call, so a tick shows no difference.
- smtp (redirect only): once smtp is loaded, it defines `::smtp::socket`,
  which smtp::initialize's `socket -async $server $port` finds before the
  global `socket`, and which connects to the recording server instead.
Nothing else changes: the script is still the file tclsh runs (argv0, argv,
`info script`, errorInfo and exit status are tclsh's own); smtp's options,
errors, debug lines ("Trying $server...") and failover loop are tcllib's;
only the address a socket connects to differs. A script can see the prelude
only through `$auto_path` (one more directory) and `info commands` in
::mime (clock, and the renamed getContentType and copymessageaux) and ::smtp
(socket).

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

STEADY_PRELUDE = r"""# tclsmtp compat: the reference's prelude (see tclsmtp/compat/sides.py).
# Sourced by tclsh's package scan as a pkgIndex.tcl; wraps the package
# ifneeded scripts of tcllib's mime (and, with redirect, smtp).
namespace eval ::tclsmtp_compat { variable pins {} }
# Runs command once package is loaded (appended to its ifneeded scripts).
proc ::tclsmtp_compat::after_loading {package command} {
    foreach version [package versions $package] {
        set script [package ifneeded $package $version]
        if {[string first $command $script] < 0} {
            package ifneeded $package $version "$script\n$command"
        }
    }
}
::tclsmtp_compat::after_loading mime ::tclsmtp_compat::steady
# tcllib derives a generated multipart boundary from [clock seconds] each
# time it writes one, so a part's calls on either side of a second show two
# boundaries where tclsmtp keeps one (docs/compat.md). Each part's calls see
# the second of its first: the comparison shows no difference that only a
# tick of the clock makes.
proc ::tclsmtp_compat::steady {} {
    foreach name {getContentType copymessageaux} {
        if {[info procs ::mime::$name] eq "" || [info procs ::mime::tclsmtp_compat_$name] ne ""} {
            continue
        }
        rename ::mime::$name ::mime::tclsmtp_compat_$name
        proc ::mime::$name {token args} [string map [list @NAME@ $name] {
            variable ::tclsmtp_compat::first
            if {![info exists first($token)]} {
                set first($token) [::clock seconds]
            }
            lappend ::tclsmtp_compat::pins $first($token)
            try {
                return [::mime::tclsmtp_compat_@NAME@ $token {*}$args]
            } finally {
                set ::tclsmtp_compat::pins [lrange $::tclsmtp_compat::pins 0 end-1]
            }
        }]
    }
    # found by mime's procs before the global clock
    proc ::mime::clock {args} {
        if {$args eq "seconds" && [llength $::tclsmtp_compat::pins]} {
            return [lindex $::tclsmtp_compat::pins end]
        }
        tailcall ::clock {*}$args
    }
}
"""

REDIRECT_PRELUDE = r"""# With redirect: every connection smtp::initialize opens goes to the
# recording server.
::tclsmtp_compat::after_loading smtp ::tclsmtp_compat::redirect
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


def prelude_dir(directory: Path, route: Optional[tuple[str, int]]) -> Path:
    """Write the reference's prelude as directory/prelude/pkgIndex.tcl: the
    steady boundaries, and with a route the redirect."""
    target = directory / "prelude"
    target.mkdir(parents=True, exist_ok=True)
    (target / "pkgIndex.tcl").write_text(prelude_text(route), encoding="utf-8")
    return target


def prelude_text(route: Optional[tuple[str, object]]) -> str:
    """The prelude's Tcl: the steady boundaries, and with a route the redirect."""
    if route is None:
        return STEADY_PRELUDE
    return STEADY_PRELUDE + REDIRECT_PRELUDE.replace("@HOST@", route[0]).replace(
        "@PORT@", str(route[1]))


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


def reference_env(base: dict[str, str], prelude: Optional[Path],
                  tcllib: Optional[str] = None) -> dict[str, str]:
    """The reference's environment: the prelude's directory, then --tcllib's,
    in front of TCLLIBPATH."""
    env = dict(base)
    front = [str(d) for d in (prelude, tcllib) if d is not None]
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
