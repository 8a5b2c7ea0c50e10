"""The helper-process transport: tclsmtp for Tcl interpreters that Python
did not start (plain tclsh and wish, cron jobs, embedded Tcl shells).

``tclsmtp tcl-path`` (tclpath.py) writes a directory for TCLLIBPATH whose
pkgIndex.tcl loads tcl/helper.tcl; that starts ``python -m tclsmtp serve``
(serve.py) once per interpreter and carries each primitive call over the
helper's stdin/stdout in frames (frames.py). The in-process tkinter bridge
(tclsmtp/bridge/) carries the same calls for interpreters Python runs.
"""
