"""The primitive table: the whole boundary between the Tcl procs and Python.

Each primitive takes a Session and plain string arguments and returns a
string, bytes, an int or a (nested) list of those. The Tcl procs in tcl/
call them by name through ``::tclsmtp::call OP ARG...``; a transport (the
in-process tkinter bridge, or the helper process serving plain tclsh/wish)
carries the call and looks it up here.

Layers: transports import this table; the table imports the engines'
command modules (each declares its primitives in a PrimitiveSet, see
tclsmtp/registry.py); engines never import the table or a transport.
tests/test_layers.py keeps it so (import-linter contracts in pyproject.toml).
"""
from __future__ import annotations

import os

from . import commands as _core
from .mime import commands as _mime_commands
from .mime import functions as _mime_functions
from .errors import ScriptError
from .registry import PrimitiveSet
from .session import Session
from .smtp import commands as _smtp_commands

# (typing is not imported at run time: a twentieth of a short script's start-up)
TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any, Callable

    from .registry import Primitive

# The modules that provide primitives, in the order they are merged.
PROVIDERS = (_core, _mime_commands, _mime_functions, _smtp_commands)

PRIMITIVES: PrimitiveSet = PrimitiveSet()
for _module in PROVIDERS:
    for _name, _fn in _module.PRIMITIVES.items():
        PRIMITIVES.register(_name)(_fn)


def primitive(name: str) -> Callable[[Primitive], Primitive]:
    """Register an extra primitive straight into the table (tests, extensions)."""
    return PRIMITIVES.register(name)


def load_all() -> dict[str, Primitive]:
    """The table (kept for callers of the earlier API: it is complete on import)."""
    return PRIMITIVES


def call(session: Session, name: str, *args: str) -> Any:
    return PRIMITIVES[name](session, *args)


def debug_enabled() -> bool:
    """TCLSMTP_DEBUG=1: internal errors carry their Python traceback."""
    return os.environ.get("TCLSMTP_DEBUG", "") not in ("", "0")


def answer(session: Session, op: str, args: tuple) -> tuple:
    """Run primitive ``op`` as a transport does: never raises.

    ``("ok", result)``, or ``("error", message, errorcode, code)`` with the
    engine's message (``tclsmtp internal error in OP: ...`` for a bug of
    ours, the traceback only with TCLSMTP_DEBUG=1).
    """
    try:
        fn = PRIMITIVES[op]
    except KeyError:
        return ("error", f"tclsmtp: unknown primitive \"{op}\"", ("TCLSMTP", "PRIMITIVE"), 1)
    try:
        result = fn(session, *args)
    except ScriptError as e:
        if e.hint:
            session.note_hint(e.message, e.hint)
        return ("error", e.message or "unknown error", e.errorcode, e.code)
    except Exception as e:  # a bug of ours: say so, without a traceback
        message = f"tclsmtp internal error in {op}: {type(e).__name__}: {e}"
        if debug_enabled():
            import traceback
            message += "\n" + traceback.format_exc()
        return ("error", message, ("TCLSMTP", "INTERNAL", type(e).__name__), 1)
    return ("ok", "" if result is None else result)
