"""How an engine module declares its primitives, without knowing the table.

Each module that provides primitives keeps its own ``PRIMITIVES =
PrimitiveSet()`` and decorates with ``primitive = PRIMITIVES.register``;
tclsmtp/primitives.py (the table the transports use) merges them. Engines
import this module, never the table, so the layers stay acyclic
(transports -> primitive table -> engines; see docs/architecture.md).
"""
from __future__ import annotations

# (typing is not imported at run time: a twentieth of a short script's start-up)
TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any, Callable

    Primitive = Callable[..., Any]


class PrimitiveSet(dict):
    """Primitives by name: ``fn(session, *args: str)``."""

    def register(self, name: str) -> Callable[[Primitive], Primitive]:
        """Decorator: register ``fn`` as the primitive ``name``."""
        def register(fn: Primitive) -> Primitive:
            if name in self:
                raise ValueError(f"primitive {name} registered twice")
            self[name] = fn
            return fn
        return register
