"""Accounts: a TOML config file that tells the smtp engine where a script's
server really is and how to log in there (password sources, OAuth 2.0), and
where to log deliveries. No Tcl here: the engine asks ``resolve`` for the
account of a send and applies it (docs/accounts.md).
"""
from __future__ import annotations

from .config import Account, AccountError, Config, config_path, load_config

__all__ = ["Account", "AccountError", "Config", "config_path", "load_config"]
