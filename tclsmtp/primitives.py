"""The primitives: the whole boundary between the Tcl procs and Python.

Each primitive takes a Session and plain string arguments and returns a
string, bytes, an int or a (nested) list of those. The Tcl procs in tcl/
call them by name through ``::tclsmtp::call OP ARG...``; a transport (the
tkinter bridge today) carries the call. Engines register theirs with
``@primitive("name")``.
"""
from __future__ import annotations

from typing import Any, Callable

from .session import Session

Primitive = Callable[..., Any]
PRIMITIVES: dict[str, Primitive] = {}


def primitive(name: str) -> Callable[[Primitive], Primitive]:
    """Register ``fn(session, *args)`` as the primitive ``name``."""
    def register(fn: Primitive) -> Primitive:
        if name in PRIMITIVES:
            raise ValueError(f"primitive {name} registered twice")
        PRIMITIVES[name] = fn
        return fn
    return register


def load_all() -> dict[str, Primitive]:
    """Import every module that registers primitives, and return the table."""
    from . import commands  # noqa: F401  (registers core primitives)
    from .mime import commands as _mime  # noqa: F401
    from .mime import functions as _mime_functions  # noqa: F401
    from .smtp import commands as _smtp  # noqa: F401
    return PRIMITIVES


def call(session: Session, name: str, *args: str) -> Any:
    return PRIMITIVES[name](session, *args)
