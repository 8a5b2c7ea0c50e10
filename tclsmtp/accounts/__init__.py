"""Accounts: a TOML config file that tells the smtp engine where a script's
server really is and how to log in there (password sources, OAuth 2.0), and
where to log deliveries. No Tcl here: the engine asks ``resolve`` for the
account of a send and applies it (docs/accounts.md).
"""
from __future__ import annotations

# (typing is not imported at run time: a twentieth of a short script's start-up)
TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any

__all__ = ["Account", "AccountError", "Config", "config_path", "load_config"]


def __getattr__(name: str) -> Any:
    # Loaded on first use: a send without an accounts file needs only
    # accounts.where, and the reader's imports cost more than its set-up.
    if name in __all__:
        from . import config
        return getattr(config, name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
