"""Where the Tcl sources are (kept here for older imports: tclsmtp/tclfiles.py)."""
from __future__ import annotations

from ..tclfiles import tcl_dir

__all__ = ["tcl_dir"]
