"""What `package require mime` leaves behind, compared with tclsh + tcllib."""
from __future__ import annotations

import tkinter

import tclsmtp
from reference import run_tclsh


ERROR_VARS = r"""
package require mime
set out [list [info exists ::errorCode] [info exists ::errorInfo] $::errorCode $::errorInfo]
"""


def test_error_variables_after_package_require_are_tcllib_s(tcllib):
    """tcllib's load leaves ::errorCode/::errorInfo set (its optional
    `package require Trf` fails inside catch); scripts read them unchecked."""
    ref = run_tclsh(ERROR_VARS + "puts -nonewline $out\n")
    assert ref.returncode == 0, ref.stderr
    assert ref.stdout.startswith("1 1 {TCL PACKAGE UNFOUND}")
    interp = tkinter.Tcl()
    tclsmtp.install(interp)
    interp.eval(ERROR_VARS)
    assert interp.eval("set out") == ref.stdout
