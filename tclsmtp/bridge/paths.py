"""Where the Tcl sources are: inside the wheel, or tcl/ in a checkout."""
from __future__ import annotations

from pathlib import Path


def tcl_dir() -> Path:
    here = Path(__file__).resolve().parent.parent
    packaged = here / "tcl"            # wheel: tclsmtp/tcl
    if (packaged / "pkgIndex.tcl").is_file():
        return packaged
    return here.parent / "tcl"         # checkout or editable install
