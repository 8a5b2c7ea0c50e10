"""Where the Tcl sources are: inside the wheel, or tcl/ in a checkout.
(Both transports source them: the bridge in-process, the helper's
pkgIndex.tcl from any tclsh.)"""
from __future__ import annotations

from pathlib import Path


def tcl_dir() -> Path:
    here = Path(__file__).resolve().parent
    packaged = here / "tcl"            # wheel: tclsmtp/tcl
    if (packaged / "pkgIndex.tcl").is_file():
        return packaged
    return here.parent / "tcl"         # checkout or editable install
