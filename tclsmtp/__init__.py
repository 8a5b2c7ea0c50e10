"""tclsmtp: tcllib's smtp and mime packages for Tcl, implemented in Python.

    import tkinter, tclsmtp
    interp = tkinter.Tcl()
    tclsmtp.install(interp)          # package require smtp/mime now load ours
    interp.eval("package require mime")   # -> 1.7.2

The names below load their modules on first use, so importing tclsmtp (as
pytest does for the tclsmtp.testing plugin) costs nothing and needs no
tkinter.
"""
from __future__ import annotations

from .errors import ScriptError
from .version import __version__

__all__ = ["install", "new_interpreter", "get_message", "make_token", "ScriptError",
           "sendmessage", "sendmessage_async", "sendmessage_tcl", "SendResult",
           "configure_auth", "__version__"]

# (typing is not imported at run time: a twentieth of a short script's start-up)
TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any
    from .bridge import install, new_interpreter
    from .smtp.api import SendResult, sendmessage, sendmessage_async, sendmessage_tcl
    from .smtp.sasl import configure_auth

_LAZY = {
    "install": ("tclsmtp.bridge", "install"),
    "new_interpreter": ("tclsmtp.bridge", "new_interpreter"),
    "sendmessage": ("tclsmtp.smtp.api", "sendmessage"),
    "sendmessage_async": ("tclsmtp.smtp.api", "sendmessage_async"),
    "sendmessage_tcl": ("tclsmtp.smtp.api", "sendmessage_tcl"),
    "SendResult": ("tclsmtp.smtp.api", "SendResult"),
    "configure_auth": ("tclsmtp.smtp.sasl", "configure_auth"),
}


def __getattr__(name: str) -> Any:
    try:
        module, attr = _LAZY[name]
    except KeyError:
        raise AttributeError(f"module 'tclsmtp' has no attribute {name!r}") from None
    import importlib
    value = getattr(importlib.import_module(module), attr)
    globals()[name] = value
    return value


def get_message(interp: Any, token: str):
    """The email.message.EmailMessage behind a mime token of ``interp``."""
    from .bridge import session_of
    return session_of(interp).lookup(token)


def make_token(interp: Any, message: Any) -> str:
    """A mime token of ``interp`` for an EmailMessage built in Python."""
    from .bridge import session_of
    from .mime import token_for_message
    return token_for_message(session_of(interp), message)
