"""Core primitives that belong to neither engine."""
from __future__ import annotations

from .registry import PrimitiveSet
from .session import Session
from .version import __version__

PRIMITIVES = PrimitiveSet()
primitive = PRIMITIVES.register


@primitive("core.version")
def core_version(session: Session) -> str:
    return __version__
