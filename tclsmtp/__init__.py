"""tclsmtp: tcllib's smtp and mime packages for Tcl, implemented in Python.

    import tkinter, tclsmtp
    interp = tkinter.Tcl()
    tclsmtp.install(interp)          # package require smtp/mime now load ours
    interp.eval("package require mime")   # -> 1.7.2
"""
from __future__ import annotations

from typing import Any

__version__ = "0.1.0"

from .bridge import install, new_interpreter, session_of
from .errors import ScriptError
from .smtp.api import sendmessage

__all__ = ["install", "new_interpreter", "get_message", "make_token", "ScriptError",
           "sendmessage", "__version__"]


def get_message(interp: Any, token: str):
    """The email.message.EmailMessage behind a mime token of ``interp``."""
    return session_of(interp).lookup(token)


def make_token(interp: Any, message: Any) -> str:
    """A mime token of ``interp`` for an EmailMessage built in Python."""
    from .mime import token_for_message
    return token_for_message(session_of(interp), message)
