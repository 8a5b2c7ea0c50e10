"""Core primitives that belong to neither engine."""
from __future__ import annotations

from .primitives import primitive
from .session import Session


@primitive("core.version")
def core_version(session: Session) -> str:
    from . import __version__
    return __version__
