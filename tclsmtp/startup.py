"""Python's cyclic collector around a process's start-up (`tclsmtp run`,
the helper): start-up makes tens of thousands of objects that live as long
as the process (modules, tkinter, Tcl), and the collector would walk them a
dozen times, ~2 ms of a short script's run."""
from __future__ import annotations

import gc


def stop_collecting() -> None:
    """At the start of start-up (cli.main)."""
    gc.disable()


def start_collecting() -> None:
    """At its end, once the script runs or the helper serves: the collector
    on again, with what start-up made frozen out of its way. Nothing if
    stop_collecting was not called."""
    if not gc.isenabled():
        gc.freeze()
        gc.enable()
