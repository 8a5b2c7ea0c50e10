"""``tclsmtp tcl-path``: the directory that gives any Tcl interpreter tclsmtp.

It holds one generated pkgIndex.tcl naming this Python and tclsmtp's tcl/
directory; put the directory on TCLLIBPATH (or lappend it to auto_path).
"""
from __future__ import annotations

import hashlib
import os
import sys
from pathlib import Path
from typing import Optional

from ..tclfiles import tcl_dir
from ..tcllist import quote

PKG_INDEX = """\
# Written by `tclsmtp tcl-path`: tclsmtp's smtp and mime packages for any
# Tcl interpreter, served by a helper process ({python} -m tclsmtp serve).
# Run `tclsmtp tcl-path` again after moving or replacing that Python.
# Under the in-process bridge (tclsmtp run, tkinter) the packages are
# already registered.
if {{[info commands ::tclsmtp::invoke] ne ""}} return
source [file join {tcl} helper.tcl]
::tclsmtp::helper::register {tcl} {python} {flags}
"""


def python_flags() -> list[str]:
    """-P (Python 3.11+): the helper must not import modules from the
    directory a cron job or script happens to run in."""
    return ["-P"] if sys.version_info >= (3, 11) else []


def default_directory() -> Path:
    """share/tclsmtp/tcl under this Python's prefix (a virtualenv), else in
    the user's data directory, one per Python. (Not under PREFIX/lib: Tcl
    interpreters of that prefix have PREFIX/lib on auto_path and would load
    tclsmtp unasked.)"""
    candidate = Path(sys.prefix) / "share" / "tclsmtp" / "tcl"
    existing = next(p for p in (candidate, *candidate.parents) if p.exists())
    if os.access(existing, os.W_OK):
        return candidate
    data = Path(os.environ.get("XDG_DATA_HOME") or Path.home() / ".local" / "share")
    digest = hashlib.sha256(sys.executable.encode()).hexdigest()[:12]
    return data / "tclsmtp" / f"tcl-{digest}"


def write_tcl_path(directory: Optional[Path] = None) -> Path:
    """Write (or refresh) the directory's pkgIndex.tcl; returns the directory."""
    target = Path(directory) if directory is not None else default_directory()
    target = target.absolute()
    text = PKG_INDEX.format(python=quote(sys.executable), tcl=quote(str(tcl_dir())),
                            flags=quote(" ".join(python_flags())))
    index = target / "pkgIndex.tcl"
    if not index.is_file() or index.read_text(encoding="utf-8") != text:
        target.mkdir(parents=True, exist_ok=True)
        index.write_text(text, encoding="utf-8")
    return target
